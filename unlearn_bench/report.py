"""A static report of a results folder: `unlearn-bench report --results DIR --out DIR`.

Plain files, opened from file:// or any static host, no server and nothing fetched from elsewhere:

- index.html: per (task, model, tier) the leaderboard (leaderboard.aggregate, the same estimates and formatting as
  the tables), sortable by any column, the robustness columns behind a toggle, a cell whose interval overlaps the
  `ga_mismatch` row's marked as not different, and an inline SVG of the primary forget metric against normal
  utility with 95% error bars;
- runs/<run>.html: one page per run: config, execution environment, versions, timings, data sources and licences;
  its examples come from data/<run>.js, loaded by a <script src> tag (Chromium blocks fetch() of local files), so
  the page stays small whatever the number of examples;
- diff.html#a=<run>&b=<run>: two runs side by side on the same examples, loading both data files the same way.

Templates are jinja2 files under templates/report; its script and style sheet are copied to assets/ and shared by
every page. The
output is byte-identical when regenerated from the same results: keys sorted, fixed decimals, no dates.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
from pathlib import Path
from typing import Any, Mapping

from .errors import UsageError
from .io import write_atomic
from .display import EMPTY_CELL, arrow, decimals, format_estimate, format_value
from .leaderboard import (ORIGINAL, PLOT_UTILITY, PRETRAINED, PROBE_COLUMNS, Entry, aggregate, columns, directions_of,
                          grouped, group_primary_metric, probe_cell, probe_direction, probe_source,
                          relearn_recipe_check, rlhf_share)
from .results import Estimate, declared_primary, metric_specs, require_results, result_stem, run_key, sizes, split_order
from .results import direction as metric_direction

REFERENCE = "ga_mismatch"  # the paper's method: a cell whose interval overlaps its row's is "not different"
TEMPLATES = Path(__file__).resolve().parent / "templates" / "report"
OWNED = ("index.html", "diff.html", "runs", "data", "assets")  # what write_report replaces in its output folder
ASSETS = ("report.css", "report.js")  # copied into OUT/assets, shared by every page
SCORE_PLACES = 4  # per-example scores in the data files
RUN_DATA_GLOBAL = "UB_RUN_DATA"  # the data files register their run under window[RUN_DATA_GLOBAL][run id]


# ------------------------------------------------------------------------------------------------ identities

def run_id(result: Mapping[str, Any]) -> str:
    """The run's file stem (method__model__tier__seedN__hash), prefixed with its task: unique in a results folder
    (results.load_results refuses two files for one run) and safe as a file name."""
    stem = result_stem(result["method"], result["model"], result["tier"], result["seed"],
                       result.get("config_hash") or "schema1")  # schema-1 files have no config hash
    return f"{result['task']}__{stem}"


def group_key(result_or_entry: Any) -> tuple[str, str, str]:
    get = result_or_entry.get if isinstance(result_or_entry, Mapping) else lambda k: getattr(result_or_entry, k)
    return get("task"), get("model"), get("tier")


def group_anchor(key: tuple[str, str, str]) -> str:
    return "g-" + "-".join(part.replace("/", "_").replace(" ", "_") for part in key)


# ------------------------------------------------------------------------------------------------ index data

def intervals_overlap(a: Estimate | None, b: Estimate | None) -> bool:
    """Whether two 95% intervals share a point; False when either has none (nothing to say)."""
    if a is None or b is None or None in (a.low, a.high, b.low, b.high):
        return False
    return a.low <= b.high and b.low <= a.high


def sort_value(value: Estimate | float | None) -> str:
    """What a cell sorts by: the mean as text, "" when missing (sorted last in either direction)."""
    number = value.value if isinstance(value, Estimate) else value
    return "" if number is None or not math.isfinite(number) else repr(float(number))


def metric_cell(entry: Entry, split: str, metric: str, reference: Entry | None, href: str | None) -> dict[str, Any]:
    """One leaderboard cell: text as in the tables, its sort value, whether it is not different from the
    reference row (overlapping intervals), and the run page of the examples it counts."""
    value = entry.estimate(split, metric)
    other = reference.estimate(split, metric) if reference is not None and reference is not entry else None
    return {"text": format_estimate(value, decimals(metric)), "sort": sort_value(value),
            "not_different": intervals_overlap(value, other),
            "title": f"95% interval [{format_value(value.low, decimals(metric))}, "
                     f"{format_value(value.high, decimals(metric))}]" if value and value.low is not None else "",
            "href": href if value is not None else None}


def run_cell_href(runs: list[Mapping[str, Any]], split: str, metric: str) -> str | None:
    """The first seed's run page, opened on the split and the metric the cell counts."""
    return f"runs/{run_id(runs[0])}.html#split={split}&metric={metric}" if runs else None


