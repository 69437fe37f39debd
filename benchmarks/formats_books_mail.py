"""Extraction speed of EPUB, RTF and mail on real files: MB/s and units (chapters, messages) per second.

    python benchmarks/formats_books_mail.py build --out /tmp/bookmail [--docs-dev DIR] [--epub FILE ...]
    python benchmarks/formats_books_mail.py measure /tmp/bookmail [--repeat 3] [--json OUT]

`build` makes the corpus from real text only: EPUBs given with --epub (Debian's live-manual-epub and
ubuntu-packaging-guide-epub ship some: `apt-get download` them, `dpkg-deb -x`), EPUB and RTF written by
pandoc from docs-dev manuals (bash, the GNU coding standards, curl's FAQ, 60 SQLite pages), and mail
built from this machine's Debian changelogs (/usr/share/doc/*/changelog.Debian.gz: one message per
changelog entry, From and Date from its trailer line, as debian-devel-changes mails them), an mbox
without attachments and one whose every 20th message carries a docs-dev PDF, DOCX or text file.
`measure` extracts each file in this process (imports warm, as in a worker that has read a file
already), `--repeat` times, and prints the median. The new extractors are registered for the run
(added to the package's REGISTRY) until core/extract/__init__.py registers them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import mailbox
import re
import statistics
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import common

DOCS_DEV = Path("/tmp/docs-dev")
_TRAILER = re.compile(r"^ -- (.+?)  (\w{3}, .+)$")
_FIRST = re.compile(r"^(\S+) \(([^)]+)\) (.+)$")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def changelog_messages(limit: int) -> list[EmailMessage]:
    """One message per Debian changelog entry on this machine, at most `limit`."""
    out: list[EmailMessage] = []
    for path in sorted(Path("/usr/share/doc").glob("*/changelog.Debian.gz")):
        try:
            text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        except (OSError, EOFError):
            continue
        entry: list[str] = []
        for line in text.splitlines():
            entry.append(line)
            m = _TRAILER.match(line)
            if not m:
                continue
            msg = _entry_message([e for e in entry if e.strip()], m.group(1), m.group(2))
            entry = []
            if msg is not None:
                out.append(msg)
                if len(out) >= limit:
                    return out
    return out


def _entry_message(lines: list[str], sender: str, date: str) -> EmailMessage | None:
    first = _FIRST.match(lines[0]) if lines else None
    if first is None:
        return None
    msg = EmailMessage()
    msg["Subject"] = f"Accepted {first.group(1)} {first.group(2)} ({first.group(3)})"
    msg["From"] = sender
    msg["To"] = "debian-devel-changes@lists.debian.org"
    try:
        msg["Date"] = format_datetime(parsedate_to_datetime(date))
    except (TypeError, ValueError):
        msg["Date"] = date
    msg.set_content("\n".join(lines) + "\n")
    return msg


def _pandoc(sources: list[Path], out: Path, *extra: str) -> None:
    subprocess.run(["pandoc", *map(str, sources), "-s", "-o", str(out), *extra], check=True, capture_output=True)


def build(out: Path, docs_dev: Path, epubs: list[Path]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for e in epubs:
        (out / e.name).write_bytes(e.read_bytes())
    sqlite = sorted((docs_dev / "sqlite").glob("*.html"), key=lambda p: -p.stat().st_size)[:60]
    books = {
        "bash": [docs_dev / "manuals" / "bash.html"],
        "sqlite60": sqlite,
    }
    for name, sources in books.items():
        _pandoc(sources, out / f"{name}.epub", "--epub-chapter-level=1")
        _pandoc(sources, out / f"{name}.rtf")
    _pandoc([docs_dev / "gnu" / "standards.txt"], out / "gnu-standards.rtf", "-f", "markdown")
    _pandoc([docs_dev / "curl" / "FAQ.txt"], out / "curl-faq.rtf", "-f", "markdown")
    _pandoc([docs_dev / "manuals" / "bash.html"], out / "attach-bash.docx")
    messages = changelog_messages(12_000)
    _mbox(out / "changelogs.mbox", messages)
    files = [
        (docs_dev / "manuals" / "bashref.pdf", "application/pdf"),
        (out / "attach-bash.docx", DOCX_TYPE),
        (docs_dev / "curl" / "KNOWN_BUGS.txt", "text/plain"),
    ]
    with_files = messages[:1000]
    for i, msg in enumerate(with_files[::20]):
        src, mime = files[i % len(files)]
        maintype, subtype = mime.split("/")
        msg.add_attachment(src.read_bytes(), maintype=maintype, subtype=subtype, filename=src.name)
    _mbox(out / "attachments.mbox", with_files)
    (out / "one-with-pdf.eml").write_bytes(with_files[0].as_bytes())
    (out / "attach-bash.docx").unlink()


def _mbox(path: Path, messages: list[EmailMessage]) -> None:
    path.unlink(missing_ok=True)
    box = mailbox.mbox(path)
    try:
        for msg in messages:
            box.add(msg)
        box.flush()
    finally:
        box.close()


def measure(corpus: Path, repeat: int) -> list[dict[str, object]]:
    from jinasearch.core.extract import REGISTRY, extract
    from jinasearch.core.extract.epub import EpubExtractor
    from jinasearch.core.extract.mail import EmlExtractor, MboxExtractor
    from jinasearch.core.extract.rtf import RtfExtractor

    for extractor in (EpubExtractor(), RtfExtractor(), EmlExtractor(), MboxExtractor()):
        for suffix in extractor.suffixes:
            REGISTRY.setdefault(suffix, extractor)  # a no-op once the package registers them
    rows: list[dict[str, object]] = []
    files = sorted(p for p in corpus.iterdir() if p.suffix in (".epub", ".rtf", ".eml", ".mbox", ".mbx"))
    extract(files[0])  # imports and first-call costs out of the figures
    for path in files:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            doc = extract(path)
            times.append(time.perf_counter() - t0)
        secs = statistics.median(times)
        size = path.stat().st_size
        units = len(doc.pages)
        rows.append(
            {
                "file": path.name,
                "mb": size / 1e6,
                "units": units,
                "chars": len(doc.text),
                "seconds": secs,
                "mb_s": size / 1e6 / secs,
                "units_s": units / secs,
                "partial": doc.partial,
            }
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--docs-dev", type=Path, default=DOCS_DEV)
    b.add_argument("--epub", type=Path, nargs="*", default=[])
    m = sub.add_parser("measure")
    m.add_argument("corpus", type=Path)
    m.add_argument("--repeat", type=int, default=3)
    m.add_argument("--json", type=Path)
    args = ap.parse_args()
    if args.cmd == "build":
        build(args.out, args.docs_dev, args.epub)
        return 0
    common.log(f"load average before: {common.load_avg()}")
    rows = measure(args.corpus, args.repeat)
    print(f"{'file':<34} {'MB':>6} {'units':>6} {'seconds':>8} {'MB/s':>6} {'units/s':>8}  partial")
    for r in rows:
        print(
            f"{r['file']:<34} {r['mb']:>6.2f} {r['units']:>6} {r['seconds']:>8.3f} {r['mb_s']:>6.2f} "
            f"{r['units_s']:>8.0f}  {r['partial'] or ''}"
        )
    common.log(f"load average after: {common.load_avg()}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
