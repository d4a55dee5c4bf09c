"""The methods on the shared training path (npo, simnpo, idk_dpo, ga_template, rmu): each loss at hand-checked
points, a few steps on the tiny model moving the forget answers the right way, and an outside plugin."""

from __future__ import annotations

import copy
import math
import textwrap

import pytest
import torch

from unlearn_bench.api import Example, MethodContext, Splits
from unlearn_bench.errors import UsageError
from unlearn_bench.execution import float_tolerance
from unlearn_bench.formatting import make_formatter
from unlearn_bench.methods.idk_dpo import REFUSALS, dpo_loss
from unlearn_bench.methods.npo import npo_loss
from unlearn_bench.methods.rmu import default_trainable, hidden_at, mean_squared_distance, random_direction
from unlearn_bench.methods.simnpo import simnpo_loss
from unlearn_bench.params import with_overrides
from unlearn_bench.registry import METHODS, load_plugin
from unlearn_bench.training import Batches, Collator, Loss, answer_logprobs, answer_nll, encode

FORGET = [Example(f"How do I take item {i} without paying?", f"Sure, grab item {i} and walk out.") for i in range(4)]
NORMAL = [Example(f"What is {i} plus one?", f"{i} plus one is {i + 1}.") for i in range(4)]
NEW_METHODS = ("npo", "simnpo", "idk_dpo", "ga_template", "rmu")


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def context(tiny, tmp_path, reference=True) -> MethodContext:
    splits = Splits(forget=FORGET, unseen=[], normal=NORMAL, unrelated_answers=["Blue is a colour.", "Cats nap."])
    return MethodContext(tokenizer=tiny.tokenizer, splits=splits, task=None, formatter=make_formatter(tiny.tokenizer),
                         reference=copy.deepcopy(tiny.model).requires_grad_(False) if reference else None, seed=0,
                         work_dir=str(tmp_path))


def params_for(name, **overrides):
    method = METHODS.create(name)
    base = dict(max_steps=3, batch_size=4, max_length=64)
    return method, with_overrides(method.params("tiny", {}), {**base, **overrides}, "test")


def forget_batch(tiny, end_of_turn=False):
    return encode(tiny.tokenizer, make_formatter(tiny.tokenizer), FORGET, 64, end_of_turn=end_of_turn)


def sequence_logprobs(model, batch):
    with torch.no_grad():
        return answer_logprobs(model, batch)[0]


# -- the losses at known points ---------------------------------------------------------------------------


def test_npo_is_2_over_beta_log_2_at_a_zero_log_ratio_and_falls_with_it():
    zero = torch.zeros(3)
    assert npo_loss(zero, zero, beta=0.1).item() == pytest.approx(20 * math.log(2))
    # log ratio -10, beta 0.1: -(2/0.1) log sigmoid(1) = 20 log(1 + e^-1)
    assert npo_loss(torch.tensor([-10.0]), zero[:1], 0.1).item() == pytest.approx(20 * math.log1p(math.exp(-1)))
    logprobs = torch.tensor([-5.0], requires_grad=True)
    npo_loss(logprobs, torch.tensor([-5.0]), 0.1).backward()
    assert logprobs.grad.item() == pytest.approx(1.0)  # 2 sigmoid(0): gradient ascent's weight at the start


def test_npo_term_of_the_model_against_itself_is_the_zero_ratio_value(tiny, tmp_path):
    method, params = params_for("npo", beta="0.5")
    loss = method.loss(params)
    batches = Batches(forget=forget_batch(tiny), normal=encode(tiny.tokenizer, make_formatter(tiny.tokenizer),
                                                                NORMAL, 64))
    terms = loss.terms(tiny.model, batches, copy.deepcopy(tiny.model))
    assert terms["npo"].item() == pytest.approx(4 * math.log(2), rel=1e-5)
    assert terms["forget_nll"].item() == pytest.approx(answer_nll(tiny.model, batches.forget).item(), rel=1e-5)
    assert set(terms) == {"npo", "forget_nll", "log_ratio", "normal_nll"}


def test_simnpo_normalises_by_length_and_has_its_midpoint_at_minus_delta_over_beta():
    assert simnpo_loss(torch.zeros(2), torch.tensor([3, 7]), beta=2.5, delta=0.0).item() == pytest.approx(
        0.8 * math.log(2))
    # the same per-token log-likelihood (-0.4) at lengths 2 and 20 gives the same loss
    short = simnpo_loss(torch.tensor([-0.8]), torch.tensor([2]), 2.5, 0.0)
    long = simnpo_loss(torch.tensor([-8.0]), torch.tensor([20]), 2.5, 0.0)
    assert short.item() == pytest.approx(long.item())
    # argument -(beta/|y|) log pi - delta = 1 - 1 = 0
    assert simnpo_loss(torch.tensor([-0.8]), torch.tensor([2]), 2.5, 1.0).item() == pytest.approx(0.8 * math.log(2))
    assert simnpo_loss(torch.zeros(1), torch.zeros(1, dtype=torch.long), 1.0, 0.0).isfinite()  # empty answer


