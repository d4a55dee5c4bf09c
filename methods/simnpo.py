"""SimNPO (Fan, Liu, Lin, Jia, Zhang, Mei, Liu 2024, "Simplicity Prevails: Rethinking Negative Preference
Optimization for LLM Unlearning", arXiv 2410.07163).

NPO without the reference model, with the log-likelihood normalised by the answer's length and a margin:

    L_SimNPO = -(2 / beta) E_(x,y)~forget [ log sigmoid(-(beta / |y|) log pi_theta(y|x) - delta) ]

|y| counts the answer tokens. Normalising by length stops short forget answers from dominating the update,
which NPO's reference ratio does implicitly. The paper pairs it with an NLL retain term (`retain=nll`, the
default; `none` drops it). Being reference-free it has no KL option. Defaults: beta = 2.5, delta = 0 (the
paper's TOFU setting), retain weight 1.
"""

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from unlearn_bench.api import Method
from unlearn_bench.budgets import GRADIENT_BUDGETS
from unlearn_bench.registry import register_method
from unlearn_bench.training import Loss, Retain, answer_logprobs, mean_nll, unlearn

from ._preference import PreferenceParams, check_beta


def simnpo_loss(logprobs: torch.Tensor, counts: torch.Tensor, beta: float, delta: float) -> torch.Tensor:
    """-(2/beta) mean log sigmoid(-(beta/|y|) log pi(y|x) - delta); (2/beta) log 2 where the argument is 0."""
    per_token = logprobs / counts.clamp(min=1).to(logprobs.dtype)
    return -(2.0 / beta) * F.logsigmoid(-beta * per_token - delta).mean()


@register_method
class SimNPO(Method):
    name = "simnpo"
    description = "SimNPO (Fan et al. 2024): reference-free, length-normalised NPO; + retain NLL"
    tier_params = GRADIENT_BUDGETS

    @dataclass(frozen=True)
    class Params(PreferenceParams):
        beta: float = 2.5
        delta: float = 0.0  # the margin (gamma in the paper)

    def loss(self, params) -> Loss:
        check_beta(self.name, params)
        retain = Retain(params.retain, params.retain_weight).check(self.name, reference_free=True)

        def terms(model, batches, reference):
            logprobs, counts = answer_logprobs(model, batches.forget)
            return {"simnpo": simnpo_loss(logprobs, counts, params.beta, params.delta),
                    "forget_nll": mean_nll(logprobs.detach(), counts),
                    **retain.terms(model, batches, reference)}

        return Loss(terms, weights={"forget_nll": 0.0, **retain.weights}, uses=frozenset({"forget"}) | retain.uses,
                    stop_forget_loss=params.stop_forget_loss, extra_steps=params.extra_steps)

    def run(self, model, ctx, params):
        return unlearn(model, ctx, self.loss(params), params)
