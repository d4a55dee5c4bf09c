"""merge_probes: a stored result takes redone or added probes and keeps everything else (hand-made results)."""

from unlearn_bench.results import merge_probes


def stored_result():
    return {
        "metrics": {"forget": {"rate": 0.1}},
        "robustness": {"relearn": {"forget": 0.9}, "relearn_base": {"forget": 0.5}, "prefix": {"forget": 0.3}},
        "robustness_specs": {"relearn.forget": {"description": "after 10 steps (lr 1e-4)"},
                             "relearn_base.forget": {"description": "pretrained after 10 steps (lr 1e-4)"},
                             "prefix.forget": {"description": "forced prefix"}},
        "robustness_timings": {"relearn": 100.0, "relearn_base": 50.0, "prefix": 7.0},
        "robustness_skipped": {"mia": "no holdout"},
        "robustness_outputs": {"relearn": {"forget": ["old"]}, "prefix": {"forget": ["p"]}},
    }


def test_a_redone_attack_replaces_every_trace_of_its_old_self_and_only_that():
    report = {"robustness": {"relearn": {"forget": 0.4}}, "robustness_specs": {"relearn.forget": {"description": "new"}},
              "robustness_timings": {"relearn": 20.0}, "robustness_skipped": {},
              "robustness_outputs": {"relearn": {"forget": ["new"]}}}
    stored = stored_result()
    merged = merge_probes(stored, report, ["relearn"])
    assert merged["robustness"] == {"relearn": {"forget": 0.4}, "relearn_base": {"forget": 0.5},
                                    "prefix": {"forget": 0.3}}
    # "relearn" must not take relearn_base's spec with it: attacks are matched by name, not by prefix
    assert merged["robustness_specs"]["relearn.forget"] == {"description": "new"}
    assert merged["robustness_specs"]["relearn_base.forget"]["description"].startswith("pretrained")
    assert merged["robustness_timings"] == {"relearn": 20.0, "relearn_base": 50.0, "prefix": 7.0}
    assert merged["robustness_outputs"]["relearn"] == {"forget": ["new"]}
    assert merged["robustness_skipped"] == {"mia": "no holdout"} and merged["metrics"] == stored["metrics"]
    assert stored == stored_result()  # the stored dict is not changed in place


def test_an_attack_that_ran_before_and_is_skipped_now_keeps_no_values():
    report = {"robustness": {}, "robustness_specs": {"prefix.forget": {"description": "forced prefix"}},
              "robustness_timings": {}, "robustness_skipped": {"prefix": "no questions"}}
    merged = merge_probes(stored_result(), report, ["prefix"])
    assert "prefix" not in merged["robustness"] and "prefix" not in merged["robustness_timings"]
    assert "prefix" not in merged["robustness_outputs"]
    assert merged["robustness_skipped"] == {"mia": "no holdout", "prefix": "no questions"}


def test_probes_added_to_a_result_that_had_none():
    stored = {"metrics": {"forget": {"rate": 0.1}}}
    report = {"robustness": {"mia": {"auc": 0.5}}, "robustness_specs": {"mia.auc": {}},
              "robustness_timings": {"mia": 1.0}, "robustness_skipped": {}}
    merged = merge_probes(stored, report, ["mia"])
    assert merged["robustness"] == {"mia": {"auc": 0.5}} and merged["robustness_timings"] == {"mia": 1.0}
    assert "robustness_outputs" not in merged and "robustness_skipped" not in merged  # nothing to say: no key
