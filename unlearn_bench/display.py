"""How numbers look wherever a person reads them: the leaderboard tables, the `check` report and the HTML report
share these rules, so one metric reads the same everywhere."""

from __future__ import annotations

import math

from .results import HIGHER, LOWER, Estimate

EMPTY_CELL = "-"  # a table cell with no value: the run, metric or interval does not exist


def decimals(metric: str) -> int:
    """Fixed decimals per metric kind: BLEU (0-100) and perplexity get 2, rates and fractions 3."""
    return 2 if ("bleu" in metric or metric == "perplexity") else 3


def format_value(value: float | None, places: int) -> str:
    """The number with fixed decimals; EMPTY_CELL for None; inf and nan as Python writes them."""
    if value is None:
        return EMPTY_CELL
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{places}f}"


def format_estimate(value: Estimate | None, places: int) -> str:
    """"0.250 ± 0.188": the mean and the half-width of its 95% interval; the mean alone without an interval."""
    if value is None:
        return EMPTY_CELL
    half = value.half_width
    text = format_value(value.value, places)
    return text if half is None or not math.isfinite(value.value) else f"{text} ± {half:.{places}f}"


def arrow(direction_name: str | None) -> str:
    """" ↓" after a metric where lower is better, " ↑" where higher is, nothing when the direction is unknown."""
    return {LOWER: " ↓", HIGHER: " ↑"}.get(direction_name or "", "")
