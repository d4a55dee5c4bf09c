"""`unlearn-bench sweep`: every task x method x seed of a tier, skipping finished runs, so it resumes after a kill.

`--set KEY=VALUE` applies a method hyperparameter only to the methods that have it (an error if none has it);
`--set METHOD.KEY=VALUE` applies to one method; `--set task.KEY=VALUE` to every task.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import time

from tabulate import tabulate

from .commands import add_run_options, config_from_args
from .execution import check_versions
from .errors import UsageError
from .generation import GenerationCache
from .params import parse_assignments
from .registry import METHODS, TASKS, load_plugin
from .runner import Run

log = logging.getLogger(__name__)
# "none" first: it generates the original outputs every other method is compared with (then cached).
METHOD_ORDER = ("none", "ga", "ga_kl", "ga_mismatch", "ga_template", "npo", "simnpo", "idk_dpo", "rmu", "sft", "rlhf")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tasks", nargs="+", help="tasks to run (default: every registered task)")
    parser.add_argument("--methods", nargs="+", help="methods to run (default: every registered method)")
    parser.add_argument("--seeds", nargs="+", type=int, help="seeds to run (default: the --seed value)")
    parser.add_argument("--out", default="leaderboard/results", help="result directory (default leaderboard/results)")
    add_run_options(parser)


def ordered_methods(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: (METHOD_ORDER.index(n) if n in METHOD_ORDER else len(METHOD_ORDER), n))


def method_overrides(assignments: dict[str, str], methods: list[str]) -> dict[str, dict[str, str]]:
    """Each method's own overrides from the sweep's --set values (task.* ones go to every method's run)."""
    fields = {m: {f.name for f in dataclasses.fields(METHODS.get(m).Params)} for m in methods}
    per_method: dict[str, dict[str, str]] = {m: {} for m in methods}
    for key, value in assignments.items():
        prefix, dot, rest = key.partition(".")
        if prefix == "task" and dot:
            targets = methods
        elif dot:
            if prefix not in fields:
                raise UsageError(f"--set {key}: {prefix!r} is not a method of this sweep; expected one of: "
                                 f"{', '.join(methods)} (or task.KEY)")
            targets, key = [prefix], rest
        else:
            targets = [m for m in methods if key in fields[m]]
            if not targets:
                known = sorted(set().union(*fields.values()))
                raise UsageError(f"--set {key}: no method of this sweep has the option {key!r}; expected one of: "
                                 f"{', '.join(known)}")
        for method in targets:
            per_method[method][key] = value
    return per_method


def run_status(finished: dict | None, kept: dict | None, result: dict) -> str:
    """What a sweep did with one run: skipped a finished result, added probes to a kept one on the same weights,
    redid a kept one whose weights could not be reproduced (another kind of CPU), or made a new one."""
    if finished is not None:
        return "skipped (done)"
    if kept is None:
        return "done"
    if len(result.get("reprobes") or []) > len(kept.get("reprobes") or []):
        return "done (probes added)"
    return "done (redone: the stored weights were not reproduced)"


def main(args) -> int:
    check_versions()
    for plugin in args.plugin:
        load_plugin(plugin)
    tasks = args.tasks or TASKS.names()
    methods = ordered_methods(args.methods or METHODS.names())
    for name in tasks:
        TASKS.get(name)
    overrides = method_overrides(parse_assignments(args.overrides), methods)
    seeds = args.seeds or [args.seed]
    plan = [(task, method, seed) for seed in seeds for task in tasks for method in methods]
    cache, rows, failed = GenerationCache(), [], 0
    for number, (task, method, seed) in enumerate(plan, 1):
        label = f"run {number}/{len(plan)} {task}/{method} seed {seed}"
        config = config_from_args(args, task, method, args.out, overrides[method], seed, label)
        started = time.perf_counter()
        try:
            runner = Run(config, cache)
            finished, kept = runner.finished(), runner.kept()
            status = run_status(finished, kept, runner.execute())
        except UsageError:
            raise
        except Exception as error:  # one broken run must not lose the rest of the sweep
            log.exception("%s x %s failed", task, method)
            status, failed = f"FAILED: {type(error).__name__}: {error}", failed + 1
        rows.append((task, method, seed, status, f"{time.perf_counter() - started:.0f}"))
        print(f"[{label}] {status} in {time.perf_counter() - started:.0f} s", flush=True)
    print(tabulate(rows, headers=["task", "method", "seed", "status", "seconds"], tablefmt="simple"))
    return 1 if failed else 0
