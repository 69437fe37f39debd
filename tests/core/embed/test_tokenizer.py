"""The chunking tokenizer: the model's own counts, safe beside the model, and it travels to workers."""

from __future__ import annotations

import pickle
import threading

import pytest

from jinasearch.core.embed.tokenizer import FastTokenizer, SlowTokenizer

TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Héllo wörld — naïve café; E4471 and parse_header().",
    "日本語のテキストも数えます。",
    "word " * 700,  # longer than the model's 512-token window: must be counted in full, not truncated
    "",
]


@pytest.fixture(scope="module")
def hf(minilm_path: str):  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(minilm_path)


def test_counts_and_offsets_match_the_transformers_tokenizer(hf) -> None:  # type: ignore[no-untyped-def]
    fast, slow = FastTokenizer.of(hf), SlowTokenizer(hf)
    assert fast is not None
    assert fast.count(TEXTS) == slow.count(TEXTS)
    assert fast.count(TEXTS)[3] == 700  # no truncation
    for text in TEXTS:
        assert fast.offsets(text) == slow.offsets(text)


def test_pickles_as_its_definition(hf) -> None:  # type: ignore[no-untyped-def]
    fast = FastTokenizer.of(hf)
    assert fast is not None
    copy = pickle.loads(pickle.dumps(fast))
    assert copy.count(TEXTS) == fast.count(TEXTS)
    assert copy.offsets(TEXTS[1]) == fast.offsets(TEXTS[1])
    with pytest.raises(TypeError):
        pickle.dumps(SlowTokenizer(hf))


def test_the_models_truncation_setting_does_not_reach_it(hf) -> None:  # type: ignore[no-untyped-def]
    """sentence-transformers switches truncation on the model's tokenizer for each batch; the
    chunker's copy must keep counting in full, from any thread, at the same time."""
    fast = FastTokenizer.of(hf)
    assert fast is not None
    want = fast.count(TEXTS)
    errors: list[BaseException] = []

    def count_many() -> None:
        try:
            for _ in range(50):
                assert fast.count(TEXTS) == want
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=count_many) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(50):
        hf(TEXTS, truncation=True, max_length=16)  # what the model's encode does meanwhile
    for t in threads:
        t.join()
    assert errors == []
