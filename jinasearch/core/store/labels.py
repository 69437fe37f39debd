"""What the store records of the embedding budget: document kinds, folder switches, keyword-only passages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from . import schema as sql
from .connection import Connected
from .records import BudgetDoc


class Labels(Connected):
    def set_embed_data(self, folder_ids: Iterable[int], on: bool) -> list[int]:
        """Switch "also search data files by meaning" for these folders; the ids whose switch moved."""
        return [fid for fid in folder_ids if self.conn.execute(sql.SET_EMBED_DATA, (int(on), fid, int(on))).rowcount]

    def label_doc(self, doc_id: int, first_lexical: int | None) -> None:
        """Keep a document's passages from ordinal `first_lexical` on for keyword search only (None: none)."""
        first = -1 if first_lexical is None else first_lexical
        self.conn.execute(sql.LABEL_DOC, (first, doc_id))

    def set_kind(self, doc_id: int, kind: str) -> None:
        self.conn.execute(sql.SET_KIND, (kind, doc_id))

    def budget_docs(self, folder_ids: Sequence[int] | None = None) -> list[BudgetDoc]:
        """Indexed documents (of these folders, or all) as the budget labels them."""
        if folder_ids is None:
            return [BudgetDoc(*r) for r in self.conn.execute(sql.DOCS_FOR_BUDGET.format(where=""))]
        where = f"AND folder_id IN ({','.join('?' * len(folder_ids))})"
        return [BudgetDoc(*r) for r in self.conn.execute(sql.DOCS_FOR_BUDGET.format(where=where), list(folder_ids))]

    def unclassified(self, after: int, limit: int, chars: int) -> list[tuple[int, str, str]]:
        """(id, suffix, start of its text) of documents not yet classified, in id order after `after`."""
        rows = self.conn.execute(sql.UNCLASSIFIED, (chars, after, limit)).fetchall()
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]
