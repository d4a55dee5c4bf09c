"""Gradient ascent on the forget answers (the paper's L_fgt alone), loss on answer tokens only."""

from dataclasses import dataclass

from unlearn_bench.api import Method
from unlearn_bench.registry import register_method
from unlearn_bench.training import Objective, TrainParams, unlearn

# Sized for the mini tier on a 2-core CPU (the paper's defaults, lr 2e-6 for 1000 steps, are for GPUs). On mini,
# plain gradient ascent runs on until the model says nothing at all; stopping two batches after the forget NLL
# passes 4 keeps it usable. The mismatch term holds the forget NLL far below that, so ga_mismatch runs all steps.
TRAIN_TIERS = {
    "tiny": {"max_steps": 2, "batch_size": 2, "lr": 1e-4},
    "mini": {"max_steps": 20, "batch_size": 4, "lr": 5e-5, "max_length": 128},
}
CPU_TIERS = {**TRAIN_TIERS, "mini": {**TRAIN_TIERS["mini"], "stop_forget_loss": 4.0, "extra_steps": 2}}


@register_method
class GradientAscent(Method):
    name = "ga"
    description = "gradient ascent on the forget answers"
    tier_params = CPU_TIERS

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
