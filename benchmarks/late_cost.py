"""CPU cost per passage of late chunking against each passage embedded alone (naive), through the app's code.

    python benchmarks/late_cost.py [--models minilm v2-small v2-base] [--windows 512 1024 2048 8192]
                                   [--minilm-windows 256 512] [--margin-shares 16 0 8] [--reps 2]
                                   [--passages 200] [--base-passages 120] [--attn sdpa|eager]
                                   [--ffn-scale 1.5] [--model PATH] [--files F ...] [--json OUT]

Defaults (minilm and v2-small, 160 passages, 2 repetitions) take about 10 minutes on 2 cores shared
with other work (load 5), half that on idle ones; v2-base costs about 6x v2-small per passage, so it
runs only when asked for (--models v2-base; 120 passages, 1 repetition: about 7 minutes).

Input: real long documents (by default the GNU coding standards and the bash manual page of the
docs-dev corpus, /tmp/docs-dev), read by the app's extractors and cut by its chunker with the model's
tokenizer (200 tokens, default overlap); each passage's model input is its place line and text
(core/context.py), as the index stores it. The first N passages in document order are kept.

naive: `Encoder(emb, Control()).encode` on those model inputs (the model's batches of 32, length-sorted).
late:  `LateRunner(emb, Control(), W).run` on `docs_work` of the same documents (every passage wanted):
       windows of W tokens, each passage pooled from one window with `margin` tokens of context each side.
Naive and late variants run alternately, the order rotated each repetition, so a concurrent load
(the machine is shared) falls on both; each figure is the median over repetitions, and the ratio is
the median of the per-repetition ratios. CPU = process CPU time (all torch threads), wall = elapsed.
MiniLM at W=512 is also run with other margins (`runner.margin` = budget // share; share 0 = none);
the app's is core/embed/late.py MARGIN_SHARE.

v2-small / v2-base: jina-embeddings-v2 cannot be downloaded here, so these are RANDOM WEIGHTS of its
shape (BERT; small: hidden 512, 4 layers, 8 heads, MLP 2048; base: 768, 12, 12, 3072; 8,192 positions;
MiniLM's tokenizer), saved to a folder and loaded by the app's SentenceTransformerEmbedder. TIMING ONLY,
no quality: standard absolute positions instead of Jina's ALiBi (same matmul shapes; ALiBi adds a
bias per attention score) and a plain GELU MLP instead of Jina's GEGLU (--ffn-scale 1.5 matches its
FLOPs). Where the real model is at hand, --model PATH measures it too (label "model"). Also per variant: the longest single transformer call (a cancel waits for one), tokens the
model read per passage (tok/p, padding included), window tokens per passage as plan_windows plans them
for whole documents (plan/p) and for the pipeline's calls of Encoder.batch_rows passages with
store_context's reach around them (calls/p: what an index run reads), and peak RSS above the RSS
before the run (approximate: the allocator keeps some memory between runs).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import common  # noqa: F401  (offline hub, this checkout first on sys.path)
from common import load_avg, log
from shaped_model import SHAPES, minilm_path, random_model

from jinasearch.core.chunk import Chunking
from jinasearch.core.context import model_input
from jinasearch.core.control import Control
from jinasearch.core.embed import load_embedder
from jinasearch.core.embed.late import MARGIN_SHARE, plan_windows
from jinasearch.core.extract import extract
from jinasearch.core.indexing.embedding import Encoder
from jinasearch.core.indexing.late import DocPassages, LateRunner, LateWork, docs_work
from jinasearch.core.store.documents import text_hash

FILES = ["/tmp/docs-dev/gnu/standards.txt", "/tmp/docs-dev/manuals/bash.html"]


@dataclass
class Variant:
    label: str
    window: int | None = None  # None: naive
    share: int | None = None  # margin = budget // share; 0: no margin
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    longest_call: float = 0.0
    tokens: int = 0  # model input tokens per run, padding included
    peak_mb: float = 0.0
    plan_docs: float = 0.0  # window tokens per passage that plan_windows gives: whole documents
    plan_calls: float = 0.0  # and the pipeline's calls (Encoder.batch_rows targets, store_context's reach)


def documents(files: list[str], emb: Any, limit: int) -> list[list[str]]:
    """Model inputs of each document's passages, in order, the first `limit` passages in all."""
    chunking = Chunking(emb.tokenizer, 200)
    docs: list[list[str]] = []
    left = limit
    for f in files:
        ex = extract(f)
        inputs = [model_input(ex.title, c.section, c.text) for c in chunking.cut(ex)][:left]
        if inputs:
            docs.append(inputs)
        left -= len(inputs)
        if left <= 0:
            break
    return docs


