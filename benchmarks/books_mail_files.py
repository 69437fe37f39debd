"""Real EPUB, RTF and mail files for benchmarks/formats.py (its FORMATS entries .epub, .rtf, .eml, .mbox).

Real text only, made once into the benchmark's --work folder and reused: the EPUBs Debian ships
(live-manual-epub, ubuntu-packaging-guide-epub, by `apt-get download`) and EPUB and RTF written by
pandoc from docs-dev manuals (bash, 60 SQLite pages, the GNU coding standards, curl's FAQ); mail built
from this machine's Debian changelogs (/usr/share/doc/*/changelog.Debian.gz, one message per entry,
From and Date from its trailer line, as debian-devel-changes mails them): an mbox of 12,000, one of
1,000 whose every 20th message carries a docs-dev PDF, DOCX or text file, and one such message as an
.eml. No real mailing-list archive is reachable from this machine."""

from __future__ import annotations

import gzip
import mailbox
import re
import subprocess
from email.message import EmailMessage
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

DOCS_DEV = Path("/tmp/docs-dev")
_TRAILER = re.compile(r"^ -- (.+?)  (\w{3}, .+)$")
_FIRST = re.compile(r"^(\S+) \(([^)]+)\) (.+)$")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DEBIAN_EPUBS = ("live-manual-epub", "ubuntu-packaging-guide-epub")


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


def _pandoc(sources: list[Path], out: Path, *extra: str) -> Path:
    if not out.exists():
        subprocess.run(["pandoc", *map(str, sources), "-s", "-o", str(out), *extra], check=True, capture_output=True)
    return out


def _manuals() -> dict[str, list[Path]]:
    sqlite = sorted((DOCS_DEV / "sqlite").glob("*.html"), key=lambda p: -p.stat().st_size)[:60]
    return {"bash": [DOCS_DEV / "manuals" / "bash.html"], "sqlite60": sqlite}


def debian_epubs(work: Path) -> list[Path]:
    """The EPUBs Debian ships (live-manual-epub: the Live Systems manual in ten languages, of which
    en, de, ja; ubuntu-packaging-guide-epub), fetched with `apt-get download` once; none if apt cannot."""
    debs = work / "debs"
    if not debs.is_dir():
        debs.mkdir(parents=True)
        subprocess.run(["apt-get", "download", *DEBIAN_EPUBS], cwd=debs, capture_output=True, check=False)
        for deb in debs.glob("*.deb"):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(debs / "x")], check=True)
    found = sorted((debs / "x").rglob("*.epub"))
    return [p for p in found if p.name in ("live-manual.en.epub", "live-manual.de.epub", "live-manual.ja.epub")] + [
        p for p in found if not p.name.startswith("live-manual.")
    ]


def make_epub(work: Path) -> list[Path]:
    """Debian's EPUBs and pandoc's from docs-dev manuals (a chapter per top-level heading)."""
    out = work / "epub"
    out.mkdir(parents=True, exist_ok=True)
    made = [_pandoc(src, out / f"{name}.epub", "--epub-chapter-level=1") for name, src in _manuals().items()]
    return debian_epubs(work) + made


def make_rtf(work: Path) -> list[Path]:
    """RTF written by pandoc from docs-dev manuals: bash, 60 SQLite pages, the GNU coding standards, curl's FAQ."""
    out = work / "rtf"
    out.mkdir(parents=True, exist_ok=True)
    made = [_pandoc(src, out / f"{name}.rtf") for name, src in _manuals().items()]
    made.append(_pandoc([DOCS_DEV / "gnu" / "standards.txt"], out / "gnu-standards.rtf", "-f", "markdown"))
    made.append(_pandoc([DOCS_DEV / "curl" / "FAQ.txt"], out / "curl-faq.rtf", "-f", "markdown"))
    return made


def make_mbox(work: Path) -> list[Path]:
    """An mbox of 12,000 Debian changelog entries, and one of 1,000 whose every 20th message carries a
    docs-dev PDF, DOCX (pandoc's, of the bash manual) or text file."""
    out = work / "mail"
    plain, attached = out / "changelogs.mbox", out / "attachments.mbox"
    if not attached.exists():
        out.mkdir(parents=True, exist_ok=True)
        messages = changelog_messages(12_000)
        _mbox(plain, messages)
        _mbox(attached, _with_files(messages[:1000], out))
    return [plain, attached]


def make_eml(work: Path) -> list[Path]:
    """The first message of attachments.mbox (a changelog entry with the bash reference PDF) as an .eml."""
    eml = work / "mail" / "one-with-pdf.eml"
    if not eml.exists():
        msg = _with_files(changelog_messages(1), work / "mail")[0]
        eml.write_bytes(msg.as_bytes())
    return [eml]


def _with_files(messages: list[EmailMessage], out: Path) -> list[EmailMessage]:
    docx = _pandoc([DOCS_DEV / "manuals" / "bash.html"], out / "bash.docx")
    files = [
        (DOCS_DEV / "manuals" / "bashref.pdf", "application/pdf"),
        (docx, DOCX_TYPE),
        (DOCS_DEV / "curl" / "KNOWN_BUGS.txt", "text/plain"),
    ]
    for i, msg in enumerate(messages[::20]):
        src, mime = files[i % len(files)]
        maintype, subtype = mime.split("/")
        msg.add_attachment(src.read_bytes(), maintype=maintype, subtype=subtype, filename=src.name)
    return messages


def _mbox(path: Path, messages: list[EmailMessage]) -> None:
    """`messages` as a new mbox at `path`. tests/core/extract/bookmail.py has the same few lines: the app
    writes no mail, so there is no product module to share them from, and benchmarks import no tests."""
    path.unlink(missing_ok=True)
    box = mailbox.mbox(path)
    try:
        for msg in messages:
            box.add(msg)
        box.flush()
    finally:
        box.close()
