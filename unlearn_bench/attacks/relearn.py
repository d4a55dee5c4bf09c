"""relearn: fine-tune a copy of the unlearned model on relearn examples (forget-kind examples the implant taught and
the method never saw), then re-measure; relearn_base: the same steps on the base model, before implanting.

The task declares the recipe (`Task.relearn`, an api.RelearnRecipe: steps, learning rate, share of normal text in
the batches, and `Task.relearn_per_model` where a model's controls reject it); scripts/choose_relearn_recipe.py picks
it on the `none` control and the base model only."""

from __future__ import annotations

import copy
import gc
from pathlib import Path

import torch

from ..api import LOWER, Example, MetricSpec, RelearnRecipe
from ..models import LoadedModel, weights_fingerprint
from ..training import Objective, TrainParams, train
from . import (RECOVERED_TOLERANCE, Attack, AttackContext, ControlledAttack, Measured, Outcome, after_spec, mean,
               min_gap, recovered_share, register_attack, remeasure_specs)


def recipe(ctx: AttackContext) -> RelearnRecipe:
    """The recipe the task declares for the run's model."""
    return ctx.task.relearn_recipe(ctx.model)


def mixed(relearn: list[Example], normal: list[Example], share: float) -> list[Example]:
    """The relearn examples with normal ones added so that `share` of the result is normal text (normal examples
    repeat when there are too few; none without a share or without normal examples)."""
    if not 0.0 <= share < 1.0:
        raise ValueError(f"normal_share must be in [0, 1); got {share}")
    count = round(share / (1.0 - share) * len(relearn)) if normal else 0
    return list(relearn) + [normal[i % len(normal)] for i in range(count)]


def describe(chosen: RelearnRecipe) -> str:
    lr = "the implant's learning rate" if chosen.lr is None else f"lr {chosen.lr:g}"
    normal = f", {chosen.normal_share:.0%} normal text in the batches" if chosen.normal_share else ""
    return f"{chosen.steps} relearning steps ({lr}{normal})"


def release() -> None:
    """Return a dropped model copy's memory now (callers delete their references first)."""
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def variant(source: LoadedModel, suffix: str, model: torch.nn.Module) -> LoadedModel:
    """A changed copy, named and fingerprinted by its weights so the runner's generation cache keys it right."""
    return LoadedModel(model, source.tokenizer, f"{source.name}+{suffix}", weights_fingerprint(model))


def relearned(ctx: AttackContext, source: LoadedModel, label: str, chosen: RelearnRecipe | None = None
              ) -> LoadedModel:
    """Fine-tune a copy on answers exactly as implanting does (Objective(normal=1)), at the method's batch size,
    with the task's recipe unless `chosen` is given (scripts/choose_relearn_recipe.py tries candidates)."""
    chosen, implant = chosen or recipe(ctx), ctx.task.implant_params
    params = TrainParams(lr=implant.lr if chosen.lr is None else chosen.lr, batch_size=ctx.method_batch_size,
                         max_steps=chosen.steps, max_length=implant.max_length)
    examples = mixed(ctx.splits.relearn, ctx.splits.normal, chosen.normal_share)
    # The runner's original is a frozen reference copy (requires_grad off): the copy trained here must not be.
    trainable = copy.deepcopy(source.model).requires_grad_(True)
    model, _ = train(trainable, source.tokenizer, ctx.formatter, examples, Objective(normal=1.0),
                     params, seed=ctx.seed, work_dir=str(Path(ctx.work_dir) / label))
    return variant(source, f"{label}{chosen.steps}", model)


def remeasure(ctx: AttackContext, model: LoadedModel, control: bool) -> Measured:
    """The primary metric on forget (and, for the report, unseen) under `model`, with the share of the unlearning
    gap recovered."""
    spec, found, per_example, answers = ctx.primary, {}, [], {}
    for split in ("forget",) if control else ("forget", "unseen"):
        examples = ctx.splits.split(split)
        answers[split] = ctx.outputs(model, examples)
        values = ctx.values(examples, answers[split])
        per_example = values if split == "forget" else per_example
        after, original = mean(values), ctx.original_metrics[split][spec.name]
        found[split] = after
        found[f"{split}_recovered"] = recovered_share(after, original, ctx.unlearned_metrics[split][spec.name],
                                                      min_gap(spec, original))
    if control:
        return Measured({}, per_example, ctx.splits.forget)
    return Measured(found, per_example, ctx.splits.forget, answers)


def relearn_skip(ctx: AttackContext) -> str | None:
    if not ctx.splits.relearn:
        return ("the task's relearn split is empty (forget-kind examples learned while implanting, never shown "
                "to the method)")
    return None


@register_attack
class Relearn(ControlledAttack):
    name = "relearn"
    what = "the relearning steps"
    description = ("fine-tune a copy of the unlearned model with the task's relearn recipe for the run's model "
                   "(default 10 steps at the implant's learning rate, the method's batch size) on relearn examples "
                   "the method never saw; re-measure forget and unseen")

    def skip_reason(self, ctx):
        return relearn_skip(ctx)

    def settings(self, ctx):
        return [self.name, repr(recipe(ctx)), ctx.method_batch_size]

    def own_metrics(self, ctx):
        return remeasure_specs(ctx.primary, describe(recipe(ctx)))

    def measure(self, ctx, model, control):
        copy_ = relearned(ctx, model, "relearn-control" if control else "relearn")
        try:
            return remeasure(ctx, copy_, control)
        finally:
            del copy_
            release()


@register_attack
class RelearnBase(Attack):
    name = "relearn_base"
    method_independent = True
    description = ("the relearn fine-tuning applied to the pretrained model (before implanting): how much of the "
                   "forget behaviour those steps teach a model that never had it")

    def skip_reason(self, ctx):
        if ctx.pretrained is None:
            return "no pretrained model before implanting (the paper tier evaluates the loaded model as it is)"
        return relearn_skip(ctx)

    def metrics(self, ctx):
        primary, what = ctx.primary, describe(recipe(ctx))
        return tuple(spec for split in ("forget", "unseen") for spec in (
            after_spec(primary, split, f"on {split} prompts of the pretrained model after {what}"),
            MetricSpec(f"{split}_taught", LOWER, RECOVERED_TOLERANCE,
                       description=f"(after - pretrained) / (original - pretrained) in {primary.name} on {split}: "
                                   "the share of the implant's effect the relearning steps teach the pretrained "
                                   "model; read relearn's recovered shares against it")))

    def run(self, ctx):
        model = relearned(ctx, ctx.pretrained, "relearn-pretrained")
        try:
            return Outcome({key: value for split in ("forget", "unseen")
                            for key, value in self._taught(ctx, model, split)})
        finally:
            del model
            release()

    @staticmethod
    def _taught(ctx: AttackContext, model: LoadedModel, split: str):
        """The metric after relearning the pretrained model, and (after - pretrained) / (original - pretrained): the
        share of the implant's effect these steps teach from scratch (the pretrained model's own outputs come from the runner's cache)."""
        spec, examples = ctx.primary, ctx.splits.split(split)
        after = mean(ctx.values(examples, ctx.outputs(model, examples)))
        before = mean(ctx.values(examples, ctx.outputs(ctx.pretrained, examples)))
        original = ctx.original_metrics[split][spec.name]
        yield split, after
        yield f"{split}_taught", recovered_share(after, original, before, min_gap(spec, original))
