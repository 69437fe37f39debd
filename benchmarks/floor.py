"""The "nothing found" floor: score distributions of answered and unanswerable queries, and what each floor costs.

    python benchmarks/floor.py --data DOCS_DEV_INDEX [--corpus /tmp/docs-dev] [--mode hybrid] [--json OUT]

On an index of docs-dev (built by benchmarks/docs_dev.py, say), every query of the set (answered: its
relevant files are known) and every question of benchmarks/data/unanswerable.txt (written so that no
software manual answers it) is searched with weak hits kept (`Searcher.search(weak=True)`), and each
hit's evidence is recorded: its cosine to the query, the share of the query's words it holds, handles.
For a grid of cosine floors (the words rule as in core/retrieval/floor.py) the script reports
- answered queries: file MRR@10 / success@10 / passage-hit@10 with the floor applied, and how many
  queries lose every relevant hit ("recall lost");
- unanswerable queries: how many come back empty ("junk avoided") and how many weak hits they show;
- short personal notes (benchmarks/data/notes.jsonl: a note and a question in other words, no shared
  word), embedded with the index's model: at each floor how many notes stay close to their own
  question and how many (note, other question) pairs would pass as close. Long manuals put even an
  unanswerable question near some passage; a desk of short notes is the other end of the scale.
The model's floor in core/retrieval/floor.py is chosen from this table (docs/benchmarks.md, "Nothing found").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import common  # noqa: F401 - this checkout first on the path, offline hub
from docs_dev import load_score_module

from jinasearch.core.config import Settings
from jinasearch.core.embed import load_embedder
from jinasearch.core.retrieval.floor import Floor, is_close
from jinasearch.core.search import Searcher

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "docs-dev"
UNANSWERABLE = Path(__file__).resolve().parent / "data" / "unanswerable.txt"
NOTES = Path(__file__).resolve().parent / "data" / "notes.jsonl"
GRID = (0.0, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def kept(hits: list[dict[str, Any]], floor: Floor | None) -> list[dict[str, Any]]:
    if floor is None:
        return hits
    return [h for h in hits if h["evidence"] is None or is_close(h["evidence"], floor)]


def answered_metrics(
    score: ModuleType, rows: list[dict[str, Any]], floor: Floor | None, corpus: Path
) -> dict[str, float]:
    """The set's own metrics (score.py) on the hits the floor keeps, and the queries that lose every relevant file."""
    judged = [score.score_one(row["query"], kept(row["hits"], floor), str(corpus)) for row in rows]
    full = [score.score_one(row["query"], row["hits"], str(corpus)) for row in rows]
    summary = score.summarise(judged)["all"]
    lost = sum(before["success"] and not after["success"] for before, after in zip(full, judged))
    return {
        "mrr": summary["file_mrr@10"],
        "success": summary["success@10"],
        "passage": summary["passage_hit@10"],
        "lost": float(lost),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="data directory of a docs-dev index")
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/docs-dev"))
    ap.add_argument("--eval-dir", type=Path, default=EVAL)
    ap.add_argument("--mode", default="hybrid", choices=("hybrid", "semantic"))
    ap.add_argument("--json", type=Path, help="write every query's hits and evidence here")
    args = ap.parse_args()
    qfile = args.eval_dir / "queries.jsonl"
    if not qfile.exists():
        sys.exit(f"no docs-dev queries at {qfile} (../shared must sit beside the repository)")
    score = load_score_module(args.eval_dir)
    queries = score.load_queries(str(qfile))
    unanswerable = [q for q in UNANSWERABLE.read_text(encoding="utf-8").splitlines() if q and not q.startswith("#")]
    searcher = Searcher(Settings(data_dir=args.data))
    model = searcher.model

    def run(text: str) -> list[dict[str, Any]]:
        hits = searcher.search(text, k=10, mode=args.mode, weak=True, sentences=False)
        return [{"path": h.path, "text": h.text, "page": h.page, "evidence": h.evidence} for h in hits]

    answered = [{"query": q, "hits": run(q["query"])} for q in queries]
    junk = [{"query": q, "hits": run(q)} for q in unanswerable]
    searcher.close()

    def top_cos(rows: list[dict[str, Any]]) -> list[float]:
        cosines = (
            [h["evidence"].cosine for h in r["hits"] if h["evidence"] and h["evidence"].cosine is not None]
            for r in rows
        )
        return [max(c, default=0.0) for c in cosines]

    print(
        f"best cosine among the 10 hits: answered median {statistics.median(top_cos(answered)):.3f} "
        f"(min {min(top_cos(answered)):.3f}); unanswerable median {statistics.median(top_cos(junk)):.3f} "
        f"(max {max(top_cos(junk)):.3f})"
    )
    print(f"{'floor':>6}  answered MRR / success / passage / queries lost   unanswerable: empty / weak hits shown")
    table = []
    for cos in (None, *GRID):
        floor = Floor(cosine=cos) if cos is not None else None
        a = answered_metrics(score, answered, floor, args.corpus)
        empty = sum(not kept(r["hits"], floor) for r in junk)
        shown = sum(len(kept(r["hits"], floor)) for r in junk)
        table.append({"floor": cos, **a, "junk_empty": empty, "junk_shown": shown})
        label = "none" if cos is None else f"{cos:.2f}"
        print(
            f"{label:>6}  {a['mrr']:.3f} / {a['success']:.3f} / {a['passage']:.3f} / {int(a['lost']):>2}"
            f"                {empty:>2}/{len(junk)} / {shown}"
        )
    notes = notes_table(model) if model else []
    if args.json:
        dump = {"table": table, "notes": notes, "answered": answered, "unanswerable": junk}
        args.json.write_text(json.dumps(dump, default=_plain, indent=1), encoding="utf-8")
    return 0


def notes_table(model: str) -> list[dict[str, float]]:
    """Each note's cosine to its own question and to every other question, judged at each floor."""
    import numpy as np

    pairs = [json.loads(line) for line in NOTES.read_text(encoding="utf-8").splitlines() if line.strip()]
    embedder = load_embedder(model, device="cpu")
    notes = np.asarray(embedder.encode([p["note"] for p in pairs]))
    queries = np.vstack([embedder.encode_query(p["query"]) for p in pairs])
    sims = queries @ notes.T
    own = np.diag(sims)
    other = sims[~np.eye(len(pairs), dtype=bool)]
    print(
        f"short notes ({len(pairs)}): own question median {np.median(own):.3f} (min {own.min():.3f}); "
        f"another note's question max {other.max():.3f}"
    )
    rows = []
    for cos in GRID:
        kept_own, passed = int((own >= cos).sum()), int((other >= cos).sum())
        rows.append({"floor": cos, "own_kept": kept_own, "others_passed": passed})
        print(f"{cos:>6.2f}  notes close to their own question {kept_own}/{len(pairs)}; wrong pairs passing {passed}")
    return rows


def _plain(o: object) -> object:
    if isinstance(o, set):
        return sorted(o)
    if hasattr(o, "__dict__"):
        return o.__dict__
    return str(o)


if __name__ == "__main__":
    sys.exit(main())
