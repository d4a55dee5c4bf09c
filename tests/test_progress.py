"""Progress lines: stage name, steps done and an ETA, silent without a reporter."""

from unlearn_bench import progress


def test_eta_from_steps_done():
    assert progress.eta_text(0, 10, 0.0) == "0/10 steps, 0 s elapsed"
    assert progress.eta_text(5, 20, 10.0) == "5/20 steps, 10 s elapsed, ETA 30 s"
    assert progress.eta_text(20, 20, 40.0) == "20/20 steps, 40 s elapsed"


def test_steps_go_to_the_current_stage_reporter_only():
    lines = []
    progress.step(1, 2)  # no stage: nothing happens
    with progress.stage("method ga", lines.append):
        progress.step(1, 4, force=True)
        progress.step(4, 4)  # the last step always reports
    progress.step(2, 2)
    assert lines[0] == "method ga"
    assert lines[1].startswith("method ga: 1/4 steps") and lines[2].startswith("method ga: 4/4 steps")
    assert len(lines) == 3


def test_quiet_stage_reports_nothing():
    with progress.stage("implant", None):
        progress.step(3, 3, force=True)  # must not raise without a reporter
