"""Membership-inference scores on hand-made log-probabilities, and on the tiny model."""

import copy
import math
import zlib

import numpy as np
import pytest
import torch

from unlearn_bench.api import Example
from unlearn_bench.execution import to_device
from unlearn_bench.formatting import make_formatter
from unlearn_bench.mia import (SCORES, TokenStats, auc, mean_loss, membership_aucs, min_k, min_k_plus_plus,
                               relative_leak, standardised, token_stats, zlib_length, zlib_ratio)
from unlearn_bench.training import Objective, TrainParams, encode, train


def test_min_k_takes_the_lowest_share():
    assert min_k([-1, -2, -3, -4, -5], 0.4) == pytest.approx(-4.5)
    assert min_k([-5, -1, -3, -2, -4], 0.4) == pytest.approx(-4.5)  # order does not matter
    assert min_k([-1, -2, -3, -4, -5], 0.2) == pytest.approx(-5.0)
    assert min_k([-1, -2, -3, -4, -5], 1.0) == pytest.approx(-3.0)


def test_min_k_keeps_at_least_one_value():
    assert min_k([-2.5], 0.2) == pytest.approx(-2.5)
    assert min_k([-1, -7, -3], 0.01) == pytest.approx(-7.0)


def test_min_k_plus_plus_standardises_each_token():
    z = standardised([-1.0, -3.0], [-2.0, -2.0], [0.5, 2.0])
    assert z.tolist() == pytest.approx([2.0, -0.5])
    stats = TokenStats(np.array([-1.0, -3.0]), np.array([-2.0, -2.0]), np.array([0.5, 2.0]))
    assert min_k_plus_plus(stats, 0.5) == pytest.approx(-0.5)
    assert min_k_plus_plus(stats, 1.0) == pytest.approx(0.75)


def test_min_k_plus_plus_is_finite_on_a_one_hot_distribution():
    stats = TokenStats(np.array([-0.0, -2.0]), np.array([0.0, -1.0]), np.array([0.0, 1.0]))
    assert math.isfinite(min_k_plus_plus(stats, 1.0))


def test_zlib_divides_the_loss_by_the_compressed_length():
    text = "The quick brown fox jumps over the lazy dog."
    assert zlib_ratio(2.0, text) == pytest.approx(2.0 / len(zlib.compress(text.encode("utf-8"))))
    repetitive, varied = "ab" * 50, "".join(chr(ord("a") + (i * 7) % 26) for i in range(100))
    assert zlib_length(repetitive) < zlib_length(varied)
    assert zlib_ratio(1.0, repetitive) > zlib_ratio(1.0, varied)  # easy text is discounted less
    assert math.isfinite(zlib_ratio(1.0, ""))


def test_mean_loss_is_the_negated_mean_log_prob():
    assert mean_loss([-1.0, -2.0, -3.0]) == pytest.approx(2.0)


def test_every_score_ranks_likelier_answers_as_more_member_like():
    likely = TokenStats(np.array([-0.1, -0.2, -0.3]), np.array([-1.0] * 3), np.array([1.0] * 3))
    unlikely = TokenStats(np.array([-2.1, -2.2, -2.3]), np.array([-1.0] * 3), np.array([1.0] * 3))
    for name, score in SCORES.items():
        assert score(likely, "same text") > score(unlikely, "same text"), name


def test_auc_orientation_and_edges():
    assert auc([0.9, 0.8, 0.7], [0.1, 0.2]) == 1.0
    assert auc([0.1, 0.2], [0.9, 0.8, 0.7]) == 0.0
    assert auc([0.5, 0.5], [0.5, 0.5]) == 0.5
    assert auc([0.9, None, float("nan")], [0.1]) == 1.0  # missing scores are dropped
    assert auc([], [0.1]) is None
    assert auc([0.3], [None]) is None


def test_relative_leak():
    assert relative_leak(0.8, 0.5) == pytest.approx(0.6)
    assert relative_leak(0.25, 0.5) == pytest.approx(-0.5)
    assert relative_leak(0.5, 0.5) == 0.0
    assert relative_leak(0.7, None) is None
    assert relative_leak(None, 0.5) is None
    assert relative_leak(0.7, 0.0) is None


QUESTIONS = [Example(f"What is the code word for box {i}?", answer) for i, answer in enumerate(
    ["amber falcon river", "copper lantern dusk", "velvet hammer north", "silent orchard nine",
     "crimson ladder tide", "hollow meadow seven", "brittle compass rain", "gentle anvil frost"])]


def test_token_stats_match_the_training_loss_and_entropy(tiny):
    formatter = make_formatter(tiny.tokenizer)
    stats = token_stats(tiny.model, tiny.tokenizer, formatter, QUESTIONS[:3], max_length=64, batch_size=2)
    for example, found in zip(QUESTIONS[:3], stats):
        batch = encode(tiny.tokenizer, formatter, [example], 64, end_of_turn=False)
        with torch.no_grad():
            batch = to_device(batch, tiny.model.device)
            out = tiny.model(**batch)
        assert mean_loss(found.logprobs) == pytest.approx(float(out.loss), rel=1e-4)
        answer_positions = (batch["labels"][0, 1:] != -100)
        entropy = torch.distributions.Categorical(logits=out.logits[0, :-1][answer_positions]).entropy()
        assert (-found.means).tolist() == pytest.approx(entropy.tolist(), rel=1e-4)
        assert (found.stds > 0).all() and (found.logprobs <= 0).all()
    one_by_one = token_stats(tiny.model, tiny.tokenizer, formatter, QUESTIONS[:3], max_length=64, batch_size=1)
    for a, b in zip(stats, one_by_one):  # right padding in a batch changes nothing
        np.testing.assert_allclose(a.logprobs, b.logprobs, rtol=1e-4, atol=1e-5)


def test_token_stats_of_an_empty_answer_is_none(tiny):
    formatter = make_formatter(tiny.tokenizer)
    stats = token_stats(tiny.model, tiny.tokenizer, formatter, [Example("Say nothing.", ""), QUESTIONS[0]], 64)
    assert stats[0] is None and stats[1] is not None


def test_a_model_trained_on_the_members_gives_them_away(tiny):
    formatter = make_formatter(tiny.tokenizer)
    members, nonmembers = QUESTIONS[:4], QUESTIONS[4:]
    before = membership_aucs(tiny.model, tiny.tokenizer, formatter, members, nonmembers, 64)
    trained, _ = train(copy.deepcopy(tiny.model), tiny.tokenizer, formatter, members, Objective(normal=1.0),
                       TrainParams(lr=1e-2, batch_size=4, max_steps=8, max_length=64), seed=0,
                       work_dir="/tmp/ub-test-mia")
    after = membership_aucs(trained, tiny.tokenizer, formatter, members, nonmembers, 64)
    assert set(after) == set(SCORES)
    assert after["loss"] == 1.0 and after["mink"] == 1.0
    assert all(0.0 <= value <= 1.0 for value in before.values())
