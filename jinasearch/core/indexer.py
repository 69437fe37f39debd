"""The indexing facade: a generator of Progress that wires scan -> extract -> chunk -> store -> embed.

Files become keyword-searchable as soon as their passages are committed (FTS5 is filled by
trigger); vectors follow in batches. Every write is one transaction, so a run stopped at any
point (cancel, crash, power cut) leaves a consistent index that the next run simply continues:
unchanged files are skipped and passages still without vectors are embedded.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .chunk import Chunking
from .config import Settings, ensure_data_dir
from .embed import Embedder, load_embedder
from .embed.tokenizer import EstimatedTokenizer
from .errors import IndexBusyError, ModelMismatchError, ModelUnavailableError, PathMissingError
from .extract import supported
from .extract.runner import InlineRunner, Result, Runner, cut, ready_batches
from .models import FileInfo, IndexSummary, Progress
from .overlap import Overlap
from .rechunk import RECHUNK_TO, chunking, rechunk_all
from .reembed import stage_all
from .scan import record_path, scan
from .store import Store, VectorIndex
from .store.recovery import disk_error
from .store.staging import Staging
from .store.vectors import cleanup_temp_files, read_header

log = logging.getLogger(__name__)

EmbedderFactory = Callable[[str, str], Embedder]
# Embed in slices of one model batch so a cancel or pause waits for at most one batch.
EMBED_WINDOW = 1024
# While extracting, hand the embedding thread this many model batches at a time (0: no overlap).
OVERLAP_BATCHES = 4
# Files committed in one transaction, when the runner already has that many ready: one commit (and
# one FTS5 segment) per file made SQLite this thread's largest cost with a fast GPU. A lone file is
# still committed at once, so keyword search never waits for a batch to fill.
COMMIT_FILES = 16


# Database path -> signature of its files when this process last finished a checked run on it.
_CHECKED: dict[str, tuple[tuple[int, int, int] | None, ...]] = {}


def _db_signature(path: Path) -> tuple[tuple[int, int, int] | None, ...]:
    """(inode, size, mtime in ns) of the database and its WAL: any outside write changes it."""
    sig: list[tuple[int, int, int] | None] = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = p.stat()
            sig.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            sig.append(None)
    return tuple(sig)


def model_key(name: str) -> str:
    """How a model is recorded in the index: local folders by absolute path, hub models by name."""
    expanded = os.path.expanduser(name)
    return os.path.abspath(expanded) if os.path.isdir(expanded) else name


class Indexer:
    """Owns the writable store and (lazily) the embedder for one data directory."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        embedder_factory: EmbedderFactory | None = None,
        runner: Runner | None = None,
        reembed: bool = False,
        rechunk: bool = False,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.settings = settings
        self.model = model_key(settings.model)
        self._embedder = embedder
        self._factory = embedder_factory or (lambda name, device: load_embedder(name, device=device))
        self._runner = runner or InlineRunner()
        self._reembed = reembed
        self._rechunk = rechunk  # re-cut every document to the settings' passage size (see rechunk.py)
        self._should_stop = should_stop or (lambda: False)
        self.summary = IndexSummary()
        # True while this run re-embeds into staging for a model switch (see reembed.py).
        self._staging = False
        # How long the last model switch's swap transaction took (benchmarks read it).
        self.swap_seconds: float | None = None
        # Set when a damaged database was set aside at the start of a run: show it to the person.
        self.notice: str | None = None
        # Why this run indexed for keyword search only (the model could not be had), else None.
        self.keyword_only: str | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._factory(self.settings.model, self.settings.device)
        return self._embedder

    # -- the run ----------------------------------------------------------------------------------

    def index(self, paths: Sequence[str | Path], excludes: Sequence[str] = ()) -> Iterator[Progress]:
        """Index `paths` (folders or files); yields Progress often. Close the generator to cancel."""
        roots = [os.path.abspath(os.path.expanduser(os.fspath(p))) for p in paths]
        for root in roots:
            if not os.path.exists(root):
                raise PathMissingError(f"path does not exist: {root}")
        yield from self._locked(lambda store: self._index(store, roots, tuple(excludes)))

    def embed_pending(self) -> Iterator[Progress]:
        """Only finish embedding what an interrupted run left without vectors."""
        yield from self._locked(lambda store: self._finish(store, time.monotonic(), IndexSummary()))

    def _locked(self, body: Callable[[Store], Iterator[Progress]]) -> Iterator[Progress]:
        from filelock import FileLock, Timeout

        data_dir = ensure_data_dir(self.settings.data_dir)
        lock = FileLock(str(self.settings.lock_path))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise IndexBusyError(
                f"another jinasearch process is indexing into {data_dir}; wait for it to finish"
            ) from None
        store: Store | None = None
        self.keyword_only = None
        db_path = self.settings.db_path
        clean = False
        try:
            # quick_check reads every page: skip it when the files are exactly as this process's last
            # checked run left them (the GUI re-indexes on every watched change; nobody else writes them).
            unchanged = _CHECKED.get(str(db_path)) == _db_signature(db_path)
            store = Store(db_path, lock_held=True)
            self.notice = (None if unchanged else store.recover_if_damaged()) or store.notice
            if self.notice:
                yield Progress(phase="scan", message=self.notice)
            cleanup_temp_files(data_dir, self.settings.faiss_path.name)
            self._check_model(store)
            yield from body(store)
            clean = True
        except (sqlite3.Error, OSError) as exc:
            # Disk full or read-only: SQLite rolled back the open transaction, so the last commit stands.
            err = disk_error(exc, data_dir)
            if err is None:
                raise
            raise err from exc
        finally:
            if store is not None:
                store.close()
            if clean:
                _CHECKED[str(db_path)] = _db_signature(db_path)
            else:
                _CHECKED.pop(str(db_path), None)
            lock.release()

    def _check_model(self, store: Store) -> None:
        """Decide where this run's vectors go: the index itself, or staging for a model switch."""
        staging = Staging(store)
        recorded, staged = store.get_meta("model"), staging.model
        self._staging = False
        if recorded is None:
            store.set_meta("model", self.model)
        elif recorded == self.model:
            if staged is not None:
                staging.discard()  # switched back before the re-embed finished: nothing to swap
        elif store.get_meta("dim") is None:
            # No vector yet, so nothing to keep answering with: simply take the new model.
            with store.db.atomic():
                staging.discard()
                store.set_meta("model", self.model)
        elif staged == self.model or self._reembed:
            # A switch asked for now, or one a cancelled or crashed run began: continue it.
            staging.begin(self.model)
            self._staging = True
        else:
            raise ModelMismatchError(
                f"this index was built with model '{recorded}', not '{self.model}'. Search it with that "
                "model, use another --data-dir, or pass --reembed to re-embed everything with the new one."
            )

    def _index(self, store: Store, roots: list[str], excludes: tuple[str, ...]) -> Iterator[Progress]:
        t0 = time.monotonic()
        errors: list[tuple[str, str]] = []
        yield Progress(phase="scan", message="looking for files")

        work: list[tuple[int, FileInfo]] = []
        known: dict[str, str | None] = {}
        unchanged = removed = scanned = 0
        for root in roots:
            folder_id = store.add_folder(record_path(root), excludes)
            existing = store.documents_in(folder_id)
            seen: set[str] = set()
            for info in scan([root], excludes=excludes, accept=supported, on_error=lambda p, r: errors.append((p, r))):
                scanned += 1
                seen.add(info.path)
                row = existing.get(info.path)
                if row is not None and row.size == info.size and row.mtime == info.mtime:
                    unchanged += 1  # failed files too: not retried until they change
                else:
                    work.append((folder_id, info))
                    known[info.path] = row.hash if row is not None and row.status == "indexed" else None
                if scanned % 500 == 0:
                    yield Progress(phase="scan", files_total=scanned, current=info.path)
            gone = [row.id for path, row in existing.items() if path not in seen]
            if gone:
                store.delete_documents(gone)
                removed += len(gone)

        summary = IndexSummary(scanned=scanned, unchanged=unchanged, removed=removed)
        folder_of = {info.path: fid for fid, info in work}
        total = len(work)
        done = failed = indexed = added = 0
        # Passages are cut where files are extracted (worker processes with the sandboxed runner), which
        # keeps the tokenizer off this thread: with a fast GPU, this thread's work set the pace.
        emb: Embedder | None = None
        cutting: Chunking | None = None
        if total:  # nothing to extract (an unchanged folder): no model needed
            emb = self._model_or_none()
            tok = emb.tokenizer if emb is not None else EstimatedTokenizer()
            cutting = Chunking(tok, self.settings.chunk_tokens, self.settings.overlap_tokens)
        if self.keyword_only:
            yield Progress(phase="extract", files_total=total, message=self.keyword_only)
        # While staging a model switch the indexer thread's model is the new one: everything waits for
        # stage_all at the end (the overlap would write new-model vectors where the old ones belong).
        overlap = (
            Overlap(emb, store, self._should_stop, OVERLAP_BATCHES)
            if emb is not None and OVERLAP_BATCHES > 0 and not self._staging
            else None
        )
        completed = False
        try:
            results = self._runner.run((info for _, info in work), known, cutting)
            for batch in ready_batches(results, self._runner, COMMIT_FILES):
                if self._should_stop():
                    break
                # A runner that could not take the chunking along (a slow Python tokenizer) returns files
                # uncut: cut them here, before the write transaction, with the runner's own per-file guard.
                batch = [r if r.chunks is not None else cut(r, cutting) for r in batch]
                with store.db.atomic():
                    statuses = [self._store_result(store, folder_of[r.file.path], r) for r in batch]
                for result, status in zip(batch, statuses):
                    done += 1
                    if status == "failed":
                        failed += 1
                        errors.append((result.file.path, result.error or "unknown error"))
                    elif isinstance(status, int):
                        indexed += 1
                        added += status
                embedded = overlap.step() if overlap is not None else 0
                yield Progress(
                    phase="extract",
                    files_total=total,
                    files_done=done,
                    current=batch[-1].file.path,
                    failed=failed,
                    skipped_unchanged=unchanged,
                    removed=removed,
                    passages_total=added,
                    passages_done=embedded,
                )
            completed = True
        finally:
            if overlap is not None:
                # Cancelled or failed: do not make the caller wait for the model's window in flight.
                overlap.close(keep=completed and not self._should_stop())
        summary = IndexSummary(
            scanned=scanned,
            unchanged=unchanged + (done - failed - indexed),
            indexed=indexed,
            failed=failed,
            removed=removed,
            passages_added=added,
            errors=tuple(errors),
            passages_embedded=overlap.embedded if overlap is not None else 0,
        )
        yield from self._finish(store, t0, summary)

    def _store_result(self, store: Store, folder_id: int, r: Result) -> int | str:
        """Commit one file's outcome; returns its passage count, 'failed' or 'unchanged'."""
        info = r.file
        if r.error is not None:
            store.mark_failed(
                folder_id=folder_id,
                path=info.path,
                size=info.size,
                mtime=info.mtime,
                content_hash=r.content_hash,
                reason=r.error,
            )
            return "failed"
        if r.extracted is None:  # same bytes as before: only the mtime moved
            row = store.document(info.path)
            if row is not None:
                store.touch(row.id, info.size, info.mtime)
            return "unchanged"
        chunks = r.chunks
        assert chunks is not None  # cut by the runner or, failing that, by `_index`
        store.replace_document(
            folder_id=folder_id,
            path=info.path,
            size=info.size,
            mtime=info.mtime,
            content_hash=r.content_hash or "",
            extracted=r.extracted,
            chunks=chunks,
        )
        return len(chunks)

    def _model_or_none(self) -> Embedder | None:
        """The model, or None when a hub model cannot be had (offline before its first download, a failed
        download). Then this run indexes for keyword search only: passages are cut by an estimate and
        wait for their vectors, which the next run with the model adds (a model switch needs the model,
        and a local model folder that fails to load is the person's to fix: both still raise)."""
        try:
            return self.embedder
        except ModelUnavailableError as exc:
            if self._staging or os.path.isdir(os.path.expanduser(self.settings.model)):
                raise
            self.keyword_only = (
                f"{exc} Keyword search works now; search by meaning follows on the next "
                "run once the model is available."
            )
            log.info("indexing for keyword search only: %s", exc)
            return None

    def _finish(self, store: Store, t0: float, summary: IndexSummary) -> Iterator[Progress]:
        embedded = 0
        note = f"re-embedding with {self.model}; the old index answers until it is done" if self._staging else ""
        if not self.keyword_only and not self._staging and store.count_pending():
            self._model_or_none()  # passages waiting for vectors, and still no model: keep them waiting
        # Keyword only: nothing to embed or re-cut, but the FAISS cache is still saved (removed files
        # may have taken vectors with them).
        if not self._should_stop() and not self.keyword_only:
            batches = (
                stage_all(Staging(store), lambda: self.embedder, self._should_stop, EMBED_WINDOW)
                if self._staging
                else self._embed(store)
            )
            for embedded, total, rate in batches:
                eta = (total - embedded) / rate if rate > 0 else None
                yield Progress(
                    phase="embed",
                    passages_total=total,
                    passages_done=embedded,
                    passages_per_s=rate,
                    eta_s=eta,
                    files_total=summary.scanned,
                    files_done=summary.scanned,
                    failed=summary.failed,
                    message=note,
                )
        if self._staging and not self._should_stop():
            yield Progress(phase="save", message=f"switching the index to {self.model}")
            self.swap_seconds = self._swap(store)
        if not self.keyword_only:
            yield from self._recut(store)
        yield Progress(phase="save", message="saving vector index")
        self._save_vectors(store)
        self.summary = IndexSummary(
            **{
                **summary.__dict__,
                "passages_embedded": summary.passages_embedded + embedded,
                "seconds": time.monotonic() - t0,
            }
        )
        stopped = self._should_stop()
        yield Progress(
            phase="done",
            files_total=summary.scanned,
            files_done=summary.scanned,
            passages_done=embedded,
            failed=summary.failed,
            removed=summary.removed,
            skipped_unchanged=summary.unchanged,
            message=self.keyword_only or ("cancelled" if stopped else "done"),
        )

    def _embed(self, store: Store) -> Iterator[tuple[int, int, float]]:
        """Embed pending passages; yields (done, total, passages/s) after every model batch.

        Each window of pending passages is de-duplicated by text (identical boilerplate is embedded
        once) and sorted by length so a batch holds similar lengths and wastes little on padding.
        """
        total = store.count_pending()
        if total == 0:
            return
        emb = self.embedder
        if store.get_meta("dim") is None:
            store.set_meta("dim", str(emb.dim))
        done = 0
        start = time.monotonic()
        while not self._should_stop():
            window = store.pending(EMBED_WINDOW)
            if not window:
                break
            unique: dict[str, str] = {}
            for _pid, text, h in window:
                unique.setdefault(h, text)
            items = sorted(unique.items(), key=lambda kv: len(kv[1]))
            for i in range(0, len(items), emb.batch_size):
                if self._should_stop():
                    return
                batch = items[i : i + emb.batch_size]
                vecs = emb.encode([t for _, t in batch])
                done += store.set_vectors([h for h, _ in batch], vecs)
                elapsed = time.monotonic() - start
                yield min(done, total), total, done / elapsed if elapsed > 0 else 0.0

    def _recut(self, store: Store) -> Iterator[Progress]:
        """Re-cut documents to a new passage size when asked (or when a cancelled re-cut asked before).
        Not while a model switch is still staging: the re-cut embeds new passages with the indexer's
        model, which is not the index's until the swap; it runs after the swap instead."""
        want = chunking(self.settings.chunk_tokens, self.settings.overlap_tokens)
        if not (self._rechunk or store.get_meta(RECHUNK_TO) == want):
            return
        if self._staging or self._should_stop():
            store.set_meta(RECHUNK_TO, want)
            return
        for done, total, path in rechunk_all(
            store, lambda: self.embedder, self.settings.chunk_tokens, self.settings.overlap_tokens, self._should_stop
        ):
            yield Progress(
                phase="extract",
                files_total=total,
                files_done=done,
                current=path,
                message="re-cutting passages to the new size",
            )

    def _swap(self, store: Store) -> float | None:
        """Swap the staged vectors in (one transaction); returns its duration, None if incomplete."""
        t0 = time.monotonic()
        # The FAISS file goes inside the transaction: until the commit a searcher that loads it finds the
        # old model's vectors with the old model's meta; after it, no file (rebuilt from SQLite) or a new one.
        done = Staging(store).swap(before_commit=lambda: self.settings.faiss_path.unlink(missing_ok=True))
        if not done:
            return None
        self._staging = False
        return time.monotonic() - t0

    def _save_vectors(self, store: Store) -> None:
        """Bring the FAISS cache on disk up to date; a no-op (no FAISS import) when it already is."""
        dim = store.get_meta("dim")
        if dim is None:
            return
        path = self.settings.faiss_path
        header = read_header(path)
        model = store.get_meta("model")
        if (
            header is not None
            and header.get("version") == store.vectors_version()
            and header.get("dim") == int(dim)
            and header.get("model", model) == model
        ):
            return
        vi = VectorIndex.load(path, int(dim), model=model) or VectorIndex(int(dim), model=model)
        vi.sync(store)
        if vi.needs_rebuild() or vi.rebuilding:
            # Past the size threshold: save the approximate index, so searchers load it ready-made.
            vi.rebuild(wait=True)
        vi.save(path)
