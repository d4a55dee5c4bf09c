"""Tier budgets are explicit: a method with no settings for a tier runs the tier's declared default budget and
says so in one warning line; the registered methods declare their own and never fall back."""

import dataclasses
import logging
from dataclasses import dataclass

import pytest

from unlearn_bench import budgets
from unlearn_bench.api import Method, MethodLog, MethodOutput
from unlearn_bench.errors import UsageError
from unlearn_bench.registry import METHODS
from unlearn_bench.training import TrainParams


class MiniOnly(Method):
    """A plugin as a new user writes it: settings for mini only (not registered: the test calls it directly)."""

    name = "test_mini_only"
    description = "declares only the mini tier"
    tier_params = {"mini": {"max_steps": 7, "lr": 3e-5}}

    @dataclass(frozen=True)
    class Params(TrainParams):
        weight: float = 1.0

    def run(self, model, ctx, params):
        return MethodOutput(model, MethodLog())


class NoBudgetFields(MiniOnly):
    name = "test_no_budget_fields"
    tier_params = {}

    @dataclass(frozen=True)
    class Params:
        factor: float = 0.5


@pytest.fixture(autouse=True)
def fresh_announcements(monkeypatch):
    monkeypatch.setattr(budgets, "_announced", set())


def notices(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "unlearn_bench.budgets"]


def test_a_missing_tier_gets_the_declared_default_and_one_line_saying_so(caplog):
    with caplog.at_level(logging.WARNING):
        params = MiniOnly().params("tiny", {})
    tiny = budgets.DEFAULT_BUDGETS["tiny"]
    assert (params.max_steps, params.batch_size, params.lr) == (tiny["max_steps"], tiny["batch_size"], tiny["lr"])
    assert params.max_length == TrainParams.max_length and params.weight == 1.0  # the rest stays at its default
    [line] = notices(caplog)
    assert "test_mini_only" in line and "'tiny'" in line and "2 steps at lr 0.0001" in line
    assert "(batch 2, length 256)" in line and "roughly" in line and "\n" not in line


def test_the_declared_tier_runs_as_declared_without_a_notice(caplog):
    with caplog.at_level(logging.WARNING):
        params = MiniOnly().params("mini", {})
    assert (params.max_steps, params.lr, params.batch_size) == (7, 3e-5, TrainParams.batch_size)
    assert notices(caplog) == []


def test_the_paper_tier_runs_the_params_defaults_without_a_notice(caplog):
    with caplog.at_level(logging.WARNING):
        params = MiniOnly().params("paper", {})
    assert params == MiniOnly.Params()
    assert notices(caplog) == []


def test_the_notice_describes_what_runs_after_set_overrides_and_comes_once(caplog):
    with caplog.at_level(logging.WARNING):
        first = MiniOnly().params("tiny", {"max_steps": "5", "lr": "1e-3"})
        MiniOnly().params("tiny", {})
    assert (first.max_steps, first.lr) == (5, 1e-3)
    [line] = notices(caplog)
    assert "5 steps at lr 0.001" in line


def test_a_method_without_budget_fields_has_nothing_to_fall_back_to(caplog):
    with caplog.at_level(logging.WARNING):
        params = NoBudgetFields().params("tiny", {})
    assert params == NoBudgetFields.Params()
    assert notices(caplog) == []


def test_overrides_are_still_checked_on_the_default_budget():
    with pytest.raises(UsageError, match="unknown method test_mini_only option 'nope'"):
        MiniOnly().params("tiny", {"nope": "1"})


@pytest.mark.parametrize("name", METHODS.names())
def test_registered_methods_declare_their_offline_budgets(name, caplog):
    method = METHODS.create(name)
    has_budget = {f.name for f in dataclasses.fields(method.Params)} & {"max_steps", "lr"}
    if has_budget or method.tier_params:
        assert {"tiny", "mini"} <= set(method.tier_params)
    with caplog.at_level(logging.WARNING):
        for tier in ("tiny", "mini", "paper"):
            method.params(tier, {})
    assert notices(caplog) == []


def test_the_gradient_methods_share_one_budget_table_and_ga_adds_its_early_stop():
    for name in ("sft", "npo", "idk_dpo", "simnpo"):
        assert METHODS.get(name).tier_params is budgets.GRADIENT_BUDGETS
    ga = METHODS.get("ga").tier_params
    assert ga["tiny"] == budgets.GRADIENT_BUDGETS["tiny"]
    assert ga["mini"] == {**budgets.GRADIENT_BUDGETS["mini"], "stop_forget_loss": 4.0, "extra_steps": 2}
    for name in ("ga_kl", "ga_mismatch", "ga_template"):
        assert METHODS.get(name).tier_params is ga


def test_rough_duration_spans_one_to_four_passes_a_step():
    # 1000 steps of 2 x 256 tokens (the paper's budget): 31 min for one pass a step, 2 h for four
    assert budgets.rough_duration(1000, 2, 256) == "31 min to 2.0 h"
    assert budgets.rough_duration(2, 2, 256) == "4 s to 15 s"
    assert budgets.rough_duration(0, 2, 256) == "0 s to 0 s"
