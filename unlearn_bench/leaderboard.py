"""The leaderboard, regenerated from result files alone: `unlearn-bench leaderboard`.

Reads every result file (one JSON per run, see unlearn_bench.results) under a results directory and writes, into
an output directory:

- README.md: one markdown table per (task, model, tier), headed by the examples per split and the seeds; rows are
  methods (the model before implanting, the original implanted model, then alphabetical), columns are the task's
  metrics on forget and unseen (primary first, then as declared in metric_specs), the normal-split metrics, and
  compute (method time in seconds, and as a % of the RLHF row's method time when there is one). A cell is the
  mean ± the half-width of its 95% interval: one seed, the result's bootstrap interval over the split's
  examples; several seeds, the Student-t half-width of the seed values' mean and the seeds' mean bootstrap
  half-width added in quadrature (results.estimate).
- leaderboard.csv: the same numbers, one row per (task, method, model, tier), every metric with its interval
  bounds, the number of seeds and the examples per split.
- leaderboard.png: one panel per task, the task's primary forget metric against normal-split BLEU similarity,
  with the 95% intervals as error bars.

When result files carry robustness probes (`--attacks`, see unlearn_bench.attacks), each table is followed by a
robustness table: the same rows, the primary forget metric after unlearning and then one headline number per
attack (`PROBE_COLUMNS`: the metric after relearning and after 4-bit quantization with the share of the unlearning
gap each brings back, after 8-bit quantization, under the worst rephrasing, under a forced compliance prefix, and
the Min-K%++ membership-inference AUC and PrivLeak); an attack that could not run shows "skipped [n]" with its
reason in note n under the table. The pretrained row shows the relearning control (relearn_base, recorded on the
original's row). The CSV gains every probe value as robustness.<attack>.<metric> and the skip reasons; the plot
gains a second row of panels: per task and method, the primary forget metric after unlearning, after relearning
and after quant4. Without probes the three files are exactly what they were before probes existed.

The output is byte-identical when regenerated from the same results: everything is sorted, floats have fixed
decimals, and nothing records a date or a software version.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .display import EMPTY_CELL, arrow, decimals, format_estimate, format_value
from .errors import UsageError
from .io import write_atomic
from .results import (BOOTSTRAP, HIGHER, NO_INTERVAL, RECIPE_MAX_GAIN, RECIPE_MIN_KEPT, SEEDS_T, SEEDS_T_BOOTSTRAP,
                      Estimate, declared_primary, direction, estimate, made_with, metric_specs, primary_metric,
                      recipe_shares, recipe_verdict, require_results, robustness, robustness_estimate,
                      robustness_skipped, robustness_specs, sizes, split_order)

ORIGINAL = "none"  # the method name of the original (implanted) model
PRETRAINED = "pretrained"  # pseudo-method: the loaded model before implanting (the none results' base_metrics)
UTILITY_ORDER = ("similarity_bleu", "similarity_rouge_l", "distinct_1", "distinct_2", "unique_token_share",
                 "perplexity")  # the column order for schema-1 files, which declare no metric order
PLOT_UTILITY = "similarity_bleu"
PNG_DPI = 100
TASK_SPLITS = ("forget", "unseen")


# ------------------------------------------------------------------------------------------------ aggregation

@dataclass
class Entry:
    """One method on one (task, model, tier): its metrics as estimates over its seeds."""

    task: str
    model: str
    tier: str
    method: str
    seeds: list[int]
    estimates: dict[str, dict[str, Estimate]]  # split -> metric -> estimate over the seeds that report it
    directions: dict[str, str]
    order: list[str]  # metric names in declaration order (metric_specs), primary first
    sizes: dict[str, list[int]]  # split -> the distinct example counts of its seeds
    method_s: float | None = None
    tokens: float | None = None
    primary: str | None = None  # the task's headline metric, when its result files name one
    kinds: set[str] = field(default_factory=set)  # of the main metrics' intervals (probes record none)
    robustness: dict[str, dict[str, Estimate]] = field(default_factory=dict)  # attack -> metric -> estimate
    ran: set[str] = field(default_factory=set)  # attacks that ran on some seed (their values may all be None)
    probe_names: set[tuple[str, str]] = field(default_factory=set)  # (attack, metric) written, values or None
    skipped: dict[str, str] = field(default_factory=dict)  # attack -> why it could not run (first seed's reason)
    probe_specs: dict[str, dict[str, Any]] = field(default_factory=dict)  # "attack.metric" -> declaration
    probe_seeds: list[int] = field(default_factory=list)  # the seeds whose runs asked for probes
    probed_forget: Estimate | None = None  # the primary forget metric over those seeds: what the probes move
    made_with: list[str] = field(default_factory=list)  # per seed: results.made_with (environment, threads)
    probe_made_with: list[str] = field(default_factory=list)  # the same, of the probed seeds only

    @property
    def label(self) -> str:
        names = {ORIGINAL: f"original ({ORIGINAL})", PRETRAINED: "pretrained model, before implanting"}
        return names.get(self.method, self.method)

    @property
    def metrics(self) -> dict[str, dict[str, float]]:
        """split -> metric -> the mean value (no intervals)."""
        return {split: {name: e.value for name, e in values.items()} for split, values in self.estimates.items()}

    def estimate(self, split: str, metric: str) -> Estimate | None:
        return self.estimates.get(split, {}).get(metric)


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return math.fsum(values) / len(values) if values else None


def declared_order(result: dict[str, Any]) -> list[str]:
    """The result's metric names in declaration order (schema 2 keeps metric_specs in that order); schema 1 has
    only directions: task metrics by name, then the utility metrics in their usual order."""
    names = list(metric_specs(result))
    if result.get("metric_specs"):
        return names
    rank = {name: i for i, name in enumerate(UTILITY_ORDER)}
    return sorted(names, key=lambda n: (n in rank, rank.get(n, 0), n))


def estimates(results: list[dict[str, Any]], prefix: str = "") -> dict[str, dict[str, Estimate]]:
    """split -> metric -> Estimate over the results that report it (prefix "base_": before implanting)."""
    out: dict[str, dict[str, Estimate]] = {}
    found = {(split, name) for r in results for split, values in (r.get(f"{prefix}metrics") or {}).items()
             for name in values}
    for split, name in sorted(found, key=lambda c: (split_order(c[0]), c[1])):
        value = estimate(results, split, name, prefix)
        if value is not None:
            out.setdefault(split, {})[name] = value
    return out


def method_order(method: str) -> tuple:
    return (method != PRETRAINED, method != ORIGINAL, method)


def method_seconds(result: dict[str, Any]) -> float | None:
    """The method's wall time: the runner's timing, else the method's own log."""
    value = (result.get("timings") or {}).get("method_s")
    if value is None:
        value = (result.get("method_log") or {}).get("wall_time_s")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def make_entry(runs: list[dict[str, Any]], method: str, prefix: str = "") -> Entry:
    runs = sorted(runs, key=lambda r: r["seed"])
    directions: dict[str, str] = {}
    order: list[str] = []
    for run in runs:
        directions.update({name: d for name in metric_specs(run) if (d := direction(run, name))})
        order += [name for name in declared_order(run) if name not in order]
    primary = next((p for r in runs if (p := declared_primary(r))), None)
    split_sizes: dict[str, list[int]] = {}
    for run in runs:
        for split, n in sizes(run).items():
            if not prefix or split in TASK_SPLITS:
                split_sizes.setdefault(split, [])
                if n not in split_sizes[split]:
                    split_sizes[split].append(n)
    values = estimates(runs, prefix)
    tokens = [float(t) for r in runs if isinstance(t := (r.get("method_log") or {}).get("tokens"), (int, float))]
    probes = [] if prefix else runs  # the pretrained row is not a run: the probes belong to the original's row
    probed = [r for r in probes if robustness(r) or robustness_skipped(r)]
    skipped: dict[str, str] = {}
    probe_specs: dict[str, dict[str, Any]] = {}
    for run in probes:
        for attack, reason in robustness_skipped(run).items():
            skipped.setdefault(attack, reason)
        for name, spec in robustness_specs(run).items():
            probe_specs.setdefault(name, spec)
    return Entry(
        task=runs[0]["task"], model=runs[0]["model"], tier=runs[0]["tier"], method=method,
        seeds=[r["seed"] for r in runs], estimates=values, directions=directions,
        order=sorted(order, key=lambda n: n != primary), sizes={s: sorted(v) for s, v in split_sizes.items()},
        method_s=None if prefix else mean(s for s in map(method_seconds, runs) if s is not None),
        tokens=None if prefix else mean(tokens), primary=primary,
        kinds={e.kind for split in values.values() for e in split.values()},
        robustness=probe_estimates(probes), ran={attack for run in probes for attack in robustness(run)},
        probe_names={(attack, name) for run in probes for attack, values in robustness(run).items() for name in values},
        skipped=skipped, probe_specs=probe_specs, probe_seeds=[r["seed"] for r in probed],
        probed_forget=estimate(probed, "forget", primary) if probed and primary else None,
        made_with=[made_with(r) for r in runs], probe_made_with=[made_with(r) for r in probed],
    )


