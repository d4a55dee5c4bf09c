"""RLHF baseline: PPO on the task's reward, written from the equations (no trl).

The paper compares gradient-ascent unlearning with RLHF on the same forget prompts; RLHF needs sampling,
several forward passes per sample and many iterations, so it costs far more compute. Each iteration:

1. Rollouts. Draw prompts from the forget set (a fresh shuffle whenever the set is used up), sample G
   completions per prompt from the current policy pi_old, score them with `task.reward` (higher is better).
2. Advantages without a value network (GRPO / RLOO style): within each prompt's group of G samples,
   A_i = (r_i - mean(r)) / (std(r) + eps). Every completion token of sample i gets A_i.
3. `ppo_epochs` passes over the rollouts in minibatches, minimising per sequence the mean over its completion
   tokens of

       -min(rho_t A, clip(rho_t, 1 - c, 1 + c) A) + beta * k3_t,   rho_t = pi(y_t | .) / pi_old(y_t | .),
       k3_t = exp(log pi_ref - log pi) - (log pi_ref - log pi) - 1   (unbiased, non-negative KL estimate),

   averaged over the sequences of the minibatch; one AdamW step with gradient clipping per minibatch.

A completion ends at its first end-of-sequence token (which counts); later positions are masked out.
Dropout is kept off in the update passes (the model stays in eval mode while gradients flow): PPO's ratio
compares the updated policy with the policy that sampled, and dropout noise would make that ratio random
(OPT, the paper's model, has dropout 0.1). Half-precision weights are trained as float32 master weights
(AdamW steps of ~1e-6 vanish when rounded to bfloat16) and cast back at the end.
"""

from __future__ import annotations

import contextlib
import inspect
import random
import time
from dataclasses import dataclass
from typing import Any, Iterator

import torch

from unlearn_bench.api import Example, Method, MethodContext, MethodLog, MethodOutput
from unlearn_bench.errors import UsageError
from unlearn_bench.registry import register_method

ADVANTAGE_EPS = 1e-6


# ---------------------------------------------------------------------------------------------------------
# Pure pieces of the objective
# ---------------------------------------------------------------------------------------------------------


def group_advantages(rewards: torch.Tensor, eps: float = ADVANTAGE_EPS) -> torch.Tensor:
    """(reward - group mean) / (group std + eps) for rewards shaped (prompts, samples per prompt).

    A group whose rewards are all equal carries no preference and gets advantages of exactly zero.
    """
    rewards = rewards.float()
    mean = rewards.mean(dim=1, keepdim=True)
    std = rewards.std(dim=1, keepdim=True, correction=1) if rewards.shape[1] > 1 else torch.zeros_like(mean)
    return (rewards - mean) / (std + eps)


