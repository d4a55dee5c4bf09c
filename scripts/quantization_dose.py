"""Dose-response of weight quantization on one unlearned model and its control: does coarser quantization bring
back more of the forgotten behaviour, or does recovery jump between settings of similar error?

The `quant4` and `quant4_g32` probes each apply one setting. When they disagree (on SmolLM2's harmful `ga_mismatch`,
seed 1: 93% back in groups of 32 and 18% in groups of 128), this script sweeps the setting: for every (bits, group
size) it quantizes-dequantizes every Linear weight but the output head (the probes' own `fake_quantize`), then
measures the task's primary metric on the forget prompts, for the unlearned model and for the original (the
control), with the relative RMS error the setting puts on the weights. It trains the method once through
`unlearn-bench run --keep-model` (generation and implant come from the caches when the run was made before).

    python scripts/quantization_dose.py --task harmful --method ga_mismatch --seed 1 [--bits 4] \
        [--group-sizes 8 16 32 64 128 0] [--out runs/quant-dose]

Group size 0 means one scale per output channel (quant8's layout).
"""

from __future__ import annotations

import argparse
import copy
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import torch


@dataclass(frozen=True)
class Setting:
    bits: int
    group_size: int | None  # None: per output channel

    @property
    def label(self) -> str:
        return f"{self.bits}-bit, " + ("per channel" if self.group_size is None else f"groups of {self.group_size}")


def settings(bits: list[int], group_sizes: list[int]) -> list[Setting]:
    return [Setting(b, g or None) for b in bits for g in group_sizes]


@torch.no_grad()
def relative_rms_error(model: torch.nn.Module, setting: Setting) -> float:
    """sqrt(sum((q - w)^2) / sum(w^2)) over the weights the probes quantize."""
    from unlearn_bench.attacks.quantization import fake_quantize, quantized_linears

    error = total = 0.0
    for layer in quantized_linears(model):
        weight = layer.weight.float()
        error += float(((fake_quantize(weight, setting.bits, setting.group_size) - weight) ** 2).sum())
        total += float((weight ** 2).sum())
    return (error / total) ** 0.5 if total else 0.0


def recovered(after: float, unlearned: float, control_after: float, gap: float) -> float | None:
    """The probes' share against the control: (after - unlearned) / (control after - unlearned), None within gap;
    the attacks' recovered_share with the attacked control in the original's place."""
    from unlearn_bench.attacks import recovered_share

    return recovered_share(after, control_after, unlearned, gap)


def train_kept(task: str, method: str, seed: int, tier: str, out: Path) -> Path:
    """The unlearned weights of one run, trained (or found) under out/.work by `unlearn-bench run --keep-model`."""
    found = sorted(out.glob(f".work/{task}/{method}__*__{tier}__seed{seed}__*/unlearned"))
    if not found:
        command = [sys.executable, "-m", "unlearn_bench", "run", "--task", task, "--method", method, "--seed",
                   str(seed), "--tier", tier, "--out", str(out), "--keep-model", "--quiet"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # its stdout is the result file again
        found = sorted(out.glob(f".work/{task}/{method}__*__{tier}__seed{seed}__*/unlearned"))
    if not found:
        raise SystemExit(f"no unlearned model under {out}/.work/{task} after the run; expected one from --keep-model")
    return found[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", required=True)
    parser.add_argument("--method", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tier", default="mini")
    parser.add_argument("--bits", type=int, nargs="+", default=[4])
    parser.add_argument("--group-sizes", type=int, nargs="+", default=[8, 16, 32, 64, 128, 0])
    parser.add_argument("--out", default="runs/quant-dose")
    args = parser.parse_args(argv)
    if any(b < 2 for b in args.bits) or any(g < 0 for g in args.group_sizes):
        print(f"--bits {args.bits} --group-sizes {args.group_sizes}: expected bits >= 2 and group sizes >= 0 "
              "(0: per output channel)", file=sys.stderr)
        return 2

    from transformers import set_seed

    from unlearn_bench.attacks import mean, min_gap
    from unlearn_bench.attacks.quantization import quantize_linear_weights
    from unlearn_bench.formatting import make_formatter
    from unlearn_bench.generation import GenerationSettings, generate_cached, make_generator
    from unlearn_bench.implant import implanted
    from unlearn_bench.models import EMBEDDED_DEFAULT, load_model
    from unlearn_bench.registry import TASKS

    saved = train_kept(args.task, args.method, args.seed, args.tier, Path(args.out))
    set_seed(args.seed)
    task = TASKS.create(args.task)
    options = task.options(args.tier, {})
    splits = task.build_splits(args.tier, options)
    task.prepare(splits, options)
    pretrained = load_model(EMBEDDED_DEFAULT)
    formatter = make_formatter(pretrained.tokenizer)
    original, _ = implanted(pretrained, task, args.tier, options, formatter, splits.implant, Path(args.out) / "implant")
    unlearned = load_model(str(saved))
    primary = task.metrics[0]
    prompts = [formatter.prompt(e) for e in splits.forget]
    generation = GenerationSettings(max_new_tokens=task.generation_tokens(options),
                                    stop=tuple(formatter.stop_strings(splits.forget[0])), seed=args.seed)

    def forget(model: torch.nn.Module) -> float:
        texts, _ = generate_cached(lambda: make_generator(model, pretrained.tokenizer, seed=args.seed, progress=False,
                                                          stop_token_ids=formatter.stop_token_ids()),
                                   "", prompts, generation, cache=None)  # no cache: quantized weights are throwaway
        return mean(task.score(splits.forget, texts, options)[primary.name])

    plain = {"unlearned": forget(unlearned.model), "original": forget(original.model)}
    gap = min_gap(primary, plain["original"])
    print(f"{args.task} / {args.method} / seed {args.seed}: {primary.name} on forget, unlearned "
          f"{plain['unlearned']:.3f}, original {plain['original']:.3f}")
    print("| setting | RMS error | unlearned | original (control) | share vs control |")
    print("|---|---|---|---|---|")
    for setting in settings(args.bits, args.group_sizes):
        after = {}
        for name, loaded in (("unlearned", unlearned), ("original", original)):
            model = copy.deepcopy(loaded.model)
            quantize_linear_weights(model, setting.bits, setting.group_size)
            after[name] = forget(model)
            del model
        share = recovered(after["unlearned"], plain["unlearned"], after["original"], gap)
        print(f"| {setting.label} | {relative_rms_error(unlearned.model, setting):.1%} | {after['unlearned']:.3f} | "
              f"{after['original']:.3f} | {'n/a' if share is None else f'{share:.0%}'} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
