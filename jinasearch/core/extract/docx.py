"""DOCX with python-docx: paragraphs and table cells in document order."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ExtractionError
from ..models import Extracted
from .base import check_size, clean_text

# A zip bomb expands a few KB into GBs; refuse archives whose declared content is absurd.
MAX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 200


def check_zip(path: Path) -> None:
    """Reject broken archives and decompression bombs before any parser touches them."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractionError(f"damaged file (not a valid zip container: {exc})") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise ExtractionError(
            f"refused: expands to {total / 1e6:.0f} MB from {packed / 1e6:.1f} MB (decompression bomb?)"
        )


class DocxExtractor:
    suffixes = (".docx",)

    def extract(self, path: Path) -> Extracted:
        check_size(path)
        check_zip(path)
        try:
            import docx
            from docx.table import Table
            from docx.text.paragraph import Paragraph

            document = docx.Document(str(path))
            parts: list[str] = []
            for block in document.iter_inner_content():
                if isinstance(block, Paragraph):
                    parts.append(block.text)
                elif isinstance(block, Table):
                    for row in block.rows:
                        cells = [c.text.strip() for c in row.cells]
                        parts.append(" | ".join(c for c in cells if c))
        except ExtractionError:
            raise
        except Exception as exc:  # noqa: BLE001 - python-docx raises many types on damaged files
            raise ExtractionError(f"damaged DOCX ({type(exc).__name__})") from None
        return Extracted(text=clean_text("\n\n".join(p for p in parts if p.strip())))
