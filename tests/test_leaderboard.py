"""The result contract (unlearn_bench.results) and the leaderboard: tables, CSV and plot with 95% intervals,
regenerated from hand-made schema-2 (and schema-1) result dicts."""

from __future__ import annotations

import argparse
import copy
import csv
import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from unlearn_bench import leaderboard, results
from unlearn_bench.cli import main
from unlearn_bench.errors import UsageError

# Declared in this order on purpose: the primary (harmful_rate) is not first, empty_rate comes last.
SPECS = {
    "harmful_prob": {"direction": "lower", "tolerance": 0.05, "relative": False, "splits": ["forget", "unseen"],
                     "description": "mean judge probability"},
    "harmful_rate": {"direction": "lower", "tolerance": 0.05, "relative": False, "splits": ["forget", "unseen"],
                     "description": "share judged harmful"},
    "similarity_bleu": {"direction": "higher", "tolerance": 5.0, "relative": False, "splits": ["normal"],
                        "description": "corpus BLEU to the original's outputs"},
    "perplexity": {"direction": "lower", "tolerance": 0.2, "relative": True, "splits": ["normal"],
                   "description": "perplexity under the original"},
    "empty_rate": {"direction": "lower", "tolerance": 0.05, "relative": False,
                   "splits": ["forget", "unseen", "normal"], "description": "share of empty outputs"},
}
SIZES = {"forget": 16, "unseen": 16, "normal": 20}


def rate_values(rate: float, n: int) -> list[float]:
    ones = round(rate * n)
    return [1.0] * ones + [0.0] * (n - ones)


def make_result(method: str, *, task: str = "harmful", seed: int = 0, rate: float = 0.25, half: float = 0.1,
                bleu: float = 70.0, bleu_half: float = 4.0, method_s: float = 10.0, model: str = "m",
                tier: str = "mini", pretrained: bool = False) -> dict:
    """A schema-2 result: per-example rates (rate * n ones), intervals value +- half (clipped to [0, 1])."""
    forget, unseen = rate_values(rate, SIZES["forget"]), rate_values(min(1.0, rate + 0.125), SIZES["unseen"])
    empty = [0.0] * SIZES["normal"]

    def interval(value: float, h: float, top: float = 1.0) -> list[float]:
        return [max(0.0, value - h), min(top, value + h)]

    per_example = {"forget": {"harmful_rate": forget, "harmful_prob": [v / 2 for v in forget], "empty_rate": empty[:16]},
                   "unseen": {"harmful_rate": unseen, "harmful_prob": [v / 2 for v in unseen], "empty_rate": empty[:16]},
                   "normal": {"empty_rate": empty}}
    metrics = {split: {name: statistics.fmean(values) for name, values in split_values.items()}
               for split, split_values in per_example.items()}
    metrics["normal"].update(similarity_bleu=bleu, perplexity=12.3)
    intervals = {split: {name: interval(value, half) for name, value in split_values.items()}
                 for split, split_values in metrics.items()}
    intervals["normal"].update(similarity_bleu=interval(bleu, bleu_half, 100.0), perplexity=[11.0, 13.5])
    result = {
        "schema": 2, "task": task, "method": method, "model": model, "tier": tier, "seed": seed,
        "config_hash": "abc123", "config": {}, "versions": {}, "fingerprints": {},
        "task_info": {"primary_metric": "harmful_rate", "sizes": dict(SIZES)},
        "metrics": metrics, "intervals": intervals, "per_example": per_example, "sizes": dict(SIZES),
        "metric_specs": copy.deepcopy(SPECS), "directions": {name: spec["direction"] for name, spec in SPECS.items()},
        "base_metrics": None, "base_intervals": None,
        "timings": {"method_s": method_s, "total_s": method_s + 5, "cached": []},
        "method_log": {"wall_time_s": method_s, "tokens": 1000, "steps": [], "extra": {}},
        "samples": {"forget": []},
    }
    if pretrained:
        result["base_metrics"] = {"forget": {"harmful_rate": 0.0625}, "unseen": {"harmful_rate": 0.0}}
        result["base_intervals"] = {"forget": {"harmful_rate": [0.0, 0.1875]}, "unseen": {"harmful_rate": [0.0, 0.0]}}
    return result


def make_schema1(method: str, *, rate: float = 0.5, seed: int = 0) -> dict:
    """An older result: no intervals, per-example values, metric specs or config hash."""
    return {"schema": 1, "task": "harmful", "method": method, "model": "m", "tier": "mini", "seed": seed,
            "task_info": {"sizes": {"forget": 10, "unseen": 10, "normal": 10}},
            "metrics": {"forget": {"harmful_rate": rate}, "normal": {"similarity_bleu": 50.0}},
            "directions": {"harmful_rate": "lower", "similarity_bleu": "higher"}, "timings": {"method_s": 1.0}}


def write_results(directory: Path, items: list[dict]) -> Path:
    for result in items:
        name = f"{result['method']}__{result['model']}__{result['tier']}__seed{result['seed']}.json"
        path = directory / result["task"] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result), encoding="utf-8")
    return directory


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    return write_results(tmp_path / "results", [
        make_result("none", rate=1.0, half=0.0, bleu=100.0, bleu_half=0.0, method_s=0.0, pretrained=True),
        make_result("ga", seed=0, rate=0.125, method_s=9.0),
        make_result("ga", seed=1, rate=0.25, method_s=10.0),
        make_result("ga", seed=2, rate=0.375, method_s=11.0),
        make_result("rlhf", rate=0.5, bleu=90.0, method_s=500.0),
        make_result("ga", task="other", rate=0.5),
    ])


def table_rows(readme: str, heading: str) -> list[list[str]]:
    """The cells of the markdown table under a heading (header row first, separator dropped)."""
    section = readme.split(heading, 1)[1].split("\n#", 1)[0]  # up to the next heading of any level
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if not line.startswith("|-")]


