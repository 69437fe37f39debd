"""OCR after the text layers: scanned pages and images are read once every other file is searchable.

OCR takes seconds a page, text layers milliseconds: read in one pass, one scanned book would hold back
keyword search of a whole folder. So the first reading of a file only notes its pages without a text
layer (extract/scanned.py); once the run's files are committed and their vectors made, this pass
reads those files again with an order to run OCR, fewest waiting pages first, and commits each as it
comes, like the first reading. What OCR read is kept by content hash (store/ocr.py): any later reading
of the same bytes, for a newer reader or a retry, takes it from there (reading.with_known).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from ..chunk import Chunking
from ..control import Control
from ..extract.runner import Runner
from ..models import FileInfo, OcrOrder
from ..run_records import Progress
from ..store import Store
from .background import BackgroundEmbedder
from .budget import EmbedPolicy
from .changes import Changes
from .reading import read_and_commit
from .tally import Tally


def ocr_pass(
    runner: Runner,
    store: Store,
    folder_ids: Sequence[int],
    cutting: Chunking,
    tally: Tally,
    control: Control,
    policy: EmbedPolicy,
    background: Callable[[], BackgroundEmbedder | None] = lambda: None,
) -> Iterator[Progress]:
    """Read by OCR the waiting pages of these folders' documents (where OCR is on for them); yields a
    Progress (task "ocr") per commit and adds what it read to `tally`."""
    with store.db.atomic():
        store.forget_ocr()  # what OCR read for files since changed or gone
    waiting = store.ocr_waiting_docs(folder_ids)
    if not waiting or control.cancelled:
        return
    from ..extract import ocr  # here, not at the top: it imports Pillow, which a run without scans never needs

    if not ocr.available():
        return  # the pages go on waiting; status says what to install
    changes = Changes(
        # What OCR read of these bytes before, if anything, read_and_commit adds (reading.with_known).
        work=[FileInfo(w.path, w.size, w.mtime, ocr=OcrOrder(run=True, digest=w.content_hash)) for w in waiting],
        folder_of={w.path: w.folder_id for w in waiting},
    )
    own = Tally(to_read=len(waiting))
    try:
        yield from read_and_commit(runner, changes, cutting, store, own, background, control, policy, task="ocr")
    finally:
        tally.added += own.added
        tally.failed += own.failed
        tally.errors.extend(own.errors)
        tally.ocr_read += own.indexed
