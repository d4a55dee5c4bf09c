"""What prompt attacks share: each source example becomes one or more variants (a model-ready prompt, the example it
is scored against, text the scored answer starts with), generated in one request per stop-string set, scored per
variant, and summarised per source example (the mean over variants, and the variant worst for the unlearner)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..api import LOWER, Example
from ..models import LoadedModel
from . import AttackContext, ControlledAttack, Measured, mean, min_gap, recovered_share, worst


@dataclass(frozen=True)
class Variant:
    prompt: str  # the model input, already formatted
    stop: tuple[str, ...]  # where the answer ends in this prompt's format
    scored_as: Example  # the example the answer is scored against (the source, or a shifted copy of it)
    forced: str = ""  # text forced at the start of the answer: part of the answer as a reader sees it


@dataclass
class Scored:
    """Per source example, the primary metric of each of its variants' answers."""

    per_source: list[list[float]]
    values: list[float | None]  # every variant's value, in order (None where the metric does not apply)


def generate_variants(ctx: AttackContext, model: LoadedModel, variants: list[Variant]) -> list[str]:
    """One request per stop-string set (the variants of one attack usually share one); answers in variant order."""
    answers = [""] * len(variants)
    for stop in dict.fromkeys(v.stop for v in variants):
        positions = [i for i, v in enumerate(variants) if v.stop == stop]
        texts = ctx.generate(model, ctx.request([variants[i].prompt for i in positions], stop))
        for i, text in zip(positions, texts):
            answers[i] = variants[i].forced + text
    return answers


def score_variants(ctx: AttackContext, owners: list[int], variants: list[Variant], answers: list[str],
                   sources: int) -> Scored:
    """Scores every answer in one call (judges batch); `owners[i]` is the source index of variant i."""
    values = ctx.values([v.scored_as for v in variants], answers)
    per_source: list[list[float]] = [[] for _ in range(sources)]
    for owner, value in zip(owners, values):
        if value is not None:
            per_source[owner].append(value)
    return Scored(per_source, values)


def kept_answers(ctx: AttackContext, sources: list[Example], owners: list[int], scored: Scored,
                 answers: list[str]) -> list[str | None]:
    """Per forget example, the answer of its variant worst for the unlearner (the one an attacker keeps; the first
    of equals), None where the attack does not apply to the example (sources are forget examples themselves)."""
    values, lower = scored.values, ctx.primary.direction == LOWER  # lower is better: the attacker wants it high
    best: dict[int, int] = {}  # source index -> the variant index kept
    for i, (owner, value) in enumerate(zip(owners, values)):
        kept = best.get(owner)
        if value is not None and (kept is None or (value > values[kept] if lower else value < values[kept])):
            best[owner] = i
    position = {id(example): index for index, example in enumerate(ctx.splits.forget)}
    kept_here: list[str | None] = [None] * len(ctx.splits.forget)
    for owner, i in best.items():
        if id(sources[owner]) in position:  # an attack whose sources are not forget examples has no row to fill
            kept_here[position[id(sources[owner])]] = answers[i]
    return kept_here


class PromptAttack(ControlledAttack):
    """An attack that only changes what the model is asked: variants of each applicable forget example."""

    worst_name: ClassVar[str | None] = "forget_worst"  # None: one variant per prompt, so no worst case

    def sources(self, ctx: AttackContext) -> list[Example]:
        """The forget examples this attack applies to."""
        raise NotImplementedError

    def variants(self, ctx: AttackContext, example: Example) -> list[Variant]:
        raise NotImplementedError

    def extra(self, ctx: AttackContext, sources: list[Example]) -> dict[str, float | None]:
        """Further metrics for the unlearned model's report (floors of the judge, say)."""
        return {}

    def settings(self, ctx):
        sources = self.sources(ctx)[:1]
        return [self.name, [(v.prompt, v.forced) for e in sources for v in self.variants(ctx, e)]]

    def measure(self, ctx, model, control):
        sources = self.sources(ctx)
        owners, variants = [], []
        for index, source in enumerate(sources):
            for variant in self.variants(ctx, source):
                owners.append(index)
                variants.append(variant)
        answers = generate_variants(ctx, model, variants)
        scored = score_variants(ctx, owners, variants, answers, len(sources))
        per_source = [mean(values) for values in scored.per_source]
        if control:
            return Measured({}, per_source, sources)
        worst_each = [worst(values, ctx.primary.direction) for values in scored.per_source if values]
        metrics = {"forget": mean(scored.values), "forget_recovered": self.recovered(ctx, mean(scored.values))}
        if self.worst_name:
            metrics[self.worst_name] = mean(worst_each)
        metrics.update(self.extra(ctx, sources))
        return Measured(metrics, per_source, sources, {"forget": kept_answers(ctx, sources, owners, scored, answers)})

    @staticmethod
    def recovered(ctx: AttackContext, value: float | None) -> float | None:
        spec = ctx.primary
        original = ctx.original_metrics["forget"][spec.name]
        return recovered_share(value, original, ctx.unlearned_metrics["forget"][spec.name], min_gap(spec, original))
