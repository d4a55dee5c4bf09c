"""Which process this is, for runs started by torchrun or `accelerate launch`; a plain run is rank 0 of 1.

Launchers set RANK, WORLD_SIZE and LOCAL_RANK in each process's environment before any process group exists, so
rank and world size are read from torch.distributed once a group is up and from the environment before that.
Every helper works without torch.distributed initialised. Synchronising (`barrier`) needs a group: in a launched
multi-process run it joins the one accelerate sets up, which is the group the Trainer uses too.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, Sequence, TypeVar

T = TypeVar("T")


def _group_ready() -> bool:
    import torch.distributed as dist

    return dist.is_available() and dist.is_initialized()


def _from_env(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip().isdigit() else default


def rank() -> int:
    """This process's global rank: 0 in a plain run."""
    if _group_ready():
        import torch.distributed as dist

        return dist.get_rank()
    return _from_env("RANK", 0)


def world_size() -> int:
    """How many processes the launch started: 1 in a plain run."""
    if _group_ready():
        import torch.distributed as dist

        return dist.get_world_size()
    return max(1, _from_env("WORLD_SIZE", 1))


def local_rank() -> int:
    """This process's rank on its machine (its GPU index under a launcher): 0 in a plain run."""
    return _from_env("LOCAL_RANK", 0)


def is_main_process() -> bool:
    """Whether this process writes results and caches (rank 0)."""
    return rank() == 0


def barrier() -> None:
    """Wait until every process gets here; a no-op in a plain run."""
    if world_size() == 1:
        return
    from accelerate import PartialState

    # PartialState starts the process group from the launcher's environment if nobody has yet (gloo on CPUs,
    # nccl on GPUs) and reuses it otherwise, so this never creates a second group beside the Trainer's.
    PartialState().wait_for_everyone()


@contextmanager
def main_process_first() -> Iterator[None]:
    """Rank 0 runs the block first (a download, a conversion, a cache write); the other ranks wait, then run the
    block themselves and find rank 0's files in place. Rank 0 releases the others even when its block fails, so
    they fail on their own rather than wait for a timeout."""
    main = is_main_process()
    if not main:
        barrier()
    try:
        yield
    finally:
        if main:
            barrier()


def rank_seed(seed: int) -> int:
    """The seed for this rank's own random draws: `seed` on rank 0 (a plain run's draws are unchanged), seed + rank
    elsewhere, so ranks never draw the same samples."""
    return seed + rank()


def own_share(items: Sequence[T]) -> list[T]:
    """This rank's part of work split over the ranks: every world_size-th item from its rank (round robin, so a
    length-sorted list gives every rank a like mix of long and short items). The whole list in a plain run."""
    return list(items[rank()::world_size()])


def merged(part: Mapping[Any, Any]) -> dict[Any, Any]:
    """Every rank's `part` merged into one dict, on every rank (all_gather_object); the part itself in a plain run.
    The parts are meant to be disjoint (each rank's `own_share`); a key in two parts keeps the higher rank's."""
    if world_size() == 1:
        return dict(part)
    import torch.distributed as dist
    from accelerate import PartialState

    PartialState()  # joins (or starts) the launcher's group, as `barrier` does
    parts: list[Any] = [None] * world_size()
    dist.all_gather_object(parts, dict(part))
    return {key: value for each in parts for key, value in each.items()}