class CallClock:
    """Times every call of the transformer module (both paths call it: one batch of naive passages,
    or one group of late windows) and counts its padded input tokens."""

    def __init__(self, module: Any) -> None:
        self.longest, self.tokens = 0.0, 0
        inner = module.forward

        def timed(features: dict[str, Any], *a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            out = inner(features, *a, **k)
            self.longest = max(self.longest, time.perf_counter() - t)
            self.tokens += int(features["input_ids"].numel())
            return out

        module.forward = timed  # an instance attribute: nn.Module.__call__ looks forward up on self

    def reset(self) -> None:
        self.longest, self.tokens = 0.0, 0


def rss_kb(key: str) -> int:
    found = [ln.split()[1] for ln in Path("/proc/self/status").read_text().splitlines() if ln.startswith(key + ":")]
    return int(found[0]) if found else 0


def reset_peak() -> bool:
    """Start a new peak-RSS measurement (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def late_runner(v: Variant, emb: Any) -> LateRunner:
    runner = LateRunner(emb, Control(), v.window or 0)
    if v.share is not None:
        runner.margin = runner.budget // v.share if v.share else 0
    return runner


def run_variant(v: Variant, emb: Any, texts: list[str], work: LateWork, clock: CallClock) -> None:
    runner = None if v.window is None else late_runner(v, emb)
    clock.reset()
    peak_ok = reset_peak()
    before = rss_kb("VmRSS")
    w0, c0 = time.perf_counter(), time.process_time()
    out = Encoder(emb, Control()).encode(texts) if runner is None else runner.run(work)
    v.wall.append(time.perf_counter() - w0)
    v.cpu.append(time.process_time() - c0)
    assert out is not None and len(out) == len(texts)
    v.longest_call = max(v.longest_call, clock.longest)
    v.tokens = clock.tokens
    if peak_ok:
        v.peak_mb = max(v.peak_mb, (rss_kb("VmHWM") - before) / 1024)
    if runner is not None and not v.plan_docs:  # outside the clock: planning only, no model
        rows = Encoder(emb, Control(), runner).batch_rows
        v.plan_docs = planned(runner, list(work.docs), None) / len(texts)
        v.plan_calls = planned(runner, list(work.docs), rows) / len(texts)


def planned(runner: LateRunner, docs: list[DocPassages], rows: int | None) -> int:
    """Window tokens (special tokens included, no padding) that plan_windows plans for `docs`: each
    whole, or with `rows` cut as an index run's calls cut them (embed_windows: `rows` passages a call
    in store order; store_context: each document's part with `reach` passages around it)."""
    reach = runner.window // 16 + 1  # as store_context (indexing/late.py) reaches
    lengths = [[len(t[: runner.budget]) for t in runner.emb.token_ids(list(d.texts))] for d in docs]
    order = [(k, t) for k, d in enumerate(docs) for t in d.targets]
    calls = [order] if rows is None else [order[i : i + rows] for i in range(0, len(order), rows)]
    total = 0
    for call in calls:
        for k in dict.fromkeys(k for k, _ in call):
            part = [t for j, t in call if j == k]
            lo, hi = max(0, part[0] - reach), min(len(lengths[k]), part[-1] + reach + 1)
            windows = plan_windows(lengths[k][lo:hi], [t - lo for t in part], runner.budget, runner.margin)
            total += sum(w.end - w.start + runner.emb.specials.count for w in windows)
    return total


def variants(model: str, args: argparse.Namespace, positions: int) -> list[Variant]:
    out = [Variant("naive")]
    windows = args.minilm_windows if model == "minilm" else args.windows
    for w in windows:
        if w > positions:
            log(f"{model}: W={w} is over the model's {positions} positions, skipped")
            continue
        out.append(Variant(f"late W={w}", w))
        if model == "minilm" and w == 512:
            for share in args.margin_shares:
                if share != MARGIN_SHARE:
                    out.append(Variant(f"late W={w} margin {'0' if not share else f'1/{share}'}", w, share))
    return out


def measure(model: str, args: argparse.Namespace) -> dict[str, Any]:
    named = {"minilm": minilm_path(), "model": args.model}
    path = named.get(model) or random_model(model, args.models_dir, args.ffn_scale)
    emb = load_embedder(path, device="cpu")
    emb._model.float()  # type: ignore[attr-defined]
    auto = emb._model[0].auto_model  # type: ignore[attr-defined]
    if args.attn:
        auto.set_attn_implementation(args.attn)
    limit = args.base_passages if model == "v2-base" else args.passages
    docs = documents(args.files, emb, limit)
    texts = [t for d in docs for t in d]
    work = docs_work([([text_hash(t) for t in d], d) for d in docs], {text_hash(t) for t in texts})
    texts = [t for d in work.docs for t in (d.texts[i] for i in d.targets)]  # one per distinct text, in order
    clock = CallClock(emb._model[0])  # type: ignore[attr-defined]
    vs = variants(model, args, emb.max_positions)
    log(f"{model}: {len(texts)} passages in {len(docs)} documents; attention {auto.config._attn_implementation}")
    warm = docs_work([([text_hash(t) for t in docs[0][:8]], docs[0][:8])], {text_hash(t) for t in docs[0][:8]})
    Encoder(emb, Control()).encode(docs[0][:32])
    LateRunner(emb, Control(), 512).run(warm)
    for rep in range(args.reps):
        for v in vs[rep % len(vs) :] + vs[: rep % len(vs)]:
            run_variant(v, emb, texts, work, clock)
            log(f"{model} rep {rep + 1}: {v.label}: {v.wall[-1]:.1f} s wall, {v.cpu[-1]:.1f} s CPU")
    return summary(model, vs, texts, emb)


def summary(model: str, vs: list[Variant], texts: list[str], emb: Any) -> dict[str, Any]:
    n, med, naive = len(texts), statistics.median, vs[0]
    rows = [
        {**asdict(v), "ms_per_passage_wall": 1000 * med(v.wall) / n, "ms_per_passage_cpu": 1000 * med(v.cpu) / n,
         "passages_per_s": n / med(v.wall), "ratio_cpu": med([c / b for c, b in zip(v.cpu, naive.cpu)]),
         "ratio_wall": med([c / b for c, b in zip(v.wall, naive.wall)]), "tokens_per_passage": v.tokens / n}
        for v in vs
    ]  # fmt: skip
    attn = emb._model[0].auto_model.config._attn_implementation
    tokens = sum(len(t) for t in emb.token_ids(texts)) / n
    return {"model": model, "attention": attn, "passages": n, "passage_tokens": tokens, "rows": rows}


# The printed table: (heading, width, the row's value as printed).
COLUMNS: list[tuple[str, int, Callable[[dict[str, Any]], str]]] = [
    ("pass/s", 7, lambda r: f"{r['passages_per_s']:.1f}"),
    ("ms/p wall", 9, lambda r: f"{r['ms_per_passage_wall']:.1f}"),
    ("ms/p CPU", 9, lambda r: f"{r['ms_per_passage_cpu']:.1f}"),
    ("late/naive", 10, lambda r: f"{r['ratio_cpu']:.2f}x"),
    ("tok/p", 6, lambda r: f"{r['tokens_per_passage']:.0f}"),
    ("plan/p", 6, lambda r: f"{r['plan_docs']:.0f}"),
    ("calls/p", 7, lambda r: f"{r['plan_calls']:.0f}"),
    ("longest call", 12, lambda r: f"{r['longest_call']:.2f} s"),
    ("peak MB", 8, lambda r: f"{r['peak_mb']:.0f}"),
]


def table(results: list[dict[str, Any]]) -> str:
    head = f"{'model':9} {'variant':24} " + " ".join(f"{h:>{w}}" for h, w, _ in COLUMNS)
    lines = [head, "-" * len(head)]
    for r in results:
        for row in r["rows"]:
            cells = " ".join(f"{f(row):>{w}}" for _, w, f in COLUMNS)
            lines.append(f"{r['model']:9} {row['label']:24} {cells}")
    return "\n".join(lines)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip() or load_avg()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=["minilm", "v2-small"], choices=["minilm", *SHAPES])
    ap.add_argument("--model", help="also a real model (folder or cached hub name), at --windows")
    ap.add_argument("--windows", type=int, nargs="+", default=[512, 1024, 2048, 8192], help="W for the v2 shapes")
    ap.add_argument("--minilm-windows", type=int, nargs="+", default=[256, 512])
    ap.add_argument("--margin-shares", type=int, nargs="*", default=[MARGIN_SHARE, 0, 8], help="MiniLM, W=512")
    ap.add_argument("--reps", type=int, default=2, help="interleaved repetitions of every variant")
    ap.add_argument("--passages", type=int, default=160, help="for minilm and v2-small")
    ap.add_argument("--base-passages", type=int, default=120, help="for v2-base (the slow one)")
    ap.add_argument("--files", nargs="+", default=FILES)
    ap.add_argument("--ffn-scale", type=float, default=1.0, help="MLP width factor (1.5: GEGLU's FLOPs)")
    ap.add_argument("--attn", choices=["sdpa", "eager"], help="attention kernel (default: as the model loads)")
    ap.add_argument("--models-dir", type=Path, default=Path("/tmp/late_cost_models"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    import torch

    start = uptime()
    log(f"start: {start}; torch {torch.__version__}, {torch.get_num_threads()} threads")
    t0 = time.perf_counter()
    results = [measure(m, args) for m in args.models + (["model"] if args.model else [])]
    end = uptime()
    print(table(results))
    print(f"\nload at start: {start}\nload at end:   {end}\ntotal {time.perf_counter() - t0:.0f} s")
    if any(m in SHAPES for m in args.models):
        print("v2-small / v2-base: RANDOM WEIGHTS of Jina v2's shape, absolute positions (no ALiBi): timing only")
    if args.json:
        meta = {"load_start": start, "load_end": end, "torch": torch.__version__, "args": vars(args)}
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
