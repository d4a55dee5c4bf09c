"""The copyright task: the generated book, its passages and splits, the paper tier's book file, max-overlap BLEU."""

from __future__ import annotations

import math

import pytest

from unlearn_bench.api import LOWER, MetricSpec
from unlearn_bench.tasks.copyright import (
    Copyright,
    continuation_words,
    cut_passages,
    generate_book,
    max_overlap_bleu,
    play_text,
)
from unlearn_bench.errors import UsageError
from unlearn_bench.registry import TASKS


@pytest.fixture()
def task():
    return Copyright()


def _splits(task, tier="mini", **overrides):
    return task.build_splits(tier, task.options(tier, {k: str(v) for k, v in overrides.items()}))


def test_registered_with_declared_metrics():
    assert TASKS.get("copyright") is Copyright
    assert all(isinstance(spec, MetricSpec) and spec.direction == LOWER for spec in Copyright.metrics)
    assert [spec.name for spec in Copyright.metrics] == ["leakage_bleu", "leakage_rate"]
    assert Copyright().primary_metric == "leakage_bleu"


@pytest.mark.parametrize("tier, tokens", [("tiny", 32), ("mini", 96), ("paper", 200)])
def test_generation_budget_follows_the_tier(task, tier, tokens):
    assert task.generation_tokens(task.options(tier, {})) == tokens
    assert task.generation_tokens(task.options(tier, {"max_new_tokens": "50"})) == 50


def test_book_is_deterministic_per_seed():
    assert generate_book(0, 500) == generate_book(0, 500)
    assert generate_book(0, 500) != generate_book(1, 500)
    assert len(generate_book(3, 500).split()) >= 500


def test_passages_reassemble_the_text():
    text = " ".join(f"w{i}" for i in range(100))
    passages = cut_passages(text, prompt_words=5, answer_words=10, slack_words=3)
    assert len(passages) == 100 // 18
    first, second = passages[:2]
    assert first.prompt == "w0 w1 w2 w3 w4"
    assert first.answer == " " + " ".join(f"w{i}" for i in range(5, 15))
    assert first.meta["reference"] == " ".join(f"w{i}" for i in range(5, 18))
    assert second.prompt.startswith("w18 ")
    assert first.style == "raw"


def test_mini_splits_sizes_disjoint_and_deterministic(task):
    splits = _splits(task)
    assert (len(splits.forget), len(splits.unseen), len(splits.normal)) == (24, 24, 50)
    assert splits == _splits(task)
    forget = {e.meta["passage"] for e in splits.forget}
    unseen = {e.meta["passage"] for e in splits.unseen}
    assert not forget & unseen
    assert all(len(e.prompt.split()) == 32 for e in splits.forget)
    assert all(len(e.meta["reference"].split()) > len(e.answer.split()) for e in splits.forget)
    # the whole book (forget and unseen) and extra normal examples are implanted, never the evaluated normal set
    implant_prompts = {e.prompt for e in splits.implant}
    assert {e.prompt for e in splits.forget + splits.unseen} <= implant_prompts
    assert not {e.prompt for e in splits.normal} & implant_prompts
    assert len(splits.implant) == 24 + 24 + 8 + 8  # forget, unseen, implant-only normal, relearn
    relearn = {e.meta["passage"] for e in splits.relearn}
    holdout = {e.meta["passage"] for e in splits.holdout}
    assert (len(relearn), len(holdout)) == (8, 24)
    assert not (forget | unseen) & (relearn | holdout) and not relearn & holdout
    assert relearn <= {e.meta["passage"] for e in splits.implant if "passage" in e.meta}
    assert not holdout & {e.meta["passage"] for e in splits.implant if "passage" in e.meta}


def test_adding_relearn_and_holdout_keeps_forget_and_unseen_of_a_fixed_book(task):
    bare, full = _splits(task, book="shakespeare", n_relearn=0, n_holdout=0), _splits(task, book="shakespeare")
    assert (bare.forget, bare.unseen) == (full.forget, full.unseen)


def test_split_seed_changes_the_split(task):
    a, b = _splits(task, split_seed=0), _splits(task, split_seed=1)
    assert [e.prompt for e in a.forget] != [e.prompt for e in b.forget]


def test_overrides_and_tiny(task):
    assert len(_splits(task, n_forget=3).forget) == 3
    tiny = _splits(task, tier="tiny")
    assert len(tiny.forget) == 2 and len(tiny.unseen) == 2
    assert not _splits(task, implant=False).implant