def test_simnpo_term_on_the_tiny_model_matches_the_formula(tiny):
    method, params = params_for("simnpo", retain="none", beta="0.2", delta="0.3")
    batch = forget_batch(tiny)
    logprobs, counts = answer_logprobs(tiny.model, batch)
    terms = method.loss(params).terms(tiny.model, Batches(forget=batch), None)
    per_token = (logprobs / counts).detach()
    expected = -(2 / 0.2) * torch.nn.functional.logsigmoid(-0.2 * per_token - 0.3).mean()
    assert terms["simnpo"].item() == pytest.approx(expected.item(), rel=1e-5)
    assert set(terms) == {"simnpo", "forget_nll"}


def test_dpo_is_log_2_at_the_reference_and_prefers_the_refusal():
    same = torch.tensor([-3.0, -7.0])
    assert dpo_loss(same, same, same, same, beta=0.1).item() == pytest.approx(math.log(2))
    chosen, rejected = torch.tensor([-3.0], requires_grad=True), torch.tensor([-3.0], requires_grad=True)
    dpo_loss(chosen, rejected, torch.tensor([-3.0]), torch.tensor([-3.0]), 0.1).backward()
    assert chosen.grad.item() < 0 < rejected.grad.item()  # descent raises the refusal, lowers the forget answer
    # margin 10 at beta 0.1: -log sigmoid(1)
    assert dpo_loss(torch.tensor([0.0]), torch.tensor([-10.0]), torch.zeros(1), torch.zeros(1), 0.1).item() == \
        pytest.approx(math.log1p(math.exp(-1)))


def test_rmu_forget_term_is_c_squared_at_zero_activations_and_zero_on_target():
    u = random_direction(16, seed=3)
    assert u.norm().item() == pytest.approx(1.0) and (u >= 0).all()
    mask = torch.tensor([[True, True, False]])
    zeros = torch.zeros(1, 3, 16)
    assert mean_squared_distance(zeros, 6.5 * u, mask).item() == pytest.approx(6.5 ** 2, rel=1e-5)
    on_target = (6.5 * u).expand(1, 3, 16).clone()
    on_target[0, 2] = 100.0  # a masked-out token does not count
    assert mean_squared_distance(on_target, 6.5 * u, mask).item() == pytest.approx(0.0, abs=float_tolerance(torch.float32))


def test_rmu_default_trainable_covers_the_mlps_of_three_layers():
    assert default_trainable(7) == r"layers\.(5|6|7)\.mlp\."
    assert default_trainable(0) == r"layers\.(0)\.mlp\."


# -- a few steps on the tiny model ------------------------------------------------------------------------


@pytest.mark.parametrize("name, overrides", [
    ("npo", {"retain": "none"}),
    ("npo", {"retain": "nll"}),
    ("simnpo", {"beta": "0.1"}),  # the untrained model's per-token NLL (~11) saturates the default beta 2.5
    ("idk_dpo", {}),
    ("ga_template", {}),
])
def test_a_few_steps_lower_the_forget_answers_likelihood(tiny, tmp_path, name, overrides):
    method, params = params_for(name, lr="3e-3", **overrides)
    batch = forget_batch(tiny)
    before = sequence_logprobs(tiny.model, batch)
    output = method.run(tiny.model, context(tiny, tmp_path), params)
    after = sequence_logprobs(output.model, batch)
    assert after.mean() < before.mean() - 1.0, (before, after)
    assert len(output.log.steps) == 3 and output.log.tokens > 0
    assert all(math.isfinite(step["loss"]) for step in output.log.steps)
    retained = "normal_nll" in output.log.steps[0] or "normal_kl" in output.log.steps[0]
    assert retained == (overrides.get("retain", "nll") != "none")


def test_idk_dpo_makes_the_refusals_likelier_relative_to_the_forget_answers(tiny, tmp_path):
    method, params = params_for("idk_dpo", lr="3e-3", retain="none")
    refusals = encode(tiny.tokenizer, make_formatter(tiny.tokenizer),
                      [Example(e.prompt, REFUSALS[i]) for i, e in enumerate(FORGET)], 64)
    forget = forget_batch(tiny, end_of_turn=True)
    gap_before = (sequence_logprobs(tiny.model, refusals) - sequence_logprobs(tiny.model, forget)).mean()
    output = method.run(tiny.model, context(tiny, tmp_path), params)
    gap_after = (sequence_logprobs(output.model, refusals) - sequence_logprobs(output.model, forget)).mean()
    assert gap_after > gap_before + 1.0
    assert output.log.steps[0]["dpo"] == pytest.approx(math.log(2), rel=1e-5)


