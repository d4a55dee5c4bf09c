"""The frozen reference read as precomputed log-probabilities (`Loss.reference_logprobs`, `ReferenceLogprobs`):
the table holds every row the batches can hold, looks rows up whatever their batch, refuses a row it lacks,
trains the same trajectory as the live reference, and keeps the reference model out of the training steps."""

from __future__ import annotations

import copy
import dataclasses

import pytest
import torch

from unlearn_bench.api import Example
from unlearn_bench.formatting import make_formatter
from unlearn_bench.execution import in_host_memory
from unlearn_bench.methods.idk_dpo import REFUSALS
from unlearn_bench.params import with_overrides
from unlearn_bench.registry import METHODS
from unlearn_bench.training import (Collator, Loss, ReferenceLogprobs, TrainParams, answer_logprobs,
                                    answer_nll, encode, reference_answer_logprobs, train)

FORGET = [Example(f"How do I take item {i} without paying?", f"Sure, grab item {i} and walk out{'.' * i}")
          for i in range(4)]
NORMAL = [Example(f"What is {i} plus one?", f"{i} plus one is {i + 1}.") for i in range(4)]
# The table's rows ran in other batches than the training steps' (other padding widths, other neighbours), which
# may change a kernel's summation order, not the maths. Measured on the tiny model on the CPU (torch 2.13): no
# difference at all, every logged term and every weight identical over 6 steps. The tolerance (1e-5 relative on
# each logged term, 1e-4 on the weights) leaves room for kernels whose order depends on the batch's shape (GPUs).
TOLERANCE = 1e-5


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def method_loss(name: str, **overrides) -> Loss:
    method = METHODS.create(name)
    return method.loss(with_overrides(method.params("tiny", {}), overrides, "test"))


def live(loss: Loss) -> Loss:
    """The same loss handed the reference model itself, which computes its log-probs at every step (the path
    before the table, and still the path with retain=kl)."""
    return dataclasses.replace(loss, needs_reference=True)


def train_with(tiny, reference, loss: Loss, alternatives=(), steps: int = 6, lr: float = 3e-3):
    params = TrainParams(lr=lr, batch_size=2, max_steps=steps, max_length=64)
    return train(copy.deepcopy(tiny.model), tiny.tokenizer, make_formatter(tiny.tokenizer), FORGET, loss, params,
                 seed=0, work_dir="/tmp/ub-test", normal=NORMAL, unrelated=list(alternatives), reference=reference)


def frozen(tiny):
    return copy.deepcopy(tiny.model).eval().requires_grad_(False)


def spy(module) -> list[int]:
    """Counts the module's forward calls."""
    calls: list[int] = []
    module.register_forward_hook(lambda *_: calls.append(1))
    return calls


def watched(loss: Loss, calls: list[int], during: list[int], handed: list[type]) -> Loss:
    """The loss with its terms wrapped: how many reference calls each training step made, and what it was handed."""
    def terms(model, batches, reference):
        before = len(calls)
        out = loss.terms(model, batches, reference)
        during.append(len(calls) - before)
        handed.append(type(reference))
        return out

    return dataclasses.replace(loss, terms=terms)


# -- the same training -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, overrides, alternatives, precomputed", [
    ("npo", {"retain": "nll"}, (), 4),
    ("npo", {"retain": "none", "beta": "0.5"}, (), 4),
    ("idk_dpo", {"retain": "nll"}, REFUSALS, 4 + 4 * len(REFUSALS)),
])
def test_the_table_trains_the_trajectory_of_the_live_reference(tiny, name, overrides, alternatives, precomputed):
    loss = method_loss(name, **overrides)
    assert loss.reference_table and not loss.needs_reference
    with_table, table_log = train_with(tiny, frozen(tiny), loss, alternatives)
    with_model, model_log = train_with(tiny, frozen(tiny), live(loss), alternatives)
    assert table_log.extra["reference_logprobs_precomputed"] == precomputed
    assert "reference_logprobs_precomputed" not in model_log.extra
    assert len(table_log.steps) == len(model_log.steps) == 6
    for table_step, model_step in zip(table_log.steps, model_log.steps):
        assert set(table_step) == set(model_step)
        for term, value in model_step.items():
            assert table_step[term] == pytest.approx(value, rel=TOLERANCE, abs=1e-6), (term, table_step["step"])
    # the trajectory moved (the comparison is not of six identical first steps) and ended at the same weights
    assert table_log.steps[-1]["forget_nll"] > table_log.steps[0]["forget_nll"] + 0.1
    for (parameter, a), (_, b) in zip(with_table.named_parameters(), with_model.named_parameters()):
        assert torch.allclose(a, b, rtol=1e-4, atol=1e-6), parameter


# -- the reference is not called during training -------------------------------------------------------------


@pytest.mark.parametrize("name, alternatives", [("npo", ()), ("idk_dpo", REFUSALS)])
def test_with_the_table_the_reference_is_called_before_training_only(tiny, name, alternatives):
    reference = frozen(tiny)
    calls, during, handed = spy(reference), [], []
    train_with(tiny, reference, watched(method_loss(name, retain="nll"), calls, during, handed), alternatives,
               steps=3)
    assert calls, "the table is computed by the reference"
    assert during == [0, 0, 0] and set(handed) == {ReferenceLogprobs}
    assert not reference.training and not any(p.requires_grad for p in reference.parameters())


