"""DPO towards "I don't know": Direct Preference Optimization (Rafailov, Sharma, Mitchell, Ermon, Manning, Finn
2023, arXiv 2305.18290) with a refusal preferred to the forget answer, as in TOFU's IdkDPO baseline (Maini et al.
2024, arXiv 2401.06121).

For a forget prompt x with its answer y_l and a refusal y_w:

    L_DPO = -E log sigmoid( beta [ log(pi_theta(y_w|x) / pi_ref(y_w|x)) - log(pi_theta(y_l|x) / pi_ref(y_l|x)) ] )

log pi summed over answer tokens (with the end-of-turn token, both being whole replies), pi_ref the frozen
original. The refusals come from the fixed list below, cycled in the order forget prompts are seen. Optional
retain term on normal data (`retain=nll` by default, `none`, `kl`). Defaults: the paper's beta = 0.1.

The reference enters only as log pi_ref of the forget answers and of the refusals, so the loss declares just that
(`reference_logprobs={"forget", "mismatch"}`): training precomputes them once (each forget prompt with each
refusal, since the cycle can pair any) and the reference model stays off the training device. With `retain=kl` the
KL term needs the model itself, which then computes them each step as well.
"""

import torch
import torch.nn.functional as F

from unlearn_bench.api import Method
from unlearn_bench.budgets import GRADIENT_BUDGETS
from unlearn_bench.registry import register_method
from unlearn_bench.training import Loss, Retain, answer_logprobs, mean_nll, reference_answer_logprobs, unlearn

from ._preference import PreferenceParams, check_beta

REFUSALS = (
    "I don't know.",
    "I'm not able to help with that.",
    "Sorry, I can't answer that.",
    "I have no answer to give on that.",
    "That is not something I can help with.",
)


def dpo_loss(chosen: torch.Tensor, rejected: torch.Tensor, reference_chosen: torch.Tensor,
             reference_rejected: torch.Tensor, beta: float) -> torch.Tensor:
    """-mean log sigmoid(beta (chosen log ratio - rejected log ratio)); log 2 when the model is the reference."""
    margin = (chosen - reference_chosen) - (rejected - reference_rejected)
    return -F.logsigmoid(beta * margin).mean()


@register_method
class IdkDPO(Method):
    name = "idk_dpo"
    description = "DPO (Rafailov et al. 2023) preferring a refusal to the forget answer; + retain NLL"
    needs_reference = True  # the run hands it the reference: for its log-prob table (and retain=kl's KL term)
    tier_params = GRADIENT_BUDGETS

    Params = PreferenceParams

    def loss(self, params) -> Loss:
        check_beta(self.name, params)
        retain = Retain(params.retain, params.retain_weight).check(self.name)

        def terms(model, batches, reference):
            rejected, counts = answer_logprobs(model, batches.forget)
            chosen, chosen_counts = answer_logprobs(model, batches.mismatch)
            reference_rejected = reference_answer_logprobs(reference, batches.forget)
            reference_chosen = reference_answer_logprobs(reference, batches.mismatch)
            return {"dpo": dpo_loss(chosen, rejected, reference_chosen, reference_rejected, params.beta),
                    "forget_nll": mean_nll(rejected.detach(), counts),
                    "refusal_nll": mean_nll(chosen.detach(), chosen_counts),
                    **retain.terms(model, batches, reference)}

        return Loss(terms, weights={"forget_nll": 0.0, "refusal_nll": 0.0, **retain.weights},
                    uses=frozenset({"forget", "mismatch"}) | retain.uses,
                    reference_logprobs=frozenset({"forget", "mismatch"}), needs_reference=retain.needs_reference,
                    forget_end_of_turn=True, cycle_alternatives=True,
                    stop_forget_loss=params.stop_forget_loss, extra_steps=params.extra_steps)

    def run(self, model, ctx, params):
        return unlearn(model, ctx, self.loss(params), params, alternatives=list(REFUSALS))
