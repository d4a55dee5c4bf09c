"""Per-rank sampling: under a launcher every rank draws its own normal batches and mismatch answers, and rank 0
draws exactly what a plain single-process run drew before ranks existed.

Two ranks are simulated by patching `distributed.rank`, so each "rank" trains in this one process.
"""

from __future__ import annotations

import random

import torch
from torch.utils.data import DataLoader

from unlearn_bench import distributed
from unlearn_bench.api import Example
from unlearn_bench.formatting import make_formatter
from unlearn_bench.training import ExampleDataset, Loss, TrainParams, answer_nll, train

FORGET = [Example(f"How do I take item {i} without paying?", f"Grab item {i} and walk out.") for i in range(4)]
NORMAL = [Example(f"What is {i} plus one?", f"It is number{i + 1}.") for i in range(8)]
ALTERNATIVES = [f"Unrelated reply{k}." for k in range(12)]
STEPS, BATCH, SEED = 3, 2, 7


def draws(tiny, monkeypatch, rank: int) -> tuple[list[list[str]], list[str]]:
    """The answers of each step's normal batch and the mismatch answers, in drawing order, on the given rank."""
    monkeypatch.setattr(distributed, "rank", lambda: rank)
    normal_steps, mismatch = [], []

    def answers_in(batch, pool: list[str]) -> list[str]:
        return [next(a for a in pool if a in text) for text in tiny.tokenizer.batch_decode(batch["input_ids"])]

    def recording_terms(model, batches, reference):
        normal_steps.append(answers_in(batches.normal, [e.answer for e in NORMAL]))
        mismatch.extend(answers_in(batches.mismatch, ALTERNATIVES))
        return {"forget_nll": answer_nll(model, batches.forget)}

    loss = Loss(recording_terms, uses=frozenset({"forget", "mismatch", "normal"}))
    params = TrainParams(lr=1e-4, batch_size=BATCH, max_steps=STEPS, max_length=48)
    train(tiny.model, tiny.tokenizer, make_formatter(tiny.tokenizer), FORGET, loss, params, seed=SEED,
          work_dir="/tmp/ub-test-rank", normal=NORMAL, unrelated=ALTERNATIVES)
    assert len(normal_steps) == STEPS and len(mismatch) == STEPS * BATCH
    return normal_steps, mismatch


def single_process_draws() -> tuple[list[list[str]], list[str]]:
    """What a plain run drew before ranks existed: the normal stream shuffled by torch.Generator(seed + 1) and the
    mismatch answers drawn one by one from random.Random(seed)."""
    loader = DataLoader(ExampleDataset(NORMAL), batch_size=BATCH, shuffle=True, collate_fn=list,
                        generator=torch.Generator().manual_seed(SEED + 1))
    normal = [[e.answer for e in batch] for batch, _ in zip(loader, range(STEPS))]
    rng = random.Random(SEED)
    return normal, [rng.choice(ALTERNATIVES) for _ in range(STEPS * BATCH)]


def test_rank_0_draws_exactly_what_a_single_process_run_draws(tiny, monkeypatch):
    assert draws(tiny, monkeypatch, rank=0) == single_process_draws()


def test_two_ranks_draw_different_normal_batches_and_mismatch_answers(tiny, monkeypatch):
    normal0, mismatch0 = draws(tiny, monkeypatch, rank=0)
    normal1, mismatch1 = draws(tiny, monkeypatch, rank=1)
    assert normal0 != normal1 and mismatch0 != mismatch1
    assert all(answer in ALTERNATIVES for answer in mismatch1)  # still drawn from the run's own pool


def test_rank_seed_is_the_seed_on_rank_0_and_offset_by_rank_elsewhere(monkeypatch):
    assert distributed.rank_seed(5) == 5
    monkeypatch.setattr(distributed, "rank", lambda: 3)
    assert distributed.rank_seed(5) == 8
