"""What one indexing run carries from stage to stage (never kept on the Indexer between runs)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store import Store
from .changes import Changes
from .session import Session
from .tally import Tally


@dataclass
class Run:
    """What one run carries from stage to stage (never kept on the Indexer between runs)."""

    session: Session
    tally: Tally = field(default_factory=Tally)
    staging: bool = False  # re-embedding into staging for a model switch (see indexing/reembed.py)
    keyword_only: Exception | None = None
    swap_seconds: float | None = None
    changes: Changes | None = None  # what the scan found (None: a run without a scan)

    @property
    def store(self) -> Store:
        return self.session.store
