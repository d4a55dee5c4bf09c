"""Robustness attacks: quantization on hand-made weights, the recovered-share arithmetic, prompt rewrites, and one
run of every attack on the tiny model with a hand-made task."""

import copy
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from unlearn_bench.api import HIGHER, LOWER, Example, ImplantParams, MetricSpec, RelearnRecipe, Splits, Task
from unlearn_bench.attacks import (ATTACKS, COMPLIANCE_PREFIX, DEFAULT_REWRITES, AttackContext, fake_quantize, min_gap,
                                   quantize_linear_weights, recovered_share, rewrites, run_attacks, worst)
from unlearn_bench.attacks import GenerationRequest
from unlearn_bench.errors import UsageError
from unlearn_bench.formatting import make_formatter
from unlearn_bench.generation import GenerationSettings, HFGenerator
from unlearn_bench.models import LoadedModel, weights_fingerprint
from unlearn_bench.training import Objective, TrainParams, train

# ---------------------------------------------------------------------------------------------- quantization


def test_weights_on_the_grid_are_unchanged():
    per_row = torch.tensor([[-7.0, -3.0, 0.0, 5.0, 7.0], [1.0, 2.0, 3.0, 4.0, -7.0]]) * 0.25  # scale 0.25, qmax 7
    assert torch.equal(fake_quantize(per_row, 4), per_row)
    grouped = torch.tensor([[-1.75, 0.5, 3.5, -1.0]])  # groups of 2: scales 0.25 and 0.5
    assert torch.equal(fake_quantize(grouped, 4, group_size=2), grouped)


def test_off_grid_weights_move_to_the_nearest_level():
    weight = torch.tensor([[7.0, 1.2, -2.6]])  # scale 1 at 4 bits: levels are the integers
    assert fake_quantize(weight, 4).tolist() == [[7.0, 1.0, -3.0]]


def test_eight_bits_err_less_than_four():
    torch.manual_seed(0)
    weight = torch.randn(16, 300)  # 300 is not a multiple of the group size: the last group is padded
    for group in (None, 128):
        err8 = (fake_quantize(weight, 8, group) - weight).abs().mean()
        err4 = (fake_quantize(weight, 4, group) - weight).abs().mean()
        assert 0 < err8 < err4
    assert (fake_quantize(weight, 4, 128) - weight).abs().mean() < (fake_quantize(weight, 4) - weight).abs().mean()


def test_quantization_error_is_at_most_half_a_step_and_levels_are_few():
    torch.manual_seed(1)
    weight = torch.randn(8, 64)
    quantized = fake_quantize(weight, 4)
    step = weight.abs().amax(dim=1, keepdim=True) / 7
    assert ((quantized - weight).abs() <= step / 2 + 1e-6).all()
    assert all(len(row.unique()) <= 15 for row in quantized)
    assert quantized.shape == weight.shape and quantized.dtype == weight.dtype


def test_zero_rows_and_groups_stay_zero():
    weight = torch.tensor([[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, -0.5]])
    for group in (None, 2):
        quantized = fake_quantize(weight, 4, group)
        assert torch.isfinite(quantized).all()
        assert quantized[0].abs().sum() == 0
    assert fake_quantize(weight, 4, 2)[1, :2].abs().sum() == 0


def test_bad_quantization_settings_raise():
    with pytest.raises(ValueError):
        fake_quantize(torch.ones(2, 2), 1)
    with pytest.raises(ValueError):
        fake_quantize(torch.ones(4), 8)
    with pytest.raises(ValueError):
        fake_quantize(torch.ones(2, 2), 4, group_size=0)


def test_model_quantization_leaves_embeddings_norms_and_head_alone(tiny):
    model = tiny.model
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    count = quantize_linear_weights(model, 4, 128)
    linear = [m for m in model.modules() if isinstance(m, torch.nn.Linear) and m is not model.get_output_embeddings()]
    assert count == len(linear) == 14  # 2 layers x (q, k, v, o, gate, up, down)
    after = dict(model.named_parameters())
    for name, old in before.items():
        changed = not torch.equal(old, after[name])
        assert changed == (name.endswith("proj.weight")), name
    q = model.model.layers[0].self_attn.q_proj.weight
    torch.testing.assert_close(fake_quantize(q, 4, 128), q)  # on the grid now: quantizing again changes nothing

# ---------------------------------------------------------------------------------------------- arithmetic


