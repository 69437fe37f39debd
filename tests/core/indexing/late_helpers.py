"""Shared by the late chunking tests: the real model with its token-vector calls recorded, the model run
by hand (transformers, no jinasearch code), and the index's passages and vectors read back with SQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jinasearch.core.context import model_input
from tests.core.helpers import write


class Traced:
    """The real embedder, with every window it is asked token vectors for recorded (its length and the
    thread that asked) and, with `batch_size`, smaller write batches so a run stops or hands work to
    the background embedder sooner. The vectors are the model's own: nothing here is faked."""

    def __init__(self, inner: Any, batch_size: int | None = None) -> None:
        self.inner = inner
        self.batch_size = batch_size or inner.batch_size
        self.windows: list[int] = []
        self.threads: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def token_vectors(self, windows: Sequence[Sequence[int]]) -> list[np.ndarray]:
        self.windows.extend(len(w) for w in windows)
        self.threads.append(threading.current_thread().name)
        return self.inner.token_vectors(windows)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ByHand:
    """MiniLM loaded by transformers itself: the reference late chunking must agree with."""

    tokenizer: Any
    model: Any

    @classmethod
    def load(cls, path: str) -> ByHand:
        from transformers import AutoModel, AutoTokenizer

        return cls(AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval())

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [list(self.tokenizer(t, add_special_tokens=False)["input_ids"]) for t in texts]

    def hidden(self, ids: Sequence[int]) -> np.ndarray:
        """The last hidden state of every token of [CLS] ids [SEP]."""
        import torch

        full = [self.tokenizer.cls_token_id, *ids, self.tokenizer.sep_token_id]
        with torch.inference_mode():
            out = self.model(
                input_ids=torch.tensor([full]), attention_mask=torch.ones((1, len(full)), dtype=torch.long)
            )
        return out.last_hidden_state[0].float().numpy()  # type: ignore[no-any-return]

    def pooled(
        self, lengths: Sequence[int], flat: Sequence[int], start: int, end: int, which: Sequence[int]
    ) -> np.ndarray:
        """Passages `which` (by index into `lengths`) pooled from the window [start, end) of the document's
        tokens `flat`: the mean of their tokens' hidden states, [CLS] counted with a passage that opens
        the document and [SEP] with one that closes it (Günther et al. 2024, section 4.1), unit length."""
        hidden = self.hidden(flat[start:end])
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        out = []
        for i in which:
            s, e = int(bounds[i]), min(int(bounds[i + 1]), end)
            first = 0 if s == start == 0 else 1 + s - start
            last = 1 + e - start + (1 if int(bounds[i + 1]) == end == len(flat) else 0)
            v = hidden[first:last].mean(axis=0)
            out.append(v / np.linalg.norm(v))
        return np.stack(out)


@dataclass(frozen=True)
class StoredPassage:
    doc: str  # the file's name
    ord: int
    text: str  # the passage's own text
    model_input: str  # what the model reads for it (core/context.py)
    text_hash: str
    vector: np.ndarray | None


def stored_passages(db: Path) -> list[StoredPassage]:
    """Every passage of the index by file name and order, with its vector (None: none yet)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT d.path, p.ord, p.text, d.title, p.section, p.text_hash, p.vector "
            "FROM passages p JOIN documents d ON d.id = p.doc_id ORDER BY d.path, p.ord"
        ).fetchall()
    finally:
        con.close()
    return [
        StoredPassage(
            Path(path).name,
            ord_,
            text,
            model_input(title, section, text),
            h,
            None if blob is None else np.frombuffer(blob, dtype=np.float32),
        )
        for path, ord_, text, title, section, h, blob in rows
    ]


def unembedded(db: Path) -> int:
    """Passages meant to have a vector (not keyword-only) that have none."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT COUNT(*) FROM passages WHERE vector IS NULL AND lexical = 0").fetchone()[0])
    finally:
        con.close()


def meta(db: Path, key: str) -> str | None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    finally:
        con.close()
    return None if row is None else str(row[0])


_THINGS = ("the pump house", "the lower sluice", "the signal tower", "the old quay", "the east reservoir")
_DEEDS = ("was repainted", "flooded twice", "lost its roof", "got a new gate", "was surveyed again")


def write_long_note(path: Path, paragraphs: int, first: int = 0) -> Path:
    """A plain note of `paragraphs` distinct paragraphs (no headings), numbered from `first` (notes
    numbered apart share no text): with 64-token passages, four passages to about five paragraphs."""
    paras = [
        f"In year {1900 + p} {_THINGS[p % 5]} {_DEEDS[(p // 5) % 5]}; the keeper counted {p * 17 % 101} boats, "
        f"noted {p * 7 % 13} storms and sent {p + 3} letters to the council about the repairs it needed."
        for p in range(first, first + paragraphs)
    ]
    return write(path, "\n\n".join(paras))


# A machine named once, in the opening passage of its note; the later passages only say "it", "the
# device". The other note tells the same story of another machine, its blades passage leaning harder on
# the words of the question. Neither name is in a file name, a title or a heading (those go with every
# passage's model input, core/context.py, and would give the naive path the context too).
SUBJECT, OTHER = "Quorvex", "Pellam"
QUESTIONS = ("Quorvex turbine blades bronze alloy", "bronze alloy blades of the Quorvex turbine")


def _story(name: str, year: int, maker: str, place: str, kind: str, visit: str, blades: str) -> str:
    return "\n\n".join(
        [
            f"The {name} was built in {year} by {maker} for {place}. It was the first of its kind in the region, "
            "and people travelled from far away to see it working.",
            f"For decades it ran day and night without a single stop. Visitors admired the {kind} and wrote about "
            "its steady sound in the letters they sent home to their families.",
            "Every winter the crew took it apart, cleaned each piece and put it back together before the spring "
            "floods. Nobody could remember a season when this was skipped.",
            f"In the end the {kind} was moved to a museum, where children can still {visit} and watch it move "
            "slowly behind a glass wall.",
            blades,
        ]
    )


def write_subject_notes(root: Path) -> tuple[Path, Path]:
    """(the note about the Quorvex turbine, the note about the Pellam windmill), neutrally named."""
    subject = _story(
        "Quorvex turbine", 1931, "the engineer Halla Brisk", "the mills of a northern river valley", "device",
        "turn its crank by hand",
        "Its blades were cast from a bronze alloy that resisted the cold water. Workers greased the bearings "
        "every Sunday morning and kept a careful log of every repair.",
    )  # fmt: skip
    other = _story(
        "Pellam windmill", 1887, "the carpenter Odo Fenn", "a hill above a small coastal village", "structure",
        "climb its stairs",
        "Its blades were cast from a bronze alloy that resisted the salty wind. The bronze alloy blades were "
        "greased every Sunday morning, and a careful log of every repair was kept.",
    )  # fmt: skip
    return write(root / "notes-1.txt", subject), write(root / "notes-2.txt", other)
