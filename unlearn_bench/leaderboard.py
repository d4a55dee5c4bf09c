"""The leaderboard, regenerated from result files alone: `unlearn-bench leaderboard`.

Reads every result file (one JSON per run) under a results directory and writes, into an output directory:

- README.md: one markdown table per (task, model, tier); rows are methods (the original, implanted model first,
  then alphabetical), columns are the task's metrics on forget and unseen, the normal-split utility metrics, and
  compute (method time in seconds, and as a % of the RLHF row's method time when there is one). Several seeds of
  a run are averaged and counted.
- leaderboard.csv: the same numbers, one row per (task, method, model, tier), every metric.
- leaderboard.png: one panel per task, the task's primary forget metric against normal-split BLEU similarity.

The output is byte-identical when regenerated from the same results: everything is sorted, floats have fixed
decimals, and nothing records a date or a software version.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .api import HIGHER, LOWER, SPLITS
from .errors import UsageError
from .io import write_atomic

SCHEMA = 1
BUNDLE_KIND = "unlearn-bench-baseline"  # a file bundling several results (written by `unlearn-bench check`)
IDENTITY = ("task", "method", "model", "tier", "seed")
REQUIRED = (*IDENTITY, "metrics", "directions")
ORIGINAL = "none"  # the method name of the original (implanted) model
BASE = "base"  # pseudo-method: the loaded model before implanting (its task metrics, from the none results)
UTILITY_ORDER = ("similarity_bleu", "similarity_rouge_l", "distinct_1", "distinct_2", "unique_token_share",
                 "perplexity")
PLOT_UTILITY = "similarity_bleu"
PNG_DPI = 100
MISSING = "-"


# ---------------------------------------------------------------------------------------------- loading results

def load_results(path: str | Path) -> list[dict[str, Any]]:
    """The results in a result file, a baseline bundle, or a directory searched recursively for *.json.

    JSON files that are not result files are skipped with a warning on stderr; malformed JSON, an unsupported
    schema, a result missing required keys, or two files for the same run raise UsageError naming the file.
    """
    path = Path(path)
    if not path.exists():
        raise UsageError(f"results path {str(path)!r} does not exist; expected a result file or a directory")
    files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
    seen: dict[tuple, Path] = {}
    results = []
    for file in files:
        for result in _results_in_file(file):
            key = run_key(result)
            if key in seen:
                raise UsageError(f"two results for the same run {format_run(key)}: {seen[key]} and {file}")
            seen[key] = file
            results.append(result)
    return results


def _results_in_file(file: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read result file {str(file)!r}: {error}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"malformed JSON in {str(file)!r}: {error}; expected an unlearn-bench result file") from None
    if isinstance(data, dict) and data.get("kind") == BUNDLE_KIND:
        items = data.get("results")
        if not isinstance(items, list):
            raise UsageError(f"baseline bundle {str(file)!r} has no 'results' list")
        return [validate_result(item, f"{file} (result {i})") for i, item in enumerate(items)]
    if not isinstance(data, dict) or "schema" not in data or "metrics" not in data:
        print(f"warning: ignoring {file}: not an unlearn-bench result file (no 'schema' and 'metrics' keys)",
              file=sys.stderr)
        return []
    return [validate_result(data, str(file))]


def validate_result(result: Any, where: str) -> dict[str, Any]:
    """Check a result dict against the contract (schema 1); returns it unchanged."""
    if not isinstance(result, dict):
        raise UsageError(f"{where}: expected a JSON object, got {type(result).__name__}")
    if result.get("schema") != SCHEMA:
        raise UsageError(f"{where}: unsupported result schema {result.get('schema')!r}; expected {SCHEMA}")
    missing = [key for key in REQUIRED if key not in result]
    if missing:
        raise UsageError(f"{where}: result file lacks {', '.join(missing)}")
    metrics, directions = result["metrics"], result["directions"]
    if not isinstance(metrics, dict) or not all(isinstance(v, dict) for v in metrics.values()):
        raise UsageError(f"{where}: 'metrics' must map each split to a {{metric: number}} object")
    for split, values in metrics.items():
        for name, value in values.items():
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise UsageError(f"{where}: metric {split}.{name} is {value!r}; expected a number or null")
    if not isinstance(directions, dict) or any(d not in (LOWER, HIGHER) for d in directions.values()):
        raise UsageError(f"{where}: 'directions' must map metric names to {LOWER!r} or {HIGHER!r}")
    return result


def run_key(result: dict[str, Any]) -> tuple:
    """(task, method, model, tier, seed): what identifies a run."""
    return tuple(result[key] for key in IDENTITY)


def format_run(key: tuple) -> str:
    task, method, model, tier, *seed = key
    return "/".join([str(task), str(method), str(model), str(tier)] + [f"seed{s}" for s in seed])


# ------------------------------------------------------------------------------------------------ aggregation

@dataclass
class Entry:
    """One method on one (task, model, tier): the mean over its seeds."""

    task: str
    model: str
    tier: str
    method: str
    seeds: list[int]
    metrics: dict[str, dict[str, float]]  # split -> metric -> mean over the seeds that report it
    directions: dict[str, str]
    method_s: float | None
    tokens: float | None
    primary: str | None = None  # the task's headline metric, when its result files name one

    @property
    def label(self) -> str:
        return {ORIGINAL: f"original ({ORIGINAL})", BASE: "base model, before implanting"}.get(self.method, self.method)


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return math.fsum(values) / len(values) if values else None


def mean_metrics(results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """split -> metric -> mean over the results that report a value for it."""
    out: dict[str, dict[str, float]] = {}
    splits = sorted({split for r in results for split in r["metrics"]}, key=split_order)
    for split in splits:
        names = sorted({name for r in results for name in r["metrics"].get(split, {})})
        for name in names:
            value = mean(r["metrics"][split][name] for r in results
                         if r["metrics"].get(split, {}).get(name) is not None)
            if value is not None:
                out.setdefault(split, {})[name] = value
    return out


def split_order(split: str) -> tuple:
    return (SPLITS.index(split), split) if split in SPLITS else (len(SPLITS), split)


def method_order(method: str) -> tuple:
    return (method != BASE, method != ORIGINAL, method)


def method_seconds(result: dict[str, Any]) -> float | None:
    """The method's wall time: the runner's timing, else the method's own log."""
    value = (result.get("timings") or {}).get("method_s")
    if value is None:
        value = (result.get("method_log") or {}).get("wall_time_s")
    return float(value) if isinstance(value, (int, float)) else None


