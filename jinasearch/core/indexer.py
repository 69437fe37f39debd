"""The indexing facade: a generator of Progress that wires scan -> extract -> chunk -> store -> embed.

Files become keyword-searchable as soon as their passages are committed (FTS5 is filled by
trigger); vectors follow in batches. Every write is one transaction, so a run stopped at any
point (cancel, crash, power cut) leaves a consistent index that the next run simply continues:
unchanged files are skipped and passages still without vectors are embedded. The stages are in
`core/indexing/`; this module only decides which run in what order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .chunk import Chunking, Tokenizer
from .config import Settings
from .control import Control
from .embed import Embedder, accelerator_likely, load_tokenizer
from .embed.tokenizer import EstimatedTokenizer
from .errors import ModelUnavailableError, PathMissingError
from .extract.runner import InlineRunner, Runner
from .indexing import budget, recut, reembed
from .indexing.background import BackgroundEmbedder
from .indexing.changes import find_changes
from .indexing.embedding import EMBED_WINDOW, Adoption, Encoder, embed_windows, make_encoder
from .indexing.loading import EmbedderFactory, ModelLoad, default_factory
from .indexing.ocr import ocr_pass
from .indexing.reading import read_and_commit
from .indexing.refresh import refresh_all
from .indexing.run import Run
from .indexing.run import run_to_end as run_to_end  # re-exported: callers have long imported it from here
from .indexing.session import writing
from .indexing.topic_pass import topic_pass, topics_waiting
from .run_records import Progress, RunOutcome
from .store import save_vectors
from .store.staging import Staging

log = logging.getLogger(__name__)

# Embed while files are read: True, False, or "gpu" - only when the model runs on an accelerator. On a
# CPU the model and the extraction workers share the same cores, and embedding while reading more than
# doubled the time until every file was keyword-searchable (docs/benchmarks.md, "Indexing speed"); the
# vectors do not come later for it, since embedding is most of the run either way.
BACKGROUND_EMBEDDING: bool | str = "gpu"


class Indexer:
    """Indexes into one data directory; each `index` call is one run under the writer lock."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        embedder_factory: EmbedderFactory | None = None,
        runner: Runner | None = None,
        reembed: reembed.ModelChange = False,
        rechunk: bool = False,
        control: Control | None = None,
        embed_data: bool | None = None,
        ocr: bool | None = None,
    ) -> None:
        self.settings = settings
        self.model = settings.model_key
        self._embedder = embedder
        self._factory = embedder_factory or default_factory(settings)
        self._runner = runner or InlineRunner()
        self._reembed = reembed
        self._rechunk = rechunk  # re-cut every document to the settings' passage size (indexing/recut.py)
        self._embed_data = embed_data  # set the roots' "also search data files by meaning" (None: leave it)
        self._ocr = ocr  # switch OCR for the roots (None: leave it)
        self.control = control or Control()
        self._encoder: Encoder | None = None
        self._loading: ModelLoad | None = None  # the model loading on a helper thread, if it is
        self._bg: BackgroundEmbedder | None = None  # this run's embedding while reading

    # -- the runs ---------------------------------------------------------------------------------

    def index(self, paths: Sequence[str | Path]) -> Iterator[Progress]:
        """Index `paths` (folders or files); yields Progress often, the last one with the outcome."""
        roots = [os.path.abspath(os.path.expanduser(os.fspath(p))) for p in paths]
        for root in roots:
            if not os.path.exists(root):
                raise PathMissingError(f"path does not exist: {root}")
        yield from self._session(lambda run: self._index(run, roots))

    def _session(self, body: Callable[[Run], Iterator[Progress]]) -> Iterator[Progress]:
        with writing(self.settings) as session:
            run = Run(session)
            self._bg = None
            if self._encoder is None:
                self._loading = None  # a load an earlier run gave up on (cancelled or failed) starts afresh
            run.staging = reembed.plan(run.store, self.settings, self._reembed, lambda: self._need_encoder(run).emb.dim)
            for progress in body(run):
                yield progress
                # Pause holds here, between steps; a cancel is noticed by the stages themselves.
                self.control.checkpoint()
            session.clean = True

    def _index(self, run: Run, roots: list[str]) -> Iterator[Progress]:
        yield Progress(phase="scan")
        changes = yield from find_changes(run.store, roots, self.settings, run.tally)
        run.changes = changes
        switched = run.store.set_embed_data(changes.roots, self._embed_data) if self._embed_data is not None else []
        if self._ocr is not None:
            run.store.set_ocr(changes.roots, self._ocr)
        run.policy = budget.prepare(run.store, self.settings, switched, self.control)
        if changes.work:  # nothing to extract (an unchanged folder): no model needed
            cutting = Chunking.of(self.settings, self._tokenizer(run))
            yield from read_and_commit(
                self._runner, changes, cutting, run.store, run.tally, lambda: self._background(run), self.control,
                run.budget,
            )  # fmt: skip
        yield from self._finish(run)

    def _tokenizer(self, run: Run) -> Tokenizer:
        """The tokenizer to cut passages with, at once: the model's tokenizer file while the model loads on
        a helper thread (indexing/loading.py), else the model's own (loaded now), else an estimate."""
        if self._encoder is None and self._embedder is None and self._loading is None:
            tokenizer = load_tokenizer(self.settings.model)
            if tokenizer is not None:
                # On a CPU the model embeds only once reading is done (BACKGROUND_EMBEDDING): loading it
                # now would only take the cores from the extraction workers. It loads when first needed.
                if BACKGROUND_EMBEDDING is True or accelerator_likely(self.settings.device):
                    self._loading = ModelLoad(lambda: self._factory(self.settings.model, self.settings.device))
                return tokenizer
        encoder = self._encoder_or_none(run)
        return encoder.emb.tokenizer if encoder is not None else EstimatedTokenizer()

    def _background(self, run: Run) -> BackgroundEmbedder | None:
        """The embedder of the reading phase, once the model is in (never waiting for it). While staging
        a model switch this run's model is the new one: everything waits for the staging at the end
        (background vectors would land where the old model's belong); with topic cuts, what is read
        now is cut again before it is embedded (_topics)."""
        # Ready without waiting: loaded already, given, or its helper thread is done (never a load here,
        # between two commits: that would hold keyword search back for the whole load).
        ready = (
            self._encoder is not None
            or self._embedder is not None
            or (self._loading is not None and self._loading.ready)
        )
        if self._bg is None and BACKGROUND_EMBEDDING and not run.staging and ready and not self.settings.topic_cuts:
            encoder = self._encoder_or_none(run)
            on_cpu = getattr(encoder.emb, "device", None) == "cpu" if encoder is not None else True
            if encoder is not None and (BACKGROUND_EMBEDDING is True or not on_cpu):
                self._bg = BackgroundEmbedder(encoder, run.store)
        return self._bg

    def _encoder_or_none(self, run: Run) -> Encoder | None:
        """The model, or None when a hub model cannot be had (offline before its first download, a failed
        download). Then this run indexes for keyword search only: passages are cut by an estimate and
        wait for their vectors, which the next run with the model adds (a model switch needs the model,
        and a local model folder that fails to load is the person's to fix: both still raise)."""
        if self._lost() is not None:
            # The server failed mid-run, its retries spent: embedding pauses until the next run, and
            # what waits stays keyword-searchable.
            run.keyword_only = run.keyword_only or self._lost()
            return None
        if self._encoder is None and run.keyword_only is None:
            try:
                emb = self._embedder or (
                    self._loading.result()
                    if self._loading is not None
                    else self._factory(self.settings.model, self.settings.device)
                )
            except ModelUnavailableError as exc:
                local_folder = self.settings.server is None and os.path.isdir(os.path.expanduser(self.settings.model))
                if run.staging or local_folder:
                    raise
                run.keyword_only = exc
                log.info("indexing for keyword search only: %s", exc)
                return None
            if emb is None:  # cancelled while waiting for the model
                return None
            recipe = reembed.run_recipe(run.store, run.staging)
            self._embedder, self._encoder = emb, make_encoder(emb, self.control, run.store, recipe)
            if not run.staging:  # the model answered: now its server's address may replace the recorded one
                reembed.record_server(run.store, self.settings, confirmed=True)
        return self._encoder

    def _finish(self, run: Run) -> Iterator[Progress]:
        """Embed (or stage) what waits for vectors, swap a finished switch in, re-cut, save the cache."""
        store, cancelled = run.store, self.control.cancelled
        if not cancelled and run.keyword_only is None:
            yield from self._embed(run)
        yield from self._scans(run)
        if not cancelled and run.keyword_only is None:
            yield from self._refresh(run)
            if reembed.server_moved(store, self.settings) and not run.staging:
                self._encoder_or_none(run)  # nothing to embed, but a new address to confirm and record
        if run.staging and not self.control.cancelled:
            yield Progress(phase="save", task="swap")
            run.swap_seconds = reembed.swap(Staging(store), self.settings)
            run.staging = run.swap_seconds is None
        yield from self._topics(run)  # what _refresh read again, or the staging run read
        yield from self._recut(run)
        if not self.control.cancelled:
            yield Progress(phase="save")
            save_vectors(store, self.settings.faiss_path)
        yield self._done(run)

    def _embed(self, run: Run) -> Iterator[Progress]:
        store = run.store
        yield from self._topics(run)
        if run.staging:
            steps = reembed.stage_all(Staging(store), lambda: self._need_encoder(run), EMBED_WINDOW)
        else:
            total = store.count_pending()
            if total == 0:
                return
            encoder = self._encoder_or_none(run)  # passages waiting, and still no model: keep them waiting
            if encoder is None:
                return
            if store.dim() is None:
                store.set_dim(encoder.emb.dim)
            adoption = Adoption(store, encoder.emb.dim)  # what searches embedded already (retrieval/fresh.py)
            steps = embed_windows(
                encoder, iter(lambda: store.pending(EMBED_WINDOW), []), store.set_vectors, total, adoption
            )
        task = "reembed" if run.staging else "index"
        done = 0
        for step in steps:
            done = step.done
            yield run.tally.embedding(task, step.total, step.done, step.per_s, step.eta_s)
        run.tally.embedded += done

    def _scans(self, run: Run) -> Iterator[Progress]:
        """Read scanned pages by OCR once every text layer is in (indexing/ocr.py), then embed them."""
        if run.changes is None or self.control.cancelled:
            return
        added = run.tally.added
        cutting = Chunking.of(self.settings, self._tokenizer(run))
        yield from ocr_pass(self._runner, run.store, run.changes.roots, cutting, run.tally, self.control, run.budget)
        if run.tally.added > added and run.keyword_only is None and not self.control.cancelled:
            yield from self._embed(run)

    def _refresh(self, run: Run) -> Iterator[Progress]:
        """Read again the unchanged files an older extraction read (indexing/refresh.py). Not while a
        model switch is staging (their vectors would be the new model's) nor without the model: they
        keep their old passages, with vectors, until a run that can."""
        stale = run.changes.stale if run.changes is not None else []
        if not stale or run.staging or self.control.cancelled:
            return
        encoder = self._encoder_or_none(run)
        if encoder is None:
            return
        cutting = Chunking.of(self.settings, encoder.emb.tokenizer)
        assert run.changes is not None
        steps = refresh_all(self._runner, run.changes, self.control, cutting, run.store, encoder, run.tally, run.budget)
        for step in steps:
            yield Progress("extract", task="refresh", files_total=step.total, files_done=step.done, current=step.path)

    def _need_encoder(self, run: Run) -> Encoder:
        encoder = self._encoder_or_none(run)
        if encoder is None:
            raise run.keyword_only or ModelUnavailableError(f"model '{self.settings.model}' is not available")
        return encoder

    def _recut(self, run: Run) -> Iterator[Progress]:
        """Re-cut documents to a new passage size when asked (or when a cancelled re-cut asked before).
        Not while a model switch is still staging: the re-cut embeds new passages with this run's
        model, which is not the index's until the swap; it runs after the swap instead."""
        store, key = run.store, recut.settings_key(self.settings)
        if self.settings.topic_cuts or not (self._rechunk or recut.pending(store) == key):
            return  # with topic cuts, _topics cuts every document to the settings' size (the key holds it)
        encoder = None if run.staging or self.control.cancelled else self._encoder_or_none(run)
        if encoder is None:  # staging, cancelled, or no model (its server gone): the next run re-cuts
            recut.remember(store, key)
            return
        cutting = Chunking.of(self.settings, encoder.emb.tokenizer)
        for step in recut.recut_all(store, cutting, encoder, run.budget):
            yield Progress("extract", task="recut", files_total=step.total, files_done=step.done, current=step.path)

    def _topics(self, run: Run) -> Iterator[Progress]:
        """Topic cuts where documents wait for them, before the passages they replace are embedded (not
        while staging, see _recut: after the swap instead). The model loads only when one waits."""
        if run.staging or self.control.cancelled or not topics_waiting(run.store, self.settings, run.budget):
            return
        encoder = self._encoder_or_none(run)
        for step in topic_pass(run.store, self.settings, encoder, run.budget) if encoder is not None else ():
            run.tally.embedded += step.embedded
            yield Progress("extract", task="recut", files_total=step.total, files_done=step.done, current=step.path)

    def _lost(self) -> Exception | None:
        return self._encoder.lost if self._encoder is not None else None

    def _done(self, run: Run) -> Progress:
        run.keyword_only = run.keyword_only or self._lost()
        summary = run.tally.summary()
        state = "cancelled" if self.control.cancelled else "keyword-only" if run.keyword_only else "done"
        run.session.complete = state == "done"
        outcome = RunOutcome(state, summary, run.keyword_only, run.session.notice, run.swap_seconds)
        return Progress(
            "done", files_total=summary.scanned, files_done=summary.scanned, passages_done=summary.passages_embedded,
            failed=summary.failed, removed=summary.removed, skipped_unchanged=summary.unchanged, outcome=outcome,
        )  # fmt: skip