def test_unknown_option_is_a_usage_error(task):
    with pytest.raises(UsageError, match="unknown task copyright option 'n_forgets'"):
        task.options("mini", {"n_forgets": "3"})


def test_too_many_passages_is_a_usage_error(task, tmp_path):
    book = tmp_path / "short.txt"
    book.write_text(" ".join(["word"] * 600), encoding="utf-8")
    with pytest.raises(UsageError, match="passages"):
        task.build_splits("paper", task.options("paper", {"book_path": str(book)}))


def test_paper_tier_needs_a_book(task, tmp_path):
    with pytest.raises(UsageError, match="book_path"):
        task.build_splits("paper", task.options("paper", {}))
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(UsageError, match="nowhere.txt"):
        task.build_splits("paper", task.options("paper", {"book_path": str(missing)}))


def test_paper_tier_cuts_the_user_book(task, tmp_path, monkeypatch):
    import datasets

    from unlearn_bench.tasks import _common

    rows = [{"question": f"Question {i}?", "best_answer": f"Answer {i}."} for i in range(20)]
    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: rows)
    _common._truthfulqa_pairs.cache_clear()
    book = tmp_path / "book.txt"
    book.write_text(generate_book(7, 2000), encoding="utf-8")
    try:
        options = task.options("paper", {"book_path": str(book), "n_forget": "2", "n_unseen": "2",
                                         "n_normal": "3", "n_unrelated": "3", "n_implant_normal": "2",
                                         "n_relearn": "1", "n_holdout": "1"})
        splits = task.build_splits("paper", options)
    finally:
        _common._truthfulqa_pairs.cache_clear()
    assert len(splits.forget) == 2 and splits.forget[0].prompt in book.read_text()
    assert [e.meta["source"] for e in splits.normal] == ["truthfulqa"] * 3


@pytest.mark.parametrize("tier, overrides", [("mini", {}), ("tiny", {}), ("mini", {"book": "shakespeare"}),
                                             ("mini", {"answer_words": 140, "max_new_tokens": 200})])  # as the paper
def test_answers_cover_the_budget_and_a_verbatim_copy_fills_its_window(task, tokenizer, tier, overrides):
    """Each answer holds at least max_new_tokens tokens (a memorising model never runs out of text), and the
    expected continuation fits in max_new_tokens tokens (a verbatim copy is never shorter than its window)."""
    options = task.options(tier, {k: str(v) for k, v in overrides.items()})
    splits = task.build_splits(tier, options)
    expected = continuation_words(options)
    examples = splits.forget + splits.unseen
    answers = [len(tokenizer(e.answer, add_special_tokens=False)["input_ids"]) for e in examples]
    windows = [len(tokenizer(" " + " ".join(e.answer.split()[:expected]), add_special_tokens=False)["input_ids"])
               for e in examples]
    assert min(answers) >= options.max_new_tokens >= max(windows)
    full = [len(tokenizer(e.prompt + e.answer)["input_ids"]) for e in examples]
    assert max(full) <= Copyright.implant_params.max_length


def test_bleu_identical_is_100():
    text = generate_book(2, 150)
    assert max_overlap_bleu(text, text, expected_words=48) == pytest.approx(100.0)


def test_bleu_shifted_copy_found_by_windows():
    reference = " ".join(generate_book(2, 200).split()[:200])
    shifted = " ".join(reference.split()[38:138])  # the model skipped 38 words of the original
    assert max_overlap_bleu(shifted, reference, 48, stride=4, slack=40) > 95
    # without window search the misalignment costs a lot
    assert max_overlap_bleu(shifted, reference, 48, stride=4, slack=0) < 70


REFERENCE = " ".join(generate_book(5, 120).split()[:100])


def test_short_outputs_are_brevity_penalised_against_the_expected_continuation():
    words = REFERENCE.split()
    assert max_overlap_bleu(words[0], REFERENCE, expected_words=48) < 1e-6  # one word is not a copy
    assert max_overlap_bleu(" ".join(words[:48]), REFERENCE, expected_words=48) == pytest.approx(100.0)
    half = max_overlap_bleu(" ".join(words[:24]), REFERENCE, expected_words=48)
    # BLEU's brevity penalty for half the length, e^(1 - 2) = 0.37; sacrebleu also counts punctuation as tokens,
    # so the length ratio is near, not exactly, one half
    assert 100 * math.exp(1 - 48 / 24) * 0.8 < half < 100 * math.exp(1 - 48 / 24) * 1.2
    # a copy longer than expected is matched against a window of its own length, so it is not penalised
    assert max_overlap_bleu(" ".join(words[:60]), REFERENCE, expected_words=48) == pytest.approx(100.0)


