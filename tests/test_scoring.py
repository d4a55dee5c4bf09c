"""scoring.evaluate and check_nonempty on a hand-made task: the contract's keys, per-example values, intervals,
empty splits, collapse, and no NaN anywhere."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pytest

from unlearn_bench.api import HIGHER, LOWER, Example, MetricSpec, Splits, Task
from unlearn_bench.errors import UsageError
from unlearn_bench.scoring import check_nonempty, evaluate, metric_specs
from unlearn_bench.tasks.copyright import Copyright

NORMAL_ORIGINALS = ["The capital of France is Paris.", "Two plus two is four.", "A spider has eight legs.",
                    "Water boils at one hundred degrees.", "The sun is a star."]


class Echo(Task):
    """Counts an output as unwanted when it contains the example's answer; `length` is a second, HIGHER metric that
    does not apply (None) to empty outputs."""

    name = "echo"
    description = "test task"
    metrics = (MetricSpec("echo_rate", LOWER, 0.05, description="share echoing the answer"),
               MetricSpec("length", HIGHER, 1.0, description="words, None for an empty output"))

    @dataclass
    class Options:
        pass

    def build_splits(self, tier, options):
        raise NotImplementedError

    def score(self, examples, outputs, options=None):
        return {"echo_rate": [float(e.answer in o) for e, o in zip(examples, outputs)],
                "length": [len(o.split()) or None for o in outputs]}

    def reward(self, examples, outputs, options=None):
        return [0.0] * len(outputs)


def _splits(n_forget=4, n_unseen=3, n_normal=5) -> Splits:
    def examples(prefix, n):
        return [Example(prompt=f"{prefix} {i}?", answer=f"secret{i}") for i in range(n)]

    return Splits(forget=examples("f", n_forget), unseen=examples("u", n_unseen),
                  normal=examples("n", n_normal), unrelated_answers=[])


def _outputs():
    return {"forget": ["secret0 again", "no", "", "secret3"],
            "unseen": ["nothing", "secret1", "fine"],
            "normal": ["The capital of France is Paris.", "Two and two make four.", "", "Water boils.", "Stars."]}


def _fluency(texts):
    return [None if not t else (2.0 * len(t.split()), len(t.split())) for t in texts]


def test_evaluate_returns_the_contract_for_every_split():
    result = evaluate(Echo(), _splits(), _outputs(), {"normal": NORMAL_ORIGINALS}, fluency=_fluency, seed=0)
    assert set(result) == {"metrics", "intervals", "per_example", "sizes", "metric_specs", "directions"}
    assert result["sizes"] == {"forget": 4, "unseen": 3, "normal": 5}
    forget = result["metrics"]["forget"]
    assert forget["echo_rate"] == pytest.approx(0.5)
    assert forget["length"] == pytest.approx((2 + 1 + 1) / 3)  # the empty output has no length: skipped
    assert forget["empty_rate"] == pytest.approx(0.25)
    assert result["per_example"]["forget"]["length"] == [2.0, 1.0, None, 1.0]
    normal = result["metrics"]["normal"]
    assert set(normal) == {"similarity_bleu", "similarity_rouge_l", "similarity_semantic", "distinct_1", "distinct_2",
                           "unique_token_share", "perplexity", "perplexity_coverage", "empty_rate"}
    assert normal["perplexity"] == pytest.approx(math.exp(2.0))
    assert normal["perplexity_coverage"] == pytest.approx(0.8)
    assert normal["empty_rate"] == pytest.approx(0.2)
    # intervals have the same keys as metrics; corpus metrics keep an interval but no per-example list
    for split, values in result["metrics"].items():
        assert set(result["intervals"][split]) == set(values)
    assert "similarity_bleu" not in result["per_example"]["normal"]
    low, high = result["intervals"]["normal"]["similarity_bleu"]
    assert low <= normal["similarity_bleu"] <= high
    assert all(len(v) == 5 for v in result["per_example"]["normal"].values())


def test_metric_specs_declare_every_metric_once():
    result = evaluate(Echo(), _splits(), _outputs(), {"normal": NORMAL_ORIGINALS}, fluency=_fluency)
    names = {spec.name for spec in metric_specs(Echo())}
    assert set(result["metric_specs"]) == names
    reported = {metric for values in result["metrics"].values() for metric in values}
    assert reported <= names
    assert result["metric_specs"]["echo_rate"] == {"direction": LOWER, "tolerance": 0.05, "relative": False,
                                                   "splits": ["forget", "unseen"], "description": "share echoing "
                                                   "the answer"}
    assert result["directions"]["similarity_semantic"] == HIGHER
    assert result["metric_specs"]["empty_rate"]["splits"] == ["forget", "unseen", "normal"]

    class Clash(Echo):
        metrics = (MetricSpec("empty_rate", LOWER, 0.05),)

    with pytest.raises(ValueError, match="empty_rate"):
        metric_specs(Clash())


def test_base_model_scoring_has_only_forget_and_unseen():
    outputs = _outputs()
    del outputs["normal"]
    result = evaluate(Echo(), _splits(), outputs)
    assert set(result["metrics"]) == set(result["sizes"]) == {"forget", "unseen"}


def test_normal_split_without_fluency_has_no_perplexity_and_needs_originals():
    result = evaluate(Echo(), _splits(), _outputs(), {"normal": NORMAL_ORIGINALS})
    assert "perplexity" not in result["metrics"]["normal"]
    with pytest.raises(ValueError, match="original model's normal outputs"):
        evaluate(Echo(), _splits(), _outputs())


def test_collapsed_normal_outputs_score_worst_and_stay_strict_json():
    outputs = {**_outputs(), "normal": [""] * 5}
    result = evaluate(Echo(), _splits(), outputs, {"normal": NORMAL_ORIGINALS}, fluency=_fluency)
    normal = result["metrics"]["normal"]
    assert normal["empty_rate"] == 1.0
    assert normal["distinct_1"] == normal["distinct_2"] == normal["unique_token_share"] == 0.0
    assert normal["similarity_bleu"] == normal["similarity_rouge_l"] == normal["similarity_semantic"] == 0.0
    assert normal["perplexity"] is None and result["intervals"]["normal"]["perplexity"] is None
    assert normal["perplexity_coverage"] == 0.0
    json.dumps(result, allow_nan=False)  # raises on NaN or infinity


@pytest.mark.parametrize("split", ["forget", "unseen", "normal"])
def test_an_empty_split_is_a_usage_error_naming_it(split):
    sizes = {"n_forget": 4, "n_unseen": 3, "n_normal": 5, f"n_{split}": 0}
    splits = _splits(**sizes)
    outputs = {name: texts if name != split else [] for name, texts in _outputs().items()}
    with pytest.raises(UsageError, match=f"the {split} split is empty .*task.n_{split}"):
        evaluate(Echo(), splits, outputs, {"normal": NORMAL_ORIGINALS})
    with pytest.raises(UsageError, match=f"the {split} split is empty"):
        check_nonempty(splits)
    check_nonempty(_splits())  # nothing to say


def test_check_nonempty_accepts_a_mapping_and_a_subset():
    check_nonempty({"forget": [1], "unseen": []}, names=["forget"])
    with pytest.raises(UsageError, match="unseen"):
        check_nonempty({"forget": [1], "unseen": []}, names=["forget", "unseen"])


def test_task_scores_must_match_the_declaration():
    class Short(Echo):
        def score(self, examples, outputs, options=None):
            return {"echo_rate": [0.0], "length": [1.0] * len(outputs)}

    class Undeclared(Echo):
        def score(self, examples, outputs, options=None):
            return {"echo_rate": [0.0] * len(outputs)}

    with pytest.raises(ValueError, match="one echo_rate value per output"):
        evaluate(Short(), _splits(), {"forget": _outputs()["forget"]})
    with pytest.raises(ValueError, match="declares"):
        evaluate(Undeclared(), _splits(), {"forget": _outputs()["forget"]})
    with pytest.raises(ValueError, match="3 outputs for the 4 forget examples"):
        evaluate(Echo(), _splits(), {"forget": ["a", "b", "c"]})


def test_nan_from_a_task_becomes_none():
    class Nan(Echo):
        def score(self, examples, outputs, options=None):
            return {"echo_rate": [float("nan")] + [1.0] * (len(outputs) - 1), "length": [1.0] * len(outputs)}

    result = evaluate(Nan(), _splits(), {"forget": _outputs()["forget"]})
    assert result["per_example"]["forget"]["echo_rate"][0] is None
    assert result["metrics"]["forget"]["echo_rate"] == 1.0
    json.dumps(result, allow_nan=False)


def test_copyright_task_through_evaluate():
    task = Copyright()
    options = task.options("tiny", {})
    splits = task.build_splits("tiny", options)
    outputs = {"forget": [e.answer for e in splits.forget], "unseen": ["" for _ in splits.unseen]}
    result = evaluate(task, splits, outputs, seed=0, options=options)
    assert result["metrics"]["forget"]["leakage_bleu"] == pytest.approx(100.0)
    assert result["metrics"]["forget"]["leakage_rate"] == 1.0
    assert result["metrics"]["unseen"] == {"leakage_bleu": 0.0, "leakage_rate": 0.0, "empty_rate": 1.0}
    assert result["per_example"]["forget"]["leakage_bleu"] == pytest.approx([100.0, 100.0])
