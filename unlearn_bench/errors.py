"""The one error type the CLI and the scripts turn into a clean one-line message (exit status 2)."""

import sys
from typing import Callable, NoReturn


class UsageError(Exception):
    """Bad input from the user: an unknown name, a missing file, a malformed option."""


def unknown(kind: str, value: str, choices) -> UsageError:
    """An error naming the bad value and the accepted choices."""
    listed = ", ".join(sorted(choices)) or "(none registered)"
    return UsageError(f"unknown {kind} {value!r}; expected one of: {listed}")


def exit_from(main: Callable[[], int]) -> NoReturn:
    """A script's entry point: exit with `main`'s status, or with 2 and one line on stderr for a UsageError."""
    try:
        status = main()
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        status = 2
    sys.exit(status)
