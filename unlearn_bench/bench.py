"""`unlearn-bench bench`: figures, never assertions.

Everything is measured in one process, side by side, on the same prompts and model, so the figures share
the machine's load of the moment (printed with each row: other engineers' jobs move these numbers a lot on a
shared 2-core machine):

1. The machine's matmul peak: a large fp32 torch matmul, at the thread count generation gets and at 1 thread.
2. Generation rows, each in tokens/s and as a share of that peak (forward FLOPs per token = 2 x the weights
   of the model's linear layers, the LM head included): the plain one-prompt-at-a-time loop; batched HF as
   it was before the tuning (batch 32, torch's default threads: `hf-before`); the tuned HF path (threads
   from the load, `hf`, what `make_generator` builds); HF variants (static KV cache; one batch of all
   prompts when there are more than a batch); vLLM when it is usable, with its engine start-up time, an
   in-place weight reload, and the number of greedy outputs identical to HF's. The plain loop runs at the
   tuned thread count, so it measures what batching alone buys.
3. Where the batched HF time goes: the decode-shape ceiling (the model's linear layers alone on one token per
   row of a batch: what batched generation could reach if nothing else cost time) and a torch-profiler split of
   one batch into matmuls, attention, element-wise and norm ops, copies (the KV cache), other ops and time
   outside any op (Python and the generate loop).
4. One gradient-ascent optimiser step: seconds, and its share of the FLOP limit (6 x weights x tokens).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import torch

from .api import Example
from .execution import check_versions, resolve
from .formatting import make_formatter
from .generation import (DEFAULT_BATCH_SIZE, GenerationSettings, HFGenerator, auto_threads, busy_cores_elsewhere,
                         record_speeds, shutdown_engines, torch_threads, vllm_usable)
from .models import EMBEDDED_DEFAULT, load_model
from .registry import TASKS
from .training import Objective, TrainParams, train



def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default=EMBEDDED_DEFAULT, help="model to measure (default: embedded default)")
    parser.add_argument("--prompts", type=int, default=32, help="number of prompts for the generation benchmark")
    parser.add_argument("--max-new-tokens", type=int, default=64, help="tokens generated per prompt")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="batch size of the batched backend")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (as for run)")
    parser.add_argument("--dtype", default="auto", help="auto, float32, bfloat16 or float16 (as for run)")
    parser.add_argument("--plain-prompts", type=int, default=8,
                        help="prompts for the slow one-at-a-time loop (a subset; its rate does not depend on the count)")
    parser.add_argument("--ga-steps", type=int, default=3, help="optimiser steps to time (first one is warm-up)")
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["plain", "before", "variants", "profile", "vllm", "train"], help="parts to leave out")
    parser.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")


# --- pure arithmetic (tested on hand-made numbers) -------------------------------------------------------

def linear_weights(model: torch.nn.Module) -> int:
    """Weights that take part in matmuls per token: every nn.Linear (a tied LM head counts: it is a matmul)."""
    return sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))


def forward_flops_per_token(weights: int) -> float:
    """Multiply-adds of a forward pass through `weights` matmul weights (attention scores left out: small at
    these context lengths)."""
    return 2.0 * weights


def train_flops(weights: int, tokens: int) -> float:
    """Forward + backward of a training step: ~6 FLOPs per weight per token."""
    return 6.0 * weights * tokens


def matmul_flops(n: int, repeats: int = 1) -> float:
    return 2.0 * n**3 * repeats


def share_of_peak(flops_per_s: float, peak_flops_per_s: float) -> float | None:
    """The share of the measured peak a workload reached (None when the peak is unknown)."""
    return flops_per_s / peak_flops_per_s if peak_flops_per_s > 0 else None


def tokens_per_s(tokens: int, seconds: float) -> float:
    return tokens / seconds if seconds > 0 else 0.0


# Torch ops by what they do, for the time split (self time: a parent op's children are counted once, in theirs).
OP_GROUPS: dict[str, tuple[str, ...]] = {
    "matmul": ("mm", "addmm", "bmm", "baddbmm", "matmul", "linear"),
    "attention": ("scaled_dot_product_attention", "_scaled_dot_product_flash_attention_for_cpu",
                  "_scaled_dot_product_attention_math", "softmax", "_softmax"),
    "elementwise+norm": ("add", "add_", "sub", "mul", "mul_", "div", "neg", "rsqrt", "pow", "mean", "silu", "exp",
                         "tanh", "where", "masked_fill", "masked_fill_", "cos", "sin", "embedding", "argmax", "max",
                         "eq", "ne", "lt", "gt", "ge", "le", "all", "any", "isin", "cumsum", "bitwise_or",
                         "bitwise_and", "logical_and", "logical_or", "logical_not", "fill_", "zero_"),
    "copies": ("cat", "copy_", "clone", "contiguous", "_to_copy", "to", "index_select", "index_copy_",
               "index_put_", "stack", "expand", "repeat", "empty", "zeros", "ones", "full", "arange",
               "empty_strided", "new_zeros", "new_ones", "slice_scatter", "narrow_copy"),
}


def op_group(name: str) -> str:
    """The group of a profiler event name such as "aten::addmm" (anything unlisted is "other ops")."""
    op = name.split("::", 1)[-1]
    return next((group for group, ops in OP_GROUPS.items() if op in ops), "other ops")


def time_split(op_self_seconds: dict[str, float], wall_seconds: float) -> dict[str, float]:
    """Shares of `wall_seconds` per op group, plus "outside ops" for what no op accounts for (never negative)."""
    if wall_seconds <= 0:
        return {}
    groups: dict[str, float] = {group: 0.0 for group in (*OP_GROUPS, "other ops")}
    for name, seconds in op_self_seconds.items():
        groups[op_group(name)] += seconds
    groups["outside ops"] = max(0.0, wall_seconds - sum(groups.values()))
    return {group: seconds / wall_seconds for group, seconds in groups.items()}


# --- measurements ---------------------------------------------------------------------------------------

def load_now() -> dict:
    """The machine's load as this process sees it: 1-minute load average and cores busy with other work."""
    busy = busy_cores_elsewhere()
    return {"loadavg_1m": round(os.getloadavg()[0], 2), "busy_cores_elsewhere": None if busy is None else round(busy, 2)}


