"""Measured training memory per parameter, and the arithmetic for 1B-8B models (the README's "Scaling up and out").

For each model and method family, a fresh child process loads the model in fp32, takes a few optimiser steps on
the benchmark's own training path (`unlearn_bench.training.train`: Trainer, AdamW) and reports its peak resident
memory (VmHWM) above its baseline after the libraries are imported, divided by the parameter count:

    ga     weights + gradients + AdamW's two states
    ga_kl  the same + a frozen fp32 reference copy (forward passes through it for the KL term)
    npo    the same + a frozen fp32 reference copy, which computes the forget answers' log-probs once before
           training and is not called during it (on a GPU `train` would move it to host memory meanwhile; on the
           CPU it stays in this process's memory, so it counts in the peak either way)

The peak also holds the step's activations (batch x length x vocabulary logits dominate at small models), so the
measured bytes per parameter sit above the pure state arithmetic printed after them. CPU only, a few minutes:

    .venv/bin/python scripts/memory_per_param.py --models smollm2-135m-instruct tiny --steps 3
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys

FAMILIES = ("ga", "ga_kl", "npo")
GIB = 1024**3

# The states a full fine-tune keeps per parameter, in bytes: (weights, gradients, AdamW states, frozen reference).
PRECISIONS = {
    "fp32 (this benchmark today)": (4, 4, 8, 4),
    "bf16 mixed (fp32 master + AdamW)": (2 + 4, 2, 8, 2),
    "pure bf16 (not for lr ~1e-6)": (2, 2, 4, 2),
}
MODEL_SIZES = {"1B (Llama-3.2-1B)": 1.24e9, "7B (Llama-2-7B)": 6.74e9, "8B (Llama-3.1-8B)": 8.03e9}
GPUS_GB = (80, 141)
HEADROOM = 0.9  # "fits" leaves 10% of the GPU for activations, the CUDA context and fragmentation
SHARDS = 8


def vm_kib(field: str) -> int:
    """A /proc/self/status field in KiB (VmRSS: now, VmHWM: the peak so far)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def tiny_model(tokenizer):
    """The test suite's tiny model: a 2-layer Llama over the real 49k-token vocabulary (mostly embeddings)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=True)
    return LlamaForCausalLM(config)


def examples(count: int, words: int):
    from unlearn_bench.api import Example

    return [Example(f"Question {i}: tell me about item {i}.", " ".join(f"word{i}_{k}" for k in range(words)))
            for i in range(count)]


def family_loss(family: str):
    from unlearn_bench.training import Objective

    if family == "ga":
        return Objective(forget=1.0).loss()
    if family == "ga_kl":
        return Objective(forget=1.0, kl=1.0).loss()
    from unlearn_bench.methods.npo import NegativePreferenceOptimization

    method = NegativePreferenceOptimization()
    return method.loss(method.Params(retain="none"))


def child(model_name: str, family: str, steps: int, batch_size: int, max_length: int) -> dict:
    """One measurement in this (fresh) process: load, train `steps` steps, report the peak above the baseline."""
    import tempfile

    import torch
    import transformers
    from transformers import Trainer, TrainingArguments  # noqa: F401  (imported before the baseline on purpose)

    from unlearn_bench.formatting import make_formatter
    from unlearn_bench.models import EMBEDDED_DEFAULT, MODELS, _converted_embedded, load_model, prepare_tokenizer
    from unlearn_bench.training import TrainParams, train

    transformers.logging.set_verbosity_error()
    torch.manual_seed(0)
    if model_name == "tiny":  # only the embedded model's tokenizer, loaded before the baseline
        tokenizer = transformers.AutoTokenizer.from_pretrained(_converted_embedded(EMBEDDED_DEFAULT,
                                                                                   MODELS[EMBEDDED_DEFAULT]))
        prepare_tokenizer(tokenizer)
        baseline = vm_kib("VmRSS")
        model = tiny_model(tokenizer)
    else:
        baseline = vm_kib("VmRSS")
        loaded = load_model(model_name, dtype=torch.float32)
        tokenizer, model = loaded.tokenizer, loaded.model
    parameters = sum(p.numel() for p in model.parameters())
    with torch.no_grad():  # fault in weights that loading left memory-mapped, so they count as loaded
        for parameter in model.parameters():
            parameter.sum()
    after_load = vm_kib("VmRSS")
    loss = family_loss(family)
    reference = copy.deepcopy(model).eval().requires_grad_(False) if loss.needs_reference else None
    params = TrainParams(lr=1e-6, batch_size=batch_size, max_steps=steps, max_length=max_length)
    with tempfile.TemporaryDirectory() as work_dir:
        train(model, tokenizer, make_formatter(tokenizer), examples(batch_size * steps, max_length), loss, params,
              seed=0, work_dir=work_dir, normal=examples(batch_size * steps, max_length), reference=reference)
    peak = vm_kib("VmHWM")
    return {"model": model_name, "family": family, "parameters": parameters,
            "weights_bytes_per_param": (after_load - baseline) * 1024 / parameters,
            "peak_bytes_per_param": (peak - baseline) * 1024 / parameters,
            "peak_mib_above_baseline": (peak - baseline) / 1024, "steps": steps,
            "batch_size": batch_size, "max_length": max_length}


def measure(models, steps: int, batch_size: int, max_length: int) -> list[dict]:
    rows = []
    for model_name in models:
        for family in FAMILIES:
            command = [sys.executable, __file__, "--child", model_name, family, "--steps", str(steps),
                       "--batch-size", str(batch_size), "--max-length", str(max_length)]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"{model_name}/{family} failed:\n{done.stderr[-3000:]}")
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"measured {model_name:>22} {family:<6} {rows[-1]['peak_bytes_per_param']:.1f} B/param",
                  file=sys.stderr)
    return rows


def print_measurements(rows: list[dict]) -> None:
    print("## Measured: peak RSS above the import baseline, per parameter (fp32, CPU)\n")
    print("| model | parameters | family | weights only B/param | training peak B/param | peak MiB | ratio to ga |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for row in rows:
        ga = next(r for r in rows if r["model"] == row["model"] and r["family"] == "ga")
        ratio = row["peak_bytes_per_param"] / ga["peak_bytes_per_param"]
        print(f"| {row['model']} | {row['parameters'] / 1e6:.1f}M | {row['family']} | "
              f"{row['weights_bytes_per_param']:.1f} | {row['peak_bytes_per_param']:.1f} | "
              f"{row['peak_mib_above_baseline']:.0f} | {ratio:.2f} |")
    first = rows[0]
    print(f"\n({first['steps']} steps, batch {first['batch_size']}, max length {first['max_length']} tokens; "
          "the peak includes activations and the logits of the batch)\n")


def fits(gb: float) -> str:
    return " / ".join("yes" if gb <= HEADROOM * limit else "no" for limit in GPUS_GB)


def print_arithmetic() -> None:
    print("## Arithmetic (states only, activations excluded): bytes per parameter x parameters\n")
    print(f"Columns: GB (1e9 bytes) for the training state; whether it fits one {GPUS_GB[0]} GB / {GPUS_GB[1]} GB "
          f"GPU within {HEADROOM:.0%} of its memory; GB per GPU sharded {SHARDS} ways (FSDP / ZeRO-3).")
    print("The ga columns hold for the methods that keep no reference on the GPU while training (ga, sft, simnpo; "
          "npo and idk_dpo unless retain=kl: they read precomputed reference log-probs); +reference for the rest.\n")
    print("| model | precision | W+G+AdamW B/param | ga GB | fits 1 GPU | +reference GB | fits 1 GPU | "
          f"+reference GB / GPU over {SHARDS} |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for model, count in MODEL_SIZES.items():
        for precision, (weights, grads, adam, reference) in PRECISIONS.items():
            state = weights + grads + adam
            ga_gb = state * count / 1e9
            ref_gb = (state + reference) * count / 1e9
            print(f"| {model} | {precision} | {state} | {ga_gb:.0f} | {fits(ga_gb)} | {ref_gb:.0f} | "
                  f"{fits(ref_gb)} | {ref_gb / SHARDS:.1f} |")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["smollm2-135m-instruct", "tiny"])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--arithmetic-only", action="store_true", help="print the arithmetic, measure nothing")
    parser.add_argument("--child", nargs=2, metavar=("MODEL", "FAMILY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child, args.steps, args.batch_size, args.max_length)))
        return
    if not args.arithmetic_only:
        print_measurements(measure(args.models, args.steps, args.batch_size, args.max_length))
    print_arithmetic()


if __name__ == "__main__":
    main()
