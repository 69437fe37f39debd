"""A re-cut changes a document's passages and nothing else its reading recorded: a mailbox keeps its
messages (what from:, subject: and date filters read, and a hit's "message N"), an attachment its mail and
message, a scan its pages waiting for OCR, a file cut short by a limit its count of tries."""

from __future__ import annotations

from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from jinasearch.core.attached import attached_path
from jinasearch.core.config import Settings
from jinasearch.core.context import breadcrumb
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.models import Chunk, Extracted, Filters, MessageMeta
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from tests.core.docgen import pdf_bytes
from tests.core.extract.bookmail import attach, mail, write_mbox
from tests.core.helpers import joined_chunks, settings_for
from tests.core.scanned_docs import write_scanned_pdf
from tests.core.store.check import check_finished
from tests.fakes import FakeEmbedder

KEPT = """
    SELECT d.path, d.title, d.kind, d.ext, d.error, d.reader, d.parent_id, d.message, d.ocr_waiting,
           d.limit_tries, t.text, t.pages, t.headings
    FROM documents d JOIN texts t ON t.doc_id = d.id ORDER BY d.path
"""


def _kept(settings: Settings) -> tuple[list[tuple], list[tuple]]:  # type: ignore[type-arg]
    """What a re-cut must leave as it was: each document's row and text, and every mail message."""
    with closing(Store(settings.db_path)) as store:
        docs = store.conn.execute(KEPT).fetchall()
        messages = store.conn.execute("SELECT doc_id, number, subject, sender, sent FROM messages").fetchall()
    return docs, messages


def _passages(settings: Settings) -> dict[str, list[str]]:
    with closing(Store(settings.db_path)) as store:
        rows = store.conn.execute(
            "SELECT d.path, p.text FROM passages p JOIN documents d ON d.id = p.doc_id ORDER BY d.path, p.ord"
        )
        out: dict[str, list[str]] = {}
        for path, text in rows:
            out.setdefault(path, []).append(text)
    return out


def _recut(tmp_path: Path, root: Path, **kw: object) -> Settings:
    small = settings_for(tmp_path, chunk_tokens=16, overlap_tokens=0)
    run_to_end(Indexer(small, embedder=FakeEmbedder(), rechunk=True, **kw).index([root]))  # type: ignore[arg-type]
    return small


def _words(what: str, n: int = 14) -> str:
    return " ".join(f"{what} line {i} keeps the harbour budget in order." for i in range(n))


def test_a_recut_keeps_a_mailboxs_messages_and_its_attachments_place(tmp_path: Path) -> None:
    root = tmp_path / "mail"
    root.mkdir()
    ann = mail("Budget for the harbour", _words("Ann's"))
    bob = mail("Harbour minutes", _words("Bob's minutes"), sender="Bob Lee <bob@example.org>")
    del bob["Date"]
    bob["Date"] = "Mon, 05 Jan 2026 09:00:00 +0000"
    attach(
        bob, pdf_bytes([_words("Invoice hondrabel", 6), _words("Invoice total", 6)]), "invoice.pdf", "application/pdf"
    )
    box = write_mbox(root / "inbox.mbox", [ann, bob])
    settings = settings_for(tmp_path, chunk_tokens=60, overlap_tokens=8)
    run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([root]))
    invoice = attached_path(str(box), 2, "invoice.pdf")
    before, passages_before = _kept(settings), _passages(settings)
    assert len(before[1]) == 2 and set(passages_before) == {str(box), invoice}

    small = _recut(tmp_path, root)
    after = _passages(settings)
    assert all(after[path] != passages_before[path] for path in after) and after.keys() == passages_before.keys()
    assert _kept(settings) == before  # the messages, and the attachment's mail and message
    assert check_finished(small) == []

    with closing(Searcher(small, embedder=FakeEmbedder())) as searcher:

        def found(query: str, **filters: object) -> set[tuple[str, int | None]]:
            hits = searcher.search(query, k=50, mode="keyword", per_file=50, filters=Filters(**filters))  # type: ignore[arg-type]
            return {(h.path, h.page) for h in hits}

        assert found("harbour", sender="bob lee") == {(str(box), 2), (invoice, 1), (invoice, 2)}
        assert found('harbour subject:"harbour minutes"') == {(str(box), 2), (invoice, 1), (invoice, 2)}
        assert found("harbour from:ann") == {(str(box), 1)}
        january = datetime(2026, 2, 1, tzinfo=timezone.utc).timestamp()
        assert found("harbour", modified_before=january) == {(str(box), 2), (invoice, 1), (invoice, 2)}
        hit = next(h for h in searcher.search('"Bob\'s minutes"', mode="keyword") if h.path == str(box))
    assert breadcrumb(hit.path, hit.title, hit.section, hit.page).endswith(" · message 2")
    with closing(Store(small.db_path)) as store:
        box_id = store.conn.execute("SELECT id FROM documents WHERE path = ?", (str(box),)).fetchone()[0]
        parent = store.conn.execute("SELECT parent_id, message FROM documents WHERE path = ?", (invoice,)).fetchone()
        assert tuple(parent) == (box_id, 2)
        assert store.counts().indexed == 1  # the attachment is still counted under its mail, not as a file


def test_a_recut_keeps_the_pages_waiting_for_ocr(tmp_path: Path) -> None:
    root = tmp_path / "scans"
    write_scanned_pdf(root / "letter.pdf", [["Dear tenant, the rent rises."]], text_pages=[_words("Cover", 10)])
    settings = settings_for(tmp_path, chunk_tokens=60, overlap_tokens=8)
    run_to_end(Indexer(settings, embedder=FakeEmbedder(), ocr=False).index([root]))
    before, passages_before = _kept(settings), _passages(settings)
    with closing(Store(settings.db_path)) as store:
        assert store.ocr_counts().pages == 1
    _recut(tmp_path, root)
    assert _passages(settings) != passages_before
    assert _kept(settings) == before
    with closing(Store(settings.db_path)) as store:
        assert store.ocr_counts().pages == 1  # still waiting: switching OCR on reads it


def test_the_store_recuts_passages_only(tmp_path: Path) -> None:
    text, chunks = joined_chunks(["Alpha beta gamma.", "Delta epsilon.", "Zeta eta theta."])
    extracted = Extracted(
        text,
        title="Notes",
        partial="cut short",
        ocr_waiting=(4,),
        messages=(MessageMeta(1, "Hello", "Ann <ann@example.org>", 1.7e9),),
    )
    with closing(Store(tmp_path / "index.db")) as store:
        fid = store.add_folder(str(tmp_path))
        args = dict(folder_id=fid, path=str(tmp_path / "a.mbox"), size=10, mtime=1.0, content_hash="h")
        doc_id = store.replace_document(**args, extracted=extracted, chunks=chunks, limited=True, kind="prose")  # type: ignore[arg-type]
        kept = store.conn.execute(KEPT).fetchall(), store.conn.execute("SELECT * FROM messages").fetchall()
        one = Chunk(ordinal=0, text=text, char_start=0, char_end=len(text))
        (doc,) = store.indexed_after(0, 10)
        store.recut_document(doc, [one], first_lexical=None)
        assert (store.conn.execute(KEPT).fetchall(), store.conn.execute("SELECT * FROM messages").fetchall()) == kept
        assert store.passage_hashes(doc_id) and len(store.passage_hashes(doc_id)) == 1
        assert store.conn.execute("SELECT n_passages FROM documents WHERE id = ?", (doc_id,)).fetchone()[0] == 1