def probe_cells(entry: Entry, group: list[Entry]) -> list[dict[str, Any]]:
    """The robustness cells of a row, as the leaderboard's robustness table writes them (skip notes inline)."""
    cells = []
    primary_places = decimals(group_primary_metric(group) or "")
    for column in PROBE_COLUMNS:
        notes: dict[tuple[str, str], int] = {}
        text = probe_cell(entry, group, column, 3 if column.share else primary_places, notes)
        source, attack, metric = probe_source(entry, group, column.attack, column.metric)
        value = source.robustness.get(attack, {}).get(metric) if source else None
        reason = next(iter(notes), (None, ""))[1]
        cells.append({"text": "skipped" if notes else text, "sort": sort_value(value), "title": reason})
    return cells


def group_view(group: list[Entry], runs_by_entry: dict[tuple, list[Mapping[str, Any]]]) -> dict[str, Any]:
    """Everything the index shows for one (task, model, tier): headers, rows of cells, links, the plot. The
    robustness columns are those some row has a value or a skip for, as in the leaderboard's robustness table."""
    cols = columns(group)
    directions = directions_of(group)
    reference = next((e for e in group if e.method == REFERENCE), None)
    probes = [probe_cells(entry, group) for entry in group]
    shown = [i for i in range(len(PROBE_COLUMNS)) if any(row[i]["text"] != EMPTY_CELL for row in probes)]
    reference_runs = runs_by_entry.get(_entry_key(reference), [])
    rows = [row_view(entry, group, cols, reference, runs_by_entry.get(_entry_key(entry), []), reference_runs)
            | {"probes": [cells[i] for i in shown]} for entry, cells in zip(group, probes)]
    return {
        "key": group_key(group[0]), "anchor": group_anchor(group_key(group[0])),
        "headers": [{"split": split, "metric": metric, "arrow": arrow(directions.get(metric))}
                    for split, metric in cols],
        "probe_headers": [{"text": PROBE_COLUMNS[i].header,
                           "arrow": arrow(probe_direction(group, PROBE_COLUMNS[i].attack, PROBE_COLUMNS[i].metric))}
                          for i in shown],
        "has_rlhf": any(e.method == "rlhf" for e in group), "rows": rows,
        "recipe_check": check.text() if (check := relearn_recipe_check(group)) is not None else None,
        "reference": REFERENCE if reference else None,
        "sizes": group_sizes(group), "seeds": sorted({s for e in group for s in e.seeds}),
        "plot": plot_view(group),
        "run_choices": [{"id": run_id(r), "label": f"{r['method']} seed {r['seed']}"}
                        for e in group for r in runs_by_entry.get(_entry_key(e), [])],
    }


def row_view(entry: Entry, group: list[Entry], cols: list[tuple[str, str]], reference: Entry | None,
             runs: list[Mapping[str, Any]], reference_runs: list[Mapping[str, Any]]) -> dict[str, Any]:
    """One method's row: its seeds (each linked to its run page), examples per split, the metric cells, compute
    and the diffs it offers. The pretrained row has no run of its own, so its cells link nowhere."""
    share = rlhf_share(entry, group)
    return {
        "label": entry.label, "method": entry.method, "n_seeds": len(entry.seeds),
        "seeds": [{"seed": r["seed"], "href": f"runs/{run_id(r)}.html"} for r in runs]
                 or [{"seed": s, "href": None} for s in entry.seeds],
        "examples": "/".join("/".join(map(str, entry.sizes[s])) for s in sorted(entry.sizes, key=split_order)),
        "cells": [metric_cell(entry, split, metric, reference,
                              None if entry.method == PRETRAINED else run_cell_href(runs, split, metric))
                  for split, metric in cols],
        "method_s": {"text": format_value(entry.method_s, 1), "sort": sort_value(entry.method_s)},
        "rlhf_share": {"text": EMPTY_CELL if share is None else f"{100 * share:.1f}%", "sort": sort_value(share)},
        "diffs": diff_links(runs, reference_runs),
    }


