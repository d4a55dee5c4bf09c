"""Where a run executes: the device, the dtype, the training thread count, and the record of all of it that every
result file keeps (its `execution` block).

`--device` and `--dtype` follow lm-eval-harness's model arguments: `auto` means cuda with bfloat16 where the GPU
supports it, else the CPU with float32. They apply to every model a run loads (the pretrained model, the original,
the frozen reference, the unlearned model, and the judges and sentence encoder).

Training and implanting run with a fixed intra-op thread count on the CPU (`UNLEARN_BENCH_TRAIN_THREADS`, default
2, the leaderboard machine's core count), never one read from the machine's load: a matmul's reduction order
depends on the thread count, so a count that follows the load gives the same seed different weights on a busy
machine. Generation may still follow the load (greedy texts do not depend on the thread count: tested).
"""

from __future__ import annotations

import contextlib
import os
import platform
from dataclasses import dataclass

import torch

from .errors import UsageError
from .threads import torch_threads

# cuBLAS picks deterministic kernels only with a fixed workspace, read when CUDA starts: set before any CUDA work.
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
DEVICES = ("auto", "cpu", "cuda", "cuda:N")
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
DEFAULT_TRAIN_THREADS = 2
TRAIN_THREADS_VARIABLE = "UNLEARN_BENCH_TRAIN_THREADS"
# The library versions the README's install and the test suite ran (floor inclusive, ceiling exclusive). An
# untested version is refused with one line; UNLEARN_BENCH_ALLOW_UNTESTED=1 runs anyway (and the result records it).
TESTED_VERSIONS = {"torch": ("2.11", "2.14"), "transformers": ("5.17", "5.25")}
ALLOW_UNTESTED_VARIABLE = "UNLEARN_BENCH_ALLOW_UNTESTED"


@dataclass(frozen=True)
class Execution:
    """A resolved device and dtype, e.g. Execution("cuda:0", "bfloat16") or Execution("cpu", "float32")."""

    device: str
    dtype: str

    @property
    def device_type(self) -> str:
        return torch.device(self.device).type

    @property
    def torch_dtype(self) -> torch.dtype:
        return DTYPES[self.dtype]

    @property
    def half_precision(self) -> bool:
        return self.dtype != "float32"


def resolve(device: str = "auto", dtype: str = "auto") -> Execution:
    """The device and dtype a run uses; an unknown or unavailable choice raises UsageError in one line."""
    resolved_device = _resolve_device(device)
    if dtype == "auto":
        bf16 = resolved_device.startswith("cuda") and torch.cuda.is_bf16_supported()
        return Execution(resolved_device, "bfloat16" if bf16 else "float32")
    if dtype not in DTYPES:
        raise UsageError(f"unknown dtype {dtype!r}; expected one of: auto, {', '.join(DTYPES)}")
    if dtype == "float16" and not resolved_device.startswith("cuda"):
        raise UsageError(f"dtype 'float16' on device {resolved_device!r} is not supported; expected float32 or "
                         "bfloat16 on the CPU")
    return Execution(resolved_device, dtype)


def _resolve_device(device: str) -> str:
    if device == "auto":
        return "cuda:0" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        return "cpu"
    kind, _, index = device.partition(":")
    if kind != "cuda" or (index and not index.isdigit()):
        raise UsageError(f"unknown device {device!r}; expected one of: {', '.join(DEVICES)}")
    if not torch.cuda.is_available():
        raise UsageError(f"device {device!r} asked for, but torch sees no CUDA GPU here; expected cpu or auto")
    number = int(index or 0)
    if number >= torch.cuda.device_count():
        raise UsageError(f"device {device!r} does not exist; expected cuda:0 to cuda:{torch.cuda.device_count() - 1}")
    return f"cuda:{number}"


def model_device(model: torch.nn.Module) -> torch.device:
    """The device of a model's first parameter (where its inputs must go)."""
    return next(model.parameters()).device


@contextlib.contextmanager
def in_host_memory(model: torch.nn.Module | None, device, back_to=None):
    """While the block runs, `model` (when there is one) waits in host memory if `device` is an accelerator, and
    afterwards goes to `back_to` (default: `device`), even when the block fails. On the CPU nothing moves: host and
    device memory are the same. For a model a stage keeps but does not call (the original while a method trains)."""
    aside = model is not None and torch.device(device).type != "cpu"
    if aside:
        model.to("cpu")
    try:
        yield
    finally:
        if aside:
            model.to(back_to if back_to is not None else device)


