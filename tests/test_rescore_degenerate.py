"""scripts/rescore_degenerate.py: it reproduces the runner's own numbers where no output changed its verdict, and
moves exactly the rule's metrics where loops appear."""

import copy
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from unlearn_bench.metrics import is_degenerate

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "rescore_degenerate.py"
spec = importlib.util.spec_from_file_location("rescore_degenerate", SCRIPT)
rescore = importlib.util.module_from_spec(spec)
sys.modules["rescore_degenerate"] = rescore
spec.loader.exec_module(rescore)

# A committed run scored by the runner, whose outputs hold no loop: the rule's change leaves it as it was.
COMMITTED = next((ROOT / "leaderboard" / "results" / "copyright")
                 .glob("ga_mismatch__smollm2-135m-instruct__mini__seed1__*.json"))


@pytest.fixture
def result():
    return json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_a_run_without_loops_is_left_exactly_as_stored(result):
    assert rescore.rescored(result) == result


def test_loops_move_the_rule_metrics_and_nothing_else(result):
    looped = copy.deepcopy(result)
    looped["outputs"]["normal"][:5] = ["NoNoNoNoNoNoNoNo"] * 5  # five normal answers collapse into a spaceless loop
    new = rescore.rescored(looped)
    flags = [float(is_degenerate(text)) for text in looped["outputs"]["normal"]]
    assert new["per_example"]["normal"]["empty_rate"] == flags
    assert new["metrics"]["normal"]["empty_rate"] == pytest.approx(sum(flags) / len(flags))
    assert new["metrics"]["normal"]["empty_rate"] >= result["metrics"]["normal"]["empty_rate"] + 5 / 50 - 1e-9
    assert new["per_example"]["normal"]["unique_token_share"][:5] == [0.0] * 5
    assert new["metrics"]["normal"]["unique_token_share"] < result["metrics"]["normal"]["unique_token_share"]
    low, high = new["intervals"]["normal"]["empty_rate"]
    assert low <= new["metrics"]["normal"]["empty_rate"] <= high
    untouched = {m: v for m, v in result["metrics"]["normal"].items()
                 if m not in ("empty_rate", "distinct_1", "distinct_2", "unique_token_share")}
    assert {m: new["metrics"]["normal"][m] for m in untouched} == untouched  # similarity, perplexity: as stored
    assert new["metrics"]["forget"] == result["metrics"]["forget"]
    assert new["metric_specs"]["empty_rate"]["description"] == rescore.EMPTY_RATE.description


def test_the_rule_metrics_agree_with_the_runners_scoring(result):
    """Recomputed on stored outputs they match what the runner stored (up to float noise in the bootstrap)."""
    for split, texts in result["outputs"].items():
        statistics = rescore.rule_statistics(split, texts)
        for metric, statistic in statistics.items():
            assert statistic.value() == pytest.approx(result["metrics"][split][metric], abs=1e-12)
            if metric in result["per_example"][split]:
                assert list(statistic.per_example) == result["per_example"][split][metric]


def test_missing_outputs_are_refused_in_one_line(result):
    result["outputs"]["forget"] = result["outputs"]["forget"][:3]
    with pytest.raises(rescore.UsageError, match="3 stored forget outputs"):
        rescore.rescored(result)


def test_a_missing_results_directory_exits_2(tmp_path, capsys):
    with pytest.raises(rescore.UsageError, match="not a directory"):
        rescore.main([str(tmp_path / "nowhere")])


def test_main_rewrites_in_place_and_dry_run_writes_nothing(result, tmp_path, capsys):
    result["outputs"]["forget"][0] = "No,No,NoNoNoNoNo"
    target = tmp_path / "results" / "copyright" / COMMITTED.name
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(result), encoding="utf-8")
    before = target.read_text(encoding="utf-8")
    assert rescore.main([str(tmp_path / "results"), "--dry-run"]) == 0
    assert target.read_text(encoding="utf-8") == before
    assert "forget empty_rate" in capsys.readouterr().out
    assert rescore.main([str(tmp_path / "results")]) == 0
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["per_example"]["forget"]["empty_rate"][0] == 1.0
    assert written["config_hash"] == result["config_hash"]  # same run, same name
