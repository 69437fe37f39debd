"""Extractors by file suffix: one module per format behind the Extractor protocol.

A file of no type an extractor reads (no suffix, or one that is part of its name) is read as an mbox when
its first bytes are a mailbox's (mbox_sniff.py: a mail program's folder such as Thunderbird's "Inbox" or
"archive.2023"); `type_of` is the one place that decides, and the reader, the unit, the size limit, the
type filter and the text kind all go by it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..attached import MBOX_SUFFIXES
from ..errors import ExtractionError, NotReadHereError
from ..models import Extracted, OcrOrder, Unit
from . import base, mail
from .base import Extractor
from .docx import DocxExtractor
from .epub import EpubExtractor
from .html import HtmlExtractor
from .image import ImageExtractor
from .mail import EmlExtractor, MboxExtractor
from .mbox_sniff import looks_like_mbox
from .odf import OdpExtractor, OdtExtractor
from .odf_sheet import OdsExtractor
from .parts import Collector, Part, assemble
from .pdf import PdfExtractor
from .plain import TEXT_SUFFIXES, TextExtractor
from .pptx import PptxExtractor
from .rtf import RtfExtractor
from .sheets import CsvExtractor, XlsxExtractor

if TYPE_CHECKING:
    from .runner import Runner

# The version of extraction: documents read by an older one are read again at the next run (their
# bytes have not changed, but what is made of them has). 1: pages with PDFium, running headers and
# footers dropped, HTML main content, headings and sections. 2: an ALL-CAPS line inside a numbered
# section labels a part of it; a section's first passage starts at its heading, not with the tail of
# the section before. 3: a PDF page without a text layer is a scan, read by OCR (scanned.py): PDFs that
# failed as "no text" are read again; CSV and TSV read as tables (sheets.py). 4: a mail's attachments
# are documents of their own (core/attached.py), no longer text inside their message.
READER_VERSION = 4

_EXTRACTORS: tuple[Extractor, ...] = (
    TextExtractor(),
    HtmlExtractor(),
    PdfExtractor(),
    DocxExtractor(),
    OdtExtractor(),
    OdsExtractor(),
    OdpExtractor(),
    PptxExtractor(),
    XlsxExtractor(),
    CsvExtractor(),  # after TextExtractor: .csv and .tsv are read as tables, not as plain text
    RtfExtractor(),
    EpubExtractor(),
    EmlExtractor(),
    MboxExtractor(),
    ImageExtractor(),
)
REGISTRY: dict[str, Extractor] = {s: e for e in _EXTRACTORS for s in e.suffixes}


def type_of(path: str | Path) -> str:
    """The suffix a file is read by, lower case with the dot: its own where an extractor reads it, else
    ".mbox" for a mailbox (mbox_sniff.py), else its own again ("" for a file without one). A mail
    folder's name may hold a dot ("archive.2023", "Project v1.2"), which reads as a suffix no extractor
    knows, so a file of an unknown type is sniffed, unless its suffix is one the system's MIME table
    gives another type (.zip, .mp4, .iso): sniffing costs a disk read at every scan and, for a cloud
    drive's online-only file, a download."""
    suffix = Path(path).suffix.lower()
    if suffix in REGISTRY or (suffix and _registered(suffix)):
        return suffix
    return MBOX_SUFFIXES[0] if looks_like_mbox(path) else suffix


@lru_cache(maxsize=1024)
def _registered(suffix: str) -> bool:
    """Whether the MIME table (Python's mimetypes: its own list, the system's files, Windows' registry)
    names a type for this suffix."""
    import mimetypes

    return mimetypes.guess_type("x" + suffix, strict=False)[0] is not None


def extractor_of(path: str | Path) -> Extractor | None:
    """The extractor that reads this file (by type_of), or None."""
    return REGISTRY.get(type_of(path))


def supported(path: str | Path) -> bool:
    """Whether some extractor reads this file."""
    return extractor_of(path) is not None


def size_limit(path: str | Path) -> int:
    """The largest file of this type that is read: base.MAX_FILE_BYTES, or mail.MAX_MBOX_BYTES for a
    mailbox, which is read one message at a time instead of whole."""
    return mail.MAX_MBOX_BYTES if isinstance(extractor_of(path), MboxExtractor) else base.MAX_FILE_BYTES


def extract(path: str | Path, ocr: OcrOrder | None = None) -> Extracted:
    """Extract text from one file; any failure becomes an ExtractionError with a readable reason.
    Without an OCR order, pages without a text layer are only noted (Extracted.ocr_waiting)."""
    parts: list[Part] = []
    sink = Collector(parts.append, ocr=ocr)
    extract_into(path, sink)
    return assemble(parts, sink.summary())


def extract_into(path: str | Path, sink: Collector) -> None:
    """Read one file into `sink` and finish it; raises ExtractionError with a readable reason.
    A file that yields no text at all fails ("no text found"), unless it has pages for OCR (waiting, or read)."""
    p = Path(path)
    extractor = extractor_of(p)
    if extractor is None:
        raise NotReadHereError(f"unsupported file type '{p.suffix or '(none)'}'")
    try:
        extractor.extract(p, sink)
        sink.finish()
    except ExtractionError:
        raise
    except PermissionError:
        raise ExtractionError("permission denied") from None
    except FileNotFoundError:
        raise ExtractionError("file disappeared before it could be read") from None
    except MemoryError:
        raise ExtractionError("too large to extract in memory", limited=True) from None
    except RecursionError:
        raise ExtractionError("damaged file (nested too deeply)") from None
    except OSError as exc:
        raise ExtractionError(f"cannot read: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not stop indexing
        raise ExtractionError(f"could not extract ({type(exc).__name__}: {str(exc)[:100]})") from None
    # A photo without writing, read by OCR, is no broken file: indexed with nothing to find.
    if not sink.has_text and not sink.ocr_waiting and not sink.ocr_read:
        raise ExtractionError(extractor.no_text)


def stopped_at(path: str, done: int, total: int) -> str:
    """Where a read that stopped part-way got to, for a paged format: " at page 181 of 270"; else ""."""
    extractor = extractor_of(path)
    if not total or extractor is None or not extractor.paged:
        return ""
    return f" at {extractor.unit} {done + 1} of {total}"


def unit_of(path: str | Path) -> Unit:
    """What a file's numbered parts are called ("page", "slide", "chapter", ...), by its type."""
    extractor = extractor_of(path)
    return extractor.unit if extractor is not None else "page"


def default_runner() -> Runner:
    """The runner the app and the CLI use: sandboxed worker processes (see pool.py)."""
    from . import pool

    return pool.default_runner()


__all__ = [
    "READER_VERSION",
    "REGISTRY",
    "TEXT_SUFFIXES",
    "Extracted",
    "ExtractionError",
    "default_runner",
    "extract",
    "extract_into",
    "extractor_of",
    "size_limit",
    "supported",
    "type_of",
    "unit_of",
]