def synchronize(device: torch.device | str) -> None:
    """Wait for queued GPU work, so that a timer read next measures it (a no-op on the CPU)."""
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize(device)


def measure_peak(threads: int, n: int = 1024, seconds: float = 1.0, device: str = "cpu",
                 dtype: torch.dtype = torch.float32) -> float:
    """Matmul FLOP/s on `device` in `dtype` (n x n x n products for about `seconds`, after one warm-up); on the CPU
    at `threads` threads."""
    a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
    with torch_threads(threads):
        torch.mm(a, b)
        synchronize(device)
        repeats, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            torch.mm(a, b)
            repeats += 1
            if repeats % 16 == 0:
                synchronize(device)
        synchronize(device)
        elapsed = time.perf_counter() - started
    return matmul_flops(n, repeats) / elapsed


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


def run_generator(generator, prompts: list[str], settings: GenerationSettings) -> list[str]:
    texts: list[str] = [""] * len(prompts)
    for indices, batch in generator.generate_batches(prompts, settings):
        for i, text in zip(indices, batch):
            texts[i] = text
    return texts


class Rows:
    """Generation rows, each timed with the load read just before it."""

    def __init__(self, tokenizer, flops_per_token: float, peak: float, device: torch.device | str = "cpu"):
        self.tokenizer, self.flops_per_token, self.peak = tokenizer, flops_per_token, peak
        self.device = device
        self.rows: list[dict] = []
        self.texts: dict[str, list[str]] = {}

    def count(self, texts: list[str]) -> int:
        return sum(len(self.tokenizer(t, add_special_tokens=False)["input_ids"]) for t in texts)

    def time(self, name: str, produce, generator=None, **facts) -> dict:
        load = load_now()
        synchronize(self.device)
        started = time.perf_counter()
        texts = produce()
        synchronize(self.device)
        seconds = time.perf_counter() - started
        if getattr(generator, "threads_used", None):
            facts["threads"] = sorted(set(generator.threads_used))
        rate = tokens_per_s(self.count(texts), seconds)
        share = share_of_peak(rate * self.flops_per_token, self.peak)
        row = {"name": name, "prompts": len(texts), "seconds": round(seconds, 2), "tokens_per_s": round(rate, 1),
               "share_of_peak": None if share is None else round(share, 3), **load, **facts}
        self.rows.append(row)
        self.texts[name] = texts
        print(f"  {name:<14} {rate:8.1f} tok/s  {100 * (share or 0):5.1f}% of peak  {seconds:7.1f} s  "
              f"load {load['loadavg_1m']} busy-elsewhere {load['busy_cores_elsewhere']}  {facts or ''}", flush=True)
        return row


