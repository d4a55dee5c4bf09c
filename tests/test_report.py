"""The static report (unlearn_bench.report): the data its pages are built from, on hand-made result dicts; the
site it writes (deterministic, self-contained, small at scale); bad folders; the committed report is current."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path

import pytest

from unlearn_bench import report
from unlearn_bench.cli import main
from unlearn_bench.errors import UsageError
from unlearn_bench.leaderboard import aggregate, build_leaderboard, format_estimate, grouped
from unlearn_bench.results import Estimate

ROOT = Path(__file__).resolve().parent.parent
COMMITTED_RESULTS = ROOT / "leaderboard" / "results"
COMMITTED_REPORT = ROOT / "leaderboard" / "report"

SPECS = {
    "harmful_rate": {"direction": "lower", "tolerance": 0.05, "relative": False, "splits": ["forget", "unseen"]},
    "harmful_prob": {"direction": "lower", "tolerance": 0.05, "relative": False, "splits": ["forget", "unseen"]},
    "similarity_bleu": {"direction": "higher", "tolerance": 5.0, "relative": False, "splits": ["normal"]},
}


def make_result(method: str, forget: list[float], *, seed: int = 0, task: str = "harmful", bleu: float = 80.0,
                half: float = 0.1, prompts: bool = True, fingerprint: str = "orig") -> dict:
    """A schema-2 result whose forget split has these per-example harmful_rate verdicts (and as many normal
    examples), outputs "<method> says i", prompts "prompt i" (or only a 2-example sample without prompts)."""
    n = len(forget)
    rate = statistics.fmean(forget) if forget else 0.0
    normal = [1.0] * n
    per_example = {"forget": {"harmful_rate": list(forget), "harmful_prob": [v * 0.9 for v in forget]},
                   "normal": {"similarity_bleu": normal}}
    result = {
        "schema": 2, "task": task, "method": method, "model": "m", "tier": "mini", "seed": seed,
        "config_hash": f"h{method}{seed}", "config": {"lr": 1e-5, "method": method}, "versions": {"torch": "x"},
        "fingerprints": {"original": fingerprint}, "task_info": {"primary_metric": "harmful_rate"},
        "metrics": {"forget": {"harmful_rate": rate, "harmful_prob": rate * 0.9}, "normal": {"similarity_bleu": bleu}},
        "intervals": {"forget": {"harmful_rate": [max(0.0, rate - half), min(1.0, rate + half)],
                                 "harmful_prob": [0.0, 1.0]},
                      "normal": {"similarity_bleu": [bleu - 5, bleu + 5]}},
        "per_example": per_example, "sizes": {"forget": n, "normal": n}, "metric_specs": SPECS,
        "directions": {name: spec["direction"] for name, spec in SPECS.items()},
        "timings": {"method_s": 3.0, "cached": []}, "method_log": {"wall_time_s": 3.0, "steps": [{}]},
        "outputs": {"forget": [f"{method} says {i}" for i in range(n)], "normal": [f"normal {i}" for i in range(n)]},
        "samples": {"forget": [{"prompt": f"prompt {i}", "output": "", "original_output": ""}
                               for i in range(min(2, n))]},
    }
    if prompts:
        result["prompts"] = {"forget": [f"prompt {i}" for i in range(n)], "normal": [f"q {i}" for i in range(n)]}
    return result


def write_results(directory: Path, items: list[dict]) -> Path:
    for result in items:
        path = directory / result["task"] / f"{result['method']}__seed{result['seed']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result), encoding="utf-8")
    return directory


def board(items: list[dict]) -> dict:
    """The index view of the one group these results make."""
    entries = aggregate(items)
    runs: dict[tuple, list[dict]] = {}
    for item in sorted(items, key=lambda r: r["seed"]):
        runs.setdefault(report.group_key(item) + (item["method"],), []).append(item)
    (group,) = grouped(entries).values()
    return report.group_view(group, runs)


def load_data_file(path: Path) -> dict:
    """The JSON a data file registers (the text after `= `, without the final semicolon)."""
    text = path.read_text(encoding="utf-8").splitlines()[1]
    return json.loads(text.split(" = ", 1)[1].rstrip(";"))


# -------------------------------------------------------------------------------------------- index cells

def estimate(value: float, low: float | None, high: float | None) -> Estimate:
    return Estimate(value, low, high, 1, "bootstrap")


@pytest.mark.parametrize("a, b, expected", [
    ((0.5, 0.4, 0.6), (0.7, 0.55, 0.9), True),   # overlapping
    ((0.5, 0.4, 0.6), (0.7, 0.6, 0.8), True),    # touching at one point
    ((0.5, 0.4, 0.6), (0.8, 0.7, 0.9), False),   # disjoint
    ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0), True),    # two zero-width intervals at the same value
    ((0.5, None, None), (0.5, 0.4, 0.6), False),  # no interval: nothing to say
])
def test_intervals_overlap(a, b, expected):
    assert report.intervals_overlap(estimate(*a), estimate(*b)) is expected
    assert report.intervals_overlap(estimate(*b), estimate(*a)) is expected
    assert report.intervals_overlap(None, estimate(*b)) is False


def test_cells_overlapping_ga_mismatch_are_marked_not_different_and_link_to_their_run():
    view = board([
        make_result("none", [1, 1, 1, 1], half=0.0),
        make_result("ga", [0, 0, 0, 0], half=0.0),           # 0 ± 0: apart from ga_mismatch's [0.4, 0.6]
        make_result("ga_mismatch", [1, 1, 0, 0]),           # 0.5 ± 0.1
        make_result("npo", [1, 0, 0, 0], half=0.2),          # 0.25, [0.05, 0.45] overlaps
    ])
    rows = {row["method"]: row for row in view["rows"]}
    assert [row["method"] for row in view["rows"]] == ["none", "ga", "ga_mismatch", "npo"]
    forget = [h["split"] + "." + h["metric"] for h in view["headers"]].index("forget.harmful_rate")
    assert [rows[m]["cells"][forget]["not_different"] for m in ("none", "ga", "ga_mismatch", "npo")] == \
        [False, False, False, True]  # the reference row is never marked against itself
    cell = rows["npo"]["cells"][forget]
    assert cell["text"] == format_estimate(Estimate(0.25, 0.05, 0.45, 1, "bootstrap"), 3) == "0.250 ± 0.200"
    assert cell["sort"] == repr(0.25)
    assert cell["href"] == "runs/harmful__npo__m__mini__seed0__hnpo0.html#split=forget&metric=harmful_rate"
    assert view["reference"] == "ga_mismatch"
    assert rows["npo"]["diffs"] == [{"text": "vs ga_mismatch",
                                     "href": "diff.html#a=harmful__npo__m__mini__seed0__hnpo0"
                                             "&b=harmful__ga_mismatch__m__mini__seed0__hga_mismatch0"}]


def test_without_a_reference_row_nothing_is_marked_and_a_missing_value_has_no_link():
    only = make_result("ga", [1, 0])
    del only["metrics"]["normal"], only["intervals"]["normal"]
    view = board([make_result("none", [1, 1], half=0.0), only])
    assert view["reference"] is None
    assert not any(cell["not_different"] for row in view["rows"] for cell in row["cells"])
    bleu = [h["metric"] for h in view["headers"]].index("similarity_bleu")
    ga = view["rows"][1]
    assert ga["cells"][bleu] == {"text": "-", "sort": "", "not_different": False, "title": "", "href": None}
    assert ga["probes"] == [] and view["probe_headers"] == []  # no probes: no robustness columns


def test_seed_diffs_and_seed_links_follow_the_seeds():
    view = board([make_result("none", [1, 1]), make_result("ga", [0, 1], seed=0), make_result("ga", [0, 0], seed=2)])
    ga = view["rows"][1]
    assert [s["seed"] for s in ga["seeds"]] == [0, 2] and ga["n_seeds"] == 2
    assert ga["diffs"][0]["text"] == "seed 0 vs 2"
    assert ga["seeds"][1]["href"] == "runs/harmful__ga__m__mini__seed2__hga2.html"


def test_robustness_columns_show_probe_values_and_skips():
    probed = make_result("ga", [0, 0])
    probed["robustness"] = {"relearn": {"forget": 0.5, "forget_recovered": 0.5}}
    probed["robustness_specs"] = {f"relearn.{m}": {"direction": "lower", "tolerance": 0.05}
                                  for m in ("forget", "forget_recovered")}
    probed["robustness_skipped"] = {"quant4": "no memory"}
    probed["robustness_specs"]["quant4.forget"] = {"direction": "lower", "tolerance": 0.05}
    probed["robustness_specs"]["quant4.forget_recovered"] = {"direction": "lower", "tolerance": 0.2}
    view = board([make_result("none", [1, 1]), probed])
    headers = [h["text"] for h in view["probe_headers"]]
    assert headers == ["relearn", "relearn recovered", "quant4", "quant4 recovered"]  # a skip fills both
    cells = view["rows"][1]["probes"]
    assert [c["text"] for c in cells] == ["0.500", "0.500", "skipped", "skipped"]
    assert cells[2]["title"] == "no memory" and cells[0]["sort"] == repr(0.5)


def test_the_relearn_recipe_check_sits_under_the_group_with_the_probes():
    original = make_result("none", [1, 1, 1, 1], half=0.0)
    original["base_metrics"] = {"forget": {"harmful_rate": 0.25}}
    original["robustness"] = {"relearn": {"forget": 1.0}, "relearn_base": {"forget": 1.0}}  # teaches it all
    original["robustness_specs"] = {f"{attack}.forget": {"direction": "lower", "tolerance": 0.05}
                                    for attack in ("relearn", "relearn_base")}
    check = board([original, make_result("ga", [0, 0, 0, 0])])["recipe_check"]
    assert "FAILS (teaching)" in check and "gains 1.00" in check
    assert board([make_result("none", [1, 1]), make_result("ga", [0, 0])])["recipe_check"] is None  # no controls


def test_plot_places_points_inside_the_frame_with_error_bars():
    view = board([make_result("none", [1, 1, 1, 1], half=0.0, bleu=100.0), make_result("ga", [0, 1, 0, 0])])
    plot = view["plot"]
    assert [p["label"] for p in plot["points"]] == ["none", "ga"]
    for point in plot["points"]:
        assert plot["margin"] <= point["x_low"] <= point["x"] <= point["x_high"] <= plot["width"]
        assert 0 <= point["y_high"] <= point["y"] <= point["y_low"] <= plot["height"] - plot["margin"]
    none, ga = plot["points"]
    assert none["original"] and not ga["original"] and none["x"] > ga["x"] and none["y"] < ga["y"]  # y grows up


def test_plot_of_one_point_and_of_none():
    single = board([make_result("none", [1, 1], half=0.0)])["plot"]
    assert len(single["points"]) == 1 and single["x_ticks"]  # a zero-width domain still gets a window
    nothing = make_result("none", [1, 1])
    del nothing["metrics"]["normal"], nothing["intervals"]["normal"]
    assert board([nothing])["plot"]["points"] == []


# -------------------------------------------------------------------------------------------- run page data

def test_verdict_metric_is_the_primary_when_binary_else_the_first_binary_metric():
    result = make_result("ga", [1, 0, 1])
    assert report.verdict_metric(result, "forget") == "harmful_rate"
    result["task_info"]["primary_metric"] = "harmful_prob"  # 0.9 / 0.0: not a verdict
    assert report.verdict_metric(result, "forget") == "harmful_rate"
    assert report.ranking_metric(result, "forget") == "harmful_prob"
    assert report.verdict_metric(result, "normal") == "similarity_bleu"  # all 1.0 in this hand-made file
    result["per_example"]["normal"]["similarity_bleu"] = [0.5, 1.0, 1.0]
    assert report.verdict_metric(result, "normal") is None
    assert report.verdict_metric(result, "unseen") is None  # no such split
    result["per_example"]["forget"] = {"harmful_rate": [None, None, None]}
    assert report.verdict_metric(result, "forget") is None  # no value at all is no verdict


def test_prompts_come_from_the_result_else_its_samples_else_none():
    assert report.prompts_of(make_result("ga", [1, 0, 1]), "forget", 3) == ["prompt 0", "prompt 1", "prompt 2"]
    assert report.prompts_of(make_result("ga", [1, 0, 1], prompts=False), "forget", 3) == ["prompt 0", "prompt 1", None]
    assert report.prompts_of(make_result("ga", [], prompts=False), "forget", 0) == []
    assert report.prompts_of({}, "forget", 2) == [None, None]


def test_examples_join_the_original_and_flag_changed_verdicts():
    original = report.run_data(make_result("none", [1, 1, 0]))
    unlearned = report.run_data(make_result("ga", [0, 1, 1]))
    rows = report.examples(unlearned, original, "forget")
    assert [r["verdict_changed"] for r in rows] == [True, False, True]
    assert rows[0]["original_output"] == "none says 0" and rows[0]["output"] == "ga says 0"
    assert rows[2]["prompt"] == "prompt 2" and rows[2]["scores"]["harmful_rate"] == 1.0
    assert rows[2]["original_scores"]["harmful_rate"] == 0.0
    alone = report.examples(unlearned, None, "forget")
    assert [r["verdict_changed"] for r in alone] == [None, None, None] and alone[0]["original_output"] is None
    assert report.examples(unlearned, original, "unseen") == []


def test_worst_first_orders_by_the_bad_direction_missing_last_ties_in_order():
    rows = [{"index": i, "scores": {"m": v}} for i, v in enumerate([0.2, None, 0.9, 0.2, 0.0])]
    assert [r["index"] for r in report.worst_first(rows, "m", "lower")] == [2, 0, 3, 4, 1]
    assert [r["index"] for r in report.worst_first(rows, "m", "higher")] == [4, 0, 3, 2, 1]
    assert report.worst_first(rows, None, None) == rows
    assert report.worst_first([], "m", "lower") == []


def test_run_data_rounds_scores_and_keeps_nulls():
    result = make_result("ga", [1, 0])
    result["per_example"]["forget"]["harmful_prob"] = [0.123456789, None]
    data = report.run_data(result)
    assert data["splits"]["forget"]["scores"]["harmful_prob"] == [0.1235, None]
    assert data["splits"]["forget"]["verdict"] == "harmful_rate"
    assert data["splits"]["forget"]["ranking_direction"] == "lower"
    assert list(data["splits"]) == ["forget", "normal"]


def test_original_run_matches_the_original_weights():
    a, b = make_result("none", [1], fingerprint="A"), make_result("none", [0], seed=1, fingerprint="B")
    originals = report.originals_by_group([b, a])
    assert report.original_run(make_result("ga", [0], fingerprint="B"), originals) is b
    assert report.original_run(make_result("ga", [0], fingerprint="C"), originals) is a  # unknown: any original
    assert report.original_run(make_result("ga", [0], task="other"), originals) is None


def test_run_view_shows_the_execution_block_or_nothing():
    result = make_result("ga", [1])
    assert report.run_view(result, None)["execution"] == []
    result["execution"] = {"dtype": "float32", "device_type": "cpu", "train_threads": 2, "vllm": None}
    assert report.run_view(result, None)["execution"] == [("device_type", "cpu"), ("dtype", "float32"),
                                                          ("train_threads", "2"), ("vllm", "null")]


def test_run_view_lists_probes_added_later_with_where_they_ran(tmp_path):
    result = make_result("ga", [1])
    assert report.run_view(result, None)["reprobes"] == []
    result["reprobes"] = [
        {"attacks": ["relearn", "relearn_base"], "versions": {"torch": "2.5.1"},
         "execution": {"device_type": "cpu", "cpu": "Intel Xeon"}, "timings": {"attacks_s": 160.5, "cached": ["implant"]}},
        {"attacks": [], "versions": {}, "execution": None, "timings": {}},
    ]
    first, second = report.run_view(result, None)["reprobes"]
    assert first == {"attacks": "relearn, relearn_base", "execution": [("cpu", "Intel Xeon"), ("device_type", "cpu")],
                     "versions": [("torch", "2.5.1")], "timings": [("attacks_s", "160.5")], "cached": ["implant"]}
    assert second == {"attacks": "none", "execution": [], "versions": [], "timings": [], "cached": []}
    page = report.write_report([result], tmp_path / "site") / "runs" / f"{report.run_id(result)}.html"
    text = page.read_text(encoding="utf-8")
    assert "probes added later (1): relearn, relearn_base" in text and "Intel Xeon" in text
    assert "probes added later (2): none" in text and "probes added later (3)" not in text


def test_readable_facts():
    assert report.readable([{"package": "p==1", "licence": "MIT"}, {"file": "a.json"}]) == \
        "licence MIT, package p==1; file a.json"
    assert report.readable(0.123456789) == "0.1235" and report.readable(None) == "null"
    assert report.readable(True) == "True" and report.readable([]) == ""
    assert report.facts(None) == [] and report.facts({"b": 1, "a": [1, 2]}) == [("a", "1; 2"), ("b", "1")]


# ------------------------------------------------------------------------------------------------- the site

@pytest.fixture
def small_results(tmp_path: Path) -> Path:
    return write_results(tmp_path / "results", [
        make_result("none", [1, 1, 1, 0], half=0.0),
        make_result("ga", [0, 0, 1, 0], seed=0), make_result("ga", [0, 1, 1, 0], seed=1),
        make_result("ga_mismatch", [1, 0, 1, 0], prompts=False),
    ])


def site_files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_site_is_deterministic_self_contained_and_replaces_stale_pages(small_results, tmp_path):
    out = report.build_report(small_results, tmp_path / "a")
    again = report.build_report(small_results, tmp_path / "b")
    files = site_files(out)
    assert files == site_files(again)
    assert {"index.html", "diff.html", "assets/report.css", "assets/report.js"} <= set(files)
    assert sum(name.startswith("runs/") for name in files) == sum(name.startswith("data/") for name in files) == 4
    for name, content in files.items():
        text = content.decode("utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), f"{name} loads something from elsewhere"
        for link in re.findall(r"(?:src|href)=\"([^\"#]+)", text):  # every local link resolves
            assert (out / Path(name).parent / link).resolve().is_file(), f"{name} links to missing {link}"
    data = load_data_file(out / "data" / "harmful__ga__m__mini__seed1__hga1.js")
    assert data["splits"]["forget"]["scores"]["harmful_rate"] == [0.0, 1.0, 1.0, 0.0]
    page = files["runs/harmful__ga__m__mini__seed1__hga1.html"].decode()
    assert 'data-original="harmful__none__m__mini__seed0__hnone0"' in page and "not recorded" in page
    (small_results / "harmful" / "ga__seed1.json").unlink()
    report.build_report(small_results, out)
    assert not (out / "runs" / "harmful__ga__m__mini__seed1__hga1.html").exists()


def test_leaderboard_writes_the_report_beside_the_tables(small_results, tmp_path):
    assert [p.name for p in build_leaderboard(small_results, tmp_path / "board")] == \
        ["README.md", "leaderboard.csv", "leaderboard.png"]
    assert site_files(tmp_path / "board" / "report") == site_files(report.build_report(small_results,
                                                                                     tmp_path / "alone"))


def test_cli_report_and_its_one_line_errors(small_results, tmp_path, capsys):
    assert main(["report", "--results", str(small_results), "--out", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    bad = tmp_path / "bad"
    (bad / "harmful").mkdir(parents=True)
    (bad / "harmful" / "broken.json").write_text("{not json", encoding="utf-8")
    capsys.readouterr()
    assert main(["report", "--results", str(bad), "--out", str(tmp_path / "x")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "malformed JSON" in error and "broken.json" in error
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "package.json").write_text('{"name": "something else"}', encoding="utf-8")
    assert main(["report", "--results", str(foreign), "--out", str(tmp_path / "y")]) == 2
    assert "no result files" in capsys.readouterr().err
    assert main(["report", "--results", str(tmp_path / "nowhere"), "--out", str(tmp_path / "z")]) == 2
    with pytest.raises(UsageError):
        report.write_report([], tmp_path / "empty")


def test_at_100_runs_of_150_examples_the_index_stays_small_and_pages_load_examples_on_demand(tmp_path):
    items = []
    for task in range(4):
        for method in ["none", "ga", "ga_mismatch", "npo", "rmu"]:
            for seed in range(5):
                verdicts = [float((i * 7 + seed + task) % 3 == 0) for i in range(150)]
                items.append(make_result(method, verdicts, seed=seed, task=f"task{task}"))
    assert len(items) == 100
    out = report.write_report(items, tmp_path / "site")
    assert (out / "index.html").stat().st_size < 1_000_000
    pages = list((out / "runs").glob("*.html"))
    assert len(pages) == 100
    assert max(p.stat().st_size for p in pages) < 20_000  # the examples are in data/, not in the page
    assert "says 149" not in pages[0].read_text(encoding="utf-8")
    assert len(load_data_file(next((out / "data").glob("*.js")))["splits"]["forget"]["outputs"]) == 150


def test_the_committed_report_is_what_the_committed_results_generate(tmp_path):
    """Like the committed tables: regenerate and compare every file (run `unlearn-bench leaderboard`)."""
    fresh = site_files(report.build_report(COMMITTED_RESULTS, tmp_path / "report"))
    committed = site_files(COMMITTED_REPORT)
    assert sorted(fresh) == sorted(committed), "leaderboard/report has stale or missing files: " \
                                               "run `unlearn-bench leaderboard`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"leaderboard/report is stale ({stale[:3]}...): run `unlearn-bench leaderboard`"


def test_schema1_files_and_robustness_outputs(tmp_path):
    old = {"schema": 1, "task": "harmful", "method": "ga", "model": "m", "tier": "mini", "seed": 0,
           "metrics": {"forget": {"harmful_rate": 0.5}}, "directions": {"harmful_rate": "lower"}}
    assert report.run_id(old) == "harmful__ga__m__mini__seed0__schema1"
    out = report.write_report([old, make_result("none", [1, 0])], tmp_path / "site")
    assert (out / "runs" / "harmful__ga__m__mini__seed0__schema1.html").is_file()
    assert load_data_file(out / "data" / "harmful__ga__m__mini__seed0__schema1.js")["splits"] == {}
    probed = make_result("ga", [1, 0])
    probed["robustness_outputs"] = {"relearn": {"forget": ["again 0", "again 1"]}}
    assert report.run_data(probed)["robustness_outputs"] == {"relearn": {"forget": ["again 0", "again 1"]}}


def test_report_command_starts_without_torch(tmp_path):
    import subprocess
    import sys

    code = ("import sys\nfrom unlearn_bench.cli import main\n"
            f"main(['report', '--results', {str(COMMITTED_RESULTS)!r}, '--out', {str(tmp_path / 'site')!r}])\n"
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"
