"""The leaderboard's columns for the newer probes (controls, control-relative shares, quant4_g32, adversarial
families): shown with their intro paragraph when results carry them, absent (with the old intro) otherwise."""

from test_leaderboard import build, make_result, probe_spec, table_rows, with_probes, write_results

from unlearn_bench.leaderboard import PROBES_INTRO_CONTROLS

HEADING = "### Robustness probes: harmful — m, tier mini"


def with_controls(result: dict, *, control: float, share: float | None) -> dict:
    """Adds what the newer attacks write: quant4's control and share, a quant4_g32 run, one adversarial family."""
    newer = {"quant4": {"forget_control": control, "forget_vs_control": share, "forget_vs_control_low": None,
                        "forget_vs_control_high": None},
             "quant4_g32": {"forget": 0.5, "forget_control": 0.75, "forget_vs_control": share},
             "adv_roleplay": {"forget": 0.25, "forget_worst": 0.5}}
    for attack, values in newer.items():
        result["robustness"].setdefault(attack, {}).update(values)
        result["robustness_timings"].setdefault(attack, 1.0)
        result["robustness_specs"].update({f"{attack}.{name}": probe_spec() for name in values})
    return result


def test_newer_probes_get_their_columns_and_intro(tmp_path):
    directory = write_results(tmp_path / "r", [
        with_controls(with_probes(make_result("none", rate=1.0, half=0.0, pretrained=True), recovered=None, control=True),
                      control=0.375, share=None),
        with_controls(with_probes(make_result("ga", rate=0.125)), control=0.375, share=0.5),
        with_probes(make_result("sft", rate=0.25)),  # probed before the newer probes existed
    ])
    readme = build(directory, tmp_path / "out")
    assert PROBES_INTRO_CONTROLS in readme
    rows = table_rows(readme, HEADING)
    header, body = rows[0], {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    for column in ("quant4 control ↓", "quant4 vs control ↓", "quant4_g32 ↓", "quant4_g32 control ↓",
                   "role-play worst ↓"):
        assert column in header
    assert header.index("quant4 ↓") < header.index("quant4 control ↓") < header.index("quant4_g32 ↓")
    assert "relearn control ↓" not in header  # no result has relearn's control
    ga = body["ga"]
    assert (ga["quant4 control ↓"], ga["quant4 vs control ↓"], ga["role-play worst ↓"]) == ("0.375", "0.500",
                                                                                          "0.500")
    assert body["original (none)"]["quant4 vs control ↓"] == "n/a"  # written, without a value
    assert body["sft"]["quant4 control ↓"] == "-"  # an older result: not asked for, not "n/a"


def test_older_results_keep_the_old_columns_and_intro(tmp_path):
    directory = write_results(tmp_path / "r", [with_probes(make_result("ga", rate=0.125)),
                                               with_probes(make_result("sft", rate=0.25), skipped={"quant4": "no"})])
    readme = build(directory, tmp_path / "out")
    assert PROBES_INTRO_CONTROLS not in readme and "Newer probes" not in readme
    header = table_rows(readme, HEADING)[0]
    assert not any("control" in column or "worst" in column or "g32" in column for column in header)
