"""The committed results stay reproducible from the current code: the config hash each file was written under
is recomputed from its task, method, model, tier, seed and --set overrides, and must match. A refactor of a
task's Options or a method's Params that changes a field, a default or a tier budget breaks this test."""

from pathlib import Path

import pytest

from unlearn_bench.io import read_json
from unlearn_bench.runner import Resolved, RunConfig

RESULTS = Path(__file__).resolve().parents[1] / "leaderboard" / "results"
FILES = sorted(RESULTS.glob("*/*.json"))


def test_there_are_committed_results_to_check():
    tasks = {path.parent.name for path in FILES}
    assert tasks == {"copyright", "hallucination", "harmful"}


@pytest.mark.parametrize("path", FILES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_committed_config_hash_is_recomputed_by_the_current_code(path):
    result = read_json(path)
    config = result["config"]
    run = RunConfig(task=result["task"], method=result["method"], model=result["model"], tier=result["tier"],
                    seed=result["seed"], overrides=dict(config.get("overrides") or {}),
                    prompt_style=config.get("prompt_style", "auto"))
    resolved = Resolved(run)
    assert resolved.hashed()["task_options"] == config["task_options"]
    assert resolved.hashed()["method_params"] == config["method_params"]
    assert resolved.hash == result["config_hash"]

# Config hashes at 8a17390 of tiers no committed result covers: the tasks' paper-tier Options defaults and the
# methods' Params defaults (paper) and tiny budgets, pinned across the refactor into shared dataclasses.
PINNED = {
    ("copyright", "ga", "tiny"): "3b2b69263bf7",
    ("copyright", "ga", "paper"): "d99810a8883a",
    ("copyright", "npo", "paper"): "3dbf46e1a2e3",
    ("copyright", "idk_dpo", "paper"): "0e4ae35f4c71",
    ("copyright", "simnpo", "tiny"): "d4ee223db809",
    ("copyright", "sft", "paper"): "31b9eacfec14",
    ("hallucination", "ga", "tiny"): "788cb0596b97",
    ("hallucination", "ga", "paper"): "38f9665509c6",
    ("hallucination", "npo", "paper"): "4c1f8f8ab1d4",
    ("hallucination", "idk_dpo", "paper"): "b3c76838a257",
    ("hallucination", "simnpo", "tiny"): "7dc35ece6ebc",
    ("hallucination", "sft", "paper"): "0855bb26265d",
    # harmful versions 2 (the request-and-answer judge) and 3 (its v3 training data) moved these on purpose; everything
    # else kept its hash
    ("harmful", "ga", "tiny"): "b4c2bd8738d5",
    ("harmful", "ga", "paper"): "bea400c3e59a",
    ("harmful", "npo", "paper"): "221968b69606",
    ("harmful", "idk_dpo", "paper"): "50a2acfd8c14",
    ("harmful", "simnpo", "tiny"): "6ce9a58be7a2",
    ("harmful", "sft", "paper"): "a71902e3b579",
}


@pytest.mark.parametrize("key", sorted(PINNED), ids="/".join)
def test_config_hashes_of_uncommitted_tiers_are_unchanged(key):
    task, method, tier = key
    assert Resolved(RunConfig(task=task, method=method, tier=tier)).hash == PINNED[key]
