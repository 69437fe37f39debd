"""Extraction speed of each document format on real files: MB/s and units (pages, slides, sheets) per second.

    python benchmarks/formats.py [--work /tmp/jinasearch-formats] [--only .odp .xlsx] [--repeat 3] [--json OUT]

The files are real content, made once into --work and reused: LibreOffice (`soffice --headless`,
Debian's libreoffice-{writer,calc,impress}-nogui) converts docs-dev's manuals and this machine's
data files: ODT from docs-dev's DOCX files and two HTML manuals; ODP from docs-dev's two PDF manuals
(Impress's PDF import, a slide a page) and PPTX from those ODPs; CSV from Debian's distro-info tables,
numpy's validation data and this machine's installed packages (`dpkg-query`); XLSX and ODS from those
CSVs; EPUB, RTF and mail from Debian's EPUBs, pandoc and Debian changelogs (books_mail_files.py).
Each file is extracted in this process (imports warm, as in a worker that has read a file
already: one untimed read first), `--repeat` times; the median is printed with the load average
before and after, and the kind core/textkind.py gives the text (prose or data: what gets vectors).

A format is one entry of FORMATS: its suffix, the function that makes or finds its real files in a
folder, and (until core/extract/__init__.py registers it) the extractor to register for the run.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import common
from books_mail_files import make_eml, make_epub, make_mbox, make_rtf

DOCS_DEV = Path("/tmp/docs-dev")
NUMPY_DATA = "numpy/_core/tests/data"
# A CSV import for LibreOffice: comma-separated, double quotes, UTF-8 (the filter's token 76).
CSV_FILTER = "CSV:44,34,76"


@dataclass(frozen=True)
class Format:
    suffix: str
    make: Callable[[Path], list[Path]]  # the folder to make them in -> the real files of this format
    extractor: str = ""  # "module:Class" under jinasearch.core.extract, registered when REGISTRY lacks the suffix


def soffice(out: Path, target: str, sources: list[Path], infilter: str = "") -> list[Path]:
    """`sources` converted by LibreOffice into `out` (skipped where the result is there already)."""
    out.mkdir(parents=True, exist_ok=True)
    ext = target.split(":")[0]
    todo = [s for s in sources if not (out / f"{s.stem}.{ext}").exists()]
    if todo:
        if shutil.which("soffice") is None:
            sys.exit(
                "soffice not found: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui"
            )
        cmd = ["soffice", "--headless", *([f"--infilter={infilter}"] if infilter else []), "--convert-to", target]
        subprocess.run([*cmd, "--outdir", str(out), *map(str, todo)], check=True, capture_output=True, timeout=1800)
    return sorted(p for s in sources if (p := out / f"{s.stem}.{ext}").exists())


def make_odt(work: Path) -> list[Path]:
    docx = sorted(DOCS_DEV.rglob("*.docx"))
    html = [DOCS_DEV / "manuals" / "bash.html", DOCS_DEV / "sqlite" / "lang_select.html"]
    return soffice(work / "odt", "odt", docx) + soffice(
        work / "odt", "odt", [h for h in html if h.exists()], "HTML (StarWriter)"
    )


def make_odp(work: Path) -> list[Path]:
    pdfs = sorted(DOCS_DEV.rglob("*.pdf"))
    return soffice(work / "odp", "odp", pdfs, "impress_pdf_import")


def make_pptx(work: Path) -> list[Path]:
    return soffice(work / "pptx", "pptx", make_odp(work))


def make_csv(work: Path) -> list[Path]:
    """Real tables of this machine: Debian's and Ubuntu's releases, numpy's float validation sets, and the
    installed packages (name, version, size, section, maintainer, description) from dpkg."""
    out = work / "csv"
    out.mkdir(parents=True, exist_ok=True)
    found = sorted(Path("/usr/share/distro-info").glob("*.csv"))
    for site in map(Path, sys.path):
        found += (
            sorted((site / NUMPY_DATA).glob("umath-validation-set-log*.csv"))[:2]
            if (site / NUMPY_DATA).is_dir()
            else []
        )
    for src in found:
        if not (out / src.name).exists():
            shutil.copy(src, out / src.name)
    packages = out / "dpkg-packages.csv"
    if not packages.exists() and shutil.which("dpkg-query"):
        fields = "${Package}\t${Version}\t${Installed-Size}\t${Section}\t${Maintainer}\t${binary:Summary}\n"
        listing = subprocess.run(["dpkg-query", "-W", "-f", fields], capture_output=True, text=True, check=True).stdout
        with open(packages, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["Package", "Version", "Installed-Size", "Section", "Maintainer", "Summary"])
            w.writerows(line.split("\t") for line in listing.splitlines())
    return sorted(out.glob("*.csv"))


def make_xlsx(work: Path) -> list[Path]:
    return soffice(work / "xlsx", "xlsx", make_csv(work), CSV_FILTER)


def make_ods(work: Path) -> list[Path]:
    return soffice(work / "ods", "ods", make_csv(work), CSV_FILTER)


FORMATS: tuple[Format, ...] = (
    Format(".odt", make_odt, "odf:OdtExtractor"),
    Format(".odp", make_odp, "odf:OdpExtractor"),
    Format(".pptx", make_pptx, "pptx:PptxExtractor"),
    Format(".ods", make_ods, "odf_sheet:OdsExtractor"),
    Format(".xlsx", make_xlsx, "sheets:XlsxExtractor"),
    Format(".csv", make_csv, "sheets:CsvExtractor"),
    Format(".epub", make_epub, "epub:EpubExtractor"),
    Format(".rtf", make_rtf, "rtf:RtfExtractor"),
    Format(".eml", make_eml, "mail:EmlExtractor"),
    Format(".mbox", make_mbox, "mail:MboxExtractor"),
)


def register(formats: tuple[Format, ...]) -> None:
    """Register each format's extractor for this run where the package does not (yet) handle its suffix,
    or handles it with another reader (.csv is plain text until the CSV reader is registered)."""
    import importlib

    import jinasearch.core.extract as pkg

    for f in formats:
        if not f.extractor:
            continue
        module, cls = f.extractor.split(":")
        kind: Any = getattr(importlib.import_module(f"jinasearch.core.extract.{module}"), cls)
        if not isinstance(pkg.REGISTRY.get(f.suffix), kind):
            pkg.REGISTRY.update({s: kind() for s in kind.suffixes})


def measure(path: Path, repeat: int) -> dict[str, Any]:
    from jinasearch.core.extract import extract
    from jinasearch.core.textkind import classify

    extract(path)  # not timed: a format's first file would also pay for importing its library
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        doc = extract(path)
        times.append(time.perf_counter() - t0)
    secs = statistics.median(times)
    size = path.stat().st_size
    units = len({p.number for p in doc.pages})  # a long sheet goes on in several pieces of one number
    return {
        "suffix": path.suffix.lower(),
        "file": path.name,
        "mb": size / 1e6,
        "units": units,
        "chars": len(doc.text),
        "seconds": secs,
        "mb_s": size / 1e6 / secs,
        "units_s": units / secs,
        "kind": classify(path.suffix.lower(), doc.text).kind,  # what the embedding budget will be told
        "partial": doc.partial,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/jinasearch-formats"))
    ap.add_argument("--only", nargs="*", default=[], help="suffixes to measure (default: every format)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    formats = tuple(f for f in FORMATS if not args.only or f.suffix in args.only)
    files = {f.suffix: f.make(args.work) for f in formats}
    register(formats)
    common.log(f"load average before: {common.load_avg()}")
    rows = [measure(p, args.repeat) for f in formats for p in files[f.suffix]]
    common.log(f"load average after: {common.load_avg()}")
    print(
        f"{'file':<40} {'MB':>6} {'units':>6} {'chars':>9} {'seconds':>8} {'MB/s':>6} {'units/s':>8} {'kind':>5}  partial"
    )
    for r in rows:
        print(
            f"{r['file']:<40} {r['mb']:>6.2f} {r['units']:>6} {r['chars']:>9} {r['seconds']:>8.3f} {r['mb_s']:>6.2f} "
            f"{r['units_s']:>8.0f} {r['kind']:>5}  {r['partial'] or ''}"
        )
    print(f"\n{'format':<7} {'files':>5} {'MB':>7} {'units':>6} {'seconds':>8} {'MB/s':>6} {'units/s':>8}")
    for f in formats:
        mine = [r for r in rows if r["suffix"] == f.suffix]
        mb, units, secs = (sum(r[k] for r in mine) for k in ("mb", "units", "seconds"))
        if secs:
            print(
                f"{f.suffix:<7} {len(mine):>5} {mb:>7.2f} {units:>6} {secs:>8.3f} {mb / secs:>6.2f} {units / secs:>8.0f}"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
