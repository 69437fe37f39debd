"""Mail messages are filterable by sender, subject and their own date, in both retrievers and in the CLI."""

from __future__ import annotations

from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pytest

from jinasearch.cli import main
from jinasearch.core.indexer import Indexer, run_to_end
from jinasearch.core.models import Filters
from jinasearch.core.retrieval.query_syntax import parse_query
from jinasearch.core.search import Searcher
from tests.core.extract.bookmail import mail, write_mbox
from tests.core.helpers import settings_for, write
from tests.fakes import FakeEmbedder


@pytest.fixture
def inbox(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "mail"
    root.mkdir()
    ann = mail("Budget for the harbour", "The harbour budget grows by ten per cent.")
    bob = mail("Harbour minutes", "Minutes: the harbour budget was approved.", sender="Bob Lee <bob@example.org>")
    del bob["Date"]
    bob["Date"] = "Mon, 05 Jan 2026 09:00:00 +0000"
    write_mbox(root / "inbox.mbox", [ann, bob])
    write(root / "notes.txt", "My own notes on the harbour budget.")
    settings = settings_for(tmp_path)
    run_to_end(Indexer(settings, embedder=FakeEmbedder()).index([root]))
    return settings


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_from_and_subject_narrow_to_the_messages_that_match(inbox, mode: str) -> None:  # type: ignore[no-untyped-def]
    with closing(Searcher(inbox, embedder=FakeEmbedder())) as searcher:

        def found(query: str, **filters: object) -> list[tuple[str, int | None]]:
            hits = searcher.search(query, k=10, mode=mode, per_file=5, filters=Filters(**filters), weak=True)  # type: ignore[arg-type]
            return sorted((Path(h.path).name, h.page) for h in hits)

        assert found("harbour budget from:ann") == [("inbox.mbox", 1)]
        assert found("harbour budget", sender="BOB LEE") == [("inbox.mbox", 2)]
        assert found('harbour budget subject:"harbour minutes"') == [("inbox.mbox", 2)]
        # A message's own date, not the file's: Bob's is in January, Ann's in March.
        march = datetime(2026, 2, 1, tzinfo=timezone.utc).timestamp()
        assert ("inbox.mbox", 2) not in found("harbour budget", modified_after=march)
        assert ("inbox.mbox", 1) in found("harbour budget", modified_after=march)


def test_the_query_syntax_reads_from_and_subject() -> None:
    parsed = parse_query('budget from:"Ann Example" subject:harbour')
    assert (parsed.text, parsed.senders, parsed.subjects) == ("budget", ("Ann Example",), ("harbour",))
    assert parse_query("what did the email from: ann say").senders == ()  # a colon then a space is text


def test_the_cli_filters_by_sender(inbox, capsys) -> None:  # type: ignore[no-untyped-def]
    argv = ["search", "harbour budget", "--data-dir", str(inbox.data_dir), "--no-app", "--from", "bob", "--json"]
    argv += ["--model", "fake-embedder", "--mode", "keyword"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "inbox.mbox" in out and "notes.txt" not in out
