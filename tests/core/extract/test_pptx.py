"""PowerPoint: a unit a slide with its number, the title as heading, tables, groups and speaker notes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract
from tests.core.extract.office import bomb, register_office, truncated, unit_of_word, write_pptx


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register_office(monkeypatch)


def test_slides_titles_tables_groups_and_notes(tmp_path: Path) -> None:
    f = write_pptx(
        tmp_path / "deck.pptx",
        [
            ("Kickoff", ["Who is here", "What we build"], ""),
            ("Roadmap", ["Ship the wobbleton in May"], "Say the date twice"),
            ("Numbers", ["Revenue by region"], "Ask about the franzic deal"),
        ],
        table=[["Region", "Revenue"], ["Skelmar", "40"]],
        group=["grouped glimmerwort box"],
    )
    found = extract(f)
    assert [p.number for p in found.pages] == [1, 2, 3]
    assert [(h.level, h.title) for h in found.headings] == [(1, "Kickoff"), (1, "Roadmap"), (1, "Numbers")]
    assert [h.start for h in found.headings] == [p.start for p in found.pages]
    assert unit_of_word(found, "wobbleton") == 2
    for word in ("Skelmar", "glimmerwort", "franzic"):
        assert unit_of_word(found, word) == 3
    last = found.text[found.pages[2].start : found.pages[2].end]
    assert last == (
        "Numbers\nRevenue by region\nRegion | Revenue\nSkelmar | 40\ngrouped glimmerwort box\n\n"
        "Notes: Ask about the franzic deal"
    )
    assert "Notes: Say the date twice" in found.text[found.pages[1].start : found.pages[1].end]


def test_an_empty_slide_keeps_the_numbers_of_the_next(tmp_path: Path) -> None:
    f = write_pptx(tmp_path / "deck.pptx", [("", [], ""), ("Second", ["the blorvish slide"], "")])
    found = extract(f)
    assert [p.number for p in found.pages] == [2] and unit_of_word(found, "blorvish") == 2


def test_damaged_decks_are_refused_with_a_reason(tmp_path: Path) -> None:
    real = write_pptx(tmp_path / "real.pptx", [("Title", ["body"], "")])
    with pytest.raises(ExtractionError, match="damaged file"):
        extract(truncated(real, tmp_path / "cut.pptx"))
    (tmp_path / "noise.pptx").write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ExtractionError, match="damaged file"):
        extract(tmp_path / "noise.pptx")
    with pytest.raises(ExtractionError, match="bomb"):
        extract(bomb(tmp_path / "bomb.pptx", "ppt/slides/slide1.xml"))
    with zipfile.ZipFile(tmp_path / "other.pptx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ExtractionError, match="damaged PPTX"):
        extract(tmp_path / "other.pptx")
