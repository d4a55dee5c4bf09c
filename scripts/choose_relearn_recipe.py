"""Choose a task's relearning recipe on the controls only: the `none` control (the implanted model, never
unlearned) and the pretrained model (before implanting). No unlearned model is looked at, so the recipe cannot be
tuned to flatter or to sink a method.

For each candidate (steps x learning rate x share of normal text in the batches) it relearns both controls on the
task's relearn split and measures the primary forget metric:

    kept  = (control after - pretrained before) / (original - pretrained before): how much of its implanted
            behaviour the control keeps under the relearning steps (1 = all of it; the copyright recipe at 8a17390
            kept ~0.05)
    gain  = (pretrained after - pretrained before) / (original - pretrained before): how much of that behaviour the
            steps teach a model that never had it (0 = nothing)

Rule: among candidates with kept >= 0.5 and gain <= 0.2, take the strongest (most steps x learning rate: the
hardest test of the forgetting that still leaves the control intact and teaches the pretrained model little); ties
go to the higher kept. When none qualifies the script says so and the task keeps its default. Write the choice into
the task as `relearn = RelearnRecipe(...)` (with --model: an entry of `relearn_per_model`, for that model only) and
the printed table into the README.

    python scripts/choose_relearn_recipe.py --task copyright [--tier mini] [--steps 5 10 20] [--lrs 3e-4 1e-4 3e-5]
        [--normal-shares 0 0.5] [--batch-size 4] [--seed 1] [--model NAME]

Cost on the mini tier: two relearnings and two generation passes over the forget prompts per candidate.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

from unlearn_bench.results import RECIPE_MAX_GAIN as MAX_GAIN, RECIPE_MIN_KEPT as MIN_KEPT
from unlearn_bench.results import recipe_shares as shares


@dataclass(frozen=True)
class Candidate:
    steps: int
    lr: float | None  # None: the implant's learning rate
    normal_share: float = 0.0


@dataclass(frozen=True)
class Outcome:
    candidate: Candidate
    kept: float | None
    gain: float | None


def strength(candidate: Candidate, implant_lr: float) -> float:
    return candidate.steps * (implant_lr if candidate.lr is None else candidate.lr)


def choose(outcomes: list[Outcome], implant_lr: float, min_kept: float = MIN_KEPT,
           max_gain: float = MAX_GAIN) -> Outcome | None:
    """The strongest candidate the controls accept, or None."""
    accepted = [o for o in outcomes if o.kept is not None and o.gain is not None
                and o.kept >= min_kept and o.gain <= max_gain]
    if not accepted:
        return None
    return max(accepted, key=lambda o: (strength(o.candidate, implant_lr), o.kept))


def candidates(steps: list[int], lrs: list[float | None], normal_shares: list[float]) -> list[Candidate]:
    return [Candidate(s, lr, share) for s, lr, share in itertools.product(steps, lrs, normal_shares)]


def measure(task_name: str, tier: str, grid: list[Candidate], batch_size: int, seed: int, work: Path,
            model_name: str) -> tuple:
    """Relearn the control and the pretrained model with every candidate; returns (outcomes, implant lr)."""
    from transformers import set_seed

    from unlearn_bench.api import RelearnRecipe
    from unlearn_bench.attacks import AttackContext, GenerationRequest, mean, min_gap
    from unlearn_bench.attacks.relearn import relearned, release
    from unlearn_bench.formatting import make_formatter
    from unlearn_bench.generation import GenerationSettings, generate_cached, make_generator
    from unlearn_bench.implant import implanted
    from unlearn_bench.models import load_model
    from unlearn_bench.registry import TASKS

    set_seed(seed)
    task = TASKS.create(task_name)
    options = task.options(tier, {})
    splits = task.build_splits(tier, options)
    task.prepare(splits, options)
    pretrained = load_model(model_name)
    formatter = make_formatter(pretrained.tokenizer)
    original, _ = implanted(pretrained, task, tier, options, formatter, splits.implant, work / "implant")

    def generate(model, request: GenerationRequest) -> list[str]:
        settings = GenerationSettings(max_new_tokens=request.max_new_tokens, stop=request.stop, seed=seed)
        texts, _ = generate_cached(lambda: make_generator(model.model, model.tokenizer, seed=seed, progress=False,
                                                          stop_token_ids=formatter.stop_token_ids()),
                                   model.fingerprint, list(request.prompts), settings, cache=None)
        return texts

    ctx = AttackContext(task=task, splits=splits, formatter=formatter, tokenizer=pretrained.tokenizer,
                        original=original, unlearned=original, pretrained=pretrained, generate=generate,
                        score=lambda examples, texts: task.score(examples, texts, options), original_metrics={},
                        unlearned_metrics={}, method_batch_size=batch_size, seed=seed, work_dir=work / "relearn",
                        answer_tokens=task.generation_tokens(options), model=model_name)

    def forget(model) -> float:
        return mean(ctx.values(splits.forget, ctx.outputs(model, splits.forget)))

    original_value, pretrained_before = forget(original), forget(pretrained)
    print(f"{task_name}: {task.primary_metric} on forget: original {original_value:.3f}, "
          f"pretrained {pretrained_before:.3f}")
    gap = min_gap(ctx.primary, original_value)
    outcomes = []
    for candidate in grid:
        recipe = RelearnRecipe(candidate.steps, candidate.lr, candidate.normal_share)
        after = []
        for source, label in ((original, "control"), (pretrained, "pretrained")):
            model = relearned(ctx, source, f"choose-{label}", recipe)
            after.append(forget(model))
            del model
            release()
        kept, gain = shares(original_value, pretrained_before, after[0], after[1], gap)
        outcomes.append(Outcome(candidate, kept, gain))
        print(f"  {candidate}: control {after[0]:.3f} (kept {_fmt(kept)}), "
              f"pretrained {after[1]:.3f} (gain {_fmt(gain)})", flush=True)
    return outcomes, task.implant_params.lr


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", required=True)
    parser.add_argument("--tier", default="mini")
    parser.add_argument("--steps", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--lrs", type=float, nargs="+", default=None,
                        help="learning rates (default: the implant's, a third and a tenth of it)")
    parser.add_argument("--normal-shares", type=float, nargs="+", default=[0.0, 0.5])
    parser.add_argument("--batch-size", type=int, default=4, help="the methods' batch size on the mini tier")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model", default=None, help="the model to check the recipe on (default: the embedded "
                        "default; the leaderboard flags a (task, model) whose recipe fails, from its none row)")
    parser.add_argument("--work", default="runs/.work/choose-relearn")
    args = parser.parse_args(argv)
    from unlearn_bench.models import EMBEDDED_DEFAULT
    from unlearn_bench.registry import TASKS

    implant_lr = TASKS.get(args.task).implant_params.lr
    lrs = args.lrs or [None, implant_lr / 3, implant_lr / 10]
    outcomes, implant_lr = measure(args.task, args.tier, candidates(args.steps, lrs, args.normal_shares),
                                   args.batch_size, args.seed, Path(args.work) / args.task,
                                   args.model or EMBEDDED_DEFAULT)
    chosen = choose(outcomes, implant_lr)
    if chosen is None:
        print(f"no candidate keeps >= {MIN_KEPT} of the control's behaviour while teaching the pretrained model "
              f"<= {MAX_GAIN}: keep the default and widen the grid")
        return 1
    print(f"chosen: {declaration(chosen.candidate, args.model)} (kept {_fmt(chosen.kept)}, gain {_fmt(chosen.gain)})")
    return 0


def declaration(candidate: Candidate, model: str | None) -> str:
    """The line to write into the task: its own recipe for the default model, a per-model entry for another."""
    recipe = f"RelearnRecipe(steps={candidate.steps}, lr={candidate.lr!r}, normal_share={candidate.normal_share})"
    return f"relearn_per_model = {{{model!r}: {recipe}}}" if model else f"relearn = {recipe}"


if __name__ == "__main__":
    sys.exit(main())
