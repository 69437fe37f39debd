"""SQLite through sqlite-utils: the source of truth for documents, passages, vectors and settings."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path

import numpy as np

from ..models import Chunk, Extracted, Page
from . import recovery
from . import schema as sql


@dataclass(frozen=True)
class DocRow:
    id: int
    path: str
    size: int
    mtime: float
    hash: str | None
    status: str


@dataclass(frozen=True)
class FolderStats:
    id: int
    path: str
    files: int
    failed: int
    passages: int
    pending: int = 0  # passages still without a vector (keyword-searchable only)


@dataclass(frozen=True)
class Filters:
    """Search filters; all optional and combined with AND."""

    folder: str | None = None
    exts: tuple[str, ...] = ()
    modified_after: float | None = None
    modified_before: float | None = None

    def __bool__(self) -> bool:
        return bool(self.folder or self.exts or self.modified_after is not None or self.modified_before is not None)


def text_hash(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def under(folder: str) -> str:
    """A LIKE-free prefix test value: documents under `folder` have paths starting with folder + sep."""
    return folder.rstrip(os.sep) + os.sep


class Store:
    """One connection. The indexer owns a writable Store; each searcher opens its own for reading."""

    def __init__(self, path: Path | str, *, readonly: bool = False, lock_held: bool = False) -> None:
        """Open (creating if needed). A damaged database is set aside and a fresh one started, never a
        crash loop: `notice` then says what happened. `lock_held`: the caller holds the indexer lock."""
        self.path = Path(path)
        self.readonly = readonly
        self.notice: str | None = None
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            if readonly or not recovery.is_corruption(exc):
                raise
            self.notice = recovery.set_aside(self.path, str(exc), lock_held=lock_held)
            self._open()

    def _open(self) -> None:
        import sqlite_utils

        if self.readonly:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None)
        else:
            conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        try:
            for pragma in sql.PRAGMAS:
                if self.readonly and "journal_mode" in pragma:
                    continue
                conn.execute(pragma)
            # Reading the schema touches the header and the first page: garbage fails here, at open.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self.db = sqlite_utils.Database(conn)
            if not self.readonly:
                self._migrate()
        except BaseException:
            conn.close()
            raise

    def recover_if_damaged(self) -> str | None:
        """Run SQLite's quick_check (reads every page: once per indexing run, not per query); a damaged
        database is set aside and this Store reopened on a fresh one. Call with the indexer lock held."""
        problem = recovery.quick_check(self.conn)
        if problem is None:
            return None
        self.close()
        self.notice = recovery.set_aside(self.path, problem, lock_held=True)
        self._open()
        return self.notice

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for i, script in enumerate(sql.MIGRATIONS[version:], start=version + 1):
            # executescript commits first; wrap each step so a crash mid-migration leaves the old schema.
            # A new database starts its vectors_version at a clock value, not 0: a FAISS cache left over
            # from a deleted or set-aside database can then never pass for this one's.
            first = (
                f"INSERT OR IGNORE INTO meta(key, value) VALUES ('vectors_version', '{time.time_ns() // 1000}');"
                if i == 1
                else ""
            )
            try:
                self.conn.executescript(f"BEGIN;\n{script}\n{first}\nPRAGMA user_version = {i};\nCOMMIT;")
            except sqlite3.OperationalError:
                # Two processes opening a new database at once (the app and the CLI): the other one
                # migrated first and our step hit its tables. Start again from the version it left.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if self.conn.execute("PRAGMA user_version").fetchone()[0] >= i:
                    self._migrate()
                    return
                raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one committed state (WAL): a query never mixes before and after a commit,
        e.g. a model switch's swap. Nested use joins the outer transaction."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")  # nothing was written: this only ends the snapshot

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- meta ------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute(sql.GET_META, (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(sql.SET_META, (key, value))

    def model_info(self) -> tuple[str, int] | None:
        name, dim = self.get_meta("model"), self.get_meta("dim")
        return (name, int(dim)) if name and dim else None

    def set_model(self, name: str, dim: int) -> None:
        with self.db.atomic():
            self.set_meta("model", name)
            self.set_meta("dim", str(dim))

    def vectors_version(self) -> int:
        return int(self.get_meta("vectors_version") or 0)

    # -- folders ---------------------------------------------------------------------------------

    def add_folder(self, path: str, excludes: Sequence[str] = ()) -> int:
        self.conn.execute(sql.ADD_FOLDER, (path, json.dumps(list(excludes)), time.time()))
        return int(self.conn.execute("SELECT id FROM folders WHERE path = ?", (path,)).fetchone()[0])

    def folders(self) -> list[tuple[int, str, list[str]]]:
        return [(r[0], r[1], json.loads(r[2])) for r in self.conn.execute(sql.FOLDERS)]

    def folder_stats(self) -> list[FolderStats]:
        pending = dict(self.conn.execute(sql.PENDING_BY_FOLDER).fetchall())
        return [FolderStats(*r, pending=pending.get(r[0], 0)) for r in self.conn.execute(sql.FOLDER_STATS)]

    def folder_id(self, path: str) -> int | None:
        row = self.conn.execute("SELECT id FROM folders WHERE path = ?", (path,)).fetchone()
        return int(row[0]) if row else None

    def remove_folder(self, folder_id: int) -> int:
        """Forget a folder and everything under it; returns the number of documents removed."""
        with self.db.atomic():
            n = self.conn.execute("SELECT COUNT(*) FROM documents WHERE folder_id = ?", (folder_id,)).fetchone()[0]
            self.conn.execute(sql.DELETE_FOLDER, (folder_id,))
            self.conn.execute(sql.BUMP_VECTORS_VERSION)
        return int(n)

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
    ) -> int:
        """Swap in a document's new text and passages in one transaction: readers see old or new, never a mix."""
        with self.db.atomic():
            doc_id = self._upsert_doc(folder_id, path, size, mtime, content_hash, "indexed", None, len(chunks))
            old_max = self.conn.execute(sql.MAX_PASSAGE_OF_DOC, (doc_id,)).fetchone()[0]
            pages = json.dumps([[p.number, p.start, p.end] for p in extracted.pages])
            self.conn.execute(sql.UPSERT_TEXT, (doc_id, extracted.text, pages))
            # New passages go in before the old ones leave, so a passage whose text did not change
            # takes its vector from its old self (by text hash) instead of being embedded again.
            self.conn.executemany(
                sql.INSERT_PASSAGE,
                ((doc_id, c.ordinal, c.page, c.char_start, c.char_end, c.text, text_hash(c.text)) for c in chunks),
            )
            self.conn.execute(sql.DELETE_OLD_PASSAGES_OF_DOC, (doc_id, old_max))
            self.conn.execute(sql.BUMP_VECTORS_VERSION)
        return doc_id

    def mark_failed(
        self, *, folder_id: int, path: str, size: int, mtime: float, content_hash: str | None, reason: str
    ) -> int:
        """Record why a file could not be indexed; it is retried only when its size or mtime changes."""
        with self.db.atomic():
            doc_id = self._upsert_doc(folder_id, path, size, mtime, content_hash, "failed", reason, 0)
            self.conn.execute(sql.DELETE_PASSAGES_OF_DOC, (doc_id,))
            self.conn.execute(sql.DELETE_TEXT, (doc_id,))
            self.conn.execute(sql.BUMP_VECTORS_VERSION)
        return doc_id

    def touch(self, doc_id: int, size: int, mtime: float) -> None:
        """Same content, new mtime (a `touch` or a copy): remember it so the hash is not read again."""
        self.conn.execute(sql.TOUCH_DOC, (size, mtime, doc_id))

    def delete_documents(self, doc_ids: Iterable[int]) -> None:
        with self.db.atomic():
            self.conn.executemany(sql.DELETE_DOC, ((i,) for i in doc_ids))
            self.conn.execute(sql.BUMP_VECTORS_VERSION)

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
    ) -> int:
        params = {
            "folder_id": folder_id,
            "path": path,
            "ext": Path(path).suffix.lower().lstrip("."),
            "size": size,
            "mtime": mtime,
            "hash": content_hash,
            "status": status,
            "error": error,
            "n_passages": n,
            "now": time.time(),
        }
        return int(self.conn.execute(sql.UPSERT_DOC, params).fetchone()[0])

    def doc_text(self, doc_id: int) -> tuple[str, tuple[Page, ...]] | None:
        row = self.conn.execute(sql.DOC_TEXT, (doc_id,)).fetchone()
        if row is None:
            return None
        return row[0], tuple(Page(*p) for p in json.loads(row[1]))

    # -- vectors ---------------------------------------------------------------------------------

    def pending(self, limit: int) -> list[tuple[int, str, str]]:
        """Passages still waiting for a vector (oldest first): (id, text, text_hash)."""
        return [(r[0], r[1], r[2]) for r in self.conn.execute(sql.PENDING, (limit,))]

    def count_pending(self) -> int:
        return int(self.conn.execute(sql.COUNT_PENDING).fetchone()[0])

    def set_vectors(self, hashes: Sequence[str], vectors: np.ndarray) -> int:
        """Store one vector per distinct text; every pending passage with that text gets it."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        with self.db.atomic():
            cur = self.conn.executemany(
                sql.SET_VECTOR_BY_HASH, ((vectors[i].tobytes(), h) for i, h in enumerate(hashes))
            )
            self.conn.execute(sql.BUMP_VECTORS_VERSION)
        return int(cur.rowcount)

    def vector_ids(self) -> np.ndarray:
        """Sorted ids of passages that have a vector: every id minus the pending ones.

        Asked on the first search after each commit while indexing runs. Testing `vector IS NOT
        NULL` reads every row's blob (157 ms at 100k); all ids come from a small covering index and
        the pending ones from the partial index, fetched as one string (43 ms)."""
        every = _id_array(self.conn.execute(sql.ALL_IDS).fetchone()[0])
        pending = _id_array(self.conn.execute(sql.PENDING_IDS).fetchone()[0])
        every.sort()
        return np.setdiff1d(every, pending, assume_unique=True) if len(pending) else every

    def iter_vectors(self, dim: int, page: int = 20_000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, matrix) pages of every stored vector, in id order, for building the FAISS cache."""
        last = -1
        while True:
            rows = self.conn.execute(sql.VECTORS_PAGE, (last, page)).fetchall()
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
            yield ids, mat
            last = int(ids[-1])

    def vectors_for(self, ids: Sequence[int], dim: int) -> tuple[np.ndarray, np.ndarray]:
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)
        q = sql.VECTORS_FOR.format(ids=",".join("?" * len(ids)))
        rows = self.conn.execute(q, list(ids)).fetchall()
        out_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
        return out_ids, mat

    # -- search support --------------------------------------------------------------------------

    def _filter_sql(self, f: Filters) -> tuple[str, list[object]]:
        where: list[str] = []
        params: list[object] = []
        if f.folder:
            where.append("substr(d.path, 1, ?) = ?")
            prefix = under(os.path.abspath(f.folder))
            params += [len(prefix), prefix]
        if f.exts:
            where.append(f"d.ext IN ({','.join('?' * len(f.exts))})")
            params += [e.lower().lstrip(".") for e in f.exts]
        if f.modified_after is not None:
            where.append("d.mtime >= ?")
            params.append(f.modified_after)
        if f.modified_before is not None:
            where.append("d.mtime <= ?")
            params.append(f.modified_before)
        return " AND ".join(where) or "1", params

    def filtered_ids(self, f: Filters) -> np.ndarray:
        where, params = self._filter_sql(f)
        rows = self.conn.execute(sql.FILTERED_IDS.format(where=where), params)
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def keyword(self, match: str, k: int, f: Filters | None = None) -> list[tuple[int, float]]:
        """FTS5 BM25 search; returns (passage_id, score) with higher = better."""
        filt, params = "", []
        if f:
            where, params = self._filter_sql(f)
            filt = f"AND rowid IN (SELECT p.id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE {where})"
        rows = self.conn.execute(sql.KEYWORD.format(filter=filt), [match, *params, k]).fetchall()
        # bm25() is lower-is-better (negative); flip it so every retriever scores higher-is-better.
        return [(int(r[0]), -float(r[1])) for r in rows]

    def doc_freq(self, match: str, cap: int) -> int:
        """Passages matching an FTS5 expression, counted up to `cap`."""
        return int(self.conn.execute(sql.DOC_FREQ, (match, cap)).fetchone()[0])

    def hit_rows(self, ids: Sequence[int]) -> dict[int, tuple]:
        if not ids:
            return {}
        q = sql.HITS_FOR.format(ids=",".join("?" * len(ids)))
        return {r[0]: r for r in self.conn.execute(q, list(ids))}

    # -- status ----------------------------------------------------------------------------------

    def passage_count(self) -> int:
        """Passages in the index: one b-tree count (~0.04 ms at 100k), fit for every query."""
        return int(self.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0])

    def counts(self) -> dict[str, int]:
        row = self.conn.execute(sql.COUNTS).fetchone()
        return dict(zip(("folders", "indexed", "failed", "passages", "embedded"), (int(x) for x in row)))

    def failed(self, folder_id: int | None = None) -> list[tuple[str, str]]:
        if folder_id is None:
            return [(r[0], r[1]) for r in self.conn.execute(sql.FAILED_DOCS.format(folder=""))]
        q = sql.FAILED_DOCS.format(folder="AND folder_id = ?")
        return [(r[0], r[1]) for r in self.conn.execute(q, (folder_id,))]


def _id_array(joined: str | None) -> np.ndarray:
    """int64 ids from SQLite's group_concat (one string instead of a Python object per row)."""
    return np.array(joined.split(","), dtype=np.int64) if joined else np.zeros(0, dtype=np.int64)
