"""The `unlearn-bench` command. Each subcommand lives in a module exposing configure(parser) and main(args)."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from .errors import UsageError

COMMANDS = {
    "run": ("unlearn_bench.commands", "run one task x method and write a result file"),
    "sweep": ("unlearn_bench.sweep", "run every task x method of a tier (resumable)"),
    "list": ("unlearn_bench.commands", "list the registered tasks, methods and models"),
    "leaderboard": ("unlearn_bench.leaderboard", "regenerate the leaderboard tables from result files"),
    "report": ("unlearn_bench.report", "write a static HTML report of result files: leaderboard, runs, examples"),
    "check": ("unlearn_bench.check", "compare results with a baseline; exit 1 on a regression"),
    "bench": ("unlearn_bench.bench", "measure generation throughput and a GA step's time and memory"),
}


LIGHT_COMMANDS = ("leaderboard", "report", "check")  # torch-free


class OneLineParser(argparse.ArgumentParser):
    """Bad options end with one line naming the problem, exit status 2 (argparse prints the usage too)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with `only`, just that command's module is imported and configured (so `check` and
    `leaderboard` start without importing torch); the other commands are listed but not configured."""
    parser = OneLineParser(prog="unlearn-bench", description="An evaluation benchmark for LLM unlearning.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress at INFO level")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    parser.commands = {}  # name -> its subparser, for --config defaults
    for name, (module_name, help_text) in COMMANDS.items():
        if only in COMMANDS and name != only:
            sub.add_parser(name, help=help_text, description=help_text)
            continue
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=help_text, description=help_text)
        getattr(module, f"configure_{name}", getattr(module, "configure", None))(command)
        command.set_defaults(handler=getattr(module, f"main_{name}", getattr(module, "main", None)))
        parser.commands[name] = command
    return parser


def quiet_libraries(verbose: bool, command: str) -> None:
    """transformers' own warnings and save/load progress bars drown the run's progress; keep them for -v."""
    if command in LIGHT_COMMANDS:  # they never load transformers: keep them fast
        return
    import transformers

    if not verbose:
        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
    logging.getLogger("absl").setLevel(logging.WARNING)


def apply_config_file(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """`--config FILE.json` supplies defaults for a command's options; flags on the command line still win."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    known, _ = pre.parse_known_args(argv)
    if not known.config or not argv:
        return
    values = read_config(known.config)
    command = next((a for a in argv if a in COMMANDS), None)
    subparser = parser.commands.get(command)
    if subparser is None:
        raise UsageError("--config must follow a command, e.g. unlearn-bench sweep --config sweep.json")
    dests = {a.dest for a in subparser._actions} - {"help", "config"}
    for key, value in values.items():
        dest = {"set": "overrides", "plugins": "plugin"}.get(key, key).replace("-", "_")
        if dest not in dests:
            raise UsageError(f"unknown key {key!r} in {known.config}; expected one of: {', '.join(sorted(dests))}")
        if dest == "overrides" and isinstance(value, dict):
            value = [f"{k}={v}" for k, v in value.items()]
        subparser.set_defaults(**{dest: value})


def read_config(path: str) -> dict:
    import json
    from pathlib import Path

    file = Path(path)
    if not file.is_file():
        raise UsageError(f"config file not found: {path!r}; expected a JSON file")
    try:
        values = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise UsageError(f"malformed config {path!r}: {error.msg} at line {error.lineno} column {error.colno}; "
                         "expected a JSON object") from None
    if not isinstance(values, dict):
        raise UsageError(f"malformed config {path!r}: expected a JSON object of option names to values")
    return values


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(next((a for a in argv if not a.startswith("-")), None))
    try:
        apply_config_file(parser, argv)
    except UsageError as error:
        print(f"unlearn-bench: error: {error}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    quiet_libraries(args.verbose, args.command)
    try:
        return int(args.handler(args) or 0)
    except UsageError as error:
        print(f"unlearn-bench: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("unlearn-bench: interrupted; finished work is kept, run the same command to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
