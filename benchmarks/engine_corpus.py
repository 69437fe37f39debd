"""Deterministic generated prose for the engine benchmark: many topics, varied sentences, txt/md/html files."""

from __future__ import annotations

import html
import random
from collections.abc import Iterator
from pathlib import Path

TOPICS: dict[str, dict[str, list[str]]] = {
    "gardening": {
        "n": "tomato seedling compost soil trellis greenhouse mulch basil root aphid harvest pruning shears "
        "raised bed watering can fertiliser vine orchard hedge".split(),
        "v": "grows wilts needs protects feeds shades ripens attracts drains shelters".split(),
        "a": "sunny damp fertile sandy shaded organic early late hardy fragrant".split(),
    },
    "astronomy": {
        "n": "telescope galaxy nebula comet orbit planet moon eclipse star cluster meteor shower observatory "
        "light year supernova asteroid".split(),
        "v": "reflects orbits collapses emits outshines passes crosses bends drifts".split(),
        "a": "distant faint bright ancient icy massive rotating red spiral dim".split(),
    },
    "cooking": {
        "n": "sauce dough oven skillet garlic onion broth risotto pastry marinade spice rack recipe knife "
        "braise stock butter".split(),
        "v": "simmers thickens browns rises melts seasons softens caramelises absorbs".split(),
        "a": "crispy creamy savoury tender golden smoky tangy rich fresh buttery".split(),
    },
    "finance": {
        "n": "budget invoice pension mortgage interest rate dividend portfolio tax return ledger loan "
        "savings account expense report audit".split(),
        "v": "reduces increases covers offsets delays funds balances records charges".split(),
        "a": "quarterly annual overdue fixed variable net gross outstanding deductible monthly".split(),
    },
    "software": {
        "n": "database server compiler function module cache thread query request log file configuration "
        "deployment test suite bug report API endpoint".split(),
        "v": "returns crashes caches parses retries validates indexes compiles serialises".split(),
        "a": "slow concurrent stale nested asynchronous deprecated missing cached verbose broken".split(),
    },
    "health": {
        "n": "patient vaccine fever symptom clinic dosage blood pressure diet sleep pattern exercise "
        "routine nurse prescription therapy".split(),
        "v": "improves lowers raises prevents relieves monitors reduces strengthens".split(),
        "a": "chronic mild acute regular daily healthy severe gentle balanced restful".split(),
    },
    "travel": {
        "n": "passport itinerary ferry hostel railway station luggage museum guide border crossing "
        "harbour market square mountain pass".split(),
        "v": "departs arrives connects closes welcomes overlooks delays crosses".split(),
        "a": "crowded quiet scenic historic overnight remote coastal budget cheerful narrow".split(),
    },
    "history": {
        "n": "empire treaty castle monastery parliament revolution dynasty manuscript siege trade route "
        "cathedral harbour colony".split(),
        "v": "founded collapsed rebuilt signed defended expanded recorded abandoned".split(),
        "a": "medieval ancient royal coastal fortified wealthy forgotten northern rebellious".split(),
    },
}

TEMPLATES = [
    "The {a} {n} {v} the {n2} when the {n3} is {a2}.",
    "Most people notice that a {a} {n} {v} every {n2} in the {a2} season.",
    "According to the notes, the {n} {v} the {a} {n2}, which surprised everyone at the {n3}.",
    "If the {n} is {a}, check whether the {n2} still {v} the {n3}.",
    "Our {a} {n} {v} the {n2} far better than the {a2} {n3} we tried last year.",
    "Nobody expected the {n} to be so {a}; it {v} the {n2} twice before noon.",
    "A {a} {n} rarely {v} a {n2}, but a {a2} one often does.",
    "Record how the {n} {v} the {n2} and compare it with the {a} {n3}.",
    "In {year}, the {a} {n} near the {n2} {v} the {n3} for the first time.",
    "Why does the {n} seem {a} whenever the {n2} {v} the {a2} {n3}?",
]


def sentence(rng: random.Random, topic: dict[str, list[str]]) -> str:
    n = topic["n"]
    return rng.choice(TEMPLATES).format(
        n=rng.choice(n),
        n2=rng.choice(n),
        n3=rng.choice(n),
        v=rng.choice(topic["v"]),
        a=rng.choice(topic["a"]),
        a2=rng.choice(topic["a"]),
        year=rng.randint(1200, 2024),
    )


def paragraphs(rng: random.Random, n_paras: int) -> tuple[str, list[str]]:
    """(topic name, paragraphs): mostly one topic, sometimes a digression into another."""
    main = rng.choice(list(TOPICS))
    out = []
    for _ in range(n_paras):
        topic = TOPICS[main] if rng.random() < 0.8 else TOPICS[rng.choice(list(TOPICS))]
        out.append(" ".join(sentence(rng, topic) for _ in range(rng.randint(2, 7))))
    return main, out


def render(kind: str, title: str, paras: list[str]) -> str:
    if kind == "md":
        return f"# {title}\n\n" + "\n\n".join(paras) + "\n"
    if kind == "html":
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras)
        return (
            f"<!doctype html><html><head><title>{html.escape(title)}</title><style>p{{margin:0}}</style>"
            f"<script>console.log('x')</script></head><body><h1>{html.escape(title)}</h1>\n{body}</body></html>"
        )
    return f"{title}\n\n" + "\n\n".join(paras) + "\n"


def write_corpus(root: Path, n_files: int, seed: int = 7) -> int:
    """Write `n_files` files (60% txt, 25% md, 15% html) in nested folders; returns total bytes."""
    rng = random.Random(seed)
    total = 0
    for i in range(n_files):
        main, paras = paragraphs(rng, rng.randint(1, 8))
        kind = rng.choices(["txt", "md", "html"], weights=[60, 25, 15])[0]
        folder = root / main / f"batch{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        data = render(kind, f"{main.title()} note {i}", paras)
        (folder / f"note{i:05}.{kind}").write_text(data, encoding="utf-8")
        total += len(data)
    return total


def passage_texts(n: int, seed: int = 11) -> Iterator[tuple[str, list[str]]]:
    """Documents for the large-index benchmark without files: (topic, paragraphs) forever-ish."""
    rng = random.Random(seed)
    produced = 0
    while produced < n:
        main, paras = paragraphs(rng, rng.randint(3, 8))
        produced += len(paras)
        yield main, paras


def queries(n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    forms = [
        "how does the {a} {n} affect the {n2}",
        "why is my {n} so {a}",
        "{n} and {n2} problems",
        "what happens when a {n} {v} the {n2}",
        "tips for a {a} {n}",
        "{a} {n} {n2}",
    ]
    out = []
    for _ in range(n):
        t = TOPICS[rng.choice(list(TOPICS))]
        out.append(
            rng.choice(forms).format(
                n=rng.choice(t["n"]), n2=rng.choice(t["n"]), a=rng.choice(t["a"]), v=rng.choice(t["v"])
            )
        )
    return out
