"""The regression check: `unlearn-bench check` compares fresh result files with a stored baseline.

    unlearn-bench check --results runs/ --baseline leaderboard/results
    unlearn-bench check --results runs/mine --baseline leaderboard/results --only-present
    unlearn-bench check --results runs/ --tolerance harmful_rate=0.1 --tolerance perplexity=30% --all
    unlearn-bench check --results leaderboard/results --write-baseline leaderboard/baseline.json

--results and --baseline each take a result file, a directory (searched recursively for *.json) or a baseline
bundle (one JSON holding several results, written by --write-baseline; it drops the generated samples).

Runs are matched by (task, method, model, tier, seed). When a run's fresh seeds are a subset of the baseline's
(the README's main job runs seed 0 of a 3-seed leaderboard), those seeds are matched one by one and the baseline's
other seeds are left out; when the fresh results have seeds the baseline lacks, the means over seeds of
(task, method, model, tier) are compared instead. When a matched run was made with a different
config (its config_hash differs), the report says so on a "config mismatch" line; the numbers are still compared.
With --only-present, only the (task, method, model, tier) runs the fresh results contain are compared, so a
method's repository that swept `none my_method` can check against the full leaderboard.

Each metric is compared in its bad direction (from the result files' metric_specs, or directions in schema 1):

- regressed: it moved in the bad direction by more than the allowed move (or became NaN/infinite);
- improved:  it moved in the good direction by more than the allowed move;
- ok:        it moved by at most the allowed move;
- missing:   the baseline has the run or the metric and the fresh results do not;
- new:       the fresh results have a run or metric the baseline lacks (reported, never a failure).

The allowed move is the measured noise, never finer than one example or the metric's declared tolerance:

    allowed = max(noise, one example, declared)

- noise: sqrt(h_base^2 + h_fresh^2), h the half-width of each side's 95% interval (one seed: the result's
  bootstrap interval over the split's examples; several seeds: results.estimate's Student-t half-width of the
  mean of the seeds and the seeds' bootstrap half-width, added in quadrature),
  i.e. the 95% half-width of the difference of two independent estimates; 0 where no interval was recorded;
- one example: 1/n when the metric is a mean of per-example values in [0, 1] over n examples (a rate: one
  example flipping moves it by 1/n; n summed over the seeds of a mean), so one example never regresses a run by
  itself; schema-1 files, which keep no per-example values, use 1/n for *_rate metrics. BLEU-like metrics
  rely on their interval;
- declared: the metric's tolerance in the result's metric_specs (absolute, or a share of the baseline when
  relative). Schema-1 files fall back to defaults by name (`default_tolerance`): rates, probabilities and
  fractions 0.05, BLEU 5.0, perplexity 20% of the baseline, anything else 10% of the baseline.

Example: baseline harmful_rate 0.20 on 50 examples with interval [0.10, 0.32] (h 0.11), fresh 0.24 with
[0.13, 0.37] (h 0.12), declared tolerance 0.05: noise 0.163, one example 0.02, so the allowed move is 0.163 and
+0.04 is ok; a fresh 0.40 (+0.20) is a regression.

Robustness probes (the "robustness" values written by `--attacks`, see unlearn_bench.attacks) are compared like
the metrics, one row per attack.metric shown as robustness.<attack>.<metric>, with the same statuses, directions
and tolerances from the files' robustness_specs. They record no interval, so:

    allowed = max(noise, one example, declared), where
    noise is 0 for one seed (a side with several seeds adds its Student-t half-width), one example applies only to
    the probes that re-measure the task's primary metric on a split (forget, unseen, forget_any, prefix_alone:
    1/n of that split, from the primary metric's per-example values), and recovered / taught shares, AUCs and
    PrivLeak rely on their declared tolerance alone.

Which attacks are compared: those the fresh run was asked for (it has their values, a skip reason, or their
specs). A fresh run made without --attacks is not failed because its baseline had probes: the baseline's probes
of attacks the fresh run never ran are left out and listed on a "robustness not compared" line. An attack the
fresh run asked for but skipped, or a probe value it lacks (null), is "missing" like any metric; probes the
baseline lacks are "new". --only-present leaves out the baseline runs as before, their probes with them.

Explicit tolerances replace the rule: `--tolerance METRIC=VALUE` (repeatable) or a JSON file `--tolerances FILE`
holding {"METRIC": VALUE}; METRIC is a name (harmful_rate) or split.name (unseen.harmful_rate, which wins), and
for a probe attack.metric (relearn.forget) or robustness.attack.metric (a bare name never applies to probes); VALUE
is absolute (0.1) or relative ("25%"). Flags given on the command line win over the file.

Results are compared only with baseline results made in the same environment (device type, dtype and generation
backend, from each result's `execution` block; results without one were made on a CPU in float32 with HF). Each
way the fresh environment differs from the baseline's is printed on a line; a baseline folder may hold several
environments (a CPU and a GPU baseline), and the fresh results' own is used. When it has none, check exits 3,
"not comparable", without comparing anything.

When a matched seed did not re-run bit for bit (its unlearned weights fingerprint differs from the baseline's:
another CPU, GPU kernels), it moves like another seed would: the cell's seed spread s (the standard deviation of
the baseline's seeds) joins the noise in quadrature as 1.96 * sqrt(2) * s, the 95% half-width of the difference of
two seeds ("seed spread" in the table).

Exit status: 1 when any metric regressed or is missing, 3 when the environments are not comparable, else 0. The
table shows only what moved (everything but "ok") unless --all is given.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .display import EMPTY_CELL, arrow, decimals, format_estimate
from .errors import UsageError
from .io import write_atomic
from .results import (BUNDLE_KIND, ENVIRONMENT, HIGHER, LOWER, SCHEMA, Estimate, attacks_asked, declared_primary,
                      direction, dumps, environment, estimate, format_environment, format_run, require_results,
                      robustness, robustness_estimate, robustness_spec, run_key, sizes, split_order, validate_result)

OK, IMPROVED, REGRESSED, MISSING, NEW = "ok", "improved", "regressed", "missing", "new"
FAILING = (REGRESSED, MISSING)
MEAN = "mean"  # the seed of a row that compares means over seeds
NOISE, ONE_EXAMPLE, DECLARED, GIVEN, SEED_SPREAD = "noise", "one example", "declared", "--tolerance", "seed spread"
SLACK = 1e-9  # float noise at the boundary: a move of exactly the allowed amount is ok
# A matched seed re-run with other weights (another machine, GPU kernels) moves like another seed would: the
# difference of two seeds has sqrt(2) times their spread, and 1.96 of that is its 95% half-width.
SEED_SPREAD_FACTOR = 1.96 * math.sqrt(2)
NOT_COMPARABLE_EXIT = 3


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
    """The declared tolerance of a schema-1 metric (no metric_specs), chosen by name."""
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


# ------------------------------------------------------------------------------------------- the allowed move

@dataclass(frozen=True)
class Allowance:
    """The largest move in the bad direction that is not a regression, and which term of the rule set it."""

    value: float
    reason: str

    def __str__(self) -> str:
        return f"{self.value:.4g} ({self.reason})"


def example_weight(results: list[Mapping[str, Any]], split: str, metric: str) -> float | None:
    """How far one example moves the metric (a mean over seeds counts every seed's examples): 1/n for a mean of
    per-example values in [0, 1]; for schema-1 files, 1/n for *_rate metrics; None otherwise (BLEU-like)."""
    total = 0
    for result in results:
        if ((result.get("metrics") or {}).get(split) or {}).get(metric) is None:
            continue
        values = ((result.get("per_example") or {}).get(split) or {}).get(metric)
        if values is not None:
            present = [v for v in values if v is not None]
            if not present or not all(0.0 <= v <= 1.0 for v in present):
                return None
            total += len(present)
        elif result.get("schema") == 1 and metric.endswith("_rate") and sizes(result).get(split):
            total += sizes(result)[split]
        else:
            return None
    return 1.0 / total if total else None


def declared_tolerance(results: list[Mapping[str, Any]], metric: str) -> Tolerance:
    """The first declaration of the metric in the results (baseline first), else the default by name."""
    for result in results:
        spec = (result.get("metric_specs") or {}).get(metric)
        if spec is not None:
            return Tolerance(float(spec["tolerance"]), bool(spec.get("relative", False)))
    return default_tolerance(metric)


def allowance(base: list[dict], fresh: list[dict], split: str, metric: str, b: Estimate, f: Estimate,
              override: Tolerance | None, seed_spread: float | None = None) -> Allowance:
    """max(noise, one example, declared tolerance), or exactly an explicit --tolerance (see the module doc).
    `seed_spread`: the standard deviation of the baseline's seeds for this cell, given when a matched seed was
    re-run with other weights; it joins the noise in quadrature."""
    if override is not None:
        return Allowance(override.allowed(b.value), GIVEN)
    halves = [h for h in (b.half_width, f.half_width) if h is not None and math.isfinite(h)]
    noise, noise_reason = (math.hypot(*halves) if halves else 0.0), NOISE
    if seed_spread:
        noise, noise_reason = math.hypot(noise, SEED_SPREAD_FACTOR * seed_spread), SEED_SPREAD
    weights = [w for w in (example_weight(base, split, metric), example_weight(fresh, split, metric)) if w]
    terms = [
        (noise, noise_reason),
        (max(weights) if weights else 0.0, ONE_EXAMPLE),
        (declared_tolerance(base + fresh, metric).allowed(b.value), DECLARED),
    ]
    value, reason = max(terms, key=lambda term: term[0])  # ties go to the first: noise, then one example
    return Allowance(value, reason)


def seed_spread(base_seeds: Mapping[int, dict], split: str, metric: str) -> float | None:
    """The standard deviation of a cell's value over the baseline's seeds (None with fewer than two)."""
    values = [v for r in base_seeds.values()
              if (v := ((r.get("metrics") or {}).get(split) or {}).get(metric)) is not None and math.isfinite(v)]
    return statistics.stdev(values) if len(values) >= 2 else None


def other_weights(base_group: list[dict], fresh_group: list[dict]) -> bool:
    """Whether a matched seed is known not to have re-run bit for bit: both sides record their unlearned weights'
    fingerprint and they differ. Results that record none keep the plain rule."""
    prints = [(r.get("fingerprints") or {}).get("unlearned") for r in base_group + fresh_group]
    return bool(base_group and fresh_group) and None not in prints and len(set(prints)) > 1


# Probes that re-measure the task's primary metric on a split: one example of that split moves them as far as it
# moves the primary metric there (a rephrased split counts each prompt's rewrites together).
REMEASURED_SPLIT = {"forget": "forget", "unseen": "unseen", "forget_any": "forget", "prefix_alone": "forget"}
PROBES = "robustness"  # the split label of a probe row: robustness.<attack>


def probe_allowance(base: list[dict], fresh: list[dict], attack: str, metric: str, b: Estimate, f: Estimate,
                    override: Tolerance | None) -> Allowance:
    """max(noise, one example, declared tolerance) for a probe value, or exactly an explicit --tolerance."""
    if override is not None:
        return Allowance(override.allowed(b.value), GIVEN)
    halves = [h for h in (b.half_width, f.half_width) if h is not None and math.isfinite(h)]
    split = REMEASURED_SPLIT.get(metric)
    weights = []
    for side in (base, fresh):
        primary = next((p for r in side if (p := declared_primary(r))), None)
        if split and primary and (weight := example_weight(side, split, primary)):
            weights.append(weight)
    spec = robustness_spec(base + fresh, attack, metric) or {}
    declared = Tolerance(float(spec.get("tolerance", 0.0)), bool(spec.get("relative", False)))
    terms = [
        (math.hypot(*halves) if halves else 0.0, NOISE),
        (max(weights) if weights else 0.0, ONE_EXAMPLE),
        (declared.allowed(b.value), DECLARED),
    ]
    value, reason = max(terms, key=lambda term: term[0])
    return Allowance(value, reason)


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
    baseline: Estimate | None
    fresh: Estimate | None
    allowed: Allowance | None
    status: str

    @property
    def run(self) -> str:
        seed = self.seed if self.seed == MEAN else f"seed{self.seed}"
        return f"{format_run((self.task, self.method, self.model, self.tier))}/{seed}"

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.fresh is None:
            return None
        return self.fresh.value - self.baseline.value


@dataclass
class CheckReport:
    rows: list[CheckRow] = field(default_factory=list)
    config_mismatches: list[str] = field(default_factory=list)  # runs whose settings differ from the baseline's
    skipped: int = 0  # baseline runs left out by --only-present
    seeds_not_compared: int = 0  # baseline seeds beyond those of a fresh run made at fewer seeds
    probes_not_run: list[str] = field(default_factory=list)  # "run: attack, ..." baseline probes never run fresh

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


def compare_value(baseline: float, fresh: float, direction_name: str, allowed: float) -> str:
    """The verdict for one metric; non-finite fresh values regress, a non-finite baseline counts as beaten."""
    if fresh == baseline or (math.isnan(fresh) and math.isnan(baseline)):
        return OK
    if not math.isfinite(fresh):
        return REGRESSED
    if not math.isfinite(baseline):
        return IMPROVED
    delta = fresh - baseline
    if abs(delta) <= allowed + SLACK:
        return OK
    worse = delta > 0 if direction_name == LOWER else delta < 0
    return REGRESSED if worse else IMPROVED


def check_results(fresh: list[dict[str, Any]], baseline: list[dict[str, Any]],
                  tolerances: Mapping[str, Tolerance | float | str] | None = None,
                  only_present: bool = False) -> CheckReport:
    """Compare fresh results with baseline results metric by metric (see the module docstring)."""
    overrides = {name: value if isinstance(value, Tolerance) else parse_tolerance_value(value, f"metric {name!r}")
                 for name, value in (tolerances or {}).items()}
    fresh_runs, base_runs = _by_run(fresh, "fresh"), _by_run(baseline, "baseline")
    report = CheckReport()
    if only_present:
        report.skipped = sum(len(seeds) for key, seeds in base_runs.items() if key not in fresh_runs)
        base_runs = {key: seeds for key, seeds in base_runs.items() if key in fresh_runs}
    for key in sorted(set(fresh_runs) | set(base_runs), key=lambda k: tuple(map(str, k))):
        base_seeds, fresh_seeds = base_runs.get(key, {}), fresh_runs.get(key, {})
        if base_seeds and fresh_seeds and not set(fresh_seeds) <= set(base_seeds):
            pairs = [(MEAN, list(base_seeds.values()), list(fresh_seeds.values()))]
        else:
            seeds = sorted(fresh_seeds if base_seeds and fresh_seeds else set(base_seeds) | set(fresh_seeds))
            report.seeds_not_compared += len(set(base_seeds) - set(seeds))
            pairs = [(s, [base_seeds[s]] if s in base_seeds else [], [fresh_seeds[s]] if s in fresh_seeds else [])
                     for s in seeds]
        for seed, base_group, fresh_group in pairs:
            mismatch = _config_mismatch(key, seed, base_group, fresh_group)
            if mismatch:
                report.config_mismatches.append(mismatch)
            spread_from = base_seeds if seed != MEAN and other_weights(base_group, fresh_group) else None
            report.rows.extend(_compare_run(key, seed, base_group, fresh_group, overrides, spread_from))
            rows, not_run = _compare_probes(key, seed, base_group, fresh_group, overrides)
            report.rows.extend(rows)
            if not_run:
                report.probes_not_run.append(f"{_run_label(key, seed)}: {', '.join(not_run)}")
    return report


def _by_run(results: list[dict[str, Any]], what: str) -> dict[tuple, dict[int, dict[str, Any]]]:
    """(task, method, model, tier) -> seed -> result; two results for one run raise UsageError."""
    runs: dict[tuple, dict[int, dict[str, Any]]] = {}
    for index, result in enumerate(results):
        validate_result(result, f"{what} result {index}")
        task, method, model, tier, seed = run_key(result)
        seeds = runs.setdefault((task, method, model, tier), {})
        if seed in seeds:
            raise UsageError(f"two {what} results for the same run {format_run(run_key(result))}")
        seeds[seed] = result
    return runs


def _config_mismatch(key: tuple, seed: int | str, base_group: list[dict], fresh_group: list[dict]) -> str | None:
    """A line when both sides record config hashes and they differ (schema-1 files record none)."""
    base_hashes = sorted({r["config_hash"] for r in base_group if r.get("config_hash")})
    fresh_hashes = sorted({r["config_hash"] for r in fresh_group if r.get("config_hash")})
    if not base_hashes or not fresh_hashes or base_hashes == fresh_hashes:
        return None
    return (f"config mismatch: {_run_label(key, seed)}: baseline config {', '.join(base_hashes)}, fresh config "
            f"{', '.join(fresh_hashes)}; the runs used different settings, so their metrics may not be comparable")


def _run_label(key: tuple, seed: int | str) -> str:
    return f"{format_run(key)}/{seed if seed == MEAN else f'seed{seed}'}"


def _compare_probes(key: tuple, seed: int | str, base_group: list[dict], fresh_group: list[dict],
                    overrides: Mapping[str, Tolerance]) -> tuple[list[CheckRow], list[str]]:
    """The probe rows of the attacks the fresh run was asked for, and the baseline's attacks it never ran (not
    compared, not a failure). A run absent from the fresh results is already missing through its metrics."""
    asked = set().union(*map(attacks_asked, fresh_group)) if fresh_group else set()
    valued = {(attack, name) for result in base_group + fresh_group for attack, values in robustness(result).items()
              for name, value in values.items() if value is not None}
    not_run = sorted({attack for attack, _ in valued if attack not in asked}) if fresh_group else []
    rows = []
    for attack, name in sorted((a, n) for a, n in valued if a in asked):
        b, f = robustness_estimate(base_group, attack, name), robustness_estimate(fresh_group, attack, name)
        way = (robustness_spec(base_group + fresh_group, attack, name) or {}).get("direction")
        override = overrides.get(f"{PROBES}.{attack}.{name}") or overrides.get(f"{attack}.{name}")
        status, allowed = _verdict(
            b, f, way, f"probe {attack}.{name} of run {_run_label(key, seed)}", "robustness_specs",
            lambda: probe_allowance(base_group, fresh_group, attack, name, b, f, override))
        rows.append(CheckRow(*key, seed, f"{PROBES}.{attack}", name, way, b, f, allowed, status))
    return rows, not_run


def _verdict(b, f, way, what: str, specs_key: str, allowed_move):
    """(status, allowed move) of one compared value: new, missing, or its move against `allowed_move()`."""
    if b is None:
        return NEW, None
    if f is None:
        return MISSING, None
    if way not in (LOWER, HIGHER):
        raise UsageError(f"no direction (lower/higher is better) for {what}; expected it in the result files' "
                         f"{specs_key}")
    allowed = allowed_move()
    return compare_value(b.value, f.value, way, allowed.value), allowed


def _compare_run(key: tuple, seed: int | str, base_group: list[dict], fresh_group: list[dict],
                 overrides: Mapping[str, Tolerance], spread_from: Mapping[int, dict] | None = None) -> list[CheckRow]:
    """The metric rows of one run; `spread_from` (the baseline's seeds of the run) widens the allowed move by the
    cell's seed spread, for a matched seed that did not re-run bit for bit."""
    names = {(split, name) for result in base_group + fresh_group
             for split, values in result["metrics"].items() for name, value in values.items() if value is not None}
    rows = []
    for split, name in sorted(names, key=lambda c: (split_order(c[0]), c[1])):
        b, f = estimate(base_group, split, name), estimate(fresh_group, split, name)
        way = next((d for r in base_group + fresh_group if (d := direction(r, name))), None)  # baseline's wins
        override = overrides.get(f"{split}.{name}") or overrides.get(name)
        status, allowed = _verdict(
            b, f, way, f"metric {name!r} of run {format_run((*key, seed))}", "metric_specs",
            lambda: allowance(base_group, fresh_group, split, name, b, f, override,
                              seed_spread(spread_from, split, name) if spread_from else None))
        rows.append(CheckRow(*key, seed, split, name, way, b, f, allowed, status))
    return rows


# -------------------------------------------------------------------------------------------------- reporting

def format_report(report: CheckReport, show_all: bool = False) -> str:
    """The rows as a table (all of them, or only those not "ok"), config mismatches, and a one-line summary."""
    from tabulate import tabulate

    rows = report.rows if show_all else [row for row in report.rows if row.status != OK]
    table = [[row.run, f"{row.split}.{row.metric}{arrow(row.direction)}",
              format_estimate(row.baseline, decimals(row.metric)), format_estimate(row.fresh, decimals(row.metric)),
              _signed(row.delta, decimals(row.metric)), str(row.allowed) if row.allowed else EMPTY_CELL, row.status]
             for row in rows]
    counts = report.counts()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in (OK, IMPROVED, REGRESSED, MISSING, NEW))
    verdict = "FAILED" if report.failed else "passed"
    lines = []
    if table:
        headers = ["run", "metric", "baseline", "fresh", "delta", "allowed move", "status"]
        lines.append(tabulate(table, headers=headers, tablefmt="github", disable_numparse=True,
                              colalign=["left", "left", "right", "right", "right", "right", "left"]))
    elif report.rows:
        lines.append("every metric moved by at most its allowed move (measured noise, one example, or tolerance)")
    lines += report.config_mismatches
    if report.seeds_not_compared:
        lines.append(f"{report.seeds_not_compared} baseline seeds not compared: the fresh results ran those runs "
                     "at fewer seeds, matched seed by seed")
    if report.skipped:
        lines.append(f"--only-present: {report.skipped} baseline runs without a fresh counterpart were not compared")
    if report.probes_not_run:
        lines.append("robustness not compared (the fresh run did not run these attacks of the baseline; rerun with "
                     f"--attacks to check them): {'; '.join(report.probes_not_run)}")
    if report.rows and not any(row.baseline and row.fresh for row in report.rows):
        lines.append("note: no fresh run matched a baseline run; nothing was compared")
    lines.append(f"check {verdict}: {len(report.rows)} metrics compared: {summary}")
    return "\n".join(lines)