def to_device(batch: dict, device: torch.device) -> dict:
    """A batch of tensors moved to `device` (other values pass through)."""
    return {k: v.to(device) if torch.is_tensor(v) else v for k, v in batch.items()}


def float_tolerance(dtype: torch.dtype) -> float:
    """A comparison tolerance for a value that is exactly zero in exact arithmetic but computed in `dtype` by
    kernels whose summation order differs between devices (a GPU leaves ~1e-7 where the CPU leaves 0 in float32)."""
    return 100 * torch.finfo(dtype).eps


# ------------------------------------------------------------------------------------------------ training

def train_threads() -> int:
    """The fixed intra-op thread count of training and implanting on the CPU."""
    value = os.environ.get(TRAIN_THREADS_VARIABLE)
    if value is None:
        return DEFAULT_TRAIN_THREADS
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"{TRAIN_THREADS_VARIABLE}={value!r} is not a positive integer")
    return int(value)


@contextlib.contextmanager
def reproducible_training(device: torch.device):
    """Training at a fixed thread count (CPU) with torch's deterministic algorithms where it has them; the previous
    settings come back afterwards."""
    previous_deterministic = torch.are_deterministic_algorithms_enabled()
    threads = train_threads() if device.type == "cpu" else torch.get_num_threads()
    # warn_only: an op without a deterministic kernel warns instead of failing the run
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        with torch_threads(threads):
            yield
    finally:
        torch.use_deterministic_algorithms(previous_deterministic, warn_only=True)


# ------------------------------------------------------------------------------------------------- records

def library_versions() -> dict[str, str | None]:
    import transformers

    return {"torch": torch.__version__, "transformers": transformers.__version__, "vllm": _version_of("vllm"),
            "python": platform.python_version()}


def _version_of(package: str) -> str | None:
    import importlib.metadata

    for name in (package, f"{package}-cpu"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            return importlib.metadata.version(name)
    return None


def device_name(device: str) -> str:
    if device.startswith("cuda"):
        return torch.cuda.get_device_name(torch.device(device))
    name = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as info:
            name = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), name)
    return name


def cpu_capability() -> str:
    """The vector instruction set torch's CPU kernels use here (AVX2, AVX512, ...). Training at a fixed thread count
    is bit-reproducible on one kind of CPU, not across kinds: the kernels differ, and so do the rounded sums (an
    AMD EPYC and an Intel Xeon with AVX512 implant different SmolLM2 weights from the same data, seed, thread count
    and library versions). The model name alone does not tell the kernels apart: EPYC generations differ in them."""
    return torch.backends.cpu.get_cpu_capability()


def record(execution: Execution, backend: str) -> dict:
    """The `execution` block of a result: what actually ran, not what was asked for."""
    on_cpu = execution.device_type == "cpu"
    return {"device_type": execution.device_type, "device_name": device_name(execution.device),
            "cpu_capability": cpu_capability() if on_cpu else None,
            "dtype": execution.dtype, "backend": backend,
            "train_threads": train_threads() if on_cpu else None,
            "deterministic_algorithms": True, **library_versions()}


def peak_memory() -> dict[str, float | None]:
    """This process's peak resident memory and, where there is a GPU, torch's peak GPU allocation (MiB)."""
    import resource

    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    gpu = torch.cuda.max_memory_allocated() / 2**20 if torch.cuda.is_available() else None
    return {"rss_mib": round(rss_kib / 1024, 1), "gpu_allocated_mib": None if gpu is None else round(gpu, 1)}


def check_versions() -> None:
    """Refuse torch or transformers outside the tested ranges (one line), unless explicitly allowed."""
    if os.environ.get(ALLOW_UNTESTED_VARIABLE) == "1":
        return
    for package, installed in library_versions().items():
        if package not in TESTED_VERSIONS:
            continue
        floor, ceiling = TESTED_VERSIONS[package]
        if not _version_tuple(floor) <= _version_tuple(installed) < _version_tuple(ceiling):
            raise UsageError(f"{package} {installed} is outside the tested range >={floor},<{ceiling}; expected a "
                             f"tested version (or set {ALLOW_UNTESTED_VARIABLE}=1 to run anyway)")


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split("+")[0].split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)
