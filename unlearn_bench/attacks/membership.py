"""mia: membership inference, forget answers (members) against holdout answers (non-members); see
unlearn_bench/mia.py."""

from __future__ import annotations

from typing import ClassVar

from .. import mia
from ..api import LOWER, MetricSpec
from ..io import digest, read_json, write_json
from ..models import LoadedModel
from ..paths import cache_dir
from . import AUC_TOLERANCE, PRIVLEAK_TOLERANCE, Attack, AttackContext, Metrics, Outcome, register_attack


@register_attack
class MembershipInference(Attack):
    name = "mia"
    description = ("membership inference, forget (members) vs holdout (non-members): AUC of loss, zlib, Min-K% and "
                   "Min-K%++ (k=20%) under the unlearned, original and pretrained models, and PrivLeak against the "
                   "pretrained model")
    # "_base" is the stored metric suffix (result files keep it); the model it names is the pretrained one
    MODELS: ClassVar[dict[str, str]] = {"": "unlearned", "_original": "original", "_base": "pretrained"}

    def skip_reason(self, ctx):
        if not ctx.splits.holdout:
            return "the task's holdout split is empty (forget-kind examples no training saw: the non-members)"
        return None

    def metrics(self, ctx):
        specs = []
        for score in mia.SCORES:
            for suffix, role in self.MODELS.items():
                specs.append(MetricSpec(f"auc_{score}{suffix}", LOWER, AUC_TOLERANCE,
                                        description=f"AUC of the {score} score under the {role} model, forget vs "
                                                    "holdout (0.5: indistinguishable; below 0.5: forget answers now "
                                                    "less likely than unseen ones)"))
            for suffix, role in (("", "unlearned"), ("_original", "original")):
                specs.append(MetricSpec(f"privleak_{score}{suffix}", LOWER, PRIVLEAK_TOLERANCE,
                                        description=f"(AUC {role} - AUC pretrained) / AUC pretrained for the {score} score "
                                                    "(0 ideal; negative: over-unlearned; None without a pretrained model)"))
        return tuple(specs)

    def run(self, ctx):
        models = {"": ctx.unlearned, "_original": ctx.original, "_base": ctx.pretrained}
        aucs = {suffix: self.aucs(model, ctx) if model is not None else {} for suffix, model in models.items()}
        found: Metrics = {}
        for score in mia.SCORES:
            for suffix in models:
                found[f"auc_{score}{suffix}"] = aucs[suffix].get(score)
            for suffix in ("", "_original"):
                found[f"privleak_{score}{suffix}"] = mia.relative_leak(aucs[suffix].get(score),
                                                                       aucs["_base"].get(score))
        return Outcome(found)

    @staticmethod
    def aucs(model: LoadedModel, ctx: AttackContext) -> dict[str, float | None]:
        """The model's AUCs, cached on disk by weights fingerprint and data: the original and pretrained models are the
        same for every method of a task, so a sweep scores them once instead of once per run."""
        max_length = ctx.task.implant_params.max_length
        members, nonmembers = ctx.splits.forget, ctx.splits.holdout
        key = digest(model.fingerprint, [(e.prompt, e.answer) for e in members],
                     [(e.prompt, e.answer) for e in nonmembers], max_length, ctx.formatter.style, length=32)
        path = cache_dir() / "mia" / f"{key}.json"
        if path.is_file():
            return read_json(path)
        found = mia.membership_aucs(model.model, ctx.tokenizer, ctx.formatter, members, nonmembers, max_length)
        write_json(path, found)
        return found