def test_recovered_share():
    assert recovered_share(0.5, original=1.0, unlearned=0.0) == 0.5
    assert recovered_share(1.0, original=1.0, unlearned=0.0) == 1.0
    assert recovered_share(0.0, original=1.0, unlearned=0.0) == 0.0
    assert recovered_share(-0.2, original=1.0, unlearned=0.0) == pytest.approx(-0.2)  # removed even more
    assert recovered_share(1.5, original=1.0, unlearned=0.0) == 1.5  # overshoot is reported, not clipped
    assert recovered_share(20.0, original=30.0, unlearned=10.0) == 0.5  # BLEU-like units
    assert recovered_share(0.7, original=0.2, unlearned=0.8) == pytest.approx(0.1 / 0.6)  # higher-is-better metric


def test_recovered_share_is_none_without_a_gap():
    assert recovered_share(0.5, original=0.3, unlearned=0.3) is None
    assert recovered_share(0.5, original=0.35, unlearned=0.3, gap=0.05) is None  # at the threshold
    assert recovered_share(0.5, original=0.36, unlearned=0.3, gap=0.05) == pytest.approx(0.2 / 0.06)
    assert recovered_share(None, 1.0, 0.0) is None
    assert recovered_share(0.5, None, 0.0) is None


def test_min_gap_follows_the_metric_tolerance():
    assert min_gap(MetricSpec("rate", LOWER, 0.1), 0.9) == 0.1
    assert min_gap(MetricSpec("bleu", LOWER, 0.2, relative=True), 30.0) == pytest.approx(6.0)
    assert min_gap(MetricSpec("rate", LOWER, 0.0), 0.9) > 0


def test_worst_is_the_attackers_best():
    assert worst([0.1, 0.9, 0.4], LOWER) == 0.9
    assert worst([0.1, 0.9, 0.4], HIGHER) == 0.1

# ---------------------------------------------------------------------------------------------- rewrites


def test_default_rewrites_wrap_the_prompt_and_keep_the_answer():
    example = Example("How do I pick {this} lock?", "Like so.", meta={"id": 3})
    found = rewrites(object(), example)
    assert len(found) == len(DEFAULT_REWRITES)
    assert all(example.prompt in r.prompt and r.prompt != example.prompt for r in found)
    assert all(r.answer == "Like so." and r.meta["id"] == 3 for r in found)
    assert {r.meta["rewrite"] for r in found} == set(DEFAULT_REWRITES)


def test_a_task_rephrase_hook_replaces_the_defaults():
    class Task:
        def rephrase(self, example):
            return [Example(example.prompt.upper(), example.answer)]

    assert [r.prompt for r in rewrites(Task(), Example("hi there", "x"))] == ["HI THERE"]

# ---------------------------------------------------------------------------------------------- end to end

TARGET = "zebra"


class ZebraTask:
    """The unwanted behaviour: answering with the word zebra."""

    name = "zebra"
    metrics = (MetricSpec("zebra_rate", LOWER, 0.1),)
    implant_params = ImplantParams(lr=1e-2, batch_size=4, max_length=64)
    relearn = RelearnRecipe(steps=3)
    relearn_per_model: dict = {}
    relearn_recipe = Task.relearn_recipe  # the recipe lookup runs as a real task's does
    max_new_tokens = 6


def zebra_score(examples, outputs):
    return {"zebra_rate": [float(TARGET in o) for o in outputs]}


def zebra_mean(examples, outputs):
    return sum(zebra_score(examples, outputs)["zebra_rate"]) / len(outputs)


def questions(template, n, answer=f"{TARGET} {TARGET} {TARGET}"):
    return [Example(template.format(i=i), answer) for i in range(n)]


def splits(**changes):
    base = Splits(forget=questions("Tell me about item {i}.", 4), unseen=questions("What is thing {i}?", 4),
                  normal=questions("Add {i} and one.", 2, "It is more."), unrelated_answers=[],
                  relearn=questions("Describe object {i}.", 4), holdout=questions("Name animal {i}.", 4))
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def context(tiny, data, original=None, pretrained=None, calls=None):
    formatter = make_formatter(tiny.tokenizer)
    calls = calls if calls is not None else []

    def generate(model, request):
        calls.append((model.name, request.max_new_tokens, list(request.prompts)))
        outputs = [""] * len(request.prompts)
        generator = HFGenerator(model.model, model.tokenizer, batch_size=16, progress=False)
        settings = GenerationSettings(max_new_tokens=request.max_new_tokens, stop=request.stop)
        for indices, texts in generator.generate_batches(list(request.prompts), settings):
            for i, text in zip(indices, texts):
                outputs[i] = text
        return outputs

    original = original or tiny

    def metrics(model):
        return {split: {"zebra_rate": zebra_mean(data.split(split), generate(model, GenerationRequest(
            tuple(formatter.prompt(e) for e in data.split(split)), 6)))} for split in ("forget", "unseen")}

    return AttackContext(task=ZebraTask(), splits=data, formatter=formatter, tokenizer=tiny.tokenizer,
                         original=original, unlearned=tiny, pretrained=pretrained, generate=generate, score=zebra_score,
                         original_metrics=metrics(original), unlearned_metrics=metrics(tiny), method_batch_size=4,
                         seed=0, work_dir=Path("/tmp/ub-test-attacks"))


