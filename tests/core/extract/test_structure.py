"""Real-document structure: a long PDF's outline and running headers, a Sphinx page's furniture and code,
plain-text and DOCX headings; every passage knows its heading path."""

from __future__ import annotations

import random
from pathlib import Path

from jinasearch.core.chunk import chunk_text
from jinasearch.core.extract import extract
from tests.core.docgen import SPHINX_PAGE, write_docx, write_pdf_with_outline
from tests.fakes import WordTokenizer

PLANTS = (
    "tomatoes",
    "roses",
    "basil",
    "ferns",
    "lettuce",
    "orchids",
    "mint",
    "apple trees",
    "peonies",
    "beans",
    "tulips",
)
TASKS = (
    "prune",
    "feed",
    "repot",
    "mulch",
    "stake",
    "shade",
    "divide",
    "thin out",
    "cover",
    "harvest",
    "weed around",
    "trim",
)
WHEN = ("in spring", "after rain", "before frost", "at dawn", "in late summer", "when buds form", "every week")
HOW = ("use clean shears", "water deeply first", "add compost", "check for aphids", "keep the roots cool",
       "loosen the soil", "cut above a node", "wear gloves", "label each pot", "avoid wet leaves")  # fmt: skip
CHAPTERS = 10
PAGES_PER_CHAPTER = 30  # 300 pages


def manual_pages() -> tuple[list[str], list[tuple[int, str, int]]]:
    """300 pages: a running header and a page number on every page, a chapter every 30 pages and a
    section every 10; each page has its own rare word (token<page>)."""
    pages, outline = [], []
    for i in range(CHAPTERS * PAGES_PER_CHAPTER):
        chapter, section = i // PAGES_PER_CHAPTER + 1, i // 10 + 1
        lines = [f"The Garden Manual Chapter {chapter}"]
        if i % PAGES_PER_CHAPTER == 0:
            title = f"{chapter} Growing plant family {chapter}"
            lines.append(title)
            outline.append((1, title, i))
        if i % 10 == 0:
            title = f"{chapter}.{section} Care routine {section}"
            lines.append(title)
            outline.append((2, title, i))
        rng = random.Random(i)
        body = " ".join(
            f"To {rng.choice(TASKS)} the {rng.choice(PLANTS)} {rng.choice(WHEN)}, {rng.choice(HOW)}." for _ in range(8)
        )
        lines.append(f"This page is about case token{i + 1}. {body}")
        lines.append(str(i + 1))
        pages.append("\n\n".join(lines))
    return pages, outline


def test_a_300_page_pdf_with_an_outline_keeps_its_sections_and_drops_its_running_header(tmp_path: Path) -> None:
    pages, outline = manual_pages()
    path = write_pdf_with_outline(tmp_path / "manual.pdf", pages, outline)
    ex = extract(path)
    assert len(ex.pages) == 300
    assert [(h.level, h.title) for h in ex.headings] == [(lv, t) for lv, t, _ in outline]
    for h in ex.headings:  # each heading sits on its page, at its title
        page = next(p for p in ex.pages if p.start <= h.start < p.end)
        assert (
            ex.text[h.start : h.start + len(h.title)] == h.title and page.number == outline[ex.headings.index(h)][2] + 1
        )
    assert "The Garden Manual" not in ex.text  # the running header is gone from all 300 pages
    assert "\n155\n" not in ex.text and "case token155." in ex.text  # page numbers gone, the text kept
    chunks = chunk_text(ex, WordTokenizer(), max_tokens=60, overlap_tokens=0)
    on_155 = [c for c in chunks if c.page == 155]
    assert on_155 and all(c.section == "6 Growing plant family 6 › 6.16 Care routine 16" for c in on_155)
    assert all(c.section for c in chunks)  # no passage without its place


def test_a_sphinx_page_yields_its_article_with_code_as_written(tmp_path: Path) -> None:
    (tmp_path / "json.html").write_text(SPHINX_PAGE, encoding="utf-8")
    ex = extract(tmp_path / "json.html")
    assert ex.title.startswith("json — JSON encoder and decoder")
    for furniture in ("Navigation", "Previous topic", "Next topic", "This Page", "Report a Bug", "Show Source",
                      "Table of Contents", "Copyright", "¶", "index", "previous"):  # fmt: skip
        assert furniture not in ex.text, furniture
    assert ">>> json.dumps(['foo', {'bar': ('baz', None, 1.0, 2)}])" in ex.text  # no invented spaces
    assert "json.dump(obj, fp)" in ex.text and "a .write()-supporting file-like object" in ex.text
    assert [(h.level, h.title) for h in ex.headings] == [(1, "json — JSON encoder and decoder"), (2, "Basic Usage")]
    chunks = chunk_text(ex, WordTokenizer(), max_tokens=200, overlap_tokens=0)
    assert chunks[-1].section == "json — JSON encoder and decoder › Basic Usage"
    assert any("json.dumps(" in c.text for c in chunks)


def test_markdown_rst_numbered_and_docx_headings(tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text("# Trip\n\nWe left early.\n\n## Day one\n\nRain.\n\n```\n# not a heading\n```\n", encoding="utf-8")
    assert [(h.level, h.title) for h in extract(md).headings] == [(1, "Trip"), (2, "Day one")]
    rst = tmp_path / "guide.txt"
    rst.write_text(
        "Install\n=======\n\nRun it.\n\nUsage\n-----\n\nCall it.\n\n4.7 Standards for Graphical Interfaces\n\nUse GTK.\n"
    )
    assert [(h.level, h.title) for h in extract(rst).headings] == [
        (1, "Install"),
        (2, "Usage"),
        (2, "4.7 Standards for Graphical Interfaces"),
    ]
    doc = tmp_path / "report.docx"
    write_docx(doc, ["Findings", "The soil was dry."])
    import docx

    d = docx.Document(str(doc))
    d.paragraphs[0].style = d.styles["Heading 1"]
    d.save(str(doc))
    ex = extract(doc)
    assert [(h.level, h.title) for h in ex.headings] == [(1, "Findings")]
    assert chunk_text(ex, WordTokenizer())[0].section == "Findings"


def test_all_caps_lines_head_a_man_page_but_only_label_a_part_of_a_numbered_section(tmp_path: Path) -> None:
    man = tmp_path / "tool.txt"
    man.write_text("NAME\n\ntool - does things\n\nSYNOPSIS\n\ntool [options]\n")
    assert [(h.level, h.title) for h in extract(man).headings] == [(1, "NAME"), (1, "SYNOPSIS")]
    faq = tmp_path / "FAQ.txt"
    faq.write_text(
        "3.16 What certificates do I need?\n\nThere are kinds.\n\n  SERVER CERTIFICATE\n\nThe server has one.\n\n"
        "  PROGRAM:SOURCEFILE:LINENO: MESSAGE\n\nis the format.\n\n3.17 How do I list the root certificates?\n\n"
        "Look in the bundle.\n"
    )
    ex = extract(faq)
    assert [(h.level, h.title) for h in ex.headings] == [
        (2, "3.16 What certificates do I need?"),
        (3, "SERVER CERTIFICATE"),
        (2, "3.17 How do I list the root certificates?"),
    ]
    # The next numbered section ends the label instead of sitting under it.
    last = chunk_text(ex, WordTokenizer(), max_tokens=12, overlap_tokens=0)[-1]
    assert last.section == "3.17 How do I list the root certificates?"