def probe_estimates(runs: list[dict[str, Any]]) -> dict[str, dict[str, Estimate]]:
    """attack -> metric -> Estimate over the seeds that report a value."""
    out: dict[str, dict[str, Estimate]] = {}
    for attack, metric in sorted({(a, m) for r in runs for a, values in robustness(r).items() for m in values}):
        value = robustness_estimate(runs, attack, metric)
        if value is not None:
            out.setdefault(attack, {})[metric] = value
    return out


def aggregate(results: list[dict[str, Any]]) -> list[Entry]:
    """One Entry per (task, model, tier, method), plus a pretrained row per (task, model, tier) whose original (none)
    runs recorded base_metrics; sorted, pretrained and original first within each group."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for result in results:
        groups.setdefault((result["task"], result["model"], result["tier"], result["method"]), []).append(result)
    entries = [make_entry(runs, method) for (_, _, _, method), runs in groups.items()]
    for (task, model, tier, method), runs in groups.items():
        with_pretrained = [r for r in runs if r.get("base_metrics")]  # result files call it "base"
        if method == ORIGINAL and with_pretrained:
            entries.append(make_entry(with_pretrained, PRETRAINED, prefix="base_"))
    return sorted(entries, key=lambda e: (e.task, e.model, e.tier, method_order(e.method)))


def grouped(entries: list[Entry]) -> dict[tuple[str, str, str], list[Entry]]:
    """(task, model, tier) -> its entries, keeping the sorted order."""
    groups: dict[tuple[str, str, str], list[Entry]] = {}
    for entry in entries:
        groups.setdefault((entry.task, entry.model, entry.tier), []).append(entry)
    return groups


def group_primary_metric(entries: list[Entry]) -> str | None:
    """The headline forget metric of a table's rows (results.primary_metric over their forget metrics)."""
    reported = {name for e in entries for name in e.estimates.get("forget", {})}
    return primary_metric((e.primary for e in entries), reported)


def metric_order(entries: list[Entry]) -> list[str]:
    """Every metric of the group: primary first, then in declaration order, then any others by name."""
    order: list[str] = []
    for entry in entries:
        order += [name for name in entry.order if name not in order]
    primary = group_primary_metric(entries)
    return sorted(order, key=lambda n: n != primary)


def columns(entries: list[Entry]) -> list[tuple[str, str]]:
    """(split, metric) for every metric some entry reports: forget, unseen, normal, each in metric order."""
    order = metric_order(entries)
    found = {(split, name) for e in entries for split, values in e.estimates.items() for name in values}
    rank = {name: i for i, name in enumerate(order)}
    return sorted(found, key=lambda c: (split_order(c[0]), rank.get(c[1], len(rank)), c[1]))


