"""Generation backends and the generation cache, on the tiny model."""

import pytest
import torch

from unlearn_bench import generation
from unlearn_bench.generation import (GenerationCache, GenerationSettings, HFGenerator, auto_threads, choose_backend,
                                      cut_at_stop, engine_key, generate_cached, make_generator, measured_speeds,
                                      record_speeds, threads_for, torch_threads, vllm_pays, vllm_usable,
                                      weights_checksum)
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


def test_cache_key_ignores_the_seed_only_when_greedy():
    key = GenerationCache.key
    greedy = [GenerationSettings(max_new_tokens=6, seed=seed) for seed in (0, 1)]
    assert key("fp", "p", greedy[0]) == key("fp", "p", greedy[1])  # run seeds share the greedy outputs
    sampled = [GenerationSettings(max_new_tokens=6, do_sample=True, seed=seed) for seed in (0, 1)]
    assert key("fp", "p", sampled[0]) != key("fp", "p", sampled[1])


def test_unknown_backend_is_a_usage_error(tiny):
    with pytest.raises(UsageError, match="'nope'.*auto, hf, vllm"):
        make_generator(tiny.model, tiny.tokenizer, "nope")


def test_threads_follow_the_free_cores():
    assert threads_for(2, 0.0) == 2
    assert threads_for(2, 0.3) == 2  # a shell or an editor does not take a core
    assert threads_for(2, 0.7) == 1  # a competing job does
    assert threads_for(2, 1.0) == 1
    assert threads_for(2, 6.0) == 1  # never fewer than one
    assert threads_for(16, 3.2) == 13
    assert threads_for(1, 0.0) == 1
    assert threads_for(4, None) == 4  # no load reading (not Linux): all cores
    assert threads_for(4, 0.0, cap=2) == 2


def test_thread_override(monkeypatch):
    monkeypatch.setenv("UNLEARN_BENCH_THREADS", "3")
    assert auto_threads() == 3
    monkeypatch.setenv("UNLEARN_BENCH_THREADS", "zero")
    with pytest.raises(UsageError, match="UNLEARN_BENCH_THREADS='zero'"):
        auto_threads()


def test_torch_threads_restores_the_count():
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_thread_count_does_not_change_greedy_texts(tiny):
    tiny.model.to("cpu")  # thread counts are a CPU matter, on a GPU machine too
    settings = GenerationSettings(max_new_tokens=8)
    one = HFGenerator(tiny.model, tiny.tokenizer, batch_size=4, progress=False, threads=1)
    two = HFGenerator(tiny.model, tiny.tokenizer, batch_size=2, progress=False, threads=2)
    assert run_all(one, PROMPTS, settings) == run_all(two, PROMPTS, settings)
    assert one.threads_used == [1] and two.threads_used == [2, 2]
    with pytest.raises(UsageError, match="threads 0"):
        HFGenerator(tiny.model, tiny.tokenizer, threads=0)


def test_static_cache_gives_the_same_greedy_texts(tiny):
    settings = GenerationSettings(max_new_tokens=8)
    dynamic = HFGenerator(tiny.model, tiny.tokenizer, batch_size=4, progress=False, threads=1)
    static = HFGenerator(tiny.model, tiny.tokenizer, batch_size=4, progress=False, threads=1,
                         cache_implementation="static")
    assert run_all(static, PROMPTS, settings) == run_all(dynamic, PROMPTS, settings)


def test_vllm_pays_only_with_a_measured_margin():
    assert vllm_pays({"hf": 100.0, "vllm": 200.0})
    assert not vllm_pays({"hf": 100.0, "vllm": 110.0})  # under the margin that covers its start-up
    assert not vllm_pays({"hf": 100.0})
    assert not vllm_pays({})


def test_speed_record_is_per_machine(tmp_path, monkeypatch):
    monkeypatch.setenv("UNLEARN_BENCH_CACHE", str(tmp_path))
    assert measured_speeds() == {}
    record_speeds({"hf": 90.0, "vllm": 250.0})
    assert measured_speeds() == {"hf": 90.0, "vllm": 250.0}
    monkeypatch.setattr(generation, "machine_id", lambda: "another machine")
    assert measured_speeds() == {}


