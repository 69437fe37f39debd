"""OpenDocument: text with headings and tables, a unit a sheet and a slide, damaged packages refused with a reason."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract, table_text
from tests.core.extract.office import bomb, register_office, truncated, unit_of_word, write_odp, write_ods, write_odt


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    register_office(monkeypatch)


def test_odt_paragraphs_headings_and_tables(tmp_path: Path) -> None:
    f = write_odt(
        tmp_path / "a.odt",
        [(1, "Harbour works"), (None, "The quay\twas rebuilt in vornquist stone."), (2, "Costs")],
        title="Port report",
        table=[["Item", "Cost"], ["Crane", 1200]],
    )
    found = extract(f)
    assert found.text == (
        "Harbour works\n\nThe quay was rebuilt in vornquist stone.\n\nCosts\n\nItem | Cost\nCrane | 1200"
    )
    assert [(h.level, h.title) for h in found.headings] == [(1, "Harbour works"), (2, "Costs")]
    assert all(found.text.startswith(h.title, h.start) for h in found.headings)
    assert found.title == "Port report" and found.pages == ()


def test_ods_one_unit_a_sheet_with_its_name_and_header(tmp_path: Path) -> None:
    f = write_ods(
        tmp_path / "a.ods",
        {"Fruit": [["Name", "Qty"], ["apple", 3]], "Roots": [["Name", "Qty"], ["trelmish", 2.5], ["leek", 7]]},
        title="Larder",
    )
    found = extract(f)
    assert unit_of_word(found, "trelmish") == 2 and "trelmish | 2.5" in found.text
    assert [p.number for p in found.pages] == [1, 2] and found.title == "Larder"
    roots = [h for h in found.headings if h.start >= found.pages[1].start]
    assert [(h.level, h.title) for h in roots] == [(1, "Roots"), (2, "Name | Qty")]
    assert found.text[found.pages[1].start : found.pages[1].end] == "Roots\nName | Qty\ntrelmish | 2.5\nleek | 7"


def test_ods_repeated_empty_rows_cost_nothing(tmp_path: Path) -> None:
    """A sheet formatted to the last row stores one row element repeated a million times."""
    f = write_ods(tmp_path / "a.ods", {"S": [["a", "b"], ["c", "d"]]})
    with zipfile.ZipFile(f) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    filler = b'<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>'
    members["content.xml"] = members["content.xml"].replace(b"</table:table>", filler + b"</table:table>", 1)
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert extract(f).text == "S\na | b\nc | d"


def test_ods_rows_capped_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_text, "MAX_ROWS", 10)
    f = write_ods(tmp_path / "a.ods", {"S": [[f"row{i}", i] for i in range(50)]})
    found = extract(f)
    assert "row9 | 9" in found.text and "row10" not in found.text
    assert found.partial is not None and "first 10 rows" in found.partial


def test_odp_one_unit_a_slide_title_and_notes(tmp_path: Path) -> None:
    f = write_odp(
        tmp_path / "a.odp",
        [("Welcome", ["Agenda for today"], ""), ("Budget", ["Spend less on plinthery"], "Mention the quoggle")],
    )
    found = extract(f)
    assert [p.number for p in found.pages] == [1, 2]
    assert unit_of_word(found, "plinthery") == 2 and unit_of_word(found, "quoggle") == 2
    assert (
        found.text[found.pages[1].start : found.pages[1].end]
        == "Budget\nSpend less on plinthery\n\nNotes: Mention the quoggle"
    )
    assert [(h.level, h.title, h.start) for h in found.headings] == [
        (1, "Welcome", 0),
        (1, "Budget", found.pages[1].start),
    ]


@pytest.mark.parametrize("suffix", [".odt", ".ods", ".odp"])
def test_damaged_packages_are_refused_with_a_reason(tmp_path: Path, suffix: str) -> None:
    good = {".odt": lambda p: write_odt(p, [(None, "text")]), ".ods": lambda p: write_ods(p, {"S": [["a"]]})}
    real = good.get(suffix, lambda p: write_odp(p, [("t", ["b"], "")]))(tmp_path / f"real{suffix}")
    with pytest.raises(ExtractionError, match="damaged file"):
        extract(truncated(real, tmp_path / f"cut{suffix}"))
    (tmp_path / f"noise{suffix}").write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ExtractionError, match="damaged file"):
        extract(tmp_path / f"noise{suffix}")
    with pytest.raises(ExtractionError, match="bomb"):
        extract(bomb(tmp_path / f"bomb{suffix}", "content.xml"))


@pytest.mark.parametrize("suffix", [".odt", ".ods", ".odp"])
def test_a_zip_that_is_no_opendocument(tmp_path: Path, suffix: str) -> None:
    with zipfile.ZipFile(tmp_path / f"x{suffix}", "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ExtractionError, match="damaged OD"):
        extract(tmp_path / f"x{suffix}")
