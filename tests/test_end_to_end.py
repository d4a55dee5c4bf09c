"""End-to-end runs on the embedded default model (slow: minutes on 2 cores). Run with `pytest -m slow`."""

import pytest

from unlearn_bench.io import read_json
from unlearn_bench.runner import RunConfig, run

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("task", ["harmful", "copyright", "hallucination"])
def test_tiny_tier_runs_on_the_embedded_default(task, tmp_path):
    result = run(RunConfig(task=task, method="ga_mismatch", tier="tiny", out=str(tmp_path), batch_size=8))
    assert set(result["metrics"]) == {"forget", "unseen", "normal"}
    primary = result["task_info"]["primary_metric"]
    assert primary in result["metrics"]["forget"] and primary in result["base_metrics"]["forget"]
    assert result["fingerprints"]["original"] != result["fingerprints"]["base"]  # implanted
    assert result["method_log"]["tokens"] > 0
    files = list(tmp_path.glob(f"{task}/*.json"))
    assert len(files) == 1 and read_json(files[0])["metrics"] == result["metrics"]