def directions_of(entries: list[Entry]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in entries:
        out.update(entry.directions)
    return out


def rlhf_share(entry: Entry, group: list[Entry]) -> float | None:
    """The entry's method time as a fraction of the RLHF row's, when both are known and RLHF's is positive."""
    rlhf = next((e for e in group if e.method == "rlhf"), None)
    if rlhf is None or not rlhf.method_s or entry.method_s is None:
        return None
    return entry.method_s / rlhf.method_s


# ----------------------------------------------------------------------------------------------------- README

INTRO = """\
# unlearn-bench leaderboard

Generated by `unlearn-bench leaderboard` from the result files (one JSON per run, by default under `results/`).
Do not edit this file by hand: rerun the command instead.

Rows are methods: the model before implanting, the original (implanted, not unlearned) model, then the
unlearning methods. Columns: the task's metrics on the forget split (what the method unlearned on) and the unseen
split (prompts of the same kind never shown to the method), then utility on normal prompts, then compute: the
method's wall time, and that time as a share of RLHF's when an RLHF row exists. ↓ lower is better, ↑ higher is
better.

A cell is `mean ± h`, h the half-width of its 95% interval. With one seed the interval is the result file's
percentile bootstrap over the split's examples (read it with the split sizes above each table: with 16 examples,
one example moves a rate by 0.0625). With several seeds the cell is the mean over the seeds, ± the two sources of
noise added in quadrature: the half-width of the 95% Student-t interval of that mean (the spread between seeds)
and the mean bootstrap half-width of the seeds (every seed evaluates the same examples, so their sampling noise
does not average out). A cell without ± comes from an older result file that recorded no interval.

![forget metric against utility](leaderboard.png)
"""

KIND_TEXT = {
    BOOTSTRAP: "± 95% bootstrap interval over the split's examples (one seed)",
    SEEDS_T: "mean over seeds ± 95% Student-t interval from the spread between seeds",
    SEEDS_T_BOOTSTRAP: "mean over seeds ± the 95% Student-t half-width of the spread between seeds and the "
                       "seeds' mean bootstrap half-width, added in quadrature",
    NO_INTERVAL: "no interval recorded (older result files)",
}


def group_header(group: list[Entry]) -> str:
    """The lines above a table: examples per split, seeds, and where the ± comes from."""
    split_sizes: dict[str, list[int]] = {}
    for entry in group:
        for split, counts in entry.sizes.items():
            split_sizes[split] = sorted(set(split_sizes.get(split, [])) | set(counts))
    size_text = ", ".join(f"{split} {'/'.join(map(str, split_sizes[split]))}"
                          for split in sorted(split_sizes, key=split_order)) or "not recorded"
    seeds = sorted({seed for e in group for seed in e.seeds})
    counts = sorted({len(e.seeds) for e in group if e.method != PRETRAINED})
    per_method = "/".join(map(str, counts))
    kinds = sorted({kind for e in group for kind in e.kinds}, key=list(KIND_TEXT).index)
    return (f"Examples per split: {size_text}. Seeds per method: {per_method} "
            f"(seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}). "
            f"Cells: {'; '.join(KIND_TEXT[kind] for kind in kinds)}. Made with: {made_with_text(group)}.")


def made_with_text(group: list[Entry], probed: bool = False) -> str:
    """How the group's runs were made (with `probed`, the probed runs only), with run counts when they differ (e.g.
    part way through a re-sweep)."""
    counts = Counter(how for entry in group if entry.method != PRETRAINED
                     for how in (entry.probe_made_with if probed else entry.made_with))
    if len(counts) == 1:
        return next(iter(counts))
    return "; ".join(f"{how} ({n} run{'s' if n > 1 else ''})" for how, n in counts.most_common())


def group_table(group: list[Entry]) -> str:
    """One markdown table (tabulate, github format) for a (task, model, tier) group."""
    from tabulate import tabulate

    cols = columns(group)
    directions = directions_of(group)
    has_rlhf = any(e.method == "rlhf" for e in group)
    headers = ["method", "seeds"] + [f"{split} {name}{arrow(directions.get(name))}" for split, name in cols]
    headers += ["method time (s)"] + (["% of RLHF time"] if has_rlhf else [])
    rows = []
    for entry in group:
        row = [entry.label, str(len(entry.seeds))]
        row += [format_estimate(entry.estimate(split, name), decimals(name)) for split, name in cols]
        row.append(format_value(entry.method_s, 1))
        if has_rlhf:
            share = rlhf_share(entry, group)
            row.append(EMPTY_CELL if share is None else f"{100 * share:.1f}%")
        rows.append(row)
    align = ["left"] + ["right"] * (len(headers) - 1)
    return tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True, colalign=align)


def readme_text(entries: list[Entry]) -> str:
    parts = [INTRO] + ([probes_intro(entries)] if any(has_probes(e) for e in entries) else [])
    for (task, model, tier), group in grouped(entries).items():
        parts.append(f"## {task} — {model}, tier {tier}\n\n{group_header(group)}\n\n{group_table(group)}\n")
        if any(has_probes(e) for e in group):
            parts.append(probe_section(group))
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------ robustness table

@dataclass(frozen=True)
class ProbeColumn:
    """A column of the robustness table: one value an attack wrote, under a short header."""

    attack: str
    metric: str
    header: str
    share: bool = False  # a share or an AUC (3 decimals), not a value in the primary metric's units


