"""Where a run executes: device and dtype choices, the fixed training thread count, the tested library versions,
and the execution record every result keeps."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from unlearn_bench import execution
from unlearn_bench.api import Example
from unlearn_bench.errors import UsageError
from unlearn_bench.execution import Execution, resolve, train_threads
from unlearn_bench.formatting import make_formatter
from unlearn_bench.models import weights_fingerprint
from unlearn_bench.training import Objective, TrainParams, train

NO_GPU = pytest.mark.skipif(torch.cuda.is_available(), reason="checks the CPU-only answers")


@NO_GPU
def test_auto_is_the_cpu_in_float32_without_a_gpu():
    assert resolve() == Execution("cpu", "float32")
    assert resolve("cpu", "bfloat16") == Execution("cpu", "bfloat16")
    assert resolve("auto", "float32").device_type == "cpu"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_auto_is_cuda_in_bfloat16_on_a_gpu():
    chosen = resolve()
    assert chosen.device_type == "cuda" and chosen.dtype == ("bfloat16" if torch.cuda.is_bf16_supported() else "float32")


@pytest.mark.parametrize("device, dtype, message", [
    ("tpu", "auto", "unknown device 'tpu'"),
    ("cuda:x", "auto", "unknown device 'cuda:x'"),
    ("", "auto", "unknown device ''"),
    ("cpu", "float64", "unknown dtype 'float64'"),
    ("cpu", "float16", "dtype 'float16' on device 'cpu'"),
])
def test_bad_choices_get_one_line(device, dtype, message):
    with pytest.raises(UsageError, match=message) as error:
        resolve(device, dtype)
    assert "\n" not in str(error.value) and "expected" in str(error.value)


@NO_GPU
def test_cuda_without_a_gpu_is_refused():
    with pytest.raises(UsageError, match="torch sees no CUDA GPU"):
        resolve("cuda", "auto")


def test_training_threads_are_fixed_and_validated(monkeypatch):
    monkeypatch.delenv(execution.TRAIN_THREADS_VARIABLE, raising=False)
    assert train_threads() == execution.DEFAULT_TRAIN_THREADS == 2
    monkeypatch.setenv(execution.TRAIN_THREADS_VARIABLE, "3")
    assert train_threads() == 3
    for bad in ("0", "two", "-1", ""):
        monkeypatch.setenv(execution.TRAIN_THREADS_VARIABLE, bad)
        with pytest.raises(UsageError, match="not a positive integer"):
            train_threads()


def test_reproducible_training_sets_and_restores_the_threads(monkeypatch):
    monkeypatch.setenv(execution.TRAIN_THREADS_VARIABLE, "1")
    before = torch.get_num_threads()
    with execution.reproducible_training(torch.device("cpu")):
        assert torch.get_num_threads() == 1
        assert torch.are_deterministic_algorithms_enabled()
    assert torch.get_num_threads() == before and not torch.are_deterministic_algorithms_enabled()


def test_versions_outside_the_tested_range_are_refused(monkeypatch):
    execution.check_versions()  # what is installed here is tested
    monkeypatch.setattr(execution, "library_versions",
                        lambda: {"torch": "2.13.0+cpu", "transformers": "5.16.2", "vllm": None, "python": "3.11.7"})
    with pytest.raises(UsageError, match=r"transformers 5\.16\.2 is outside the tested range >=5\.17,<5\.25"):
        execution.check_versions()
    monkeypatch.setenv(execution.ALLOW_UNTESTED_VARIABLE, "1")
    execution.check_versions()


def test_version_parsing_ignores_local_builds_and_suffixes():
    assert execution._version_tuple("2.13.0+cpu") == (2, 13, 0)
    assert execution._version_tuple("5.17.0.dev0") == (5, 17, 0)
    assert execution._version_tuple("5.25") == (5, 25)
    assert execution._version_tuple("5.24.0") < execution._version_tuple("5.25")


def test_the_record_says_where_a_run_was_made(monkeypatch):
    monkeypatch.delenv(execution.TRAIN_THREADS_VARIABLE, raising=False)
    record = execution.record(Execution("cpu", "float32"), "hf")
    assert (record["device_type"], record["dtype"], record["backend"], record["train_threads"]) == \
        ("cpu", "float32", "hf", 2)
    assert record["torch"] == torch.__version__ and record["transformers"] and record["device_name"]
    assert record["cpu_capability"] == torch.backends.cpu.get_cpu_capability() != ""
    memory = execution.peak_memory()
    assert memory["rss_mib"] > 0 and (memory["gpu_allocated_mib"] is None) == (not torch.cuda.is_available())


def _train_once(tiny, tokenizer) -> str:
    formatter = make_formatter(tokenizer)
    forget = [Example(f"Question {i}?", f"Answer number {i} is long enough to matter.") for i in range(8)]
    params = TrainParams(lr=1e-3, batch_size=4, max_steps=4, max_length=48)
    model, _ = train(tiny.model, tokenizer, formatter, forget, Objective(forget=1.0), params, seed=0,
                     work_dir="/tmp/unlearn-bench-test-determinism")
    return weights_fingerprint(model)


def test_training_gives_the_same_weights_under_different_machine_load(tiny_model_dir, tokenizer, monkeypatch):
    """The thread count no longer follows the load: a busy core elsewhere leaves the trained weights unchanged."""
    from unlearn_bench.models import load_model

    monkeypatch.delenv(execution.TRAIN_THREADS_VARIABLE, raising=False)
    quiet = _train_once(load_model(str(tiny_model_dir), dtype=torch.float32), tokenizer)
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        busy = _train_once(load_model(str(tiny_model_dir), dtype=torch.float32), tokenizer)
    finally:
        spinner.kill()
    assert busy == quiet
