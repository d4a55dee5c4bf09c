"""Scoring a run's outputs: every split's metrics with their 95% bootstrap intervals and per-example values, in the
shape of the result contract (schema 2). The runner calls `check_nonempty` before any work and `evaluate` once per
model it scores (the base model: forget and unseen only)."""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

from .api import SPLITS, MetricSpec, Splits, Task
from .errors import UsageError
from .metrics import SHARED_SPECS, NllScore, empty_rate, utility_statistics
from .stats import RESAMPLES, Statistic, mean_statistic, summarise

Fluency = Callable[[list[str]], Sequence[NllScore | None]]  # normal outputs -> per-output (NLL sum, tokens) | None


def metric_specs(task: Task) -> tuple[MetricSpec, ...]:
    """Every metric a run of `task` reports, each declared once: the task's, the utility metrics and empty_rate."""
    specs = tuple(task.metrics) + SHARED_SPECS
    names = [spec.name for spec in specs]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise ValueError(f"task {task.name} declares metrics that already exist: {', '.join(doubled)}")
    return specs


def check_nonempty(splits: Splits | Mapping[str, Sequence], names: Sequence[str] = SPLITS) -> None:
    """Raise a one-line UsageError naming the first empty split: an empty split has no score, not a perfect one."""
    for name in names:
        examples = splits.split(name) if isinstance(splits, Splits) else splits[name]
        if not examples:
            raise UsageError(f"the {name} split is empty (0 examples); every evaluated split needs at least one: "
                             f"set task.n_{name} to 1 or more")


def evaluate(task: Task, splits: Splits, outputs: Mapping[str, list[str]],
             original_outputs: Mapping[str, list[str]] | None = None, fluency: Fluency | None = None,
             seed: int = 0, options: Any = None) -> dict[str, Any]:
    """Metrics, intervals, per-example values and sizes for the splits present in `outputs`.

    forget/unseen: the task's metrics (task.score under the task `options`) and empty_rate. normal: the utility metrics against
    original_outputs['normal'] and empty_rate; perplexity and its coverage when `fluency` is given. Undefined values
    are None, never NaN. Intervals: 95% percentile bootstrap over the split's examples (seeded by `seed`)."""
    unknown = sorted(set(outputs) - set(SPLITS))
    if unknown:
        raise ValueError(f"unknown splits {unknown}; expected some of {list(SPLITS)}")
    names = [name for name in SPLITS if name in outputs]
    check_nonempty(splits, names)
    specs = metric_specs(task)
    result: dict[str, Any] = {"metrics": {}, "intervals": {}, "per_example": {}, "sizes": {}}
    for name in names:
        texts = list(outputs[name])
        if len(texts) != len(splits.split(name)):
            raise ValueError(f"{len(texts)} outputs for the {len(splits.split(name))} {name} examples")
        statistics = _split_statistics(task, options, splits, name, texts, original_outputs, fluency)
        values, intervals = summarise(statistics, seed, RESAMPLES)
        result["metrics"][name] = values
        result["intervals"][name] = intervals
        result["per_example"][name] = {metric: list(s.per_example) for metric, s in statistics.items()
                                       if s.per_example is not None}
        result["sizes"][name] = len(texts)
    result["metric_specs"] = {spec.name: spec_dict(spec) for spec in specs}
    result["directions"] = {spec.name: spec.direction for spec in specs}
    return result


def spec_dict(spec: MetricSpec) -> dict[str, Any]:
    return {"direction": spec.direction, "tolerance": spec.tolerance, "relative": spec.relative,
            "splits": list(spec.splits), "description": spec.description}


def _split_statistics(task: Task, options: Any, splits: Splits, name: str, texts: list[str],
                      original_outputs: Mapping[str, list[str]] | None,
                      fluency: Fluency | None) -> dict[str, Statistic]:
    if name == "normal":
        if original_outputs is None or "normal" not in original_outputs:
            raise ValueError("scoring the normal split needs the original model's normal outputs")
        nll = None if fluency is None else list(fluency(texts))
        if nll is not None and len(nll) != len(texts):
            raise ValueError(f"fluency gave {len(nll)} scores for {len(texts)} normal outputs")
        statistics = utility_statistics(texts, original_outputs["normal"], nll)
    else:
        statistics = {metric: mean_statistic(values)
                      for metric, values in _task_scores(task, splits.split(name), texts, options).items()}
    statistics["empty_rate"] = empty_rate(texts)
    return statistics


def _task_scores(task: Task, examples, texts: list[str], options: Any) -> dict[str, list[float | None]]:
    """task.score's per-example values, checked against the task's declaration (one value per output)."""
    scores = task.score(examples, texts, options)
    declared = [spec.name for spec in task.metrics]
    if sorted(scores) != sorted(declared):
        raise ValueError(f"task {task.name} scored {sorted(scores)} but declares {sorted(declared)}")
    for metric, values in scores.items():
        if not isinstance(values, (list, tuple)) or len(values) != len(texts):
            raise ValueError(f"task {task.name} must return one {metric} value per output ({len(texts)})")
    return {metric: [_finite_or_none(v) for v in scores[metric]] for metric in declared}


def _finite_or_none(value) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)
