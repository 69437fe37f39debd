"""CJK substring search: recall, index size and query time of three FTS5 schemes.

    python benchmarks/cjk.py --english DATA/index.sqlite3 [--per-language 100] [--queries 100] [--json OUT]

- before: the text and context columns under unicode61 alone (a CJK run is one token);
- trigram: before, plus an FTS5 `trigram` table holding only the passages with CJK (SQLite's "FTS5",
  section "The Trigram Tokenizer"); a query under 3 characters, which trigram cannot match, falls back
  to LIKE over that table;
- bigrams (shipped): the app's own schema, CJK runs as bigram columns (jinasearch/core/cjk.py).

CJK text is real: the Chinese, Japanese and Korean translations in the system's gettext catalogues
(/usr/share/locale/*/LC_MESSAGES/*.mo, read in place). The recall set is `--per-language` messages of
coreutils per language; substring queries of 1, 2, 3 and 4-6 characters are cut from random places of
their CJK runs, and a passage is relevant when it contains the query. The English passages (text and
context) come from an existing index (`--english`: docs-dev's, built by benchmarks/docs_dev.py): size
growth is measured on them alone, and query times on them plus every CJK message of five catalogues.
Figures: docs/benchmarks.md, "Search speed".
"""

from __future__ import annotations

import argparse
import gettext
import json
import random
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import common

from jinasearch.core.cjk import CJK_CHARS, has_cjk
from jinasearch.core.retrieval.keyword import CONTEXT_WEIGHT, fts_query
from jinasearch.core.store import Store
from jinasearch.core.store import schema as sql

LANGS = ("zh_CN", "ja", "ko")
TIMING_CATALOGUES = ("coreutils", "dpkg", "git", "gnupg2", "postgres-15")
LENGTHS = ((1, 1), (2, 2), (3, 3), (4, 6))
# The keyword query before the bigram columns (schema.KEYWORD then): two columns.
OLD_KEYWORD = f"""
    SELECT rowid, bm25(passages_fts, 1.0, {CONTEXT_WEIGHT}) AS rank FROM passages_fts
    WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?
"""
BEFORE = next(i for i, script in enumerate(sql.MIGRATIONS) if "ADD COLUMN cjk " in script)
RUN_RE = re.compile(f"[{CJK_CHARS}]+")
Passage = tuple[str, str]  # (text, context)
Search = Callable[[str], list[int]]


def messages(lang: str, catalogue: str, min_cjk: int) -> list[str]:
    path = Path(f"/usr/share/locale/{lang}/LC_MESSAGES/{catalogue}.mo")
    if not path.exists():
        return []
    with path.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    out = []
    for key in sorted(catalog, key=str):
        text = re.sub(r"%[-#0-9.]*[a-zA-Z]|\\n|\s+", " ", str(catalog[key])).strip()
        if sum(len(r) for r in RUN_RE.findall(text)) >= min_cjk:
            out.append(text)
    return out


