"""Normal-split utility metrics on hand-made inputs with known answers."""

import math

import pytest
import torch

from unlearn_bench.metrics import (distinct_n, perplexity, similarity_bleu, similarity_rouge_l, unique_token_share,
                                   utility)


def test_similarity_is_full_for_identical_outputs_and_low_for_unrelated():
    originals = ["The capital of France is Paris.", "Two plus two is four."]
    assert similarity_bleu(originals, originals) == pytest.approx(100.0)
    assert similarity_rouge_l(originals, originals) == pytest.approx(1.0)
    unrelated = ["Bananas grow in warm climates.", "My cat sleeps all day long."]
    assert similarity_bleu(unrelated, originals) < 5.0
    assert similarity_rouge_l(unrelated, originals) < 0.2


def test_rouge_l_on_a_known_pair():
    # LCS of "a b c d" and "a c d e" is "a c d": P = R = 3/4, F1 = 0.75
    assert similarity_rouge_l(["a b c d"], ["a c d e"]) == pytest.approx(0.75)


def test_distinct_n_and_unique_token_share():
    assert distinct_n(["a b a b"], 1) == pytest.approx(2 / 4)
    assert distinct_n(["a b a b"], 2) == pytest.approx(2 / 3)  # ab, ba, ab
    assert distinct_n(["a b", "a b"], 1) == pytest.approx(2 / 4)  # counted across outputs
    assert distinct_n([], 1) == 0.0 and distinct_n(["one"], 2) == 0.0
    assert unique_token_share(["go go go go", "a b c d"]) == pytest.approx((1 / 4 + 1) / 2)
    assert unique_token_share(["", ""]) == 0.0


def test_utility_bundles_every_string_metric():
    values = utility(["x y z"], ["x y z"])
    assert set(values) == {"similarity_bleu", "similarity_rouge_l", "distinct_1", "distinct_2", "unique_token_share"}


def test_perplexity_matches_the_loss_of_the_outputs(tiny):
    tok = tiny.tokenizer
    prompts, outputs = ["Hello there", "A longer prompt with more words"], [" general", " kenobi and friends"]
    expected_nll, count = 0.0, 0
    for prompt, output in zip(prompts, outputs):
        prompt_ids = tok(prompt, add_special_tokens=False)["input_ids"]
        output_ids = tok(output, add_special_tokens=False)["input_ids"]
        ids = torch.tensor([prompt_ids + output_ids])
        labels = ids.clone()
        labels[:, : len(prompt_ids)] = -100
        with torch.no_grad():
            expected_nll += tiny.model(input_ids=ids, labels=labels).loss.item() * len(output_ids)
        count += len(output_ids)
    batched = perplexity(tiny.model, tok, prompts, outputs, batch_size=2)
    assert batched == pytest.approx(math.exp(expected_nll / count), rel=1e-4)
    assert perplexity(tiny.model, tok, ["x"], [""]) is None
