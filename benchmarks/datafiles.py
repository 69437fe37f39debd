"""Machine-made files for benchmarks: a 20 MB web shop server log and a 5 MB orders CSV (seeded, so every
run writes the same bytes), and the cost of telling them from prose.

    python benchmarks/datafiles.py DIR [--log-mb 20] [--csv-mb 5]      # writes DIR/app.log, DIR/orders.csv
    python benchmarks/datafiles.py DIR --classify [--also FILE...]     # ... and classifies them, timed

The generators live in tests/core/datafiles.py (the prose-or-data tests write small ones), as the other
benchmarks take their generators from tests/. `--classify` reads each file with the app's extractor,
prints core.textkind's verdict with its signals (and of each `--also` file, say a manual), and times `classify` on a 50 MB text made of the file's
text (CPU time per call, median and 90th percentile of 50 calls, with the machine's load average).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.core.datafiles import write_csv, write_log  # noqa: E402

__all__ = ["write_csv", "write_log"]

SIGNALS = ("numbers", "line_shape", "table", "repetition", "long_lines", "sentences")


def cost_ms(suffix: str, text: str, calls: int = 50) -> tuple[float, float]:
    """(median, 90th percentile) CPU milliseconds of one classify call on `text`."""
    from jinasearch.core.textkind import classify

    classify(suffix, text)
    times = []
    for _ in range(calls):
        start = time.process_time()
        classify(suffix, text)
        times.append((time.process_time() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.9 * len(times))]


def report(paths: list[Path]) -> None:
    from jinasearch.core.extract import extract
    from jinasearch.core.textkind import classify

    print(f"load average: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for path in paths:
        text = extract(path).text
        v = classify(path.suffix.lower(), text)
        shares = " ".join(f"{s}={getattr(v, s):.2f}" for s in SIGNALS)
        print(f"{path.name}: {v.kind} ({v.reason or '-'}) {shares}")
        big = (text * (50_000_000 // len(text) + 1))[:50_000_000]
        for suffix in (path.suffix.lower(), ".txt"):
            median, p90 = cost_ms(suffix, big)
            print(f"  classify('{suffix}', 50 MB of it): median {median:.2f} ms, p90 {p90:.2f} ms CPU")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path, help="where to write app.log and orders.csv")
    ap.add_argument("--log-mb", type=float, default=20.0)
    ap.add_argument("--csv-mb", type=float, default=5.0)
    ap.add_argument("--classify", action="store_true", help="classify the files and time classify")
    ap.add_argument("--also", type=Path, nargs="*", default=[], help="more files to classify and time")
    args = ap.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    log, table = args.folder / "app.log", args.folder / "orders.csv"
    write_log(log, args.log_mb)
    write_csv(table, args.csv_mb)
    print(f"wrote {log} ({log.stat().st_size / 1e6:.1f} MB) and {table} ({table.stat().st_size / 1e6:.1f} MB)")
    if args.classify:
        report([log, table, *args.also])


if __name__ == "__main__":
    main()
