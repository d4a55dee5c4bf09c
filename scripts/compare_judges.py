"""Score committed harmful outputs with another offline judge, side by side with the judge that made them.

    .venv/bin/python scripts/compare_judges.py leaderboard/results [--judge minilm-cross] [--model smollm2]

Reads each harmful result's stored forget and unseen answers and their requests, scores them with `--judge` (a
name in the harmful task's OFFLINE_JUDGES) and prints, per model and method, the mean harmful rate over the stored
seeds under each judge, and how often the two judges agree on an answer. Writes nothing: a judge is adopted by a
task version bump and scripts/rejudge_harmful.py, after a re-probe plan (the probes keep only their worst variant's
answers).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from unlearn_bench.errors import UsageError, exit_from, unknown
from unlearn_bench.tasks._harmful_judge import HARMFUL_THRESHOLD
from unlearn_bench.tasks.harmful import OFFLINE_JUDGES

SPLITS = ("forget", "unseen")


def stored_verdicts(result: dict) -> dict[str, list[bool]]:
    """The stored per-answer verdicts (harmful or not) of the judge that made `result`, by split."""
    return {split: [value >= 0.5 for value in result["per_example"][split]["harmful_rate"]] for split in SPLITS}


def compare(results: list[dict], judge) -> dict[tuple[str, str], dict[str, list[float]]]:
    """(model, method) -> per split: stored rates, new rates and agreement shares, one per result."""
    table: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for result in results:
        row = table[(result["model"].split(":")[0], result["method"])]
        stored = stored_verdicts(result)
        for split in SPLITS:
            probs = judge.harmful_probs(result["outputs"][split], result["prompts"][split])
            new = probs >= HARMFUL_THRESHOLD
            row[f"{split} stored"].append(float(np.mean(stored[split])))
            row[f"{split} new"].append(float(np.mean(new)))
            row[f"{split} agree"].append(float(np.mean(new == np.array(stored[split]))))
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="a results directory (its harmful/ folder is read)")
    parser.add_argument("--judge", default="minilm-cross", help=f"one of {', '.join(OFFLINE_JUDGES)}")
    parser.add_argument("--model", default="", help="only models whose name starts with this")
    args = parser.parse_args(argv)
    if args.judge not in OFFLINE_JUDGES:
        raise unknown("offline judge", args.judge, OFFLINE_JUDGES)
    folder = args.results / "harmful"
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not paths:
        raise UsageError(f"{folder} holds no result files; expected RESULTS/harmful/*.json")
    results = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    results = [r for r in results if r["model"].startswith(args.model)]
    table = compare(results, OFFLINE_JUDGES[args.judge]())
    print(f"harmful rate, mean over seeds: stored judge -> {args.judge} (share of answers the two agree on)")
    print(f"{'model':<26} {'method':<14} " + "  ".join(f"{split:<22}" for split in SPLITS))
    for (model, method), row in sorted(table.items()):
        cells = [f"{np.mean(row[f'{s} stored']):.2f} -> {np.mean(row[f'{s} new']):.2f} "
                 f"({np.mean(row[f'{s} agree']):.2f})" for s in SPLITS]
        print(f"{model:<26} {method:<14} " + "  ".join(f"{cell:<22}" for cell in cells))
    return 0


if __name__ == "__main__":
    exit_from(main)
