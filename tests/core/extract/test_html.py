"""HTML: only the text a reader sees; scripts and styles dropped; blocks become paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinasearch.core.errors import ExtractionError
from jinasearch.core.extract import extract

PAGE = """<!doctype html><html><head><title>Garden notes</title>
<style>body { color: red } .secretstyle {}</style>
<script>var trackingCode = "secretscript";</script></head>
<body><h1>Tomatoes</h1><p>Water them   in the <b>morning</b>.</p>
<noscript>enable javascript please</noscript><ul><li>Basil</li><li>Mint</li></ul>
<script type="module">console.log("secretmodule")</script><p>Caf&eacute; &amp; more</p></body></html>"""


def test_html_visible_text_only(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(PAGE, encoding="utf-8")
    extracted = extract(f)
    text = extracted.text
    for hidden in ("secretstyle", "secretscript", "secretmodule", "color", "javascript"):
        assert hidden not in text
    # The page's title is the document's title (shown in the breadcrumb, searched as its own column).
    assert extracted.title == "Garden notes" and text.startswith("Tomatoes")
    assert "Water them in the morning." in text  # inline markup adds no space
    assert "Café & more" in text
    # Block elements end paragraphs, so the chunker sees structure.
    assert "Tomatoes\n\n" in text and "Basil" in text and "Mint" in text


def test_html_in_legacy_encoding(tmp_path: Path) -> None:
    f = tmp_path / "old.htm"
    f.write_bytes(
        ("<html><body><p>" + "Prix spécial : déjà réduit, très élégant. " * 5 + "</p></body></html>").encode("cp1252")
    )
    assert "déjà réduit" in extract(f).text


def test_an_articles_own_header_with_its_heading_is_content(tmp_path: Path) -> None:
    f = tmp_path / "post.html"
    f.write_text(
        "<html><body><header><a href='/'>Site logo</a><nav>Home | Blog</nav></header><main><article>"
        "<header><h2>Installing the widget</h2><p>Posted in May</p></header><p>Unpack it first.</p>"
        + "<p>Then read the instructions that came in the box, twice, before you plug anything in.</p>" * 3
        + "</article></main></body></html>",
        encoding="utf-8",
    )
    ex = extract(f)
    assert [(h.level, h.title) for h in ex.headings] == [(2, "Installing the widget")]
    assert "Site logo" not in ex.text and "Installing the widget" in ex.text and "Unpack it first." in ex.text


def test_a_log_saved_as_one_long_pre_is_read_to_its_end(tmp_path: Path) -> None:
    # libxml2 drops text nodes over 10 MB unless asked not to; the whole page would read as empty.
    f = tmp_path / "server-log.html"
    lines = "".join(f"2026-11-30 12:00:{i % 60:02d} worker {i} finished batch\n" for i in range(250_000))
    f.write_text(f"<html><body><pre>{lines}</pre><p>End of log marker</p></body></html>", encoding="utf-8")
    assert len(lines) > 10_000_000
    text = extract(f).text
    assert "worker 249999 finished batch" in text and text.rstrip().endswith("End of log marker")


def test_markup_nested_past_the_parsers_limit_is_reported_not_read_as_empty(tmp_path: Path) -> None:
    f = tmp_path / "nested.html"
    f.write_text("<html><body>" + "<div>" * 3000 + "deep text" + "</div>" * 3000 + "</body></html>")
    with pytest.raises(ExtractionError, match="nested too deeply"):
        extract(f)


def test_unclosed_inline_tags_hundreds_deep_still_read(tmp_path: Path) -> None:
    # Old generators leave <font> open; libxml2's default depth limit (256) would lose the rest of the page.
    f = tmp_path / "fonts.html"
    f.write_text("<html><body>" + "<font size=2>word " * 600 + "<p>last paragraph</p></body></html>")
    assert "last paragraph" in extract(f).text