def generation_rows(model, tokenizer, prompts, settings, args, peak: float) -> tuple[list[dict], dict]:
    rows = Rows(tokenizer, forward_flops_per_token(linear_weights(model)), peak, next(model.parameters()).device)
    skip = set(args.skip)
    default_threads = torch.get_num_threads()
    def hf_row(name, **options):
        generator = HFGenerator(model, tokenizer, progress=False, **{"batch_size": args.batch_size, **options})
        rows.time(name, lambda: run_generator(generator, prompts, settings), generator)

    if "before" not in skip:  # the batched path as it was: torch's default threads whatever the load
        hf_row("hf-before", threads=default_threads)
    hf_row("hf")  # what make_generator builds: threads from the load
    if "variants" not in skip:
        hf_row("hf-static", cache_implementation="static")
        if len(prompts) > args.batch_size:  # otherwise one batch of all is the `hf` row again
            hf_row("hf-one-batch", batch_size=len(prompts))
    extra: dict = {}
    if "profile" not in skip:
        extra["where_time_goes"] = where_time_goes(model, tokenizer, prompts, settings, args.batch_size, rows)
    if "vllm" not in skip and vllm_usable():
        extra.update(vllm_rows(rows, model, tokenizer, prompts, settings))
    if "plain" not in skip:  # at the same thread count as the tuned path: this row measures batching alone
        subset, threads = prompts[: args.plain_prompts], auto_threads()
        with torch_threads(threads):
            rows.time("plain-loop", lambda: [plain_generate(model, tokenizer, p, settings.max_new_tokens)
                                             for p in subset], threads=[threads])
    return rows.rows, {**extra, "_texts": rows.texts}


@torch.no_grad()
def decode_ceiling(model, batch: int, repeats: int = 5) -> dict:
    """The model's linear layers alone on `batch` rows of one token: the matmul time of one decode step, hence
    the tokens/s batched generation could reach at this batch if attention, copies and Python cost nothing."""
    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    # each row made where its layer's weights are, in their dtype
    inputs = [torch.randn(batch, layer.in_features, device=layer.weight.device, dtype=layer.weight.dtype)
              for layer in layers]
    for layer, x in zip(layers, inputs):  # warm-up
        layer(x)
    device = layers[0].weight.device if layers else "cpu"
    synchronize(device)
    started = time.perf_counter()
    for _ in range(repeats):
        for layer, x in zip(layers, inputs):
            layer(x)
    synchronize(device)
    step_s = (time.perf_counter() - started) / repeats
    return {"batch": batch, "matmul_s_per_step": step_s, "tokens_per_s": round(tokens_per_s(batch, step_s), 1)}


def profile_split(generator, prompts: list[str], settings: GenerationSettings) -> dict:
    """Run one batch under the torch profiler and split its wall time by op group."""
    from torch.profiler import ProfilerActivity, profile

    batch = prompts[: generator.batch_size]
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        started = time.perf_counter()
        run_generator(generator, batch, settings)
        wall = time.perf_counter() - started
    self_seconds = {event.key: event.self_cpu_time_total / 1e6 for event in prof.key_averages()}
    return {"prompts": len(batch), "wall_s": round(wall, 2),
            "shares": {group: round(share, 3) for group, share in time_split(self_seconds, wall).items()}}


