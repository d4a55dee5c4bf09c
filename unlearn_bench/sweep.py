"""`unlearn-bench sweep`: every task x method of a tier, skipping finished pairs, so it resumes after a kill."""

from __future__ import annotations

import argparse
import logging
import time

from tabulate import tabulate

from .commands import add_run_options, config_from_args
from .errors import UsageError
from .generation import GenerationCache
from .registry import METHODS, TASKS, load_plugin
from .runner import result_path, run

log = logging.getLogger(__name__)
# "none" first: it generates the original outputs every other method is compared with (then cached).
METHOD_ORDER = ("none", "ga", "ga_kl", "ga_mismatch", "sft", "rlhf")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tasks", nargs="+", help="tasks to run (default: every registered task)")
    parser.add_argument("--methods", nargs="+", help="methods to run (default: every registered method)")
    parser.add_argument("--out", default="leaderboard/results", help="result directory (default leaderboard/results)")
    add_run_options(parser)


def ordered_methods(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: (METHOD_ORDER.index(n) if n in METHOD_ORDER else len(METHOD_ORDER), n))


def main(args) -> int:
    for plugin in args.plugin:
        load_plugin(plugin)
    tasks = args.tasks or TASKS.names()
    methods = ordered_methods(args.methods or METHODS.names())
    for name in tasks:
        TASKS.get(name)
    for name in methods:
        METHODS.get(name)
    cache, rows, failed = GenerationCache(), [], 0
    for task in tasks:
        for method in methods:
            config = config_from_args(args, task, method, args.out)
            existed = result_path(config).is_file() and not config.force
            started = time.perf_counter()
            try:
                run(config, cache)
                status = "skipped (done)" if existed else "done"
            except UsageError:
                raise
            except Exception as error:  # one broken pair must not lose the rest of the sweep
                log.exception("%s x %s failed", task, method)
                status, failed = f"FAILED: {type(error).__name__}: {error}", failed + 1
            rows.append((task, method, status, f"{time.perf_counter() - started:.0f}"))
            print(f"[sweep] {task} x {method}: {status}", flush=True)
    print(tabulate(rows, headers=["task", "method", "status", "seconds"], tablefmt="simple"))
    return 1 if failed else 0
