"""Re-score, from their stored outputs, the metrics that rest on the degenerate-output rule (metrics.is_degenerate),
in result files made before the rule changed. No model, judge or generation is needed.

    .venv/bin/python scripts/rescore_degenerate.py leaderboard/results [--dry-run]

On 2026-12-01 the rule learned to see loops without spaces ("NoNoNoNo...", gemma3-270m's collapse after gradient
ascent, which it had counted as one long word and so as an answer); on 2026-12-02, loops after a short lead ("No
Wolff Wolff Wolff...", the same collapse at another seed: a loop that makes up half an output or more). Run it
after either change, or on files a process started before it wrote. What this rewrites, per result file: empty_rate
on every stored split, and on the normal split distinct_1, distinct_2 and unique_token_share: their values, their
intervals (the runner's seeded bootstrap) and their per-example values; and, in a file that changed, empty_rate's
declared description. A split where no output changes its verdict is left exactly as stored: its rule metrics
depend on the outputs only through those verdicts. Nothing else changes. The config hash does not either (the rule
is not part of a run's config), so every file keeps its name. The pretrained model's empty_rate (base_metrics)
stays as it was: its outputs are not stored.
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

from unlearn_bench.errors import UsageError, exit_from
from unlearn_bench.metrics import EMPTY_RATE, distinct_n, empty_rate, is_degenerate, unique_token_share
from unlearn_bench.results import result_files, write_result
from unlearn_bench.stats import RESAMPLES, Statistic, summarise


def rule_statistics(split: str, texts: list[str]) -> dict[str, Statistic]:
    """The split's statistics that is_degenerate decides, as scoring.evaluate builds them."""
    found = {"empty_rate": empty_rate(texts)}
    if split == "normal":
        found.update(distinct_1=distinct_n(texts, 1), distinct_2=distinct_n(texts, 2),
                     unique_token_share=unique_token_share(texts))
    return found


def rescored(result: dict[str, Any]) -> dict[str, Any]:
    """A new result dict with the rule's metrics recomputed from result["outputs"] (see the module docstring)."""
    new = copy.deepcopy(result)
    for split, texts in (result.get("outputs") or {}).items():
        if len(texts) != result["sizes"].get(split):
            raise UsageError(f"{len(texts)} stored {split} outputs for {result['sizes'].get(split)} examples; "
                             "expected every output of the split (results made since outputs were stored)")
        verdicts = [float(is_degenerate(text)) for text in texts]
        if verdicts == result["per_example"].get(split, {}).get("empty_rate"):
            continue  # nothing to move; recomputing would only add float noise in the last digit
        statistics = {metric: statistic for metric, statistic in rule_statistics(split, texts).items()
                      if metric in result["metrics"][split]}  # only what the run reported
        values, intervals = summarise(statistics, result["seed"], RESAMPLES)
        new["metrics"][split].update(values)
        new["intervals"][split].update(intervals)
        per_example = new["per_example"].get(split, {})
        for metric, statistic in statistics.items():
            if metric in per_example and statistic.per_example is not None:
                per_example[metric] = list(statistic.per_example)
    if new != result and "empty_rate" in new["metric_specs"]:
        new["metric_specs"]["empty_rate"]["description"] = EMPTY_RATE.description
    return new


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [f"{split} {metric} {old['metrics'][split][metric]:.3f} -> {value:.3f}"
            for split, values in new["metrics"].items() for metric, value in values.items()
            if value is not None and old["metrics"][split][metric] != value]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="a results directory, searched recursively for result files")
    parser.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    args = parser.parse_args(argv)
    if not args.results.is_dir():
        raise UsageError(f"results path {str(args.results)!r} is not a directory; expected a results directory")
    for path in result_files(args.results):
        result = json.loads(path.read_text(encoding="utf-8"))
        if "outputs" not in result:
            print(f"{path.name}: no stored outputs, left as it is")
            continue
        new = rescored(result)
        moved = changes(result, new)
        if moved:
            print(f"{path.name}: " + ", ".join(moved))
        if new != result and not args.dry_run:
            write_result(path, new)
    return 0


if __name__ == "__main__":
    exit_from(main)
