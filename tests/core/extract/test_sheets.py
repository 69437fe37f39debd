"""XLSX and CSV: a unit a sheet with its name, rows as lines under a header heading, caps, cached values, damage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract, table_text
from jinasearch.core.textkind import classify
from tests.core.extract.office import bomb, register_office, truncated, unit_of_word, write_csv, write_xlsx


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register_office(monkeypatch)


def test_xlsx_one_unit_a_sheet_named_with_its_header(tmp_path: Path) -> None:
    f = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Staff": [["Name", "Start"], ["Ana", dt.datetime(2024, 3, 5)]],
            "Stock": [["Stock list"], ["Item", "Count", "Price"], ["grommelet", 12, 0.5], ["nut", None, 3.0]],
        },
        title="Inventory",
    )
    found = extract(f)
    assert [p.number for p in found.pages] == [1, 2] and found.title == "Inventory"
    assert unit_of_word(found, "grommelet") == 2
    assert found.text[found.pages[0].start : found.pages[0].end] == "Staff\nName | Start\nAna | 2024-03-05"
    assert found.text[found.pages[1].start : found.pages[1].end] == (
        "Stock\nStock list\nItem | Count | Price\ngrommelet | 12 | 0.5\nnut | | 3"
    )
    stock = [(h.level, h.title) for h in found.headings if h.start >= found.pages[1].start]
    assert stock == [(1, "Stock"), (2, "Item | Count | Price")]  # a one-cell title row is no header


def test_xlsx_formulas_are_never_run(tmp_path: Path) -> None:
    """A formula gives the value its program saved; openpyxl saves none, so nothing is shown for it."""
    f = write_xlsx(tmp_path / "f.xlsx", {"S": [["a", "b"], [1, "=A2*1000"], ["zentrop", 2]]})
    found = extract(f)
    assert "zentrop | 2" in found.text and "A2" not in found.text and "1000" not in found.text


def test_xlsx_rows_capped_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_text, "MAX_ROWS", 20)
    f = write_xlsx(
        tmp_path / "big.xlsx", {"One": [[f"r{i}", i] for i in range(15)], "Two": [[f"s{i}", i] for i in range(15)]}
    )
    found = extract(f)
    assert "s4 | 4" in found.text and "s5" not in found.text and [p.number for p in found.pages] == [1, 2]
    assert found.partial is not None and "first 20 rows" in found.partial


def test_csv_sniffs_its_delimiter_and_encoding(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "t.csv",
        [["Ville", "Note"], ["Orléans; Loiret", "très bien"], ["Quimpervax", "7"]],
        delimiter=";",
        encoding="cp1252",
    )
    found = extract(f)
    assert found.text == "Ville | Note\nOrléans; Loiret | très bien\nQuimpervax | 7" and found.pages == ()
    assert [(h.level, h.title, h.start) for h in found.headings] == [(1, "Ville | Note", 0)]
    tsv = write_csv(tmp_path / "t.tsv", [["a", "b, c"], ["d", "e"]], delimiter="\t")
    assert extract(tsv).text == "a | b, c\nd | e"


def test_sheets_of_figures_are_data_and_sheets_of_sentences_prose(tmp_path: Path) -> None:
    """What the embedding budget is told (core/textkind.py), from the text alone: no special case."""
    figures = [["Date", "Sensor", "Reading"]] + [[f"2024-01-{d:02}", f"s{d % 4}", d * 1.5] for d in range(1, 29)] * 8
    text = extract(write_xlsx(tmp_path / "f.xlsx", {"Log": figures})).text
    assert classify(".xlsx", text).kind == "data"
    assert classify(".csv", extract(write_csv(tmp_path / "f.csv", figures)).text).kind == "data"
    answers = [["Answer"]] + [
        [f"I liked the course because the teacher explained every step clearly, case {i}."] for i in range(60)
    ]
    assert classify(".xlsx", extract(write_xlsx(tmp_path / "p.xlsx", {"Survey": answers})).text).kind == "prose"
    assert classify(".csv", extract(write_csv(tmp_path / "p.csv", answers)).text).kind == "prose"


def test_damaged_workbooks_are_refused_with_a_reason(tmp_path: Path) -> None:
    real = write_xlsx(tmp_path / "real.xlsx", {"S": [["a", "b"]]})
    with pytest.raises(ExtractionError, match="damaged file"):
        extract(truncated(real, tmp_path / "cut.xlsx"))
    (tmp_path / "noise.xlsx").write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ExtractionError, match="damaged file"):
        extract(tmp_path / "noise.xlsx")
    with pytest.raises(ExtractionError, match="bomb"):
        extract(bomb(tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml"))
    (tmp_path / "noise.csv").write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ExtractionError, match="binary"):
        extract(tmp_path / "noise.csv")