def test_auto_takes_vllm_on_a_cpu_only_when_measured_faster(tmp_path, monkeypatch):
    monkeypatch.setenv("UNLEARN_BENCH_CACHE", str(tmp_path))
    monkeypatch.setattr(generation.torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(generation, "vllm_usable", lambda: False)
    assert choose_backend("auto") == "hf"
    with pytest.raises(UsageError, match="backend 'vllm' needs vLLM"):
        choose_backend("vllm")
    monkeypatch.setattr(generation, "vllm_usable", lambda: True)
    assert choose_backend("auto") == "hf"  # installed but never measured here
    record_speeds({"hf": 90.0, "vllm": 250.0})
    assert choose_backend("auto") == "vllm" and choose_backend("hf") == "hf"
    record_speeds({"hf": 90.0, "vllm": 80.0})
    assert choose_backend("auto") == "hf"


def test_engine_key_is_the_architecture_and_vocabulary_not_the_weights(tiny, tokenizer):
    from conftest import make_tiny_model

    other_weights = make_tiny_model(tokenizer, seed=1)
    assert engine_key(tiny.model, tiny.tokenizer) == engine_key(other_weights, tokenizer)
    assert weights_checksum(tiny.model) != weights_checksum(other_weights)
    other_shape = make_tiny_model(tokenizer)
    other_shape.config.num_hidden_layers = 3
    assert engine_key(other_shape, tokenizer) != engine_key(tiny.model, tiny.tokenizer)


class FakeLLM:
    """Stands in for vllm.LLM: records the in-place reloads and prefix-cache resets."""

    def __init__(self):
        self.calls = []

    def collective_rpc(self, method, kwargs=None):
        self.calls.append((method, kwargs))

    def reset_prefix_cache(self):
        self.calls.append(("reset_prefix_cache", None))


def test_one_engine_per_process_with_weights_swapped_in_place(tiny, tokenizer, monkeypatch):
    from conftest import make_tiny_model

    started = []
    monkeypatch.setattr(generation, "_ENGINES", {})
    monkeypatch.setattr(generation, "_start_engine", lambda d, seed, threads, tensor_parallel_size=1: started.append(d) or FakeLLM())
    first = generation.vllm_engine(tiny.model, tiny.tokenizer)
    assert (first.directory / "config.json").exists() and first.reloads == 0
    assert generation.vllm_engine(tiny.model, tiny.tokenizer) is first and first.llm.calls == []  # same weights
    unlearned = make_tiny_model(tokenizer, seed=1)
    assert generation.vllm_engine(unlearned, tokenizer) is first and len(started) == 1
    assert first.llm.calls == [("reload_weights", {"weights_path": str(first.directory)}),
                               ("reset_prefix_cache", None)]  # stale prefix KV must not survive new weights
    assert first.reloads == 1 and first.loaded == weights_checksum(unlearned)
    generation.vllm_engine(unlearned, tokenizer, weights_id="fingerprint-1")  # a caller's id: trusted, one reload
    generation.vllm_engine(unlearned, tokenizer, weights_id="fingerprint-1")
    assert first.reloads == 2 and first.loaded == "fingerprint-1"
    from safetensors.torch import load_file

    # the folder the engine reads now holds the unlearned weights
    on_disk = load_file(str(first.directory / "model.safetensors"))
    name, param = next(iter(unlearned.state_dict().items()))
    assert torch.equal(on_disk[name], param)
    generation.shutdown_engines()  # the fake has no engine core to stop: nothing raises
    assert generation._ENGINES == {} and not first.root.exists()


@pytest.mark.slow
@pytest.mark.skipif(not vllm_usable(), reason="needs vLLM (CPU build, or the CUDA build with a GPU)")
def test_vllm_and_hf_agree_on_greedy_texts_before_and_after_an_in_place_reload():
    """The embedded model (a random tiny model has near-tied logits that kernel rounding may flip)."""
    from unlearn_bench.models import EMBEDDED_DEFAULT, load_model

    loaded = load_model(EMBEDDED_DEFAULT)
    model = loaded.model.to("cuda") if torch.cuda.is_available() else loaded.model
    prompts = [loaded.tokenizer.apply_chat_template([{"role": "user", "content": p}], tokenize=False,
                                                    add_generation_prompt=True) for p in PROMPTS]
    settings = GenerationSettings(max_new_tokens=24)
    hf = run_all(HFGenerator(model, loaded.tokenizer, batch_size=4, progress=False), prompts, settings)
    try:
        vllm = make_generator(model, loaded.tokenizer, "vllm", progress=False)
        assert run_all(vllm, prompts, settings) == hf
        with torch.no_grad():  # another model of the same shape, as an unlearning method would leave it
            for param in model.parameters():
                param.mul_(1.02)
        changed = run_all(HFGenerator(model, loaded.tokenizer, batch_size=4, progress=False), prompts, settings)
        assert changed != hf
        again = make_generator(model, loaded.tokenizer, "vllm", progress=False)
        assert again.engine is vllm.engine and again.engine.reloads == 1
        assert run_all(again, prompts, settings) == changed
    finally:
        generation.shutdown_engines()
