"""Shared by the embedding-server tests: real corpora, a closed port, a fast-failing client, and the check
that an index is consistent and holds exactly the local model's vectors."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jinasearch.core.config import Settings
from jinasearch.core.context import model_input
from jinasearch.core.embed import Embedder
from jinasearch.core.embed.server import ServerEmbedder
from jinasearch.core.embed.server.transport import Retry
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.run_records import RunOutcome
from jinasearch.core.search import Searcher
from tests.core.helpers import write
from tests.servers.common import free_port

# A server's vectors are the local model's computed elsewhere (another torch, maybe another batch
# padding): they agree to about 1e-6, far inside this.
SAME = 0.999
# Short waits so that a fault costs a test a fraction of a second, not the product's half minute of retries.
QUICK = Retry(tries=3, first_wait_s=0.05, max_wait_s=0.1)

# Fifteen short documents on topics far apart, and questions that paraphrase one of them each.
TOPICS: dict[str, str] = {
    "sourdough.txt": "Sourdough bread rises with a starter of wild yeast and lactobacilli, fed with flour and "
    "water every day. A long cold proof in the fridge deepens the sour flavour before baking in a hot oven.",
    "marathon.md": "# Marathon training\n\nBuild weekly mileage slowly over sixteen weeks. A slow long run every "
    "Sunday teaches endurance, and a three-week taper lets the legs recover before race day.",
    "kitten.txt": "Kittens need vaccinations at eight, twelve and sixteen weeks. Keep the litter tray clean, feed "
    "kibble made for growing cats and book a vet visit for neutering at six months.",
    "jupiter.txt": "Jupiter is the largest planet of the solar system, a gas giant of hydrogen and helium. Its "
    "Great Red Spot is a storm wider than the Earth that has raged for centuries.",
    "mortgage.md": "# Fixed or variable mortgage\n\nA fixed-rate mortgage keeps the monthly repayment the same for "
    "the whole term, while a variable rate follows the central bank and may rise or fall.",
    "tomatoes.txt": "Tomato seedlings are planted out after the last frost, deep enough to bury part of the stem. "
    "Water them at the base in the morning and tie the vines to stakes as they grow.",
    "espresso.txt": "An espresso machine forces hot water through finely ground coffee at nine bars of pressure. "
    "A good shot takes about thirty seconds and is topped with a thick golden crema.",
    "bicycle.md": "# Fixing a flat tyre\n\nLever the tyre off the rim, pull out the inner tube and find the "
    "puncture in a bowl of water. Patch it, check the tyre for thorns and pump it up again.",
    "volcano.txt": "Volcanoes erupt when magma rises through cracks in the crust. Lava flows cool into basalt, "
    "and ash clouds from an eruption can ground aircraft for days.",
    "python-venv.md": "# Python virtual environments\n\nRun python -m venv .venv to create an isolated "
    "environment, activate it, then pip install packages without touching the system interpreter.",
    "invoice.txt": "Invoices are paid within thirty days of receipt. A late payment incurs a fee of two percent "
    "per month, and disputes must be raised with accounts receivable in writing.",
    "chess.txt": "In chess the opening fights for the centre: develop knights and bishops early, castle to "
    "protect the king and avoid moving the same piece twice without a reason.",
    "sleep.txt": "Adults need seven to nine hours of sleep a night. A regular bedtime, a dark cool bedroom and "
    "no screens in the last hour help people fall asleep faster.",
    "glacier.txt": "Glaciers form where more snow falls each winter than melts in summer. The ice creeps "
    "downhill under its own weight and carves deep U-shaped valleys into the mountains.",
    "recycling.md": "# Recycling rules\n\nRinse glass jars and plastic bottles before putting them in the blue "
    "bin. Cardboard is flattened; batteries and electronics go to the collection point.",
}
# Questions that paraphrase one document each, with that document.
QUERIES: dict[str, str] = {
    "how do I keep a starter alive for baking bread": "sourdough.txt",
    "preparing my legs for a long distance race": "marathon.md",
    "when should my young cat get its shots": "kitten.txt",
    "the biggest planet and its giant storm": "jupiter.txt",
    "will my home loan payments change over time": "mortgage.md",
    "repairing a punctured inner tube": "bicycle.md",
    "isolating project dependencies from the system python": "python-venv.md",
    "what happens if I pay a bill late": "invoice.txt",
}


def write_topics(root: Path) -> Path:
    for name, text in TOPICS.items():
        write(root / name, text)
    return root


_SUBJECTS = ("harbour crane", "orchard ladder", "river ferry", "library roof", "night train", "bakery oven")
_EVENTS = ("was inspected", "needed new bolts", "stopped in the storm", "was painted green", "ran late again")


def write_many(root: Path, files: int = 10, paragraphs: int = 16) -> Path:
    """`files` notes of `paragraphs` distinct paragraphs each: with 40-token passages, about one passage
    per paragraph, every text different (vectors are stored once per distinct text)."""
    for f in range(files):
        paras = []
        for p in range(paragraphs):
            n = f * paragraphs + p
            subject, event = _SUBJECTS[n % len(_SUBJECTS)], _EVENTS[(n // len(_SUBJECTS)) % len(_EVENTS)]
            paras.append(
                f"Entry {n} of the site log: the {subject} {event} on day {n * 7 % 365}, "
                f"and crew {n % 13} wrote down {n * 3} notes about it."
            )
        write(root / f"log-{f:02d}.txt", "\n\n".join(paras))
    return root


def closed_port() -> int:
    """A loopback port nothing listens on (just released by this process; nobody else binds it here)."""
    return free_port()


def quick_embedder(url: str, model: str, **kw: object) -> ServerEmbedder:
    """A ServerEmbedder that gives up within a second: short timeout, one retry, small requests."""
    options: dict[str, object] = {"timeout_s": 5.0, "retry": QUICK, "request_texts": 8, "in_flight": 2}
    options.update(kw)
    return ServerEmbedder(url, model, **options)  # type: ignore[arg-type]


def index(settings: Settings, paths: Sequence[Path], embedder: Embedder | None = None) -> RunOutcome:
    """One run to its end; with no embedder, the model comes from the settings (the path users get)."""
    return run_to_end(Indexer(settings, embedder=embedder).index(paths))


def keyword_files(settings: Settings, word: str) -> set[str]:
    """The files keyword search finds for `word` (no model involved)."""
    searcher = Searcher(settings, load_model=False)
    try:
        return {Path(h.path).name for h in searcher.search(word, k=50, mode="keyword", sentences=False)}
    finally:
        searcher.close()


@dataclass(frozen=True)
class IndexState:
    docs: int
    passages: int
    embedded: int  # passages with a vector


def check_index(db: Path, local: Embedder) -> IndexState:
    """The index is whole and its vectors are the local model's: every indexed document has all its
    passages (ordinals 0..n-1) and its text, nothing is orphaned, FTS holds every passage, and every
    vector is NULL (waiting) or a unit vector of the index's dimension equal (cosine >= SAME) to what
    the local model computes for that passage's model input."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = con.execute("SELECT id, n_passages FROM documents WHERE status = 'indexed'").fetchall()
        ords: dict[int, list[int]] = {}
        for doc_id, ord_ in con.execute("SELECT doc_id, ord FROM passages"):
            ords.setdefault(doc_id, []).append(ord_)
        every_doc = {d for (d,) in con.execute("SELECT id FROM documents")}
        assert set(ords) <= every_doc, "passages of no document"
        for doc_id, n in docs:
            assert sorted(ords.get(doc_id, [])) == list(range(n)), f"document {doc_id} lacks passages"
        no_text = con.execute(
            "SELECT COUNT(*) FROM documents WHERE status = 'indexed' AND id NOT IN (SELECT doc_id FROM texts)"
        ).fetchone()[0]
        assert no_text == 0
        passages = con.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        assert con.execute("SELECT COUNT(*) FROM passages_fts").fetchone()[0] == passages
        dim_row = con.execute("SELECT value FROM meta WHERE key = 'dim'").fetchone()
        rows = con.execute(
            "SELECT d.title, p.section, p.text, p.vector FROM passages p JOIN documents d ON d.id = p.doc_id "
            "WHERE p.vector IS NOT NULL"
        ).fetchall()
    finally:
        con.close()
    if rows:
        assert dim_row is not None, "vectors stored without the index's dimension"
        dim = int(dim_row[0])
        assert all(len(r[3]) == 4 * dim for r in rows), "a vector of another dimension"
        stored = np.stack([np.frombuffer(r[3], dtype=np.float32) for r in rows])
        np.testing.assert_allclose(np.linalg.norm(stored, axis=1), 1.0, atol=1e-4)
        expected = local.encode([model_input(r[0], r[1], r[2]) for r in rows])
        cosines = np.sum(stored * expected, axis=1)
        assert cosines.min() >= SAME, f"a stored vector is not the model's (cosine {cosines.min():.4f})"
    return IndexState(len(docs), passages, len(rows))
