"""The committed leaderboard, whatever sweep produced it: every committed result validates, the tables regenerate
from leaderboard/results byte for byte, and the results work as a `check` baseline."""

import argparse
import json
import math
import shutil
from pathlib import Path

import pytest

from unlearn_bench import check
from unlearn_bench.check import check_results
from unlearn_bench.leaderboard import (ORIGINAL, README_BLOCKS, aggregate, build_leaderboard, split_at_summary,
                                       with_blocks)
from unlearn_bench.results import (SUPPORTED_SCHEMAS, declared_primary, direction, load_results, result_files,
                                   validate_result)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "leaderboard" / "results"


def run_check(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    check.configure(parser)
    return check.main(parser.parse_args(argv))


def copy_results(destination: Path) -> None:
    """The committed result files, without OUT/.work (where --keep-model leaves gigabytes of models)."""
    shutil.copytree(RESULTS, destination, ignore=shutil.ignore_patterns(".*"))


def committed_files() -> list[Path]:
    return result_files(RESULTS)  # not OUT/.work, where --keep-model leaves unlearned models


def test_every_committed_result_validates():
    files = committed_files()
    assert files, "leaderboard/results holds no result files"
    for file in files:
        result = validate_result(json.loads(file.read_text(encoding="utf-8")), str(file))
        assert result["schema"] in SUPPORTED_SCHEMAS
        assert file.parent.name == result["task"], file  # OUT/<task>/<file>
        assert file.name.startswith(f"{result['method']}__"), file
    assert len(load_results(RESULTS)) == len(files)  # one run per file, no duplicates


def test_each_table_has_its_original_row():
    groups = {(r["task"], r["model"], r["tier"]) for r in load_results(RESULTS)}
    originals = {(r["task"], r["model"], r["tier"]) for r in load_results(RESULTS) if r["method"] == ORIGINAL}
    assert groups == originals


def test_committed_tables_are_what_the_results_generate(tmp_path):
    """The markdown and CSV byte for byte (the PNG's bytes depend on the installed matplotlib and fonts)."""
    paths = {path.name: path for path in build_leaderboard(RESULTS, tmp_path)}
    for name in ("README.md", "leaderboard.csv"):
        assert paths[name].read_bytes() == (ROOT / "leaderboard" / name).read_bytes(), \
            f"leaderboard/{name} is stale: run `unlearn-bench leaderboard`"
    assert paths["leaderboard.png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (ROOT / "leaderboard" / "leaderboard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_project_readme_tables_are_what_the_results_generate():
    """The README's short tables and its robustness tables come from the committed results: `unlearn-bench
    leaderboard --readme README.md`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    split_at_summary(ROOT / "README.md")
    assert README_BLOCKS[1].begin in text, "README.md lost its robustness block"
    assert with_blocks(text, aggregate(load_results(RESULTS))) == text, \
        "README.md's generated tables are stale: run `unlearn-bench leaderboard --readme README.md`"


def planted_target(fresh: Path) -> tuple[Path, dict, str, str]:
    """The first unlearning run (not the original) with a primary metric on forget or unseen, and where."""
    for file in result_files(fresh):
        result = json.loads(file.read_text(encoding="utf-8"))
        metric = declared_primary(result) or next(iter(result["metrics"].get("forget", {})), None)
        for split in ("unseen", "forget"):
            if result["method"] != ORIGINAL and (result["metrics"].get(split) or {}).get(metric) is not None:
                return file, result, split, metric
    pytest.skip("no committed unlearning run with a task metric to plant a regression in")


def test_check_passes_on_the_baseline_and_fails_on_a_planted_regression(tmp_path):
    baseline = load_results(RESULTS)
    assert not check_results(baseline, baseline).failed
    fresh = tmp_path / "fresh"
    copy_results(fresh)
    target, result, split, metric = planted_target(fresh)
    value = result["metrics"][split][metric]
    sign = 1 if direction(result, metric) == "lower" else -1
    # Far beyond any interval, example weight or tolerance (rates live in [0, 1], BLEU in [0, 100]).
    result["metrics"][split][metric] = value + sign * (2 * abs(value) + 1000)
    assert math.isfinite(result["metrics"][split][metric])
    target.write_text(json.dumps(result), encoding="utf-8")
    args = ["--results", str(fresh), "--baseline", str(RESULTS)]
    assert run_check(args) == 1
    regressed = check_results(load_results(fresh), baseline).by_status("regressed")
    assert [(row.task, row.method, row.split, row.metric) for row in regressed] == [
        (result["task"], result["method"], split, metric)]


def test_a_subset_checks_clean_with_only_present(tmp_path):
    """A method repository's sweep of a few runs, checked against the whole committed leaderboard."""
    subset = tmp_path / "subset"
    for file in committed_files()[:2]:
        (subset / file.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(file, subset / file.parent.name / file.name)
    args = ["--results", str(subset), "--baseline", str(RESULTS)]
    assert run_check(args + ["--only-present"]) == 0
    if len(committed_files()) > 2:
        assert run_check(args) == 1  # without the flag the rest is missing


def add_probes(directory: Path, plant: str | None = None) -> list[tuple[str, str]]:
    """Give every committed run relearn probes derived from its own numbers (the primary forget metric after
    relearning = the original's, a full recovery), as `--attacks relearn` would; with `plant`, that method's
    probe moves far in its bad direction. Returns the (task, method) pairs probed."""
    files = result_files(directory)
    originals = {}
    for file in files:
        result = json.loads(file.read_text(encoding="utf-8"))
        if result["method"] == ORIGINAL:
            originals[result["task"]] = result
    probed = []
    for file in files:
        result = json.loads(file.read_text(encoding="utf-8"))
        metric = declared_primary(result) or next(iter(result["metrics"].get("forget", {})), None)
        original = ((originals.get(result["task"]) or {}).get("metrics", {}).get("forget") or {}).get(metric)
        if original is None or direction(result, metric) is None:
            continue
        way = direction(result, metric)
        after = original + ((1 if way == "lower" else -1) * (2 * abs(original) + 1000)
                            if result["method"] == plant else 0.0)
        result["robustness"] = {"relearn": {"forget": after, "forget_recovered": None}}
        result["robustness_specs"] = {
            "relearn.forget": {"direction": way, "tolerance": 0.05, "relative": False, "description": ""},
            "relearn.forget_recovered": {"direction": "lower", "tolerance": 0.2, "relative": False,
                                         "description": ""}}
        result["robustness_skipped"], result["robustness_timings"] = {}, {"relearn": 1.0}
        result.pop("robustness_outputs", None)  # the answers of the probes replaced here
        file.write_text(json.dumps(result), encoding="utf-8")
        probed.append((result["task"], result["method"]))
    return probed


def test_probes_on_the_committed_results(tmp_path):
    """The committed runs as if swept with --attacks relearn: the tables gain their robustness sections, a
    planted probe regression fails the check, and a sweep without attacks passes against the probed baseline."""
    baseline = tmp_path / "baseline"
    copy_results(baseline)
    probed = add_probes(baseline)
    if not any(method != ORIGINAL for _, method in probed):
        pytest.skip("no committed unlearning run with a primary forget metric to probe")
    paths = {path.name: path for path in build_leaderboard(baseline, tmp_path / "board")}
    readme = paths["README.md"].read_text(encoding="utf-8")
    groups = {(r["task"], r["model"], r["tier"]) for r in load_results(baseline)}
    assert readme.count("### Robustness probes") == len(groups)
    rebuilt = {path.name: path for path in build_leaderboard(baseline, tmp_path / "again")}
    for name in ("README.md", "leaderboard.csv", "leaderboard.png"):
        assert rebuilt[name].read_bytes() == paths[name].read_bytes(), name
    planted_method = next(method for _, method in probed if method != ORIGINAL)
    fresh = tmp_path / "fresh"
    copy_results(fresh)
    add_probes(fresh, plant=planted_method)
    regressed = check_results(load_results(fresh), load_results(baseline)).by_status("regressed")
    assert regressed and {(row.method, row.split, row.metric) for row in regressed} == {
        (planted_method, "robustness.relearn", "forget")}
    assert run_check(["--results", str(fresh), "--baseline", str(baseline)]) == 1
    plain = tmp_path / "plain"  # the committed runs as a sweep without --attacks writes them
    copy_results(plain)
    for file in result_files(plain):
        result = json.loads(file.read_text(encoding="utf-8"))
        for key in ("robustness", "robustness_specs", "robustness_skipped", "robustness_timings", "robustness_outputs"):
            result.pop(key, None)
        file.write_text(json.dumps(result), encoding="utf-8")
    assert run_check(["--results", str(plain), "--baseline", str(baseline)]) == 0


def test_unfinished_run_folders_are_not_read_as_results(tmp_path):
    """A sweep keeps a killed run's stages in OUT/.work: loading a result folder must not trip over them."""
    results = tmp_path / "results"
    copy_results(results)
    work = results / ".work" / "harmful" / "run" / "unlearned"
    work.mkdir(parents=True)
    (work / "config.json").write_text('{"model_type": "llama"}')
    assert len(load_results(results)) == len(load_results(RESULTS))
