"""PDF with pypdf, keeping page numbers so a hit can say "page 212" and open there."""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import ExtractionError
from ..models import Extracted, Page
from .base import check_size, clean_text

# pypdf is chatty about every malformed object; the file's fate is reported once, by us.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MAX_PAGES = 5000


class PdfExtractor:
    suffixes = (".pdf",)

    def extract(self, path: Path) -> Extracted:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

        check_size(path)
        try:
            reader = PdfReader(str(path), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except DependencyError:
                    raise ExtractionError("encrypted PDF (needs the 'cryptography' package)") from None
                if not ok:
                    raise ExtractionError("encrypted PDF: a password is needed to open it")
            pages = reader.pages
            n = len(pages)
        except ExtractionError:
            raise
        except FileNotDecryptedError:
            raise ExtractionError("encrypted PDF: a password is needed to open it") from None
        except (
            PdfReadError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            RecursionError,
            OSError,
            AssertionError,
        ) as exc:
            raise ExtractionError(f"damaged PDF ({type(exc).__name__}: {_short(exc)})") from None

        parts: list[str] = []
        spans: list[Page] = []
        pos = 0
        bad_pages = 0
        for i in range(min(n, MAX_PAGES)):
            try:
                raw = pages[i].extract_text() or ""
            except Exception:  # noqa: BLE001 - one broken page must not cost the others
                bad_pages += 1
                raw = ""
            text = clean_text(raw)
            if not text:
                continue
            if parts:
                parts.append("\n\n")
                pos += 2
            spans.append(Page(number=i + 1, start=pos, end=pos + len(text)))
            parts.append(text)
            pos += len(text)
        if not spans:
            if n and bad_pages == n:
                raise ExtractionError("damaged PDF: no page could be read")
            raise ExtractionError("no text in PDF (scanned images need OCR, which is not supported)")
        return Extracted(text="".join(parts), pages=tuple(spans))


def _short(exc: BaseException) -> str:
    msg = str(exc).splitlines()[0] if str(exc) else ""
    return msg[:120]
