"""The search field tells what a query may say besides plain language (its placeholder and tooltip)."""

from __future__ import annotations

from html import escape

from jinasearch.core.models import QUERY_SYNTAX
from jinasearch.gui.search_bar import SearchBar


def test_the_search_field_documents_the_query_syntax(qtbot) -> None:  # type: ignore[no-untyped-def]
    bar = SearchBar()
    qtbot.addWidget(bar)
    placeholder, tip = bar.field.placeholderText(), bar.field.toolTip()
    assert "plain language" in placeholder.lower()
    for form, what in QUERY_SYNTAX:
        assert escape(form) in tip and escape(what) in tip, form
    assert '"exact phrase"' in placeholder and "type:pdf" in placeholder and "in:folder" in placeholder


def test_every_format_the_app_reads_is_in_one_type_of_the_filter() -> None:
    from jinasearch.core.extract import REGISTRY
    from jinasearch.gui.search_bar import TYPES

    groups = [set(exts) for label, exts in TYPES if exts]
    for suffix in REGISTRY:
        owners = [label for label, exts in TYPES if suffix in exts]
        assert len(owners) == 1, (suffix, owners)
    assert all(groups), "an empty type would find nothing"


def test_choosing_a_type_filters_on_its_suffixes(qtbot) -> None:  # type: ignore[no-untyped-def]
    from jinasearch.gui.search_bar import TYPES

    bar = SearchBar()
    qtbot.addWidget(bar)
    bar.type.setCurrentIndex([label for label, _ in TYPES].index("Presentations"))
    assert set(bar.filters().exts) == {".pptx", ".pptm", ".odp", ".otp"}