def aggregate(results: list[dict[str, Any]]) -> list[Entry]:
    """One Entry per (task, model, tier, method), sorted, original first within each group."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for result in results:
        key = (result["task"], result["model"], result["tier"], result["method"])
        groups.setdefault(key, []).append(result)
    entries = []
    for (task, model, tier, method), runs in groups.items():
        runs = sorted(runs, key=lambda r: r["seed"])
        directions: dict[str, str] = {}
        for run in runs:
            directions.update(run["directions"])
        entries.append(Entry(
            task=task, model=model, tier=tier, method=method, seeds=[r["seed"] for r in runs],
            metrics=mean_metrics(runs), directions=directions,
            method_s=mean(s for s in map(method_seconds, runs) if s is not None),
            tokens=mean(float(t) for r in runs
                        if isinstance(t := (r.get("method_log") or {}).get("tokens"), (int, float))),
            primary=next((p for r in runs if isinstance(p := (r.get("task_info") or {}).get("primary_metric"), str)),
                         None),
        ))
    entries += base_entries(results)
    return sorted(entries, key=lambda e: (e.task, e.model, e.tier, method_order(e.method)))


def base_entries(results: list[dict[str, Any]]) -> list[Entry]:
    """Rows for the model before implanting, from the `base_metrics` the original (none) runs record."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for result in results:
        if result["method"] == ORIGINAL and result.get("base_metrics"):
            groups.setdefault((result["task"], result["model"], result["tier"]), []).append(result)
    return [Entry(task=task, model=model, tier=tier, method=BASE, seeds=sorted(r["seed"] for r in runs),
                  metrics=mean_metrics([{"metrics": r["base_metrics"]} for r in runs]),
                  directions=runs[0]["directions"], method_s=None, tokens=None,
                  primary=(runs[0].get("task_info") or {}).get("primary_metric"))
            for (task, model, tier), runs in sorted(groups.items())]


def grouped(entries: list[Entry]) -> dict[tuple[str, str, str], list[Entry]]:
    """(task, model, tier) -> its entries, keeping the sorted order."""
    groups: dict[tuple[str, str, str], list[Entry]] = {}
    for entry in entries:
        groups.setdefault((entry.task, entry.model, entry.tier), []).append(entry)
    return groups