def where_time_goes(model, tokenizer, prompts, settings, batch_size: int, rows: Rows) -> dict:
    """The decode-shape ceiling next to the measured rate, and the profiler split of one batch."""
    threads = auto_threads()
    with torch_threads(threads):
        ceiling = decode_ceiling(model, min(batch_size, len(prompts)))
    ceiling["share_of_peak"] = share_of_peak(ceiling["tokens_per_s"] * rows.flops_per_token, rows.peak)
    generator = HFGenerator(model, tokenizer, batch_size=batch_size, progress=False, threads=threads)
    split = profile_split(generator, prompts, settings)
    shares = ", ".join(f"{group} {100 * share:.0f}%" for group, share in split["shares"].items())
    print(f"  decode-shape ceiling: the linear layers alone at batch {ceiling['batch']} run at "
          f"{ceiling['tokens_per_s']} tok/s ({100 * (ceiling['share_of_peak'] or 0):.1f}% of peak)", flush=True)
    print(f"  hf time split (profiler, one batch of {split['prompts']}, {split['wall_s']} s): {shares}", flush=True)
    return {"decode_ceiling": ceiling, "hf_time_split": split, "threads": threads}


def vllm_rows(rows: Rows, model, tokenizer, prompts, settings) -> dict:
    """Engine start-up, steady generation, an in-place weight reload, and greedy parity with HF."""
    from .generation import VLLMGenerator

    started = time.perf_counter()
    generator = VLLMGenerator(model, tokenizer, progress=False)
    build_s = time.perf_counter() - started
    print(f"  vllm engine start-up {generator.engine.startup_s:.1f} s (with saving the model: {build_s:.1f} s)", flush=True)
    rows.time("vllm", lambda: run_generator(generator, prompts, settings), threads=generator.engine.threads)
    reference = rows.texts.get("hf")
    same = sum(a == b for a, b in zip(rows.texts["vllm"], reference)) if reference else None
    # An in-place reload (what every later run of a sweep costs instead of a new engine): perturb, reload, restore.
    with torch.no_grad():
        first = next(model.parameters())
        first.add_(1e-3)
        started = time.perf_counter()
        generator.engine.load(model, tokenizer)
        reload_s = time.perf_counter() - started
        first.sub_(1e-3)
    generator.engine.load(model, tokenizer)
    return {"vllm_startup_s": round(generator.engine.startup_s, 1), "vllm_threads": generator.engine.threads, "vllm_reload_s": round(reload_s, 1),
            "vllm_greedy_identical_to_hf": same, "vllm_compared": len(prompts) if reference else 0}


