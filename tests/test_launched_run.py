"""A run under torchrun: two CPU processes (gloo) train one data-parallel job, rank 0 alone generates, scores and
writes, and the result equals a single-process run's within check's noise."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

TORCHRUN = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2"]


def result_files(folder):
    return sorted(p for p in folder.rglob("*.json") if ".work" not in p.parts)


@pytest.fixture()
def environment():
    # one intra-op thread per process: two processes share the two cores; both runs use the same count, which
    # the implant's cache key includes
    return {**os.environ, "UNLEARN_BENCH_TRAIN_THREADS": "1", "UNLEARN_BENCH_THREADS": "1", "OMP_NUM_THREADS": "1",
            "CI": "true"}


def test_two_processes_write_one_result_that_a_plain_run_matches(tiny_model_dir, tmp_path, environment):
    command = ["run", "--task", "harmful", "--method", "ga", "--tier", "tiny", "--model", str(tiny_model_dir),
               "--set", "max_steps=2"]
    launched = subprocess.run([*TORCHRUN, "-m", "unlearn_bench", *command, "--out", str(tmp_path / "two")],
                              env=environment, capture_output=True, text=True, timeout=1200)
    assert launched.returncode == 0, launched.stderr[-3000:]
    written = result_files(tmp_path / "two")
    assert len(written) == 1 and launched.stdout.count("wrote ") == 1  # rank 0 alone writes and reports
    result = json.loads(written[0].read_text())
    assert result["execution"]["processes"] == 2 and result["method_log"]["extra"]["optimizer_steps"] == 2
    plain = subprocess.run([sys.executable, "-m", "unlearn_bench", *command, "--out", str(tmp_path / "one")],
                           env=environment, capture_output=True, text=True, timeout=1200)
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert json.loads(result_files(tmp_path / "one")[0].read_text())["execution"]["processes"] == 1
    check = subprocess.run([sys.executable, "-m", "unlearn_bench", "check", "--results", str(tmp_path / "two"),
                            "--baseline", str(tmp_path / "one")], env=environment, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-3000:]


def test_probes_under_a_launcher_get_one_line(tiny_model_dir, tmp_path, environment):
    launched = subprocess.run([*TORCHRUN, "-m", "unlearn_bench", "run", "--task", "harmful", "--method", "ga",
                               "--tier", "tiny", "--model", str(tiny_model_dir), "--attacks", "quant8",
                               "--out", str(tmp_path)], env=environment, capture_output=True, text=True, timeout=600)
    assert launched.returncode != 0
    assert "the probes run in one process" in launched.stderr and not result_files(tmp_path)