# The headline number of each attack, in the order a reader asks: does training bring the behaviour back (and how
# much of it), does compression, do prompt tricks, can membership still be told. The rest (unseen prompts, the
# other membership scores, timings) is in the CSV.
PROBE_COLUMNS = (
    ProbeColumn("relearn", "forget", "relearn"),
    ProbeColumn("relearn", "forget_control", "relearn control"),
    ProbeColumn("relearn", "forget_recovered", "relearn recovered", share=True),
    ProbeColumn("relearn", "forget_vs_control", "relearn vs control", share=True),
    ProbeColumn("quant4", "forget", "quant4"),
    ProbeColumn("quant4", "forget_control", "quant4 control"),
    ProbeColumn("quant4", "forget_recovered", "quant4 recovered", share=True),
    ProbeColumn("quant4", "forget_vs_control", "quant4 vs control", share=True),
    ProbeColumn("quant4_g32", "forget", "quant4_g32"),
    ProbeColumn("quant4_g32", "forget_control", "quant4_g32 control"),
    ProbeColumn("quant4_g32", "forget_vs_control", "quant4_g32 vs control", share=True),
    ProbeColumn("quant8", "forget", "quant8"),
    ProbeColumn("quant8", "forget_control", "quant8 control"),
    ProbeColumn("rephrase", "forget_any", "rephrase worst"),
    ProbeColumn("prefix", "forget", "prefix"),
    ProbeColumn("adv_suffix", "forget_worst", "suffix worst"),
    ProbeColumn("adv_roleplay", "forget_worst", "role-play worst"),
    ProbeColumn("adv_reverse", "forget_worst", "reverse worst"),
    ProbeColumn("adv_cue", "forget_worst", "cue worst"),
    ProbeColumn("adv_multiturn", "forget_worst", "multi-turn worst"),
    ProbeColumn("adv_excerpt", "forget_worst", "excerpt worst"),
    ProbeColumn("adv_shifted", "forget_worst", "shifted worst"),
    ProbeColumn("mia", "auc_minkpp", "MIA AUC Min-K%++", share=True),
    ProbeColumn("mia", "privleak_minkpp", "PrivLeak Min-K%++", share=True),
)
# The pretrained row shows the relearning control, recorded on the original's row: the same steps applied to the model
# before implanting, and the share of the implant's effect they teach it.
PRETRAINED_STANDS_IN = {("relearn", "forget"): ("relearn_base", "forget"),
                  ("relearn", "forget_recovered"): ("relearn_base", "forget_taught")}
NOT_DEFINED = "n/a"  # the attack ran but left the value undefined (a recovered share of a gap within tolerance)

PROBES_INTRO = """\
Some runs also probed whether the forgetting holds (`--attacks`, unlearn_bench/attacks.py on the unlearned model).
Their table follows each task's table, same rows; the first column repeats the primary forget metric after
unlearning, then one headline number per attack:

- relearn, quant4, quant8, prefix: the task's primary metric on the forget prompts after a few fine-tuning steps on
  forget-kind examples the method never saw, after 4-bit or 8-bit round-to-nearest weight quantization, or with
  the answer forced to start "Sure, here is";
- rephrase worst: per forget prompt, its worst rewrite (the attacker keeps what works), averaged over prompts;
- recovered: the share of the unlearning gap the attack brings back, (after attack - after unlearning) /
  (original - after unlearning): 0 nothing, 1 all of it; n/a when unlearning moved the metric by no more than its
  tolerance, where a share of the gap would be noise;
- MIA AUC Min-K%++: membership inference, forget answers (members) against holdout answers no training saw
  (0.5: indistinguishable); PrivLeak Min-K%++: (that AUC - the pretrained model's) / the pretrained model's (0 ideal).

The pretrained row's relearn cells are the control: the same steps applied to the model before implanting, and under
"recovered" the share of the implant's effect those steps teach it from scratch; read the methods' relearn cells
against them. The other values (unseen prompts, the loss, zlib and Min-K% scores, PrivLeak of the original) are in
leaderboard.csv as robustness.<attack>.<metric>. Probes record no interval: a cell is one seed's value, or the mean
over seeds ± the half-width of the Student-t interval. "skipped [n]": the attack could not run, for the reason in
note n under the table; "-": not asked for. The plot's second row shows the primary forget metric after
unlearning, after relearning and after quant4, per method.
"""


# Read only when some result carries the newer probes, so the committed tables, probed before them, keep their text.
PROBES_INTRO_CONTROLS = """\
Newer probes also read each attack against its control, the original model (the `none` row) under the same attack,
measured within the run:

- control: the primary forget metric of the original model under the attack: what the attack does by itself;
- vs control: (after attack - after unlearning) / (control - after unlearning): 1 = under attack the unlearned model
  behaves like the never-unlearned one, 0 = the attack brings nothing back; n/a when the control, or the unlearning
  itself, moved the metric by no more than its tolerance, or the attack took the control past the unlearned model
  (it destroyed what the share is read against);
- quant4_g32: 4-bit with one scale per 32 weights, milder than quant4's 128 where quant4 damages the control;
- suffix, role-play, reverse, cue, multi-turn, excerpt, shifted worst: the adversarial prompt families (affirmative
  suffix, role-play, reverse query, in-context cue, multi-turn; novel-excerpt framing and a shifted start for
  passages), per forget prompt its worst variant, averaged.

leaderboard.csv has each share's 95% bootstrap interval over forget examples (forget_vs_control_low, _high), and each
family's mean over variants (forget).
"""


def probes_intro(entries: list[Entry]) -> str:
    """The probe intro, with the controls' paragraph when some result has them."""
    newer = any(metric in ("forget_control", "forget_worst") for e in entries for _, metric in e.probe_names)
    return PROBES_INTRO + ("\n" + PROBES_INTRO_CONTROLS if newer else "")


def has_probes(entry: Entry) -> bool:
    return bool(entry.ran or entry.skipped)


def probe_source(entry: Entry, group: list[Entry], attack: str, metric: str) -> tuple[Entry | None, str, str]:
    """Where a robustness cell reads: the entry's own probes; for the pretrained row, the original's relearn control."""
    if entry.method != PRETRAINED:
        return entry, attack, metric
    if (attack, metric) not in PRETRAINED_STANDS_IN:
        return None, attack, metric
    original = next((e for e in group if e.method == ORIGINAL), None)
    return (original, *PRETRAINED_STANDS_IN[(attack, metric)])


