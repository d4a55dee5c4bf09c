"""Gradient ascent with the KL(original || current) term on normal data but no mismatch term, so that each
term's effect can be seen against `ga` and `ga_mismatch`."""

from dataclasses import dataclass

from unlearn_bench.registry import register_method
from unlearn_bench.training import Objective

from .ga import GA_BUDGETS, GradientAscent


@register_method
class GradientAscentKL(GradientAscent):
    name = "ga_kl"
    description = "gradient ascent + KL to the original on normal data"
    needs_reference = True
    tier_params = GA_BUDGETS

    @dataclass(frozen=True)
    class Params(GradientAscent.Params):
        kl_weight: float = 1.0  # e3

    def objective(self, params) -> Objective:
        return Objective(forget=params.forget_weight, kl=params.kl_weight,
                         stop_forget_loss=params.stop_forget_loss, extra_steps=params.extra_steps)
