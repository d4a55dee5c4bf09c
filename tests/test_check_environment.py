"""check compares like with like: results made on another device type, dtype or backend are either compared with
the baseline made there, or reported as not comparable (exit 3), never as a list of false regressions; and a
matched seed re-run with other weights is allowed the cell's seed spread."""

from __future__ import annotations

import argparse
import json

import pytest

from unlearn_bench import check
from unlearn_bench.check import SEED_SPREAD_FACTOR, check_results
from unlearn_bench.errors import UsageError
from unlearn_bench.results import environment, load_results

from test_check import make_result, row

GPU = {"device_type": "cuda", "device_name": "H200", "dtype": "bfloat16", "backend": "hf"}


def made_on(result: dict, **execution) -> dict:
    return {**result, "execution": {**GPU, **execution}}


def write(folder, results) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for index, result in enumerate(results):
        (folder / f"r{index}.json").write_text(json.dumps(result))
    return str(folder)


def run_check(fresh: str, baseline: str) -> int:
    args = argparse.Namespace(results=fresh, baseline=baseline, write_baseline=None, tolerances=None, tolerance=[],
                              only_present=False, all=False)
    return check.main(args)


def test_results_without_an_execution_block_read_as_the_cpu_leaderboard():
    assert environment(make_result()) == ("cpu", "float32", "hf")
    assert environment(made_on(make_result())) == ("cuda", "bfloat16", "hf")


def test_a_gpu_run_against_a_cpu_baseline_is_not_comparable(tmp_path, capsys):
    fresh = write(tmp_path / "fresh", [made_on(make_result(hits=40))])  # would "regress" by far
    base = write(tmp_path / "base", [make_result(hits=10)])
    assert run_check(fresh, base) == check.NOT_COMPARABLE_EXIT == 3
    out = capsys.readouterr().out
    assert "environment differs: device_type is 'cuda' in the fresh results, 'cpu' in the baseline" in out
    assert "environment differs: dtype is 'bfloat16' in the fresh results, 'float32' in the baseline" in out
    assert "backend" not in out.split("not comparable")[0]  # hf on both sides: no line for it
    assert "not comparable" in out and "regressed" not in out and "check FAILED" not in out


def test_a_baseline_folder_with_both_environments_serves_each(tmp_path, capsys):
    base = write(tmp_path / "base", [make_result(hits=10), made_on(make_result(hits=30))])
    assert len(load_results(base)) == 2  # the same run made in two environments is not a duplicate
    gpu_fresh = write(tmp_path / "gpu", [made_on(make_result(hits=30))])
    assert run_check(gpu_fresh, base) == 0
    assert "comparing with the baseline's cuda/bfloat16/hf results" in capsys.readouterr().out
    cpu_fresh = write(tmp_path / "cpu", [make_result(hits=10)])
    assert run_check(cpu_fresh, base) == 0
    assert "comparing with the baseline's cpu/float32/hf results" in capsys.readouterr().out


def test_another_backend_is_named_on_its_own_line(tmp_path, capsys):
    fresh = write(tmp_path / "fresh", [made_on(make_result(), device_type="cpu", dtype="float32", backend="vllm")])
    base = write(tmp_path / "base", [make_result()])
    assert run_check(fresh, base) == 3
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("environment differs")]
    assert lines == ["environment differs: backend is 'vllm' in the fresh results, 'hf' in the baseline"]


def test_a_malformed_execution_block_is_refused():
    from unlearn_bench.results import validate_result

    with pytest.raises(UsageError, match="execution.dtype"):
        validate_result(made_on(make_result(), dtype=""), "r.json")


def with_weights(result: dict, fingerprint: str) -> dict:
    return {**result, "fingerprints": {"base": "b", "original": "o", "unlearned": fingerprint}}


def test_a_matched_seed_with_other_weights_is_allowed_the_seed_spread():
    base = [with_weights(make_result(seed=s, hits=h, half=0.0), f"w{s}") for s, h in enumerate([5, 10, 15])]
    spread = SEED_SPREAD_FACTOR * 0.1  # the seeds' rates 0.1, 0.2, 0.3: standard deviation 0.1
    moved = check_results([with_weights(make_result(seed=0, hits=13, half=0.0), "other")], base)  # 0.1 -> 0.26
    assert row(moved).status == "ok" and row(moved).allowed.reason == "seed spread"
    assert row(moved).allowed.value == pytest.approx(spread)
    far = check_results([with_weights(make_result(seed=0, hits=20, half=0.0), "other")], base)  # +0.30 > 0.277
    assert row(far).status == "regressed"
    # the same weights re-ran bit for bit: no seed spread, the old tight rule (one example, 0.02)
    exact = check_results([with_weights(make_result(seed=0, hits=13, half=0.0), "w0")], base)
    assert row(exact).status == "regressed" and row(exact).allowed.reason != "seed spread"


def test_one_baseline_seed_has_no_spread_to_allow():
    base = [with_weights(make_result(seed=0, hits=5, half=0.0), "w0")]
    moved = check_results([with_weights(make_result(seed=0, hits=13, half=0.0), "other")], base)
    assert row(moved).status == "regressed" and row(moved).allowed.reason != "seed spread"