@dataclass(frozen=True)
class RecipeCheck:
    """The task's relearn recipe read on this model's controls (the `none` row's relearn and relearn_base probes):
    how much implanted behaviour the original keeps and the pretrained model gains under the same steps."""

    kept: float
    gain: float
    pretrained_after: float  # the pretrained model's primary forget metric after the recipe

    @property
    def verdict(self) -> str:
        """results.recipe_verdict: passes, damage or teaching."""
        return recipe_verdict(self.kept, self.gain)

    @property
    def passes(self) -> bool:
        return self.verdict == "passes"

    def text(self) -> str:
        shares = (f"the original keeps {self.kept:.2f} of its implanted behaviour and the pretrained model gains "
                  f"{self.gain:.2f} (bars: >= {RECIPE_MIN_KEPT}, <= {RECIPE_MAX_GAIN})")
        if self.passes:
            return f"Relearn recipe on this model: {shares}; it passes."
        if self.verdict == "damage":
            harm = ("the steps erase the behaviour from a model that never unlearned, so its relearn cells cannot "
                    "tell forgetting from that damage")
        else:
            harm = ("the steps plant the behaviour in a model that never had it, so a high relearn cell cannot tell "
                    "recovery from teaching; a cell well short of the relearned pretrained model's "
                    f"{self.pretrained_after:.2f} shows a model that resists relearning")
        return (f"Relearn recipe on this model: {shares}; it FAILS ({self.verdict}): {harm} (the README's summary "
                "shows these cells without shares).")


def relearn_recipe_check(group: list[Entry]) -> RecipeCheck | None:
    """The recipe check of a (task, model, tier) group, or None when its `none` row lacks either control or the
    pretrained row is missing (runs probed before relearn_base existed)."""
    original = next((e for e in group if e.method == ORIGINAL), None)
    pretrained = next((e for e in group if e.method == PRETRAINED), None)
    primary = group_primary_metric(group)
    if original is None or pretrained is None or primary is None:
        return None
    values = [original.probed_forget or original.estimate("forget", primary), pretrained.estimate("forget", primary),
              original.robustness.get("relearn", {}).get("forget"),
              original.robustness.get("relearn_base", {}).get("forget")]
    if any(value is None or not math.isfinite(value.value) for value in values):
        return None
    kept, gain = recipe_shares(*(value.value for value in values))
    return None if kept is None or gain is None else RecipeCheck(kept, gain, values[3].value)


RELEARN_SPECS = ("relearn.forget", "relearn_base.forget")  # their descriptions end "after <the recipe>"


def mixed_recipes_text(group: list[Entry]) -> str | None:
    """A warning when the group's relearn cells (and the relearning control) were made with different recipes, as
    after a task's recipe changed and only some runs were re-probed; None when they agree."""
    rows: dict[str, list[str]] = {}
    for entry in group:
        for name in RELEARN_SPECS:
            attack = name.split(".")[0]
            description = entry.probe_specs.get(name, {}).get("description")
            if attack in entry.ran and description:
                recipe = description.rsplit(" after ", 1)[-1]
                rows.setdefault(recipe, []).append(entry.method if attack == "relearn" else f"{entry.method} ({attack})")
    if len(rows) < 2:
        return None
    listed = "; ".join(f"{recipe}: {', '.join(methods)}" for recipe, methods in rows.items())
    return (f"Relearn cells made with different recipes: {listed}. They are not comparable; re-probe the older ones "
            "(`--redo-attacks relearn relearn_base`).")


def probe_cell(entry: Entry, group: list[Entry], column: ProbeColumn, places: int,
               notes: dict[tuple[str, str], int]) -> str:
    """The value; "n/a" when the attack ran without one; "skipped [n]" with the reason kept as note n; else "-"."""
    source, attack, metric = probe_source(entry, group, column.attack, column.metric)
    if source is None:
        return EMPTY_CELL
    value = source.robustness.get(attack, {}).get(metric)
    if value is not None:
        return format_estimate(value, places)
    if (attack, metric) in source.probe_names:  # written, without a value
        return NOT_DEFINED
    if attack in source.skipped and f"{attack}.{metric}" in source.probe_specs:  # results before a metric existed
        return f"skipped [{notes.setdefault((attack, source.skipped[attack]), len(notes) + 1)}]"
    return EMPTY_CELL


def probe_direction(group: list[Entry], attack: str, metric: str) -> str | None:
    return next((d for e in group if (d := e.probe_specs.get(f"{attack}.{metric}", {}).get("direction"))), None)


def probe_section(group: list[Entry]) -> str:
    """The robustness table of a (task, model, tier) group: the columns some row has a value or a skip for."""
    from tabulate import tabulate

    primary = group_primary_metric(group)
    places = decimals(primary or "")
    notes: dict[tuple[str, str], int] = {}
    by_row = [{column: probe_cell(e, group, column, 3 if column.share else places, notes) for column in PROBE_COLUMNS}
              for e in group]  # row by row, so the notes are numbered in reading order
    cells = {column: [row[column] for row in by_row] for column in PROBE_COLUMNS}
    shown = [column for column in PROBE_COLUMNS if any(cell != EMPTY_CELL for cell in cells[column])]
    first = (f"forget {primary}{arrow(directions_of(group).get(primary or ''))}" if primary else "forget")
    headers = ["method", first] + [f"{c.header}{arrow(probe_direction(group, c.attack, c.metric))}" for c in shown]
    rows = [[entry.label, format_estimate(entry.probed_forget or entry.estimate("forget", primary), places)
             if primary else EMPTY_CELL] + [cells[column][index] for column in shown]
            for index, entry in enumerate(group)]
    table = tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True,
                     colalign=["left"] + ["right"] * (len(headers) - 1))
    seeds = sorted({seed for e in group for seed in e.probe_seeds})
    source = (f"probes from seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}, and the forget "
              "column of a probed row over those seeds only" if seeds else "no attack could run")
    lines = [f"### Robustness probes: {group[0].task} — {group[0].model}, tier {group[0].tier}", "",
             f"Cells: {primary or 'the primary metric'} on the forget prompts after each attack, recovered shares "
             f"and membership inference as described at the top of this page; {source}.", "", table]
    if notes:
        lines += [""] + [f"- [{number}] {attack} skipped: {reason}" for (attack, reason), number in notes.items()]
    if (check := relearn_recipe_check(group)) is not None:
        lines += ["", check.text()]
    if (mixed := mixed_recipes_text(group)) is not None:
        lines += ["", mixed]
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------------------------------------------- CSV