def ga_step_figures(model, tokenizer, formatter, examples: list[Example], steps: int, peak: float) -> dict:
    params = TrainParams(lr=1e-5, batch_size=4, max_steps=steps, max_length=128)
    forget = [Example(e.prompt, (e.answer + " ") * 8) for e in examples[: 4 * steps]]  # ~128-token rows
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    rss_before = _peak_rss_mib()
    load = load_now()
    weights = linear_weights(model)
    _, log = train(model, tokenizer, formatter, forget, Objective(forget=1.0), params, seed=0,
                   work_dir="/tmp/unlearn-bench-bench")
    steps_done = max(1, log.extra["optimizer_steps"])
    per_step = log.wall_time_s / steps_done
    tokens_per_step = log.tokens / steps_done
    share = share_of_peak(train_flops(weights, tokens_per_step) / per_step, peak) if per_step > 0 else None
    figures = {"batch": "4 x <=128 tokens", "steps": log.extra["optimizer_steps"], "threads": torch.get_num_threads(),
               "seconds_per_step": round(per_step, 2), "tokens": log.tokens,
               "flop_limit_s_per_step": round(train_flops(weights, tokens_per_step) / peak, 3) if peak else None,
               "share_of_peak": None if share is None else round(share, 3), **load}
    if torch.cuda.is_available():
        figures["peak_gpu_mib"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    figures["peak_rss_mib"] = round(_peak_rss_mib(), 1)
    figures["peak_rss_growth_mib"] = round(_peak_rss_mib() - rss_before, 1)
    return figures


def print_summary(figures: dict) -> None:
    rows = {r["name"]: r for r in figures["generation"]}
    before = rows.get("hf-before")
    fastest = max(figures["generation"], key=lambda r: r["tokens_per_s"], default=None)
    if fastest and before and before["tokens_per_s"] > 0:
        print(f"fastest: {fastest['name']} at {fastest['tokens_per_s']} tok/s = "
              f"{fastest['tokens_per_s'] / before['tokens_per_s']:.2f}x hf-before ({before['tokens_per_s']} tok/s), "
              "side by side in this run")
    where = figures.get("where_time_goes")
    ceiling = where["decode_ceiling"]["tokens_per_s"] if where else 0
    if ceiling and rows.get("hf"):
        biggest = max(where["hf_time_split"]["shares"].items(), key=lambda item: item[1])
        print(f"hf reaches {rows['hf']['tokens_per_s']} of the {ceiling} tok/s its matmuls alone allow at this batch "
              f"({100 * rows['hf']['tokens_per_s'] / ceiling:.0f}%); the largest share of its time: {biggest[0]} "
              f"({100 * biggest[1]:.0f}%)")
    ga = figures.get("ga_step")
    if ga:
        print(f"ga step: {ga['seconds_per_step']} s/step at {ga['threads']} threads; the FLOP limit is "
              f"{ga['flop_limit_s_per_step']} s ({100 * (ga['share_of_peak'] or 0):.1f}% of peak); "
              f"peak RSS {ga['peak_rss_mib']} MiB")


def main(args) -> int:
    check_versions()
    execution = resolve(args.device, args.dtype)
    loaded = load_model(args.model, execution.torch_dtype, execution.device)
    formatter = make_formatter(loaded.tokenizer)
    examples = bench_prompts(args.prompts)
    prompts = [formatter.prompt(e) for e in examples]
    settings = GenerationSettings(max_new_tokens=args.max_new_tokens)
    cores = os.cpu_count() or 1
    threads = auto_threads()
    load = load_now()
    if execution.device_type == "cuda":  # the GPU's own peak; the CPU thread counts do not apply
        peak = peak_1 = peak_all = measure_peak(threads, 4096, device=execution.device, dtype=execution.torch_dtype)
        where = f"{execution.device} {execution.dtype}"
    else:
        peak, peak_1, peak_all = measure_peak(threads), measure_peak(1), measure_peak(cores)
        where = f"{threads} threads"
    print(f"machine: {cores} cores, load {load}; matmul peak {peak / 1e9:.1f} GFLOP/s on {where} "
          f"({peak_1 / 1e9:.1f} at 1 thread, {peak_all / 1e9:.1f} at {cores})", flush=True)
    weights = linear_weights(loaded.model)
    figures = {"model": args.model, "cores": cores, "linear_weights": weights, "threads_chosen": threads,
               "peak_gflop_s": round(peak / 1e9, 1), "peak_gflop_s_1_thread": round(peak_1 / 1e9, 1),
               "peak_gflop_s_all_cores": round(peak_all / 1e9, 1),
               "peak_threads": threads, "load_at_start": load,
               "ideal_tokens_per_s": round(peak / forward_flops_per_token(weights), 1)}
    print(f"generation ({len(prompts)} prompts, {args.max_new_tokens} new tokens, greedy; the peak allows "
          f"{figures['ideal_tokens_per_s']} tok/s):", flush=True)
    rows, extra = generation_rows(loaded.model, loaded.tokenizer, prompts, settings, args, peak)
    extra.pop("_texts")
    figures["generation"] = rows
    figures.update(extra)
    by_name = {r["name"]: r["tokens_per_s"] for r in rows}
    if "hf" in by_name and "vllm" in by_name:
        record_speeds({"hf": by_name["hf"], "vllm": by_name["vllm"]})  # read by --backend auto
    shutdown_engines()  # frees the engine's memory and cores before the training step
    if "vllm_startup_s" in extra:
        print(f"vllm: start-up {extra['vllm_startup_s']} s, in-place reload {extra['vllm_reload_s']} s, greedy "
              f"outputs identical to hf on {extra['vllm_greedy_identical_to_hf']}/{extra['vllm_compared']} prompts")
    if "train" not in args.skip:
        figures["ga_step"] = ga_step_figures(loaded.model, loaded.tokenizer, formatter, examples, args.ga_steps, peak)
    figures["load_at_end"] = load_now()
    print_summary(figures)
    json.dump(figures, sys.stdout, indent=2)
    print()
    if args.json_out:
        from .io import write_json

        write_json(args.json_out, figures)
    return 0
