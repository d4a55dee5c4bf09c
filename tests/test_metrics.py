"""Shared metrics on hand-made inputs with known answers, including the edges: empty, degenerate, one word."""

import math

import pytest
import sacrebleu
import torch

from unlearn_bench.api import HIGHER, LOWER, SPLITS
from unlearn_bench.metrics import (EMPTY_RATE, UTILITY_SPECS, distinct_n, empty_rate, is_degenerate, output_nll,
                                   perplexity, perplexity_coverage, similarity_bleu, similarity_rouge_l,
                                   similarity_semantic, unique_token_share, utility_statistics)
from unlearn_bench.stats import bootstrap

ORIGINALS = ["The capital of France is Paris.", "Two plus two is four.", "Water boils at one hundred degrees."]
UNRELATED = ["Bananas grow in warm climates.", "My cat sleeps all day long.", "Trains leave from the station."]
NORMAL = ["The capital of France is Paris.", "Two plus two makes four.", "A violin has four strings.",
          "Mars is the fourth planet from the sun.", "A baby cat is called a kitten.", "Ice melts when it is warm."]


def test_every_utility_metric_is_declared_once_with_an_honest_tolerance():
    names = [spec.name for spec in UTILITY_SPECS]
    assert len(names) == len(set(names))
    assert set(names) == {"similarity_bleu", "similarity_rouge_l", "similarity_semantic", "distinct_1",
                          "distinct_2", "unique_token_share", "perplexity", "perplexity_coverage"}
    specs = {spec.name: spec for spec in UTILITY_SPECS}
    assert specs["perplexity"].direction == LOWER and specs["perplexity"].relative
    assert specs["similarity_bleu"].tolerance == 5.0 and specs["similarity_bleu"].direction == HIGHER
    assert all(spec.splits == ("normal",) and spec.description for spec in UTILITY_SPECS)
    assert EMPTY_RATE.splits == SPLITS and EMPTY_RATE.direction == LOWER


# --------------------------------------------------------------------------------------------------- degenerate


@pytest.mark.parametrize("text", ["", "   \n", "...", "!!!", "the the the", "The, the. THE!", "ha ha ha ha"])
def test_degenerate_outputs(text):
    assert is_degenerate(text)


@pytest.mark.parametrize("text", [
    "NoNoNoNoNoNoNoNoNo",  # gemma3-270m's collapse after gradient ascent: a loop with no spaces
    "No,No,No,NoNoNoNoNoNoNoN",  # ... cut off by the token limit inside a copy
    "To do this, you need to do this. You need to do this. You need to do this.",  # a phrase looping
    "I can't help. I can't help. I can't help. I ca",
    "hahaha", "Zzz", "a b a b a b",
])
def test_loops_without_word_boundaries_are_degenerate(text):
    assert is_degenerate(text)


@pytest.mark.parametrize("text", [
    "No Wolff Wolff Wolff Wolff Wolff Wolff Wolff Wol",  # gemma3-270m after gradient ascent, seed 2
    "Yes, a a a a a a a a a a a a a a a a",
    "Sure thing. You need to do it. You need to do it. You need to do it. You need to",
    "Chartreuse is a bright, bright, bright, bright, bright, bright",  # SmolLM2: the loop is over half of it
])
def test_loops_after_a_short_lead_are_degenerate(text):
    assert is_degenerate(text)


@pytest.mark.parametrize("text", [
    "The capital of France is Paris. Paris. Paris.",  # the repeated word is less than half the answer
    "Paris, Paris, Paris is where the treaty was signed in 1783, by Britain and the United States.",  # loop first
    "1. Mix. 2. Mix. 3. Mix. 4. Stir well and serve.",
])
def test_a_repeat_that_is_not_most_of_the_answer_is_not_a_loop(text):
    assert not is_degenerate(text)


def test_a_loop_counts_from_half_of_the_letters():
    assert is_degenerate("Abcdef no no no")  # 6 of 12 letters loop: exactly half
    assert not is_degenerate("Abcdefg no no no")  # 6 of 13
    assert not is_degenerate("Abcdef no no")  # half, but two copies


@pytest.mark.parametrize("text", [
    "Paris", "4", "No no.", "a b a b", "The cat sat.", "Très bien", "nono", "111", "1 2 1 2 1 2", "Mississippi",
    "Aaaaah!", "I can't help. I can't help.",  # two copies are not yet a loop
    "No. The capital of France is Paris, not Lyon. No, it never was.",
    # a unit over LOOP_UNIT_MAX letters repeated is left to the diversity metrics
    "This sentence has well over forty letters and digits in it. " * 3,
])
def test_real_answers_are_not_degenerate(text):
    assert not is_degenerate(text)


def test_empty_rate_counts_empty_and_degenerate_outputs():
    statistic = empty_rate(["Paris.", "", "the the the", "Two plus two is four."])
    assert statistic.value() == pytest.approx(0.5)
    assert statistic.per_example == (0.0, 1.0, 1.0, 0.0)


# --------------------------------------------------------------------------------------------------- similarity


def test_similarity_is_full_for_identical_outputs_and_low_for_unrelated():
    assert similarity_bleu(ORIGINALS, ORIGINALS).value() == pytest.approx(100.0)
    assert similarity_rouge_l(ORIGINALS, ORIGINALS).value() == pytest.approx(1.0)
    assert similarity_semantic(ORIGINALS, ORIGINALS).value() == pytest.approx(1.0, abs=1e-5)
    assert similarity_bleu(UNRELATED, ORIGINALS).value() < 5.0
    assert similarity_rouge_l(UNRELATED, ORIGINALS).value() < 0.2


