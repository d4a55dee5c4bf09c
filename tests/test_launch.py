"""Launcher configs: the shipped ones parse with accelerate's own loader and name their distributed type; a config
that cannot run on the machine is refused in one line before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from unlearn_bench import launch
from unlearn_bench.errors import UsageError
from unlearn_bench.launch import check_launch_config, read_launch_config

SHIPPED = Path(__file__).resolve().parent.parent / "configs" / "accelerate"
EXPECTED_TYPES = {"ddp.yaml": "MULTI_GPU", "fsdp.yaml": "FSDP", "deepspeed_zero3.yaml": "DEEPSPEED"}


def write(tmp_path, text: str, name: str = "launch.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def refused(path, gpus: int, *needles: str) -> str:
    with pytest.raises(UsageError) as error:
        check_launch_config(path, gpus=gpus)
    message = str(error.value)
    assert "\n" not in message and str(path) in message
    for needle in needles:
        assert needle in message, message
    return message


@pytest.mark.parametrize("name, expected", sorted(EXPECTED_TYPES.items()))
def test_each_shipped_config_parses_with_accelerates_loader(name, expected):
    from accelerate.commands.config.config_args import load_config_from_file

    config = load_config_from_file(str(SHIPPED / name))
    assert config.distributed_type.value == expected
    assert config.mixed_precision == "bf16" and not config.use_cpu and config.num_processes == 8


def test_every_shipped_config_is_listed_and_commented():
    assert sorted(p.name for p in SHIPPED.glob("*.yaml")) == sorted(EXPECTED_TYPES)
    for path in SHIPPED.glob("*.yaml"):
        assert path.read_text().startswith("#")


def test_the_shipped_settings_that_matter_for_sharding():
    fsdp = read_launch_config(SHIPPED / "fsdp.yaml").fsdp
    assert fsdp["fsdp_version"] == 2 and fsdp["fsdp_state_dict_type"] == "FULL_STATE_DICT"
    zero = read_launch_config(SHIPPED / "deepspeed_zero3.yaml").deepspeed
    assert zero["zero_stage"] == 3 and zero["gradient_clipping"] == 1.0


def test_shipped_gpu_configs_pass_on_a_node_with_enough_gpus(monkeypatch):
    monkeypatch.setattr(launch, "installed", lambda module: True)
    for name in EXPECTED_TYPES:
        assert check_launch_config(SHIPPED / name, gpus=8).num_processes == 8


def test_more_processes_than_visible_gpus_is_refused():
    refused(SHIPPED / "ddp.yaml", 0, "num_processes 8", "0 GPU(s) visible")
    refused(SHIPPED / "fsdp.yaml", 4, "num_processes 8", "4 GPU(s) visible")


def test_processes_are_counted_per_machine(tmp_path):
    path = write(tmp_path, "distributed_type: MULTI_GPU\nnum_processes: 16\nnum_machines: 2\n")
    assert check_launch_config(path, gpus=8).processes_per_machine == 8
    refused(path, 4, "8 per machine")


def test_deepspeed_without_deepspeed_installed_is_refused(monkeypatch):
    monkeypatch.setattr(launch, "installed", lambda module: module != "deepspeed")
    refused(SHIPPED / "deepspeed_zero3.yaml", 8, "deepspeed is not installed", "pip install deepspeed")


def test_a_missing_deepspeed_json_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(launch, "installed", lambda module: True)
    path = write(tmp_path, "distributed_type: DEEPSPEED\nnum_processes: 2\n"
                           f"deepspeed_config:\n  deepspeed_config_file: {tmp_path / 'ds.json'}\n")
    refused(path, 2, "ds.json", "not found")


def test_a_gpu_type_with_use_cpu_is_refused(tmp_path):
    path = write(tmp_path, "distributed_type: FSDP\nnum_processes: 2\nuse_cpu: true\n")
    refused(path, 2, "use_cpu: true", "torchrun")


def test_multi_cpu_on_one_machine_points_to_torchrun(tmp_path):
    path = write(tmp_path, "distributed_type: MULTI_CPU\nnum_processes: 2\nuse_cpu: true\n")
    refused(path, 0, "single process", "torchrun --nproc_per_node 2 -m unlearn_bench")


def test_a_single_process_config_passes_without_gpus(tmp_path):
    path = write(tmp_path, "distributed_type: 'NO'\nuse_cpu: true\n")
    plan = check_launch_config(path, gpus=0)
    assert (plan.distributed_type, plan.num_processes) == ("NO", 1)


@pytest.mark.parametrize("text, needle", [
    ("distributed_type: MULTI_GPU\n", "num_processes -1"),  # accelerate's default when the key is absent
    ("distributed_type: MULTI_GPU\nnum_processes: 0\n", "num_processes 0"),
    ("distributed_type: XLA\nnum_processes: 8\n", "expected one of: NO, MULTI_CPU"),
    ("distributed_type: WARP_DRIVE\n", "not a valid accelerate config"),
    ("num_processes: 2\n", "distributed_type"),
    ("distributed_type: MULTI_GPU\nnum_procs: 2\n", "num_procs"),
    ("distributed_type: [unclosed\n", "not a valid accelerate config"),
    ("", "not a valid accelerate config"),
])
def test_malformed_or_unsupported_configs_are_refused_in_one_line(tmp_path, text, needle):
    refused(write(tmp_path, text), 8, needle)


def test_json_configs_are_read_too(tmp_path):
    path = write(tmp_path, '{"distributed_type": "MULTI_GPU", "num_processes": 2}', name="launch.json")
    assert check_launch_config(path, gpus=2).distributed_type == "MULTI_GPU"


def test_a_missing_config_file_is_named(tmp_path):
    with pytest.raises(UsageError, match="launcher config not found: .*nope.yaml"):
        check_launch_config(tmp_path / "nope.yaml", gpus=0)
