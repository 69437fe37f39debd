"""chunk_text(): token bounds, overlap, page boundaries, and offsets that map back to the text exactly."""

from __future__ import annotations

import random

import pytest

from jinasearch.core.chunk import chunk_text
from jinasearch.core.models import Extracted, Heading, Page
from tests.fakes import WordTokenizer

TOK = WordTokenizer()
WORDS = "river stone quiet lamp orbit velvet harbor maple signal ember canyon meadow cobalt lantern".split()


def prose(n_sentences: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    out = []
    for i in range(n_sentences):
        sent = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14)))
        out.append(sent.capitalize() + ".")
        if i % 5 == 4:
            out.append("\n\n")
    return " ".join(out).replace(" \n\n ", "\n\n")


def ntok(text: str) -> int:
    return TOK.count([text])[0]


@pytest.mark.parametrize(("max_tokens", "overlap"), [(20, 0), (40, 8), (64, 16), (200, 32)])
def test_bounds_offsets_and_coverage(max_tokens: int, overlap: int) -> None:
    text = prose(120)
    chunks = chunk_text(Extracted(text), TOK, max_tokens=max_tokens, overlap_tokens=overlap)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    covered = [False] * len(text)
    for c in chunks:
        assert c.text == text[c.char_start : c.char_end]
        assert 0 < ntok(c.text) <= max_tokens
        assert c.page is None
        for i in range(c.char_start, c.char_end):
            covered[i] = True
    # Every word of the document lands in some passage.
    assert all(covered[m.start()] for m in __import__("re").finditer(r"\w+", text))
    starts = [c.char_start for c in chunks]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_overlap_carries_trailing_sentences() -> None:
    text = " ".join(f"Sentence number {w} is here." for w in WORDS * 3)  # 5 tokens each
    chunks = chunk_text(Extracted(text), TOK, max_tokens=30, overlap_tokens=10)
    assert len(chunks) > 3
    for a, b in zip(chunks, chunks[1:]):
        assert b.char_start < a.char_end  # shares text with its predecessor
        assert ntok(text[b.char_start : a.char_end]) <= 10
    none = chunk_text(Extracted(text), TOK, max_tokens=30, overlap_tokens=0)
    for a, b in zip(none, none[1:]):
        assert b.char_start >= a.char_end


def test_cuts_at_sentence_boundaries() -> None:
    text = prose(60, seed=3)
    chunks = chunk_text(Extracted(text), TOK, max_tokens=50, overlap_tokens=10)
    assert len(chunks) > 3  # the text is long enough to need several passages
    for c in chunks:
        assert c.text[-1] == "." and c.text[0].isupper()


def test_overlong_sentence_is_split_by_tokens() -> None:
    text = " ".join(["word"] * 95) + "."
    chunks = chunk_text(Extracted(text), TOK, max_tokens=20, overlap_tokens=0)
    assert [ntok(c.text) for c in chunks] == [20, 20, 20, 20, 15]
    assert all(c.text == text[c.char_start : c.char_end] for c in chunks)
    assert chunks[-1].char_end == len(text) - 1  # the final "." is not a token of WordTokenizer


def test_never_crosses_a_page() -> None:
    p1, p2, p3 = prose(7, 1), prose(30, 2), prose(2, 3)
    text = f"{p1}\n\n{p2}\n\n{p3}"
    a = len(p1) + 2
    b = a + len(p2) + 2
    pages = (Page(1, 0, len(p1)), Page(2, a, a + len(p2)), Page(4, b, b + len(p3)))
    chunks = chunk_text(Extracted(text, pages), TOK, max_tokens=60, overlap_tokens=20)
    by_page = {p.number: p for p in pages}
    assert {c.page for c in chunks} == {1, 2, 4}
    for c in chunks:
        page = by_page[c.page]  # type: ignore[index]
        assert page.start <= c.char_start < c.char_end <= page.end
        assert c.text == text[c.char_start : c.char_end]
    # Overlap never reaches back into the previous page.
    first_on_2 = next(c for c in chunks if c.page == 2)
    assert first_on_2.char_start == a


def test_empty_and_tiny_inputs() -> None:
    assert chunk_text(Extracted(""), TOK) == []
    assert chunk_text(Extracted("   \n\n "), TOK) == []
    [only] = chunk_text(Extracted("  Just one line  "), TOK)
    assert (only.text, only.char_start) == ("Just one line", 2)
    with pytest.raises(ValueError):
        chunk_text(Extracted("x"), TOK, max_tokens=4)


@pytest.mark.model
def test_real_tokenizer_bounds(minilm) -> None:  # type: ignore[no-untyped-def]
    """With the model's own tokenizer, no passage exceeds the budget (the model would truncate it)."""
    text = prose(80, seed=9) + " " + "Pneumonoultramicroscopicsilicovolcanoconiosis " * 60
    tok = minilm.tokenizer
    chunks = chunk_text(Extracted(text), tok, max_tokens=64, overlap_tokens=16)
    assert chunks
    for c in chunks:
        assert c.text == text[c.char_start : c.char_end]
        assert tok.count([c.text])[0] <= 64


def test_a_section_starts_at_its_heading_even_after_a_short_tail_of_the_one_before() -> None:
    # Section A fills a passage and spills a few sentences into the next; section B's heading must
    # start B's first passage (not leave A's last lines at its top under B's name).
    a_text = " ".join(f"Alpha sentence {w} here." for w in WORDS * 2)  # 28 sentences, 4 tokens each
    b_text = " ".join(f"Beta line {w} now." for w in WORDS)
    text = f"A\n\n{a_text}\n\nB\n\n{b_text}"
    b_at = text.index("B\n\n")
    headings = (Heading(1, "A", 0), Heading(1, "B", b_at))
    chunks = chunk_text(Extracted(text, headings=headings), TOK, max_tokens=100, overlap_tokens=10)
    first_b = next(c for c in chunks if c.section == "B")
    assert first_b.char_start == b_at
    assert all(c.char_end <= b_at for c in chunks if c.section == "A")
    assert all("Alpha" not in c.text for c in chunks if c.section == "B")
    # Without the heading B, the same text packs across the seam as before.
    plain = chunk_text(Extracted(text, headings=headings[:1]), TOK, max_tokens=100, overlap_tokens=10)
    assert any("Alpha" in c.text and "Beta" in c.text for c in plain)


def test_section_cuts_start_a_passage_at_every_heading() -> None:
    """A short section stays with its neighbour by default (MIN_FILL); with section cuts it never
    shares a passage with the next section."""
    from jinasearch.core.models import Heading

    text = "Intro words here. " * 3 + "Options are many. " * 20
    second = text.index("Options")
    ex = Extracted(text, headings=(Heading(1, "Intro", 0), Heading(1, "Options", second)))
    merged = chunk_text(ex, TOK, max_tokens=120, overlap_tokens=0)
    cut = chunk_text(ex, TOK, max_tokens=120, overlap_tokens=0, section_cuts=True)
    assert merged[0].char_start == 0 and merged[0].char_end > second  # the short intro joined the options
    assert cut[0].char_end <= second and cut[1].char_start == second
    assert [c.section for c in cut[:2]] == ["Intro", "Options"]
