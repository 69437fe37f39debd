"""Result cards show a window of the passage around its highlights, with Qt-correct offsets."""

from __future__ import annotations

from jinasearch.core.models import Hit
from jinasearch.gui.results import card_for
from jinasearch.gui.snippet import hit_spans, same_run, snippet, spans_utf16, utf16_offsets


def test_short_text_is_kept_whole_with_newlines_flattened() -> None:
    text, spans = snippet("alpha\nbeta gamma", [(6, 10, "term")])
    assert text == "alpha beta gamma" and text[6:10] == "beta" and spans == [(6, 10, "term")]


def test_long_text_is_cut_around_the_best_sentence_and_spans_follow() -> None:
    body = "filler words here. " * 60
    target = "The lighthouse budget was approved."
    full = body + target + " " + body
    s = len(body)
    spans = [(s, s + len(target), "sentence"), (s + 4, s + 14, "term")]
    text, out = snippet(full, spans, limit=200)
    assert len(text) <= 210 and text.startswith("… ") and text.endswith(" …")
    sentence = next((a, b) for a, b, k in out if k == "sentence")
    term = next((a, b) for a, b, k in out if k == "term")
    assert text[sentence[0] : sentence[1]] == target
    assert text[term[0] : term[1]] == "lighthouse"


def test_offsets_are_converted_to_utf16_after_astral_characters() -> None:
    text = "😀 budget"
    assert utf16_offsets(text, [2, 8]) == [3, 9]
    assert spans_utf16(text, [(2, 8, "term")]) == [(3, 9, "term")]


def test_card_has_file_page_badge_and_ordered_spans() -> None:
    hit = Hit(
        passage_id=1,
        doc_id=1,
        path="/docs/report.pdf",
        page=7,
        score=0.5,
        text="Budget for the lighthouse.",
        char_start=0,
        char_end=26,
        sources=("semantic",),
        term_spans=((0, 6),),
        sentence_span=(0, 26),
    )
    assert hit_spans(hit) == [(0, 26, "sentence"), (0, 6, "term")]  # terms paint over the sentence
    card = card_for(hit)
    assert card.title == "report.pdf · p. 7" and card.badge == "semantic"


def test_a_widened_hit_is_the_same_run_whatever_whitespace_fills_its_gap() -> None:
    assert same_run("alpha \nbeta", "alpha\n\nbeta")
    assert not same_run("alpha  beta", "alpha\nbet")  # not the same length: offsets would not hold
    assert not same_run("alpha beta", "alpha bexa")
