"""Real-model search quality (MiniLM): paraphrased questions find the right file and page first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jinasearch.core.config import Settings
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.language import query_terms, stem, words
from jinasearch.core.search import Searcher
from tests.core.docgen import write_docx, write_pdf
from tests.core.helpers import write

pytestmark = pytest.mark.model

PDF_PAGES = [
    "Roman aqueducts carried water for many miles using gentle gradients. Engineers built arches of stone "
    "and concrete so that gravity alone moved the flow into city fountains and public baths.",
    "Medieval castles were fortified residences of nobles. Stone keeps, moats, drawbridges and curtain "
    "walls protected the garrison during a siege, while archers shot from narrow arrow slits.",
    "Photosynthesis happens inside chloroplasts. Chlorophyll absorbs sunlight, and the leaf combines carbon "
    "dioxide with water to produce glucose, releasing oxygen as a by-product.",
    "A turbofan engine compresses air, mixes it with kerosene and ignites it. The hot exhaust spins a turbine "
    "that drives the fan at the front, and most thrust comes from air bypassing the core.",
]

DOCS: dict[str, str] = {
    "sourdough.txt": "Sourdough baking relies on a starter, a culture of wild yeast and lactobacilli kept alive "
    "with regular feedings of flour and water. During bulk fermentation the dough puffs up and develops "
    "tangy flavour; shaping and a hot oven give the crust its crackle.",
    "marathon.md": "# Marathon plan\n\nBuild mileage gradually over sixteen weeks. One slow long run each weekend "
    "teaches endurance; the last three weeks are a taper so legs arrive fresh on race day. Practise drinking "
    "electrolytes and eating gels during training runs.",
    "kitten.html": "<html><head><style>p{}</style><script>track()</script></head><body><h1>Kitten care</h1>"
    "<p>Kittens need vaccinations at eight, twelve and sixteen weeks. Keep the litter tray clean, offer "
    "kibble made for growing felines, and book a vet visit for neutering around six months.</p></body></html>",
    "solar.txt": "Jupiter is the largest planet in the solar system, a gas giant with a storm called the Great Red "
    "Spot. Saturn has bright rings of ice; Mars is a cold desert with the tallest volcano known.",
    "coffee.txt": "Espresso is brewed by forcing hot water through finely ground beans under high pressure. "
    "A good shot has crema on top; milk is steamed separately for a cappuccino or latte.",
    "quakes.md": "Earthquakes happen where tectonic plates grind past each other. Seismographs record the waves, "
    "and the magnitude scale is logarithmic, so each step means far more energy released.",
    "football.txt": "The striker scored twice in the second half, and the goalkeeper saved a penalty in stoppage "
    "time. The league title will be decided on the final matchday.",
}
DOCX_PARAS = [
    "Mortgage guide for first-time purchasers.",
    "A lender will look at your credit history and income before approving a home loan. The deposit is "
    "usually between five and twenty percent of the property price, and the interest rate may be fixed "
    "or variable over a term of twenty-five years.",
]

# (question, expected file, expected page). No distinctive word of the question appears in the answer.
PARAPHRASES = [
    ("how do green plants turn light into food?", "history.pdf", 3),
    ("where did lords live, defended against attackers?", "history.pdf", 2),
    ("ancient channels bringing supplies to towns", "history.pdf", 1),
    ("what propels a passenger jet forward?", "history.pdf", 4),
    ("making a loaf rise with naturally occurring microbes", "sourdough.txt", None),
    ("getting ready for a 42 kilometre footrace", "marathon.md", None),
    ("looking after a young cat", "kitten.html", None),
    ("borrowing to buy a house", "mortgage.docx", None),
]


@pytest.fixture(scope="module")
def searcher(minilm, minilm_path: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("quality")
    root = tmp / "docs"
    for name, text in DOCS.items():
        write(root / name, text)
    write_pdf(root / "history.pdf", PDF_PAGES)
    write_docx(root / "mortgage.docx", DOCX_PARAS)
    settings = Settings(data_dir=tmp / "data", model=minilm_path, chunk_tokens=128, overlap_tokens=16)
    summary = run_to_end(Indexer(settings, embedder=minilm).index([root])).summary
    assert summary.indexed == 9 and summary.failed == 0
    s = Searcher(settings, embedder=minilm)
    yield s
    s.close()


def answer_text(s: Searcher, path: str, page: int | None) -> str:
    rows = s.store.conn.execute(
        "SELECT p.text, p.page FROM passages p JOIN documents d ON d.id = p.doc_id WHERE d.path = ?", (path,)
    ).fetchall()
    return " ".join(t for t, pg in rows if page is None or pg == page)


@pytest.mark.parametrize(("question", "name", "page"), PARAPHRASES)
@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_paraphrase_finds_right_file_and_page(
    searcher: Searcher, mode: str, question: str, name: str, page: int | None
) -> None:
    hits = searcher.search(question, k=5, mode=mode)  # type: ignore[arg-type]
    assert hits, question
    top = hits[0]
    assert (Path(top.path).name, top.page) == (name, page), [(Path(h.path).name, h.page) for h in hits]
    # Honesty check: the question really shares no content word with the answer it found.
    answer_stems = {stem(w) for _, _, w in words(answer_text(searcher, top.path, page))}
    assert not {stem(t) for t in query_terms(question)} & answer_stems
    # The best-sentence highlight lies inside the passage.
    assert top.sentence_span is not None and 0 <= top.sentence_span[0] < top.sentence_span[1] <= len(top.text)


@pytest.mark.parametrize(
    ("question", "name", "expected_words"),
    [
        ("feeding a sourdough starter with flour", "sourdough.txt", {"feedings", "Sourdough", "starter", "flour"}),
        ("chlorophyll and sunlight in the leaf", "history.pdf", {"Chlorophyll", "sunlight", "leaf"}),
        ("vaccinations for kittens", "kitten.html", {"vaccinations", "Kittens", "Kitten"}),
    ],
)
def test_highlights_point_at_query_words(
    searcher: Searcher, question: str, name: str, expected_words: set[str]
) -> None:
    top = searcher.search(question, k=3)[0]
    assert Path(top.path).name == name
    marked = [top.text[s:e] for s, e in top.term_spans]
    assert set(marked) <= expected_words and len(set(marked)) >= 2, marked
    qstems = {stem(t) for t in query_terms(question)}
    assert all(stem(w) in qstems for w in marked)
    s, e = top.sentence_span  # type: ignore[misc]
    sentence = top.text[s:e]
    assert any(w in sentence for w in marked)  # the meaning-highlight is the sentence about the question


def test_unavailable_model_is_one_clear_message_and_keyword_search_works(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The model cannot be had: one line says why and what to do, exit code 3 tells a script the job is
    not whole, and the files are still indexed for keyword search."""
    from jinasearch.cli import main

    write(tmp_path / "docs" / "a.txt", "words about harbour permits")
    code = main(
        ["index", str(tmp_path / "docs"), "--data-dir", str(tmp_path / "d"), "--model", "nobody/no-such-model-anywhere"]
    )
    out, err = capsys.readouterr()
    err = err.strip()
    assert code == 3 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "no-such-model-anywhere" in err and "--model" in err and "Keyword search works now" in err
    assert "1 indexed" in out
    code = main(["search", "harbour", "--mode", "keyword", "--data-dir", str(tmp_path / "d"), "--json"])
    out = capsys.readouterr().out
    assert code == 0 and "a.txt" in out
    # `status` says which folder waits for its vectors, as the app's folder list does.
    code = main(["status", "--data-dir", str(tmp_path / "d"), "--json"])
    folders = json.loads(capsys.readouterr().out)["folders"]
    assert code == 0 and [(f["path"], f["passages"], f["pending"]) for f in folders] == [(str(tmp_path / "docs"), 1, 1)]
    main(["status", "--data-dir", str(tmp_path / "d")])
    out = capsys.readouterr().out
    assert f"{tmp_path / 'docs'}: 1 files, 1 passages, 0 failed\n    1 passages waiting for vectors" in out


@pytest.mark.parametrize(
    "question",
    ["how do I replace a bicycle chain?", "what is the boiling point of tungsten", "symptoms of a broken wrist"],
)
def test_a_question_nothing_answers_gets_no_results(searcher: Searcher, question: str) -> None:
    """Nothing in the folder is close in meaning or holds the question's words: no results, not junk."""
    assert searcher.search(question, k=10) == []
    weak = searcher.search(question, k=10, weak=True)  # the nearest ones are there on request, marked
    assert weak and not any(h.close for h in weak)


def test_an_answered_question_keeps_its_results_under_the_floor(searcher: Searcher) -> None:
    hits = searcher.search("how do green plants turn light into food?", k=10)
    assert hits and hits[0].close and Path(hits[0].path).name == "history.pdf"
