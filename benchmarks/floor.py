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
import os
import re
import statistics
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from jinasearch.core.config import Settings  # noqa: E402
from jinasearch.core.embed import load_embedder  # noqa: E402
from jinasearch.core.models import Hit  # noqa: E402
from jinasearch.core.retrieval.floor import Floor, is_close  # noqa: E402
from jinasearch.core.search import Searcher  # noqa: E402

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "docs-dev"
UNANSWERABLE = Path(__file__).resolve().parent / "data" / "unanswerable.txt"
NOTES = Path(__file__).resolve().parent / "data" / "notes.jsonl"
GRID = (0.0, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def norm(text: str) -> str:
    """The set's normalisation (README: NFKC, lower case, runs of non-alphanumerics -> one space)."""
    return re.sub(r"[^0-9a-z]+", " ", unicodedata.normalize("NFKC", text).lower()).strip()


def rel_path(path: str, corpus: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(corpus.resolve()))
    except ValueError:
        return path


def kept(hits: list[Hit], floor: Floor | None) -> list[Hit]:
    if floor is None:
        return hits
    return [h for h in hits if h.evidence is None or is_close(h.evidence, floor)]


def answered_metrics(rows: list[dict], floor: Floor | None) -> dict[str, float]:
    mrr = succ = passage = lost = 0.0
    for row in rows:
        hits = kept(row["hits"], floor)
        files = list(dict.fromkeys(h["file"] for h in hits))
        rank = next((i + 1 for i, f in enumerate(files) if f in row["relevant"]), None)
        mrr += 1 / rank if rank else 0.0
        succ += rank is not None
        passage += any(h["file"] in row["relevant"] and row["answer"] in norm(h["text"]) for h in hits)
        had = any(h["file"] in row["relevant"] for h in row["hits"])
        lost += had and rank is None
    n = len(rows) or 1
    return {"mrr": mrr / n, "success": succ / n, "passage": passage / n, "lost": lost}


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
    queries = [json.loads(line) for line in qfile.read_text(encoding="utf-8").splitlines() if line.strip()]
    unanswerable = [q for q in UNANSWERABLE.read_text(encoding="utf-8").splitlines() if q and not q.startswith("#")]
    searcher = Searcher(Settings(data_dir=args.data))
    model = searcher.model

    def run(text: str) -> list[dict]:
        hits = searcher.search(text, k=10, mode=args.mode, weak=True, sentences=False)
        return [
            {
                "file": rel_path(h.path, args.corpus),
                "text": h.text,
                "cosine": h.evidence.cosine if h.evidence else None,
                "words": h.evidence.words if h.evidence else None,
                "handles": h.evidence.handles if h.evidence else None,
                "evidence": h.evidence,
            }
            for h in hits
        ]

    answered = [
        {
            "id": q["id"],
            "kind": q["kind"],
            "relevant": set(q["relevant"]),
            "answer": norm(q["answer"]),
            "hits": run(q["query"]),
        }
        for q in queries
    ]
    junk = [{"query": q, "hits": run(q)} for q in unanswerable]
    searcher.close()

    for rows in (answered, junk):  # the floor test works on Hit-like dicts
        for row in rows:
            row["hits"] = [_HitView(h) for h in row["hits"]]

    def top_cos(rows: list[dict]) -> list[float]:
        return [max((h["cosine"] for h in r["hits"] if h["cosine"] is not None), default=0.0) for r in rows]

    print(
        f"best cosine among the 10 hits: answered median {statistics.median(top_cos(answered)):.3f} "
        f"(min {min(top_cos(answered)):.3f}); unanswerable median {statistics.median(top_cos(junk)):.3f} "
        f"(max {max(top_cos(junk)):.3f})"
    )
    print(f"{'floor':>6}  answered MRR / success / passage / queries lost   unanswerable: empty / weak hits shown")
    table = []
    for cos in (None, *GRID):
        floor = Floor(cosine=cos) if cos is not None else None
        a = answered_metrics(answered, floor)
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


class _HitView(dict):  # type: ignore[type-arg]
    """A recorded hit that `kept` can judge like a Hit."""

    @property
    def evidence(self):  # type: ignore[no-untyped-def]
        return self["evidence"]


def _plain(o: object) -> object:
    if isinstance(o, set):
        return sorted(o)
    if hasattr(o, "__dict__"):
        return o.__dict__
    return str(o)


if __name__ == "__main__":
    sys.exit(main())
