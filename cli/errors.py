"""Errors the CLI reports as one line, with the exit code each deserves."""

from __future__ import annotations


class CliError(Exception):
    """A failure the user can act on; ``exit_code`` 1 for a failed run, 2 for bad usage."""

    exit_code = 1


class UsageError(CliError):
    """Bad arguments: a missing file, a bad date, an unknown site name."""

    exit_code = 2


class LockedError(CliError):
    """Another thidua run holds the database lock."""

    exit_code = 1
