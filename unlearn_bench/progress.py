"""Progress lines for long stages (implant, method training, generation, scoring): the run's label, the stage,
steps done and an ETA. A run installs its reporter for the duration of a stage; code deep inside (the Trainer's
step callback) reports through `step()` without knowing which run it serves. Silent when no reporter is set
(tests, library use, --quiet, CI)."""

from __future__ import annotations

import contextlib
import contextvars
import time
from typing import Callable, Iterator

_reporter: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar("reporter", default=None)
_stage: contextvars.ContextVar[tuple[str, float] | None] = contextvars.ContextVar("stage", default=None)
EVERY_S = 15.0  # at most one step line per this many seconds
_last_line = [0.0]


@contextlib.contextmanager
def stage(name: str, reporter: Callable[[str], None] | None) -> Iterator[None]:
    """Report `name` now and route `step()` lines to `reporter` until the block ends."""
    reporter_token, stage_token = _reporter.set(reporter), _stage.set((name, time.perf_counter()))
    if reporter:
        reporter(name)
    try:
        yield
    finally:
        _reporter.reset(reporter_token)
        _stage.reset(stage_token)


def eta_text(done: int, total: int, elapsed: float) -> str:
    """'12/40 steps, 35 s elapsed, ETA 82 s'; no ETA before the first step."""
    text = f"{done}/{total} steps, {elapsed:.0f} s elapsed"
    if done and total > done:
        text += f", ETA {elapsed / done * (total - done):.0f} s"
    return text


def step(done: int, total: int, force: bool = False) -> None:
    """One step of the current stage finished; prints at most every EVERY_S seconds (and at the end)."""
    reporter, current = _reporter.get(), _stage.get()
    if reporter is None or current is None:
        return
    now = time.perf_counter()
    if force or done >= total or now - _last_line[0] >= EVERY_S:
        _last_line[0] = now
        reporter(f"{current[0]}: {eta_text(done, total, now - current[1])}")
