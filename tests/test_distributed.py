"""Rank helpers: a plain process is rank 0 of 1 and never blocks; under torchrun (gloo on CPU processes) the ranks
come from the launcher, `main_process_first` really makes the others wait, and `-m unlearn_bench` starts."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from unlearn_bench import distributed

TORCHRUN = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2"]


@pytest.fixture()
def plain(monkeypatch):
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
        monkeypatch.delenv(name, raising=False)


def test_a_plain_process_is_rank_0_of_1_and_its_barrier_returns(plain):
    assert (distributed.rank(), distributed.world_size(), distributed.local_rank()) == (0, 1, 0)
    assert distributed.is_main_process()
    distributed.barrier()  # no process group exists: must return at once, not wait or raise
    ran = []
    with distributed.main_process_first():
        ran.append(distributed.rank())
    assert ran == [0]


def test_ranks_come_from_the_launchers_environment_before_any_group(monkeypatch):
    monkeypatch.setenv("RANK", "3")
    monkeypatch.setenv("WORLD_SIZE", "4")
    monkeypatch.setenv("LOCAL_RANK", "1")
    assert (distributed.rank(), distributed.world_size(), distributed.local_rank()) == (3, 4, 1)
    assert not distributed.is_main_process() and distributed.rank_seed(10) == 13


@pytest.mark.parametrize("value", ["", "abc", "-1"])
def test_unreadable_launcher_variables_fall_back_to_a_plain_run(monkeypatch, value):
    monkeypatch.setenv("RANK", value)
    monkeypatch.setenv("WORLD_SIZE", value)
    assert (distributed.rank(), distributed.world_size()) == (0, 1)


def test_main_process_first_passes_an_error_of_the_block_through(plain):
    with pytest.raises(RuntimeError, match="boom"):
        with distributed.main_process_first():
            raise RuntimeError("boom")


SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from unlearn_bench import distributed

    out = Path(sys.argv[1])
    with distributed.main_process_first():
        if distributed.is_main_process():
            time.sleep(1.0)  # rank 1 must still be waiting when the file appears
            (out / "cache_file").write_text("written by rank 0")
        found = (out / "cache_file").read_text() if (out / "cache_file").exists() else "missing"
    (out / f"rank{distributed.rank()}_of_{distributed.world_size()}").write_text(found)
""")


def test_under_torchrun_rank_1_waits_for_rank_0s_files(tmp_path):
    script = tmp_path / "first.py"
    script.write_text(SCRIPT)
    done = subprocess.run([*TORCHRUN, str(script), str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "rank0_of_2").read_text() == "written by rank 0"
    assert (tmp_path / "rank1_of_2").read_text() == "written by rank 0"


def test_torchrun_starts_the_package_as_a_module():
    done = subprocess.run([*TORCHRUN, "-m", "unlearn_bench", "list"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("gemma3-270m") == 2  # one listing per rank
