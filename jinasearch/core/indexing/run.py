"""What one indexing run carries from stage to stage (never kept on the Indexer between runs)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..run_records import Progress, RunOutcome
from ..store import Store
from .budget import EmbedPolicy
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
    policy: EmbedPolicy | None = None  # what gets vectors (indexing/budget.py), set after the scan

    @property
    def budget(self) -> EmbedPolicy:
        assert self.policy is not None, "the budget is prepared right after the scan"
        return self.policy

    @property
    def store(self) -> Store:
        return self.session.store


def run_to_end(progress: Iterator[Progress]) -> RunOutcome:
    """Drive a run to its end (no view attached) and return its outcome."""
    last = deque(progress, maxlen=1)
    assert last and last[0].outcome is not None
    return last[0].outcome
