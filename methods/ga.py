"""Gradient ascent on the forget answers (the paper's L_fgt alone), loss on answer tokens only."""

from dataclasses import dataclass

from unlearn_bench.api import Method
from unlearn_bench.budgets import GRADIENT_BUDGETS
from unlearn_bench.registry import register_method
from unlearn_bench.training import Objective, TrainParams, unlearn

# The gradient methods' CPU budgets plus an early stop on mini: there plain gradient ascent runs on until the model
# says nothing at all; stopping two batches after the forget NLL passes 4 keeps it usable. The mismatch term holds
# the forget NLL far below that, so ga_mismatch runs all steps. The ga family (ga_kl, ga_mismatch, ga_template)
# shares this budget.
GA_BUDGETS = {**GRADIENT_BUDGETS, "mini": {**GRADIENT_BUDGETS["mini"], "stop_forget_loss": 4.0, "extra_steps": 2}}


@register_method
class GradientAscent(Method):
    name = "ga"
    description = "gradient ascent on the forget answers"
    tier_params = GA_BUDGETS

    @dataclass(frozen=True)
    class Params(TrainParams):
        forget_weight: float = 0.5  # e1
        stop_forget_loss: float | None = 100.0  # stop once the forget NLL exceeds this (the paper: 100) ...
        extra_steps: int = 0  # ... this many batches later

    def objective(self, params) -> Objective:
        return Objective(forget=params.forget_weight, stop_forget_loss=params.stop_forget_loss,
                         extra_steps=params.extra_steps)

    def alternatives(self, ctx, params) -> list[str]:
        """The answers paired with forget prompts in the mismatch term: the task's unrelated answers (Y_rdn)."""
        return ctx.splits.unrelated_answers

    def run(self, model, ctx, params):
        return unlearn(model, ctx, self.objective(params), params, alternatives=self.alternatives(ctx, params))