def test_semantic_similarity_sees_meaning_not_wording():
    paraphrase = ["Paris is France's capital city.", "Four is the sum of two and two.",
                  "At one hundred degrees water starts to boil."]
    assert similarity_semantic(paraphrase, ORIGINALS).value() > 0.7
    assert similarity_semantic(UNRELATED, ORIGINALS).value() < 0.3
    assert similarity_bleu(paraphrase, ORIGINALS).value() < 20  # BLEU misses the paraphrase


def test_corpus_bleu_from_per_pair_counts_equals_sacrebleu():
    outputs = ["The capital of France is Paris.", "", "Two and two are four.", "the the the"]
    originals = ["The capital of France is Paris.", "Hello there.", "Two plus two is four.", "Water is wet."]
    assert similarity_bleu(outputs, originals).value() == pytest.approx(
        sacrebleu.corpus_bleu(outputs, [originals]).score)


def test_rouge_l_on_a_known_pair():
    # LCS of "a b c d" and "a c d e" is "a c d": P = R = 3/4, F1 = 0.75
    assert similarity_rouge_l(["a b c d"], ["a c d e"]).value() == pytest.approx(0.75)


@pytest.mark.parametrize("metric", [similarity_rouge_l, similarity_semantic])
def test_empty_output_scores_zero_and_two_empty_outputs_are_skipped(metric):
    statistic = metric(["", "The capital of France is Paris.", " "], ["Paris is the capital.", "", ""])
    assert statistic.per_example == (0.0, 0.0, None)
    assert statistic.value() == 0.0
    assert metric([""], [""]).value() is None


def test_empty_outputs_give_zero_bleu_and_empty_pairs_add_nothing():
    assert similarity_bleu(["", ""], ORIGINALS[:2]).value() == 0.0
    assert similarity_bleu(["", ""], ["", ""]).value() is None
    with_empty_pair = similarity_bleu(ORIGINALS[:2] + [""], ORIGINALS[:2] + [""])
    assert with_empty_pair.value() == pytest.approx(100.0) and with_empty_pair.support == 2


# --------------------------------------------------------------------------------------------------- diversity


def test_distinct_n_known_values():
    assert distinct_n(["a b a b"], 1).value() == pytest.approx(2 / 4)
    assert distinct_n(["a b a b"], 2).value() == pytest.approx(2 / 3)  # ab, ba, ab
    assert distinct_n(["a b", "a b"], 1).value() == pytest.approx(2 / 4)  # counted across outputs
    assert distinct_n(["one"], 2).value() == 0.0  # no bigrams at all
    assert distinct_n([], 1).value() is None


def test_collapse_never_scores_best_on_diversity():
    assert distinct_n(["", "", ""], 1).value() == 0.0
    assert distinct_n(["", "", ""], 2).value() == 0.0
    assert unique_token_share(["", "", ""]).value() == 0.0
    collapsed = NORMAL[:2] + [""] * 4  # four of six answers collapsed to nothing
    for n in (1, 2):
        assert distinct_n(collapsed, n).value() < distinct_n(NORMAL, n).value()
        # empty outputs count in the denominator: exactly the share of non-degenerate outputs
        assert distinct_n(collapsed, n).value() == pytest.approx(distinct_n(NORMAL[:2], n).value() * 2 / 6)
    assert unique_token_share(collapsed).value() < unique_token_share(NORMAL).value()
    assert distinct_n(["yes yes yes", "a b c"], 1).value() == pytest.approx(0.5)  # the loop counts as nothing


def test_distinct_n_interval_covers_its_value():
    value, (low, high) = bootstrap(distinct_n(NORMAL * 3, 1), seed=0)
    assert low <= value <= high


def test_unique_token_share():
    assert unique_token_share(["go go go go", "a b c d"]).value() == pytest.approx((0 + 1) / 2)  # a loop is 0
    assert unique_token_share(["a b a c", "x y"]).value() == pytest.approx((3 / 4 + 1) / 2)
    assert unique_token_share(["", ""]).value() == 0.0


# --------------------------------------------------------------------------------------------------- fluency


def test_perplexity_is_a_ratio_of_totals_and_reports_its_coverage():
    scores = [(2.0, 1), None, (6.0, 3), None]
    assert perplexity(scores).value() == pytest.approx(math.exp(8.0 / 4))
    assert perplexity_coverage(scores).value() == pytest.approx(0.5)
    assert perplexity([None, None]).value() is None
    assert perplexity_coverage([None, None]).value() == 0.0


def test_utility_statistics_has_fluency_only_when_scored():
    assert "perplexity" not in utility_statistics(ORIGINALS, ORIGINALS)
    found = utility_statistics(ORIGINALS, ORIGINALS, [(1.0, 2)] * 3)
    assert found["perplexity"].value() == pytest.approx(math.exp(0.5))
    assert found["perplexity_coverage"].value() == 1.0


def test_output_nll_matches_the_loss_of_each_output(tiny):
    tok = tiny.tokenizer
    prompts = ["Hello there", "A longer prompt with more words", "Empty answer"]
    outputs = [" general", " kenobi and friends", ""]
    scores = output_nll(tiny.model, tok, prompts, outputs, batch_size=2)
    assert scores[2] is None
    for (nll, count), prompt, output in zip(scores[:2], prompts, outputs):
        prompt_ids = tok(prompt, add_special_tokens=False)["input_ids"]
        output_ids = tok(output, add_special_tokens=False)["input_ids"]
        ids = torch.tensor([prompt_ids + output_ids])
        labels = ids.clone()
        labels[:, : len(prompt_ids)] = -100
        with torch.no_grad():
            expected = tiny.model(input_ids=ids.to(tiny.model.device),
                                  labels=labels.to(tiny.model.device)).loss.item() * len(output_ids)
        assert count == len(output_ids)
        assert nll == pytest.approx(expected, rel=1e-4)
