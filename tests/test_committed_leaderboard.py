"""The committed leaderboard: regenerated from the committed results byte for byte, and a usable baseline."""

import json
import shutil
from pathlib import Path

from unlearn_bench.check import check_results, main as check_main
from unlearn_bench.leaderboard import build_leaderboard, load_results

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "leaderboard" / "results"


def test_committed_tables_are_what_the_results_generate(tmp_path):
    """The markdown and CSV byte for byte (the PNG's bytes depend on the installed matplotlib and fonts)."""
    paths = {path.name: path for path in build_leaderboard(RESULTS, tmp_path)}
    for name in ("README.md", "leaderboard.csv"):
        assert paths[name].read_bytes() == (ROOT / "leaderboard" / name).read_bytes(), name
    assert paths["leaderboard.png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_task_and_method_has_a_committed_mini_result():
    results = load_results(RESULTS)
    pairs = {(r["task"], r["method"]) for r in results if r["tier"] == "mini"}
    tasks = {"harmful", "copyright", "hallucination"}
    methods = {"none", "ga", "ga_kl", "ga_mismatch", "sft", "rlhf"}
    assert pairs == {(t, m) for t in tasks for m in methods}


def test_check_passes_on_the_baseline_and_fails_on_a_planted_regression(tmp_path):
    baseline = load_results(RESULTS)
    assert not check_results(baseline, baseline).failed
    fresh = tmp_path / "fresh"
    shutil.copytree(RESULTS, fresh)
    target = next(fresh.glob("harmful/ga_mismatch__*.json"))
    result = json.loads(target.read_text())
    result["metrics"]["unseen"]["harmful_rate"] += 0.5  # unlearning stopped generalising
    target.write_text(json.dumps(result))
    args = ["--results", str(fresh), "--baseline", str(RESULTS)]
    from unlearn_bench.cli import build_parser

    assert check_main(build_parser().parse_args(["check", *args])) == 1
    regressed = check_results(load_results(fresh), baseline).by_status("regressed")
    assert [(row.task, row.method, row.split, row.metric) for row in regressed] == [
        ("harmful", "ga_mismatch", "unseen", "harmful_rate")]
