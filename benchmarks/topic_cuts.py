"""Re-cut an existing index with topic cuts (core/topics.py), through the app's own topic pass
(indexing/topic_pass.py, what `jinasearch index --topic-cuts` runs after reading): each document cut
anew, its new passages embedded, then swapped in per group of documents.

    python benchmarks/topic_cuts.py --data COPY_OF_AN_INDEX [--share 0.2] [--window 2] [--model PATH]
    python benchmarks/docs_dev.py --data COPY_OF_AN_INDEX --reuse --no-baselines --out OUT.json

Give a copy: the index is changed in place. Sentence vectors come from the model's token vectors pooled
in the document's windows (1,024 tokens, capped at MiniLM's 512; the sentences' bare text); the passages
are packed as the index's settings say (200 tokens, 32 shared) and end early at a topic boundary once
they hold a quarter of that. The new passages get vectors as the index's recipe makes them (naive or
late). Prints passages before / after and the time of the two model passes together (sentences, then
passages). `--share` / `--window` other than the defaults measure what the app does not offer.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import common  # noqa: F401 - this checkout first on sys.path, offline hub
from common import load_avg, log

from jinasearch.core.config import DEFAULT_EMBED_CAP, Recipe, Settings
from jinasearch.core.control import Control
from jinasearch.core.embed import load_embedder
from jinasearch.core.indexing.budget import EmbedPolicy
from jinasearch.core.indexing.embedding import make_encoder
from jinasearch.core.indexing.topic_pass import topic_pass
from jinasearch.core.store import Store
from jinasearch.core.topics import TOPIC_SHARE, TOPIC_WINDOW


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a copy of an index (changed in place)")
    ap.add_argument("--model", help="default: the index's model; MiniLM from its PyPI package if a hub name")
    ap.add_argument("--share", type=float, default=TOPIC_SHARE)
    ap.add_argument("--window", type=int, default=TOPIC_WINDOW)
    ap.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = ap.parse_args(argv)
    settings = Settings(data_dir=args.data)
    store = Store(settings.db_path)
    model = args.model or store.model()
    if model is None:
        ap.error(f"{args.data} holds no index with a model")
    emb = load_embedder(model)
    control = Control()
    encoder = make_encoder(emb, control, store, Recipe.from_key(store.recipe()))
    policy = EmbedPolicy(DEFAULT_EMBED_CAP, frozenset(f.id for f in store.folders() if f.embed_data))
    steps = topic_pass(store, settings, encoder, policy, share=args.share, window=args.window)
    before = store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    log(
        f"{args.data}: {before:,} passages, recipe {store.recipe()}, share {args.share}, window {args.window}; load {load_avg()}"
    )
    t0 = time.monotonic()
    for step in steps:
        if step.done % 64 < 32 or step.done == step.total:
            log(f"  {step.done}/{step.total} documents, {time.monotonic() - t0:.0f} s")
    after = store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    pending = store.count_pending()
    store.close()
    out = {
        "passages_before": before,
        "passages_after": after,
        "pending": pending,
        "seconds": time.monotonic() - t0,
        "share": args.share,
        "window": args.window,
        "load": load_avg(),
    }
    log(json.dumps(out))
    if args.out:
        args.out.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
