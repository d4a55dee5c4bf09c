"""The result-file contract (schema 2) in one place: what a result file holds, how it is written, loaded and
validated. The runner writes with it; `leaderboard` and `check` read with it.

One JSON per run, OUT/<task>/<method>__<model>__<tier>__seed<N>__<config_hash>.json, strict JSON (no NaN or
Infinity: a non-finite number is written as null). The keys readers rely on:

- identity: "schema", "task", "method", "model", "tier", "seed", "config_hash" (a short hash of the resolved config);
- "metrics" {split: {metric: number | null}} and "intervals" {split: {metric: [low, high] | null}}, the 95%
  percentile bootstrap over the split's examples; "per_example" {split: {metric: [number | null, ...]}};
- "sizes" {split: int}; "metric_specs" {metric: {"direction", "tolerance", "relative", "splits", "description"}};
- "directions" {metric: "lower" | "higher"} (kept for older readers);
- "base_metrics" / "base_intervals": the pretrained model, before implanting (forget/unseen), or null;
- "fingerprints" {"base": pretrained, "original", "unlearned"}: hashes of each model's weights;
- "execution" (optional; absent in results made before it existed, which all ran on CPUs in float32 with the HF
  backend): {"device_type", "device_name", "cpu_capability" (the CPU kernels' instruction set; null on a GPU;
  absent before 2026-12-03), "dtype", "backend" (the one that ran), "train_threads", library versions,
  "peak_memory"}. `check` compares only results made in the same environment (`environment`).

Optional robustness probes (unlearn_bench.attacks, asked for with `--attacks`; one value per run, no interval):

- "robustness" {attack: {metric: number | null}}, e.g. {"relearn": {"forget": 0.8, "forget_recovered": 0.7}};
- "robustness_specs" {"attack.metric": {"direction", "tolerance", "relative", "description"}}: every metric of
  every attack asked for, declared whether the attack ran or was skipped; every value in "robustness" needs one;
- "robustness_timings" {attack: seconds}; "robustness_skipped" {attack: reason} (an attack is run or skipped,
  never both);
- "robustness_outputs" (optional; absent in results probed before it existed) {attack: {split: [text | null, ...]}}:
  the attacked unlearned model's answer per example of the split, in the split's order (a prompt attack keeps each
  example's variant worst for the unlearner; null where it asks nothing of the example). Only attacks that ran.
- "reprobes" (optional) [{"attacks", "versions", "execution", "timings"}]: probes added to (or redone on) a stored
  result, in order, each on weights whose fingerprints matched the stored ones; the evaluation and the other probes
  are the first run's. `merge_probes` is the rule.

Schema-1 files (no intervals, per_example, metric_specs or config_hash) still load; they read as runs without
intervals. This module imports neither torch nor any module that does, so `check` and `leaderboard` stay light.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .errors import UsageError
from .io import digest, to_strict_json, write_atomic

SCHEMA = 2
SUPPORTED_SCHEMAS = (1, 2)
BUNDLE_KIND = "unlearn-bench-baseline"  # one file bundling several results (`unlearn-bench check --write-baseline`)
IDENTITY = ("task", "method", "model", "tier", "seed")  # what identifies a run
ENVIRONMENT = ("device_type", "dtype", "backend")  # what makes two runs' numbers comparable
# The environment of results without an `execution` block: every one was made on a CPU, in float32, with HF.
LEGACY_ENVIRONMENT = {"device_type": "cpu", "dtype": "float32", "backend": "hf"}
LOWER, HIGHER = "lower", "higher"  # which direction of a metric is better (unlearn_bench.api re-exports these)
SPLITS = ("forget", "unseen", "normal")
REQUIRED = {
    1: (*IDENTITY, "metrics", "directions"),
    2: (*IDENTITY, "config_hash", "metrics", "intervals", "sizes", "metric_specs", "directions"),
}
CONFIG_HASH_LENGTH = 12


# ---------------------------------------------------------------------------------------------- strict JSON

def dumps(data: Any) -> str:
    """Strict JSON text, two-space indent, a final newline. Keys keep their order (not sorted): metric_specs
    lists the metrics in declaration order, primary first, and the tables follow that order."""
    return json.dumps(to_strict_json(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_result(path: str | Path, result: dict[str, Any], validate: bool = True) -> Path:
    """Validate a result (schema 2) and write it atomically as strict JSON."""
    strict = to_strict_json(result)
    if validate:
        validate_result(strict, str(path))
    write_atomic(path, dumps(strict))
    return Path(path)


def config_hash(config: Any) -> str:
    """The short hash of a resolved config that names the result file and tells two settings apart."""
    return digest(to_strict_json(config), length=CONFIG_HASH_LENGTH)


def result_stem(method: str, model: str, tier: str, seed: int, hashed: str) -> str:
    """<method>__<model>__<tier>__seed<N>__<config_hash>; a model path keeps only its last part (the hash tells
    two checkpoints with the same last part apart)."""
    model = str(model)
    if "/" in model:
        model = Path(model).name.replace(".", "-")
    return f"{method}__{model.replace('@', '-')}__{tier}__seed{seed}__{hashed}"


def result_name(result: Mapping[str, Any]) -> str:
    """The file name of a result: its stem and .json."""
    stem = result_stem(result["method"], result["model"], result["tier"], result["seed"], result["config_hash"])
    return f"{stem}.json"


# --------------------------------------------------------------------------------------------------- loading

def _hidden(relative: Path) -> bool:
    """Inside a dot-folder, e.g. OUT/.work where runs keep their unfinished stages: never result files."""
    return any(part.startswith(".") for part in relative.parts[:-1])


def result_files(directory: str | Path) -> list[Path]:
    """The *.json files under a results directory, dot-folders (OUT/.work) left out."""
    directory = Path(directory)
    return sorted(f for f in directory.rglob("*.json") if not _hidden(f.relative_to(directory)))


def load_results(path: str | Path) -> list[dict[str, Any]]:
    """The results in a result file, a baseline bundle, or a directory searched recursively for *.json.

    JSON files that are not result files are skipped with a warning on stderr; malformed JSON, an unsupported
    schema, a result with a missing or malformed key, or two files for the same run raise UsageError naming
    the file.
    """
    path = Path(path)
    if not path.exists():
        raise UsageError(f"results path {str(path)!r} does not exist; expected a result file or a directory")
    files = result_files(path) if path.is_dir() else [path]
    seen: dict[tuple, tuple[str, dict]] = {}
    results = []
    for file in files:
        for where, result in _results_in_file(file):
            key = (run_key(result), environment(result))  # one folder may hold a CPU and a GPU baseline
            if key in seen:
                other, first = seen[key]
                hashes = f" (config {first.get('config_hash')} and {result.get('config_hash')})" \
                    if first.get("config_hash") != result.get("config_hash") else ""
                raise UsageError(f"two results for the same run {format_run(key[0])}{hashes}: {other} and {where}; "
                                 f"keep one")
            seen[key] = (where, result)
            results.append(result)
    return results


def require_results(path: str | Path, what: str = "results") -> list[dict[str, Any]]:
    """load_results, with an empty directory as bad input: every command that reads results needs at least one."""
    results = load_results(path)
    if not results:
        raise UsageError(f"no result files found in {what} {str(path)!r}; expected */*.json written by a run")
    return results


def _results_in_file(file: Path) -> list[tuple[str, dict[str, Any]]]:
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
        return [(f"{file} (result {i})", validate_result(item, f"{file} (result {i})")) for i, item in enumerate(items)]
    if not isinstance(data, dict) or "schema" not in data or "metrics" not in data:
        print(f"warning: ignoring {file}: not an unlearn-bench result file (no 'schema' and 'metrics' keys)",
              file=sys.stderr)
        return []
    return [(str(file), validate_result(data, str(file)))]


# ------------------------------------------------------------------------------------------------ validation

PROBE_KEYS = ("robustness", "robustness_timings", "robustness_skipped", "robustness_outputs")


def merge_probes(stored: dict[str, Any], report: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """`stored` with the attacks `names` taken from `report` (run_attacks' output): whatever the stored result held
    for those attacks (values, specs, timing, skip reason, answers) goes, the report's comes in, the rest stays."""
    names = set(names)
    merged = dict(stored)
    for key in (*PROBE_KEYS, "robustness_specs"):
        attack_of = (lambda entry: entry.split(".", 1)[0]) if key == "robustness_specs" else (lambda entry: entry)
        kept = {entry: value for entry, value in (stored.get(key) or {}).items() if attack_of(entry) not in names}
        combined = {**kept, **(report.get(key) or {})}
        if combined or key in stored:
            merged[key] = combined
    return merged


def validate_result(result: Any, where: str) -> dict[str, Any]:
    """Check a result dict against its schema (1 or 2); returns it unchanged. A problem raises UsageError with
    one line naming `where` (the file) and the bad key."""
    if not isinstance(result, dict):
        raise UsageError(f"{where}: expected a JSON object, got {type(result).__name__}")
    schema = result.get("schema")
    if schema not in SUPPORTED_SCHEMAS or isinstance(schema, bool):
        raise UsageError(f"{where}: unsupported result schema {schema!r}; expected one of "
                         f"{', '.join(map(str, SUPPORTED_SCHEMAS))}")
    missing = [key for key in REQUIRED[schema] if key not in result]
    if missing:
        raise UsageError(f"{where}: result file lacks {', '.join(missing)} (schema {schema})")
    for key in ("task", "method", "model", "tier"):
        _expect(isinstance(result[key], str) and result[key], where, key, result[key], "a non-empty string")
    _expect(_is_int(result["seed"]), where, "seed", result["seed"], "an integer")
    for key, check in _CHECKS.items():
        if result.get(key) is not None or key in REQUIRED[schema]:
            check(result.get(key), where, key)
    _check_per_example_lengths(result, where)
    _check_robustness_declared(result, where)
    return result


def _check_per_example_lengths(result: dict[str, Any], where: str) -> None:
    """One per-example value per example: a list's length must be the split's size."""
    split_sizes = result.get("sizes") or {}
    for split, metrics in (result.get("per_example") or {}).items():
        for name, values in metrics.items():
            if split in split_sizes:
                _expect(len(values) == split_sizes[split], where, f"per_example.{split}.{name}", len(values),
                        f"{split_sizes[split]} values, one per example (sizes.{split})")


def _expect(ok: Any, where: str, key: str, value: Any, expected: str) -> None:
    if not ok:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise UsageError(f"{where}: key {key!r} is {shown}; expected {expected}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _nested(check_leaf: Callable[[Any], bool], expected: str,
            outer: str = "split") -> Callable[[Any, str, str], None]:
    """A checker for {split: {metric: leaf}} objects ({attack: {metric: leaf}} with outer="attack")."""
    def check(value: Any, where: str, key: str) -> None:
        _expect(isinstance(value, dict), where, key, value, f"an object {{{outer}: {{metric: ...}}}}")
        for split, metrics in value.items():
            _expect(isinstance(metrics, dict), where, f"{key}.{split}", metrics, "an object {metric: ...}")
            for name, leaf in metrics.items():
                _expect(check_leaf(leaf), where, f"{key}.{split}.{name}", leaf, expected)
    return check


def _is_interval(value: Any) -> bool:
    return value is None or (isinstance(value, (list, tuple)) and len(value) == 2 and all(map(_is_number, value))
                             and value[0] <= value[1])


def _is_value_list(value: Any) -> bool:
    return isinstance(value, list) and all(v is None or _is_number(v) for v in value)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(v is None or isinstance(v, str) for v in value)


def _check_directions(value: Any, where: str, key: str) -> None:
    _expect(isinstance(value, dict), where, key, value, "an object {metric: direction}")
    for name, direction in value.items():
        _expect(direction in (LOWER, HIGHER), where, f"{key}.{name}", direction, f"{LOWER!r} or {HIGHER!r}")


def _check_specs(value: Any, where: str, key: str) -> None:
    _expect(isinstance(value, dict), where, key, value, "an object {metric: spec}")
    for name, spec in value.items():
        _expect(isinstance(spec, dict), where, f"{key}.{name}", spec, "an object with direction and tolerance")
        _expect(spec.get("direction") in (LOWER, HIGHER), where, f"{key}.{name}.direction", spec.get("direction"),
                f"{LOWER!r} or {HIGHER!r}")
        tolerance = spec.get("tolerance")
        _expect(_is_number(tolerance) and tolerance >= 0, where, f"{key}.{name}.tolerance", tolerance,
                "a non-negative number")
        _expect(isinstance(spec.get("relative", False), bool), where, f"{key}.{name}.relative", spec.get("relative"),
                "true or false")


def _check_robustness_specs(value: Any, where: str, key: str) -> None:
    _check_specs(value, where, key)
    for name in value:
        attack, _, metric = name.partition(".")
        _expect(attack and metric and "." not in metric, where, f"{key}.{name}", name, "a key 'attack.metric'")


def _flat(check_leaf: Callable[[Any], bool], expected: str) -> Callable[[Any, str, str], None]:
    """A checker for {attack: leaf} objects."""
    def check(value: Any, where: str, key: str) -> None:
        _expect(isinstance(value, dict), where, key, value, f"an object {{attack: {expected}}}")
        for attack, leaf in value.items():
            _expect(check_leaf(leaf), where, f"{key}.{attack}", leaf, expected)
    return check


def _check_robustness_declared(result: dict[str, Any], where: str) -> None:
    """Every robustness value has a declaration (check needs its direction), no attack is both run and skipped,
    and recorded attack outputs belong to an attack that ran, one text (or null) per example of their split."""
    specs = result.get("robustness_specs") or {}
    skipped = result.get("robustness_skipped") or {}
    for attack, values in (result.get("robustness") or {}).items():
        _expect(attack not in skipped, where, f"robustness_skipped.{attack}", skipped.get(attack),
                f"no skip reason: {attack!r} also has values in 'robustness'")
        for metric in values:
            _expect(f"{attack}.{metric}" in specs, where, f"robustness.{attack}.{metric}", values[metric],
                    f"a value declared in robustness_specs[{f'{attack}.{metric}'!r}]")
    sizes = result.get("sizes") or {}
    for attack, splits in (result.get("robustness_outputs") or {}).items():
        _expect(attack in (result.get("robustness") or {}), where, f"robustness_outputs.{attack}", "...",
                "outputs of an attack that ran (it has no values in 'robustness')")
        for split, texts in splits.items():
            _expect(split not in sizes or len(texts) == sizes[split], where, f"robustness_outputs.{attack}.{split}",
                    f"{len(texts)} texts", f"one per {split} example ({sizes.get(split)})")


def _check_sizes(value: Any, where: str, key: str) -> None:
    _expect(isinstance(value, dict), where, key, value, "an object {split: number of examples}")
    for split, size in value.items():
        _expect(_is_int(size) and size >= 0, where, f"{key}.{split}", size, "a non-negative integer")


def _check_execution(value: Any, where: str, key: str) -> None:
    _expect(isinstance(value, dict), where, key, value, "an object {device_type, dtype, backend, ...}")
    for name in ENVIRONMENT:
        _expect(isinstance(value.get(name), str) and value.get(name), where, f"{key}.{name}", value.get(name),
                "a non-empty string")


def _check_hash(value: Any, where: str, key: str) -> None:
    _expect(isinstance(value, str) and value, where, key, value, "a non-empty string")


_CHECKS: dict[str, Callable[[Any, str, str], None]] = {
    "config_hash": _check_hash,
    "execution": _check_execution,
    "metrics": _nested(lambda v: v is None or _is_number(v), "a number or null"),
    "intervals": _nested(_is_interval, "[low, high] with low <= high, or null"),
    "per_example": _nested(_is_value_list, "a list of numbers or nulls"),
    "base_metrics": _nested(lambda v: v is None or _is_number(v), "a number or null"),
    "base_intervals": _nested(_is_interval, "[low, high] with low <= high, or null"),
    "sizes": _check_sizes,
    "metric_specs": _check_specs,
    "directions": _check_directions,
    "robustness": _nested(lambda v: v is None or _is_number(v), "a number or null", outer="attack"),
    "robustness_specs": _check_robustness_specs,
    "robustness_timings": _flat(lambda v: _is_number(v) and v >= 0, "a non-negative number of seconds"),
    "robustness_skipped": _flat(lambda v: isinstance(v, str) and v.strip() != "", "a non-empty reason"),
    "robustness_outputs": _nested(_is_text_list, "a list of strings or nulls", outer="attack"),
}


# ------------------------------------------------------------------------------------------------- accessors

def run_key(result: Mapping[str, Any]) -> tuple:
    """(task, method, model, tier, seed): what identifies a run."""
    return tuple(result[key] for key in IDENTITY)


def environment(result: Mapping[str, Any]) -> tuple[str, str, str]:
    """(device type, dtype, backend) a result was made with; results from before the `execution` block read as the
    environment they were all made in (LEGACY_ENVIRONMENT)."""
    record = result.get("execution") or LEGACY_ENVIRONMENT
    return tuple(str(record.get(name, LEGACY_ENVIRONMENT[name])) for name in ENVIRONMENT)


def made_with(result: Mapping[str, Any]) -> str:
    """Where and how a result was made, in words for a table header: its environment, the device it ran on (with the
    CPU's kernel instruction set where recorded) and training thread count, or that it predates the execution block
    (its thread count followed the machine's load, so it cannot be reproduced exactly). The device is named because
    training reproduces bit for bit on one kind of device only: a table whose runs name two started from two
    implanted originals."""
    record = result.get("execution")
    if not record:
        return "trained before the thread count was fixed (not bit-reproducible)"
    device = ", ".join(str(part) for part in (record.get("device_name"), record.get("cpu_capability")) if part)
    threads = record.get("train_threads")
    return (format_environment(environment(result)) + (f" on {device}" if device else "")
            + (f", {threads} training threads" if threads else ""))


def format_environment(env: tuple) -> str:
    return "/".join(env)


def format_run(key: tuple) -> str:
    task, method, model, tier, *seed = key
    return "/".join([str(task), str(method), str(model), str(tier)] + [f"seed{s}" for s in seed])


def split_order(split: str) -> tuple:
    return (SPLITS.index(split), split) if split in SPLITS else (len(SPLITS), split)


def sizes(result: Mapping[str, Any]) -> dict[str, int]:
    """Examples per split: "sizes" (schema 2), else task_info["sizes"] (schema 1), else {}."""
    found = result.get("sizes") or (result.get("task_info") or {}).get("sizes") or {}
    return {split: n for split, n in found.items() if _is_int(n)}


def primary_metric(declared: Iterable[str | None], reported: Iterable[str]) -> str | None:
    """The one rule for a task's headline forget metric. A task declares its metrics in order and the first is
    its primary (`Task.primary_metric`); each result file records that name (`declared_primary`). Among the
    `reported` metrics: a declared one (the first by name, should results disagree), else the first *_rate metric
    by name (results that record none), else the first metric by name; None when nothing is reported."""
    names = sorted(set(reported))
    named = sorted({name for name in declared if name in names})
    if named:
        return named[0]
    rates = [name for name in names if name.endswith("_rate")]
    return (rates or names or [None])[0]


def declared_primary(result: Mapping[str, Any]) -> str | None:
    """The primary metric a result file records (task_info["primary_metric"]), or None."""
    name = (result.get("task_info") or {}).get("primary_metric")
    return name if isinstance(name, str) else None


def interval(result: Mapping[str, Any], split: str, metric: str, prefix: str = "") -> tuple[float, float] | None:
    """The 95% interval of a metric on a split ([low, high]), or None (schema 1, or not computed).
    prefix="base_" reads the model before implanting."""
    value = ((result.get(f"{prefix}intervals") or {}).get(split) or {}).get(metric)
    return (float(value[0]), float(value[1])) if value else None


def metric_specs(result: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """metric -> its spec. Schema-1 files have only directions: their specs carry the direction alone."""
    specs = result.get("metric_specs")
    if specs:
        return dict(specs)
    return {name: {"direction": direction} for name, direction in (result.get("directions") or {}).items()}


def direction(result: Mapping[str, Any], metric: str) -> str | None:
    spec = (result.get("metric_specs") or {}).get(metric)
    return spec["direction"] if spec else (result.get("directions") or {}).get(metric)


def robustness(result: Mapping[str, Any]) -> dict[str, dict[str, float | None]]:
    """attack -> metric -> value (None: the attack ran but the value is undefined, e.g. a recovered share of a gap
    within the tolerance); {} without robustness probes."""
    return dict(result.get("robustness") or {})


def robustness_specs(result: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """"attack.metric" -> its declaration (direction, tolerance, relative, description)."""
    return dict(result.get("robustness_specs") or {})


def robustness_skipped(result: Mapping[str, Any]) -> dict[str, str]:
    """attack -> why it could not run."""
    return dict(result.get("robustness_skipped") or {})


def attacks_asked(result: Mapping[str, Any]) -> set[str]:
    """The attacks the run was asked for: those with values, those skipped, and those merely declared."""
    declared = {name.partition(".")[0] for name in robustness_specs(result)}
    return set(robustness(result)) | set(robustness_skipped(result)) | declared


def robustness_spec(results: list[Mapping[str, Any]], attack: str, metric: str) -> dict[str, Any] | None:
    """The first declaration of attack.metric in the results (put the baseline first to let it win)."""
    return next((spec for r in results if (spec := robustness_specs(r).get(f"{attack}.{metric}"))), None)


# ------------------------------------------------------------------------------------------ relearn recipe

# A relearn recipe is valid on a (task, model) when the `none` control keeps at least half of its implanted
# behaviour under the steps and the pretrained model gains at most a fifth of it: otherwise relearn cells read
# damage (control lost) or teaching (the steps plant the behaviour in any model), not recovery.
RECIPE_MIN_KEPT, RECIPE_MAX_GAIN = 0.5, 0.2


def recipe_shares(original: float, pretrained_before: float, control_after: float, pretrained_after: float,
                  gap: float = 1e-9) -> tuple[float | None, float | None]:
    """(kept, gain) of a relearn recipe, both as shares of what the implant moved (original - pretrained before):
    kept = (control after - pretrained before) / span, gain = (pretrained after - pretrained before) / span.
    (None, None) when the implant moved the metric by no more than `gap`: nothing to keep or to teach."""
    span = original - pretrained_before
    if abs(span) <= gap:
        return None, None
    return (control_after - pretrained_before) / span, (pretrained_after - pretrained_before) / span


def recipe_verdict(kept: float | None, gain: float | None) -> str | None:
    """'passes', 'damage' (the control loses its behaviour) or 'teaching' (the pretrained model gains it); None
    when the shares are undefined. Damage is named first: a control that lost its behaviour reads nothing."""
    if kept is None or gain is None:
        return None
    return "damage" if kept < RECIPE_MIN_KEPT else "teaching" if gain > RECIPE_MAX_GAIN else "passes"


# ------------------------------------------------------------------------------------------------- estimates

# Where an estimate's interval comes from: one seed's bootstrap; several seeds' Student-t alone (no per-example
# intervals recorded) or combined with the bootstrap; none recorded.
BOOTSTRAP, SEEDS_T, SEEDS_T_BOOTSTRAP, NO_INTERVAL = "bootstrap", "t", "t+bootstrap", "none"


@dataclass(frozen=True)
class Estimate:
    """A metric over one or several seeds of a run: the mean and a 95% interval around it.

    One seed: the result's own interval (percentile bootstrap over the split's examples). Several seeds: the mean
    of the seed values, with a half-width that adds in quadrature the 95% Student-t half-width from the spread
    between seeds and the mean of the seeds' bootstrap half-widths. Every seed evaluates the same examples, so
    the examples' sampling noise does not average out over seeds: the t-interval alone would read three identical
    seeds as exact. `kind` says which; low/high are None when there is no interval (schema 1).
    """

    value: float
    low: float | None
    high: float | None
    n_seeds: int
    kind: str

    @property
    def half_width(self) -> float | None:
        return None if self.low is None or self.high is None else (self.high - self.low) / 2


def estimate(results: list[Mapping[str, Any]], split: str, metric: str, prefix: str = "") -> Estimate | None:
    """The Estimate of `split.metric` over the results (the seeds of one run) that report a value, or None.
    prefix="base_" reads the model before implanting (base_metrics / base_intervals)."""
    reporting = [r for r in results if ((r.get(f"{prefix}metrics") or {}).get(split) or {}).get(metric) is not None]
    values = [float(r[f"{prefix}metrics"][split][metric]) for r in reporting]
    if not values:
        return None
    if len(values) == 1:
        bounds = interval(reporting[0], split, metric, prefix)
        if bounds is None:
            return Estimate(values[0], None, None, 1, NO_INTERVAL)
        return Estimate(values[0], bounds[0], bounds[1], 1, BOOTSTRAP)
    mean = math.fsum(values) / len(values)
    if not all(map(math.isfinite, values)):
        return Estimate(mean, None, None, len(values), NO_INTERVAL)
    half = t_quantile(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    bounds = [interval(r, split, metric, prefix) for r in reporting]
    if any(b is None for b in bounds):
        return Estimate(mean, mean - half, mean + half, len(values), SEEDS_T)
    examples_half = math.fsum((high - low) / 2 for low, high in bounds) / len(bounds)
    half = math.hypot(half, examples_half)
    return Estimate(mean, mean - half, mean + half, len(values), SEEDS_T_BOOTSTRAP)


def robustness_estimate(results: list[Mapping[str, Any]], attack: str, metric: str) -> Estimate | None:
    """The Estimate of a robustness value over the seeds that report it: one seed, the value without an interval
    (probes record none); several seeds, the mean and the Student-t interval from the spread between seeds."""
    views = [{"metrics": robustness(r)} for r in results]  # read like a result whose splits are attacks
    return estimate(views, attack, metric)


def t_quantile(df: int, level: float = 0.95) -> float:
    """The two-sided Student-t quantile (12.71 for 1 degree of freedom, 2.78 for 4)."""
    from scipy.stats import t  # scipy comes with scikit-learn; imported here to keep loading light

    return float(t.ppf(0.5 + level / 2, df))
