"""How the results list is arranged, without Qt: by relevance, date modified or name, a card per file
(its other passages folded under it) or a card per passage."""

from __future__ import annotations

import os
from typing import Literal

from ..core.models import Hit

Order = Literal["relevance", "modified", "name"]
# (order, its label in the list's "Sort by" box), in the box's order.
ORDERS: tuple[tuple[Order, str], ...] = (("relevance", "Relevance"), ("modified", "Date modified"), ("name", "Name"))


def arrange(hits: list[Hit], order: Order = "relevance", by_file: bool = True) -> list[list[Hit]]:
    """The list's cards, each a list of hits shown first-to-last: with `by_file`, one card per file
    holding its passages best first; else one card per passage. `hits` come as the searcher ranks
    them (file by file, best file first), which is what "relevance" keeps; ties in the other orders
    keep it too (the sorts are stable)."""
    if by_file:
        groups: dict[int, list[Hit]] = {}
        for hit in hits:
            groups.setdefault(hit.doc_id, []).append(hit)
        cards = list(groups.values())
    else:
        cards = [[h] for h in sorted(hits, key=lambda h: -h.score)]
    if order == "modified":
        cards.sort(key=lambda c: -c[0].mtime)  # newest first
    elif order == "name":
        cards.sort(key=lambda c: (os.path.basename(c[0].path).casefold(), c[0].path))
    return cards
