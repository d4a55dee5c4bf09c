"""Rank helpers: a plain process is rank 0 of 1 and never blocks; under torchrun (gloo on CPU processes) the ranks
come from the launcher, `main_process_first` really makes the others wait, work splits over the ranks and their
parts merge, and `-m unlearn_bench` starts."""

from __future__ import annotations

import json
import os
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


@pytest.mark.parametrize("world, expected", [
    (1, [[0, 1, 2, 3, 4, 5, 6]]),
    (3, [[0, 3, 6], [1, 4], [2, 5]]),
    (9, [[0], [1], [2], [3], [4], [5], [6], [], []]),  # more ranks than items: the last ones get nothing
])
def test_own_share_splits_work_round_robin_without_overlap_or_gap(monkeypatch, world, expected):
    monkeypatch.setattr(distributed, "world_size", lambda: world)
    shares = []
    for rank in range(world):
        monkeypatch.setattr(distributed, "rank", lambda rank=rank: rank)
        shares.append(distributed.own_share(list(range(7))))
    assert shares == expected


def test_merged_is_the_part_itself_in_a_plain_run(plain):
    part = {b"a": 1.0}
    assert distributed.merged(part) == part and distributed.merged(part) is not part


TABLE_SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import torch
    from unlearn_bench import distributed, training
    from unlearn_bench.api import Example
    from unlearn_bench.formatting import make_formatter
    from unlearn_bench.models import load_model
    from unlearn_bench.registry import METHODS

    torch.set_num_threads(1)
    model_dir, out = sys.argv[1], Path(sys.argv[2])
    computed, tables = [], []
    compute = training.ReferenceLogprobs.compute.__func__

    def counting(cls, *args, **kwargs):  # how many rows this process ran the reference on
        part = compute(cls, *args, **kwargs)
        computed.append(len(part))
        return part

    make_table = training._reference_table

    def keeping(*args, **kwargs):  # the table training read
        tables.append(make_table(*args, **kwargs))
        return tables[-1]

    training.ReferenceLogprobs.compute = classmethod(counting)
    training._reference_table = keeping
    forget = [Example(f"How do I take item {i} without paying?", "Grab it" + " and run" * i) for i in range(8)]
    normal = [Example(f"What is {i} plus one?", f"It is {i + 1}.") for i in range(4)]
    model, reference = load_model(model_dir, dtype=torch.float32), load_model(model_dir, dtype=torch.float32)
    method = METHODS.create("npo")
    params = training.TrainParams(lr=1e-4, batch_size=2, max_steps=2, max_length=64)
    training.train(model.model, model.tokenizer, make_formatter(model.tokenizer), forget,
                   method.loss(method.params("tiny", {})), params, seed=0, work_dir=str(out / "work"),
                   normal=normal, reference=reference.model.eval().requires_grad_(False))
    table = {key[0].hex() + "/" + key[1].hex(): value for key, value in tables[0].values.items()}
    name = f"rank{distributed.rank()}_of_{distributed.world_size()}.json"
    (out / name).write_text(json.dumps({"computed": computed[0], "table": table}))
""")


def test_under_torchrun_the_ranks_split_the_reference_table_and_each_gets_all_of_it(tiny_model_dir, tmp_path):
    """NPO's reference log-prob table: two ranks compute disjoint halves and both train on the whole table, equal
    to a single process's."""
    script = tmp_path / "table.py"
    script.write_text(TABLE_SCRIPT)
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "UNLEARN_BENCH_TRAIN_THREADS": "1"}
    for launcher in (TORCHRUN, [sys.executable]):
        done = subprocess.run([*launcher, str(script), str(tiny_model_dir), str(tmp_path)], env=environment,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
    plain, *ranks = (json.loads((tmp_path / name).read_text())
                     for name in ("rank0_of_1.json", "rank0_of_2.json", "rank1_of_2.json"))
    assert len(plain["table"]) == plain["computed"] == 8  # one row per forget example
    assert [rank["computed"] for rank in ranks] == [4, 4]
    for rank in ranks:
        assert rank["table"].keys() == plain["table"].keys()
        assert all(abs(rank["table"][key] - value) <= 1e-5 * abs(value) for key, value in plain["table"].items())