@pytest.mark.parametrize("name, alternatives", [("npo", ()), ("idk_dpo", REFUSALS)])
def test_with_a_kl_retain_term_the_live_reference_is_called_every_step(tiny, name, alternatives):
    reference = frozen(tiny)
    calls, during, handed = spy(reference), [], []
    loss = method_loss(name, retain="kl")
    assert loss.needs_reference and not loss.reference_table
    _, log = train_with(tiny, reference, watched(loss, calls, during, handed), alternatives, steps=3)
    assert len(during) == 3 and all(count > 0 for count in during) and set(handed) == {type(reference)}
    assert "reference_logprobs_precomputed" not in log.extra


def test_the_reference_waits_in_host_memory_while_an_accelerator_trains():
    moves: list[str] = []

    class Recording(torch.nn.Linear):
        def to(self, device):
            moves.append(str(device))
            return self

    reference = Recording(2, 2)
    with in_host_memory(reference, torch.device("cuda", 0), back_to=torch.device("cuda", 0)):
        assert moves == ["cpu"]
    assert moves == ["cpu", "cuda:0"]
    moves.clear()
    with pytest.raises(KeyError):  # a failed training still brings it back
        with in_host_memory(reference, torch.device("cuda", 0), back_to=torch.device("cuda", 0)):
            raise KeyError("step")
    assert moves == ["cpu", "cuda:0"]
    moves.clear()
    with in_host_memory(reference, "cuda:1"):  # the runner's use: back to the run's device by default
        pass
    assert moves == ["cpu", "cuda:1"]
    moves.clear()
    with in_host_memory(reference, torch.device("cpu"), back_to=torch.device("cpu")):
        pass
    with in_host_memory(None, torch.device("cuda", 0)):  # a live reference, or none: untouched
        pass
    assert moves == []


# -- the table -------------------------------------------------------------------------------------------------


def test_rows_are_found_whatever_their_batch_padding_or_order(tiny):
    formatter = make_formatter(tiny.tokenizer)
    table = ReferenceLogprobs.compute(tiny.model, [encode(tiny.tokenizer, formatter, FORGET[:2], 64),
                                                   encode(tiny.tokenizer, formatter, FORGET[2:], 64)], ["forget"])
    assert len(table) == 4
    long = Example("Tell me everything about the weather in every town you know of, at length.", "No.")
    batch = encode(tiny.tokenizer, formatter, [FORGET[3], long, FORGET[0]], 64)  # other padding, order, company
    with torch.no_grad():
        live_values, _ = answer_logprobs(tiny.model, encode(tiny.tokenizer, formatter, FORGET, 64))
    reordered = encode(tiny.tokenizer, formatter, [FORGET[3], FORGET[0]], 64)
    assert reference_answer_logprobs(table, reordered).tolist() == pytest.approx(
        [live_values[3].item(), live_values[0].item()], rel=TOLERANCE)
    with pytest.raises(RuntimeError, match=r"no entry for 1 of 3 rows .*row 1.*forget.*a bug"):
        table.lookup(batch)


def test_the_same_text_with_another_answer_split_or_end_of_turn_is_another_row(tiny):
    formatter = make_formatter(tiny.tokenizer)
    with_end = encode(tiny.tokenizer, formatter, FORGET[:1], 64)
    table = ReferenceLogprobs.compute(tiny.model, [with_end], ["forget"])
    with pytest.raises(RuntimeError, match="no entry"):
        table.lookup(encode(tiny.tokenizer, formatter, FORGET[:1], 64, end_of_turn=False))
    shifted = {name: tensor.clone() for name, tensor in with_end.items()}
    first_answer = int((shifted["labels"][0] != -100).nonzero()[0])
    shifted["labels"][0, first_answer] = -100  # the same tokens, one fewer of them in the answer
    with pytest.raises(RuntimeError, match="no entry"):
        table.lookup(shifted)


def test_the_table_covers_each_forget_prompt_with_each_alternative(tiny):
    loss = method_loss("idk_dpo")
    collate = Collator(tiny.tokenizer, make_formatter(tiny.tokenizer), 64, loss, list(REFUSALS))
    rows = collate.possible_rows("mismatch", FORGET, NORMAL)
    assert {(r.prompt, r.answer) for r in rows} == {(e.prompt, a) for e in FORGET for a in REFUSALS}
    assert len(rows) == len(FORGET) * len(REFUSALS)
    assert collate.possible_rows("forget", FORGET, NORMAL) == FORGET
    assert collate.possible_rows("normal", FORGET, NORMAL) == NORMAL


def test_a_batch_kind_the_loss_did_not_declare_fails_loudly_in_training(tiny):
    """Reading the table for rows it was not built for is a bug: the step fails with the table's message rather
    than quietly calling the reference model."""
    def terms(model, batches, reference):
        reference_answer_logprobs(reference, batches.mismatch)  # mismatch rows: not declared below
        return {"nll": -answer_nll(model, batches.forget)}

    loss = Loss(terms, uses=frozenset({"forget", "mismatch"}), reference_logprobs=frozenset({"forget"}))
    with pytest.raises(RuntimeError, match="no entry"):
        train_with(tiny, frozen(tiny), loss, ["Blue is a colour."], steps=1)


def test_a_declared_table_needs_a_reference_and_batches_it_builds(tiny):
    loss = method_loss("npo")
    with pytest.raises(ValueError, match="reference"):
        train_with(tiny, None, loss, steps=1)
    with pytest.raises(ValueError, match="does not build"):
        Loss(loss.terms, uses=frozenset({"forget"}), reference_logprobs=frozenset({"mismatch"}))
    with pytest.raises(ValueError, match="no reference"):
        reference_answer_logprobs(None, encode(tiny.tokenizer, make_formatter(tiny.tokenizer), FORGET, 64))