def csv_text(entries: list[Entry]) -> str:
    """One row per (task, method, model, tier): seeds, examples per split, every split.metric with its interval
    bounds (.low, .high; empty without an interval), compute, then (when some run has robustness probes) every
    probe value as robustness.<attack>.<metric> (the mean over seeds; probes record no interval) and the skip
    reasons ("attack: reason; ..."). Floats with 6 fixed decimals."""
    metric_columns = sorted({(split, name) for e in entries for split, values in e.estimates.items()
                             for name in values}, key=lambda c: (split_order(c[0]), c[1]))
    size_splits = sorted({split for e in entries for split in e.sizes}, key=split_order)
    groups = grouped(entries)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    probe_columns = sorted(set().union(*(e.probe_names for e in entries)))
    any_skipped = any(e.skipped for e in entries)
    writer.writerow(["task", "method", "model", "tier", "n_seeds", "seeds", "interval"]
                    + [f"n_{split}" for split in size_splits]
                    + [f"{split}.{name}{part}" for split, name in metric_columns for part in ("", ".low", ".high")]
                    + ["method_s", "method_share_of_rlhf", "method_tokens"]
                    + [f"robustness.{attack}.{name}" for attack, name in probe_columns]
                    + (["robustness_skipped"] if any_skipped else []))
    for entry in entries:
        share = rlhf_share(entry, groups[(entry.task, entry.model, entry.tier)])
        cells = []
        for split, name in metric_columns:
            value = entry.estimate(split, name)
            cells += [_csv_number(None if value is None else getattr(value, part)) for part in ("value", "low", "high")]
        writer.writerow(
            [entry.task, entry.method, entry.model, entry.tier, len(entry.seeds), ";".join(map(str, entry.seeds)),
             ";".join(sorted(entry.kinds))]
            + ["/".join(map(str, entry.sizes.get(split, []))) for split in size_splits]
            + cells
            + [_csv_number(entry.method_s), _csv_number(share), _csv_number(entry.tokens)]
            + [_csv_number(getattr(entry.robustness.get(attack, {}).get(name), "value", None))
               for attack, name in probe_columns]
            + (["; ".join(f"{attack}: {reason}" for attack, reason in sorted(entry.skipped.items()))]
               if any_skipped else [])
        )
    return buffer.getvalue()


def _csv_number(value: float | None) -> str:
    return "" if value is None else format_value(value, 6)


# -------------------------------------------------------------------------------------------------------- PNG

def png_bytes(entries: list[Entry]) -> bytes:
    """One panel per task: the primary forget metric (x) against normal-split BLEU similarity (y), per method,
    with 95% intervals as error bars; when some run has probes, a second row: per task and method, the primary
    forget metric after unlearning, after relearning and after quant4."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    by_task: dict[str, list[Entry]] = {}
    for entry in entries:
        by_task.setdefault(entry.task, []).append(entry)
    tasks = sorted(by_task) or ["(no results)"]
    rows = 2 if any(e.ran for e in entries) else 1  # the robustness row only when some run has probes
    figure = Figure(figsize=(5.0 * len(tasks), 4.5 if rows == 1 else 10.0))
    FigureCanvasAgg(figure)
    for index, task in enumerate(tasks):
        axes = figure.add_subplot(rows, len(tasks), index + 1)
        _plot_task(axes, task, by_task.get(task, []))
        if rows == 2:
            _plot_probes(figure.add_subplot(rows, len(tasks), len(tasks) + index + 1), task, by_task.get(task, []))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def error_bar(value: Estimate) -> list[list[float]]:
    """matplotlib's [[below], [above]]; zero without an interval (never negative, should the point estimate
    sit outside a percentile interval)."""
    if value.low is None or value.high is None:
        return [[0.0], [0.0]]
    return [[max(0.0, value.value - value.low)], [max(0.0, value.high - value.value)]]


def _plot_task(axes, task: str, entries: list[Entry]) -> None:
    metric = group_primary_metric(entries)
    several = len({(e.model, e.tier) for e in entries}) > 1
    points = [(x, y, e) for e in entries
              if metric and (x := e.estimate("forget", metric)) and (y := e.estimate("normal", PLOT_UTILITY))
              and math.isfinite(x.value) and math.isfinite(y.value)]
    for x, y, entry in points:
        label = f"{entry.label} ({entry.model}, {entry.tier})" if several else entry.label
        axes.errorbar([x.value], [y.value], xerr=error_bar(x), yerr=error_bar(y), fmt="o", capsize=3,
                      color="tab:red" if entry.method == ORIGINAL else "tab:blue")
        axes.annotate(label, (x.value, y.value), textcoords="offset points", xytext=(4, 4), fontsize=8)
    if not points:
        axes.text(0.5, 0.5, "no results with both metrics", ha="center", va="center", transform=axes.transAxes)
    better = directions_of(entries).get(metric or "")
    axes.margins(0.2)  # room for the labels of the outermost points
    axes.set_title(task)
    axes.set_xlabel(f"forget {metric or '?'}{f' ({better} is better)' if better else ''}, 95% interval")
    axes.set_ylabel(f"normal {PLOT_UTILITY} (higher is better), 95% interval")
    axes.grid(True, alpha=0.3)


# What the robustness panels draw next to the value after unlearning: (attack, legend, marker, colour).
PLOT_PROBES = (("relearn", "after relearn", "^", "tab:orange"), ("quant4", "after quant4", "s", "tab:green"))


def _plot_probes(axes, task: str, entries: list[Entry]) -> None:
    """Per method (x), the primary forget metric before the attack (after unlearning) and after each PLOT_PROBES
    attack (y), joined by a line; the pretrained row shows the relearning control."""
    metric = group_primary_metric(entries)
    several = len({(e.model, e.tier) for e in entries}) > 1
    groups = grouped(entries)
    columns = []
    for entry in entries:
        group = groups[(entry.task, entry.model, entry.tier)]
        after = []
        for attack, *style in PLOT_PROBES:
            source, name, field_name = probe_source(entry, group, attack, "forget")
            value = source.robustness.get(name, {}).get(field_name) if source else None
            if value is not None and math.isfinite(value.value):
                after.append((value, *style))
        unlearned = entry.estimate("forget", metric) if metric else None
        if after and unlearned is not None and math.isfinite(unlearned.value):
            columns.append((entry, unlearned, after))
    labelled: set[str] = set()
    for x, (entry, unlearned, after) in enumerate(columns):
        values = [unlearned.value] + [value.value for value, *_ in after]
        axes.plot([x, x], [min(values), max(values)], color="0.75", linewidth=1, zorder=1)
        series = [(unlearned, "before the attack", "o", "tab:red" if entry.method == ORIGINAL else "tab:blue")]
        for value, legend, marker, colour in series + after:
            axes.errorbar([x], [value.value], yerr=error_bar(value), fmt=marker, color=colour, capsize=3,
                          label=None if legend in labelled else legend, zorder=2)
            labelled.add(legend)
    if columns:
        axes.set_xticks(range(len(columns)))
        axes.set_xticklabels([f"{e.label} ({e.model}, {e.tier})" if several else e.label for e, *_ in columns],
                             rotation=30, ha="right", fontsize=8)
        axes.legend(fontsize=8, loc="best")
    else:
        axes.text(0.5, 0.5, "no relearn or quant4 probes", ha="center", va="center", transform=axes.transAxes)
    better = directions_of(entries).get(metric or "")
    axes.margins(x=0.15)
    axes.set_title(f"{task}: does the forgetting hold?")
    axes.set_ylabel(f"forget {metric or '?'}{f' ({better} is better)' if better else ''}")
    axes.grid(True, axis="y", alpha=0.3)


# ------------------------------------------------------------------------------------------------------ build

SUMMARY_NORMAL = (("similarity_semantic", "normal semantic sim."), ("empty_rate", "normal empty"))


def summary_text(entries: list[Entry]) -> str:
    """The project README's short tables: per model and tier, per task, each method's primary metric on forget and
    unseen, the normal answers' meaning similarity and emptiness, and its method time; one decimal fewer than the
    leaderboard's tables (BLEU 1, rates 2)."""
    from tabulate import tabulate

    parts = []
    for (model, tier), tasks in by_model_and_tier(entries).items():
        parts.append(f"#### {model}, tier {tier}\n")
        for task, group in tasks:
            primary = group[0].primary or group[0].order[0]
            places = decimals(primary) - 1
            rows = []
            for entry in group:
                cells = [format_estimate(entry.estimate(split, primary), places) for split in TASK_SPLITS]
                cells += [format_estimate(entry.estimate("normal", name), 2) if entry.method != PRETRAINED else ""
                          for name, _ in SUMMARY_NORMAL]
                seconds = "" if entry.method == PRETRAINED or entry.method_s is None else f"{entry.method_s:.0f}"
                rows.append([entry.method, len(entry.seeds), *cells, seconds])
            headers = ["method", "seeds", f"forget {primary}", f"unseen {primary}",
                       *(label for _, label in SUMMARY_NORMAL), "method s"]
            parts.append(f"**{task}**. Made with: {made_with_text(group)}.\n\n"
                         f"{tabulate(rows, headers=headers, tablefmt='github', disable_numparse=True)}\n")
    return "\n".join(parts)