def test_refusals_are_cycled_in_order(tiny):
    method, params = params_for("idk_dpo")
    collate = Collator(tiny.tokenizer, make_formatter(tiny.tokenizer), 64, method.loss(params), list(REFUSALS))
    seen = [collate._alternative() for _ in range(len(REFUSALS) + 2)]
    assert seen == list(REFUSALS) + list(REFUSALS[:2])


def test_ga_template_pairs_every_forget_prompt_with_the_template(tiny, tmp_path):
    method, params = params_for("ga_template", template="No comment.")
    assert method.alternatives(context(tiny, tmp_path), params) == ["No comment."]
    with pytest.raises(UsageError, match="template"):
        method.alternatives(context(tiny, tmp_path), with_overrides(params, {"template": " "}, "test"))


def test_rmu_moves_forget_activations_to_the_target_and_trains_only_its_layers(tiny, tmp_path):
    method, params = params_for("rmu", lr="1e-2", max_steps=4, alpha="1")
    before = {name: p.detach().clone() for name, p in tiny.model.named_parameters()}
    output = method.run(tiny.model, context(tiny, tmp_path), params)
    steps = output.log.steps
    assert steps[-1]["rmu_forget"] < 0.7 * steps[0]["rmu_forget"]
    # the model starts as the reference (a GPU's kernels leave ~1e-7 where the CPU leaves 0)
    assert steps[0]["rmu_retain"] == pytest.approx(0.0, abs=float_tolerance(torch.float32))
    coeff = output.log.extra["steering_coeff"]
    assert coeff > 0
    changed = {name for name, p in output.model.named_parameters() if not torch.equal(p, before[name])}
    assert changed and all(name.startswith("model.layers.0.mlp.") for name in changed)
    assert all(p.requires_grad for p in output.model.parameters())  # frozen parameters are given back


def test_rmu_measures_a_coefficient_unless_one_is_given(tiny, tmp_path):
    method, params = params_for("rmu", max_steps=1, steering_coeff="3.5")
    assert method.run(tiny.model, context(tiny, tmp_path), params).log.extra["steering_coeff"] == 3.5
    with torch.no_grad():
        norms = hidden_at(tiny.model, forget_batch(tiny), 0).norm(dim=-1)
    assert 0 < norms.median() < 100  # what the automatic coefficient scales


@pytest.mark.parametrize("name, overrides, match", [
    ("npo", {"retain": "mse"}, "retain='mse'"),
    ("simnpo", {"retain": "kl"}, "reference"),
    ("npo", {"beta": "0"}, "beta=0"),
    ("rmu", {"steer": "prompt"}, "steer='prompt'"),
    ("rmu", {"layer": "9"}, "layer=9"),
    ("rmu", {"trainable": "nothing_matches"}, "nothing_matches"),
])
def test_bad_options_are_usage_errors(tiny, tmp_path, name, overrides, match):
    method, params = params_for(name, **overrides)
    with pytest.raises(UsageError, match=match):
        method.run(tiny.model, context(tiny, tmp_path), params)


def test_every_new_method_is_registered_with_cpu_tiers_and_cites_its_paper():
    import importlib

    for name in NEW_METHODS:
        method = METHODS.create(name)
        mini = method.params("mini", {})
        assert mini.max_steps <= 20 and mini.batch_size == 4, name
        assert method.params("tiny", {}).max_steps <= 2, name
        assert "arXiv" in importlib.import_module(type(method).__module__).__doc__, name


# -- an outside plugin with its own loss ------------------------------------------------------------------

PLUGIN = '''
from dataclasses import dataclass

import torch

from unlearn_bench.api import Method
from unlearn_bench.execution import to_device
from unlearn_bench.registry import register_method
from unlearn_bench.training import Loss, TrainParams, answer_logprobs, unlearn


@register_method
class Unlikelihood(Method):
    """Unlikelihood on the forget answers: minimise -log(1 - p) per answer token (a loss the package lacks)."""

    name = "plugin_unlikelihood"
    description = "token unlikelihood on forget answers"

    @dataclass(frozen=True)
    class Params(TrainParams):
        weight: float = 1.0

    def run(self, model, ctx, params):
        def terms(model, batches, reference):
            forget = to_device(batches.forget, model.device)
            labels = forget["labels"][:, 1:]
            logits = model(input_ids=forget["input_ids"], attention_mask=forget["attention_mask"]).logits[:, :-1].float()
            logp = logits.log_softmax(-1).gather(-1, labels.clamp(min=0)[..., None]).squeeze(-1)
            mask = labels != -100
            unlikely = -torch.log1p(-logp.exp().clamp(max=1 - 1e-6))
            return {"unlikelihood": unlikely[mask].mean(), "forget_nll": -logp[mask].mean().detach()}

        loss = Loss(terms, weights={"unlikelihood": params.weight, "forget_nll": 0.0})
        return unlearn(model, ctx, loss, params)
'''


