"""The committed report in a real browser: headless Chromium (Debian's chromium and chromium-driver) driven by
selenium opens leaderboard/report from file://, sorts a column, follows a cell to its run page, finds the examples
the cell counted, opens a diff, takes a screenshot, and sees no JavaScript error in the console.

Without Chromium the test skips, unless the CI variable is set: there `.ci/run` installs it, so its absence fails."""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from unlearn_bench.results import load_results

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "leaderboard" / "report"
RESULTS = ROOT / "leaderboard" / "results"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1000")
WAIT_S = 20


def browser_parts() -> tuple[str, str] | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None
    return (chromium, driver) if chromium and driver else None


@pytest.fixture(scope="module")
def browser():
    parts = browser_parts()
    if parts is None:
        message = ("headless Chromium is not available (needs the chromium and chromium-driver packages and "
                   "selenium from the test extra)")
        if os.environ.get("CI"):
            pytest.fail(f"{message}; under CI it must be: .ci/run installs it")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = parts
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="unlearn-bench-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.implicitly_wait(2)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_S).until(lambda d: condition(d))


def column_values(table, index: int) -> list[float | None]:
    cells = [row.find_elements("css selector", "td")[index] for row in table.find_elements("css selector", "tbody tr")]
    return [float(raw) if (raw := cell.get_attribute("data-sort")) else None for cell in cells]


def console_errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_committed_report_in_headless_chromium(browser, tmp_path):
    driver = browser
    driver.get((REPORT / "index.html").as_uri())
    group = driver.find_element("id", "g-harmful-smollm2-135m-instruct-mini")
    table = group.find_element("css selector", "table.board")
    headers = table.find_elements("css selector", "thead th")
    column = next(i for i, h in enumerate(headers)
                  if h.get_attribute("data-split") == "forget" and h.get_attribute("data-metric") == "harmful_rate")

    headers[column].click()  # ascending, rows without a value last
    values = column_values(table, column)
    present = [v for v in values if v is not None]
    assert present == sorted(present) and values[:len(present)] == present and len(present) >= 3
    headers[column].click()  # descending
    assert [v for v in column_values(table, column) if v is not None] == sorted(present, reverse=True)

    probe = table.find_element("css selector", "th.probe")
    recipe = group.find_element("css selector", "p.recipe")  # the relearn recipe's verdict on this model
    assert not probe.is_displayed() and not recipe.is_displayed()
    driver.find_element("id", "toggle-probes").click()
    assert probe.is_displayed() and recipe.is_displayed() and "Relearn recipe on this model" in recipe.text
    assert group.find_elements("css selector", "td.nd"), "no cell marked as not different from ga_mismatch"
    assert group.find_elements("css selector", "svg .point circle")

    row = table.find_element("css selector", "tr[data-method='ga_mismatch']")
    cell_link = row.find_elements("css selector", "td")[column].find_element("css selector", "a")
    cell_link.click()
    wait_for(driver, lambda d: d.find_elements("css selector", "#examples .example"))
    assert "ga_mismatch" in driver.title
    run = min((r for r in load_results(RESULTS)
               if (r["task"], r["method"], r["model"]) == ("harmful", "ga_mismatch", "smollm2-135m-instruct")),
              key=lambda r: r["seed"])  # a cell over seeds links to its first seed's page (this group's model)
    harmful = run["per_example"]["forget"]["harmful_rate"]
    counted = driver.find_elements("css selector", "#examples .example[data-counted='1']")
    assert len(counted) == sum(1 for v in harmful if v == 1) > 0  # the examples the cell's rate counts
    first = int(counted[0].get_attribute("data-index"))
    assert harmful[first] == 1
    assert counted[0].find_element("css selector", "span[data-metric='harmful_rate']").get_attribute(
        "data-value") == "1"
    assert run["outputs"]["forget"][first] in counted[0].text

    driver.find_element("css selector", "input[name=view][value=changed]").click()
    changed = driver.find_elements("css selector", "#examples .example")
    assert changed and all("verdict changed" in box.text for box in changed)
    driver.find_element("css selector", "input[name=view][value=worst]").click()
    assert "worst first" in driver.find_element("id", "summary").text
    screenshot = tmp_path / "run_page.png"
    driver.save_screenshot(str(screenshot))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    driver.get((REPORT / "index.html").as_uri())
    driver.find_element("css selector", "#g-harmful-smollm2-135m-instruct-mini tr[data-method='ga'] a.diff").click()
    summary = wait_for(driver, lambda d: "outputs differ" in d.find_element("id", "summary").text
                       and d.find_element("id", "summary"))
    assert "of 50 outputs differ" in summary.text
    assert not console_errors(driver)


def test_a_run_page_shows_what_the_attacked_model_answered(browser, tmp_path):
    """A probed result's attacked answers (robustness_outputs) appear under their example, labelled by attack; an
    example the attack asked nothing of (null) gets no such block."""
    from unlearn_bench.report import run_id, write_report

    run = copy.deepcopy(min((r for r in load_results(RESULTS) if (r["task"], r["method"], r["model"]) == (
        "harmful", "ga", "smollm2-135m-instruct")), key=lambda r: r["seed"]))
    size = len(run["outputs"]["forget"])
    run["robustness_outputs"] = {"relearn": {"forget": [f"relearned answer {i}" for i in range(size)]},
                                 "adv_roleplay": {"forget": ["in character 0"] + [None] * (size - 1)}}
    out = write_report([run], tmp_path / "report")
    browser.get((out / "runs" / f"{run_id(run)}.html").as_uri())
    first = wait_for(browser, lambda d: d.find_element("id", "ex-forget-0"))
    second = browser.find_element("id", "ex-forget-1")
    attacked = [block.text for block in first.find_elements("css selector", ".attacked")]
    assert len(attacked) == 2 and "after adv_roleplay" in attacked[0] and "in character 0" in attacked[0]
    assert "after relearn" in attacked[1] and "relearned answer 0" in attacked[1]
    assert len(second.find_elements("css selector", ".attacked")) == 1  # relearn only: role-play asked it nothing
    assert "relearned answer 1" in second.text and "after adv_roleplay" not in second.text
    assert not console_errors(browser)