def masked_sequence_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over each sequence's valid tokens, then over sequences (every sequence weighs the same)."""
    mask = mask.to(values.dtype)
    per_sequence = (values * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
    return per_sequence.mean()


def clipped_surrogate(logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor, mask: torch.Tensor,
                      clip_range: float) -> tuple[torch.Tensor, torch.Tensor]:
    """PPO's clipped surrogate as a loss to minimise, and the fraction of valid tokens with a ratio outside the
    clip range.

    logp, old_logp, mask: (sequences, tokens); advantages: (sequences,), shared by a sequence's tokens.
    """
    ratio = torch.exp(logp - old_logp)
    advantage = advantages[:, None].to(ratio.dtype)
    unclipped = ratio * advantage
    clipped = ratio.clamp(1.0 - clip_range, 1.0 + clip_range) * advantage
    loss = masked_sequence_mean(-torch.minimum(unclipped, clipped), mask)
    outside = ((ratio - 1.0).abs() > clip_range) & mask.bool()
    clip_fraction = outside.float().sum() / mask.float().sum().clamp(min=1.0)
    return loss, clip_fraction.detach()


def k3_kl(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """Per-token estimate of KL(pi || pi_ref) from tokens sampled by pi: exp(d) - d - 1 with d = ref - logp."""
    delta = ref_logp - logp
    return torch.exp(delta) - delta - 1.0


def completion_mask(completions: torch.Tensor, eos_ids: set[int]) -> torch.Tensor:
    """1 up to and including each row's first end-of-sequence token, 0 after it.

    Generation pads finished rows with the pad token, which may be the EOS token itself, so the mask comes
    from where the first EOS is, never from comparing with the pad id.
    """
    is_eos = torch.zeros_like(completions, dtype=torch.bool)
    for eos in eos_ids:
        is_eos |= completions == eos
    eos_before = torch.cumsum(is_eos.long(), dim=1) - is_eos.long()  # EOS tokens strictly before each position
    return (eos_before == 0).long()


# ---------------------------------------------------------------------------------------------------------
# The method
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RLHFParams:
    lr: float = 1e-6
    prompts_per_iteration: int = 8
    samples_per_prompt: int = 4  # the group size G for the advantage baseline; at least 2
    iterations: int = 100
    ppo_epochs: int = 2
    minibatch_size: int = 8  # rollouts per optimiser step
    clip_range: float = 0.2
    kl_coef: float = 0.05  # beta
    max_new_tokens: int = 64
    temperature: float = 1.0
    top_p: float = 1.0
    max_length: int = 256  # prompt + completion; longer prompts keep their last tokens
    max_grad_norm: float = 1.0
    weight_decay: float = 0.0


@dataclass
class Rollouts:
    """One iteration's samples, everything the PPO passes need, all on the model's device."""

    input_ids: torch.Tensor  # (n, prompt width + completion width), prompts left-padded
    attention_mask: torch.Tensor
    mask: torch.Tensor  # (n, completion width): valid completion tokens
    old_logp: torch.Tensor  # (n, completion width) under the sampling policy
    ref_logp: torch.Tensor  # (n, completion width) under the frozen reference
    advantages: torch.Tensor  # (n,)
    rewards: torch.Tensor  # (n,)
    tokens: int  # real prompt + completion tokens, i.e. what one forward pass over them processes

    @property
    def width(self) -> int:
        return self.mask.shape[1]

    def rows(self, index: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"input_ids": self.input_ids[index], "attention_mask": self.attention_mask[index]}


@register_method
class RLHF(Method):
    name = "rlhf"
    description = ("PPO on the task's reward: clipped surrogate, group-normalised advantages (no value "
                   "network), k3 KL penalty to the original model; the compute-heavy baseline")
    Params = RLHFParams
    needs_reference = True
    tier_params = {
        "tiny": dict(iterations=2, prompts_per_iteration=2, samples_per_prompt=2, max_new_tokens=8,
                     minibatch_size=4, max_length=128),
        # about 45 s per iteration on one free CPU core with SmolLM2-135M (generation ~7 s, PPO passes the rest)
        "mini": dict(iterations=6, prompts_per_iteration=4, samples_per_prompt=4, max_new_tokens=40,
                     minibatch_size=8, lr=1e-5),
    }

    def run(self, model: torch.nn.Module, ctx: MethodContext, params: RLHFParams) -> MethodOutput:
        _check(params, ctx)
        started = time.perf_counter()
        with _float32_master_weights(model) as autocast:
            trainer = _PPO(model, ctx, params, autocast)
            trainer.train()
        wall = time.perf_counter() - started
        extra = {
            "rollouts": trainer.rollouts, "optimizer_steps": trainer.optimizer_steps,
            "iterations": params.iterations, "generation_time_s": round(trainer.generation_time, 3),
            "generated_tokens": trainer.generated_tokens,
        }
        log = MethodLog(steps=trainer.steps, wall_time_s=wall, tokens=trainer.tokens, extra=extra)
        return MethodOutput(model=model.eval(), log=log)


def _check(params: RLHFParams, ctx: MethodContext) -> None:
    if ctx.reference is None:
        raise ValueError("rlhf needs the reference (original) model for its KL penalty")
    if not ctx.splits.forget:
        raise UsageError("rlhf needs forget prompts to sample from; the task's forget split is empty")
    if params.samples_per_prompt < 2:
        raise UsageError(f"rlhf option samples_per_prompt={params.samples_per_prompt} is too small; expected >= 2 "
                         "(advantages are relative to the other samples of the same prompt)")
    if params.max_new_tokens >= params.max_length:
        raise UsageError(f"rlhf option max_length={params.max_length} leaves no room for the prompt; expected "
                         f"more than max_new_tokens={params.max_new_tokens}")
    for name in ("prompts_per_iteration", "iterations", "ppo_epochs", "minibatch_size", "max_new_tokens"):
        if getattr(params, name) < 1:
            raise UsageError(f"rlhf option {name}={getattr(params, name)} must be at least 1")
    if params.temperature <= 0:
        raise UsageError(f"rlhf option temperature={params.temperature} must be positive (PPO needs sampling)")


class _PPO:
    def __init__(self, model, ctx: MethodContext, params: RLHFParams, autocast):
        self.model, self.ctx, self.params, self.autocast = model, ctx, params, autocast
        self.tokenizer = ctx.tokenizer
        self.device = next(model.parameters()).device
        self.reference = ctx.reference.to(self.device).eval().requires_grad_(False)
        self.eos_ids = _eos_ids(model, self.tokenizer)
        pad = self.tokenizer.pad_token_id
        self.pad_id = pad if pad is not None else self.tokenizer.eos_token_id
        self.prompts = _prompt_stream(ctx.splits.forget, ctx.seed)
        self.shuffle = torch.Generator().manual_seed(ctx.seed)
        trainable = [p for p in model.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(trainable, lr=params.lr, weight_decay=params.weight_decay)
        self.steps: list[dict[str, float]] = []
        self.tokens = self.generated_tokens = self.rollouts = self.optimizer_steps = 0
        self.generation_time = 0.0

    def train(self) -> None:
        torch.manual_seed(self.ctx.seed)
        for iteration in range(self.params.iterations):
            began = time.perf_counter()
            rollouts = self.collect(iteration)
            update = self.update(rollouts)
            self.steps.append({
                "iteration": iteration + 1,
                "reward": rollouts.rewards.mean().item(),
                "reward_std": rollouts.rewards.std(correction=0).item(),
                # KL of the policy that sampled this iteration to the reference: 0 before the first update
                "kl": masked_sequence_mean(k3_kl(rollouts.old_logp, rollouts.ref_logp), rollouts.mask).item(),
                "completion_tokens": rollouts.mask.sum(dim=1).float().mean().item(),
                **update,
                "time_s": time.perf_counter() - began,
            })

    # -- rollouts -----------------------------------------------------------------------------------------

    @torch.no_grad()
    def collect(self, iteration: int) -> Rollouts:
        p = self.params
        examples = [next(self.prompts) for _ in range(p.prompts_per_iteration)]
        repeated = [e for e in examples for _ in range(p.samples_per_prompt)]
        prompt_ids, prompt_attention = self._encode_prompts([self.ctx.formatter.prompt(e) for e in repeated])
        began = time.perf_counter()
        completions = self._sample(prompt_ids, prompt_attention, seed=self.ctx.seed * 100_003 + iteration)
        self.generation_time += time.perf_counter() - began
        mask = completion_mask(completions, self.eos_ids)
        input_ids = torch.cat([prompt_ids, completions], dim=1)
        attention = torch.cat([prompt_attention, torch.ones_like(completions)], dim=1)
        texts = self._decode(completions, mask)
        rewards = torch.tensor(self.ctx.task.reward(repeated, texts, self.ctx.task_options), dtype=torch.float32, device=self.device)
        advantages = group_advantages(rewards.view(p.prompts_per_iteration, p.samples_per_prompt)).view(-1)
        old_logp = self._logprobs_chunked(self.model, input_ids, attention, completions.shape[1])
        ref_logp = self._logprobs_chunked(self.reference, input_ids, attention, completions.shape[1])
        tokens = int(prompt_attention.sum() + mask.sum())
        self.tokens += 3 * tokens  # generation, old log-probs, reference log-probs
        self.generated_tokens += int(mask.sum())
        self.rollouts += len(repeated)
        return Rollouts(input_ids, attention, mask, old_logp, ref_logp, advantages, rewards, tokens)

    def _encode_prompts(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Left-padded prompt ids and attention; prompts longer than the budget keep their last tokens."""
        budget = self.params.max_length - self.params.max_new_tokens
        rows = [ids[-budget:] for ids in self.tokenizer(texts, add_special_tokens=False)["input_ids"]]
        width = max(len(ids) for ids in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        attention = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            if row:
                ids[i, width - len(row):] = torch.tensor(row)
                attention[i, width - len(row):] = 1
        return ids.to(self.device), attention.to(self.device)

    def _sample(self, prompt_ids: torch.Tensor, attention: torch.Tensor, seed: int) -> torch.Tensor:
        p = self.params
        torch.manual_seed(seed)
        self.model.eval()
        with self.autocast():
            out = self.model.generate(
                input_ids=prompt_ids, attention_mask=attention, max_new_tokens=p.max_new_tokens, do_sample=True,
                temperature=p.temperature, top_p=p.top_p, top_k=0,  # top_k=0: no hidden top-50 truncation
                pad_token_id=self.pad_id)
        return out[:, prompt_ids.shape[1]:]

    def _decode(self, completions: torch.Tensor, mask: torch.Tensor) -> list[str]:
        rows = [row[: int(n)].tolist() for row, n in zip(completions.cpu(), mask.sum(dim=1).cpu())]
        return self.tokenizer.batch_decode(rows, skip_special_tokens=True)

    def _logprobs_chunked(self, model, input_ids, attention, width) -> torch.Tensor:
        size = self.params.minibatch_size
        with self.autocast():
            parts = [completion_logprobs(model, input_ids[i : i + size], attention[i : i + size], width,
                                         self.params.temperature) for i in range(0, len(input_ids), size)]
        return torch.cat(parts)

    # -- PPO update ---------------------------------------------------------------------------------------

    def update(self, rollouts: Rollouts) -> dict[str, float]:
        p = self.params
        totals = {"loss": 0.0, "policy_loss": 0.0, "kl_loss": 0.0, "clip_fraction": 0.0, "grad_norm": 0.0}
        count = 0
        self.model.eval()  # dropout off while gradients flow: see the module docstring
        for _ in range(p.ppo_epochs):
            order = torch.randperm(len(rollouts.advantages), generator=self.shuffle).to(self.device)
            for index in order.split(p.minibatch_size):
                terms = self._step(rollouts, index)
                for key, value in terms.items():
                    totals[key] += value
                count += 1
            self.tokens += rollouts.tokens
        return {key: value / max(count, 1) for key, value in totals.items()}

    def _step(self, rollouts: Rollouts, index: torch.Tensor) -> dict[str, float]:
        p = self.params
        mask = rollouts.mask[index]
        with torch.enable_grad(), self.autocast():
            logp = completion_logprobs(self.model, **rollouts.rows(index), width=rollouts.width,
                                       temperature=p.temperature)
            policy_loss, clip_fraction = clipped_surrogate(logp, rollouts.old_logp[index],
                                                           rollouts.advantages[index], mask, p.clip_range)
            kl = masked_sequence_mean(k3_kl(logp, rollouts.ref_logp[index]), mask)
            loss = policy_loss + p.kl_coef * kl
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), p.max_grad_norm)
        self.optimizer.step()
        self.optimizer_steps += 1
        return {"loss": loss.item(), "policy_loss": policy_loss.item(), "kl_loss": kl.item(),
                "clip_fraction": clip_fraction.item(), "grad_norm": float(grad_norm)}


def completion_logprobs(model, input_ids: torch.Tensor, attention_mask: torch.Tensor, width: int,
                        temperature: float = 1.0) -> torch.Tensor:
    """log pi(token) of the last `width` tokens of each row, under the distribution sampling used.

    Positions are counted from each row's first real token, as generation counts them with left padding
    (without this, a left-padded row would be scored at shifted positions). Logits are divided by the
    sampling temperature so that the ratio compares the distributions the tokens were drawn from.
    """
    device = next(model.parameters()).device  # a helper moves its own inputs
    input_ids, attention_mask = input_ids.to(device), attention_mask.to(device)
    position_ids = (attention_mask.cumsum(dim=1) - 1).clamp(min=0)
    kwargs = {"logits_to_keep": width + 1} if _accepts(model, "logits_to_keep") else {}
    logits = model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                   use_cache=False, **kwargs).logits
    logits = logits[:, -(width + 1):-1].float() / temperature
    targets = input_ids[:, -width:]
    return logits.gather(-1, targets[..., None]).squeeze(-1) - logits.logsumexp(dim=-1)


def _accepts(model, argument: str) -> bool:
    parameters = inspect.signature(model.forward).parameters
    return argument in parameters


def _eos_ids(model, tokenizer) -> set[int]:
    """Every id that ends generation: the tokenizer's EOS and the generation config's (an int or a list)."""
    ids: set[int] = set()
    config = getattr(model, "generation_config", None)
    for value in (tokenizer.eos_token_id, getattr(config, "eos_token_id", None)):
        if isinstance(value, int):
            ids.add(value)
        elif value:
            ids.update(int(v) for v in value)
    return ids


def _prompt_stream(examples: list[Example], seed: int) -> Iterator[Example]:
    """Forget examples in a seeded shuffled order, reshuffled each time the set is used up."""
    rng = random.Random(seed)
    while True:
        order = list(examples)
        rng.shuffle(order)
        yield from order


@contextlib.contextmanager
def _float32_master_weights(model) -> Iterator[Any]:
    """Train half-precision weights as float32 and cast them back afterwards.

    Yields a factory of autocast contexts: on a GPU the forward passes still run in the model's original
    half precision; elsewhere (and for float32 models) it is a no-op.
    """
    original = next(model.parameters()).dtype
    device = next(model.parameters()).device
    half = original in (torch.float16, torch.bfloat16)
    if half:
        model.float()
    use_autocast = half and device.type == "cuda" and original == torch.bfloat16

    def autocast():
        if use_autocast:
            return torch.autocast(device_type="cuda", dtype=original)
        return contextlib.nullcontext()

    try:
        yield autocast
    finally:
        if half:
            model.to(original)
