"""The bootstrap on hand-made inputs: constant, binary, one example, none, None values, ratios, the generic path."""

from __future__ import annotations

import math

import numpy as np
import pytest

from unlearn_bench.stats import (Statistic, bootstrap, interval, mean_statistic, ratio_statistic, resample_counts,
                                 summarise)


def test_constant_values_give_a_zero_width_interval():
    value, (low, high) = bootstrap(mean_statistic([0.7] * 20), seed=0)
    assert value == pytest.approx(0.7)
    assert low == pytest.approx(0.7) and high == pytest.approx(0.7)


def test_binary_vector_interval_matches_the_binomial_spread():
    values = [1.0] * 30 + [0.0] * 70
    value, (low, high) = bootstrap(mean_statistic(values), seed=0)
    assert value == pytest.approx(0.3)
    half_width = 1.96 * math.sqrt(0.3 * 0.7 / 100)  # normal approximation: 0.09
    assert low == pytest.approx(0.3 - half_width, abs=0.02)
    assert high == pytest.approx(0.3 + half_width, abs=0.02)


def test_one_example_has_a_value_but_no_interval():
    assert bootstrap(mean_statistic([0.4]), seed=0) == (pytest.approx(0.4), None)


def test_empty_and_all_none_have_neither():
    assert bootstrap(mean_statistic([]), seed=0) == (None, None)
    assert bootstrap(mean_statistic([None, None, None]), seed=0) == (None, None)


def test_none_values_are_skipped():
    statistic = mean_statistic([1.0, None, 0.0, None, 1.0, 1.0])
    assert statistic.support == 4
    value, (low, high) = bootstrap(statistic, seed=0)
    assert value == pytest.approx(0.75)
    assert 0.0 <= low < 0.75 < high <= 1.0
    assert statistic.per_example == (1.0, None, 0.0, None, 1.0, 1.0)


def test_seeded_and_reproducible():
    values = list(np.linspace(0, 1, 25))
    assert bootstrap(mean_statistic(values), seed=3) == bootstrap(mean_statistic(values), seed=3)
    assert bootstrap(mean_statistic(values), seed=3)[1] != bootstrap(mean_statistic(values), seed=4)[1]


def test_resample_counts_draw_n_examples_each_time():
    counts = resample_counts(7, seed=0, resamples=50)
    assert counts.shape == (50, 7)
    assert (counts.sum(axis=1) == 7).all()


def test_ratio_of_totals_weights_by_the_denominator():
    # two outputs: NLL 2 over 1 token and 8 over 4 tokens -> exp(10 / 5), not the mean of exp(2) and exp(2)
    statistic = ratio_statistic([2.0, 8.0, 0.0], [1, 4, 0], transform=np.exp)
    assert statistic.support == 2
    value, (low, high) = bootstrap(statistic, seed=0)
    assert value == pytest.approx(math.exp(2.0))
    assert low == pytest.approx(math.exp(2.0)) and high == pytest.approx(math.exp(2.0))
    assert ratio_statistic([0.0], [0]).value() is None


def test_generic_path_matches_the_vectorised_one():
    values = [0.1, 0.9, 0.4, 0.4, 0.7, 0.2, 1.0, 0.0]
    fast = mean_statistic(values)
    slow = Statistic(fast.table, lambda sums: None if sums[1] == 0 else sums[0] / sums[1], fast.support,
                     vectorised=False)
    counts = resample_counts(len(values), seed=1)
    assert slow.value() == pytest.approx(fast.value())
    assert interval(slow, counts) == pytest.approx(interval(fast, counts))


def test_summarise_uses_the_same_resamples_for_every_metric():
    a = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    values, intervals = summarise({"a": mean_statistic(a), "b": mean_statistic(a)}, seed=0)
    assert values["a"] == values["b"] and intervals["a"] == intervals["b"]
    with pytest.raises(ValueError, match="same examples"):
        summarise({"a": mean_statistic([1.0]), "b": mean_statistic([1.0, 0.0])})