# The project README's robustness block: per model and task, each probed method's primary forget metric after
# unlearning and after each attack, the attack read against its control (the original under the same attack), the
# worst prompt attack, and membership inference. Controls first: the `none` row is what each attack does to a model
# that never unlearned, the pretrained row what the relearning steps teach a model that never had the behaviour.
SUMMARY_WEIGHT_ATTACKS = (("relearn", "relearn"), ("quant4", "quant4"), ("quant4_g32", "quant4 g32"),
                          ("quant8", "quant8"))
# Prompt attacks and the value that says what the attacker gets: per forget prompt its worst variant, or the
# forced-prefix answer; named as in PROBE_COLUMNS.
SUMMARY_PROMPT_ATTACKS = tuple((c.attack, c.metric, c.header.removesuffix(" worst")) for c in PROBE_COLUMNS
                               if c.metric in ("forget_worst", "forget_any") or c.attack == "prefix")


def share_text(value: Estimate | None) -> str:
    return "" if value is None or not math.isfinite(value.value) else f" ({value.value:.0%})"


def worst_prompt_attack(entry: Entry, group: list[Entry], places: int) -> str:
    """The prompt attack that gets the most of the unwanted behaviour back (its value and name), '' when none ran."""
    found = [(value.value, name) for attack, metric, name in SUMMARY_PROMPT_ATTACKS
             if (value := entry.robustness.get(attack, {}).get(metric)) is not None and math.isfinite(value.value)]
    if not found:
        return ""
    # the attacker's side is the opposite of the metric's better direction
    sign = -1.0 if directions_of(group).get(group_primary_metric(group) or "") == HIGHER else 1.0
    value, name = max(found, key=lambda item: sign * item[0])
    return f"{format_value(value, places)} {name}"


def robustness_row(entry: Entry, group: list[Entry], places: int, recipe: RecipeCheck | None = None) -> list[str]:
    """One method's cells: forget after unlearning, after each weight attack (its share against the control, none
    for relearn when the recipe fails on this model), the worst prompt attack and the Min-K%++ membership AUC; the
    pretrained row's relearn cell is the relearning control (probe_source), its other cells stay empty."""
    primary = group_primary_metric(group) or ""
    cells = [entry.label, format_estimate(entry.probed_forget or entry.estimate("forget", primary), places)]
    for attack, _ in SUMMARY_WEIGHT_ATTACKS:
        source, read_attack, metric = probe_source(entry, group, attack, "forget")
        after = source.robustness.get(read_attack, {}) if source is not None else {}
        readable = attack != "relearn" or recipe is None or recipe.passes
        share = share_text(after.get("forget_vs_control")) if readable else ""
        cells.append(format_estimate(after[metric], places) + share if metric in after else "")
    cells.append(worst_prompt_attack(entry, group, places))
    auc = entry.robustness.get("mia", {}).get("auc_minkpp")
    return cells + ([format_value(auc.value, 2)] if auc is not None else [""])


