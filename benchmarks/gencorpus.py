"""A deterministic synthetic text corpus for speed benchmarks: Zipf-distributed English-ish words.

Words are the whole-word entries of the model's WordPiece vocabulary (so token counts look like
real prose, about 1.3 tokens a word), drawn with a Zipf law; sentence, paragraph and file lengths
vary so passages have a realistic spread of lengths. A share of files carry the same boilerplate
paragraph and some files are exact copies, as in real folders, so de-duplication has work to do.
"""

from __future__ import annotations

import random
from pathlib import Path

BOILERPLATE = (
    "This document is confidential and intended solely for the use of the individual to whom it is "
    "addressed. If you have received it in error, please notify the sender and delete it. Any views "
    "expressed are those of the author and do not necessarily represent those of the company."
)


def vocabulary(model_dir: str | Path, limit: int = 20_000) -> list[str]:
    words = []
    for line in (Path(model_dir) / "vocab.txt").read_text(encoding="utf-8").splitlines():
        if line.isalpha() and line.isascii() and len(line) >= 2 and not line.startswith("["):
            words.append(line)
    return words[:limit]


class Generator:
    def __init__(self, vocab: list[str], seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.vocab = vocab
        # Zipf weights: a few words are very common, most are rare, like real text.
        self.weights = [1.0 / (i + 10) for i in range(len(vocab))]

    def sentence(self) -> str:
        n = self.rng.randint(6, 28)
        ws = self.rng.choices(self.vocab, self.weights, k=n)
        return ws[0].capitalize() + " " + " ".join(ws[1:]) + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 8)))

    def document(self) -> str:
        paras = [self.paragraph() for _ in range(self.rng.randint(1, 6))]
        if self.rng.random() < 0.2:
            paras.append(BOILERPLATE)
        return "\n\n".join(paras)

    def passages(self, n: int) -> list[str]:
        return [self.paragraph() for _ in range(n)]


def write_corpus(folder: Path, n_files: int, model_dir: str | Path, seed: int = 7) -> list[Path]:
    """n_files .txt files; about 3% are exact copies of an earlier file."""
    folder.mkdir(parents=True, exist_ok=True)
    gen = Generator(vocabulary(model_dir), seed)
    out: list[Path] = []
    texts: list[str] = []
    for i in range(n_files):
        text = gen.rng.choice(texts) if texts and gen.rng.random() < 0.03 else gen.document()
        texts.append(text)
        path = folder / f"f{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out