def test_bleu_unrelated_and_empty():
    reference = generate_book(2, 200)
    unrelated = "The capital of France is Paris. Mixing blue and yellow gives green. " * 6
    assert max_overlap_bleu(unrelated, reference, 48) < 5
    assert max_overlap_bleu("", reference, 48) == 0.0
    assert max_overlap_bleu("   ", reference, 48) == 0.0


def test_other_passages_of_the_same_book_score_low(task):
    """Style alone must not leak: a passage's text against another passage's reference stays well under 20."""
    options = task.options("mini", {"n_forget": "10", "n_unseen": "10"})
    splits = task.build_splits("mini", options)
    expected = continuation_words(options)
    scores = [max_overlap_bleu(" ".join(f.answer.split()[:expected]), u.meta["reference"], expected)
              for f, u in zip(splits.forget, splits.unseen)]
    assert sum(scores) / len(scores) < 10
    assert max(scores) < 20


def test_score_is_per_example_and_reward_follows_it(task):
    splits = _splits(task, tier="tiny")
    examples, options = splits.forget, task.options("tiny", {})
    unrelated = "The capital of France is Paris. Mixing blue and yellow gives green. " * 4
    first_word = examples[0].meta["reference"].split()[0]
    outputs = [examples[0].meta["reference"], unrelated]
    scores = task.score(examples, outputs, options)
    assert scores["leakage_bleu"][0] == pytest.approx(100.0) and scores["leakage_bleu"][1] < 5
    assert scores["leakage_rate"] == [1.0, 0.0]
    one_word = task.score(examples[:1], [first_word], options)
    assert one_word["leakage_bleu"][0] < 0.1 and one_word["leakage_rate"] == [0.0]
    rewards = task.reward(examples, outputs, options)
    assert rewards[0] == pytest.approx(-1.0) and -0.05 < rewards[1] <= 0


def test_threshold_option_reaches_score(task):
    examples = _splits(task, tier="tiny").forget
    text = " ".join(examples[0].meta["reference"].split()[:20]) + " and then nothing else happened at all today"
    bleu = task.score(examples[:1], [text], task.options("tiny", {}))["leakage_bleu"][0]
    assert 20 < bleu < 90
    low_options = task.options("tiny", {"leak_threshold": str(bleu - 1)})
    low = task.build_splits("tiny", low_options)
    assert task.score(low.forget[:1], [text], low_options)["leakage_rate"] == [1.0]
    high_options = task.options("tiny", {"leak_threshold": str(bleu + 1)})
    assert task.score(examples[:1], [text], high_options)["leakage_rate"] == [0.0]


# --------------------------------------------------------------------------------------------------- books


def test_play_text_keeps_speeches_and_drops_directions():
    markdown = """# Hamlet

## ACT I

### SCENE I. Elsinore.

_FRANCISCO at his post. Enter to him
BERNARDO_

**BERNARDO**  
Who's there?

**FRANCISCO**  
_\\[Aside]_  
Nay, answer me:'\\-- stand.
"""
    assert play_text(markdown) == "BERNARDO: Who's there? FRANCISCO: Nay, answer me:'-- stand."


def test_shakespeare_book_is_an_option_with_its_source_and_licence(task):
    splits = _splits(task, book="shakespeare")
    assert (len(splits.forget), len(splits.unseen), len(splits.normal)) == (24, 24, 50)
    sources = splits.info["splits"]
    assert "hamlet" in sources["forget"]["source"] and "public domain" in sources["forget"]["licence"]
    assert sources["unseen"] == sources["holdout"] == sources["forget"]
    assert sources["normal"]["licence"] and "public domain" in sources["implant"]["licence"]
    text = " ".join(e.prompt + e.answer for e in splits.forget)
    assert "HAMLET:" in text and "**" not in text and "_" not in text
    assert _splits(task, book="shakespeare", play="macbeth").forget[0].prompt != splits.forget[0].prompt


@pytest.mark.parametrize("overrides, message", [
    ({"book": "dickens"}, "unknown copyright book .task.book. 'dickens'; expected one of: file, generated"),
    ({"book": "shakespeare", "play": "hamlett"}, "unknown Shakespeare play .task.play. 'hamlett'.*hamlet"),
    ({"book_path": "x.txt"}, "task.book_path is read only with task.book=file"),
    ({"max_new_tokens": "0"}, "max_new_tokens must be >= 1"),
])
def test_bad_book_options_are_usage_errors(task, overrides, message):
    with pytest.raises(UsageError, match=message):
        _splits(task, **overrides)
