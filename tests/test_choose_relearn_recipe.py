"""The relearn recipe's selection rule (scripts/choose_relearn_recipe.py) on hand-made numbers."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "choose_relearn_recipe.py"
spec = importlib.util.spec_from_file_location("choose_relearn_recipe", SCRIPT)
choose_script = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = choose_script  # dataclasses look their module up there
spec.loader.exec_module(choose_script)
Candidate, Outcome, choose, shares = (choose_script.Candidate, choose_script.Outcome, choose_script.choose,
                                      choose_script.shares)


def test_shares_are_read_against_the_pretrained_model():
    # Copyright at 8a17390: original 89.6 BLEU, pretrained 1.5, control after relearning 13.5, pretrained after 2.8.
    kept, gain = shares(89.6, 1.5, 13.5, 2.8)
    assert kept == pytest.approx(12.0 / 88.1) and gain == pytest.approx(1.3 / 88.1)
    assert shares(0.5, 0.5, 0.9, 0.9) == (None, None)  # the implant moved nothing
    assert shares(0.55, 0.5, 0.9, 0.9, gap=0.1) == (None, None)


def test_the_strongest_candidate_the_controls_accept_wins():
    outcomes = [Outcome(Candidate(10, None), kept=0.14, gain=0.01),  # today's copyright recipe: erases the book
                Outcome(Candidate(10, 1e-4), kept=0.6, gain=0.05),
                Outcome(Candidate(20, 1e-4), kept=0.55, gain=0.1),
                Outcome(Candidate(20, 3e-4), kept=0.9, gain=0.5),  # teaches the pretrained: relearning is learning
                Outcome(Candidate(5, 3e-5), kept=0.95, gain=0.0)]
    assert choose(outcomes, implant_lr=3e-4).candidate == Candidate(20, 1e-4)


def test_the_rule_bounds_are_inclusive_and_ties_go_to_the_higher_kept():
    outcomes = [Outcome(Candidate(10, 1e-4), kept=0.5, gain=0.2), Outcome(Candidate(10, 1e-4, 0.5), kept=0.7, gain=0.2)]
    assert choose(outcomes, implant_lr=3e-4).candidate == Candidate(10, 1e-4, 0.5)
    assert choose(outcomes[:1], implant_lr=3e-4).candidate == Candidate(10, 1e-4)
    # The implant's learning rate stands in for lr=None when strengths are compared.
    assert choose([Outcome(Candidate(10, None), 0.8, 0.0), Outcome(Candidate(10, 1e-4), 0.9, 0.0)],
                  implant_lr=3e-4).candidate == Candidate(10, None)


def test_nothing_is_chosen_when_no_candidate_passes():
    assert choose([], implant_lr=3e-4) is None
    assert choose([Outcome(Candidate(10, None), kept=0.49, gain=0.0), Outcome(Candidate(5, None), None, None),
                   Outcome(Candidate(5, 1e-5), kept=0.9, gain=0.21)], implant_lr=3e-4) is None


def test_the_grid_is_every_combination():
    grid = choose_script.candidates([5, 10], [None, 1e-4], [0.0, 0.5])
    assert len(grid) == 8 and Candidate(10, 1e-4, 0.5) in grid and len(set(grid)) == 8


def test_the_choice_is_written_as_the_task_s_recipe_or_as_one_model_s():
    chosen = Candidate(5, 1e-5, 0.5)
    assert choose_script.declaration(chosen, None) == "relearn = RelearnRecipe(steps=5, lr=1e-05, normal_share=0.5)"
    assert (choose_script.declaration(chosen, "gemma3-270m")
            == "relearn_per_model = {'gemma3-270m': RelearnRecipe(steps=5, lr=1e-05, normal_share=0.5)}")
