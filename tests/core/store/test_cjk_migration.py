"""An index made before the CJK bigram columns: brought up to date, its CJK passages found, English unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from jinasearch.core.retrieval.keyword import CONTEXT_WEIGHT, fts_query
from jinasearch.core.store import Store
from jinasearch.core.store import schema as sql

# The version before the migration that added the bigram columns.
BEFORE = next(i for i, script in enumerate(sql.MIGRATIONS) if "ADD COLUMN cjk " in script)
OLD_KEYWORD = """
    SELECT rowid, bm25(passages_fts, 1.0, ?) AS rank FROM passages_fts
    WHERE passages_fts MATCH ? ORDER BY rank LIMIT 50
"""
ENGLISH = [
    ("lava.txt", "Volcanoes erupt molten lava. Basalt forms when lava cools.", "lava volcanoes"),
    ("bread.txt", "Bread needs flour and yeast; the baker kneads the dough.", "bread baking"),
    ("flow.txt", "Lava flowing downhill buries the road; flows of lava are slow.", "lava flow report"),
]
CHINESE = ("zh.txt", "本系统支持数据库索引和全文检索。", "数据库 说明")


def old_index(path: Path, docs: list[tuple[str, str, str]]) -> None:
    """A database at schema version BEFORE, filled the way that version's store filled it."""
    conn = sqlite3.connect(path, isolation_level=None)
    for version, script in enumerate(sql.MIGRATIONS[:BEFORE], start=1):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    conn.execute("INSERT INTO folders(path, added_at) VALUES ('/docs', 0)")
    for i, (name, text, context) in enumerate(docs, start=1):
        conn.execute(
            "INSERT INTO documents(id, folder_id, path, ext, size, mtime, status, updated_at, n_passages) "
            "VALUES (?, 1, ?, 'txt', ?, 1, 'indexed', 1, 1)",
            (i, f"/docs/{name}", len(text)),
        )
        conn.execute("INSERT INTO texts(doc_id, text) VALUES (?, ?)", (i, text))
        conn.execute(
            "INSERT INTO passages(doc_id, ord, char_start, char_end, text, text_hash, context) "
            "VALUES (?, 0, 0, ?, ?, ?, ?)",
            (i, len(text), text, f"h{i}", context),
        )
    conn.close()


def old_scores(path: Path, match: str | None) -> list[tuple[int, float]]:
    conn = sqlite3.connect(path)
    try:
        return [(r[0], -r[1]) for r in conn.execute(OLD_KEYWORD, (CONTEXT_WEIGHT, match))]
    finally:
        conn.close()


def test_migration_fills_the_bigram_columns_of_old_passages(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    old_index(path, [*ENGLISH, CHINESE])
    assert old_scores(path, '"数据库索引"') == []  # unicode61 alone: the run is one token
    store = Store(path)
    try:
        assert store.schema_version == len(sql.MIGRATIONS)
        for query in ("索引", "全文检索", "数据库索引", "说明"):
            assert [pid for pid, _ in store.keyword(fts_query(query), 10)] == [4], query
        assert store.conn.execute("SELECT cjk FROM passages WHERE id = 1").fetchone()[0] == ""
        store.conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
    finally:
        store.close()


def test_english_scores_are_unchanged_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    old_index(path, ENGLISH)
    queries = ("lava", "flowing lava", "bread dough", "report", "volcanoes basalt")
    before = {q: old_scores(path, fts_query(q)) for q in queries}
    store = Store(path)
    try:
        after = {q: store.keyword(fts_query(q) or "", 50, None, CONTEXT_WEIGHT) for q in queries}
    finally:
        store.close()
    assert after == before and all(before.values())
