"""Atomic file writes, so a run killed half-way never leaves a truncated result behind."""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any, Mapping


def _umask() -> int:
    current = os.umask(0)  # reading the umask means setting it; put it straight back
    os.umask(current)
    return current


def write_atomic(path: str | Path, text: str) -> None:
    """Write text to a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); the result is a normal file, readable as the umask allows (a
        # report on a shared host, results read by a colleague).
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_strict_json(value: Any) -> Any:
    """A copy that strict JSON can hold: NaN and +-inf become None, tuples become lists, numpy scalars and
    arrays become Python numbers and lists (duck-typed, so numpy is not imported here)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Mapping):
        return {str(key): to_strict_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_strict_json(item) for item in value]
    if hasattr(value, "tolist"):  # numpy scalar or array
        return to_strict_json(value.tolist())
    raise TypeError(f"cannot write {type(value).__name__} {value!r} to JSON; expected JSON data")


def write_json(path: str | Path, data: Any) -> None:
    """Strict JSON (NaN and infinities become null), written atomically."""
    text = json.dumps(to_strict_json(data), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    write_atomic(path, text + "\n")


def read_json(path: str | Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def digest(*parts: Any, length: int = 16) -> str:
    """A short, stable hash of JSON-serialisable parts (used for cache keys and fingerprints)."""
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:length]
