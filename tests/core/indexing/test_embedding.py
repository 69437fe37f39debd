"""The run's model calls are sliced so pause and cancel act between slices; identical texts are embedded once."""

from __future__ import annotations

from jinasearch.core.control import Control
from jinasearch.core.indexing.embedding import Encoder, distinct_by_length
from jinasearch.core.store import PendingPassage
from tests.fakes import FakeEmbedder


class CountingControl(Control):
    """Records each checkpoint (with how much was encoded by then) and cancels at the third."""

    def __init__(self, inner: FakeEmbedder) -> None:
        super().__init__(slice_s=0.25)
        self.inner = inner
        self.calls: list[int] = []

    def checkpoint(self) -> bool:
        self.calls.append(len(self.inner.encoded))
        if len(self.calls) == 3:
            self.cancel()
        return super().checkpoint()


def test_encoder_checks_the_control_between_slices_and_stops_when_cancelled() -> None:
    inner = FakeEmbedder()
    control = CountingControl(inner)
    enc = Encoder(inner, control)
    out = enc.encode(["a b", "c d"])
    assert out is not None and out.shape == (2, inner.dim)
    assert enc.encode([f"text {i}" for i in range(200)]) is None
    assert control.calls[0] == 0 and len(inner.encoded) < 202  # it stopped part-way


def test_without_slices_a_batch_is_one_model_call() -> None:
    inner = FakeEmbedder()
    out = Encoder(inner, Control()).encode([f"text {i}" for i in range(20)])
    assert out is not None and out.shape == (20, inner.dim) and inner.calls == 1


def test_distinct_texts_are_embedded_once_shortest_first() -> None:
    rows = [
        PendingPassage(1, "a longer text", "h1"),
        PendingPassage(2, "short", "h2"),
        PendingPassage(3, "a longer text", "h1"),
    ]
    assert distinct_by_length(rows) == [("h2", "short"), ("h1", "a longer text")]
    assert distinct_by_length(rows, skip={"h2"}) == [("h1", "a longer text")]


def test_late_writes_run_on_to_the_end_of_their_document() -> None:
    """A document is not cut between two late-chunking writes (its boundary window would be read twice)
    unless it alone holds more than 4 writes' rows; each passage alone keeps fixed-size writes."""
    from types import SimpleNamespace

    rows = [PendingPassage(i, f"t{i}", f"h{i}", doc_id=1 if i < 5 else 2, ord=i) for i in range(8)]
    emb = SimpleNamespace(batch_size=1, dim=4)
    naive = Encoder(emb, Control())  # type: ignore[arg-type]
    late = Encoder(emb, Control(), late=object())  # type: ignore[arg-type]  # a runner stand-in: only batching is asked
    assert [len(b) for b in naive.batches(rows)] == [1] * 8
    # batch_rows is 4 with late chunking: document 1 (5 rows) stays whole, document 2 (3 rows) follows.
    assert [[r.doc_id for r in b] for b in late.batches(rows)] == [[1] * 5, [2] * 3]
    long = [PendingPassage(i, f"t{i}", f"h{i}", doc_id=1, ord=i) for i in range(40)]
    assert [len(b) for b in late.batches(long)] == [16, 16, 8]  # the cap: 4 writes' rows
