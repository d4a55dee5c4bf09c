"""The one error type the CLI turns into a clean one-line message (exit status 2)."""


class UsageError(Exception):
    """Bad input from the user: an unknown name, a missing file, a malformed option."""


def unknown(kind: str, value: str, choices) -> UsageError:
    """An error naming the bad value and the accepted choices."""
    listed = ", ".join(sorted(choices)) or "(none registered)"
    return UsageError(f"unknown {kind} {value!r}; expected one of: {listed}")