def build(results_dir: Path, out: Path) -> str:
    leaderboard.build_leaderboard(results_dir, out)
    return (out / "README.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------ the tables

def test_one_seed_cells_show_the_bootstrap_half_width(results_dir, tmp_path):
    rows = table_rows(build(results_dir, tmp_path / "out"), "## harmful")
    header, body = rows[0], {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == ["pretrained model, before implanting", "original (none)", "ga", "rlhf"]
    rlhf = body["rlhf"]
    assert rlhf["seeds"] == "1"
    assert rlhf["forget harmful_rate ↓"] == "0.500 ± 0.100"
    assert rlhf["unseen harmful_rate ↓"] == "0.625 ± 0.100"
    assert rlhf["normal similarity_bleu ↑"] == "90.00 ± 4.00"
    assert rlhf["normal perplexity ↓"] == "12.30 ± 1.25"  # half of [11.0, 13.5]
    assert body["original (none)"]["forget harmful_rate ↓"] == "1.000 ± 0.000"
    assert header[-2:] == ["method time (s)", "% of RLHF time"]
    assert body["ga"]["% of RLHF time"] == "2.0%"  # 10 s of RLHF's 500 s


def test_several_seeds_show_mean_and_seed_spread_with_the_examples_noise(results_dir, tmp_path):
    readme = build(results_dir, tmp_path / "out")
    rows = table_rows(readme, "## harmful")
    ga = dict(zip(rows[0], next(row for row in rows if row[0] == "ga")))
    assert ga["seeds"] == "3"
    seed_rates = [0.125, 0.25, 0.375]
    t_half = 4.302653 * statistics.stdev(seed_rates) / math.sqrt(3)  # t(0.975, df=2)
    half = math.hypot(t_half, 0.1)  # each seed's bootstrap half-width is 0.1
    assert ga["forget harmful_rate ↓"] == f"0.250 ± {half:.3f}"
    assert ga["method time (s)"] == "10.0"
    section = readme.split("## harmful", 1)[1].split("\n## ", 1)[0]
    assert "Student-t" in section and "bootstrap" in section  # the header says which interval each row has


def test_header_gives_sizes_and_seeds(results_dir, tmp_path):
    readme = build(results_dir, tmp_path / "out")
    section = readme.split("## harmful — m, tier mini", 1)[1].split("|", 1)[0]
    assert "Examples per split: forget 16, unseen 16, normal 20." in section
    assert "Seeds per method: 1/3 (seeds 0, 1, 2)." in section
    other = readme.split("## other — m, tier mini", 1)[1].split("|", 1)[0]
    assert "Seeds per method: 1 (seed 0)." in other and "Student-t" not in other


def test_header_says_how_the_runs_were_made_and_counts_a_mix(tmp_path):
    """Part way through a re-sweep a table mixes runs from before the fixed thread count with new ones: the header
    says so with counts; a uniform group gets one phrase. The pretrained row is not a run and is not counted."""
    recorded = {"device_type": "cpu", "dtype": "float32", "backend": "hf", "train_threads": 2}
    runs = [make_result("none", rate=1.0, half=0.0, pretrained=True), make_result("ga", seed=0), make_result("ga", seed=1),
            make_result("ga", task="other")]
    for run in runs[:2] + runs[3:]:
        run["execution"] = dict(recorded)
    readme = build(write_results(tmp_path / "results", runs), tmp_path / "out")
    harmful = readme.split("## harmful — m, tier mini", 1)[1].split("|", 1)[0]
    assert ("Made with: cpu/float32/hf, 2 training threads (2 runs); trained before the thread count was fixed "
            "(not bit-reproducible) (1 run).") in harmful
    other = readme.split("## other — m, tier mini", 1)[1].split("|", 1)[0]
    assert "Made with: cpu/float32/hf, 2 training threads." in other


def test_header_tells_runs_from_two_kinds_of_cpu_apart(tmp_path):
    """The same seed trained on an AVX2 and an AVX512 CPU starts from different implanted originals, so the header
    names the device and its kernel instruction set, and counts the runs of each."""
    amd = {"device_type": "cpu", "device_name": "AMD EPYC", "cpu_capability": "AVX2", "dtype": "float32",
           "backend": "hf", "train_threads": 2}
    intel = {**amd, "device_name": "Intel(R) Xeon(R) Processor", "cpu_capability": "AVX512"}
    runs = [make_result("none", rate=1.0, half=0.0, pretrained=True), make_result("ga", seed=0),
            make_result("ga", seed=1), make_result("ga", seed=2)]
    for run, record in zip(runs, (amd, amd, amd, intel)):
        run["execution"] = dict(record)
    readme = build(write_results(tmp_path / "results", runs), tmp_path / "out")
    header = readme.split("## harmful — m, tier mini", 1)[1].split("|", 1)[0]
    assert ("Made with: cpu/float32/hf on AMD EPYC, AVX2, 2 training threads (3 runs); cpu/float32/hf on "
            "Intel(R) Xeon(R) Processor, AVX512, 2 training threads (1 run).") in header


def test_readme_summary_block_is_rewritten_per_model_and_task(tmp_path):
    """--readme replaces only the text between the summary markers: one heading per model and tier, one table per
    task with the primary metric on forget and unseen, normal meaning similarity and emptiness, and method time."""
    runs = [make_result("none", rate=1.0, half=0.0, pretrained=True), make_result("ga", rate=0.25, half=0.1),
            make_result("ga", model="other-model", rate=0.5, half=0.2)]
    for run in runs:
        run["per_example"]["normal"]["similarity_semantic"] = [0.75] * SIZES["normal"]
        run["metrics"]["normal"]["similarity_semantic"] = 0.75
        run["intervals"]["normal"]["similarity_semantic"] = [0.70, 0.80]
    readme = tmp_path / "PROJECT.md"
    readme.write_text(f"intro\n{leaderboard.SUMMARY_BEGIN}\nold table\n{leaderboard.SUMMARY_END}\noutro\n",
                      encoding="utf-8")
    leaderboard.build_leaderboard(write_results(tmp_path / "results", runs), tmp_path / "out", readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(f"intro\n{leaderboard.SUMMARY_BEGIN}\n") and text.endswith(f"{leaderboard.SUMMARY_END}\noutro\n")
    assert "old table" not in text
    assert text.index("#### m, tier mini") < text.index("#### other-model, tier mini")
    rows = table_rows(text.split("#### m, tier mini", 1)[1], "**harmful**")
    assert rows[0] == ["method", "seeds", "forget harmful_rate", "unseen harmful_rate", "normal semantic sim.",
                       "normal empty", "method s"]
    body = {row[0]: row for row in rows[1:]}
    assert body["ga"] == ["ga", "1", "0.25 ± 0.10", "0.38 ± 0.10", "0.75 ± 0.05", "0.00 ± 0.05", "10"]  # [0, 0.1] clipped at 0
    assert body["pretrained"][4:] == ["", "", ""]  # the pretrained row is no run: no normal answers, no method time
    again = readme.read_text(encoding="utf-8")
    leaderboard.build_leaderboard(write_results(tmp_path / "results", runs), tmp_path / "out", readme)
    assert readme.read_text(encoding="utf-8") == again  # idempotent


@pytest.mark.parametrize("content", [None, "no markers here\n", f"{leaderboard.SUMMARY_END}\n{leaderboard.SUMMARY_BEGIN}\n"])
def test_readme_without_a_summary_block_is_refused_before_anything_is_written(results_dir, tmp_path, content, capsys):
    readme = tmp_path / "PROJECT.md"
    if content is not None:
        readme.write_text(content, encoding="utf-8")
    status = main(["leaderboard", "--results", str(results_dir), "--out", str(tmp_path / "out"),
                   "--readme", str(readme)])
    assert status == 2 and not (tmp_path / "out").exists()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "PROJECT.md" in err[0] and "summary" in err[0]


def test_pretrained_row_comes_from_base_metrics_and_intervals(results_dir, tmp_path):
    rows = table_rows(build(results_dir, tmp_path / "out"), "## harmful")
    pretrained = dict(zip(rows[0], rows[1]))
    assert pretrained["method"] == "pretrained model, before implanting"
    assert pretrained["forget harmful_rate ↓"] == "0.062 ± 0.094"
    assert pretrained["unseen harmful_rate ↓"] == "0.000 ± 0.000"
    assert pretrained["normal similarity_bleu ↑"] == "-" and pretrained["method time (s)"] == "-"


def test_columns_follow_metric_specs_with_primary_first(results_dir, tmp_path):
    header = table_rows(build(results_dir, tmp_path / "out"), "## harmful")[0]
    assert header[2:-2] == [
        "forget harmful_rate ↓", "forget harmful_prob ↓", "forget empty_rate ↓",
        "unseen harmful_rate ↓", "unseen harmful_prob ↓", "unseen empty_rate ↓",
        "normal similarity_bleu ↑", "normal perplexity ↓", "normal empty_rate ↓"]


def test_models_and_tiers_get_separate_tables(tmp_path):
    directory = write_results(tmp_path / "results", [make_result("ga", tier="tiny"), make_result("ga", tier="mini"),
                                                     make_result("ga", model="other")])
    readme = build(directory, tmp_path / "out")
    headings = [line for line in readme.splitlines() if line.startswith("## ")]
    assert headings == ["## harmful — m, tier mini", "## harmful — m, tier tiny", "## harmful — other, tier mini"]


def test_regeneration_is_byte_identical(results_dir, tmp_path):
    first = leaderboard.build_leaderboard(results_dir, tmp_path / "a")
    second = leaderboard.build_leaderboard(results_dir, tmp_path / "b")
    assert [p.name for p in first] == ["README.md", "leaderboard.csv", "leaderboard.png"]
    for one, two in zip(first, second):
        assert one.read_bytes() == two.read_bytes(), one.name
    png = first[2].read_bytes()
    assert png.startswith(b"\x89PNG")
    assert b"Software" not in png and b"atplotlib" not in png


def test_csv_has_interval_bounds_seeds_and_sizes(results_dir, tmp_path):
    leaderboard.build_leaderboard(results_dir, tmp_path / "out")
    with open(tmp_path / "out" / "leaderboard.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["task"], r["method"]) for r in rows] == [
        ("harmful", "pretrained"), ("harmful", "none"), ("harmful", "ga"), ("harmful", "rlhf"), ("other", "ga")]
    ga = rows[2]
    assert ga["n_seeds"] == "3" and ga["seeds"] == "0;1;2" and ga["interval"] == "t+bootstrap"
    assert ga["n_forget"] == "16" and ga["n_normal"] == "20"
    half = math.hypot(4.302653 * statistics.stdev([0.125, 0.25, 0.375]) / math.sqrt(3), 0.1)  # seeds, examples
    assert float(ga["forget.harmful_rate"]) == pytest.approx(0.25)
    assert float(ga["forget.harmful_rate.low"]) == pytest.approx(0.25 - half, abs=1e-5)
    assert float(ga["forget.harmful_rate.high"]) == pytest.approx(0.25 + half, abs=1e-5)
    rlhf = rows[3]
    assert rlhf["interval"] == "bootstrap" and rlhf["normal.similarity_bleu.low"] == "86.000000"
    assert rlhf["method_share_of_rlhf"] == "1.000000"
    assert rows[0]["normal.similarity_bleu"] == "" and rows[0]["n_normal"] == ""  # the pretrained row: task splits only


def test_plot_draws_the_intervals(results_dir, tmp_path):
    with_bars = leaderboard.build_leaderboard(results_dir, tmp_path / "a")[2].read_bytes()
    for path in results_dir.rglob("*.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        result["intervals"] = {split: {name: None for name in values} for split, values in result["metrics"].items()}
        path.write_text(json.dumps(result), encoding="utf-8")
    without = leaderboard.build_leaderboard(results_dir, tmp_path / "b")[2].read_bytes()
    assert with_bars != without
    entry = leaderboard.aggregate([make_result("rlhf", rate=0.5)])[0]
    assert leaderboard.error_bar(entry.estimate("forget", "harmful_rate")) == [[pytest.approx(0.1)],
                                                                                 [pytest.approx(0.1)]]


def test_schema1_files_load_and_show_no_interval(tmp_path):
    directory = write_results(tmp_path / "results", [make_schema1("none", rate=0.9), make_schema1("ga", rate=0.1),
                                                     make_result("sft", rate=0.5)])
    readme = build(directory, tmp_path / "out")
    rows = table_rows(readme, "## harmful")
    body = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert body["ga"]["forget harmful_rate ↓"] == "0.100"
    assert body["sft"]["forget harmful_rate ↓"] == "0.500 ± 0.100"
    assert "no interval recorded" in readme
    assert "Examples per split: forget 10/16" in readme  # the old files recorded 10, the new one 16


def test_empty_and_degenerate_groups(tmp_path):
    lone = make_result("ga")
    lone["metrics"] = {"forget": {"harmful_rate": None}}
    lone["intervals"] = {"forget": {"harmful_rate": None}}
    lone["per_example"] = {}
    directory = write_results(tmp_path / "results", [lone])
    rows = table_rows(build(directory, tmp_path / "out"), "## harmful")
    assert rows == [["method", "seeds", "method time (s)"], ["ga", "1", "10.0"]]  # no metric column to show
    assert (tmp_path / "out" / "leaderboard.png").read_bytes().startswith(b"\x89PNG")


def test_non_result_json_is_skipped_with_a_warning(results_dir, tmp_path, capsys):
    (results_dir / "notes.json").write_text('{"hello": 1}', encoding="utf-8")
    leaderboard.build_leaderboard(results_dir, tmp_path / "out")
    assert "notes.json" in capsys.readouterr().err


def test_cli_entry_points(results_dir, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    leaderboard.configure(parser)
    assert parser.parse_args([]).results == "leaderboard/results"
    args = parser.parse_args(["--results", str(results_dir), "--out", str(tmp_path / "board")])
    assert leaderboard.main(args) == 0
    assert (tmp_path / "board" / "leaderboard.png").is_file()
    assert "README.md" in capsys.readouterr().out


def test_primary_metric_prefers_the_declared_one_then_rates():
    result = make_result("ga")
    assert leaderboard.group_primary_metric(leaderboard.aggregate([result])) == "harmful_rate"
    result["task_info"] = {}
    assert leaderboard.group_primary_metric(leaderboard.aggregate([result])) == "empty_rate"  # first *_rate by name
    result["task_info"] = {"primary_metric": "harmful_prob"}
    assert leaderboard.group_primary_metric(leaderboard.aggregate([result])) == "harmful_prob"


# ---------------------------------------------------------------------------------------- the result contract

def test_leaderboard_and_check_import_without_torch():
    code = ("import sys, unlearn_bench.check, unlearn_bench.leaderboard, unlearn_bench.results; "
            "assert 'torch' not in sys.modules, sorted(m for m in sys.modules if 'torch' in m)[:5]")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_strict_json_replaces_non_finite_numbers():
    data = {"a": float("nan"), "b": [1.0, float("inf"), (2, -float("inf"))], "c": {"d": None, 3: "x"}}
    assert results.to_strict_json(data) == {"a": None, "b": [1.0, None, [2, None]], "c": {"d": None, "3": "x"}}
    np = pytest.importorskip("numpy")
    assert results.to_strict_json({"v": np.float32(0.5), "w": np.array([1.0, np.nan])}) == {"v": 0.5,
                                                                                            "w": [1.0, None]}
    with pytest.raises(TypeError, match="set"):
        results.to_strict_json({"s": {1, 2}})


def test_write_result_is_strict_json_that_loads_back(tmp_path):
    result = make_result("ga")
    result["metrics"]["forget"]["harmful_prob"] = float("nan")
    result["intervals"]["forget"]["harmful_prob"] = None
    path = results.write_result(tmp_path / "harmful" / results.result_name(result), result)
    assert path.name == "ga__m__mini__seed0__abc123.json"

    def refuse(token):
        raise AssertionError(f"non-strict JSON token {token}")

    data = json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)
    assert data["metrics"]["forget"]["harmful_prob"] is None
    assert list(data["metric_specs"]) == list(SPECS)  # declaration order survives
    assert results.load_results(tmp_path) == [data]
    bad = make_result("ga")
    bad["sizes"]["forget"] = -1
    with pytest.raises(UsageError, match="sizes.forget"):
        results.write_result(tmp_path / "bad.json", bad)
    assert not (tmp_path / "bad.json").exists()


def test_result_name_and_config_hash():
    result = dict(make_result("ga"), model="/models/Qwen2.5-0.5B", config_hash="ff00")
    assert results.result_name(result) == "ga__Qwen2-5-0-5B__mini__seed0__ff00.json"
    one, two = results.config_hash({"lr": 1e-5, "x": [1]}), results.config_hash({"x": [1], "lr": 1e-5})
    assert one == two and len(one) == results.CONFIG_HASH_LENGTH
    assert results.config_hash({"lr": 2e-5, "x": [1]}) != one


@pytest.mark.parametrize("change, key", [
    (lambda r: r["intervals"]["forget"].update(harmful_rate=[0.5, 0.1]), "intervals.forget.harmful_rate"),
    (lambda r: r["metrics"]["unseen"].update(harmful_rate="high"), "metrics.unseen.harmful_rate"),
    (lambda r: r["metric_specs"].update(x={"direction": "up", "tolerance": 0.1}), "metric_specs.x.direction"),
    (lambda r: r["metric_specs"].update(x={"direction": "lower", "tolerance": -1}), "metric_specs.x.tolerance"),
    (lambda r: r["per_example"]["forget"]["harmful_rate"].pop(), "per_example.forget.harmful_rate"),
    (lambda r: r.update(seed="0"), "seed"),
    (lambda r: r.update(config_hash=""), "config_hash"),
    (lambda r: r.pop("intervals"), "lacks intervals"),
    (lambda r: r.update(schema=7), "schema 7"),
])
def test_validation_names_the_file_and_the_bad_key(tmp_path, change, key):
    bad = make_result("ga")
    change(bad)
    write_results(tmp_path / "r", [bad])
    with pytest.raises(UsageError, match=key.replace(".", r"\.")) as error:
        results.load_results(tmp_path / "r")
    message = str(error.value)
    assert "ga__m__mini__seed0.json" in message and "\n" not in message


def test_schema1_needs_only_its_own_keys(tmp_path):
    old = make_schema1("ga")
    assert results.validate_result(old, "old.json") is old
    del old["directions"]
    with pytest.raises(UsageError, match="old.json: result file lacks directions"):
        results.validate_result(old, "old.json")


def test_bundle_and_single_file_load(tmp_path):
    items = [make_result("ga"), make_schema1("none")]
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps({"schema": 2, "kind": results.BUNDLE_KIND, "results": items}), encoding="utf-8")
    assert [r["method"] for r in results.load_results(bundle)] == ["ga", "none"]
    bundle.write_text(json.dumps({"schema": 2, "kind": results.BUNDLE_KIND}), encoding="utf-8")
    with pytest.raises(UsageError, match="no 'results' list"):
        results.load_results(bundle)


def test_malformed_duplicate_and_missing_inputs(results_dir, tmp_path):
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "a.json").write_text(json.dumps(make_result("ga")), encoding="utf-8")
    (tmp_path / "copy" / "b.json").write_text(json.dumps(dict(make_result("ga"), config_hash="zzz")),
                                              encoding="utf-8")
    with pytest.raises(UsageError, match="same run harmful/ga/m/mini/seed0 .config abc123 and zzz."):
        results.load_results(tmp_path / "copy")
    (results_dir / "harmful" / "broken.json").write_text('{"schema": 2,', encoding="utf-8")
    with pytest.raises(UsageError, match="broken.json"):
        leaderboard.build_leaderboard(results_dir, tmp_path / "out")
    with pytest.raises(UsageError, match="nowhere"):
        leaderboard.build_leaderboard(tmp_path / "nowhere", tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no result files"):
        leaderboard.build_leaderboard(tmp_path / "empty", tmp_path / "out")


def test_estimate_over_seeds_and_edges():
    runs = [make_result("ga", seed=s, rate=r) for s, r in enumerate([0.25, 0.25])]
    same = results.estimate(runs, "forget", "harmful_rate")
    # identical seeds still carry the examples' noise: the bootstrap half-width 0.1 of each seed
    assert same.kind == results.SEEDS_T_BOOTSTRAP and same.n_seeds == 2
    assert same.half_width == pytest.approx(0.1) and same.value == 0.25
    apart = results.estimate([make_result("ga", seed=s, rate=r) for s, r in enumerate([0.25, 0.375])],
                             "forget", "harmful_rate")
    t_half = results.t_quantile(1) * statistics.stdev([0.25, 0.375]) / 2 ** 0.5
    assert apart.half_width == pytest.approx((t_half ** 2 + 0.1 ** 2) ** 0.5)
    no_bounds = copy.deepcopy(runs)
    no_bounds[0]["intervals"]["forget"]["harmful_rate"] = None  # a seed without an interval: the spread alone
    assert results.estimate(no_bounds, "forget", "harmful_rate").kind == results.SEEDS_T
    assert results.estimate(runs, "forget", "no_such_metric") is None
    assert results.estimate(runs, "normal", "harmful_rate") is None
    runs[1]["metrics"]["forget"]["harmful_rate"] = None  # one seed reports it: its own interval
    single = results.estimate(runs, "forget", "harmful_rate")
    assert single.kind == results.BOOTSTRAP and single.n_seeds == 1 and single.half_width == pytest.approx(0.1)
    assert results.t_quantile(1) == pytest.approx(12.706, abs=1e-3)
    old = results.estimate([make_schema1("ga")], "forget", "harmful_rate")
    assert old.kind == results.NO_INTERVAL and old.half_width is None


# ------------------------------------------------------------------------------------------ robustness probes

def probe_spec(tolerance: float = 0.05) -> dict:
    return {"direction": "lower", "tolerance": tolerance, "relative": False, "description": ""}


def with_probes(result: dict, *, relearn: float = 0.75, quant4: float = 0.25, recovered: float | None = 0.5,
                skipped: dict | None = None, control: bool = False) -> dict:
    """Probes shaped as unlearn_bench.attacks writes them (relearn, quant4, mia; relearn_base when `control`)."""
    probes = {"relearn": {"forget": relearn, "forget_recovered": recovered, "unseen": 0.5, "unseen_recovered": None},
              "quant4": {"forget": quant4, "forget_recovered": 0.0},
              "mia": {"auc_minkpp": 0.625, "privleak_minkpp": 0.25, "auc_loss": 0.5}}
    if control:
        probes["relearn_base"] = {"forget": 0.375, "forget_taught": 0.25}
    result["robustness"] = probes
    result["robustness_specs"] = {f"{attack}.{name}": probe_spec(0.2 if name.endswith(("_recovered", "_taught"))
                                                                  else 0.05)
                                  for attack, values in probes.items() for name in values}
    result["robustness_timings"] = {attack: 2.0 for attack in probes}
    result["robustness_skipped"] = {}
    for attack, reason in (skipped or {}).items():
        del probes[attack]
        result["robustness_timings"].pop(attack)
        result["robustness_skipped"][attack] = reason
    return result


@pytest.fixture
def probed_dir(tmp_path: Path) -> Path:
    return write_results(tmp_path / "probed", [
        with_probes(make_result("none", rate=1.0, half=0.0, pretrained=True), recovered=None, control=True,
                    skipped={"mia": "the task's holdout split is empty"}),
        with_probes(make_result("ga", rate=0.125), relearn=0.875),
        with_probes(make_result("sft", rate=0.25), skipped={"quant4": "no GPU", "mia": "the task's holdout split "
                                                                                        "is empty"}),
        make_result("rlhf", rate=0.5),
        make_result("ga", task="other", rate=0.5),
    ])


def test_readme_robustness_block_reads_attacks_against_their_controls(tmp_path):
    """The project README's robustness block (rewritten only where the file has its markers): per task with probes,
    the pretrained row's relearning control, the original's values under each attack, every probed method's value with its
    share against the control, the worst prompt attack by the metric's direction, and the Min-K%++ AUC; a row
    without probes and a column no row fills are left out."""
    ga = with_probes(make_result("ga", rate=0.125), relearn=0.875)
    ga["robustness"]["relearn"]["forget_vs_control"] = 0.9
    ga["robustness"]["quant4"]["forget_vs_control"] = None  # the control within tolerance: no share
    ga["robustness"].update(adv_cue={"forget": 0.25, "forget_worst": 0.5},
                            adv_roleplay={"forget": 0.5, "forget_worst": 0.75},  # the attacker's best: the highest rate
                            rephrase={"forget": 0.0, "forget_any": 0.125}, prefix={"forget": 0.625})
    for attack in ("relearn", "quant4", "adv_cue", "adv_roleplay", "rephrase", "prefix"):
        ga["robustness_specs"].update({f"{attack}.{name}": probe_spec() for name in ga["robustness"][attack]})
    original = with_probes(make_result("none", rate=1.0, half=0.0, pretrained=True), recovered=None, control=True)
    original["robustness"]["relearn_base"]["forget"] = 0.125  # the recipe passes: gain 0.07, kept 0.73
    runs = [original, ga, make_result("rlhf", rate=0.5), make_result("ga", task="other", rate=0.5)]
    block = leaderboard.README_BLOCKS[1]
    readme = tmp_path / "PROJECT.md"
    readme.write_text(f"{leaderboard.SUMMARY_BEGIN}\n{leaderboard.SUMMARY_END}\nfindings\n{block.begin}\nold\n"
                      f"{block.end}\nrest\n", encoding="utf-8")
    leaderboard.build_leaderboard(write_results(tmp_path / "results", runs), tmp_path / "out", readme)
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith(f"{block.end}\nrest\n") and "\nfindings\n" in text
    generated = text.split(block.begin, 1)[1]
    assert "**other**" not in generated  # no probes on that task
    rows = table_rows(generated, "**harmful**")
    assert rows[0] == ["method", "forget", "relearn", "quant4", "worst prompt attack", "MIA Min-K%++"]
    body = {row[0]: row for row in rows[1:]}
    pretrained, original = "pretrained model, before implanting", "original (none)"
    assert set(body) == {pretrained, original, "ga"}  # rlhf has no probes
    assert body[pretrained][1:] == ["0.06 ± 0.09", "0.12", "", "", ""]  # the relearning control, from the original's row
    assert body[original][2:4] == ["0.75", "0.25"]  # what each attack does to the original
    assert body["ga"][1:] == ["0.12 ± 0.10", "0.88 (90%)", "0.25", "0.75 role-play", "0.62"]
    # a metric where higher is better: the attacker's best is the lowest value
    for run in runs:
        run["directions"]["harmful_rate"] = run["metric_specs"]["harmful_rate"]["direction"] = "higher"
    leaderboard.build_leaderboard(write_results(tmp_path / "results", runs), tmp_path / "out", readme)
    rows = table_rows(readme.read_text(encoding="utf-8").split(block.begin, 1)[1], "**harmful**")
    assert {row[0]: row for row in rows[1:]}["ga"][4] == "0.12 rephrase"
    # a file with only the summary block keeps its text: the robustness block is optional
    plain = tmp_path / "PLAIN.md"
    plain.write_text(f"a\n{leaderboard.SUMMARY_BEGIN}\n{leaderboard.SUMMARY_END}\nb\n", encoding="utf-8")
    leaderboard.build_leaderboard(write_results(tmp_path / "results", runs), tmp_path / "out", plain)
    assert block.begin not in plain.read_text(encoding="utf-8")


@pytest.mark.parametrize("control, base, verdict", [
    (0.75, 0.125, "passes"),     # kept (0.75 - 0.0625) / 0.9375 = 0.73, gain 0.07
    (0.75, 0.25, "passes"),      # gain exactly 0.2: on the bar, accepted
    (0.75, 0.375, "teaching"),   # gain 0.33: the steps plant the behaviour in the pretrained model
    (0.25, 0.125, "damage"),     # kept 0.2: the steps erase the behaviour from the control
    (0.25, 0.375, "damage"),     # both fail: damage is named, a control that lost its behaviour reads nothing
])
def test_relearn_recipe_is_checked_on_each_models_controls(tmp_path, control, base, verdict):
    """The recipe check reads the none row's relearn control and relearn_base against the original and the pretrained
    model (forget 1.0 and 0.0625): it is written under both robustness tables, and where the recipe fails the
    summary's relearn cells lose their shares (the other attacks keep theirs)."""
    original = with_probes(make_result("none", rate=1.0, half=0.0, pretrained=True), relearn=control, recovered=None,
                           control=True)
    original["robustness"]["relearn_base"]["forget"] = base
    ga = with_probes(make_result("ga", rate=0.125), relearn=0.875)
    ga["robustness"]["relearn"]["forget_vs_control"] = 0.9
    ga["robustness"]["quant4"]["forget_vs_control"] = 0.5
    ga["robustness_specs"].update({f"{attack}.forget_vs_control": probe_spec() for attack in ("relearn", "quant4")})
    group = leaderboard.grouped(leaderboard.aggregate([original, ga]))[("harmful", "m", "mini")]
    check = leaderboard.relearn_recipe_check(group)
    kept, gain = (control - 0.0625) / 0.9375, (base - 0.0625) / 0.9375
    assert (check.verdict, check.passes) == (verdict, verdict == "passes")
    assert math.isclose(check.kept, kept) and math.isclose(check.gain, gain)
    summary = leaderboard.robustness_summary_text(leaderboard.aggregate([original, ga]))
    assert check.text() in summary and check.text() in leaderboard.probe_section(group)
    assert f"keeps {kept:.2f} of" in check.text() and f"gains {gain:.2f} (" in check.text()
    assert ("FAILS" in check.text()) is (verdict != "passes")
    assert (f"relearned pretrained model's {base:.2f}" in check.text()) is (verdict == "teaching")
    ga_row = next(row for row in table_rows(summary, "**harmful**")[1:] if row[0] == "ga")
    assert ga_row[2] == ("0.88 (90%)" if verdict == "passes" else "0.88") and ga_row[3] == "0.25 (50%)"


def test_no_recipe_check_without_both_controls():
    original = with_probes(make_result("none", rate=1.0, half=0.0, pretrained=True), recovered=None)  # no relearn_base
    group = leaderboard.grouped(leaderboard.aggregate([original]))[("harmful", "m", "mini")]
    assert leaderboard.relearn_recipe_check(group) is None
    assert "Relearn recipe" not in leaderboard.robustness_summary_text(leaderboard.aggregate([original]))


def test_robustness_table_layout(probed_dir, tmp_path):
    readme = build(probed_dir, tmp_path / "out")
    heading = "### Robustness probes: harmful — m, tier mini"
    assert readme.count("### Robustness probes") == 1  # the task without probes gets none
    rows = table_rows(readme, heading)
    header, body = rows[0], {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert header == ["method", "forget harmful_rate ↓", "relearn ↓", "relearn recovered ↓", "quant4 ↓",
                      "quant4 recovered ↓", "MIA AUC Min-K%++ ↓", "PrivLeak Min-K%++ ↓"]  # nobody ran quant8
    assert [row[0] for row in rows[1:]] == ["pretrained model, before implanting", "original (none)", "ga", "rlhf",
                                            "sft"]
    ga = body["ga"]
    assert (ga["forget harmful_rate ↓"], ga["relearn ↓"], ga["relearn recovered ↓"]) == ("0.125 ± 0.100", "0.875",
                                                                                          "0.500")
    assert (ga["quant4 ↓"], ga["MIA AUC Min-K%++ ↓"], ga["PrivLeak Min-K%++ ↓"]) == ("0.250", "0.625", "0.250")
    original = body["original (none)"]
    assert original["relearn recovered ↓"] == "n/a"  # ran, but the share is undefined
    assert original["MIA AUC Min-K%++ ↓"] == "skipped [1]"
    assert body["sft"]["quant4 ↓"] == "skipped [2]" and body["sft"]["MIA AUC Min-K%++ ↓"] == "skipped [1]"
    assert set(list(body["rlhf"].values())[2:]) == {"-"}  # asked for no attack
    pretrained = body["pretrained model, before implanting"]
    assert (pretrained["relearn ↓"], pretrained["relearn recovered ↓"], pretrained["quant4 ↓"]) == ("0.375", "0.250", "-")
    section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
    assert "- [1] mia skipped: the task's holdout split is empty" in section
    assert "- [2] quant4 skipped: no GPU" in section
    assert "robustness.<attack>.<metric>" in readme  # the intro points at the CSV for the rest


def test_probe_cells_over_several_seeds_show_the_t_interval(tmp_path):
    directory = write_results(tmp_path / "r", [with_probes(make_result("ga", seed=s), relearn=r)
                                               for s, r in enumerate([0.5, 0.75])])
    rows = table_rows(build(directory, tmp_path / "out"), "### Robustness probes")
    ga = dict(zip(rows[0], rows[1]))
    half = 12.706205 * statistics.stdev([0.5, 0.75]) / math.sqrt(2)
    assert ga["relearn ↓"] == f"0.625 ± {half:.3f}"
    assert ga["quant4 ↓"] == "0.250 ± 0.000"


def test_probes_from_one_seed_sit_beside_that_seeds_forget_value(tmp_path):
    runs = [make_result("ga", seed=0, rate=0.125), with_probes(make_result("ga", seed=1, rate=0.375)),
            make_result("ga", seed=2, rate=0.25)]
    readme = build(write_results(tmp_path / "r", runs), tmp_path / "out")
    section = readme.split("### Robustness probes", 1)[1]
    assert "probes from seed 1," in section
    ga = dict(zip(*table_rows(readme, "### Robustness probes")[:2]))
    assert ga["forget harmful_rate ↓"] == "0.375 ± 0.100"  # seed 1's value, not the mean 0.25 over three seeds
    main = dict(zip(*table_rows(readme, "## harmful")[:2]))
    assert main["forget harmful_rate ↓"].startswith("0.250 ± ")  # the main table keeps every seed


def test_csv_carries_every_probe_value_and_the_skip_reasons(probed_dir, tmp_path):
    leaderboard.build_leaderboard(probed_dir, tmp_path / "out")
    with open(tmp_path / "out" / "leaderboard.csv", newline="", encoding="utf-8") as handle:
        rows = {(r["task"], r["method"]): r for r in csv.DictReader(handle)}
    columns = [name for name in next(iter(rows.values())) if name.startswith("robustness")]
    assert columns == [
        "robustness.mia.auc_loss", "robustness.mia.auc_minkpp", "robustness.mia.privleak_minkpp",
        "robustness.quant4.forget", "robustness.quant4.forget_recovered",
        "robustness.relearn.forget", "robustness.relearn.forget_recovered", "robustness.relearn.unseen",
        "robustness.relearn.unseen_recovered",  # null everywhere, still a column
        "robustness.relearn_base.forget", "robustness.relearn_base.forget_taught", "robustness_skipped"]
    ga, original = rows[("harmful", "ga")], rows[("harmful", "none")]
    assert ga["robustness.relearn.forget"] == "0.875000" and ga["robustness.mia.auc_loss"] == "0.500000"
    assert ga["robustness.relearn.unseen_recovered"] == "" and ga["robustness_skipped"] == ""
    assert original["robustness.relearn_base.forget_taught"] == "0.250000"
    assert original["robustness_skipped"] == "mia: the task's holdout split is empty"
    assert rows[("harmful", "sft")]["robustness_skipped"] == ("mia: the task's holdout split is empty; "
                                                              "quant4: no GPU")
    assert rows[("harmful", "pretrained")]["robustness.relearn_base.forget"] == ""  # raw values stay on their run's row
    assert all(rows[("other", "ga")][name] == "" for name in columns)


def png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_probes_add_a_second_row_of_panels_and_rebuild_byte_identical(probed_dir, results_dir, tmp_path):
    first = leaderboard.build_leaderboard(probed_dir, tmp_path / "a")
    second = leaderboard.build_leaderboard(probed_dir, tmp_path / "b")
    for one, two in zip(first, second):
        assert one.read_bytes() == two.read_bytes(), one.name
    plain = leaderboard.build_leaderboard(results_dir, tmp_path / "plain")[2].read_bytes()
    width, height = png_size(first[2].read_bytes())
    assert width == png_size(plain)[0] and height > 2 * png_size(plain)[1] - 50  # two rows instead of one
    assert "### Robustness" not in (tmp_path / "plain" / "README.md").read_text(encoding="utf-8")
    assert "robustness" not in (tmp_path / "plain" / "leaderboard.csv").read_text(encoding="utf-8")
    for path in probed_dir.rglob("*.json"):  # a changed probe value changes the robustness panels
        result = json.loads(path.read_text(encoding="utf-8"))
        if result.get("robustness", {}).get("quant4"):
            result["robustness"]["quant4"]["forget"] = 0.9
            path.write_text(json.dumps(result), encoding="utf-8")
    assert leaderboard.build_leaderboard(probed_dir, tmp_path / "c")[2].read_bytes() != first[2].read_bytes()


def test_only_skipped_probes_still_get_a_table(tmp_path):
    directory = write_results(tmp_path / "r", [with_probes(make_result("ga"), skipped={
        "relearn": "empty relearn split", "quant4": "no GPU", "mia": "empty holdout"})])
    readme = build(directory, tmp_path / "out")
    rows = table_rows(readme, "### Robustness probes")
    assert rows[0] == ["method", "forget harmful_rate ↓", "relearn ↓", "relearn recovered ↓", "quant4 ↓",
                       "quant4 recovered ↓", "MIA AUC Min-K%++ ↓", "PrivLeak Min-K%++ ↓"]
    assert rows[1] == ["ga", "0.250 ± 0.100", "skipped [1]", "skipped [1]", "skipped [2]", "skipped [2]",
                       "skipped [3]", "skipped [3]"]
    assert png_size((tmp_path / "out" / "leaderboard.png").read_bytes())[1] < 500  # nothing ran: one row


@pytest.mark.parametrize("change, key", [
    (lambda r: r["robustness"]["relearn"].update(forget="high"), "robustness.relearn.forget"),
    (lambda r: r.update(robustness=[1]), "robustness"),
    (lambda r: r["robustness"].update(extra={"x": 0.5}), "robustness.extra.x"),  # a value nobody declared
    (lambda r: r["robustness_specs"].update(relearn={"direction": "lower", "tolerance": 0.1}),
     "robustness_specs.relearn"),
    (lambda r: r["robustness_specs"]["quant4.forget"].update(direction="down"), "robustness_specs.quant4.forget"),
    (lambda r: r["robustness_specs"]["quant4.forget"].update(tolerance=-0.1), "robustness_specs.quant4.forget"),
    (lambda r: r["robustness_timings"].update(relearn=-1), "robustness_timings.relearn"),
    (lambda r: r["robustness_skipped"].update(mia=""), "robustness_skipped.mia"),
    (lambda r: r["robustness_skipped"].update(relearn="also skipped"), "robustness_skipped.relearn"),
])
def test_probe_validation_names_the_bad_key(tmp_path, change, key):
    bad = with_probes(make_result("ga"))
    change(bad)
    with pytest.raises(UsageError, match=key.replace(".", r"\.")) as error:
        results.validate_result(bad, "run.json")
    assert str(error.value).startswith("run.json: ") and "\n" not in str(error.value)


def test_probe_keys_are_optional_and_may_be_null():
    result = make_result("ga")
    assert results.validate_result(result, "run.json") is result
    result.update(robustness=None, robustness_specs=None, robustness_timings=None, robustness_skipped=None)
    assert results.validate_result(result, "run.json") is result
    probed = with_probes(make_result("ga"), skipped={"mia": "no holdout"})
    assert results.attacks_asked(probed) == {"relearn", "quant4", "mia"}
    assert results.robustness_estimate([probed], "relearn", "forget").kind == results.NO_INTERVAL
    assert results.robustness_estimate([probed], "relearn", "unseen_recovered") is None
    assert results.robustness_estimate([make_result("ga")], "relearn", "forget") is None


def test_relearn_cells_made_with_different_recipes_are_flagged():
    """After a recipe change only some runs may be re-probed: the table says which rows ran which recipe."""
    def recipe_run(method, recipe, control=False):
        result = with_probes(make_result(method, rate=1.0 if method == "none" else 0.125, half=0.0,
                                         pretrained=method == "none"), recovered=None, control=control)
        for name in ("relearn.forget", "relearn_base.forget"):
            if name in result["robustness_specs"]:
                result["robustness_specs"][name]["description"] = f"harmful_rate on forget prompts after {recipe}"
        return result

    old, new = "10 relearning steps (lr 3e-05)", "5 relearning steps (lr 1e-05)"
    agreeing = [recipe_run("none", new, control=True), recipe_run("ga", new), recipe_run("npo", new)]
    group = leaderboard.grouped(leaderboard.aggregate(agreeing))[("harmful", "m", "mini")]
    assert leaderboard.mixed_recipes_text(group) is None
    mixed = [recipe_run("none", new, control=True), recipe_run("ga", new), recipe_run("npo", old)]
    group = leaderboard.grouped(leaderboard.aggregate(mixed))[("harmful", "m", "mini")]
    text = leaderboard.mixed_recipes_text(group)
    assert f"{new}: none, none (relearn_base), ga; {old}: npo." in text
    assert text in leaderboard.probe_section(group)
    assert text in leaderboard.robustness_summary_text(leaderboard.aggregate(mixed))
