"""Representation Misdirection for Unlearning (Li et al. 2024, "The WMDP Benchmark: Measuring and Reducing
Malicious Use With Unlearning", arXiv 2403.03218).

RMU leaves the output distribution alone and works on one layer's hidden activations h_l (the output of decoder
layer `layer`, 0-based, i.e. `hidden_states[layer + 1]`):

    L_forget = E_forget mean_t || h_l(t) - c u ||^2        (steer forget tokens to a scaled random direction)
    L_retain = E_normal mean_t || h_l(t) - h_l^ref(t) ||^2  (keep normal tokens where the frozen original has them)
    L = L_forget + alpha L_retain

u is a fixed random unit vector (entries uniform in [0, 1), normalised; drawn from the seed). Only some
parameters train: by default the MLPs of layers layer-2 .. layer (`trainable`, a regular expression over
parameter names, replaces that). Forget tokens are the answer tokens, or prompt and answer with
`steer=all` (the paper steers every token of its forget text; here prompts share their chat template with
normal prompts, whose activations the retain term holds in place).

Defaults for SmolLM2-135M (30 layers, width 576): layer 7 (the paper's layer 7 of 32 for Zephyr-7B, the same
depth), alpha 1200, lr 5e-5, batch 4, 150 steps (the paper's Zephyr settings). The coefficient c must be large
against the layer's activations for the steering to drown them out; the paper's fixed c (6.5 for Zephyr) does
not carry over between models, whose activation norms differ by orders of magnitude. So by default
(`steering_coeff` unset) c = `coeff_scale` x the median L2 norm of the original's layer activations on the
forget tokens, measured before training (SmolLM2-135M's layer 7: median ~110 on short chat texts, so c ~ 220
with the default scale 2); `steering_coeff` fixes c instead. The log records the c used.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import torch

from unlearn_bench.api import Method
from unlearn_bench.errors import UsageError
from unlearn_bench.registry import register_method
from unlearn_bench.training import IGNORE, Loss, TrainParams, encode, unlearn

STEER = ("answer", "all")


def hidden_at(model, batch, layer: int) -> torch.Tensor:
    """The output of decoder layer `layer` (0-based) for every position: (batch, length, width)."""
    inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
    if "logits_to_keep" in inspect.signature(model.forward).parameters:
        inputs["logits_to_keep"] = 1  # only the hidden states are used: skip most of the vocabulary projection
    hidden_states = model(**inputs, output_hidden_states=True).hidden_states
    if not 0 <= layer < len(hidden_states) - 1:
        raise UsageError(f"bad rmu option layer={layer}; expected 0..{len(hidden_states) - 2} for this model")
    return hidden_states[layer + 1]


def positions(batch, steer: str) -> torch.Tensor:
    """Which tokens count: the answer tokens, or every real token."""
    return batch["labels"] != IGNORE if steer == "answer" else batch["attention_mask"].bool()


def mean_squared_distance(hidden: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """mean over the masked tokens of || hidden - target ||^2 (squared L2 over the width)."""
    return ((hidden - target) ** 2).sum(dim=-1)[mask].mean()


def random_direction(width: int, seed: int) -> torch.Tensor:
    u = torch.rand(width, generator=torch.Generator().manual_seed(seed))
    return u / u.norm()


def default_trainable(layer: int) -> str:
    layers = "|".join(str(i) for i in range(max(0, layer - 2), layer + 1))
    return rf"layers\.({layers})\.mlp\."


@register_method
class RMU(Method):
    name = "rmu"
    description = "RMU (Li et al. 2024): steer one layer's forget activations to a random direction, keep normal ones"
    needs_reference = True
    tier_params = {
        "tiny": {"max_steps": 2, "batch_size": 2, "lr": 1e-3, "layer": 0},
        "mini": {"max_steps": 20, "batch_size": 4, "lr": 1e-3, "max_length": 128},
    }

    @dataclass(frozen=True)
    class Params(TrainParams):
        lr: float = 5e-5
        batch_size: int = 4
        max_steps: int = 150
        max_length: int = 512
        layer: int = 7
        steering_coeff: float | None = None  # None: coeff_scale x the median activation norm on forget tokens
        coeff_scale: float = 2.0
        alpha: float = 1200.0
        trainable: str = ""  # regular expression over parameter names; "": MLPs of layers layer-2 .. layer
        steer: str = "answer"  # answer | all

    def run(self, model, ctx, params):
        if params.steer not in STEER:
            raise UsageError(f"bad rmu option steer={params.steer!r}; expected one of: {', '.join(STEER)}")
        coeff = params.steering_coeff or params.coeff_scale * median_norm(model, ctx, params)
        output = unlearn(model, ctx, self.loss(params, coeff, ctx.seed), params,
                         trainable=params.trainable or default_trainable(params.layer))
        output.log.extra["steering_coeff"] = coeff
        return output

    def loss(self, params, coeff: float, seed: int) -> Loss:
        direction = {}  # the target c u, made on the model's device and dtype at the first step

        def terms(model, batches, reference):
            forget = hidden_at(model, batches.forget, params.layer)
            if not direction:
                direction["target"] = coeff * random_direction(forget.shape[-1], seed).to(forget)
            normal = hidden_at(model, batches.normal, params.layer)
            with torch.no_grad():
                original = hidden_at(reference, batches.normal, params.layer)
            return {"rmu_forget": mean_squared_distance(forget, direction["target"],
                                                         positions(batches.forget, params.steer)),
                    "rmu_retain": mean_squared_distance(normal, original, batches.normal["attention_mask"].bool())}

        return Loss(terms, weights={"rmu_retain": params.alpha}, uses=frozenset({"forget", "normal"}),
                    needs_reference=True)


@torch.no_grad()
def median_norm(model, ctx, params, limit: int = 64) -> float:
    """Median L2 norm of the layer's activations over the forget tokens of (up to `limit`) forget examples."""
    examples = ctx.splits.forget[:limit]
    if not examples:
        raise UsageError("rmu needs forget examples; the forget split is empty")
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    norms = []
    for start in range(0, len(examples), params.batch_size):
        batch = encode(ctx.tokenizer, ctx.formatter, examples[start: start + params.batch_size], params.max_length,
                       end_of_turn=False)
        batch = {k: v.to(device) for k, v in batch.items()}
        norms.append(hidden_at(model, batch, params.layer)[positions(batch, params.steer)].float().norm(dim=-1))
    model.train(was_training)
    return float(torch.cat(norms).median())
