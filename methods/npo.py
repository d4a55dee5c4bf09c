"""Negative Preference Optimization (Zhang, Lin, Bai, Mei 2024, "Negative Preference Optimization: From
Catastrophic Collapse to Effective Unlearning", arXiv 2404.05868).

NPO treats the forget answers as dispreferred responses with no preferred counterpart (DPO without y_w):

    L_NPO = -(2 / beta) E_(x,y)~forget [ log sigmoid(-beta log(pi_theta(y|x) / pi_ref(y|x))) ]

with log pi(y|x) summed over the answer tokens and pi_ref the frozen original. Its gradient is gradient ascent's
weighted by 2 sigmoid(beta log ratio), which fades as the answer becomes unlikely, so NPO slows down where GA
runs away. NPO+RT adds a retain term on the normal data; the paper's is NLL (`retain=nll`, the default here,
weight 1); `retain=none` is plain NPO, `retain=kl` the seed paper's KL term. Defaults: the paper's beta = 0.1.

The reference enters only as log pi_ref(y|x) of the forget answers, so the loss declares just that
(`reference_logprobs={"forget"}`): training precomputes them once and the reference model stays off the training
device. With `retain=kl` the KL term needs the model itself, which then computes them each step as well.
"""

import torch
import torch.nn.functional as F

from unlearn_bench.api import Method
from unlearn_bench.budgets import GRADIENT_BUDGETS
from unlearn_bench.registry import register_method
from unlearn_bench.training import Loss, Retain, answer_logprobs, mean_nll, reference_answer_logprobs, unlearn

from ._preference import PreferenceParams, check_beta


def npo_loss(logprobs: torch.Tensor, reference_logprobs: torch.Tensor, beta: float) -> torch.Tensor:
    """-(2/beta) mean log sigmoid(-beta (log pi - log pi_ref)) over sequences; (2/beta) log 2 at a zero ratio."""
    return -(2.0 / beta) * F.logsigmoid(-beta * (logprobs - reference_logprobs)).mean()


@register_method
class NegativePreferenceOptimization(Method):
    name = "npo"
    description = "NPO (Zhang et al. 2024): bounded, adaptive gradient ascent against the original; + retain NLL"
    needs_reference = True  # the run hands it the reference: for its log-prob table (and retain=kl's KL term)
    tier_params = GRADIENT_BUDGETS

    Params = PreferenceParams  # retain: none (plain NPO) | nll (NPO+RT) | kl

    def loss(self, params) -> Loss:
        check_beta(self.name, params)
        retain = Retain(params.retain, params.retain_weight).check(self.name)

        def terms(model, batches, reference):
            logprobs, counts = answer_logprobs(model, batches.forget)
            reference_logprobs = reference_answer_logprobs(reference, batches.forget)
            return {"npo": npo_loss(logprobs, reference_logprobs, params.beta),
                    "forget_nll": mean_nll(logprobs.detach(), counts),
                    "log_ratio": (logprobs - reference_logprobs).mean().detach(),
                    **retain.terms(model, batches, reference)}

        return Loss(terms, weights={"forget_nll": 0.0, "log_ratio": 0.0, **retain.weights},
                    uses=frozenset({"forget"}) | retain.uses, reference_logprobs=frozenset({"forget"}),
                    needs_reference=retain.needs_reference,
                    stop_forget_loss=params.stop_forget_loss, extra_steps=params.extra_steps)

    def run(self, model, ctx, params):
        return unlearn(model, ctx, self.loss(params), params)
