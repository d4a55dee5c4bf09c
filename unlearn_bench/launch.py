"""Checks an `accelerate launch` config file before a run, so a configuration that cannot run fails in one line
instead of minutes later inside a launcher (or, worse, runs as one plain process without saying so).

The file is read with accelerate's own config loader, so whatever accelerate itself refuses is refused here with
its reason. Then each check in `CHECKS` looks at one way the launch would go wrong on this machine. The shipped
configs live in configs/accelerate/ (DDP, FSDP, DeepSpeed ZeRO-3); the README says which fits which model size.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import UsageError

GPU_TYPES = ("MULTI_GPU", "FSDP", "DEEPSPEED")  # accelerate launches these with one process per GPU
SUPPORTED_TYPES = ("NO", "MULTI_CPU", *GPU_TYPES)
TORCHRUN_HINT = "torchrun --nproc_per_node N -m unlearn_bench run ..."


@dataclass(frozen=True)
class LaunchPlan:
    """What a launcher config asks for, in the terms the checks need."""

    path: str
    distributed_type: str
    num_processes: int
    num_machines: int = 1
    use_cpu: bool = False
    mixed_precision: str = "no"
    deepspeed: dict = field(default_factory=dict)
    fsdp: dict = field(default_factory=dict)
    mpirun: dict = field(default_factory=dict)

    @property
    def processes_per_machine(self) -> int:
        return max(1, self.num_processes // max(1, self.num_machines))


def read_launch_config(path: str | Path) -> LaunchPlan:
    """Parse a launcher config (YAML or JSON) with accelerate's loader; anything it refuses is a UsageError."""
    from accelerate.commands.config.config_args import ClusterConfig, load_config_from_file

    file = Path(path)
    if not file.is_file():
        raise UsageError(f"launcher config not found: {str(path)!r}; expected an accelerate config file (YAML or "
                         "JSON), e.g. configs/accelerate/ddp.yaml")
    try:
        config = load_config_from_file(str(file))
    except Exception as error:  # yaml/json syntax, unknown keys, a bad enum value: accelerate's own reasons
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise UsageError(f"launcher config {str(path)!r} is not a valid accelerate config: {reason}") from None
    if not isinstance(config, ClusterConfig):
        raise UsageError(f"launcher config {str(path)!r} targets {config.compute_environment.value}; expected "
                         "compute_environment: LOCAL_MACHINE")
    return LaunchPlan(path=str(path), distributed_type=config.distributed_type.value,
                      num_processes=config.num_processes, num_machines=config.num_machines,
                      use_cpu=bool(config.use_cpu), mixed_precision=str(config.mixed_precision or "no"),
                      deepspeed=dict(config.deepspeed_config), fsdp=dict(config.fsdp_config),
                      mpirun=dict(config.mpirun_config))


def visible_gpus() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


# Each check returns why the launch cannot run as configured, or None. `gpus` is the number of visible GPUs.
Check = Callable[[LaunchPlan, int], "str | None"]


def _known_type(plan: LaunchPlan, gpus: int) -> str | None:
    if plan.distributed_type not in SUPPORTED_TYPES:
        return f"distributed_type {plan.distributed_type!r}; expected one of: {', '.join(SUPPORTED_TYPES)}"
    return None


def _positive_processes(plan: LaunchPlan, gpus: int) -> str | None:
    if plan.num_processes < 1 or plan.num_machines < 1:
        return (f"num_processes {plan.num_processes} on num_machines {plan.num_machines}; expected both >= 1 "
                "(accelerate needs num_processes written in the file for a distributed type)")
    return None


def _gpu_type_on_cpu(plan: LaunchPlan, gpus: int) -> str | None:
    if plan.distributed_type in GPU_TYPES and plan.use_cpu:
        return (f"distributed_type {plan.distributed_type} with use_cpu: true; accelerate would start one plain CPU "
                f"process; expected use_cpu: false on GPUs, or {TORCHRUN_HINT} on CPUs")
    return None


def _enough_gpus(plan: LaunchPlan, gpus: int) -> str | None:
    if plan.distributed_type in GPU_TYPES and not plan.use_cpu and plan.processes_per_machine > gpus:
        return (f"num_processes {plan.num_processes} ({plan.processes_per_machine} per machine) but {gpus} GPU(s) "
                f"visible; expected at most one process per visible GPU")
    return None


def _deepspeed_ready(plan: LaunchPlan, gpus: int) -> str | None:
    if plan.distributed_type != "DEEPSPEED":
        return None
    if not installed("deepspeed"):
        return "distributed_type DEEPSPEED but deepspeed is not installed; expected `pip install deepspeed`"
    extra = plan.deepspeed.get("deepspeed_config_file")
    if extra and extra != "none" and not Path(extra).is_file():
        return f"deepspeed_config_file {extra!r} not found; expected an existing DeepSpeed JSON file"
    return None


def _multi_cpu_launches(plan: LaunchPlan, gpus: int) -> str | None:
    # accelerate 1.x hands a one-machine MULTI_CPU config to its simple launcher (one process) unless mpirun is set.
    if plan.distributed_type == "MULTI_CPU" and plan.num_processes > 1 and plan.num_machines == 1 \
            and not plan.mpirun:
        return (f"MULTI_CPU with num_processes {plan.num_processes} on one machine starts a single process under "
                f"accelerate launch; expected {TORCHRUN_HINT.replace('N', str(plan.num_processes))}")
    return None


CHECKS: tuple[Check, ...] = (_known_type, _positive_processes, _gpu_type_on_cpu, _enough_gpus, _deepspeed_ready,
                             _multi_cpu_launches)


def check_launch_config(path: str | Path, gpus: int | None = None) -> LaunchPlan:
    """The config's plan if it can run here (`gpus`: visible GPUs, counted when None); else a one-line UsageError
    naming the file, the bad value and what was expected."""
    plan = read_launch_config(path)
    gpus = visible_gpus() if gpus is None else gpus
    for check in CHECKS:
        problem = check(plan, gpus)
        if problem:
            raise UsageError(f"launcher config {plan.path!r}: {problem}")
    return plan
