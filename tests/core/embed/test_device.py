"""Devices: one this machine lacks is refused with the reason, before any model is loaded."""

from __future__ import annotations

import pytest
import torch

from jinasearch.core.embed import device_problem
from jinasearch.core.errors import ModelUnavailableError

no_cuda = pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")


def test_auto_and_cpu_always_work() -> None:
    assert device_problem("auto") is None and device_problem("cpu") is None


@no_cuda
def test_cuda_on_a_machine_without_it_says_why() -> None:
    problem = device_problem("cuda")
    assert problem is not None and ("CPU build" in problem or "no NVIDIA GPU" in problem)
    assert device_problem("gpu") == problem


def test_an_unknown_device_names_the_choices() -> None:
    assert "choose auto, cpu, cuda or mps" in (device_problem("tpu") or "")


@no_cuda
def test_the_embedder_blames_the_device_not_the_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from jinasearch.core.embed.st import SentenceTransformerEmbedder

    with pytest.raises(ModelUnavailableError, match="cannot embed on 'cuda'"):
        SentenceTransformerEmbedder(str(tmp_path / "any-model"), device="cuda")
