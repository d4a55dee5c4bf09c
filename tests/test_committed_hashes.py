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
