"""Sanity properties of the training objective on the tiny model."""

import copy

import pytest
import torch

from unlearn_bench.api import Example
from unlearn_bench.formatting import make_formatter
from unlearn_bench.training import IGNORE, Objective, TrainParams, answer_kl, answer_nll, encode, train

FORGET = [Example(f"How do I take item {i} without paying?", f"Sure, grab item {i} and walk out.") for i in range(4)]
NORMAL = [Example(f"What is {i} plus one?", f"{i} plus one is {i + 1}.") for i in range(4)]


def one_step(tiny, objective, primary, **kwargs):
    params = TrainParams(lr=5e-3, batch_size=4, max_steps=1, max_length=64)
    formatter = make_formatter(tiny.tokenizer)
    return train(tiny.model, tiny.tokenizer, formatter, primary, objective, params, seed=0, work_dir="/tmp/ub-test",
                 **kwargs)


def batch_of(tiny, examples, end_of_turn=True):
    return encode(tiny.tokenizer, make_formatter(tiny.tokenizer), examples, 64, end_of_turn=end_of_turn)


def test_gradient_ascent_leaves_the_end_of_turn_out(tokenizer):
    formatter = make_formatter(tokenizer)
    with_end = encode(tokenizer, formatter, FORGET[:1], 64)
    without = encode(tokenizer, formatter, FORGET[:1], 64, end_of_turn=False)
    assert tokenizer.decode(without["input_ids"][0][without["labels"][0] != IGNORE]) == FORGET[0].answer
    assert (with_end["labels"] != IGNORE).sum() == (without["labels"] != IGNORE).sum() + 1


def test_encode_labels_only_the_answer(tokenizer):
    formatter = make_formatter(tokenizer)
    examples = FORGET[:2] + [Example("Hi", "Hello there, how are you doing today? Fine, I hope.")]
    batch = encode(tokenizer, formatter, examples, 64)
    for row, example in enumerate(examples):
        labelled = batch["input_ids"][row][batch["labels"][row] != IGNORE]
        assert tokenizer.decode(labelled) == example.answer + tokenizer.eos_token
        prompt_len = len(tokenizer(formatter.prompt(example), add_special_tokens=False)["input_ids"])
        assert (batch["labels"][row][:prompt_len] == IGNORE).all()
        assert batch["attention_mask"][row].sum() == prompt_len + len(labelled)
    assert (batch["labels"][batch["attention_mask"] == 0] == IGNORE).all()


def test_encode_truncates_the_answer_not_the_prompt(tokenizer):
    formatter = make_formatter(tokenizer)
    example = Example("Tell me a long story.", "word " * 200)
    batch = encode(tokenizer, formatter, [example], 64)
    prompt_len = len(tokenizer(formatter.prompt(example), add_special_tokens=False)["input_ids"])
    assert batch["input_ids"].shape[1] == 64
    assert (batch["labels"][0] != IGNORE).sum() == 64 - prompt_len


def test_raw_examples_keep_the_word_boundary(tokenizer):
    formatter = make_formatter(tokenizer)
    example = Example("The old mill stood", "by the river.", style="raw")
    batch = encode(tokenizer, formatter, [example], 64)
    assert tokenizer.decode(batch["input_ids"][0]) == "The old mill stood by the river."


def test_one_ga_step_raises_the_forget_loss(tiny):
    with torch.no_grad():
        before = answer_nll(tiny.model, batch_of(tiny, FORGET, end_of_turn=False)).item()
    model, log = one_step(tiny, Objective(forget=1.0), FORGET)
    with torch.no_grad():
        after = answer_nll(model, batch_of(tiny, FORGET, end_of_turn=False)).item()
    assert after > before
    assert log.steps[0]["forget_nll"] == pytest.approx(before, rel=1e-4)
    assert log.tokens > 0 and log.wall_time_s > 0


def test_one_sft_step_lowers_the_normal_loss(tiny):
    before = answer_nll(tiny.model, batch_of(tiny, NORMAL)).item()
    model, _ = one_step(tiny, Objective(normal=1.0), NORMAL)
    with torch.no_grad():
        after = answer_nll(model, batch_of(tiny, NORMAL)).item()
    assert after < before


