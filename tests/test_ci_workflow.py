"""The regression workflow a method repository copies: it parses, runs the README's sweep and check, and its
cache key hashes files that exist (a renamed file would silently key the cache on nothing)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "ci" / "method-regression.yml"


def steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    return workflow["jobs"]["regression"]["steps"]


def test_the_workflow_sweeps_the_method_and_checks_it_against_the_leaderboard():
    commands = [step.get("run", "") for step in steps()]
    assert any(c.startswith("bash unlearn-bench/scripts/install.sh") for c in commands)
    sweep = next(c for c in commands if " sweep " in c)
    assert "--tier mini" in sweep and "--methods none my_method" in sweep and "--plugin my_method.py" in sweep
    check = next(c for c in commands if " check " in c)
    assert "--baseline unlearn-bench/leaderboard/results" in check and "--only-present" in check


def test_the_cache_key_hashes_files_that_exist_and_leaves_out_generations():
    caches = [step["with"] for step in steps() if step.get("uses", "").startswith("actions/cache")]
    ours = next(c for c in caches if "unlearn-bench" in c["path"])
    assert "!~/.cache/unlearn-bench/generations.sqlite" in ours["path"]
    patterns = re.findall(r"'unlearn-bench/([^']+)'", ours["key"])
    assert {"unlearn_bench/implant.py", "unlearn_bench/models.py", "tasks/**"} <= set(patterns)
    for pattern in patterns:
        assert list(ROOT.glob(pattern)), f"the cache key hashes {pattern}, which matches no file"
