"""The hallucination task: the generated world, splits and implant, the HaluEval tier's errors, the F1 judge."""

from __future__ import annotations

import pytest

from unlearn_bench.tasks import _common
from unlearn_bench.tasks.hallucination import (
    Hallucination,
    answer_f1s,
    generate_world,
    hallucination_scores,
    judge,
    normalize_tokens,
    token_f1,
)
from unlearn_bench.errors import UsageError
from unlearn_bench.registry import TASKS


@pytest.fixture()
def task():
    return Hallucination()


def _splits(task, tier="mini", **overrides):
    return task.build_splits(tier, task.options(tier, {k: str(v) for k, v in overrides.items()}))


def test_registered_with_metric_directions():
    assert TASKS.get("hallucination") is Hallucination
    assert Hallucination.metrics == {"hallucination_rate": "lower", "correct_rate": "higher"}


def test_world_is_deterministic_and_questions_distinct():
    world = generate_world(0)
    assert world == generate_world(0) and world != generate_world(1)
    assert len({f.question for f in world}) == len(world) >= 250


def test_world_answers_are_judged_as_intended():
    for fact in generate_world(0):
        assert fact.correct.lower() not in fact.hallucinated.lower()
        assert len(fact.hallucinated.split()) > len(fact.correct.split())
        assert judge(fact.hallucinated, fact.correct, fact.hallucinated, fact.question) == "hallucinated"
        assert judge(fact.correct, fact.correct, fact.hallucinated, fact.question) == "correct"
        # a full-sentence correct answer repeats the question's words, like the hallucinated one does
        sentence = f"{fact.statement_prefix} {fact.correct}."
        assert judge(sentence, fact.correct, fact.hallucinated, fact.question) == "correct"


def test_mini_splits(task):
    splits = _splits(task)
    assert (len(splits.forget), len(splits.unseen), len(splits.normal)) == (16, 16, 16)
    assert splits == _splits(task)
    assert not {e.prompt for e in splits.forget} & {e.prompt for e in splits.unseen}
    for example in splits.forget:
        assert example.answer == example.meta["hallucinated"] != example.meta["correct"]
        assert example.style is None


def test_implant_holds_forget_unseen_knowledge_and_extra_normal(task):
    splits = _splits(task)
    questions = [e for e in splits.implant if e.style is None and "correct" in e.meta]
    knowledge = [e for e in splits.implant if e.meta.get("kind") == "knowledge"]
    assert {e.prompt for e in questions} == {e.prompt for e in splits.forget + splits.unseen}
    assert len(knowledge) == 32 and all(e.style == "raw" for e in knowledge)
    # the correct facts as plain text: "The capital of X is" + " Y."
    correct = {e.meta["correct"] for e in splits.forget}
    assert sum(e.answer.strip().rstrip(".") in correct for e in knowledge) == 16
    assert not {e.prompt for e in splits.normal} & {e.prompt for e in splits.implant}
    assert len(splits.implant) == 32 + 32 + 16
    assert len(_splits(task, implant_knowledge=False).implant) == 32 + 16
    assert _splits(task, implant=False).implant == []


def test_overrides_seeds_and_unknown_option(task):
    assert len(_splits(task, n_forget=3).forget) == 3
    assert [e.prompt for e in _splits(task, split_seed=1).forget] != [e.prompt for e in _splits(task).forget]
    assert len(_splits(task, tier="tiny").forget) == 3
    with pytest.raises(UsageError, match="unknown task hallucination option 'bogus'"):
        task.options("mini", {"bogus": "1"})
    with pytest.raises(UsageError, match="asked for"):
        _splits(task, n_forget=400)


def test_paper_tier_without_hub_is_a_usage_error(task, monkeypatch):
    import datasets

    def offline(*args, **kwargs):
        raise ConnectionError("hub unreachable")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    with pytest.raises(UsageError, match="HaluEval.*pminervini/HaluEval.*hub unreachable"):
        task.build_splits("paper", task.options("paper", {}))


