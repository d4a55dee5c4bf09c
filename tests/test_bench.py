"""The bench's arithmetic on hand-made numbers (the measurements themselves are figures, not tested)."""

import pytest
import torch

from unlearn_bench.bench import (forward_flops_per_token, linear_weights, matmul_flops, share_of_peak, tokens_per_s,
                                 train_flops)


def test_linear_weights_count_matmul_weights_only():
    model = torch.nn.Sequential(torch.nn.Embedding(10, 4), torch.nn.Linear(4, 3), torch.nn.ReLU(),
                                torch.nn.Linear(3, 2, bias=False), torch.nn.LayerNorm(2))
    assert linear_weights(model) == 4 * 3 + 3 * 2  # no embedding, bias or norm weights


def test_a_tied_head_counts_as_a_matmul():
    embed = torch.nn.Embedding(7, 5)
    head = torch.nn.Linear(5, 7, bias=False)
    head.weight = embed.weight
    assert linear_weights(torch.nn.ModuleList([embed, head])) == 35


def test_linear_weights_of_a_model_without_linear_layers():
    assert linear_weights(torch.nn.Sequential(torch.nn.ReLU())) == 0


def test_flop_arithmetic():
    assert forward_flops_per_token(10) == 20
    assert train_flops(10, 5) == 300  # 6 x weights x tokens
    assert train_flops(10, 0) == 0
    assert matmul_flops(2) == 16 and matmul_flops(2, repeats=3) == 48


def test_share_of_peak():
    assert share_of_peak(50e9, 100e9) == pytest.approx(0.5)
    assert share_of_peak(0.0, 100e9) == 0.0
    assert share_of_peak(50e9, 0.0) is None  # no peak measured: no share


def test_tokens_per_s():
    assert tokens_per_s(100, 4.0) == 25.0
    assert tokens_per_s(100, 0.0) == 0.0
    assert tokens_per_s(0, 2.0) == 0.0


def test_the_ideal_rate_of_a_135m_model_at_157_gflops():
    # the figure in the brief: ~157 GFLOP/s and 2 x 135M FLOPs per token allow ~580 tokens/s
    rate = 157e9 / forward_flops_per_token(135_000_000)
    assert 570 < rate < 590
    assert share_of_peak(92.6 * forward_flops_per_token(135_000_000), 157e9) == pytest.approx(0.159, abs=0.001)
