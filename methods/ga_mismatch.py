"""The paper's full update: gradient ascent on the forget answers (e1), the mismatch loss on forget prompts
paired with random unrelated answers (e2) and KL(original || current) on normal answers (e3)."""

from dataclasses import dataclass

from unlearn_bench.registry import register_method
from unlearn_bench.training import Objective

from .ga import GA_BUDGETS, GradientAscent


@register_method
class GradientAscentMismatch(GradientAscent):
    name = "ga_mismatch"
    description = "gradient ascent + mismatch (random answers) + KL to the original on normal data"
    needs_reference = True
    tier_params = GA_BUDGETS

    @dataclass(frozen=True)
    class Params(GradientAscent.Params):
        mismatch_weight: float = 1.0  # e2
        kl_weight: float = 1.0  # e3

    def objective(self, params) -> Objective:
        return Objective(forget=params.forget_weight, mismatch=params.mismatch_weight, kl=params.kl_weight,
                         stop_forget_loss=params.stop_forget_loss, extra_steps=params.extra_steps)
