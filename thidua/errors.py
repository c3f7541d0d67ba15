"""The application's errors: each says what to do, and carries the exit code the CLI gives it."""

from __future__ import annotations


class ThiduaError(Exception):
    """A failure the user can act on; ``exit_code`` 1 for a failed run, 2 for bad usage."""

    exit_code = 1


class UsageError(ThiduaError):
    """Bad arguments: a missing file, a bad date, an unknown site name."""

    exit_code = 2


class LockedError(ThiduaError):
    """Another thidua run holds the database lock."""


class RunFailedError(ThiduaError):
    """The run completed no work at all: no configured site answered."""


class PartialRunError(ThiduaError):
    """The run completed, but some site failed as a whole (aborted, or every article failed)."""

    exit_code = 3
