"""Folders and documents: what was scanned, its text and passages, and why a file failed."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Sequence
from hashlib import blake2b
from pathlib import Path

from ..context import keyword_context, model_input
from ..models import Chunk, Extracted, Heading, Page
from ..run_records import Skipped
from . import schema as sql
from .connection import Connected
from .messages import note_messages
from .ocr import note_ocr
from .records import DocRow, DocText, FolderRecord, IndexedDoc

log = logging.getLogger(__name__)


def text_hash(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def passage_hash(title: str, chunk: Chunk) -> str:
    """The key a passage's vector is stored and shared by: the hash of what the model embeds."""
    return text_hash(model_input(title, chunk.section, chunk.text))


class Documents(Connected):
    # -- folders ---------------------------------------------------------------------------------

    def add_folder(self, path: str, excludes: Sequence[str] = ()) -> int:
        self.conn.execute(sql.ADD_FOLDER, (path, json.dumps(list(excludes)), time.time()))
        return int(self.conn.execute(sql.FOLDER_ID, (path,)).fetchone()[0])

    def folders(self) -> list[FolderRecord]:
        return [
            FolderRecord(r[0], r[1], tuple(json.loads(r[2])), r[3], bool(r[4])) for r in self.conn.execute(sql.FOLDERS)
        ]

    def folder_id(self, path: str) -> int | None:
        row = self.conn.execute(sql.FOLDER_ID, (path,)).fetchone()
        return int(row[0]) if row else None

    def replace_skipped(self, folder_id: int, skipped: Iterable[Skipped]) -> None:
        """What the built-in rules left out of a folder at this scan, in place of the last scan's list."""
        with self.db.atomic():
            self.conn.execute(sql.DELETE_SKIPPED_OF_FOLDER, (folder_id,))
            self.conn.executemany(sql.INSERT_SKIPPED, ((folder_id, s.path, s.rule) for s in skipped))

    def remove_folder(self, folder_id: int) -> int:
        """Forget a folder and everything under it; returns the number of documents removed."""
        with self.db.atomic():
            n = self.conn.execute(sql.COUNT_DOCS_IN_FOLDER, (folder_id,)).fetchone()[0]
            self.conn.execute(sql.DELETE_FOLDER, (folder_id,))
            self.bump_vectors_version()
        return int(n)

    def vacuum(self) -> bool:
        """Give the space of what was deleted back to the disk; False when it could not be done now
        (a reader in the middle of a query, or too little room for the rewrite): the next removal tries
        again, and nothing is lost either way."""
        try:
            for statement in sql.VACUUM:
                self.conn.execute(statement)
        except sqlite3.OperationalError as exc:
            log.info("vacuum skipped: %s", exc)
            return False
        return True

    # -- documents -------------------------------------------------------------------------------

    def documents_in(self, folder_id: int) -> dict[str, DocRow]:
        return {r[1]: DocRow(*r) for r in self.conn.execute(sql.DOCS_IN_FOLDER, (folder_id,))}

    def document(self, path: str) -> DocRow | None:
        row = self.conn.execute(sql.DOC_BY_PATH, (path,)).fetchone()
        return DocRow(row[0], path, *row[1:]) if row else None

    def replace_document(
        self,
        *,
        folder_id: int,
        path: str,
        size: int,
        mtime: float,
        content_hash: str,
        extracted: Extracted,
        chunks: Sequence[Chunk],
        reader: int = 0,
        limited: bool = False,
        kind: str = "",
        first_lexical: int | None = None,
        attached_to: tuple[int, int] | None = None,
        ext: str | None = None,
    ) -> int:
        """Swap in a document's new text and passages in one transaction: readers see old or new, never a mix.
        A document read only in part (`extracted.partial`) keeps the reason as its error; `limited`: a
        limit of this machine cut it short (counted in `limit_tries`). `kind` and `first_lexical`: what
        the embedding budget makes of it (indexing/budget.py). `attached_to`: (the mail's document id,
        the message's number) for an attachment (core/attached.py). `ext`: its type, lower case without
        the dot, where it is not its path's suffix (a mailbox without one is "mbox": extract.type_of)."""
        title = extracted.title
        with self.db.atomic():
            if limited and (kept := self._better_reading(path, size, mtime, len(chunks))) is not None:
                return kept
            doc_id = self._upsert_doc(
                folder_id, path, size, mtime, content_hash, "indexed", extracted.partial, len(chunks), title,
                reader=reader, limited=limited, attached_to=attached_to, ext=ext,
            )  # fmt: skip
            pages = json.dumps([[p.number, p.start, p.end] for p in extracted.pages])
            headings = json.dumps([[h.level, h.title, h.start] for h in extracted.headings], ensure_ascii=False)
            self.conn.execute(sql.UPSERT_TEXT, (doc_id, extracted.text, pages, headings))
            self._swap_passages(doc_id, path, title, chunks)
            self.conn.execute(sql.SET_KIND, (kind, doc_id))
            self.conn.execute(sql.LABEL_DOC, (-1 if first_lexical is None else first_lexical, doc_id))
            note_ocr(self.conn, doc_id, content_hash, extracted)
            note_messages(self.conn, doc_id, extracted)
            self.bump_vectors_version()
        return doc_id

    def recut_document(
        self, doc: IndexedDoc, chunks: Sequence[Chunk], *, first_lexical: int | None, cut: str | None = None
    ) -> None:
        """A re-cut's new passages for a document (indexing/recut.py), in one transaction, made by `cut`
        (its recut_key). Only the passages change: the text, the mail messages, an attachment's mail,
        the pages waiting for OCR and the tries a limit counted are what the file's reading recorded,
        and a re-cut does not read it."""
        with self.db.atomic():
            self._swap_passages(doc.id, doc.path, doc.title, chunks)
            self.conn.execute(sql.SET_PASSAGE_COUNT, (len(chunks), time.time(), cut, doc.id))
            self.conn.execute(sql.LABEL_DOC, (-1 if first_lexical is None else first_lexical, doc.id))
            self.bump_vectors_version()

    def mark_failed(
        self,
        *,
        folder_id: int,
        path: str,
        size: int,
        mtime: float,
        content_hash: str | None,
        reason: str,
        reader: int = 0,
        limited: bool = False,
    ) -> int:
        """Record why a file could not be indexed; it is retried when it changes, once a newer reader
        (`reader`: the version that failed on it) might read it, or (`limited`: a limit of this
        machine stopped it) on the next runs, a few times."""
        with self.db.atomic():
            if limited and (kept := self._better_reading(path, size, mtime, 0)) is not None:
                return kept
            doc_id = self._upsert_doc(
                folder_id, path, size, mtime, content_hash, "failed", reason, 0, "", reader=reader, limited=limited
            )
            self.keep_attached(doc_id, ())
            self.conn.execute(sql.DELETE_PASSAGES_OF_DOC, (doc_id,))
            self.conn.execute(sql.DELETE_TEXT, (doc_id,))
            self.bump_vectors_version()
        return doc_id

    def touch(self, doc_id: int, size: int, mtime: float) -> None:
        """Same content, new mtime (a `touch` or a copy): remember it so the hash is not read again."""
        self.conn.execute(sql.TOUCH_DOC, (size, mtime, doc_id))

    def keep_attached(self, doc_id: int, paths: Sequence[str]) -> None:
        """Drop the mail file's attachments that are not in `paths` (after its new reading's are in, so an
        attachment that did not change keeps its vectors)."""
        self.conn.execute(sql.DELETE_ATTACHED_EXCEPT, (doc_id, json.dumps(list(paths))))

    def delete_documents(self, doc_ids: Iterable[int]) -> None:
        with self.db.atomic():
            self.conn.executemany(sql.DELETE_DOC, ((i,) for i in doc_ids))
            self.bump_vectors_version()

    def _swap_passages(self, doc_id: int, path: str, title: str, chunks: Sequence[Chunk]) -> None:
        """Replace a document's passages (inside the caller's transaction)."""
        old_max = self.conn.execute(sql.MAX_PASSAGE_OF_DOC, (doc_id,)).fetchone()[0]
        # New passages go in before the old ones leave, so a passage whose text did not change
        # takes its vector from its old self (by text hash) instead of being embedded again.
        self.conn.executemany(
            sql.INSERT_PASSAGE,
            (
                (
                    doc_id,
                    c.ordinal,
                    c.page,
                    c.char_start,
                    c.char_end,
                    c.text,
                    passage_hash(title, c),
                    c.section,
                    keyword_context(path, title, c.section),
                )
                for c in chunks
            ),
        )
        self.conn.execute(sql.DELETE_OLD_PASSAGES_OF_DOC, (doc_id, old_max))

    def _better_reading(self, path: str, size: int, mtime: float, n: int) -> int | None:
        """The id of a stored reading of this same file with more than `n` passages, counted as one
        more try; None when there is none (the new reading is stored)."""
        row = self.conn.execute(
            sql.KEEP_BETTER_READING, {"path": path, "size": size, "mtime": mtime, "n": n}
        ).fetchone()
        return int(row[0]) if row else None

    def _upsert_doc(
        self,
        folder_id: int,
        path: str,
        size: int,
        mtime: float,
        content_hash: str | None,
        status: str,
        error: str | None,
        n: int,
        title: str,
        *,
        reader: int,
        limited: bool,
        attached_to: tuple[int, int] | None = None,
        ext: str | None = None,
    ) -> int:
        params = {
            "folder_id": folder_id,
            "path": path,
            "ext": Path(path).suffix.lower().lstrip(".") if ext is None else ext,
            "size": size,
            "mtime": mtime,
            "hash": content_hash,
            "status": status,
            "error": error,
            "n_passages": n,
            "now": time.time(),
            "title": title,
            "reader": reader,
            "limited": int(limited),
            "parent_id": attached_to[0] if attached_to else None,
            "message": attached_to[1] if attached_to else None,
        }
        return int(self.conn.execute(sql.UPSERT_DOC, params).fetchone()[0])

    def doc_text(self, doc_id: int) -> DocText | None:
        row = self.conn.execute(sql.DOC_TEXT, (doc_id,)).fetchone()
        if row is None:
            return None
        pages = tuple(Page(*p) for p in json.loads(row[1]))
        return DocText(row[0], pages, tuple(Heading(*h) for h in json.loads(row[2])))

    # -- re-cutting ------------------------------------------------------------------------------

    def count_indexed(self) -> int:
        return int(self.conn.execute(sql.COUNT_INDEXED_DOCS).fetchone()[0])

    def indexed_after(self, doc_id: int, limit: int) -> list[IndexedDoc]:
        """Indexed documents with ids above `doc_id`, in id order (a cursor: ids only grow)."""
        return [IndexedDoc(*r) for r in self.conn.execute(sql.INDEXED_DOCS_AFTER, (doc_id, limit))]

    def not_cut_after(self, doc_id: int, limit: int, cut: str, data_folders: Iterable[int]) -> list[IndexedDoc]:
        """As indexed_after, only those whose passages `cut` did not make, and no data file outside
        `data_folders` (the folders whose data files get vectors)."""
        args = {"after": doc_id, "limit": limit, "cut": cut, "folders": json.dumps(sorted(data_folders))}
        return [IndexedDoc(*r) for r in self.conn.execute(sql.UNCUT_DOCS_AFTER, args)]

    def count_not_cut(self, cut: str, data_folders: Iterable[int]) -> int:
        """How many documents not_cut_after lists."""
        args = {"cut": cut, "folders": json.dumps(sorted(data_folders))}
        return int(self.conn.execute(sql.COUNT_UNCUT_DOCS, args).fetchone()[0])

    def doc_has_vectors(self, doc_id: int) -> bool:
        return self.conn.execute(sql.DOC_HAS_VECTORS, (doc_id,)).fetchone() is not None

    def mark_cut(self, doc_ids: Iterable[int], cut: str) -> None:
        """Record that `cut` would leave these documents' passages as they are."""
        with self.db.atomic():
            self.conn.executemany(sql.MARK_CUT, [(cut, i) for i in doc_ids])

    def passage_hashes(self, doc_id: int) -> list[str]:
        """The text hashes of a document's passages, in order."""
        return [r[0] for r in self.conn.execute(sql.PASSAGE_HASHES_OF_DOC, (doc_id,))]
