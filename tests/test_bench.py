"""The bench's arithmetic on hand-made numbers (the measurements themselves are figures, not tested)."""

import pytest
import torch

from unlearn_bench.bench import (decode_ceiling, forward_flops_per_token, linear_weights, matmul_flops, op_group,
                                 share_of_peak, time_split, tokens_per_s, train_flops)


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


def test_profiler_events_fall_into_their_groups():
    assert op_group("aten::addmm") == "matmul" and op_group("aten::mm") == "matmul"
    assert op_group("aten::_scaled_dot_product_flash_attention_for_cpu") == "attention"
    assert op_group("aten::cat") == "copies" and op_group("aten::copy_") == "copies"
    assert op_group("aten::rsqrt") == "elementwise+norm"
    assert op_group("aten::some_new_op") == "other ops" and op_group("") == "other ops"


def test_time_split_shares_and_the_time_outside_ops():
    split = time_split({"aten::addmm": 6.0, "aten::mm": 1.0, "aten::cat": 1.0, "aten::foo": 0.5}, 10.0)
    assert split["matmul"] == pytest.approx(0.7)
    assert split["copies"] == pytest.approx(0.1)
    assert split["other ops"] == pytest.approx(0.05)
    assert split["attention"] == 0.0
    assert split["outside ops"] == pytest.approx(0.15)
    assert sum(split.values()) == pytest.approx(1.0)


def test_time_split_edges():
    assert time_split({}, 0.0) == {}  # nothing timed: no shares
    assert time_split({}, 2.0)["outside ops"] == 1.0  # no ops recorded: all of it is outside
    over = time_split({"aten::mm": 3.0}, 2.0)  # profiler self times can exceed a short wall time
    assert over["outside ops"] == 0.0 and over["matmul"] == pytest.approx(1.5)


def test_decode_ceiling_times_every_linear_layer_once_per_step():
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))
    ceiling = decode_ceiling(model, batch=3, repeats=2)
    assert ceiling["batch"] == 3 and ceiling["matmul_s_per_step"] > 0
    assert ceiling["tokens_per_s"] == pytest.approx(3 / ceiling["matmul_s_per_step"], abs=0.1)


def test_where_time_goes_on_the_tiny_model(tiny, capsys):
    from unlearn_bench.bench import Rows, forward_flops_per_token, where_time_goes
    from unlearn_bench.generation import GenerationSettings

    rows = Rows(tiny.tokenizer, forward_flops_per_token(linear_weights(tiny.model)), peak=1e10)
    prompts = ["Question: what is the capital of France?\nAnswer:", "Tell me a story.", "Hi"]
    figures = where_time_goes(tiny.model, tiny.tokenizer, prompts, GenerationSettings(max_new_tokens=5), 2, rows)
    split = figures["hf_time_split"]
    assert split["prompts"] == 2  # one batch
    assert sum(split["shares"].values()) == pytest.approx(1.0, abs=0.01)
    assert split["shares"]["matmul"] > 0  # a forward pass multiplies matrices
    assert figures["decode_ceiling"]["tokens_per_s"] > 0
    assert "time split" in capsys.readouterr().out


def test_summary_names_the_ceiling_and_the_largest_share(capsys):
    from unlearn_bench.bench import print_summary

    rows = [{"name": "hf-before", "tokens_per_s": 100.0}, {"name": "hf", "tokens_per_s": 150.0}]
    where = {"decode_ceiling": {"tokens_per_s": 300.0}, "hf_time_split": {"shares": {"matmul": 0.5, "copies": 0.2}}}
    print_summary({"generation": rows, "where_time_goes": where})
    out = capsys.readouterr().out
    assert "1.50x hf-before" in out and "150.0 of the 300.0 tok/s" in out and "(50%)" in out and "matmul (50%)" in out
    print_summary({"generation": rows, "where_time_goes": {**where, "decode_ceiling": {"tokens_per_s": 0.0}}})
    assert "matmuls alone" not in capsys.readouterr().out  # no ceiling measured: no ratio
