"""Generation backends and the generation cache, on the tiny model."""

import importlib.util

import pytest
import torch

from unlearn_bench.generation import (GenerationCache, GenerationSettings, HFGenerator, cut_at_stop, generate_cached,
                                      make_generator, vllm_usable)
from unlearn_bench.errors import UsageError

PROMPTS = ["Hello", "What is the capital of France and why is it famous?", "Tell me a story", "2 + 2 ="]


def run_all(generator, prompts, settings):
    texts = [None] * len(prompts)
    for indices, batch in generator.generate_batches(prompts, settings):
        for i, text in zip(indices, batch):
            texts[i] = text
    return texts


def test_batched_greedy_equals_one_at_a_time(tiny):
    settings = GenerationSettings(max_new_tokens=12)
    batched = run_all(HFGenerator(tiny.model, tiny.tokenizer, batch_size=4, progress=False), PROMPTS, settings)
    single = run_all(HFGenerator(tiny.model, tiny.tokenizer, batch_size=1, progress=False), PROMPTS, settings)
    assert batched == single
    assert all(isinstance(t, str) and t for t in batched)


def test_max_new_tokens_is_respected(tiny):
    settings = GenerationSettings(max_new_tokens=7)
    texts = run_all(HFGenerator(tiny.model, tiny.tokenizer, batch_size=2, progress=False), PROMPTS, settings)
    for text in texts:
        assert len(tiny.tokenizer(text, add_special_tokens=False)["input_ids"]) <= 8


def test_sampling_is_seeded(tiny):
    generator = HFGenerator(tiny.model, tiny.tokenizer, batch_size=2, progress=False)
    settings = GenerationSettings(max_new_tokens=10, do_sample=True, seed=1)
    first = run_all(generator, PROMPTS, settings)
    assert first == run_all(generator, PROMPTS, settings)
    greedy = run_all(generator, PROMPTS, GenerationSettings(max_new_tokens=10))
    assert first != greedy


def test_cut_at_stop():
    assert cut_at_stop("answer here\n### Question: next", ("### Question",)) == "answer here\n"
    assert cut_at_stop("a STOP b stop", ("stop", "STOP")) == "a "
    assert cut_at_stop("no stop string", ()) == "no stop string"


def test_cache_generates_only_what_is_missing(tiny, tmp_path):
    cache = GenerationCache(tmp_path / "cache.sqlite")
    settings = GenerationSettings(max_new_tokens=6)
    calls = []

    def factory():
        calls.append(1)
        return HFGenerator(tiny.model, tiny.tokenizer, batch_size=2, progress=False)

    texts, generated = generate_cached(factory, "fp-a", PROMPTS[:2], settings, cache)
    assert generated == 2 and len(calls) == 1
    again, generated = generate_cached(factory, "fp-a", PROMPTS, settings, cache)
    assert generated == 2 and again[:2] == texts and len(calls) == 2
    _, generated = generate_cached(factory, "fp-a", PROMPTS, settings, GenerationCache(tmp_path / "cache.sqlite"))
    assert generated == 0 and len(calls) == 2  # persisted on disk, no generator built
    _, generated = generate_cached(factory, "fp-b", PROMPTS[:1], settings, cache)
    assert generated == 1  # another model fingerprint is another key
    _, generated = generate_cached(factory, "fp-a", PROMPTS[:1], GenerationSettings(max_new_tokens=7), cache)
    assert generated == 1  # other decoding settings too


def test_unknown_backend_is_a_usage_error(tiny):
    with pytest.raises(UsageError, match="'nope'.*auto, hf, vllm"):
        make_generator(tiny.model, tiny.tokenizer, "nope")


@pytest.mark.skipif(not vllm_usable(), reason="needs vLLM and a GPU")
def test_vllm_and_hf_agree_on_greedy_texts(tiny, tmp_path):
    settings = GenerationSettings(max_new_tokens=16)
    model = tiny.model.to("cuda")
    hf = run_all(HFGenerator(model, tiny.tokenizer, batch_size=4, progress=False), PROMPTS, settings)
    vllm = run_all(make_generator(model, tiny.tokenizer, "vllm", work_dir=tmp_path), PROMPTS, settings)
    assert vllm == hf
