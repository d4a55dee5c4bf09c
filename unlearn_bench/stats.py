"""How sure a split's number is: a seeded 95% percentile bootstrap over the split's examples.

Every split-level statistic is written as a function of the column sums of a per-example table of sufficient
statistics: a mean is (sum of values, count), a perplexity is (NLL, tokens), corpus BLEU is sacrebleu's matched and
total n-gram counts and lengths. A bootstrap resample is then one row of multinomial counts over the examples, and
all resamples of a split are a single matrix product `counts @ table`; nothing is re-tokenised or re-scored. The same
counts serve every metric of a split, so their intervals come from the same resamples.

Per-example None values (a metric that does not apply to an example) contribute nothing to a mean: its table row is
zero, so it is skipped. A statistic that only one example informs gets no interval (one value says nothing about
the spread), and neither does an empty one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

RESAMPLES = 1000
LEVEL = 0.95


@dataclass(frozen=True)
class Statistic:
    """A split-level number from per-example sufficient statistics.

    table: (examples, k) array. combine: column sums -> value. With `vectorised`, combine takes (..., k) and returns
    (...), NaN where undefined; otherwise it takes one (k,) vector and returns a float or None (looped over the
    resamples: the generic path for statistics numpy cannot express, such as sacrebleu's BLEU). support: how many
    examples inform it. per_example: each example's own value, when the split value is their mean.
    """

    table: np.ndarray
    combine: Callable
    support: int
    vectorised: bool = True
    per_example: tuple[float | None, ...] | None = None

    def value(self) -> float | None:
        return _finite(self.of_sums(self.table.sum(axis=0)[None, :])[0])

    def of_sums(self, sums: np.ndarray) -> np.ndarray:
        """Values for rows of column sums, shape (..., k) -> (...), NaN where undefined."""
        if self.vectorised:
            return np.asarray(self.combine(sums), dtype=float)
        return np.array([np.nan if (v := self.combine(row)) is None else v for row in sums], dtype=float)


def _finite(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def mean_statistic(values: Sequence[float | None]) -> Statistic:
    """The mean of the per-example values, None values skipped (an empty or all-None list has no mean)."""
    present = np.array([v is not None for v in values], dtype=float)
    numbers = np.array([0.0 if v is None else float(v) for v in values], dtype=float)
    table = np.stack([numbers, present], axis=1) if len(values) else np.zeros((0, 2))
    return Statistic(table, lambda s: safe_divide(s[..., 0], s[..., 1]), int(present.sum()),
                     per_example=tuple(None if v is None else float(v) for v in values))


def ratio_statistic(numerators: Sequence[float], denominators: Sequence[float],
                    transform: Callable[[np.ndarray], np.ndarray] | None = None) -> Statistic:
    """transform(sum of numerators / sum of denominators): a ratio of totals, such as NLL per token. Examples with a
    zero denominator carry no information."""
    table = np.array([numerators, denominators], dtype=float).T.reshape(len(numerators), 2)
    outer = transform or (lambda x: x)

    def combine(sums):
        with np.errstate(over="ignore"):
            return outer(safe_divide(sums[..., 0], sums[..., 1]))

    return Statistic(table, combine, int((table[:, 1] > 0).sum()))


def resample_counts(n: int, seed: int, resamples: int = RESAMPLES) -> np.ndarray:
    """(resamples, n) multinomial counts: how often each example is drawn in each resample (seeded, numpy)."""
    rng = np.random.default_rng(seed)
    if n == 0:
        return np.zeros((resamples, 0))
    return rng.multinomial(n, np.full(n, 1.0 / n), size=resamples).astype(float)


def interval(statistic: Statistic, counts: np.ndarray, level: float = LEVEL) -> list[float] | None:
    """The percentile bootstrap interval [low, high] of `statistic` over the resamples in `counts`; None when fewer
    than two examples inform it or no resample defines it."""
    if statistic.support < 2:
        return None
    values = statistic.of_sums(counts @ statistic.table)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return [float(low), float(high)]


def bootstrap(statistic: Statistic, seed: int = 0, resamples: int = RESAMPLES) -> tuple[float | None, list | None]:
    """The statistic's value and its 95% percentile bootstrap interval (seeded)."""
    counts = resample_counts(statistic.table.shape[0], seed, resamples)
    return statistic.value(), interval(statistic, counts)


def summarise(statistics: dict[str, Statistic], seed: int = 0,
              resamples: int = RESAMPLES) -> tuple[dict[str, float | None], dict[str, list | None]]:
    """Values and intervals of every statistic of one split, all from the same resamples of its examples."""
    sizes = {s.table.shape[0] for s in statistics.values()}
    if len(sizes) > 1:
        raise ValueError(f"statistics of one split must cover the same examples; got sizes {sorted(sizes)}")
    counts = resample_counts(sizes.pop() if sizes else 0, seed, resamples)
    return ({name: s.value() for name, s in statistics.items()},
            {name: interval(s, counts) for name, s in statistics.items()})
