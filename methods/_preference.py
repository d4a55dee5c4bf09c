"""What the preference-style losses (npo, idk_dpo, simnpo) share: a temperature beta, an optional retain term on
the normal data, and the forget-NLL early stop that ga also has. Not a method itself (the leading underscore keeps
the registry from loading it)."""

from dataclasses import dataclass

from unlearn_bench.errors import UsageError
from unlearn_bench.training import TrainParams


@dataclass(frozen=True)
class PreferenceParams(TrainParams):
    beta: float = 0.1  # the inverse temperature of the log-sigmoid (the NPO and DPO papers' default)
    retain: str = "nll"  # the term on normal data: none | nll | kl (the reference-free simnpo: none | nll)
    retain_weight: float = 1.0
    stop_forget_loss: float | None = None  # optional early stop on the forget NLL, as for ga ...
    extra_steps: int = 0  # ... this many batches later


def check_beta(method: str, params: PreferenceParams) -> None:
    if params.beta <= 0:
        raise UsageError(f"bad {method} option beta={params.beta}; expected a positive number")