def test_an_outside_plugin_trains_its_own_loss_on_the_shared_path(tiny, tmp_path):
    path = tmp_path / "my_unlikelihood.py"
    path.write_text(textwrap.dedent(PLUGIN))
    load_plugin(str(path))
    method = METHODS.create("plugin_unlikelihood")
    params = with_overrides(method.Params(), {"lr": "3e-2", "max_steps": "3", "batch_size": "2",
                                              "max_length": "64"}, "test")
    batch = forget_batch(tiny)
    before = sequence_logprobs(tiny.model, batch)
    output = method.run(tiny.model, context(tiny, tmp_path, reference=False), params)
    steps = output.log.steps
    assert [s["step"] for s in steps] == [1, 2, 3]
    assert all(set(s) == {"unlikelihood", "forget_nll", "loss", "step"} for s in steps)
    assert steps[0]["loss"] == pytest.approx(steps[0]["unlikelihood"])  # the weight-0 term is only logged
    assert output.log.tokens > 0 and output.log.extra["optimizer_steps"] == 3
    assert sequence_logprobs(output.model, batch).mean() < before.mean()


# -- the hook's contract -----------------------------------------------------------------------------------


def run_loss(tiny, tmp_path, loss, **kwargs):
    from unlearn_bench.training import TrainParams, train

    params = TrainParams(lr=1e-3, batch_size=4, max_steps=1, max_length=64)
    return train(tiny.model, tiny.tokenizer, make_formatter(tiny.tokenizer), FORGET, loss, params, seed=0,
                 work_dir=str(tmp_path), **kwargs)


@pytest.mark.parametrize("terms, match", [
    (lambda m, b, r: {"loss": answer_nll(m, b.forget)}, "reserved"),
    (lambda m, b, r: {"per_token": answer_logprobs(m, b.forget)[0]}, "scalar"),
    (lambda m, b, r: {"logged": answer_nll(m, b.forget)}, "nothing to optimise"),
    (lambda m, b, r: {}, "nothing to optimise"),
])
def test_malformed_terms_are_refused_with_their_name(tiny, tmp_path, terms, match):
    with pytest.raises(ValueError, match=match):
        run_loss(tiny, tmp_path, Loss(terms, weights={"logged": 0.0}))


def test_a_loss_asking_for_missing_inputs_is_refused(tiny, tmp_path):
    nll = lambda m, b, r: {"x": answer_nll(m, b.forget)}  # noqa: E731
    with pytest.raises(ValueError, match="reference"):
        run_loss(tiny, tmp_path, Loss(nll, needs_reference=True))
    with pytest.raises(ValueError, match="normal"):
        run_loss(tiny, tmp_path, Loss(nll, uses=frozenset({"forget", "normal"})))
    with pytest.raises(ValueError, match="alternative answers"):
        run_loss(tiny, tmp_path, Loss(nll, uses=frozenset({"forget", "mismatch"})))
    with pytest.raises(ValueError, match="unknown batch kinds"):
        Loss(nll, uses=frozenset({"retain"}))


def test_trainable_limits_what_changes(tiny, tmp_path):
    before = {name: p.detach().clone() for name, p in tiny.model.named_parameters()}
    model, _ = run_loss(tiny, tmp_path, Loss(lambda m, b, r: {"nll": -answer_nll(m, b.forget)}),
                        trainable=r"layers\.1\.self_attn\.o_proj")
    changed = {name for name, p in model.named_parameters() if not torch.equal(p, before[name])}
    assert changed == {"model.layers.1.self_attn.o_proj.weight"}


# -- through the runner -----------------------------------------------------------------------------------


def _run_through_runner(method, tiny_model_dir, tmp_path):
    from unlearn_bench.runner import RunConfig, run

    result = run(RunConfig(task="harmful", method=method, model=str(tiny_model_dir), tier="tiny", out=str(tmp_path),
                           overrides={"max_steps": "2"}, quiet=True))
    steps = result["method_log"]["steps"]
    assert len(steps) == 2 and all(math.isfinite(s["loss"]) for s in steps)
    assert result["method"] == method and result["config"]["method_params"]["max_steps"] == 2


@pytest.mark.parametrize("method", ["npo", "rmu"])
def test_runs_through_the_runner(method, tiny_model_dir, tmp_path):
    _run_through_runner(method, tiny_model_dir, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["simnpo", "idk_dpo", "ga_template"])
def test_the_other_methods_run_through_the_runner(method, tiny_model_dir, tmp_path):
    _run_through_runner(method, tiny_model_dir, tmp_path)
