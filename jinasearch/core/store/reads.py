"""What searches and status views read: keyword matches, filters, hit rows, counts, failed files."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from ..cjk import has_cjk
from ..cjk import match as cjk_match
from ..language import FTS_PIECE_RE
from ..models import Filters
from ..run_records import FailedFile, FolderStats, Skipped
from . import schema as sql
from .connection import Connected
from .records import Counts, HitRow, Neighbour


def under(folder: str) -> str:
    """A LIKE-free prefix test value: documents under `folder` have paths starting with folder + sep."""
    return folder.rstrip(os.sep) + os.sep


def filter_sql(f: Filters, mail: bool = True) -> tuple[str, list[object]]:
    """A WHERE clause over documents `d` for the filters, and its parameters. `mail`: the index holds
    mail messages, whose own dates a date filter reads (3-4x the cost of the file's date alone)."""
    where: list[str] = []
    params: list[object] = []
    if f.folder:
        where.append(sql.FILTER_FOLDER)
        prefix = under(os.path.abspath(f.folder))
        params += [len(prefix), prefix]
    if f.exts:
        where.append(sql.FILTER_EXTS.format(marks=",".join("?" * len(f.exts))))
        params += [e.lower().lstrip(".") for e in f.exts]
    if f.modified_after is not None:
        where.append(sql.FILTER_AFTER if mail else sql.FILTER_FILE_AFTER)
        params.append(f.modified_after)
    if f.modified_before is not None:
        where.append(sql.FILTER_BEFORE if mail else sql.FILTER_FILE_BEFORE)
        params.append(f.modified_before)
    for clause, text in ((sql.FILTER_SENDER, f.sender), (sql.FILTER_SUBJECT, f.subject)):
        if text is not None:
            where.append(clause)
            params.append(text.lower())
    for clause, words, join in ((sql.FILTER_HAS, f.phrases, " AND "), (sql.FILTER_LACKS, f.excluded, " OR ")):
        if words:
            where.append(clause)
            # In parentheses: a CJK word's match brings its own column filter ({cjk cjk_context}), and
            # FTS5 takes a second filter only before a parenthesised expression, where the inner one
            # narrows the outer (SQLite's "FTS5", section "FTS5 Column Filters"): the cjk column.
            params.append(join.join(f"{TEXT_COLUMNS} : ({phrase_match(w)})" for w in words))
    return " AND ".join(where) or "1", params


# A passage's own text and its CJK bigrams, not its context (file name, title, headings): a phrase or
# an excluded word is looked for in what the hit shows.
TEXT_COLUMNS = "{text cjk}"


def phrase_match(words: str) -> str:
    """An FTS5 phrase for `words`, which FTS5 cuts and stems as it did the text; with CJK in it, every
    word's runs as core/cjk.py looks them up (each run a substring, the words in any order)."""
    if not has_cjk(words):
        return '"' + words.replace('"', '""') + '"'
    pieces = [p for p in FTS_PIECE_RE.findall(words) if p != "_"]
    return cjk_match(pieces) if pieces else '""'


class Reads(Connected):
    def _has_mail(self, f: Filters) -> bool:
        dated = f.modified_after is not None or f.modified_before is not None
        return dated and self.conn.execute(sql.HAS_MESSAGES).fetchone()[0] == 1

    # -- search support --------------------------------------------------------------------------

    def filtered_ids(self, f: Filters) -> np.ndarray:
        where, params = filter_sql(f, self._has_mail(f))
        rows = self.conn.execute(sql.FILTERED_IDS.format(where=where), params)
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def keyword(
        self, match: str, k: int, f: Filters | None = None, context_weight: float = 1.0
    ) -> list[tuple[int, float]]:
        """FTS5 BM25 search over the text and (weighted) context columns; (passage_id, score), higher = better."""
        filt, params = "", []
        if f:
            where, params = filter_sql(f, self._has_mail(f))
            filt = sql.KEYWORD_FILTER.format(where=where)
        query = sql.KEYWORD.format(filter=filt, context_weight=float(context_weight))
        rows = self.conn.execute(query, [match, *params, k]).fetchall()
        # bm25() is lower-is-better (negative); flip it so every retriever scores higher-is-better.
        return [(int(r[0]), -float(r[1])) for r in rows]

    def doc_freq(self, match: str, cap: int) -> int:
        """Passages matching an FTS5 expression, counted up to `cap`."""
        return int(self.conn.execute(sql.DOC_FREQ, (match, cap)).fetchone()[0])

    def hit_rows(self, ids: Sequence[int]) -> dict[int, HitRow]:
        if not ids:
            return {}
        q = sql.HITS_FOR.format(ids=",".join("?" * len(ids)))
        return {r[0]: HitRow(*r[:-1], lexical=bool(r[-1])) for r in self.conn.execute(q, list(ids))}

    def neighbours(self, ids: Sequence[int], query: np.ndarray, excluded: Sequence[str] = ()) -> list[Neighbour]:
        """The passages before and after each of `ids` in its document, section and page, with their
        and its cosine with `query`; none without a vector, or holding one of the `excluded` words."""
        if not ids:
            return []
        where, params = filter_sql(Filters(excluded=tuple(excluded)), mail=False)
        q = sql.NEIGHBOURS_OF.format(ids=",".join("?" * len(ids)), filter=where)
        out = []
        for of, own, pid, side, start, end, text, vec in self.conn.execute(q, [*ids, *params]):
            if len(vec) != 4 * len(query) or len(own) != len(vec):  # another model's vector: no cosine
                continue
            cosine = float(np.frombuffer(vec, dtype=np.float32) @ query)
            mine = float(np.frombuffer(own, dtype=np.float32) @ query)
            out.append(Neighbour(of, pid, side, start, end, text, cosine, mine))
        return out

    def docs_of(self, ids: Sequence[int]) -> dict[int, int]:
        """Each passage id's document id: a read of the passages' b-tree alone, no text."""
        if not ids:
            return {}
        q = sql.DOCS_OF.format(ids=",".join("?" * len(ids)))
        return {int(pid): int(doc) for pid, doc in self.conn.execute(q, list(ids))}

    def copies(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """For each passage id, the paths of the other documents holding the same passage, by path."""
        out: dict[int, list[str]] = {}
        if ids:
            for pid, path in self.conn.execute(sql.COPIES_OF.format(ids=",".join("?" * len(ids))), list(ids)):
                out.setdefault(int(pid), []).append(path)
        return out

    # -- status ----------------------------------------------------------------------------------

    def passage_count(self) -> int:
        """Passages in the index: one b-tree count (~0.04 ms at 100k), fit for every query."""
        return int(self.conn.execute(sql.PASSAGE_COUNT).fetchone()[0])

    def file_types(self) -> list[str]:
        """The suffixes (lowercase, no dot) of the files that have passages."""
        return [r[0] for r in self.conn.execute(sql.FILE_TYPES)]

    def counts(self) -> Counts:
        return Counts(*(int(x) for x in self.conn.execute(sql.COUNTS).fetchone()))

    def folder_stats(self) -> list[FolderStats]:
        waiting = {r[0]: r[1:] for r in self.conn.execute(sql.PENDING_BY_FOLDER)}
        out = []
        for r in self.conn.execute(sql.FOLDER_STATS):
            pending, lexical, lexical_files = waiting.get(r[0], (0, 0, 0))
            fid, path, files, failed, passages, embed_data, data_files, ocr, ocr_waiting = r
            out.append(
                FolderStats(
                    fid,
                    path,
                    files,
                    failed,
                    passages,
                    bool(embed_data),
                    data_files,
                    pending=pending,
                    keyword_only=lexical,
                    keyword_only_files=lexical_files,
                    ocr=bool(ocr),
                    ocr_waiting=ocr_waiting,
                )  # fmt: skip
            )
        return out

    def failed(self, folder_id: int | None = None) -> list[FailedFile]:
        if folder_id is None:
            return [FailedFile(r[0], r[1]) for r in self.conn.execute(sql.FAILED_DOCS.format(folder=""))]
        q = sql.FAILED_DOCS.format(folder="AND folder_id = ?")
        return [FailedFile(r[0], r[1]) for r in self.conn.execute(q, (folder_id,))]

    def skipped(self) -> list[Skipped]:
        """Folders and files the built-in rules left out, in path order."""
        # An index not yet brought up to date by a writer has no such table: nothing was recorded.
        if self.conn.execute(sql.HAS_TABLE, ("skipped",)).fetchone() is None:
            return []
        return [Skipped(r[0], r[1]) for r in self.conn.execute(sql.SKIPPED)]
