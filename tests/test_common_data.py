"""The shared normal data, the unrelated-answer pool, deterministic sampling and hub error handling."""

from __future__ import annotations

import pytest

from unlearn_bench.tasks import _common
from unlearn_bench.errors import UsageError


def test_sample_is_deterministic_and_without_replacement():
    items = list(range(50))
    first = _common.sample(items, 20, seed=3)
    assert first == _common.sample(items, 20, seed=3)
    assert first != _common.sample(items, 20, seed=4)
    assert len(set(first)) == 20 and set(first) <= set(items)


def test_sample_prefix_is_stable_when_growing():
    items = [f"q{i}" for i in range(30)]
    assert _common.sample(items, 12, seed=7)[:5] == _common.sample(items, 5, seed=7)


def test_sample_too_many_is_a_usage_error():
    with pytest.raises(UsageError, match="asked for 11 widgets but only 10"):
        _common.sample(range(10), 11, seed=0, what="widgets")


def test_take_disjoint_parts():
    parts = _common.take_disjoint(list(range(40)), {"a": 10, "b": 5, "c": 7}, seed=1)
    assert [len(parts[k]) for k in "abc"] == [10, 5, 7]
    assert len(set(parts["a"]) | set(parts["b"]) | set(parts["c"])) == 22


def test_normal_examples_are_deterministic_distinct_chat_style():
    examples = _common.normal_examples(120, seed=5)
    assert examples == _common.normal_examples(120, seed=5)
    assert examples != _common.normal_examples(120, seed=6)
    assert len({e.prompt for e in examples}) == 120
    assert all(e.style is None and e.answer.endswith(".") and len(e.answer.split()) <= 14 for e in examples)
    assert _common.normal_fact_count() >= 200


def test_known_fact_is_correct():
    facts = dict((e.prompt, e.answer) for e in _common.normal_examples(_common.normal_fact_count(), seed=0))
    assert facts["What is the capital of France?"] == "The capital of France is Paris."
    assert facts["What is 7 plus 9?"] == "7 plus 9 is 16."


def test_unrelated_answers_disjoint_from_every_normal_answer():
    every_normal = {e.answer for e in _common.normal_examples(_common.normal_fact_count(), seed=0)}
    pool = _common.unrelated_answers(60, seed=2)
    assert pool == _common.unrelated_answers(60, seed=2)
    assert len(set(pool)) == 60
    assert not set(pool) & every_normal


def test_truthfulqa_hub_failure_is_a_usage_error(monkeypatch):
    import datasets

    def offline(*args, **kwargs):
        raise ConnectionError("no route to huggingface.co")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    _common._truthfulqa_pairs.cache_clear()
    with pytest.raises(UsageError, match="TruthfulQA.*truthfulqa/truthful_qa.*no route"):
        _common.truthfulqa_normal(10, seed=0)


def test_truthfulqa_normal_and_unrelated_are_disjoint(monkeypatch):
    import datasets

    rows = [{"question": f"Question {i}?", "best_answer": f"Answer {i}."} for i in range(40)]
    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: rows)
    _common._truthfulqa_pairs.cache_clear()
    try:
        normal = _common.truthfulqa_normal(15, seed=1)
        unrelated = _common.truthfulqa_unrelated(10, seed=1, after=15)
    finally:
        _common._truthfulqa_pairs.cache_clear()
    assert len(normal) == 15 and len(unrelated) == 10
    assert not {e.answer for e in normal} & set(unrelated)