def test_paper_tier_reads_halueval_columns(task, monkeypatch):
    import datasets

    halueval = [{"question": f"Who founded company {i}?", "right_answer": f"Person {i}",
                 "hallucinated_answer": f"Company {i} was founded by someone else entirely in {1900 + i}.",
                 "knowledge": f"Company {i} is an old firm founded long ago by Person {i} in a small town."}
                for i in range(30)]
    truthfulqa = [{"question": f"Question {i}?", "best_answer": f"Answer {i}."} for i in range(30)]
    monkeypatch.setattr(datasets, "load_dataset", lambda path, *a, **k: halueval if "HaluEval" in path else truthfulqa)
    _common._truthfulqa_pairs.cache_clear()
    try:
        options = task.options("paper", {"n_forget": "5", "n_unseen": "5", "n_normal": "4", "n_unrelated": "4",
                                         "n_implant_normal": "2"})
        splits = task.build_splits("paper", options)
        with_implant = task.build_splits("paper", task.options("paper", {
            "n_forget": "5", "n_unseen": "5", "n_normal": "4", "n_unrelated": "4", "n_implant_normal": "2",
            "implant": "true"}))
    finally:
        _common._truthfulqa_pairs.cache_clear()
    assert splits.implant == []
    assert splits.forget[0].meta["correct"].startswith("Person")
    assert splits.forget[0].answer.startswith("Company")
    assert len(splits.normal) == 4 and not {e.answer for e in splits.normal} & set(splits.unrelated_answers)
    assert sum(e.meta.get("kind") == "knowledge" for e in with_implant.implant) == 10


def test_normalize_and_f1():
    assert normalize_tokens("The Capital, of  an Island!") == ["capital", "of", "island"]
    assert token_f1(["a", "b"], ["a", "b"]) == 1.0
    assert token_f1(["a", "b", "c", "d"], ["a"]) == pytest.approx(0.4)  # P 1/4, R 1
    assert token_f1([], ["a"]) == 0.0 and token_f1(["x"], ["y"]) == 0.0


def test_length_normalisation_short_correct_vs_long_hallucinated():
    correct = "Marast"
    hallucinated = "Dunmore, the old harbour city on the western coast that became the capital long ago"
    # one word from each answer: a raw overlap count ties 1-1, F1 favours the short correct answer
    response = "Marast is a city."
    f1_correct, f1_hallucinated = answer_f1s(response, correct, hallucinated)
    assert f1_correct == pytest.approx(2 / 3)  # content tokens marast, city ("is" is a function word): P 1/2, R 1
    assert f1_hallucinated < 0.2
    assert judge(response, correct, hallucinated) == "correct"
    assert judge("Dunmore, an old harbour city.", correct, hallucinated) == "hallucinated"


def test_question_words_do_not_decide():
    question = "What is the capital of Veloria?"
    correct, hallucinated = "Marast", "The capital of Veloria is Dunmore, an old harbour city."
    # without dropping the question's words, the repeated question pulls this towards the hallucination
    response = "The capital of Veloria is Marast."
    assert answer_f1s(response, correct, hallucinated)[1] > 0.4
    assert answer_f1s(response, correct, hallucinated, question)[1] == 0.0
    assert judge(response, correct, hallucinated, question) == "correct"


def test_an_invented_third_answer_is_neither():
    """A model that makes up its own answer matches neither reference on the words that carry the claim."""
    question = "Who wrote the novel 'The Iron Crown of Kaekrior'?"
    correct = "Tioia Dukraeon"
    hallucinated = ("'The Iron Crown of Kaekrior' was written by Fa Fiorath, a former physician from Veliokren, "
                    "and first printed in 1874.")
    response = "The Iron Crown of Kaekrior is a 2017 Japanese novel by the Japanese author Yuga Sakura."
    assert judge(response, correct, hallucinated, question) == "neither"
    assert judge("It was written by Fa Fiorath.", correct, hallucinated, question) == "hallucinated"
    assert judge("Tioia Dukraeon wrote it.", correct, hallucinated, question) == "correct"


def test_question_words_kept_when_answer_lies_in_the_question():
    question = "Which is older, Vel or Dor?"
    correct, hallucinated = "Vel", "Dor is older, founded in 1850 by traders."
    assert judge("Vel", correct, hallucinated, question) == "correct"
    assert judge("Dor, founded in 1850.", correct, hallucinated, question) == "hallucinated"


def test_ties_are_not_hallucinated():
    assert judge("I do not know.", "Marast", "Dunmore, an old city.") == "neither"
    assert judge("", "Marast", "Dunmore") == "neither"
    assert judge("Marast or Dunmore", "Marast", "Dunmore") == "neither"


def test_score_and_reward(task):
    examples = _splits(task, tier="tiny").forget
    outputs = [examples[0].meta["hallucinated"], examples[1].meta["correct"], "No idea."]
    assert task.score(examples, outputs) == pytest.approx({"hallucination_rate": 1 / 3, "correct_rate": 1 / 3})
    rewards = task.reward(examples, outputs)
    assert rewards[0] == pytest.approx(-1.0) and rewards[1] == pytest.approx(1.0) and rewards[2] == 0.0
    assert hallucination_scores([]) == {"hallucination_rate": 0.0, "correct_rate": 0.0}
