"""Shared fixtures: a tiny few-layer Llama model with the embedded default's tokenizer, made here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from unlearn_bench.models import EMBEDDED_DEFAULT, LoadedModel, load_model, prepare_tokenizer

torch.set_num_threads(min(2, os.cpu_count() or 1))


def make_tiny_model(tokenizer, seed: int = 0):
    """A randomly initialised 2-layer Llama (about 3.3M parameters) over the real tokenizer's vocabulary."""
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=True,
    )
    return LlamaForCausalLM(config).eval()


@pytest.fixture(scope="session")
def tokenizer():
    """The embedded default's tokenizer (downloads and converts the embedded model once per cache)."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(_embedded_dir())
    prepare_tokenizer(tok)
    return tok


def _embedded_dir() -> Path:
    from unlearn_bench.models import MODELS, _converted_embedded

    return _converted_embedded(EMBEDDED_DEFAULT, MODELS[EMBEDDED_DEFAULT])


@pytest.fixture(scope="session")
def tiny_model_dir(tokenizer, tmp_path_factory) -> Path:
    """The tiny model saved as a transformers directory, loadable with `--model DIR`."""
    directory = tmp_path_factory.mktemp("tiny-model")
    make_tiny_model(tokenizer).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


@pytest.fixture()
def tiny(tiny_model_dir) -> LoadedModel:
    """A fresh copy of the tiny model for each test (tests may train it)."""
    return load_model(str(tiny_model_dir), dtype=torch.float32)