def recall_set(per_language: int) -> list[str]:
    out: list[str] = []
    for lang in LANGS:
        found = messages(lang, "coreutils", 15)
        step = max(1, len(found) // per_language)
        out += found[::step][:per_language]
    return out


def substrings(texts: Sequence[str], lo: int, hi: int, n: int, rng: random.Random) -> list[str]:
    runs = [r for t in texts for r in RUN_RE.findall(t) if len(r) >= lo]
    out = []
    for _ in range(n):
        run = rng.choice(runs)
        size = rng.randint(lo, min(hi, len(run)))
        start = rng.randrange(len(run) - size + 1)
        out.append(run[start : start + size])
    return out


def fill(conn: sqlite3.Connection, insert: str, passages: Sequence[Passage]) -> None:
    conn.execute("BEGIN")
    conn.execute("INSERT OR IGNORE INTO folders(id, path, added_at) VALUES (1, '/b', 0)")
    conn.execute(
        "INSERT OR IGNORE INTO documents(id, folder_id, path, ext, size, mtime, status, updated_at) "
        "VALUES (1, 1, '/b/x', 'txt', 0, 0, 'indexed', 0)"
    )
    rows = ((1, i, None, 0, len(t), t, f"h{i}", "", c) for i, (t, c) in enumerate(passages))
    conn.executemany(insert, rows)
    conn.execute("COMMIT")


def build(kind: str, path: Path, passages: Sequence[Passage]) -> sqlite3.Connection:
    """A database of `passages` under scheme `kind`, vacuumed so its size compares."""
    if kind == "bigrams":
        store = Store(path)
        fill(store.conn, sql.INSERT_PASSAGE, passages)
        conn = store.conn
    else:
        conn = sqlite3.connect(path, isolation_level=None)
        for version, script in enumerate(sql.MIGRATIONS[:BEFORE], start=1):
            conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
        old = "INSERT INTO passages(doc_id, ord, page, char_start, char_end, text, text_hash, section, context)"
        fill(conn, old + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", passages)
    if kind.startswith("trigram"):
        conn.execute("CREATE VIRTUAL TABLE tri USING fts5(text, context, tokenize='trigram')")
        every = kind == "trigram-all"
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO tri(rowid, text, context) VALUES (?, ?, ?)",
            ((i + 1, t, c) for i, (t, c) in enumerate(passages) if every or has_cjk(t + c)),
        )
        conn.execute("COMMIT")
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the Store's WAL: the main file must hold it all
    return conn


def searcher(kind: str, conn: sqlite3.Connection, limit: int = 100_000) -> Search:
    """The scheme's lookup of a query: the best `limit` passage ids (0-based, like the passages given)."""
    if kind == "before":
        # The query as it was built before the bigram columns: a CJK word is one quoted token.
        old = lambda w: f'"{w}"' if has_cjk(w) else fts_query(w)  # noqa: E731
        return lambda w: [r[0] - 1 for r in conn.execute(OLD_KEYWORD, (old(w), limit))]
    if kind == "bigrams":
        q = sql.KEYWORD.format(filter="", context_weight=CONTEXT_WEIGHT)
        return lambda w: [r[0] - 1 for r in conn.execute(q, (fts_query(w), limit))]

    def trigram(word: str) -> list[int]:
        if len(word) >= 3:
            rows = conn.execute("SELECT rowid FROM tri WHERE tri MATCH ? ORDER BY rank LIMIT ?", (f'"{word}"', limit))
        else:  # FTS5 scans the table for a LIKE pattern of under 3 characters
            like = f"%{word}%"
            rows = conn.execute(
                "SELECT rowid FROM tri WHERE text LIKE ? OR context LIKE ? LIMIT ?", (like, like, limit)
            )
        return [r[0] - 1 for r in rows]

    return trigram


def recall(search: Search, texts: Sequence[str], queries: Sequence[str]) -> tuple[float, float]:
    """(mean recall, mean precision) of the queries against 'the passage contains the query'."""
    recalls, precisions = [], []
    for q in queries:
        truth = {i for i, t in enumerate(texts) if q in t}
        got = set(search(q))
        recalls.append(len(got & truth) / len(truth))
        precisions.append(len(got & truth) / len(got) if got else 1.0)
    return sum(recalls) / len(recalls), sum(precisions) / len(precisions)


def timing(search: Search, queries: Sequence[str], rounds: int = 3) -> tuple[float, float]:
    """p50 / p95 in ms of each query's best of `rounds` runs, after one warm-up run of them all: the
    2-core machine is shared, and a lookup is far shorter than the noise of one slice of it."""
    for q in queries:
        search(q)
    best = []
    for q in queries:
        runs = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            search(q)
            runs.append((time.perf_counter() - t0) * 1000)
        best.append(min(runs))
    return common.pct(best, 50), common.pct(best, 95)


def english_passages(path: Path) -> list[Passage]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [(r[0], r[1]) for r in conn.execute("SELECT text, context FROM passages ORDER BY id")]
    finally:
        conn.close()


def measure(
    kind: str,
    tmp: Path,
    english: Sequence[Passage],
    texts: Sequence[str],
    timed: Sequence[str],
    recall_q: dict[str, list[str]],
    timing_q: dict[str, list[str]],
    english_q: Sequence[str],
) -> dict[str, object]:
    """One scheme: English index size; recall on the CJK set; size and query times of the mixed index."""
    row: dict[str, object] = {}
    build(kind, tmp / f"{kind}-en.sqlite3", english).close()
    row["english_mb"] = (tmp / f"{kind}-en.sqlite3").stat().st_size / 1e6
    if kind == "trigram-all":
        return row
    conn = build(kind, tmp / f"{kind}-cjk.sqlite3", [(t, "") for t in texts])
    row["recall"] = {k: recall(searcher(kind, conn), texts, qs) for k, qs in recall_q.items()}
    conn.close()
    t0 = time.perf_counter()
    conn = build(kind, tmp / f"{kind}-mixed.sqlite3", [*english, *((t, "") for t in timed)])
    row["mixed_build_s"] = time.perf_counter() - t0
    row["mixed_mb"] = (tmp / f"{kind}-mixed.sqlite3").stat().st_size / 1e6
    # 50 candidates, as the app asks; English goes to the main FTS5 table in every scheme.
    row["cjk_ms"] = {k: timing(searcher(kind, conn, 50), qs) for k, qs in timing_q.items()}
    row["english_ms"] = timing(searcher("before" if kind == "trigram" else kind, conn, 50), english_q)
    conn.close()
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--english", type=Path, required=True, help="an index.sqlite3 of English documents (docs-dev)")
    ap.add_argument("--per-language", type=int, default=100)
    ap.add_argument("--queries", type=int, default=100, help="per query length")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    rng = random.Random(17)
    texts = recall_set(args.per_language)
    timed = [m for lang in LANGS for c in TIMING_CATALOGUES for m in messages(lang, c, 4)]
    english = english_passages(args.english)
    common.log(f"{len(texts)} recall passages, {len(timed)} timing messages, {len(english)} English passages")
    lengths = {f"{lo}-{hi}" if hi > lo else str(lo): (lo, hi) for lo, hi in LENGTHS}
    recall_q = {k: substrings(texts, lo, hi, args.queries, rng) for k, (lo, hi) in lengths.items()}
    timing_q = {k: substrings(timed, lo, hi, args.queries, rng) for k, (lo, hi) in lengths.items()}
    words = re.findall(r"[a-z]{4,}", " ".join(t for t, _ in english[:: max(1, len(english) // 300)]))
    english_q = [" ".join(rng.sample(words, 2)) for _ in range(args.queries)]
    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("before", "trigram", "trigram-all", "bigrams"):
            report[kind] = measure(kind, Path(tmp), english, texts, timed, recall_q, timing_q, english_q)
            common.log(f"{kind}: {json.dumps(report[kind])}")
        report["english_identical"] = {"queries": len(english_q), "same": same_english(Path(tmp), english_q)}
        report["migration_s"] = migration_time(args.english, Path(tmp))
    report["load"] = {"avg": common.load_avg()}
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


def same_english(tmp: Path, queries: Sequence[str]) -> int:
    """Queries whose ids and BM25 scores are identical before and after, on the English passages."""
    old = sqlite3.connect(tmp / "before-en.sqlite3")
    new = sqlite3.connect(tmp / "bigrams-en.sqlite3")
    q_new = sql.KEYWORD.format(filter="", context_weight=CONTEXT_WEIGHT)
    same = 0
    for q in queries:
        a = old.execute(OLD_KEYWORD, (fts_query(q), 50)).fetchall()
        b = new.execute(q_new, (fts_query(q), 50)).fetchall()
        same += a == b
    old.close()
    new.close()
    return same


def migration_time(index: Path, tmp: Path) -> float | None:
    """Seconds to bring a copy of `index` up to date, when it predates the bigram columns."""
    copy = tmp / "migrate.sqlite3"
    src = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    version = dst.execute("PRAGMA user_version").fetchone()[0]
    dst.close()
    if version > BEFORE:
        return None
    t0 = time.perf_counter()
    Store(copy).close()
    return time.perf_counter() - t0


if __name__ == "__main__":
    raise SystemExit(main())
