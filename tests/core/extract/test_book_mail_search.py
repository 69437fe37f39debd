"""EPUB, RTF and mail end to end: indexed by the real indexer, each found by its own word at its chapter or message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jinasearch.core.search import Searcher
from tests.core.docgen import write_docx
from tests.core.extract.bookmail import attach, mail, register_book_mail, write_eml, write_epub, write_mbox, write_rtf
from tests.core.helpers import run_index, settings_for
from tests.fakes import FakeEmbedder

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def searcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Searcher]:
    register_book_mail(monkeypatch)
    root = tmp_path / "docs"
    root.mkdir()
    write_epub(
        root / "sea.epub",
        "The Sea Book",
        ["<h1>Tides</h1><p>The moon pulls the water.</p>", "<h1>Waves</h1><p>Wind raises quendril waves.</p>"],
    )
    write_rtf(root / "garden.rtf", r"{\pard\outlinelevel0 Garden\par}{\pard Tomatoes like vrolnik soil.\par}")
    docx = write_docx(tmp_path / "plan.docx", ["The plan names the grelvash site."]).read_bytes()
    write_eml(root / "plan.eml", attach(mail("Site plan", "Plan attached."), docx, "plan.docx", DOCX))
    write_mbox(root / "inbox.mbox", [mail("Hello", "Nothing much."), mail("Lunch", "Shall we try azimorph soup?")])
    settings = settings_for(tmp_path)
    summary, _ = run_index(settings, [root], FakeEmbedder())
    assert (summary.indexed, summary.failed) == (4, 0), summary.errors
    s = Searcher(settings, embedder=FakeEmbedder())
    yield s
    s.close()


def test_an_epub_is_found_at_its_chapter(searcher: Searcher) -> None:
    (hit,) = searcher.search("quendril", mode="keyword")
    assert Path(hit.path).name == "sea.epub" and hit.page == 2 and hit.title == "The Sea Book"
    assert "Waves" in hit.section


def test_an_rtf_is_found_under_its_heading(searcher: Searcher) -> None:
    (hit,) = searcher.search("vrolnik", mode="keyword")
    assert Path(hit.path).name == "garden.rtf" and "Garden" in hit.section


def test_an_eml_attachment_is_a_document_of_its_own(searcher: Searcher) -> None:
    (hit,) = searcher.search("grelvash", mode="keyword")
    assert Path(hit.path).name == "plan.docx" and Path(hit.path).parent.parent.name == "plan.eml"
    (line,) = searcher.search('"Attachment: plan.docx"', mode="keyword")  # the message names it
    assert Path(line.path).name == "plan.eml" and line.page == 1 and line.title == "Site plan"


def test_an_mbox_message_is_found_at_its_number(searcher: Searcher) -> None:
    (hit,) = searcher.search("azimorph", mode="keyword")
    assert Path(hit.path).name == "inbox.mbox" and hit.page == 2 and "Lunch" in hit.section
