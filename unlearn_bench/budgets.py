"""Training budgets per tier, declared in one place, and what a method runs on a tier it has no settings for.

A method's `Params` defaults are the paper's hyperparameters (lr 2e-6 for 1,000 steps at length 256 for the
gradient methods): the `paper` tier runs them as they are. The offline tiers run on CPUs and need far smaller
budgets, which a method declares in `tier_params` (tier -> field overrides). The gradient methods share
`GRADIENT_BUDGETS`; rmu and rlhf declare their own.

A method that declares nothing for `tiny` or `mini` (a new plugin, say) gets `DEFAULT_BUDGETS[tier]`, restricted
to the fields its Params has, and one warning line saying how many steps at which learning rate will run and
roughly how long that takes. Without this, it would silently train with the paper's budget: on a CPU, most of an
hour for a run meant to take seconds.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any, Mapping

from .params import with_overrides

log = logging.getLogger(__name__)

PAPER = "paper"

# Sized for the mini tier on a 2-core CPU with the embedded 135M model: 20 steps of 4 x 128 tokens take 30-160 s
# per method. tiny only checks that a method runs end to end.
GRADIENT_BUDGETS: Mapping[str, Mapping[str, Any]] = {
    "tiny": {"max_steps": 2, "batch_size": 2, "lr": 1e-4},
    "mini": {"max_steps": 20, "batch_size": 4, "lr": 5e-5, "max_length": 128},
}

# What a tier runs when a method declares no settings for it: the gradient methods' CPU budgets offline, the
# Params defaults (the paper's) on the paper tier.
DEFAULT_BUDGETS: Mapping[str, Mapping[str, Any]] = {**GRADIENT_BUDGETS, PAPER: {}}

# One forward and backward pass of one token of the embedded 135M model on 2 CPU cores: sft on mini took 37 s for
# 20 steps of 4 x 128 tokens. A step makes one pass (sft, ga) to about four (a KL to the live frozen reference,
# or a mismatch batch; idk_dpo took 158 s while its reference still ran every step, before its log-probs were
# precomputed once per run).
SECONDS_PER_TOKEN_PASS = 0.0036
PASSES_PER_STEP = (1, 4)

_announced: set[tuple[str, str]] = set()  # (method, tier) already announced in this process


def tier_settings(method: Any, tier: str) -> dict[str, Any]:
    """The method's declared settings for the tier, else the tier's default budget (fields its Params has)."""
    if tier in method.tier_params:
        return dict(method.tier_params[tier])
    fields = {field.name for field in dataclasses.fields(method.Params)}
    return {key: value for key, value in DEFAULT_BUDGETS.get(tier, {}).items() if key in fields}


def method_params(method: Any, tier: str, overrides: Mapping[str, Any]) -> Any:
    """The method's Params for a tier: its defaults, the tier's settings, then the user's --set overrides."""
    what = f"method {method.name}"
    settings = tier_settings(method, tier)
    params = with_overrides(with_overrides(method.Params(), settings, what), overrides, what)
    if tier not in method.tier_params and settings:
        announce_default(method.name, tier, params)
    return params


def announce_default(method: str, tier: str, params: Any) -> None:
    """One warning line per (method, tier) and process: the default budget that will run, and how long."""
    if (method, tier) in _announced:
        return
    _announced.add((method, tier))
    log.warning(default_budget_notice(method, tier, params))


def default_budget_notice(method: str, tier: str, params: Any) -> str:
    steps, lr = getattr(params, "max_steps", None), getattr(params, "lr", None)
    batch, length = getattr(params, "batch_size", None), getattr(params, "max_length", None)
    what = f"{steps} steps at lr {lr:g}" if steps is not None and lr is not None else "its defaults"
    shape = f" (batch {batch}, length {length})" if batch and length else ""
    when = f", roughly {rough_duration(steps, batch, length)} on 2 CPU cores with the embedded 135M model" \
        if steps and batch and length else ""
    return (f"method {method} declares no settings for tier {tier!r}: it runs the tier's default budget "
            f"(unlearn_bench.budgets.DEFAULT_BUDGETS), {what}{shape}{when}; "
            f"declare tier_params[{tier!r}] to set your own")


def rough_duration(steps: int, batch_size: int, max_length: int) -> str:
    """"4 s to 15 s": the range over one to four passes a step, at the measured time per token."""
    seconds = steps * batch_size * max_length * SECONDS_PER_TOKEN_PASS
    low, high = (seconds * passes for passes in PASSES_PER_STEP)
    return f"{_duration(low)} to {_duration(high)}"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
