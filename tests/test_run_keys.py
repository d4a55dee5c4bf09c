"""Runs are keyed by their content: result names carry a hash of the resolved config, sweeps route --set values to
the methods that have them, QA-style answers stop at the next turn, result files are strict JSON, empty splits are
refused."""

import json
import math
import os
import stat

import pytest

from unlearn_bench.api import Example
from unlearn_bench.cli import main
from unlearn_bench.errors import UsageError
from unlearn_bench.formatting import PromptFormatter
from unlearn_bench.generation import cut_at_stop
from unlearn_bench.io import read_json, write_json
from unlearn_bench.models import model_identity
from unlearn_bench.runner import Resolved, RunConfig, result_path
from unlearn_bench.sweep import method_overrides


def config(**changes) -> RunConfig:
    base = dict(task="harmful", method="ga", tier="tiny", out="runs")
    return RunConfig(**{**base, **changes})


def test_result_name_carries_a_hash_of_the_resolved_config():
    plain = result_path(config())
    assert plain == result_path(config())  # deterministic
    assert plain.name.startswith("ga__smollm2-135m-instruct__tiny__seed0__") and plain.suffix == ".json"
    assert result_path(config(overrides={"lr": "1e-5"})) != plain
    assert result_path(config(overrides={"task.n_forget": "3"})) != plain
    assert result_path(config(seed=1)) != plain
    assert result_path(config(prompt_style="qa")) != plain
    # execution settings do not change what a run measures
    assert result_path(config(batch_size=4)) == plain and result_path(config(backend="hf")) == plain
    # the default value given explicitly is the same run
    default_lr = Resolved(config()).params.lr
    assert result_path(config(overrides={"lr": str(default_lr)})) == plain


def test_checkpoints_with_the_same_basename_get_different_results(tmp_path):
    paths = []
    for parent in ("a", "b"):
        directory = tmp_path / parent / "final"
        directory.mkdir(parents=True)
        (directory / "config.json").write_text("{}")
        paths.append(result_path(config(model=str(directory))))
    assert paths[0] != paths[1]
    assert model_identity(str(tmp_path / "a" / "final")).startswith(str((tmp_path / "a" / "final").resolve()))


def test_hub_models_are_identified_with_their_revision():
    assert model_identity("org/model") == "org/model@main"
    assert model_identity("org/model@abc123") == "org/model@abc123"
    assert result_path(config(model="org/model@abc123")) != result_path(config(model="org/model"))


def test_sweep_set_goes_only_to_methods_that_have_the_key():
    routed = method_overrides({"lr": "1e-5", "task.n_forget": "3"}, ["none", "ga", "sft"])
    assert routed["none"] == {"task.n_forget": "3"}
    assert routed["ga"] == {"lr": "1e-5", "task.n_forget": "3"} == routed["sft"]
    assert method_overrides({"ga.lr": "1e-5"}, ["none", "ga", "sft"]) == {"none": {}, "ga": {"lr": "1e-5"}, "sft": {}}
    with pytest.raises(UsageError, match="no method of this sweep has the option 'nope'"):
        method_overrides({"nope": "1"}, ["none", "ga"])
    with pytest.raises(UsageError, match="'rlhf' is not a method of this sweep"):
        method_overrides({"rlhf.lr": "1"}, ["none", "ga"])


def test_qa_style_answers_stop_at_the_next_turn(tokenizer):
    qa = PromptFormatter(tokenizer, "qa")
    stops = qa.stop_strings(Example("What is the capital of France?", ""))
    assert cut_at_stop("Paris.\n### Question: What is 2+2?\n### Answer: 4", stops) == "Paris."
    assert cut_at_stop("Paris.", stops) == "Paris."
    assert PromptFormatter(tokenizer, "chat").stop_strings(Example("q", "")) == ()
    assert qa.stop_strings(Example("Once upon a time", "", style="raw")) == ()


def test_result_files_are_strict_json(tmp_path):
    path = tmp_path / "r.json"
    write_json(path, {"a": float("nan"), "b": [1.0, float("inf")], "c": {"d": -math.inf, "e": 0.5}})
    text = path.read_text()
    assert "NaN" not in text and "Infinity" not in text
    parsed = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-strict constant {name}"))
    assert parsed == {"a": None, "b": [1.0, None], "c": {"d": None, "e": 0.5}} == read_json(path)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_written_files_are_as_readable_as_the_umask_allows(tmp_path, umask):
    """Atomic writes go through a private temporary file; the file left in place has the usual permissions."""
    before = os.umask(umask)
    try:
        write_json(tmp_path / "r.json", {"a": 1})
    finally:
        os.umask(before)
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o666 & ~umask
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_empty_split_is_a_one_line_usage_error(capsys, tiny_model_dir, tmp_path):
    status = main(["run", "--task", "harmful", "--method", "none", "--tier", "tiny", "--model", str(tiny_model_dir),
                   "--set", "task.n_unseen=0", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert "the unseen split is empty (0 examples)" in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.rglob("*.json"))


def test_check_and_leaderboard_commands_start_without_torch():
    import subprocess
    import sys

    code = ("import sys\nfrom unlearn_bench.cli import main\n"
            "for command in ('check', 'leaderboard'):\n"
            "    try:\n        main([command, '--help'])\n    except SystemExit:\n        pass\n"
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"
