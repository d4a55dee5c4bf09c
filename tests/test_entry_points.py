"""The package runs as `python -m unlearn_bench`, which is the module torchrun starts (`torchrun -m unlearn_bench`)."""

from __future__ import annotations

import subprocess
import sys


def run_module(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "unlearn_bench", *args], capture_output=True, text=True,
                          timeout=300)


def test_python_dash_m_lists_the_registries():
    done = run_module("list")
    assert done.returncode == 0, done.stderr
    for name in ("harmful", "ga_mismatch", "smollm2-135m-instruct", "gemma3-270m"):
        assert name in done.stdout


def test_python_dash_m_turns_a_bad_command_into_exit_2_and_one_line():
    done = run_module("nosuch")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "'nosuch'" in done.stderr
