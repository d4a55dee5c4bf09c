"""`unlearn-bench bench`: figures, never assertions.

1. Generation throughput of the project's batched backend against a plain loop calling `model.generate` on one
   prompt at a time, on the same prompts and model, in one process; prints both rates and their ratio.
2. One gradient-ascent optimiser step (the `ga` objective through the same Trainer the methods use): seconds
   per step and peak memory (GPU: torch's peak allocation; CPU: the growth of the process's peak RSS).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

import torch

from .api import Example
from .formatting import make_formatter
from .generation import DEFAULT_BATCH_SIZE, GenerationSettings, HFGenerator
from .models import EMBEDDED_DEFAULT, load_model
from .registry import TASKS
from .training import Objective, TrainParams, train


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default=EMBEDDED_DEFAULT, help="model to measure (default: embedded default)")
    parser.add_argument("--prompts", type=int, default=32, help="number of prompts for the generation benchmark")
    parser.add_argument("--max-new-tokens", type=int, default=64, help="tokens generated per prompt")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="batch size of the batched backend")
    parser.add_argument("--ga-steps", type=int, default=3, help="optimiser steps to time (first one is warm-up)")
    parser.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")


def bench_prompts(n: int) -> list[Example]:
    """Normal prompts of the harmful task's mini tier (varied lengths, as in a real run)."""
    task = TASKS.create("harmful")
    splits = task.build_splits("mini", task.options("mini", {"n_normal": str(n)}))
    return splits.normal[:n]


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@torch.no_grad()
def plain_generate(model, tokenizer, prompt: str, max_new_tokens: int) -> str:
    """The baseline: one prompt, one greedy `model.generate` call."""
    enc = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
    out = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id)
    return tokenizer.decode(out[0, enc["input_ids"].shape[1]:], skip_special_tokens=True)


def generation_figures(model, tokenizer, prompts: list[str], settings: GenerationSettings, batch_size: int) -> dict:
    count = lambda texts: sum(len(tokenizer(t, add_special_tokens=False)["input_ids"]) for t in texts)
    started = time.perf_counter()
    batched = [t for _, texts in HFGenerator(model, tokenizer, batch_size, progress=False)
               .generate_batches(prompts, settings) for t in texts]
    batched_s = time.perf_counter() - started
    started = time.perf_counter()
    plain = [plain_generate(model, tokenizer, p, settings.max_new_tokens) for p in prompts]
    plain_s = time.perf_counter() - started
    return {"prompts": len(prompts), "max_new_tokens": settings.max_new_tokens, "batch_size": batch_size,
            "batched_s": round(batched_s, 2), "plain_loop_s": round(plain_s, 2),
            "batched_tokens_per_s": round(count(batched) / batched_s, 1),
            "plain_tokens_per_s": round(count(plain) / plain_s, 1),
            "speedup": round(plain_s / batched_s, 2)}


def ga_step_figures(model, tokenizer, formatter, examples: list[Example], steps: int) -> dict:
    params = TrainParams(lr=1e-5, batch_size=4, max_steps=steps, max_length=128)
    forget = [Example(e.prompt, (e.answer + " ") * 8) for e in examples[: 4 * steps]]  # ~128-token rows
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    rss_before = _peak_rss_mib()
    _, log = train(model, tokenizer, formatter, forget, Objective(forget=1.0), params, seed=0,
                   work_dir="/tmp/unlearn-bench-bench")
    per_step = log.wall_time_s / max(1, log.extra["optimizer_steps"])
    figures = {"batch": "4 x <=128 tokens", "steps": log.extra["optimizer_steps"],
               "seconds_per_step": round(per_step, 2), "tokens": log.tokens}
    if torch.cuda.is_available():
        figures["peak_gpu_mib"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    figures["peak_rss_mib"] = round(_peak_rss_mib(), 1)
    figures["peak_rss_growth_mib"] = round(_peak_rss_mib() - rss_before, 1)
    return figures


def main(args) -> int:
    loaded = load_model(args.model)
    formatter = make_formatter(loaded.tokenizer)
    examples = bench_prompts(args.prompts)
    prompts = [formatter.prompt(e) for e in examples]
    settings = GenerationSettings(max_new_tokens=args.max_new_tokens)
    figures = {"model": args.model, "threads": torch.get_num_threads(),
               "generation": generation_figures(loaded.model, loaded.tokenizer, prompts, settings, args.batch_size),
               "ga_step": ga_step_figures(loaded.model, loaded.tokenizer, formatter, examples, args.ga_steps)}
    gen = figures["generation"]
    print(f"generation: batched {gen['batched_tokens_per_s']} tok/s vs plain loop {gen['plain_tokens_per_s']} tok/s "
          f"-> {gen['speedup']}x faster ({gen['prompts']} prompts, {gen['max_new_tokens']} new tokens)")
    ga = figures["ga_step"]
    print(f"ga step: {ga['seconds_per_step']} s/step, peak RSS {ga['peak_rss_mib']} MiB")
    json.dump(figures, sys.stdout, indent=2)
    print()
    if args.json_out:
        from .io import write_json

        write_json(args.json_out, figures)
    return 0
