"""The window's search state without Qt: which query is current, what was said about it, which hit is previewed.

Answers arrive from the search thread tagged with the number of the query they answer; anything
but the newest is dropped. The empty-list text is decided here too, from typed notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..core.errors import JinaSearchError
from ..core.models import Hit, SearchNote


@dataclass
class SearchSession:
    seq: int = 0  # the newest query's number
    query: str = ""
    note: SearchNote = "ok"
    error: Exception | None = None
    preview_seq: int = 0  # the newest preview request's number
    preview_hit: Hit | None = None
    weak: list[Hit] = field(default_factory=list)  # the nearest hits of a query with no close match
    listed: list[Hit] = field(default_factory=list)  # the close hits, as listed

    def new_query(self, query: str) -> int:
        self.query = query
        self.weak, self.listed = [], []
        self.seq += 1
        return self.seq

    def answered(self, seq: int, note: SearchNote, error: Exception | None) -> bool:
        """Take the answer to query `seq`; False when a newer query was asked meanwhile."""
        if seq != self.seq:
            return False
        self.note, self.error = note, error
        return True

    def shown(self, hits: list[Hit]) -> list[Hit]:
        """The hits to list: the close ones; none when none is close (they wait in `weak`)."""
        close = [h for h in hits if h.close]
        self.weak = [] if close else list(hits)
        self.listed = close
        return close

    def same_file(self, hit: Hit) -> list[Hit]:
        """The listed hits (or the weak ones on show) of `hit`'s document: the preview's next and previous hit."""
        return [h for h in self.listed + self.weak if h.doc_id == hit.doc_id] or [hit]

    def preview(self, hit: Hit) -> int:
        """`hit` is selected: the number of the request for its document's text."""
        self.preview_seq += 1
        self.preview_hit = hit
        return self.preview_seq

    def sentence_arrived(self, spans: dict[int, tuple[int, int] | None]) -> Hit | None:
        """The previewed hit with its best sentence, when this page of sentences changed it; else None
        (a page usually brings the same None the hit already has, and a repaint re-lays out the document)."""
        shown = self.preview_hit
        if shown is None or spans.get(shown.passage_id, shown.sentence_span) == shown.sentence_span:
            return None
        self.preview_hit = replace(shown, sentence_span=spans[shown.passage_id])
        return self.preview_hit

    def error_text(self) -> str:
        """The search's failure as a person reads it."""
        exc = self.error
        if exc is None:
            return ""
        return str(exc) if isinstance(exc, JinaSearchError) else f"{type(exc).__name__}: {exc}"

    def empty_text(self, *, has_folders: bool, busy: bool, away: str | None = None) -> str:
        """What the results area says when it has no hits to show (rich text); `away`: the host passage
        text is sent to for embedding (the promise that everything stays here no longer holds)."""
        if not has_folders and not busy:
            stays = (
                "Everything stays on this computer."
                if away is None
                else f"The index stays on this computer; passage text is sent to {escape(away)} to be embedded."
            )
            return f"<b>Drag a folder here to search it.</b><br><br>Or use <i>Add folder…</i> on the left. {stays}"
        if not self.query:
            return "Type what you are looking for, in your own words."
        if self.note == "no-index":
            return "Nothing is indexed yet — the first files appear here as soon as they are read."
        if self.note == "indexing":
            return "Indexing has begun; nothing is committed yet. Search again in a moment."
        if self.weak:
            return (
                f"No close matches for <b>{escape(self.query)}</b>.<br><br>"
                f"Nothing in your documents is close in meaning or holds its words."
            )
        text = f"No passages match <b>{escape(self.query)}</b>."
        if self.note == "keyword-only":
            text += "<br><br>The language model is still loading: only exact words are searched so far."
        elif self.note == "model-mismatch":
            text += "<br><br>The index was built with another model: only exact words are searched."
        return text


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
