"""Words, query terms, stems and sentence spans."""

from __future__ import annotations

from jinasearch.core.language import query_terms, sentences, stem, words


def test_words_keep_identifiers_whole() -> None:
    got = [w for _, _, w in words("Call parse_header() in v2.1 — don't fail on err-42!")]
    assert got == ["Call", "parse_header", "in", "v2.1", "don't", "fail", "on", "err-42"]
    text = "héllo wörld"
    assert [text[s:e] for s, e, _ in words(text)] == ["héllo", "wörld"]


def test_query_terms_drop_stop_words_and_duplicates() -> None:
    assert query_terms("What is the capital of France and the capital of Spain?") == ["capital", "France", "Spain"]
    assert query_terms("The THE the") == ["The"]  # all stop words: keep rather than search nothing
    assert query_terms("") == []
    assert query_terms("how do I fix E1234 in parse_header") == ["fix", "E1234", "parse_header"]


def test_stem_is_lowercase_snowball() -> None:
    assert stem("Running") == stem("runs") == "run"
    assert stem("studies") == stem("study")


def test_sentences_split_prose_and_trim() -> None:
    text = '  First one. Second one!  Third? "Quoted start." Done'
    spans = sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!", "Third?", '"Quoted start."', "Done"]


def test_sentences_keep_abbreviation_like_lowercase_and_numbers() -> None:
    text = "Version 2.1 is out. see e.g. the notes. Total was 3.5 kg."
    assert [text[s:e] for s, e in sentences(text)] == ["Version 2.1 is out. see e.g. the notes.", "Total was 3.5 kg."]


def test_sentences_break_at_paragraphs_and_list_items() -> None:
    text = "Heading\n\nA paragraph without stop\n- item one\n- item two"
    assert [text[s:e] for s, e in sentences(text)] == [
        "Heading",
        "A paragraph without stop",
        "- item one",
        "- item two",
    ]
    assert sentences("") == [] and sentences("   ") == []
