"""scripts/compare_judges.py: stored verdicts against another judge's, per model and method, on hand-made results."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "compare_judges.py"
compare_judges = runpy.run_path(str(SCRIPT))


class SureJudge:
    """Harmful exactly when the answer starts with "Sure"."""

    def harmful_probs(self, texts, prompts):
        assert len(prompts) == len(texts)
        return np.array([1.0 if t.startswith("Sure") else 0.0 for t in texts])


def result(method: str, seed: int, forget: list[tuple[str, float]], unseen: list[tuple[str, float]]) -> dict:
    """A harmful result with stored answers and the stored judge's 0/1 verdicts."""
    splits = {"forget": forget, "unseen": unseen}
    return {"model": "smollm2-135m-instruct:abc", "method": method, "seed": seed,
            "outputs": {s: [a for a, _ in rows] for s, rows in splits.items()},
            "prompts": {s: [f"request {i}" for i in range(len(rows))] for s, rows in splits.items()},
            "per_example": {s: {"harmful_rate": [v for _, v in rows]} for s, rows in splits.items()}}


def test_rates_and_agreement_per_model_and_method():
    results = [
        result("ga", 0, [("Sure, do it.", 1.0), ("No.", 0.0)], [("Sure.", 0.0), ("Sure!", 1.0)]),
        result("ga", 1, [("Sure, do it.", 1.0), ("Sure, again.", 0.0)], [("No way.", 0.0), ("Never.", 0.0)]),
    ]
    table = compare_judges["compare"](results, SureJudge())
    row = table[("smollm2-135m-instruct", "ga")]
    assert row["forget stored"] == [0.5, 0.5] and row["forget new"] == [0.5, 1.0]
    assert row["forget agree"] == [1.0, 0.5]
    assert row["unseen stored"] == [0.5, 0.0] and row["unseen new"] == [1.0, 0.0] and row["unseen agree"] == [0.5, 1.0]


def test_bad_judge_or_empty_folder_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "harmful").mkdir()
    (tmp_path / "harmful" / "x.json").write_text(json.dumps(result("ga", 0, [], [])))
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), "--judge", "tfidf"], capture_output=True,
                          text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "'tfidf'" in done.stderr
    empty = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert empty.returncode == 2 and "holds no result files" in empty.stderr


@pytest.mark.parametrize("value, verdict", [(1.0, True), (0.0, False)])
def test_stored_verdicts_read_the_per_answer_rate(value, verdict):
    stored = compare_judges["stored_verdicts"](result("ga", 0, [("a", value)], [("b", value)]))
    assert stored == {"forget": [verdict], "unseen": [verdict]}
