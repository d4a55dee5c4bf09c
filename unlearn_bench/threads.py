"""The thread count of generation batches (training uses a fixed count: unlearn_bench.execution).

Torch's OpenMP threads spin at barriers: with 2 threads on 2 cores and one core taken by another process, every
barrier waits for the descheduled thread, and batched generation fell from 92.6 to ~5.7 tok/s here (a GA step from
3.4 to 33.5 s), while 1 thread kept 47 tok/s. So the count is the number of cores other processes leave free, read
from /proc/stat over a short window before each burst (the load changes during a sweep).
"""

from __future__ import annotations

import contextlib
import os
import time

import torch

from .errors import UsageError

# Below this share of a core used by other processes a core counts as free (noise from shells, editors).
FREE_CORE_SLACK = 0.5


def _cpu_times() -> tuple[float, float] | None:
    """(busy, total) jiffies of the whole machine, or None off Linux."""
    try:
        with open("/proc/stat") as stat:
            fields = [float(x) for x in stat.readline().split()[1:9]]
    except OSError:
        return None
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_cores_elsewhere(window_s: float = 0.2) -> float | None:
    """Cores kept busy by other processes over `window_s` (this process sleeps meanwhile); None off Linux."""
    before, own_before = _cpu_times(), os.times()
    if before is None:
        return None
    time.sleep(window_s)
    after, own_after = _cpu_times(), os.times()
    busy, total = after[0] - before[0], after[1] - before[1]
    if total <= 0:
        return 0.0
    cores = os.cpu_count() or 1
    own = (own_after.user + own_after.system) - (own_before.user + own_before.system)
    elapsed = own_after.elapsed - own_before.elapsed
    own_cores = own / elapsed if elapsed > 0 else 0.0
    return max(0.0, busy / total * cores - own_cores)


def threads_for(cores: int, busy_elsewhere: float | None, cap: int | None = None) -> int:
    """Threads for a compute burst: the cores other processes leave free, at least 1, at most `cap`."""
    free = cores if busy_elsewhere is None else cores - int(busy_elsewhere + 1 - FREE_CORE_SLACK)
    return max(1, min(free, cap or cores))


def auto_threads() -> int:
    """The thread count for the next batch; UNLEARN_BENCH_THREADS (an integer) overrides the load reading."""
    forced = os.environ.get("UNLEARN_BENCH_THREADS")
    if forced:
        if not forced.isdigit() or int(forced) < 1:
            raise UsageError(f"UNLEARN_BENCH_THREADS={forced!r} is not a positive integer")
        return int(forced)
    return threads_for(os.cpu_count() or 1, busy_cores_elsewhere())


@contextlib.contextmanager
def torch_threads(count: int):
    """Run a block with `count` intra-op threads, then restore the previous count (training uses its own)."""
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