def primary_metric(entries: list[Entry]) -> str | None:
    """The headline forget metric of a task: the one named by task_info["primary_metric"] in its results, else
    the first *_rate metric, else the first forget metric by name."""
    names = sorted({name for e in entries for name in e.metrics.get("forget", {})})
    named = sorted({e.primary for e in entries if e.primary in names})
    if named:
        return named[0]
    rates = [name for name in names if name.endswith("_rate")]
    return (rates or names or [None])[0]


def task_metrics(entries: list[Entry]) -> list[str]:
    """The task's own metrics (those on forget or unseen), primary first, then by name."""
    names = sorted({name for e in entries for split in ("forget", "unseen") for name in e.metrics.get(split, {})})
    primary = primary_metric(entries)
    return sorted(names, key=lambda n: (n != primary, n))


def utility_metrics(entries: list[Entry]) -> list[str]:
    names = {name for e in entries for name in e.metrics.get("normal", {})}
    return sorted(names, key=lambda n: (UTILITY_ORDER.index(n) if n in UTILITY_ORDER else len(UTILITY_ORDER), n))


def rlhf_share(entry: Entry, group: list[Entry]) -> float | None:
    """The entry's method time as a fraction of the RLHF row's, when both are known and RLHF's is positive."""
    rlhf = next((e for e in group if e.method == "rlhf"), None)
    if rlhf is None or not rlhf.method_s or entry.method_s is None:
        return None
    return entry.method_s / rlhf.method_s


# ---------------------------------------------------------------------------------------------------- formats

def decimals(metric: str) -> int:
    """Fixed decimals per metric kind: BLEU (0-100) and perplexity get 2, rates and fractions 3."""
    return 2 if ("bleu" in metric or "perplexity" in metric) else 3


def format_value(value: float | None, places: int) -> str:
    if value is None:
        return MISSING
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{places}f}"


def arrow(direction: str | None) -> str:
    return {LOWER: " ↓", HIGHER: " ↑"}.get(direction or "", "")


# ----------------------------------------------------------------------------------------------------- README

INTRO = """\
# unlearn-bench leaderboard

Generated by `unlearn-bench leaderboard` from the result files (one JSON per run, by default under `results/`).
Do not edit this file by hand: rerun the command instead.

Rows are methods, the original (implanted, not unlearned) model first. Columns: the task's metrics on the forget
split (what the method unlearned on) and the unseen split (prompts of the same kind never shown to the method),
then utility on normal prompts, then compute: the method's wall time, and that time as a share of RLHF's when an
RLHF row exists. ↓ lower is better, ↑ higher is better. With several seeds a cell is the mean over the seeds.

![forget metric against utility](leaderboard.png)
"""


def group_table(group: list[Entry]) -> str:
    """One markdown table (tabulate, github format) for a (task, model, tier) group."""
    from tabulate import tabulate

    columns = [("forget", n) for n in task_metrics(group)] + [("unseen", n) for n in task_metrics(group)]
    columns += [("normal", n) for n in utility_metrics(group)]
    columns = [(split, name) for split, name in columns if any(name in e.metrics.get(split, {}) for e in group)]
    directions: dict[str, str] = {}
    for entry in group:
        directions.update(entry.directions)
    has_rlhf = any(e.method == "rlhf" for e in group)
    headers = ["method", "seeds"] + [f"{split} {name}{arrow(directions.get(name))}" for split, name in columns]
    headers += ["method time (s)"] + (["% of RLHF time"] if has_rlhf else [])
    rows = []
    for entry in group:
        row = [entry.label, str(len(entry.seeds))]
        row += [format_value(entry.metrics.get(split, {}).get(name), decimals(name)) for split, name in columns]
        row.append(format_value(entry.method_s, 1))
        if has_rlhf:
            share = rlhf_share(entry, group)
            row.append(MISSING if share is None else f"{100 * share:.1f}%")
        rows.append(row)
    align = ["left"] + ["right"] * (len(headers) - 1)
    return tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True, colalign=align)


def readme_text(entries: list[Entry]) -> str:
    parts = [INTRO]
    for (task, model, tier), group in grouped(entries).items():
        parts.append(f"## {task} — {model}, tier {tier}\n\n{group_table(group)}\n")
    return "\n".join(parts)


