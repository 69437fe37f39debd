"""The embedding budget: which passages get vectors, and in which order.

On a laptop CPU the model embeds 10-35 passages a second, and that is the limit of the hardware, so
what is left to win is *what* is embedded and *when* (docs/benchmarks.md, "Embedding budget"):

- **Prose, not data.** A file read as machine-generated or tabular text (a log, a CSV, a JSON dump:
  core/textkind.py) stays keyword-searchable but gets no vectors, unless its folder's switch "also
  search data files by meaning" is on. Words find such text well (an error code, an order number);
  its hour of embedding would hold back the documents people look for by meaning.
- **A cap per file.** Of one file, only the first `Settings.embed_cap` passages get vectors
  (config.DEFAULT_EMBED_CAP; None lifts it). The rest is keyword only.
- **Most useful first.** The pending passages are handed to the model in the order of
  store/schema.py PENDING: prose first, then tier by tier (config.EMBED_TIER passages of every file),
  the folder added last first, the file changed last first.

Passages kept out by choice are marked `lexical` in the store: status counts them apart from the
passages still waiting for a vector. The labels follow the policy: a switch or a new cap labels the
affected documents again at the start of the next run, and a passage that already has a vector
keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..config import DEFAULT_EMBED_CAP, Settings
from ..control import Control
from ..extract import type_of
from ..models import Chunk
from ..store import Store
from ..store.schema import META_EMBED_CAP
from ..textkind import TextKind, classify

# Documents of an index from before the budget are classified from the start of their stored text,
# this many characters of it, in groups of CLASSIFY_GROUP (one transaction each).
CLASSIFY_CHARS = 1 << 20
CLASSIFY_GROUP = 200


@dataclass(frozen=True)
class EmbedPolicy:
    """One run's budget: the cap, and the folders whose data files are embedded too."""

    cap: int | None
    data_folders: frozenset[int] = frozenset()

    def first_lexical(self, kind: str, folder_id: int) -> int | None:
        """The ordinal from which a document's passages are keyword only (None: all get vectors)."""
        if kind == "data" and folder_id not in self.data_folders:
            return 0
        return self.cap

    def to_embed(self, kind: str, folder_id: int, chunks: Sequence[Chunk]) -> Sequence[Chunk]:
        """The passages of a document that get vectors."""
        first = self.first_lexical(kind, folder_id)
        return chunks if first is None else [c for c in chunks if c.ordinal < first]


def kind_of(path: str, text: str) -> TextKind:
    """A document's kind from its type (its suffix; .mbox for a mailbox without one: extract.type_of)
    and its text (bounded cost: core/textkind.py samples)."""
    return classify(type_of(path), text).kind


def prepare(store: Store, settings: Settings, switched: Iterable[int], control: Control) -> EmbedPolicy:
    """Bring the labels up to date with this run's policy and return it: classify what an older index
    left unclassified, and label again the documents of folders whose switch moved (`switched`), or
    every document when the cap changed since the labels were set."""
    fresh = _classify_unclassified(store, control)
    recorded = store.get_meta(META_EMBED_CAP)
    limit = _cap(recorded) if settings.embed_cap == "recorded" else settings.embed_cap
    policy = EmbedPolicy(limit, frozenset(f.id for f in store.folders() if f.embed_data))
    cap = "none" if limit is None else str(limit)
    with store.db.atomic():
        if recorded != cap:
            docs = store.budget_docs()
            store.set_meta(META_EMBED_CAP, cap)
        else:
            moved = sorted(set(switched))
            docs = store.budget_docs(moved) if moved else []
            docs += [d for d in store.budget_docs() if d.id in fresh] if fresh else []
        for doc in docs:
            store.label_doc(doc.id, policy.first_lexical(doc.kind, doc.folder_id))
    return policy


def _cap(recorded: str | None) -> int | None:
    """The cap as the index records it (META_EMBED_CAP), the default before any."""
    if recorded is None:
        return DEFAULT_EMBED_CAP
    return None if recorded == "none" else int(recorded)


def _classify_unclassified(store: Store, control: Control) -> set[int]:
    """Classify the documents an index from before the budget holds (kind ''); their ids."""
    done: set[int] = set()
    after = 0
    while not control.cancelled:
        rows = store.unclassified(after, CLASSIFY_GROUP, CLASSIFY_CHARS)
        if not rows:
            break
        with store.db.atomic():
            for doc_id, ext, text in rows:
                store.set_kind(doc_id, classify(f".{ext}" if ext else "", text).kind)
                done.add(doc_id)
        after = rows[-1][0]
    return done
