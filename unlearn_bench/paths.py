"""Where the project keeps downloads, converted models, implanted models and the generation cache."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The cache root: $UNLEARN_BENCH_CACHE, else ~/.cache/unlearn-bench."""
    root = os.environ.get("UNLEARN_BENCH_CACHE") or Path.home() / ".cache" / "unlearn-bench"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path