def robustness_summary_text(entries: list[Entry]) -> str:
    """The project README's robustness tables: per model and tier, per task with probes, the rows above (pretrained and
    original first); the columns no row fills are left out."""
    from tabulate import tabulate

    parts = []
    for (model, tier), tasks in by_model_and_tier(entries).items():
        probed = [(task, group) for task, group in tasks if any(has_probes(e) for e in group)]
        if not probed:
            continue
        parts.append(f"#### {model}, tier {tier}: robustness\n")
        for task, group in probed:
            places = decimals(group_primary_metric(group) or "") - 1
            recipe = relearn_recipe_check(group)
            rows = [robustness_row(e, group, places, recipe) for e in group
                    if e.method == PRETRAINED or has_probes(e)]
            headers = ["method", "forget", *(name for _, name in SUMMARY_WEIGHT_ATTACKS), "worst prompt attack",
                       "MIA Min-K%++"]
            keep = [0, 1] + [i for i in range(2, len(headers)) if any(row[i] for row in rows)]
            seeds = sorted({seed for e in group for seed in e.probe_seeds})
            table = tabulate([[row[i] for i in keep] for row in rows], headers=[headers[i] for i in keep],
                             tablefmt="github", disable_numparse=True)
            parts.append(f"**{task}**, probes at seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}. "
                         f"Made with: {made_with_text(group, probed=True)}.\n\n{table}\n"
                         + (f"\n{recipe.text()}\n" if recipe is not None else "")
                         + (f"\n{mixed}\n" if (mixed := mixed_recipes_text(group)) is not None else ""))
    return "\n".join(parts) or "No result has robustness probes yet.\n"


def by_model_and_tier(entries: list[Entry]) -> dict[tuple[str, str], list[tuple[str, list[Entry]]]]:
    """(model, tier) -> [(task, its group)], in the leaderboard's order."""
    out: dict[tuple[str, str], list[tuple[str, list[Entry]]]] = {}
    for (task, model, tier), group in grouped(entries).items():
        out.setdefault((model, tier), []).append((task, group))
    return out


@dataclass(frozen=True)
class ReadmeBlock:
    """A generated block of a markdown file, between two marker lines."""

    name: str
    render: Any  # Callable[[list[Entry]], str]

    @property
    def begin(self) -> str:
        return f"<!-- leaderboard {self.name}: begin (written by `unlearn-bench leaderboard --readme`) -->"

    @property
    def end(self) -> str:
        return f"<!-- leaderboard {self.name}: end -->"


README_BLOCKS = (ReadmeBlock("summary", summary_text), ReadmeBlock("robustness", robustness_summary_text))
SUMMARY_BEGIN, SUMMARY_END = README_BLOCKS[0].begin, README_BLOCKS[0].end


def split_at_block(text: str, block: ReadmeBlock) -> tuple[str, str] | None:
    """The text before and after the block, or None when the text lacks either marker."""
    before, begin, rest = text.partition(block.begin)
    _, end, after = rest.partition(block.end)
    return (before, after) if begin and end else None


def split_at_summary(readme: Path) -> tuple[str, str]:
    """The text of `readme` before and after its summary block; one line and exit 2 when it has none."""
    if not readme.is_file():
        raise UsageError(f"--readme {str(readme)!r} does not exist; expected a markdown file with a summary block")
    around = split_at_block(readme.read_text(encoding="utf-8"), README_BLOCKS[0])
    if around is None:
        raise UsageError(f"--readme {str(readme)!r} has no summary block; expected a line {SUMMARY_BEGIN!r} and, "
                         f"after it, a line {SUMMARY_END!r}")
    return around


def with_blocks(text: str, entries: list[Entry]) -> str:
    """The text with every generated block it has rewritten from the entries."""
    for block in README_BLOCKS:
        around = split_at_block(text, block)
        if around is not None:
            text = f"{around[0]}{block.begin}\n\n{block.render(entries)}\n{block.end}{around[1]}"
    return text


def build_leaderboard(results_dir: str | Path, out_dir: str | Path, summary_readme: str | Path | None = None
                      ) -> list[Path]:
    """Regenerate README.md, leaderboard.csv and leaderboard.png in out_dir from the results, and the HTML report
    in out_dir/report (unlearn_bench.report); with `summary_readme`, also the generated blocks of that file (the
    summary block, which it must have, and the robustness block where it has one). Returns the paths written (the
    report's aside)."""
    results_dir = Path(results_dir)
    if not results_dir.is_dir():
        raise UsageError(f"results directory {str(results_dir)!r} does not exist or is not a directory")
    results = require_results(results_dir)
    entries = aggregate(results)
    # checked before anything is written: a bad --readme leaves every file as it was
    if summary_readme is not None:
        split_at_summary(Path(summary_readme))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    readme, table, plot = out_dir / "README.md", out_dir / "leaderboard.csv", out_dir / "leaderboard.png"
    write_atomic(readme, readme_text(entries))
    write_atomic(table, csv_text(entries))
    plot.write_bytes(png_bytes(entries))
    from .report import write_report  # the HTML report of the same results, so one command keeps both current

    write_report(results, out_dir / "report")
    if summary_readme is not None:
        path = Path(summary_readme)
        write_atomic(path, with_blocks(path.read_text(encoding="utf-8"), entries))
        return [readme, table, plot, path]
    return [readme, table, plot]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--results", default="leaderboard/results", metavar="DIR",
                        help="directory searched recursively for result files (default: %(default)s)")
    parser.add_argument("--out", default="leaderboard", metavar="DIR",
                        help="where README.md, leaderboard.csv and leaderboard.png go (default: %(default)s)")
    parser.add_argument("--readme", metavar="FILE.md",
                        help="also rewrite the generated blocks of this markdown file, between their markers: the "
                             "summary block (required: the project README's short tables) and, where the file has "
                             "one, the robustness block")


def main(args: argparse.Namespace) -> int:
    for path in build_leaderboard(args.results, args.out, args.readme):
        print(f"wrote {path}")
    print(f"wrote {Path(args.out) / 'report' / 'index.html'}")
    return 0
