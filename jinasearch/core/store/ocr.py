"""What the store records of OCR: pages waiting for it, the folders it is off for, and what it read."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..models import Extracted
from . import schema as sql
from .connection import Connected


@dataclass(frozen=True)
class OcrWaiting:
    """A document with pages that OCR has not read yet."""

    path: str
    size: int
    mtime: float
    content_hash: str | None
    folder_id: int
    pages: int


@dataclass(frozen=True)
class OcrCounts:
    """For status: documents and pages waiting for OCR (and of those, documents whose folder has it off)."""

    documents: int = 0
    pages: int = 0
    off: int = 0
    read: int = 0  # pages OCR has read, in documents the index holds


def note_ocr(conn: sqlite3.Connection, doc_id: int, content_hash: str, extracted: Extracted) -> None:
    """A document's OCR after a reading (inside its transaction): what waits, and what was read."""
    conn.execute(sql.SET_OCR_WAITING, (len(extracted.ocr_waiting), doc_id))
    if extracted.ocr_read and content_hash:
        conn.executemany(sql.SAVE_OCR_PAGE, ((content_hash, n, t) for n, t in extracted.ocr_read))


class OcrPages(Connected):
    def set_ocr(self, folder_ids: Iterable[int], on: bool) -> list[int]:
        """Switch OCR for these folders; the ids whose switch moved."""
        return [fid for fid in folder_ids if self.conn.execute(sql.SET_OCR, (int(on), fid, int(on))).rowcount]

    def ocr_known_all(self) -> dict[str, tuple[str, tuple[tuple[int, str], ...]]]:
        """Every document OCR read pages of: path -> (the content hash they were read from, (page, text))."""
        found: dict[str, tuple[str, list[tuple[int, str]]]] = {}
        for path, digest, page, text in self.conn.execute(sql.OCR_KNOWN_ALL):
            found.setdefault(path, (digest, []))[1].append((int(page), str(text)))
        return {path: (digest, tuple(pages)) for path, (digest, pages) in found.items()}

    def ocr_waiting_docs(self, folder_ids: Sequence[int] | None = None) -> list[OcrWaiting]:
        """Documents with pages waiting for OCR in folders where it is on (these folders, or all);
        the fewest pages first, so that many small scans are found before one long book."""
        if folder_ids is None:
            rows = self.conn.execute(sql.OCR_WAITING_DOCS.format(where=""))
        else:
            where = f"AND d.folder_id IN ({','.join('?' * len(folder_ids))})"
            rows = self.conn.execute(sql.OCR_WAITING_DOCS.format(where=where), list(folder_ids))
        return [OcrWaiting(str(r[0]), int(r[1]), float(r[2]), r[3], int(r[4]), int(r[5])) for r in rows]

    def ocr_counts(self) -> OcrCounts:
        docs, pages, off = self.conn.execute(sql.OCR_COUNTS).fetchone()
        read = self.conn.execute(sql.OCR_PAGES_READ).fetchone()[0]
        return OcrCounts(int(docs), int(pages), int(off), int(read))

    def forget_ocr(self) -> None:
        """Drop what OCR read for bytes no document holds any more."""
        self.conn.execute(sql.FORGET_OCR)
