"""The regression check: `unlearn-bench check` compares fresh result files with a stored baseline.

    unlearn-bench check --results runs/ --baseline leaderboard/results
    unlearn-bench check --results runs/ --tolerance harmful_rate=0.1 --tolerance perplexity=30% --all
    unlearn-bench check --results leaderboard/results --write-baseline leaderboard/baseline.json

--results and --baseline each take a result file, a directory (searched recursively for *.json) or a baseline
bundle (one JSON holding several results, written by --write-baseline; it drops the generated samples).

Runs are matched by (task, method, model, tier, seed). When a run's fresh seeds differ from the baseline's, the
means over seeds of (task, method, model, tier) are compared instead. Each metric of each baseline run is compared,
using the direction (lower/higher is better) recorded in the result files:

- regressed: it moved in the bad direction by more than its tolerance (or became NaN/infinite);
- improved:  it moved in the good direction by more than its tolerance;
- ok:        it moved by at most its tolerance;
- missing:   the baseline has the run or the metric and the fresh results do not;
- new:       the fresh results have a run or metric the baseline lacks (reported, never a failure).

Tolerances: by default per metric kind (see `default_tolerance`): rates, probabilities and fractions 0.05 absolute,
BLEU scores 5.0 absolute, perplexity 20% of the baseline, anything else 10% of the baseline. Override them with
`--tolerance METRIC=VALUE` (repeatable) or a JSON file `--tolerances FILE` holding {"METRIC": VALUE}; METRIC is a
name (harmful_rate) or split.name (unseen.harmful_rate, which wins); VALUE is absolute (0.1) or relative ("25%").
Flags given on the command line win over the file.

Exit status: 1 when any metric regressed or is missing, else 0. The table shows only what moved (everything
but "ok") unless --all is given.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .api import HIGHER, LOWER
from .errors import UsageError
from .io import write_json
from .leaderboard import (BUNDLE_KIND, SCHEMA, arrow, decimals, format_run, format_value, load_results,
                          mean_metrics, run_key, split_order, validate_result)

OK, IMPROVED, REGRESSED, MISSING, NEW = "ok", "improved", "regressed", "missing", "new"
FAILING = (REGRESSED, MISSING)
MEAN = "mean"  # the seed of a row that compares means over seeds


@dataclass(frozen=True)
class Tolerance:
    """How far a metric may move in the bad direction: an absolute amount, or a fraction of the baseline."""

    value: float
    relative: bool = False

    def allowed(self, baseline: float) -> float:
        return self.value * abs(baseline) if self.relative else self.value

    def __str__(self) -> str:
        return f"{100 * self.value:g}%" if self.relative else f"{self.value:g}"


def default_tolerance(metric: str) -> Tolerance:
    """The tolerance for a metric kind, chosen by name."""
    if "perplexity" in metric:
        return Tolerance(0.20, relative=True)
    if "bleu" in metric:
        return Tolerance(5.0)
    if any(part in metric for part in ("rate", "prob", "rouge", "distinct", "share", "accuracy")):
        return Tolerance(0.05)
    return Tolerance(0.10, relative=True)


def parse_tolerance_value(value: Any, where: str) -> Tolerance:
    """0.1 or "0.1" -> absolute; "25%" -> relative. Negative or non-numeric values raise UsageError."""
    text = str(value).strip()
    relative = isinstance(value, str) and text.endswith("%")
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        number = float(text[:-1] if relative else text)
    except ValueError:
        raise UsageError(f"bad tolerance {value!r} for {where}; expected a number like 0.05 or a percentage "
                         f"like 20%") from None
    if not math.isfinite(number) or number < 0:
        raise UsageError(f"bad tolerance {value!r} for {where}; expected a non-negative number")
    return Tolerance(number / 100 if relative else number, relative)


def parse_tolerance(text: str) -> tuple[str, Tolerance]:
    """'harmful_rate=0.1' -> ('harmful_rate', Tolerance(0.1)); 'perplexity=30%' -> relative 0.3."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise UsageError(f"malformed --tolerance {text!r}; expected METRIC=VALUE, e.g. harmful_rate=0.1 "
                         f"or perplexity=25%")
    return name.strip(), parse_tolerance_value(value.strip(), f"metric {name.strip()!r}")