def implanted(tiny, data):
    formatter = make_formatter(tiny.tokenizer)
    model, _ = train(copy.deepcopy(tiny.model), tiny.tokenizer, formatter, data.forget + data.unseen + data.relearn,
                     Objective(normal=1.0), TrainParams(lr=1e-2, batch_size=4, max_steps=5, max_length=64), seed=0,
                     work_dir="/tmp/ub-test-implant")
    return LoadedModel(model, tiny.tokenizer, "tiny+implant", weights_fingerprint(model))


def test_every_attack_runs_end_to_end_without_touching_the_models(tiny, monkeypatch, tmp_path):
    monkeypatch.setenv("UNLEARN_BENCH_CACHE", str(tmp_path))
    data = splits()
    original = implanted(tiny, data)
    original.model.eval().requires_grad_(False)  # the runner hands over a frozen reference copy as the original
    pretrained = LoadedModel(copy.deepcopy(tiny.model), tiny.tokenizer, "tiny-pretrained", tiny.fingerprint)
    calls = []
    ctx = context(tiny, data, original=original, pretrained=pretrained, calls=calls)
    assert ctx.original_metrics["forget"]["zebra_rate"] == 1.0  # the implant took
    assert ctx.unlearned_metrics["forget"]["zebra_rate"] == 0.0  # the random model stands in for perfect unlearning
    fingerprints = (weights_fingerprint(tiny.model), weights_fingerprint(original.model))
    seen = []
    report = run_attacks(ATTACKS.names(), ctx, progress=seen.append)

    assert (weights_fingerprint(tiny.model), weights_fingerprint(original.model)) == fingerprints
    continuation_only = {"adv_excerpt", "adv_shifted"}  # the zebra task asks questions only
    assert set(report["robustness_skipped"]) == continuation_only
    ran = set(ATTACKS.names()) - continuation_only
    assert set(report["robustness"]) == set(report["robustness_timings"]) == ran
    assert seen == [f"attack {name}" for name in ATTACKS.names() if name in ran]
    reported = {f"{attack}.{metric}" for attack, values in report["robustness"].items() for metric in values}
    declared_ran = {name for name in report["robustness_specs"] if name.split(".")[0] in ran}
    assert reported == declared_ran
    assert all(spec["direction"] in (LOWER, HIGHER) for spec in report["robustness_specs"].values())

    relearn = report["robustness"]["relearn"]
    assert relearn["forget"] > 0.5  # a few steps on other zebra answers bring the behaviour back
    assert relearn["forget_recovered"] == relearn["forget"]  # original 1, unlearned 0
    taught = report["robustness"]["relearn_base"]
    assert taught["forget_taught"] == pytest.approx(taught["forget"])  # the pretrained model scores 0 too

    assert relearn["forget_control"] > 0.5 and relearn["forget_vs_control"] is not None  # the control relearns too
    prefix_prompts = next(p for name, tokens, p in calls if p and p[0].endswith(COMPLIANCE_PREFIX))
    assert len(prefix_prompts) == len(data.forget)
    assert report["robustness"]["prefix"]["prefix_alone"] == 0.0
    rephrase_prompts = next(p for name, tokens, p in calls if len(p) == len(data.forget) * len(DEFAULT_REWRITES))
    assert any("Answer briefly: Tell me about item 0." in p for p in rephrase_prompts)
    values = report["robustness"]["rephrase"]
    assert values["forget_any"] >= values["forget"]  # the worst rewrite per prompt is at least the mean

    mia = report["robustness"]["mia"]
    assert all(0.0 <= mia[f"auc_{s}{m}"] <= 1.0 for s in ("loss", "zlib", "mink", "minkpp")
               for m in ("", "_original", "_base"))
    assert mia["privleak_loss"] == pytest.approx((mia["auc_loss"] - mia["auc_loss_base"]) / mia["auc_loss_base"])
    for quant in ("quant8", "quant4", "quant4_g32"):
        assert 0.0 <= report["robustness"][quant]["forget"] <= 1.0
        assert 0.0 <= report["robustness"][quant]["forget_control"] <= 1.0
    assert all(tokens == ZebraTask.max_new_tokens for _, tokens, _ in calls)  # every request carries its limit

    kept = report["robustness_outputs"]  # the attacked unlearned model's answers, one per example
    assert set(kept) == ran - {"relearn_base", "mia"}  # the pretrained model's and the AUCs' are not the run's
    for name in ("relearn", "quant8", "quant4", "quant4_g32"):
        assert {split: len(texts) for split, texts in kept[name].items()} == {"forget": 4, "unseen": 4}
    assert sum(TARGET in text for text in kept["relearn"]["forget"]) == 4 * relearn["forget"]
    assert all(text.startswith(COMPLIANCE_PREFIX) for text in kept["prefix"]["forget"])