def _entry_key(entry: Entry | None) -> tuple:
    return () if entry is None else (entry.task, entry.model, entry.tier, entry.method)


def group_sizes(group: list[Entry]) -> str:
    found: dict[str, set[int]] = {}
    for entry in group:
        for split, counts in entry.sizes.items():
            found.setdefault(split, set()).update(counts)
    return ", ".join(f"{split} {'/'.join(map(str, sorted(found[split])))}" for split in sorted(found, key=split_order))


def diff_links(runs: list[Mapping[str, Any]], reference_runs: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Diffs a row offers: its first two seeds against each other, and its first seed against the reference
    method at the same seed (or the reference's first seed)."""
    links = []
    if len(runs) >= 2:
        links.append({"text": f"seed {runs[0]['seed']} vs {runs[1]['seed']}",
                      "href": f"diff.html#a={run_id(runs[0])}&b={run_id(runs[1])}"})
    if runs and reference_runs and runs[0]["method"] != reference_runs[0]["method"]:
        other = next((r for r in reference_runs if r["seed"] == runs[0]["seed"]), reference_runs[0])
        links.append({"text": f"vs {other['method']}", "href": f"diff.html#a={run_id(runs[0])}&b={run_id(other)}"})
    return links


# ------------------------------------------------------------------------------------------------------ plot

PLOT_WIDTH, PLOT_HEIGHT, PLOT_MARGIN = 460, 320, 48


def plot_view(group: list[Entry]) -> dict[str, Any]:
    """An SVG scatter of the primary forget metric (x) against normal PLOT_UTILITY (y), each with its 95%
    interval as an error bar; coordinates computed here, drawn by the template."""
    metric = group_primary_metric(group)
    points = [(e, x, y) for e in group if metric and (x := e.estimate("forget", metric)) is not None
              and (y := e.estimate("normal", PLOT_UTILITY)) is not None and math.isfinite(x.value)
              and math.isfinite(y.value)]
    view = {"width": PLOT_WIDTH, "height": PLOT_HEIGHT, "margin": PLOT_MARGIN, "points": [],
            "x_label": f"forget {metric or '?'}{arrow(directions_of(group).get(metric or ''))}",
            "y_label": f"normal {PLOT_UTILITY} ↑", "x_ticks": [], "y_ticks": []}
    if not points:
        return view
    x_scale = _scale([b for _, x, _ in points for b in _bounds(x)], PLOT_MARGIN, PLOT_WIDTH - PLOT_MARGIN / 2)
    y_scale = _scale([b for _, _, y in points for b in _bounds(y)], PLOT_HEIGHT - PLOT_MARGIN, PLOT_MARGIN / 2)
    for entry, x, y in points:
        x_low, x_high = _bounds(x)
        y_low, y_high = _bounds(y)
        view["points"].append({"label": entry.method, "original": entry.method == ORIGINAL,
                               "x": x_scale(x.value), "y": y_scale(y.value), "x_low": x_scale(x_low),
                               "x_high": x_scale(x_high), "y_low": y_scale(y_low), "y_high": y_scale(y_high)})
    view["x_ticks"] = [{"at": x_scale(v), "text": format_value(v, decimals(metric))} for v in _ticks(x_scale.domain)]
    view["y_ticks"] = [{"at": y_scale(v), "text": format_value(v, decimals(PLOT_UTILITY))}
                       for v in _ticks(y_scale.domain)]
    return view


def _bounds(value: Estimate) -> tuple[float, float]:
    low = value.value if value.low is None else min(value.low, value.value)
    high = value.value if value.high is None else max(value.high, value.value)
    return low, high


class _Scale:
    """A linear map from a data domain onto pixels, rounded to 0.1 px so the SVG text is stable."""

    def __init__(self, low: float, high: float, start: float, end: float):
        self.domain = (low, high)
        self.start, self.end = start, end

    def __call__(self, value: float) -> float:
        low, high = self.domain
        return round(self.start + (value - low) / (high - low) * (self.end - self.start), 1)


def _scale(values: list[float], start: float, end: float) -> _Scale:
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or max(abs(low) * 0.1, 0.05)  # one point, or all equal: a window around it
    return _Scale(low - pad, high + pad, start, end)


def _ticks(domain: tuple[float, float], count: int = 5) -> list[float]:
    low, high = domain
    return [low + (high - low) * i / (count - 1) for i in range(count)]


# --------------------------------------------------------------------------------------------- run page data

def originals_by_group(results: list[Mapping[str, Any]]) -> dict[tuple, dict[str, Mapping[str, Any]]]:
    """(task, model, tier) -> original-weights fingerprint -> the `none` run (lowest seed) whose outputs are that
    original model's: every run of the group compares its outputs with them."""
    found: dict[tuple, dict[str, Mapping[str, Any]]] = {}
    for result in sorted(results, key=lambda r: r["seed"]):
        if result["method"] == ORIGINAL:
            fingerprint = (result.get("fingerprints") or {}).get("original", "")
            found.setdefault(group_key(result), {}).setdefault(fingerprint, result)
    return found


def original_run(result: Mapping[str, Any], originals: dict[tuple, dict[str, Mapping[str, Any]]]):
    """The `none` run with the same original weights as `result`; any `none` run of the group when the files
    record no fingerprints; None without one."""
    candidates = originals.get(group_key(result), {})
    fingerprint = (result.get("fingerprints") or {}).get("original", "")
    return candidates.get(fingerprint) or next(iter(candidates.values()), None)


def verdict_metric(result: Mapping[str, Any], split: str) -> str | None:
    """The per-example metric that says yes or no for an example: the primary metric when its per-example values
    are all 0 or 1, else the first such metric in declaration order (copyright: leakage_rate), else None."""
    per_example = (result.get("per_example") or {}).get(split) or {}
    primary = declared_primary(result)
    order = [primary] + [name for name in metric_specs(result) if name != primary]
    return next((name for name in order if name in per_example and per_example[name]
                 and all(v in (0, 1) for v in per_example[name] if v is not None)
                 and any(v is not None for v in per_example[name])), None)


def ranking_metric(result: Mapping[str, Any], split: str) -> str | None:
    """What "worst first" sorts by: the primary metric's per-example values, else the verdict metric's."""
    per_example = (result.get("per_example") or {}).get(split) or {}
    primary = declared_primary(result)
    return primary if primary in per_example else verdict_metric(result, split)


def prompts_of(result: Mapping[str, Any], split: str, count: int) -> list[str | None]:
    """The prompts of a split: the result's "prompts" when it records them, else the few its "samples" keep (the
    split's first examples, in order), else None per example."""
    recorded = ((result.get("prompts") or {}).get(split)) or []
    if len(recorded) == count:
        return list(recorded)
    samples = ((result.get("samples") or {}).get(split)) or []
    known = [s.get("prompt") for s in samples[:count]]
    return known + [None] * (count - len(known))


def _round(value: Any) -> Any:
    return round(float(value), SCORE_PLACES) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value) else None


def run_data(result: Mapping[str, Any]) -> dict[str, Any]:
    """What a run page loads on demand: per split, its prompts, outputs, per-example scores (rounded), the
    verdict and ranking metrics and their directions; the robustness outputs when the file records them."""
    splits = {}
    for split in sorted(set(result.get("outputs") or {}) | set(result.get("per_example") or {}), key=split_order):
        outputs = list((result.get("outputs") or {}).get(split) or [])
        scores = {name: [_round(v) for v in values]
                  for name, values in ((result.get("per_example") or {}).get(split) or {}).items()}
        count = max([len(outputs)] + [len(v) for v in scores.values()])
        ranking = ranking_metric(result, split)
        splits[split] = {"prompts": prompts_of(result, split, count), "outputs": outputs, "scores": scores,
                         "verdict": verdict_metric(result, split), "ranking": ranking,
                         "ranking_direction": metric_direction(result, ranking) if ranking else None,
                         "metrics": {name: _round(v) for name, v in ((result.get("metrics") or {}).get(split)
                                                                        or {}).items()}}
    return {"id": run_id(result), "task": result["task"], "method": result["method"], "seed": result["seed"],
            "splits": splits, "robustness_outputs": result.get("robustness_outputs") or {}}


def examples(data: Mapping[str, Any], original: Mapping[str, Any] | None, split: str) -> list[dict[str, Any]]:
    """The examples of a split as the run page lists them (the same joins report.js makes in the browser, kept
    here for the tests and for anyone scripting over the data): index, prompt, both outputs, both scores,
    and whether the verdict changed."""
    mine = data["splits"].get(split) or {}
    theirs = ((original or {}).get("splits") or {}).get(split) or {}
    verdict = mine.get("verdict")
    rows = []
    for index, output in enumerate(mine.get("outputs") or []):
        before = _at(theirs.get("scores", {}).get(verdict), index) if verdict else None
        after = _at(mine.get("scores", {}).get(verdict), index) if verdict else None
        rows.append({"index": index, "prompt": _at(mine.get("prompts"), index), "output": output,
                     "original_output": _at(theirs.get("outputs"), index),
                     "scores": {name: _at(values, index) for name, values in mine.get("scores", {}).items()},
                     "original_scores": {name: _at(values, index) for name, values in theirs.get("scores", {}).items()},
                     "verdict_changed": None if before is None or after is None else before != after})
    return rows


def worst_first(rows: list[dict[str, Any]], metric: str | None, better: str | None) -> list[dict[str, Any]]:
    """Examples ordered worst first by a per-example metric (for "lower is better", highest first); examples
    without a value last; ties keep the examples' order."""
    if not metric:
        return list(rows)
    sign = -1 if better != "higher" else 1
    return sorted(rows, key=lambda r: (r["scores"].get(metric) is None, sign * (r["scores"].get(metric) or 0.0),
                                       r["index"]))


def _at(values: list | None, index: int) -> Any:
    return values[index] if values is not None and index < len(values) else None


def readable(value: Any) -> str:
    """A fact as text: an object as "key value, ...", a list as "item; item", numbers rounded for reading."""
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {readable(item)}" for key, item in sorted(value.items()))
    if isinstance(value, (list, tuple)):
        return "; ".join(readable(item) for item in value)
    if isinstance(value, float):
        return format(_round(value), "g") if math.isfinite(value) else str(value)
    return "null" if value is None else str(value)


def facts(pairs: Any) -> list[tuple[str, str]]:
    """(key, readable value) pairs, sorted by key, from a mapping."""
    return [(str(key), readable(value)) for key, value in sorted(dict(pairs or {}).items())]


def run_view(result: Mapping[str, Any], original: Mapping[str, Any] | None) -> dict[str, Any]:
    """The parts of a run page rendered into its HTML: identity, config, environment, timings, data sources."""
    info = result.get("task_info") or {}
    return {
        "id": run_id(result), "title": f"{result['task']} / {result['method']} / seed {result['seed']}",
        "identity": [(key, result.get(key)) for key in ("task", "method", "model", "tier", "seed", "config_hash")],
        "original_id": run_id(original) if original else None,
        "config": json.dumps(result.get("config") or {}, indent=2, sort_keys=True, ensure_ascii=False),
        "execution": facts(result.get("execution")),
        "versions": facts(result.get("versions")),
        "fingerprints": facts(result.get("fingerprints")),
        **timing_facts(result.get("timings")),
        "robustness_timings": facts(result.get("robustness_timings")),
        "method_log": [pair for pair in facts(result.get("method_log")) if pair[0] != "steps"],
        "steps": len((result.get("method_log") or {}).get("steps") or []),
        "data_sources": sorted(((split, facts(spec)) for split, spec in (info.get("splits") or {}).items()
                                if isinstance(spec, Mapping)), key=lambda item: split_order(item[0])),
        "licence": info.get("licence"), "description": info.get("description"),
        "sizes": sorted(sizes(result).items(), key=lambda item: split_order(item[0])),
        "metrics": [(split, facts(values)) for split, values in
                    sorted((result.get("metrics") or {}).items(), key=lambda item: split_order(item[0]))],
        "robustness": [(attack, facts(values)) for attack, values in sorted((result.get("robustness") or {}).items())],
        "robustness_skipped": facts(result.get("robustness_skipped")),
        "reprobes": [reprobe_view(entry) for entry in result.get("reprobes") or []],
    }


def reprobe_view(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Probes added to a stored result later (`--redo-attacks`, a new probe): where and with what they ran, which
    can differ from the run's own execution block above them."""
    return {"attacks": ", ".join(entry.get("attacks") or []) or "none",
            "execution": facts(entry.get("execution")), "versions": facts(entry.get("versions")),
            **timing_facts(entry.get("timings"))}


def timing_facts(timings: Mapping[str, Any] | None) -> dict[str, Any]:
    """A timings block as page facts: the stage times, and apart from them the list of what a cache served."""
    timings = timings or {}
    return {"timings": [pair for pair in facts(timings) if pair[0] != "cached"],
            "cached": list(timings.get("cached") or [])}


# ---------------------------------------------------------------------------------------------------- writing

def data_script(data: Mapping[str, Any]) -> str:
    """A data file a page loads with <script src>: it registers the run under window.UB_RUN_DATA."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("</", "<\\/")  # never closes a <script> element, should one inline it
    return (f"window.{RUN_DATA_GLOBAL} = window.{RUN_DATA_GLOBAL} || {{}};\n"
            f"window.{RUN_DATA_GLOBAL}[{json.dumps(data['id'])}] = {text};\n")


def write_file(path: Path, text: str) -> None:
    """Atomically, and readable by everyone: a static host serves these files as they are."""
    write_atomic(path, text)
    path.chmod(0o644)


def environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["tojson_sorted"] = lambda value: json.dumps(value, sort_keys=True, ensure_ascii=False).replace(
        "</", "<\\/")
    return env


def write_report(results: list[dict[str, Any]], out_dir: str | Path) -> Path:
    """Write the site for these results into out_dir (replacing a report written there before); returns out_dir."""
    if not results:
        raise UsageError("no results to report on; expected at least one result file")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in OWNED:  # a run dropped from the results must not leave its stale page behind
        path = out_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    env = environment()
    for name in ASSETS:
        write_file(out_dir / "assets" / name, (TEMPLATES / name).read_text(encoding="utf-8"))
    entries = aggregate(results)
    runs_by_entry: dict[tuple, list[dict[str, Any]]] = {}
    for result in sorted(results, key=run_key):
        runs_by_entry.setdefault(group_key(result) + (result["method"],), []).append(result)
    groups = [group_view(group, runs_by_entry) for group in grouped(entries).values()]
    write_file(out_dir / "index.html", env.get_template("index.html").render(groups=groups, reference=REFERENCE))
    write_file(out_dir / "diff.html", env.get_template("diff.html").render())
    originals = originals_by_group(results)
    for result in sorted(results, key=run_id):
        original = original_run(result, originals)
        write_file(out_dir / "data" / f"{run_id(result)}.js", data_script(run_data(result)))
        write_file(out_dir / "runs" / f"{run_id(result)}.html",
                     env.get_template("run.html").render(run=run_view(result, original)))
    return out_dir


def build_report(results_dir: str | Path, out_dir: str | Path) -> Path:
    results_dir = Path(results_dir)
    if not results_dir.is_dir():
        raise UsageError(f"results directory {str(results_dir)!r} does not exist or is not a directory")
    results = require_results(results_dir)
    return write_report(results, out_dir)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--results", default="leaderboard/results", metavar="DIR",
                        help="directory searched recursively for result files (default: %(default)s)")
    parser.add_argument("--out", default="leaderboard/report", metavar="DIR",
                        help="where the site goes: index.html, runs/, data/, diff.html (default: %(default)s)")


def main(args: argparse.Namespace) -> int:
    out = build_report(args.results, args.out)
    print(f"wrote {out / 'index.html'}")
    return 0