# -------------------------------------------------------------------------------------------------------- CSV

def csv_text(entries: list[Entry]) -> str:
    """One row per (task, method, model, tier), a column per split.metric, floats with 6 fixed decimals."""
    metric_columns = sorted({(split, name) for e in entries for split, values in e.metrics.items() for name in values},
                            key=lambda c: (split_order(c[0]), c[1]))
    groups = grouped(entries)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["task", "method", "model", "tier", "n_seeds", "seeds"]
                    + [f"{split}.{name}" for split, name in metric_columns]
                    + ["method_s", "method_share_of_rlhf", "method_tokens"])
    for entry in entries:
        share = rlhf_share(entry, groups[(entry.task, entry.model, entry.tier)])
        writer.writerow(
            [entry.task, entry.method, entry.model, entry.tier, len(entry.seeds), ";".join(map(str, entry.seeds))]
            + [_csv_number(entry.metrics.get(split, {}).get(name)) for split, name in metric_columns]
            + [_csv_number(entry.method_s), _csv_number(share), _csv_number(entry.tokens)]
        )
    return buffer.getvalue()


def _csv_number(value: float | None) -> str:
    return "" if value is None else format_value(value, 6)


# -------------------------------------------------------------------------------------------------------- PNG

def png_bytes(entries: list[Entry]) -> bytes:
    """One panel per task: the primary forget metric (x) against normal-split BLEU similarity (y), per method."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    by_task: dict[str, list[Entry]] = {}
    for entry in entries:
        by_task.setdefault(entry.task, []).append(entry)
    tasks = sorted(by_task) or ["(no results)"]
    figure = Figure(figsize=(5.0 * len(tasks), 4.5))
    FigureCanvasAgg(figure)
    for index, task in enumerate(tasks):
        axes = figure.add_subplot(1, len(tasks), index + 1)
        _plot_task(axes, task, by_task.get(task, []))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _plot_task(axes, task: str, entries: list[Entry]) -> None:
    metric = primary_metric(entries)
    several = len({(e.model, e.tier) for e in entries}) > 1
    points = [(e.metrics["forget"][metric], e.metrics["normal"][PLOT_UTILITY], e) for e in entries
              if metric and metric in e.metrics.get("forget", {}) and PLOT_UTILITY in e.metrics.get("normal", {})]
    for x, y, entry in points:
        label = f"{entry.label} ({entry.model}, {entry.tier})" if several else entry.label
        axes.scatter([x], [y], color="tab:red" if entry.method == ORIGINAL else "tab:blue")
        axes.annotate(label, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
    if not points:
        axes.text(0.5, 0.5, "no results with both metrics", ha="center", va="center", transform=axes.transAxes)
    direction = next((e.directions.get(metric) for e in entries if metric in e.directions), None)
    better = f" ({direction} is better)" if direction else ""
    axes.margins(0.2)  # room for the labels of the outermost points
    axes.set_title(task)
    axes.set_xlabel(f"forget {metric or '?'}{better}")
    axes.set_ylabel(f"normal {PLOT_UTILITY} (higher is better)")
    axes.grid(True, alpha=0.3)


# ------------------------------------------------------------------------------------------------------ build

def build_leaderboard(results_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Regenerate README.md, leaderboard.csv and leaderboard.png in out_dir from the results; returns their paths."""
    results_dir = Path(results_dir)
    if not results_dir.is_dir():
        raise UsageError(f"results directory {str(results_dir)!r} does not exist or is not a directory")
    results = load_results(results_dir)
    if not results:
        raise UsageError(f"no result files found under {str(results_dir)!r}; expected */*.json written by a run")
    entries = aggregate(results)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    readme, table, plot = out_dir / "README.md", out_dir / "leaderboard.csv", out_dir / "leaderboard.png"
    write_atomic(readme, readme_text(entries))
    write_atomic(table, csv_text(entries))
    plot.write_bytes(png_bytes(entries))
    return [readme, table, plot]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--results", default="leaderboard/results", metavar="DIR",
                        help="directory searched recursively for result files (default: %(default)s)")
    parser.add_argument("--out", default="leaderboard", metavar="DIR",
                        help="where README.md, leaderboard.csv and leaderboard.png go (default: %(default)s)")


def main(args: argparse.Namespace) -> int:
    for path in build_leaderboard(args.results, args.out):
        print(f"wrote {path}")
    return 0
