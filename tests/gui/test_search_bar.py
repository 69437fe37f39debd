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