def load_tolerances(path: str | Path) -> dict[str, Tolerance]:
    """A JSON file {"METRIC": VALUE, ...} -> tolerances."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read tolerance file {str(path)!r}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"malformed JSON in tolerance file {str(path)!r}: {error}") from None
    if not isinstance(data, dict):
        raise UsageError(f"tolerance file {str(path)!r} must hold a JSON object {{\"METRIC\": VALUE}}")
    return {str(name): parse_tolerance_value(value, f"metric {name!r} in {path}") for name, value in data.items()}


def tolerance_for(split: str, metric: str, overrides: Mapping[str, Tolerance]) -> Tolerance:
    return overrides.get(f"{split}.{metric}") or overrides.get(metric) or default_tolerance(metric)


# ----------------------------------------------------------------------------------------------------- compare

@dataclass(frozen=True)
class CheckRow:
    """One compared metric of one run."""

    task: str
    method: str
    model: str
    tier: str
    seed: int | str  # MEAN when means over seeds are compared
    split: str
    metric: str
    direction: str | None
    baseline: float | None
    fresh: float | None
    delta: float | None
    tolerance: Tolerance | None
    status: str

    @property
    def run(self) -> str:
        seed = self.seed if self.seed == MEAN else f"seed{self.seed}"
        return f"{format_run((self.task, self.method, self.model, self.tier))}/{seed}"


@dataclass
class CheckReport:
    rows: list[CheckRow] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(row.status in FAILING for row in self.rows)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts

    def by_status(self, status: str) -> list[CheckRow]:
        return [row for row in self.rows if row.status == status]


def compare_value(baseline: float, fresh: float, direction: str, tolerance: Tolerance) -> str:
    """The verdict for one metric; non-finite fresh values regress, a non-finite baseline counts as beaten."""
    if fresh == baseline or (math.isnan(fresh) and math.isnan(baseline)):
        return OK
    if not math.isfinite(fresh):
        return REGRESSED
    if not math.isfinite(baseline):
        return IMPROVED
    delta = fresh - baseline
    if abs(delta) <= tolerance.allowed(baseline) + 1e-12:  # slack for float noise at the boundary
        return OK
    worse = delta > 0 if direction == LOWER else delta < 0
    return REGRESSED if worse else IMPROVED


def check_results(fresh: list[dict[str, Any]], baseline: list[dict[str, Any]],
                  tolerances: Mapping[str, Tolerance | float | str] | None = None) -> CheckReport:
    """Compare fresh results with baseline results metric by metric (see the module docstring)."""
    overrides = {name: value if isinstance(value, Tolerance) else parse_tolerance_value(value, f"metric {name!r}")
                 for name, value in (tolerances or {}).items()}
    fresh_runs, base_runs = _by_run(fresh, "fresh"), _by_run(baseline, "baseline")
    report = CheckReport()
    for key in sorted(set(fresh_runs) | set(base_runs), key=lambda k: tuple(map(str, k))):
        base_seeds, fresh_seeds = base_runs.get(key, {}), fresh_runs.get(key, {})
        if base_seeds and fresh_seeds and set(base_seeds) != set(fresh_seeds):
            pairs = [(MEAN, list(base_seeds.values()), list(fresh_seeds.values()))]
        else:
            seeds = sorted(set(base_seeds) | set(fresh_seeds))
            pairs = [(s, [base_seeds[s]] if s in base_seeds else [], [fresh_seeds[s]] if s in fresh_seeds else [])
                     for s in seeds]
        for seed, base_group, fresh_group in pairs:
            report.rows.extend(_compare_run(key, seed, base_group, fresh_group, overrides))
    return report


def _by_run(results: list[dict[str, Any]], what: str) -> dict[tuple, dict[int, dict[str, Any]]]:
    """(task, method, model, tier) -> seed -> result; two results for one run raise UsageError."""
    runs: dict[tuple, dict[int, dict[str, Any]]] = {}
    for index, result in enumerate(results):
        validate_result(result, f"{what} result {index}")
        key = (result["task"], result["method"], result["model"], result["tier"])
        seeds = runs.setdefault(key, {})
        if result["seed"] in seeds:
            raise UsageError(f"two {what} results for the same run {format_run((*key, result['seed']))}")
        seeds[result["seed"]] = result
    return runs


def _compare_run(key: tuple, seed: int | str, base_group: list[dict], fresh_group: list[dict],
                 overrides: Mapping[str, Tolerance]) -> list[CheckRow]:
    base, fresh = mean_metrics(base_group), mean_metrics(fresh_group)
    directions: dict[str, str] = {}
    for result in fresh_group + base_group:  # the baseline's directions win
        directions.update(result["directions"])
    names = {(split, name) for metrics in (base, fresh) for split, values in metrics.items() for name in values}
    rows = []
    for split, name in sorted(names, key=lambda c: (split_order(c[0]), c[1])):
        b, f = base.get(split, {}).get(name), fresh.get(split, {}).get(name)
        direction = directions.get(name)
        tolerance = tolerance_for(split, name, overrides)
        if b is None:
            status, tolerance = NEW, None
        elif f is None:
            status = MISSING
        elif direction not in (LOWER, HIGHER):
            raise UsageError(f"no direction (lower/higher is better) for metric {name!r} of run "
                             f"{format_run((*key, seed))}; expected it in the result files' 'directions'")
        else:
            status = compare_value(b, f, direction, tolerance)
        delta = f - b if b is not None and f is not None else None
        rows.append(CheckRow(*key, seed, split, name, direction, b, f, delta, tolerance, status))
    return rows


# -------------------------------------------------------------------------------------------------- reporting

def format_report(report: CheckReport, show_all: bool = False) -> str:
    """The rows as a table (all of them, or only those not "ok") and a one-line summary."""
    from tabulate import tabulate

    rows = report.rows if show_all else [row for row in report.rows if row.status != OK]
    table = [[row.run, f"{row.split}.{row.metric}{arrow(row.direction)}",
              format_value(row.baseline, decimals(row.metric)), format_value(row.fresh, decimals(row.metric)),
              _signed(row.delta, decimals(row.metric)), str(row.tolerance) if row.tolerance else "-", row.status]
             for row in rows]
    counts = report.counts()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in (OK, IMPROVED, REGRESSED, MISSING, NEW))
    verdict = "FAILED" if report.failed else "passed"
    lines = []
    if table:
        headers = ["run", "metric", "baseline", "fresh", "delta", "tolerance", "status"]
        lines.append(tabulate(table, headers=headers, tablefmt="github", disable_numparse=True,
                              colalign=["left", "left", "right", "right", "right", "right", "left"]))
    elif report.rows:
        lines.append("every metric is within its tolerance")
    lines.append(f"check {verdict}: {len(report.rows)} metrics compared: {summary}")
    return "\n".join(lines)


def _signed(value: float | None, places: int) -> str:
    if value is None:
        return "-"
    return f"{value:+.{places}f}" if math.isfinite(value) else str(value)


def write_baseline(results: list[dict[str, Any]], path: str | Path) -> Path:
    """Bundle results into one baseline file (without their generated samples), sorted by run."""
    ordered = sorted(results, key=lambda r: tuple(str(part) for part in run_key(r)))
    slim = [{key: value for key, value in result.items() if key != "samples"} for result in ordered]
    write_json(path, {"schema": SCHEMA, "kind": BUNDLE_KIND, "results": slim})
    return Path(path)


# ------------------------------------------------------------------------------------------------------- CLI

def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--results", default="runs", metavar="PATH",
                        help="fresh results: a result file, a directory or a baseline bundle (default: %(default)s)")
    parser.add_argument("--baseline", default="leaderboard/results", metavar="PATH",
                        help="stored results to compare with: a result file, a directory or a baseline bundle "
                             "(default: %(default)s)")
    parser.add_argument("--tolerance", action="append", default=[], metavar="METRIC=VALUE",
                        help="override a tolerance, absolute (harmful_rate=0.1) or relative (perplexity=25%%); "
                             "METRIC may be split.metric; repeatable")
    parser.add_argument("--tolerances", metavar="FILE",
                        help='JSON file of tolerances {"METRIC": VALUE}; --tolerance flags win over it')
    parser.add_argument("--all", action="store_true", help="print every compared metric, not only what moved")
    parser.add_argument("--write-baseline", metavar="FILE",
                        help="instead of checking, bundle the --results into one baseline file FILE")


def main(args: argparse.Namespace) -> int:
    fresh = load_results(args.results)
    if not fresh:
        raise UsageError(f"no result files found in {args.results!r}; expected result JSON files from a run")
    if args.write_baseline:
        path = write_baseline(fresh, args.write_baseline)
        print(f"wrote {path} ({len(fresh)} results)")
        return 0
    tolerances = load_tolerances(args.tolerances) if args.tolerances else {}
    tolerances.update(parse_tolerance(text) for text in args.tolerance)
    baseline = load_results(args.baseline)
    if not baseline:
        raise UsageError(f"no result files found in baseline {args.baseline!r}; expected result JSON files")
    report = check_results(fresh, baseline, tolerances)
    print(format_report(report, show_all=args.all))
    return 1 if report.failed else 0
