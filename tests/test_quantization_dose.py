"""scripts/quantization_dose.py: its settings, the share it reports and the weight error it prints, on hand-made
weights (the model runs are the script's job, not the suite's)."""

import importlib.util
import sys
from pathlib import Path

import pytest
import torch

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "quantization_dose.py"
spec = importlib.util.spec_from_file_location("quantization_dose", SCRIPT)
dose = importlib.util.module_from_spec(spec)
sys.modules["quantization_dose"] = dose  # dataclasses look their module up by name
spec.loader.exec_module(dose)


class TwoLayers(torch.nn.Module):
    """A body layer the probes quantize and an output head they leave in float."""

    def __init__(self, body: torch.Tensor, head: torch.Tensor):
        super().__init__()
        self.body = torch.nn.Linear(body.shape[1], body.shape[0], bias=False)
        self.head = torch.nn.Linear(head.shape[1], head.shape[0], bias=False)
        with torch.no_grad():
            self.body.weight.copy_(body)
            self.head.weight.copy_(head)

    def get_output_embeddings(self):
        return self.head


def test_group_size_zero_is_per_channel_and_labels_say_so():
    grid = dose.settings([4, 8], [32, 0])
    assert [(s.bits, s.group_size) for s in grid] == [(4, 32), (4, None), (8, 32), (8, None)]
    assert grid[0].label == "4-bit, groups of 32" and grid[1].label == "4-bit, per channel"


def test_weights_on_the_grid_have_no_error_and_the_head_is_left_out():
    on_grid = torch.tensor([[7.0, -7.0, 1.0, 0.0]])  # 4-bit per channel: scale 1, every value an integer <= 7
    off_grid = torch.tensor([[0.3, 9.9]])
    assert dose.relative_rms_error(TwoLayers(on_grid, off_grid), dose.Setting(4, None)) == 0.0
    # 3-bit per channel (qmax 3): scale 7/3, so 1.0 rounds to 0 and 7, -7 and 0 stay: error 1 of sqrt(99)
    assert dose.relative_rms_error(TwoLayers(on_grid, off_grid), dose.Setting(3, None)) == \
        pytest.approx((1 / 99) ** 0.5)


@pytest.mark.parametrize("after, control_after, expected", [
    (0.55, 1.0, 0.5),  # the unlearned model (0.1) moves half as far as the control does from it
    (1.0, 0.9, 1.125),  # beyond the control: above 1
    (0.1, 1.0, 0.0),  # nothing comes back
    (0.3, 0.12, None),  # the control within the gap (0.05) of the unlearned 0.1: no share
])
def test_share_against_the_control(after, control_after, expected):
    share = dose.recovered(after, 0.1, control_after, 0.05)
    assert share == (None if expected is None else pytest.approx(expected))


def test_bad_settings_are_one_line_and_exit_2(capsys):
    assert dose.main(["--task", "harmful", "--method", "ga", "--bits", "1"]) == 2
    assert dose.main(["--task", "harmful", "--method", "ga", "--group-sizes", "-4"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("expected bits >= 2 and group sizes >= 0" in line for line in err)