def _signed(value: float | None, places: int) -> str:
    if value is None:
        return EMPTY_CELL
    return f"{value:+.{places}f}" if math.isfinite(value) else str(value)


def write_baseline(results: list[dict[str, Any]], path: str | Path) -> Path:
    """Bundle results into one baseline file (without their generated samples), sorted by run."""
    ordered = sorted(results, key=lambda r: tuple(str(part) for part in run_key(r)))
    slim = [{key: value for key, value in result.items() if key != "samples"} for result in ordered]
    write_atomic(path, dumps({"schema": SCHEMA, "kind": BUNDLE_KIND, "results": slim}))
    return Path(path)


# ------------------------------------------------------------------------------------------------------- CLI

RULE_HELP = """\
A metric regresses when it moves in its bad direction by more than
  allowed = max(noise, one example, declared tolerance)
noise: sqrt(h_base^2 + h_fresh^2), h = half-width of each side's 95% interval
  (one seed: the result's bootstrap over examples; several seeds: Student-t
  half-width of the seed mean and the seeds' bootstrap, in quadrature); one example: 1/n for a per-example rate over n
  examples (schema 1: *_rate metrics); declared: the metric's tolerance in
  metric_specs (schema 1: by name, rates 0.05, BLEU 5, perplexity 20%).
Example: baseline 0.20 [0.10, 0.32] vs fresh 0.24 [0.13, 0.37] on 50 examples,
  tolerance 0.05 -> allowed 0.163: +0.04 is ok, +0.20 regresses.
Robustness probes (--attacks) compare the same way: no interval, so noise
  is 0 for one seed, one example only for probes re-measuring the primary
  metric on a split, else their declared tolerance (recovered shares 0.2).
  Only attacks the fresh run asked for are compared; others are listed.
--tolerance / --tolerances replace the rule with an explicit allowed move
  (probes: relearn.forget=0.1).
A matched seed whose weights differ from the baseline's (another machine)
  adds the cell's seed spread: 1.96 * sqrt(2) * sd(baseline seeds).
Only results of the same device type, dtype and backend are compared; with
  none in the baseline, exit 3 (not comparable).
Exit status 1 when a metric regressed or is missing, 3 not comparable, else 0."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = RULE_HELP
    parser.add_argument("--results", default="runs", metavar="PATH",
                        help="fresh results: a result file, a directory or a baseline bundle (default: %(default)s)")
    parser.add_argument("--baseline", default="leaderboard/results", metavar="PATH",
                        help="stored results to compare with: a result file, a directory or a baseline bundle "
                             "(default: %(default)s)")
    parser.add_argument("--only-present", action="store_true",
                        help="compare only the (task, method, model, tier) runs the fresh results contain; the "
                             "baseline's other runs are not counted as missing")
    parser.add_argument("--tolerance", action="append", default=[], metavar="METRIC=VALUE",
                        help="an explicit allowed move, absolute (harmful_rate=0.1) or relative (perplexity=25%%), "
                             "replacing the noise rule; METRIC may be split.metric; repeatable")
    parser.add_argument("--tolerances", metavar="FILE",
                        help='JSON file of tolerances {"METRIC": VALUE}; --tolerance flags win over it')
    parser.add_argument("--all", action="store_true", help="print every compared metric, not only what moved")
    parser.add_argument("--write-baseline", metavar="FILE",
                        help="instead of checking, bundle the --results into one baseline file FILE")


def main(args: argparse.Namespace) -> int:
    fresh = require_results(args.results)
    if args.write_baseline:
        path = write_baseline(fresh, args.write_baseline)
        print(f"wrote {path} ({len(fresh)} results)")
        return 0
    tolerances = load_tolerances(args.tolerances) if args.tolerances else {}
    tolerances.update(parse_tolerance(text) for text in args.tolerance)
    baseline = require_results(args.baseline, "baseline")
    baseline, notes = baseline_for_environment(fresh, baseline)
    for line in notes:
        print(line)
    if baseline is None:
        return NOT_COMPARABLE_EXIT
    report = check_results(fresh, baseline, tolerances, only_present=getattr(args, "only_present", False))
    print(format_report(report, show_all=args.all))
    return 1 if report.failed else 0


def baseline_for_environment(fresh: list[dict], baseline: list[dict]) -> tuple[list[dict] | None, list[str]]:
    """The baseline results made in the fresh results' environment (device type, dtype, backend), and one line per
    way the environments differ. None when the baseline has no results for a fresh environment: comparing a
    GPU bfloat16 run with a CPU float32 baseline would report noise and numerics as regressions."""
    fresh_envs = sorted({environment(r) for r in fresh})
    base_envs = sorted({environment(r) for r in baseline})
    notes, chosen = [], []
    for env in fresh_envs:
        for other in base_envs:
            if other != env and (len(base_envs) == 1 or env not in base_envs):
                notes += [f"environment differs: {name} is {mine!r} in the fresh results, {theirs!r} in the baseline"
                          for name, mine, theirs in zip(ENVIRONMENT, env, other) if mine != theirs]
        if env in base_envs:
            chosen += [r for r in baseline if environment(r) == env]
            if len(base_envs) > 1 or notes:
                notes.append(f"comparing with the baseline's {format_environment(env)} results")
        else:
            notes.append(f"not comparable: the baseline has no results made on {format_environment(env)} "
                         f"(it has {', '.join(map(format_environment, base_envs))}); run the baseline there, or "
                         f"check against a baseline folder that holds one (exit {NOT_COMPARABLE_EXIT})")
            return None, notes
    return chosen, notes