def test_kl_is_zero_against_itself_and_positive_after_a_step(tiny):
    reference = copy.deepcopy(tiny.model).requires_grad_(False)
    normal = batch_of(tiny, NORMAL)
    with torch.no_grad():
        assert answer_kl(tiny.model, reference, normal).item() == pytest.approx(0.0, abs=1e-6)
    model, log = one_step(tiny, Objective(forget=1.0, mismatch=1.0, kl=1.0), FORGET, normal=NORMAL,
                          unrelated=["Blue is a colour."], reference=reference)
    assert log.steps[0]["normal_kl"] == pytest.approx(0.0, abs=1e-6)
    assert set(log.steps[0]) >= {"forget_nll", "mismatch_nll", "normal_kl", "loss"}
    with torch.no_grad():
        assert answer_kl(model, reference, normal).item() > 1e-6


def test_early_stop_fires_after_the_extra_batches(tiny):
    params = TrainParams(lr=1e-4, batch_size=2, max_steps=20, max_length=64)
    _, log = train(tiny.model, tiny.tokenizer, make_formatter(tiny.tokenizer), FORGET,
                   Objective(forget=1.0, stop_forget_loss=0.0, extra_steps=2), params, seed=0,
                   work_dir="/tmp/ub-test")
    assert log.extra["stopped_early_at_step"] == 3
    assert log.extra["optimizer_steps"] == 3 and len(log.steps) == 3


def test_forget_batches_are_shuffled(tiny):
    params = TrainParams(lr=0.0, batch_size=1, max_steps=8, max_length=64)
    examples = [Example(f"Question {i}?", "x" * (i + 1)) for i in range(8)]
    _, log = train(tiny.model, tiny.tokenizer, make_formatter(tiny.tokenizer), examples, Objective(forget=1.0),
                   params, seed=3, work_dir="/tmp/ub-test")
    losses = [step["forget_nll"] for step in log.steps]
    with torch.no_grad():
        in_order = [answer_nll(tiny.model, batch_of(tiny, [e], end_of_turn=False)).item() for e in examples]
    assert sorted(losses) == pytest.approx(sorted(in_order), rel=1e-4)
    assert losses != pytest.approx(in_order, rel=1e-4)


def test_kl_term_without_reference_is_refused(tiny):
    with pytest.raises(ValueError, match="reference"):
        one_step(tiny, Objective(forget=1.0, kl=1.0), FORGET, normal=NORMAL)


def test_lora_trains_adapters_and_returns_a_plain_model(tiny):
    pytest.importorskip("peft")
    params = TrainParams(lr=1e-2, batch_size=4, max_steps=2, max_length=64, lora_r=4)
    before = {k: v.clone() for k, v in tiny.model.state_dict().items()}
    model, log = train(tiny.model, tiny.tokenizer, make_formatter(tiny.tokenizer), FORGET, Objective(forget=1.0),
                       params, seed=0, work_dir="/tmp/ub-test")
    assert not hasattr(model, "peft_config") and set(model.state_dict()) == set(before)
    changed = [k for k, v in model.state_dict().items() if not torch.equal(v, before[k])]
    assert changed and all("proj" in k for k in changed)  # merged adapters touch the linear layers only
    assert len(log.steps) == 2


def test_gradient_checkpointing_trains_the_same_model(tiny_model_dir):
    """Recomputing activations in the backward pass changes memory and time, not the optimisation."""
    from unlearn_bench.models import load_model

    def three_steps(checkpointing: bool):
        loaded = load_model(str(tiny_model_dir), dtype=torch.float32)
        params = TrainParams(lr=5e-3, batch_size=2, max_steps=3, max_length=64)
        model, log = train(loaded.model, loaded.tokenizer, make_formatter(loaded.tokenizer), FORGET, Objective(forget=1.0),
                           params, seed=0, work_dir="/tmp/ub-test", gradient_checkpointing=checkpointing)
        return model, [step["forget_nll"] for step in log.steps]

    plain, plain_losses = three_steps(False)
    checkpointed, checkpointed_losses = three_steps(True)
    assert checkpointed_losses == pytest.approx(plain_losses, rel=1e-5) and len(plain_losses) == 3
    for (name, a), (_, b) in zip(plain.named_parameters(), checkpointed.named_parameters()):
        assert torch.allclose(a, b, atol=1e-5), name


def test_gradient_checkpointing_is_not_part_of_the_config_hash():
    from unlearn_bench.runner import Resolved, RunConfig

    plain = Resolved(RunConfig(task="hallucination", method="ga", tier="tiny"))
    checkpointed = Resolved(RunConfig(task="hallucination", method="ga", tier="tiny", gradient_checkpointing=True))
    assert plain.hash == checkpointed.hash
