"""What a run must read: scan the roots, compare with what the store knows, forget files that are gone."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..config import LIMIT_TRIES, Settings
from ..extract import READER_VERSION, supported
from ..models import FileInfo
from ..run_records import Progress, Skipped
from ..scan import record_path, scan
from ..store import Store
from .tally import Tally

# A scan Progress every this many files, so a big folder shows it is being walked.
SCAN_PROGRESS_EVERY = 500


@dataclass
class Changes:
    """Files to (re)read, the folder each belongs to, and the content hash already stored for each."""

    work: list[FileInfo] = field(default_factory=list)
    folder_of: dict[str, int] = field(default_factory=dict)
    known: dict[str, str | None] = field(default_factory=dict)
    # Unchanged, indexed files an older extraction read: read again after the run's own work, their new
    # passages swapped in only with their vectors, so search by meaning never loses them (refresh.py).
    stale: list[FileInfo] = field(default_factory=list)
    roots: list[int] = field(default_factory=list)  # the folder id of each root
    root_path: dict[int, str] = field(default_factory=dict)  # each root's path, by folder id


def find_changes(store: Store, roots: Sequence[str], settings: Settings, tally: Tally) -> Iterator[Progress]:
    """Scan `roots`; yields scan Progress and returns the Changes (`changes = yield from ...`).

    A file is read again when its size or mtime differs from the stored ones (its content hash then
    decides whether anything changed). Failed files are not retried until they change, except those a
    limit of this machine stopped (config.LIMIT_TRIES runs at most). Documents no
    longer found under a root are deleted here, one transaction per root; what the built-in rules
    skipped under it replaces the root's list from its last scan."""
    changes = Changes()
    for root in roots:
        folder_id = store.add_folder(record_path(root), settings.excludes)
        changes.roots.append(folder_id)
        changes.root_path[folder_id] = root
        existing = store.documents_in(folder_id)
        seen: set[str] = set()
        skipped: list[Skipped] = []
        for info in scan(
            [root],
            excludes=settings.excludes,
            accept=supported,
            on_error=lambda p, r: tally.errors.append((p, r)),
            default_excludes=settings.default_excludes,
            on_skip=skipped.append,
        ):
            tally.scanned += 1
            seen.add(info.path)
            row = existing.get(info.path)
            # A limit of this machine (time, memory) cut the last reading short: try again, a few times.
            again = row is not None and 0 < row.limit_tries < LIMIT_TRIES
            current = row is not None and row.reader >= READER_VERSION and not again
            same = row is not None and row.size == info.size and row.mtime == info.mtime
            if same and current:
                # Failed files too: retried when they change, or once when a newer reader comes.
                tally.skipped += 1
            elif same and row is not None and row.status == "indexed" and not again:
                changes.stale.append(info)
                changes.folder_of[info.path] = folder_id
            else:
                changes.work.append(info)
                changes.folder_of[info.path] = folder_id
                # The stored hash lets an unchanged file be skipped, unless an older extraction read it.
                changes.known[info.path] = row.hash if row is not None and row.status == "indexed" and current else None
            if tally.scanned % SCAN_PROGRESS_EVERY == 0:
                yield Progress(phase="scan", files_total=tally.scanned, current=info.path)
        store.replace_skipped(folder_id, skipped)
        tally.excluded += len(skipped)
        gone = [row.id for path, row in existing.items() if path not in seen]
        if gone:
            store.delete_documents(gone)
            tally.removed += len(gone)
    tally.to_read = len(changes.work)
    return changes
