"""The embedding budget: data files keyword only unless switched on, a cap per file, most useful first."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from pathlib import Path

from jinasearch.core.indexer import Indexer
from jinasearch.core.library import read_status
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from jinasearch.core.store.sidecar import SideVectors
from tests.core.datafiles import write_csv, write_log
from tests.core.helpers import run_index, settings_for, write
from tests.fakes import FakeEmbedder

PROSE = (
    "The kiln reaches cone six by midnight, and the glaze must cool slowly until morning. "
    "Potters open the door only when the thermometer reads below one hundred degrees. "
)


def prose_file(path: Path, paragraphs: int) -> Path:
    """A document of `paragraphs` distinct paragraphs (distinct texts: each passage is its own vector)."""
    return write(path, "\n\n".join(f"Section {i}. {PROSE} Batch number {i} was fired." for i in range(paragraphs)))


def desk(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    prose_file(root / "notes.txt", 3)
    write_log(root / "server.log", 0.05)
    write_csv(root / "orders.csv", 0.05)
    return root


def rows(settings_dir: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    con = sqlite3.connect(settings_dir / "index.sqlite3")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def embedded_by_file(data: Path) -> dict[str, tuple[int, int]]:
    """file name -> (passages, passages with a vector)."""
    found = rows(
        data,
        "SELECT d.path, COUNT(*), SUM(p.vector IS NOT NULL) FROM passages p JOIN documents d ON d.id = p.doc_id "
        "GROUP BY d.path",
    )
    return {Path(path).name: (n, int(v)) for path, n, v in found}


def test_a_log_and_a_csv_are_data_and_not_embedded_by_default(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    emb = FakeEmbedder()
    run_index(settings, [desk(tmp_path)], emb)
    kinds = dict(rows(settings.data_dir, "SELECT substr(path, length(path) - 8), kind FROM documents"))
    assert sorted(kinds.values()) == ["data", "data", "prose"]
    by_file = embedded_by_file(settings.data_dir)
    assert by_file["server.log"][1] == 0 and by_file["orders.csv"][1] == 0
    assert by_file["notes.txt"][0] == by_file["notes.txt"][1] > 0
    assert not any("GET /api" in t or "," * 5 in t for t in emb.encoded)
    # Status tells "keyword only by choice" apart from "waiting for vectors".
    st = read_status(settings)
    data_passages = by_file["server.log"][0] + by_file["orders.csv"][0]
    assert st.keyword_only == data_passages and st.pending == 0 and st.keyword_only_files == 2
    (folder,) = st.folders
    assert folder.data_files == 2 and not folder.embed_data and folder.keyword_only == data_passages


def test_the_switch_embeds_a_folders_data_files_and_off_again_keeps_what_was_embedded(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    root = desk(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    list(Indexer(settings, embedder=FakeEmbedder(), embed_data=True).index([root]))
    by_file = embedded_by_file(settings.data_dir)
    assert all(n == v for n, v in by_file.values()), by_file
    st = read_status(settings)
    assert st.keyword_only == 0 and st.folders[0].embed_data
    # Off again: the vectors stay (they cost an hour to make), nothing new is embedded for data files.
    emb = FakeEmbedder()
    list(Indexer(settings, embedder=emb, embed_data=False).index([root]))
    assert embedded_by_file(settings.data_dir) == by_file and emb.encoded == []
    assert not read_status(settings).folders[0].embed_data


def test_a_long_file_is_embedded_up_to_the_cap_and_lifting_the_cap_embeds_the_rest(tmp_path: Path) -> None:
    settings = replace(settings_for(tmp_path), embed_cap=10)
    root = tmp_path / "docs"
    prose_file(root / "long.txt", 40)
    prose_file(root / "short.txt", 4)
    run_index(settings, [root], FakeEmbedder())
    by_file = embedded_by_file(settings.data_dir)
    assert by_file["long.txt"][1] == 10 and by_file["long.txt"][0] > 10
    assert by_file["short.txt"][0] == by_file["short.txt"][1]
    got = rows(settings.data_dir, "SELECT MAX(p.ord) FROM passages p WHERE p.vector IS NOT NULL AND p.lexical = 0")
    assert got == [(9,)]  # the first ten passages of the long file
    st = read_status(settings)
    assert st.keyword_only == by_file["long.txt"][0] - 10 and st.keyword_only_files == 1 and st.pending == 0
    # A run that names no cap (the command line without --embed-cap) keeps the one the index was set to.
    emb = FakeEmbedder()
    run_index(replace(settings, embed_cap="recorded"), [root], emb)
    assert emb.encoded == [] and embedded_by_file(settings.data_dir)["long.txt"][1] == 10
    run_index(replace(settings, embed_cap=None), [root], FakeEmbedder())
    assert all(n == v for n, v in embedded_by_file(settings.data_dir).values())
    assert read_status(settings).keyword_only == 0


def test_a_huge_file_does_not_delay_a_small_files_vectors(tmp_path: Path) -> None:
    """The huge file is read first (lower passage ids), yet the small file's passages are in the
    model's first window: the budget's tiers hand every file's opening to the model first."""
    settings = replace(settings_for(tmp_path), embed_cap=None)
    root = tmp_path / "docs"
    prose_file(root / "a-huge.txt", 1500)
    small = prose_file(root / "z-small.txt", 3)
    emb = FakeEmbedder()
    run_index(settings, [root], emb)
    store = Store(settings.db_path, readonly=True)
    try:
        hashes = set(store.passage_hashes(store.document(str(small)).id))  # type: ignore[union-attr]
    finally:
        store.close()
    from jinasearch.core.indexing.embedding import EMBED_WINDOW
    from jinasearch.core.store.documents import text_hash

    positions = [i for i, t in enumerate(emb.encoded) if text_hash(t) in hashes]
    assert len(positions) == len(hashes) and max(positions) < EMBED_WINDOW
    # In read order (the huge file's ids first) they would have come in the second window.
    assert len(emb.encoded) > EMBED_WINDOW + len(hashes)


