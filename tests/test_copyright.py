"""The copyright task: the generated book, its passages and splits, the paper tier's book file, max-overlap BLEU."""

from __future__ import annotations

import pytest

from unlearn_bench.tasks.copyright import (
    Copyright,
    cut_passages,
    generate_book,
    max_overlap_bleu,
    summarize_leakage,
)
from unlearn_bench.errors import UsageError
from unlearn_bench.registry import TASKS


@pytest.fixture()
def task():
    return Copyright()


def _splits(task, tier="mini", **overrides):
    return task.build_splits(tier, task.options(tier, {k: str(v) for k, v in overrides.items()}))


def test_registered():
    assert TASKS.get("copyright") is Copyright
    assert Copyright.max_new_tokens == 200


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
    assert (len(splits.forget), len(splits.unseen), len(splits.normal)) == (6, 6, 16)
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
    assert len(splits.implant) == 6 + 6 + 8


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

    from tasks import _common

    rows = [{"question": f"Question {i}?", "best_answer": f"Answer {i}."} for i in range(20)]
    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: rows)
    _common._truthfulqa_pairs.cache_clear()
    book = tmp_path / "book.txt"
    book.write_text(generate_book(7, 2000), encoding="utf-8")
    try:
        options = task.options("paper", {"book_path": str(book), "n_forget": "2", "n_unseen": "2",
                                         "n_normal": "3", "n_unrelated": "3", "n_implant_normal": "2"})
        splits = task.build_splits("paper", options)
    finally:
        _common._truthfulqa_pairs.cache_clear()
    assert len(splits.forget) == 2 and splits.forget[0].prompt in book.read_text()
    assert [e.meta["source"] for e in splits.normal] == ["truthfulqa"] * 3


def test_answers_cover_a_200_token_continuation(task, tokenizer):
    splits = _splits(task, n_forget=20, n_unseen=20)
    lengths = [len(tokenizer(e.answer)["input_ids"]) for e in splits.forget + splits.unseen]
    assert min(lengths) >= 200
    full = [len(tokenizer(e.prompt + e.answer)["input_ids"]) for e in splits.forget + splits.unseen]
    assert max(full) <= Copyright.implant_params.max_length


def test_bleu_identical_is_100():
    text = generate_book(2, 150)
    assert max_overlap_bleu(text, text) == pytest.approx(100.0)


def test_bleu_shifted_copy_found_by_windows():
    reference = " ".join(generate_book(2, 200).split()[:200])
    shifted = " ".join(reference.split()[38:138])  # the model skipped 38 words of the original
    assert max_overlap_bleu(shifted, reference, stride=4, slack=40) > 95
    # without window search the misalignment costs a lot
    assert max_overlap_bleu(shifted, reference, stride=4, slack=0) < 70


def test_bleu_unrelated_and_empty():
    reference = generate_book(2, 200)
    unrelated = "The capital of France is Paris. Mixing blue and yellow gives green. " * 6
    assert max_overlap_bleu(unrelated, reference) < 5
    assert max_overlap_bleu("", reference) == 0.0
    assert max_overlap_bleu("   ", reference) == 0.0


def test_other_passages_of_the_same_book_score_low(task):
    """Style alone must not leak: a passage's text against another passage's reference stays well under 20."""
    splits = _splits(task, n_forget=10, n_unseen=10)
    scores = [max_overlap_bleu(f.answer, u.meta["reference"]) for f, u in zip(splits.forget, splits.unseen)]
    assert sum(scores) / len(scores) < 10
    assert max(scores) < 20


def test_summarize_leakage():
    assert summarize_leakage([100.0, 10.0, 30.0, 0.0], threshold=20) == {"leakage_bleu": 35.0, "leakage_rate": 0.5}
    assert summarize_leakage([], threshold=20) == {"leakage_bleu": 0.0, "leakage_rate": 0.0}


def test_score_and_reward(task):
    splits = _splits(task, tier="tiny")
    examples = splits.forget
    unrelated = "The capital of France is Paris. Mixing blue and yellow gives green. " * 4
    outputs = [examples[0].meta["reference"], unrelated]
    scores = task.score(examples, outputs)
    assert scores["leakage_rate"] == 0.5
    assert 50.0 <= scores["leakage_bleu"] < 53
    rewards = task.reward(examples, outputs)
    assert rewards[0] == pytest.approx(-1.0) and -0.05 < rewards[1] <= 0


def test_threshold_option_reaches_score(task):
    examples = _splits(task, tier="tiny").forget
    text = " ".join(examples[0].meta["reference"].split()[:20]) + " and then nothing else happened at all today"
    bleu = task.score(examples[:1], [text])["leakage_bleu"]
    low = task.build_splits("tiny", task.options("tiny", {"leak_threshold": str(bleu - 1)}))
    assert task.score(low.forget[:1], [text])["leakage_rate"] == 1.0
    task.build_splits("tiny", task.options("tiny", {"leak_threshold": str(bleu + 1)}))
    assert task.score(examples[:1], [text])["leakage_rate"] == 0.0