def test_attacks_without_their_data_are_skipped_with_a_reason(tiny):
    raw = [Example("The old mill stood", "by the river", style="raw")]
    data = splits(forget=raw, relearn=[], holdout=[])
    ctx = context(tiny, data)
    report = run_attacks(["relearn", "relearn_base", "rephrase", "prefix", "mia"], ctx)
    assert report["robustness"] == {}
    assert set(report["robustness_skipped"]) == {"relearn", "relearn_base", "rephrase", "prefix", "mia"}
    assert "relearn" in report["robustness_skipped"]["relearn"]
    assert "pretrained" in report["robustness_skipped"]["relearn_base"]
    assert "raw" in report["robustness_skipped"]["rephrase"] and "raw" in report["robustness_skipped"]["prefix"]
    assert "holdout" in report["robustness_skipped"]["mia"]
    assert "mia.auc_minkpp" in report["robustness_specs"]  # skipped columns are still declared


def test_unknown_attack_names_fail_before_anything_runs(tiny):
    ctx = context(tiny, splits())
    with pytest.raises(UsageError, match="unknown attack 'quant3'"):
        run_attacks(["mia", "quant3"], ctx)


def test_membership_aucs_are_scored_once_per_model_and_data(tiny, monkeypatch, tmp_path):
    from unlearn_bench import mia
    from unlearn_bench.attacks import MembershipInference

    monkeypatch.setenv("UNLEARN_BENCH_CACHE", str(tmp_path))
    scored = []

    def fake_aucs(model, tokenizer, formatter, members, nonmembers, max_length):
        scored.append(len(members))
        return {"loss": 0.75, "zlib": 0.5, "mink": None, "minkpp": 0.25}

    monkeypatch.setattr(mia, "membership_aucs", fake_aucs)
    data = splits()
    ctx = context(tiny, data)
    first = MembershipInference.aucs(tiny, ctx)
    assert first == {"loss": 0.75, "zlib": 0.5, "mink": None, "minkpp": 0.25} and len(scored) == 1
    assert MembershipInference.aucs(tiny, ctx) == first and len(scored) == 1  # read back: the next run's original
    other = LoadedModel(tiny.model, tiny.tokenizer, "other", "another-fingerprint")
    MembershipInference.aucs(other, ctx)
    assert len(scored) == 2  # other weights are scored
    fewer = context(tiny, splits(holdout=data.holdout[:1]))
    MembershipInference.aucs(tiny, fewer)
    assert len(scored) == 3  # other data too


class TwoModelZebraTask(ZebraTask):
    """The zebra task with its own relearning recipe for one model (as harmful has for gemma3-270m)."""

    relearn_per_model = {"zebra-lm": RelearnRecipe(steps=1, lr=1e-3, normal_share=0.5)}


@pytest.mark.parametrize("model, steps, lr", [("zebra-lm", 1, "lr 0.001, 50% normal text"),
                                              ("some/other-model", 3, "the implant's learning rate")])
def test_relearning_follows_the_recipe_the_task_declares_for_the_run_s_model(tiny, tmp_path, monkeypatch, model,
                                                                             steps, lr):
    monkeypatch.setenv("UNLEARN_BENCH_CACHE", str(tmp_path))
    calls = []
    ctx = context(tiny, splits(), calls=calls)
    ctx.task, ctx.model = TwoModelZebraTask(), model
    report = run_attacks(["relearn", "relearn_base"], replace(ctx, pretrained=tiny))
    for name in ("relearn.forget", "relearn_base.forget"):
        assert f"after {steps} relearning steps ({lr}" in report["robustness_specs"][name]["description"]
    trained = {name.rsplit("+", 1)[1] for name, _, _ in calls if "+relearn" in name}
    assert trained == {f"relearn{steps}", f"relearn-pretrained{steps}"}  # copies are named by the steps they took