def test_pending_passages_come_newest_folder_and_newest_file_first(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    old, new = tmp_path / "old", tmp_path / "new"
    prose_file(old / "report.txt", 2)
    older = prose_file(new / "older.txt", 2)
    prose_file(new / "newer.txt", 2)
    os.utime(older, (1_000_000_000, 1_000_000_000))
    run_index(settings, [old], FakeEmbedder())
    run_index(settings, [new], FakeEmbedder())
    with sqlite3.connect(settings.db_path) as con:
        con.execute("UPDATE passages SET vector = NULL")
    store = Store(settings.db_path, readonly=True)
    try:
        order = [p.id for p in store.pending(100)]
    finally:
        store.close()
    file_of = dict(rows(settings.data_dir, "SELECT p.id, d.path FROM passages p JOIN documents d ON d.id = p.doc_id"))
    files = [Path(file_of[pid]).stem for pid in order]
    assert list(dict.fromkeys(files)) == ["newer", "older", "report"], files


def test_an_index_from_before_the_budget_is_classified_and_labelled_by_the_next_run(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    root = desk(tmp_path)
    run_index(settings, [root], FakeEmbedder())
    with sqlite3.connect(settings.db_path) as con:  # as schema 7 left an older index
        con.execute("UPDATE documents SET kind = ''")
        con.execute("UPDATE passages SET lexical = 0")
        con.execute("DELETE FROM meta WHERE key = 'embed_cap'")
    assert read_status(settings).pending > 0
    emb = FakeEmbedder()
    run_index(settings, [root], emb)
    assert emb.encoded == [] and read_status(settings).pending == 0
    assert sorted(k for (k,) in rows(settings.data_dir, "SELECT kind FROM documents")) == ["data", "data", "prose"]


def test_a_search_does_not_embed_what_the_budget_keeps_for_keyword_search(tmp_path: Path) -> None:
    """Query-time vectors (core/retrieval/fresh.py, kept in the side file) are for passages waiting
    for theirs, not for a log's."""
    settings = settings_for(tmp_path)
    root = desk(tmp_path)
    write(root / "later.txt", "A note about the payment refund, written after the run.")
    run_index(settings, [root], FakeEmbedder())
    with sqlite3.connect(settings.db_path) as con:  # the note waits for its vector, the log keeps none
        con.execute("UPDATE passages SET vector = NULL WHERE lexical = 0 AND text LIKE '%written after%'")
    s = Searcher(settings, embedder=FakeEmbedder())
    try:
        hits = s.search("payment refund order", mode="hybrid", k=10)
    finally:
        s.close()
    assert {"server.log", "later.txt"} <= {Path(h.path).name for h in hits}  # both found
    by_file = dict(
        rows(
            settings.data_dir,
            "SELECT substr(d.path, length(d.path) - 9), group_concat(p.text_hash) "
            "FROM passages p JOIN documents d ON d.id = p.doc_id GROUP BY d.id",
        )  # fmt: skip
    )
    side = SideVectors(settings.data_dir)
    try:
        assert side.get(settings.model_key, FakeEmbedder().dim, by_file["/later.txt"].split(","))
        assert not side.get(settings.model_key, FakeEmbedder().dim, by_file["server.log"].split(","))
    finally:
        side.close()


def test_the_command_line_cap_is_kept_unless_given_and_none_lifts_it(tmp_path: Path) -> None:
    from jinasearch.cli import main

    root = tmp_path / "docs"
    prose_file(root / "long.txt", 40)
    data = ["--data-dir", str(tmp_path / "data"), "--model", "fake-embedder", "--chunk-tokens", "40"]
    assert main(["index", str(root), *data, "--embed-cap", "10"]) in (0, 3)  # 3: no such model, keyword only
    assert rows(tmp_path / "data", "SELECT value FROM meta WHERE key = 'embed_cap'") == [("10",)]
    assert main(["index", str(root), *data]) in (0, 3)
    assert rows(tmp_path / "data", "SELECT value FROM meta WHERE key = 'embed_cap'") == [("10",)]
    assert main(["index", str(root), *data, "--embed-cap", "none"]) in (0, 3)
    assert rows(tmp_path / "data", "SELECT value FROM meta WHERE key = 'embed_cap'") == [("none",)]
