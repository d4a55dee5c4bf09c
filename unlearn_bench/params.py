"""Typed hyperparameters and options: dataclasses with defaults, overridden by `key=value` strings."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Mapping

from .errors import UsageError


def parse_assignments(pairs: list[str] | None) -> dict[str, str]:
    """Turn ['lr=1e-5', 'task.n_forget=8'] into a dict, rejecting anything that is not key=value."""
    result: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"malformed --set {pair!r}; expected KEY=VALUE, e.g. lr=1e-5 or task.n_forget=8")
        result[key.strip()] = value.strip()
    return result


def with_overrides(instance: Any, overrides: Mapping[str, Any], what: str) -> Any:
    """A copy of a params dataclass with fields replaced; strings are converted to the field's type."""
    fields = {f.name: f for f in dataclasses.fields(instance)}
    hints = typing.get_type_hints(type(instance))
    changes = {}
    for key, raw in overrides.items():
        if key not in fields:
            raise UsageError(f"unknown {what} option {key!r}; expected one of: {', '.join(sorted(fields))}")
        changes[key] = _coerce(raw, hints[key], key, what)
    return dataclasses.replace(instance, **changes)


def _coerce(raw: Any, hint: Any, key: str, what: str) -> Any:
    if not isinstance(raw, str):
        return raw
    optional = type(None) in typing.get_args(hint)
    if optional and raw.lower() in ("none", "null", ""):
        return None
    base = next((a for a in typing.get_args(hint) if a is not type(None)), hint) if optional else hint
    try:
        if base is bool:
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if base in (int, float, str):
            return base(float(raw)) if base is int and "e" in raw.lower() else base(raw)
    except ValueError:
        raise UsageError(f"bad value {raw!r} for {what} option {key!r}; expected {base.__name__}") from None
    raise UsageError(f"{what} option {key!r} cannot be set from the command line")
