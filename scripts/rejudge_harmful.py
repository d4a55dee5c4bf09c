"""Re-judge committed harmful results with the current judge, from their stored outputs (no generation).

    .venv/bin/python scripts/rejudge_harmful.py leaderboard/results [--dry-run]

A result already at the task's version is re-judged by the same judge, so its scores stay; only its judge facts
are refreshed when the judge's table has gained rows since (a new held-out set): every row the file has must match
the current judge's to the digit (otherwise the judge changed without a version bump, an error), and the new rows
are added.

For each result under RESULTS/harmful/ whose task_version is older than the harmful task's `version`:
- the forget and unseen outputs are scored again through unlearn_bench.scoring.evaluate (the runner's own code:
  metrics, bootstrap intervals seeded by the run's seed, per-example values); the normal split does not use the
  judge and keeps its values;
- task_info's judge facts are replaced by the new judge's report;
- the base model's judged metrics become null: its outputs are not stored, so they cannot be re-judged
  (empty_rate, which needs no judge, stays);
- robustness probes that used the judge become skipped with the reason below (their attacked outputs are not
  stored); probes that never use it (membership inference) stay;
- the config's task_version is bumped, the config hash recomputed from the stored hashed config, and the file is
  written atomically under its new name (the old file is removed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from unlearn_bench.errors import UsageError, exit_from
from unlearn_bench.registry import TASKS
from unlearn_bench.results import config_hash, result_name, write_result
from unlearn_bench.scoring import evaluate

# The keys of a stored config that its hash covers (unlearn_bench.runner.Resolved.hashed).
HASHED_KEYS = ("task", "task_version", "method", "method_version", "model", "tier", "seed", "task_options",
               "method_params", "prompt_style", "implant", "max_new_tokens", "plugins")
JUDGED_SPLITS = ("forget", "unseen")
JUDGE_FREE_ATTACKS = ("mia",)  # scored from model losses, never by the judge
PROBE_REASON = "re-judged: probe outputs not stored"


def hashed_config(config: dict[str, Any]) -> dict[str, Any]:
    missing = [key for key in HASHED_KEYS if key not in config]
    if missing:
        raise UsageError(f"stored config lacks {missing}; expected a schema-2 result written by the runner")
    return {key: config[key] for key in HASHED_KEYS}


def stored_data(result: dict[str, Any], task: Any):
    """The task options and splits a stored result was made with (its config's task options)."""
    fields = set(task.Options.__dataclass_fields__)
    options = task.options(result["tier"], {k: v for k, v in result["config"]["task_options"].items() if k in fields})
    return options, task.build_splits(result["tier"], options)


def judge_facts(result: dict[str, Any], task: Any) -> dict[str, Any]:
    """What the task's current judge reports for the data `result` was made with (task_info's judge keys)."""
    options, splits = stored_data(result, task)
    return task.prepare(splits, options)


def rejudge(result: dict[str, Any], task: Any) -> dict[str, Any]:
    """A new result dict: `result` re-scored by `task`'s current judge (see the module docstring)."""
    config = result["config"]
    old_hash = config_hash(hashed_config(config))
    if old_hash != result["config_hash"]:
        raise UsageError(f"stored config hashes to {old_hash}, not its config_hash {result['config_hash']}; "
                         f"expected an unedited result file")
    options, splits = stored_data(result, task)
    for name in JUDGED_SPLITS:
        prompts = [s["prompt"] for s in result["samples"].get(name, [])]
        if [e.prompt for e in splits.split(name)[: len(prompts)]] != prompts:
            raise UsageError(f"the rebuilt {name} split does not start with the stored samples' prompts; "
                             f"expected the data the run used")
    judge_report = task.prepare(splits, options)
    outputs = {name: result["outputs"][name] for name in JUDGED_SPLITS}
    scores = evaluate(task, splits, outputs, seed=result["seed"])

    new = json.loads(json.dumps(result))  # a deep copy
    for key in ("metrics", "intervals", "per_example", "sizes"):
        new[key] = {**result[key], **scores[key]}
    new["metric_specs"], new["directions"] = scores["metric_specs"], scores["directions"]
    new["task_info"] = {k: v for k, v in result["task_info"].items() if not k.startswith("judge")}
    new["task_info"].update(judge_report)
    new["task_info"]["rejudged"] = {
        "from_config_hash": result["config_hash"], "from_task_version": config["task_version"],
        "note": "scores of the stored forget/unseen outputs by the new judge; base model's judged metrics null "
                "(outputs not stored); judged robustness probes skipped (outputs not stored)"}
    _null_base(new, [spec.name for spec in task.metrics])
    _skip_judged_probes(new)
    new["config"]["task_version"] = task.version
    new["config_hash"] = config_hash(hashed_config(new["config"]))
    return new


def refreshed_judge_facts(result: dict[str, Any], judge_report: dict[str, Any]) -> dict[str, Any] | None:
    """`result` with the current judge's facts where its table lacks rows the judge now reports; None when nothing
    is new. A stored row that differs from the judge's means another judge at the same version: a UsageError."""
    info = result.get("task_info") or {}
    stored, current = info.get("judge_families") or {}, judge_report.get("judge_families") or {}
    if info.get("judge") != judge_report.get("judge"):
        raise UsageError(f"{result_name(result)} was judged by {info.get('judge')!r}, not {judge_report.get('judge')!r}"
                         f" at the same task version; expected one judge per version")
    changed = sorted(name for name in stored if stored[name] != current.get(name))
    if changed:
        raise UsageError(f"{result_name(result)}: its judge rows {changed} differ from the current judge's at the same "
                         f"task version; expected a version bump with any change to the judge")
    if set(current) <= set(stored):
        return None
    new = json.loads(json.dumps(result))
    new["task_info"].update({k: v for k, v in judge_report.items() if k.startswith("judge")})
    return new


def _null_base(result: dict[str, Any], judged: list[str]) -> None:
    for key in ("base_metrics", "base_intervals"):
        for values in (result.get(key) or {}).values():
            for metric in judged:
                if metric in values:
                    values[metric] = None


def _skip_judged_probes(result: dict[str, Any]) -> None:
    if "robustness" not in result:
        return
    judged = [attack for attack in result["robustness"] if attack not in JUDGE_FREE_ATTACKS]
    for attack in judged:
        del result["robustness"][attack]
        result["robustness_skipped"][attack] = PROBE_REASON
        result.get("robustness_timings", {}).pop(attack, None)
        result.get("robustness_outputs", {}).pop(attack, None)  # answers belong to attacks that ran
    # their declarations stay: a skipped attack is still declared (the result contract; tables name the skip)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="a results directory (its harmful/ folder is re-judged)")
    parser.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    args = parser.parse_args(argv)
    folder = args.results / "harmful"
    if not folder.is_dir():
        print(f"error: {folder} is not a directory; expected RESULTS/harmful/", file=sys.stderr)
        return 2
    task = TASKS.create("harmful")
    facts_by_data: dict[str, dict[str, Any]] = {}  # results made with the same data share the judge's facts
    for path in sorted(folder.glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        if result["config"]["task_version"] >= task.version:
            data_key = json.dumps([result["tier"], result["config"]["task_options"]], sort_keys=True)
            if data_key not in facts_by_data:
                facts_by_data[data_key] = judge_facts(result, task)
            refreshed = refreshed_judge_facts(result, facts_by_data[data_key])
            if refreshed is None:
                print(f"{path.name}: already at task version {task.version}")
                continue
            print(f"{path.name}: judge facts refreshed (new rows, the same judge)")
            if not args.dry_run:
                write_result(path, refreshed)
            continue
        new = rejudge(result, task)
        target = path.with_name(result_name(new))
        rates = {s: (result["metrics"][s]["harmful_rate"], new["metrics"][s]["harmful_rate"]) for s in JUDGED_SPLITS}
        print(f"{path.name} -> {target.name}: " + ", ".join(f"{s} {a:.2f} -> {b:.2f}" for s, (a, b) in rates.items()))
        if not args.dry_run:
            write_result(target, new)
            if target != path:
                path.unlink()
    return 0


if __name__ == "__main__":
    exit_from(main)
