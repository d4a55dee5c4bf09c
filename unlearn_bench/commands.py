"""`unlearn-bench run` and `unlearn-bench list`."""

from __future__ import annotations

import argparse
import json
import os

from tabulate import tabulate

from .errors import unknown
from .execution import check_versions
from .generation import DEFAULT_BATCH_SIZE
from .models import EMBEDDED_DEFAULT, MODELS
from .params import parse_assignments
from .registry import METHODS, TASKS, load_plugin
from .runner import TIERS, RunConfig, result_path, run


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `run` and `sweep`."""
    parser.add_argument("--model", default=EMBEDDED_DEFAULT,
                        help=f"registered name, hub id, local directory or .gguf file (default {EMBEDDED_DEFAULT})")
    parser.add_argument("--tier", default="mini", choices=TIERS, help="data tier (default mini: offline)")
    parser.add_argument("--seed", type=int, default=0, help="seed for data, training and sampling")
    parser.add_argument("--set", dest="overrides", action="append", metavar="KEY=VALUE",
                        help="override a method hyperparameter (lr=1e-5) or a task option (task.n_forget=8)")
    parser.add_argument("--plugin", action="append", default=[], metavar="MODULE_OR_FILE",
                        help="import a module or .py file that registers extra tasks or methods")
    parser.add_argument("--backend", default="auto", choices=("auto", "hf", "vllm"), help="generation backend")
    parser.add_argument("--device", default="auto", metavar="DEVICE",
                        help="auto (cuda where there is a GPU, else cpu), cpu, cuda or cuda:N; every model of the run "
                             "loads there")
    parser.add_argument("--dtype", default="auto", metavar="DTYPE",
                        help="auto (bfloat16 on a GPU that supports it, else float32), float32, bfloat16 or float16")
    parser.add_argument("--prompt-style", default="auto", choices=("auto", "chat", "qa"),
                        help="chat template (instruct models) or '### Question:' format; auto picks by tokenizer")
    parser.add_argument("--batch-size", type=positive_int, default=None,
                        help=f"generation batch size (default: {DEFAULT_BATCH_SIZE} on a CPU, what the memory holds on a "
                             "GPU)")
    parser.add_argument("--tensor-parallel-size", type=positive_int, default=1, metavar="N",
                        help="vLLM backend: split the generation engine over N GPUs (default 1)")
    parser.add_argument("--gradient-checkpointing", action="store_true",
                        help="recompute activations in training's backward pass: less memory, more time; the same "
                             "numbers (not part of the config hash)")
    parser.add_argument("--force", action="store_true", help="redo runs whose result file exists")
    parser.add_argument("--rerun-legacy", action="store_true",
                        help="redo runs whose result file has no execution block: they were trained with a thread "
                             "count that followed the machine's load, so their weights cannot be reproduced")
    parser.add_argument("--quiet", action="store_true", default=bool(os.environ.get("CI")),
                        help="no progress lines or bars (the default when the CI environment variable is set)")
    parser.add_argument("--attacks", nargs="+", default=[], metavar="ATTACK",
                        help="robustness probes after the evaluation (`unlearn-bench list` lists them), or all")
    parser.add_argument("--redo-attacks", nargs="+", default=[], metavar="ATTACK",
                        help="run these probes again where a stored result has them (after a recipe change), or all; "
                             "when the retrained weights match the stored ones, the evaluation and the other probes "
                             "are kept, so this costs the probes only")
    parser.add_argument("--keep-model", action="store_true",
                        help="keep each unlearned model under OUT/.work (about 0.5 GB for the embedded default) so a "
                             "later --attacks run of the same config loads it instead of training again")
    parser.add_argument("--config", metavar="FILE.json",
                        help='defaults for these options from a JSON object, e.g. {"tier": "mini", "set": {"lr": 1e-5}}')


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}; expected a positive integer")
    return int(text)


def configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", required=True, help="a registered task (see `unlearn-bench list`)")
    parser.add_argument("--method", required=True, help="a registered method (see `unlearn-bench list`)")
    parser.add_argument("--out", default="runs", help="directory for result files (default runs/)")
    add_run_options(parser)


def config_from_args(args, task: str, method: str, out: str, overrides: dict[str, str] | None = None,
                     seed: int | None = None, label: str = "") -> RunConfig:
    overrides = parse_assignments(args.overrides) if overrides is None else overrides
    redo = row_attacks(attack_names(args.redo_attacks, method), method)
    return RunConfig(task=task, method=method, model=args.model, tier=args.tier,
                     seed=args.seed if seed is None else seed, out=out, overrides=overrides, plugins=args.plugin,
                     backend=args.backend, device=args.device, dtype=args.dtype, prompt_style=args.prompt_style,
                     batch_size=args.batch_size, tensor_parallel_size=args.tensor_parallel_size,
                     gradient_checkpointing=args.gradient_checkpointing,
                     force=args.force, rerun_legacy=args.rerun_legacy, label=label, quiet=args.quiet,
                     attacks=list(dict.fromkeys(attack_names(args.attacks, method) + redo)), redo_attacks=redo,
                     keep_model=args.keep_model)


def attack_names(requested: list[str], method: str) -> list[str]:
    """The attacks asked for, each checked against the registry. 'all' is every attack, except that those whose
    result does not depend on the method (the base-model control) run on the `none` row only."""
    if not requested:
        return []
    from .attacks import ATTACKS

    for name in requested:
        if name != "all" and name not in ATTACKS.names():
            raise unknown("attack", name, ATTACKS.names() + ["all"])
    if "all" in requested:
        return row_attacks(ATTACKS.names(), method)
    return list(dict.fromkeys(requested))


def row_attacks(names: list[str], method: str) -> list[str]:
    """Of these (registered) attacks, those a `method` row carries: an attack whose result does not depend on the
    method (the base-model control) belongs to the `none` row only."""
    from .attacks import ATTACKS

    return [n for n in names if method == "none" or not ATTACKS.get(n).method_independent]


def main_run(args) -> int:
    check_versions()
    config = config_from_args(args, args.task, args.method, args.out)
    result = run(config)
    if not result:  # another rank of a launched run: rank 0 reports
        return 0
    print(f"wrote {result_path(config)}")
    print(json.dumps({"metrics": result["metrics"], "intervals": result.get("intervals")}, indent=2, sort_keys=True))
    return 0


def configure_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plugin", action="append", default=[], metavar="MODULE_OR_FILE",
                        help="import a module or .py file that registers extra tasks or methods first")


def main_list(args) -> int:
    from .attacks import ATTACKS

    for plugin in args.plugin:
        load_plugin(plugin)
    tasks = [(name, TASKS.get(name).description) for name in TASKS.names()]
    methods = [(name, METHODS.get(name).description) for name in METHODS.names()]
    attacks = [(name, ATTACKS.get(name).description) for name in ATTACKS.names()]
    models = [(name, entry.description) for name, entry in MODELS.items()]
    for title, rows in (("tasks", tasks), ("methods", methods), ("attacks (--attacks)", attacks),
                        ("models", models)):
        print(tabulate(rows, headers=[title, "description"], tablefmt="simple"))
        print()
    print(f"tiers: {', '.join(TIERS)} (tiny: tests; mini: offline default; paper: real data from the hub)")
    return 0
