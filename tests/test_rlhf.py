"""The RLHF (PPO) baseline: the pure pieces of its objective on hand-made tensors, and short runs on the tiny
model with a fake task whose reward the test controls."""

from __future__ import annotations

import copy
import math

import pytest
import torch

from unlearn_bench.methods.rlhf import (
    RLHF,
    clipped_surrogate,
    completion_logprobs,
    completion_mask,
    group_advantages,
    k3_kl,
    masked_sequence_mean,
)
from unlearn_bench.api import Example, MethodContext, Splits, Task
from unlearn_bench.errors import UsageError
from unlearn_bench.formatting import make_formatter
from unlearn_bench.params import with_overrides
from unlearn_bench.registry import METHODS


@pytest.fixture(autouse=True)
def one_thread():
    """The tiny model gains nothing from a second thread, and on a shared 2-core machine two threads spin
    against other processes (5x slower here); restored afterwards for the other test modules."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


class FakeTask(Task):
    """A task whose reward is any function of the output text; it records every call."""

    name = "fake"
    description = "reward controlled by the test"
    metrics = {}

    def __init__(self, reward_fn):
        self.reward_fn = reward_fn
        self.calls: list[tuple[list[Example], list[str]]] = []

    def build_splits(self, tier, options):
        raise NotImplementedError

    def score(self, examples, outputs, options=None):
        return {}

    def reward(self, examples, outputs, options=None):
        self.calls.append((list(examples), list(outputs)))
        return [float(self.reward_fn(text)) for text in outputs]


def make_context(tiny, task, tmp_path, seed=0, n_prompts=4) -> MethodContext:
    forget = [Example(prompt=f"Tell me about topic number {i}.", answer="Something bad.") for i in range(n_prompts)]
    normal = [Example(prompt="What is the capital of France?", answer="Paris.")]
    splits = Splits(forget=forget, unseen=[], normal=normal, unrelated_answers=["I do not know."])
    return MethodContext(tokenizer=tiny.tokenizer, splits=splits, task=task, formatter=make_formatter(tiny.tokenizer),
                         reference=copy.deepcopy(tiny.model), seed=seed, work_dir=str(tmp_path))


# -- pure functions ---------------------------------------------------------------------------------------


def test_advantages_of_equal_rewards_are_zero():
    rewards = torch.tensor([[0.5, 0.5, 0.5, 0.5], [1.0, 0.0, 1.0, 0.0]])
    advantages = group_advantages(rewards)
    assert torch.equal(advantages[0], torch.zeros(4))
    # second group: mean 0.5, sample std sqrt(1/3), so +-0.5 / 0.57735 = +-0.866
    expected = 0.5 / math.sqrt(1 / 3)
    assert torch.allclose(advantages[1], torch.tensor([expected, -expected, expected, -expected]), atol=1e-5)


def test_advantages_are_relative_to_their_own_group():
    advantages = group_advantages(torch.tensor([[0.0, 2.0], [10.0, 12.0]]))
    assert torch.allclose(advantages[0], advantages[1])
    assert advantages[0, 1] > 0 > advantages[0, 0]


def test_clipped_surrogate_clips_a_large_ratio_with_positive_advantage():
    old = torch.zeros(1, 2)
    logp = torch.log(torch.tensor([[1.5, 1.1]]))  # ratios 1.5 (outside 0.2) and 1.1 (inside)
    mask = torch.ones(1, 2)
    loss, clip_fraction = clipped_surrogate(logp, old, torch.tensor([2.0]), mask, clip_range=0.2)
    # per token: -min(r A, clip(r) A) = -min(3.0, 2.4) = -2.4 and -min(2.2, 2.2) = -2.2; mean -2.3
    assert loss.item() == pytest.approx(-2.3, abs=1e-5)
    assert clip_fraction.item() == pytest.approx(0.5)


def test_clipped_surrogate_keeps_the_pessimistic_branch_for_negative_advantage():
    old = torch.zeros(1, 1)
    mask = torch.ones(1, 1)
    # ratio 1.5, A = -1: min(-1.5, -1.2) = -1.5, unclipped (a worse action made likelier is not forgiven)
    loss, _ = clipped_surrogate(torch.log(torch.tensor([[1.5]])), old, torch.tensor([-1.0]), mask, 0.2)
    assert loss.item() == pytest.approx(1.5, abs=1e-5)
    # ratio 0.5, A = -1: min(-0.5, -0.8) = -0.8, clipped: no gain from pushing it further down
    loss, _ = clipped_surrogate(torch.log(torch.tensor([[0.5]])), old, torch.tensor([-1.0]), mask, 0.2)
    assert loss.item() == pytest.approx(0.8, abs=1e-5)


def test_clipped_surrogate_gradient_vanishes_once_clipped():
    logp = torch.log(torch.tensor([[1.5]])).requires_grad_(True)
    loss, _ = clipped_surrogate(logp, torch.zeros(1, 1), torch.tensor([1.0]), torch.ones(1, 1), 0.2)
    loss.backward()
    assert logp.grad.abs().item() == 0.0


def test_masked_tokens_do_not_count_and_sequences_weigh_the_same():
    values = torch.tensor([[1.0, 3.0, 100.0], [4.0, 100.0, 100.0]])
    mask = torch.tensor([[1, 1, 0], [1, 0, 0]])
    assert masked_sequence_mean(values, mask).item() == pytest.approx((2.0 + 4.0) / 2)


def test_k3_kl_is_zero_for_equal_policies_and_positive_otherwise():
    logp = torch.tensor([-1.0, -2.0])
    assert torch.equal(k3_kl(logp, logp), torch.zeros(2))
    value = k3_kl(torch.tensor([-1.0]), torch.tensor([-2.0])).item()
    assert value == pytest.approx(math.exp(-1.0) + 1.0 - 1.0)


def test_completion_mask_stops_after_first_eos_even_when_pad_equals_eos():
    eos = 2
    completions = torch.tensor([[5, 6, eos, eos, eos],  # finished early, padded with the pad (= EOS) token
                                [5, 6, 7, 8, 9],  # ran to the token limit
                                [eos, 4, 4, 4, 4]])
    expected = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]])
    assert torch.equal(completion_mask(completions, {eos}), expected)
    assert torch.equal(completion_mask(torch.tensor([[5, 9, 4]]), {2, 9}), torch.tensor([[1, 1, 0]]))


def test_completion_logprobs_do_not_depend_on_left_padding():
    """Scored as generation sees them: with left padding, positions count from the first real token.

    GPT-2 learns absolute positions, so a row scored at shifted positions would change (rotary models like
    Llama only see relative positions and would not show it).
    """
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=50, n_embd=32, n_layer=1, n_head=2, n_positions=32,
                                       bos_token_id=1, eos_token_id=2, pad_token_id=0)).eval()
    ids = [5, 6, 7, 8, 9, 10]
    with torch.no_grad():
        plain = completion_logprobs(model, torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long), width=3)
        padded = completion_logprobs(model, torch.tensor([[0, 0, 0, 0] + ids]),
                                     torch.tensor([[0, 0, 0, 0] + [1] * len(ids)]), width=3)
        full = model(input_ids=torch.tensor([ids], device=model.device)).logits[0].log_softmax(-1).cpu()
    assert torch.allclose(plain, padded, atol=1e-5)
    # the log-probability of token t is read from the logits at position t - 1
    expected = torch.stack([full[i - 1, ids[i]] for i in range(3, 6)])
    assert torch.allclose(plain[0], expected, atol=1e-5)


# -- runs on the tiny model -------------------------------------------------------------------------------


def test_rlhf_is_registered_with_tier_params():
    method = METHODS.create("rlhf")
    assert isinstance(method, RLHF) and method.needs_reference
    tiny = method.params("tiny", {})
    assert (tiny.prompts_per_iteration, tiny.samples_per_prompt, tiny.max_new_tokens) == (2, 2, 8)
    assert method.params("mini", {"iterations": "3"}).iterations == 3


def test_run_logs_rewards_kl_tokens_and_changes_the_model(tiny, tmp_path):
    task = FakeTask(lambda text: len(text))  # any reward that varies within a group
    ctx = make_context(tiny, task, tmp_path)
    method = RLHF()
    params = with_overrides(method.params("tiny", {}), {"lr": 1e-3}, "test")
    before = {name: p.detach().clone() for name, p in tiny.model.named_parameters()}

    output = method.run(tiny.model, ctx, params)

    log = output.log
    assert len(log.steps) == params.iterations == 2
    assert log.wall_time_s > 0 and log.tokens > 0
    assert log.extra["rollouts"] == 2 * 2 * 2 == sum(len(outputs) for _, outputs in task.calls)
    assert log.extra["optimizer_steps"] == params.iterations * params.ppo_epochs  # one minibatch per epoch
    # every group got the same prompt repeated samples_per_prompt times, from the forget set
    examples, _ = task.calls[0]
    assert examples[0] is examples[1] and examples[0] in ctx.splits.forget
    first, second = log.steps
    assert {"reward", "kl", "loss", "clip_fraction"} <= set(first)
    assert first["kl"] == 0.0  # the first rollouts come from a policy identical to the reference
    assert second["kl"] > 0.0  # after the first iteration's updates it has moved
    changed = any(not torch.equal(before[name], p) for name, p in output.model.named_parameters())
    assert changed
    assert not output.model.training


def test_a_group_of_one_is_a_usage_error(tiny, tmp_path):
    ctx = make_context(tiny, FakeTask(len), tmp_path)
    params = with_overrides(RLHF().params("tiny", {}), {"samples_per_prompt": "1"}, "test")
    with pytest.raises(UsageError, match="samples_per_prompt=1"):
        RLHF().run(tiny.model, ctx, params)


def test_half_precision_weights_are_trained_in_float32_and_cast_back(tiny, tmp_path):
    model = tiny.model.to(torch.bfloat16)
    ctx = make_context(tiny, FakeTask(len), tmp_path)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    params = with_overrides(RLHF().params("tiny", {}), {"iterations": 1, "lr": 1e-3}, "test")
    output = RLHF().run(model, ctx, params)
    assert all(p.dtype == torch.bfloat16 for p in output.model.parameters())
    assert any(not torch.equal(before[name], p) for name, p in output.model.named_parameters())


def test_tokens_count_every_forward_pass(tiny, tmp_path):
    task = FakeTask(lambda text: 0.0)
    ctx = make_context(tiny, task, tmp_path)
    params = with_overrides(RLHF().params("tiny", {}), {"iterations": 1, "ppo_epochs": 3}, "test")
    log = RLHF().run(tiny.model, ctx, params).log
    examples, _ = task.calls[0]
    prompt_tokens = sum(len(tiny.tokenizer(ctx.formatter.prompt(e), add_special_tokens=False)["input_ids"])
                        for e in examples)
    generated = log.extra["generated_tokens"]
    assert 0 < generated <= 4 * params.max_new_tokens
    # generation + old log-probs + reference log-probs + one pass per PPO epoch
    assert log.tokens == (3 + params.ppo_epochs) * (prompt_tokens + generated)


def test_run_is_reproducible_from_the_seed(tiny, tmp_path, tiny_model_dir):
    from unlearn_bench.models import load_model

    def outputs_of(loaded):
        task = FakeTask(lambda text: text.count("e"))
        RLHF().run(loaded.model, make_context(loaded, task, tmp_path, seed=5), RLHF().params("tiny", {}))
        return [outputs for _, outputs in task.calls]

    assert outputs_of(tiny) == outputs_of(load_model(str(tiny_model_dir), dtype=torch.float32))


def test_rlhf_raises_the_probability_of_a_rewarded_first_token(tiny, tmp_path):
    """Reward one specific first token; a few PPO iterations at a high learning rate make it much likelier.

    The random tiny model spreads its mass thinly, so the sampling temperature is chosen to give its most
    likely first token a probability of 0.3: rewarded samples then occur in every group.
    """
    tok, model = tiny.tokenizer, tiny.model
    ctx = make_context(tiny, task=None, tmp_path=tmp_path, n_prompts=1)
    prompt_ids = torch.tensor([tok(ctx.formatter.prompt(ctx.splits.forget[0]), add_special_tokens=False)["input_ids"]])

    def next_token_logits() -> torch.Tensor:
        with torch.no_grad():
            return model(input_ids=prompt_ids.to(model.device)).logits[0, -1]

    logits = next_token_logits()
    target = int(logits.argmax())
    temperature = _temperature_for(logits, target, probability=0.3)
    target_text = tok.decode([target])
    ctx.task = FakeTask(lambda text: 1.0 if text == target_text else 0.0)
    params = with_overrides(RLHF().params("tiny", {}), dict(
        iterations=3, prompts_per_iteration=1, samples_per_prompt=12, max_new_tokens=1, minibatch_size=12,
        lr=1e-3, kl_coef=0.0, temperature=temperature), "test")

    log = RLHF().run(model, ctx, params).log

    after = (next_token_logits() / temperature).softmax(-1)[target].item()
    assert after > 0.6, (after, log.steps)
    assert log.steps[-1]["reward"] > log.steps[0]["reward"]


def _temperature_for(logits: torch.Tensor, token: int, probability: float) -> float:
    """The temperature at which `token`, the most likely one, has the given probability (by bisection)."""
    low, high = 1e-3, 1e3  # the argmax's probability falls as the temperature rises
    for _ in range(60):
        middle = (low * high) ** 0.5
        if (logits / middle).softmax(-1)[token] > probability:
            low = middle
        else:
            high = middle
    return low
