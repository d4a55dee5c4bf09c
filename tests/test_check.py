"""The regression check: fresh results against a baseline, per metric, with directions and tolerances."""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path

import pytest

from unlearn_bench import check
from unlearn_bench.check import Tolerance, check_results
from unlearn_bench.errors import UsageError

DIRECTIONS = {"harmful_rate": "lower", "similarity_bleu": "higher", "perplexity": "lower"}


def make_result(method: str = "ga", *, seed: int = 0, rate: float = 0.2, bleu: float = 60.0,
                perplexity: float = 10.0, task: str = "harmful") -> dict:
    return {
        "schema": 1, "task": task, "method": method, "model": "m", "tier": "mini", "seed": seed,
        "metrics": {"forget": {"harmful_rate": rate}, "unseen": {"harmful_rate": rate},
                    "normal": {"similarity_bleu": bleu, "perplexity": perplexity}},
        "directions": DIRECTIONS, "timings": {"method_s": 1.0}, "samples": {"forget": ["text"]},
    }


def statuses(report) -> dict[tuple, str]:
    return {(row.method, row.seed, row.split, row.metric): row.status for row in report.rows}


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    check.configure(parser)
    return check.main(parser.parse_args(argv))


def write(path: Path, results: list[dict]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for result in results:
        (path / f"{result['method']}__seed{result['seed']}.json").write_text(json.dumps(result), encoding="utf-8")
    return path


def test_identical_results_pass():
    results = [make_result("ga"), make_result("none", rate=0.9)]
    report = check_results(results, copy.deepcopy(results), {})
    assert not report.failed
    assert len(report.rows) == 8 and {row.status for row in report.rows} == {"ok"}


def test_regression_beyond_tolerance_fails():
    report = check_results([make_result(rate=0.30)], [make_result(rate=0.20)], {})
    assert report.failed
    assert statuses(report)[("ga", 0, "forget", "harmful_rate")] == "regressed"
    row = report.by_status("regressed")[0]
    assert row.delta == pytest.approx(0.10) and row.tolerance == Tolerance(0.05)


def test_change_within_tolerance_is_ok():
    report = check_results([make_result(rate=0.24, bleu=56.0)], [make_result(rate=0.20, bleu=60.0)], {})
    assert not report.failed and {row.status for row in report.rows} == {"ok"}


def test_improvement_passes():
    report = check_results([make_result(rate=0.05)], [make_result(rate=0.20)], {})
    assert not report.failed
    assert statuses(report)[("ga", 0, "forget", "harmful_rate")] == "improved"


def test_direction_is_respected_for_higher_is_better():
    worse = check_results([make_result(bleu=50.0)], [make_result(bleu=60.0)], {})
    assert worse.failed and statuses(worse)[("ga", 0, "normal", "similarity_bleu")] == "regressed"
    better = check_results([make_result(bleu=70.0)], [make_result(bleu=60.0)], {})
    assert not better.failed and statuses(better)[("ga", 0, "normal", "similarity_bleu")] == "improved"


def test_perplexity_tolerance_is_relative():
    assert not check_results([make_result(perplexity=11.9)], [make_result(perplexity=10.0)], {}).failed
    assert check_results([make_result(perplexity=12.1)], [make_result(perplexity=10.0)], {}).failed


def test_custom_tolerance_changes_the_verdict():
    fresh, base = [make_result(rate=0.30, perplexity=12.5)], [make_result(rate=0.20, perplexity=10.0)]
    assert check_results(fresh, base, {}).failed
    assert not check_results(fresh, base, {"harmful_rate": 0.15, "perplexity": "30%"}).failed
    only_unseen = check_results(fresh, base, {"unseen.harmful_rate": 0.15, "perplexity": "30%"})
    assert statuses(only_unseen)[("ga", 0, "unseen", "harmful_rate")] == "ok"
    assert statuses(only_unseen)[("ga", 0, "forget", "harmful_rate")] == "regressed"


def test_missing_run_and_missing_metric_fail():
    report = check_results([make_result("ga")], [make_result("ga"), make_result("sft")], {})
    assert report.failed
    assert {row.status for row in report.rows if row.method == "sft"} == {"missing"}
    fresh = make_result("ga")
    del fresh["metrics"]["normal"]["perplexity"]
    report = check_results([fresh], [make_result("ga")], {})
    assert report.failed and statuses(report)[("ga", 0, "normal", "perplexity")] == "missing"


def test_new_run_is_reported_but_passes():
    report = check_results([make_result("ga"), make_result("sft")], [make_result("ga")], {})
    assert not report.failed
    assert {row.status for row in report.rows if row.method == "sft"} == {"new"}


def test_nan_fresh_value_regresses():
    report = check_results([make_result(rate=float("nan"))], [make_result(rate=0.2)], {})
    assert statuses(report)[("ga", 0, "forget", "harmful_rate")] == "regressed"


def test_different_seeds_compare_means():
    base = [make_result(seed=0, rate=0.1), make_result(seed=1, rate=0.3)]
    report = check_results([make_result(seed=5, rate=0.22)], base, {})
    assert {row.seed for row in report.rows} == {"mean"}
    row = next(r for r in report.rows if r.split == "forget")
    assert row.baseline == pytest.approx(0.2) and row.status == "ok"
    same_seeds = check_results([make_result(seed=0, rate=0.1), make_result(seed=1, rate=0.3)], base, {})
    assert {row.seed for row in same_seeds.rows} == {0, 1}


def test_cli_exit_status_and_table(tmp_path, capsys):
    baseline = write(tmp_path / "baseline", [make_result("ga", rate=0.2), make_result("none", rate=0.9)])
    same = write(tmp_path / "same", [make_result("ga", rate=0.2), make_result("none", rate=0.9)])
    assert run_cli(["--results", str(same), "--baseline", str(baseline)]) == 0
    assert "every metric is within its tolerance" in capsys.readouterr().out

    worse = write(tmp_path / "worse", [make_result("ga", rate=0.4), make_result("none", rate=0.9)])
    assert run_cli(["--results", str(worse), "--baseline", str(baseline)]) == 1
    out = capsys.readouterr().out
    assert "harmful/ga/m/mini/seed0" in out and "regressed" in out and "+0.200" in out
    assert "harmful/none" not in out  # unchanged runs are only listed with --all
    assert run_cli(["--results", str(worse), "--baseline", str(baseline), "--all"]) == 1
    assert "harmful/none/m/mini/seed0" in capsys.readouterr().out

    assert run_cli(["--results", str(worse), "--baseline", str(baseline), "--tolerance", "harmful_rate=0.25"]) == 0
    tolerances = tmp_path / "tolerances.json"
    tolerances.write_text(json.dumps({"harmful_rate": 0.25}), encoding="utf-8")
    assert run_cli(["--results", str(worse), "--baseline", str(baseline), "--tolerances", str(tolerances)]) == 0
    assert run_cli(["--results", str(worse), "--baseline", str(baseline), "--tolerances", str(tolerances),
                    "--tolerance", "harmful_rate=0.01"]) == 1  # the flag wins over the file


def test_write_baseline_bundle_round_trips(tmp_path, capsys):
    results = write(tmp_path / "results", [make_result("ga"), make_result("sft")])
    bundle = tmp_path / "baseline.json"
    assert run_cli(["--results", str(results), "--write-baseline", str(bundle)]) == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    assert [r["method"] for r in data["results"]] == ["ga", "sft"]
    assert all("samples" not in r for r in data["results"])
    assert run_cli(["--results", str(results), "--baseline", str(bundle)]) == 0
    single = results / "ga__seed0.json"
    assert run_cli(["--results", str(single), "--baseline", str(bundle)]) == 1  # sft is missing


@pytest.mark.parametrize("text, expected", [("x", "'x'.*METRIC=VALUE"), ("harmful_rate=abc", "'abc'"),
                                            ("harmful_rate=-1", "non-negative"), ("=0.1", "METRIC=VALUE")])
def test_bad_tolerance_syntax(text, expected):
    with pytest.raises(UsageError, match=expected):
        check.parse_tolerance(text)


def test_tolerance_parsing():
    assert check.parse_tolerance("harmful_rate=0.1") == ("harmful_rate", Tolerance(0.1))
    assert check.parse_tolerance("perplexity = 25%") == ("perplexity", Tolerance(0.25, relative=True))
    assert check.default_tolerance("similarity_bleu") == Tolerance(5.0)
    assert check.default_tolerance("harmful_rate") == Tolerance(0.05)


def test_bad_inputs_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="nope"):
        run_cli(["--results", str(tmp_path / "nope")])
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(UsageError, match="broken.json"):
        run_cli(["--results", str(broken)])
    results = write(tmp_path / "results", [make_result()])
    with pytest.raises(UsageError, match="broken.json"):
        run_cli(["--results", str(results), "--baseline", str(results), "--tolerances", str(broken)])
