"""Consistency checks over a data directory: what must hold after any crash, at rest, once a run finishes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from jinasearch.core.config import Settings
from jinasearch.core.store.vectors import read_header

# (path, ord, page, char_start, char_end, text, has_vector): a passage as a clean run would produce it.
PassageKey = tuple[str, int, "int | None", int, int, str, bool]


def _connect(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def read_count(db_path: Path, query: str) -> int:
    """One number read from a database that may not exist yet, or not have its schema yet (then 0)."""
    if not db_path.exists():
        return 0
    conn = _connect(db_path)
    try:
        return int(conn.execute(query).fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def check_at_rest(settings: Settings) -> list[str]:
    """Problems that must never exist, even right after a SIGKILL (before any restart)."""
    problems: list[str] = []
    if not settings.db_path.exists():
        return problems
    conn = _connect(settings.db_path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            problems.append(f"integrity_check: {'; '.join(rows[:3])}")
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            return problems  # killed before the schema's first commit: an empty file the next start fills in
        dup = conn.execute(
            "SELECT COUNT(*) FROM (SELECT doc_id, ord FROM passages GROUP BY doc_id, ord HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        if dup:
            problems.append(f"{dup} duplicate passages (same document and position)")
        orphans = conn.execute(
            "SELECT COUNT(*) FROM passages p LEFT JOIN documents d ON d.id = p.doc_id WHERE d.id IS NULL"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} passages without a document")
        n_passages = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        n_fts = conn.execute("SELECT COUNT(*) FROM passages_fts_docsize").fetchone()[0]
        if n_fts != n_passages:
            problems.append(f"keyword index has {n_fts} rows for {n_passages} passages")
        mismatch = conn.execute(
            "SELECT COUNT(*) FROM documents d WHERE d.status = 'indexed' AND d.n_passages != "
            "(SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.id)"
        ).fetchone()[0]
        if mismatch:
            problems.append(f"{mismatch} documents whose passage count does not match (a mix of old and new?)")
    finally:
        conn.close()
    return problems


def check_finished(settings: Settings) -> list[str]:
    """At-rest problems plus what a finished run guarantees: FAISS ids == embedded passages, no temp files."""
    problems = check_at_rest(settings)
    strays = [p.name for p in settings.data_dir.glob("*.tmp")]
    if strays:
        problems.append(f"stray temp files: {strays}")
    conn = _connect(settings.db_path)
    try:
        # Kept for keyword search only by choice (lexical: data files, past the cap) is no debt of the run.
        pending = conn.execute("SELECT COUNT(*) FROM passages WHERE vector IS NULL AND lexical = 0").fetchone()[0]
        want = [r[0] for r in conn.execute("SELECT id FROM passages WHERE vector IS NOT NULL ORDER BY id")]
        dim = conn.execute("SELECT value FROM meta WHERE key = 'dim'").fetchone()
        version = conn.execute("SELECT value FROM meta WHERE key = 'vectors_version'").fetchone()
    finally:
        conn.close()
    if pending:
        problems.append(f"{pending} passages still without a vector")
    if dim is None:
        return problems
    header = read_header(settings.faiss_path)
    if header is None:
        problems.append("no readable FAISS file")
        return problems
    if int(header["version"]) != int(version[0]):
        problems.append(f"FAISS file is at version {header['version']}, database at {version[0]}")
    from jinasearch.core.store.vectors import VectorIndex

    vi = VectorIndex.load(settings.faiss_path, int(dim[0]))
    have = sorted(vi.ids().tolist()) if vi is not None else None
    if have != want:
        n = "unloadable" if have is None else len(have)
        problems.append(f"FAISS ids ({n}) differ from embedded passages ({len(want)})")
    return problems


def passage_keys(settings: Settings) -> list[PassageKey]:
    """Every passage as (path, ord, page, start, end, text, has_vector), sorted: equal for equal indexes."""
    conn = _connect(settings.db_path)
    try:
        rows = conn.execute(
            "SELECT d.path, p.ord, p.page, p.char_start, p.char_end, p.text, p.vector IS NOT NULL "
            "FROM passages p JOIN documents d ON d.id = p.doc_id"
        ).fetchall()
        return sorted((r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows)  # type: ignore[misc]
    finally:
        conn.close()


def document_states(settings: Settings) -> dict[str, tuple[str, str | None]]:
    """path -> (status, error) for every file the index knows."""
    conn = _connect(settings.db_path)
    try:
        return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT path, status, error FROM documents")}
    finally:
        conn.close()
