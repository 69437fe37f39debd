"""HTML: only the text a reader sees; scripts and styles dropped; blocks become paragraphs."""

from __future__ import annotations

from pathlib import Path

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
