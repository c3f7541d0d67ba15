"""How the command line meets the console: the options commands share (--db, --sites), dates as
parameters, log lines on stderr that do not tear the live display, and every failure as one line
``thidua: error: …`` with its exit code."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path
from typing import Any

import click

from thidua.errors import ThiduaError


class DateType(click.ParamType):
    """A ``YYYY-MM-DD`` date on the command line."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date like 2026-03-06", param, ctx)


DATE = DateType()


class ThiduaGroup(click.Group):
    """Turns our errors into one line and an exit code; a traceback only with ``--debug``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # every failure becomes one actionable line
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise _as_click_error(exc) from None


class RunFailed(click.ClickException):
    """A failed run, shown as one line on stderr (``thidua: error: …``), exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"thidua: error: {self.format_message()}", err=True)


class BadUsage(RunFailed):
    """Bad arguments (a missing file, an unknown site, a bad sites file), exit code 2."""

    exit_code = 2


class PartlyFailed(RunFailed):
    """A run that completed with a site failed as a whole (aborted, or every article failed), exit 3."""

    exit_code = 3


def _as_click_error(exc: Exception) -> click.ClickException:
    import sqlite3

    import db
    from db.errors import explain_sqlite_error
    from scraper.errors import ScraperError, SitesError

    if isinstance(exc, ThiduaError):
        if exc.exit_code == 2:
            return BadUsage(str(exc))
        return PartlyFailed(str(exc)) if exc.exit_code == 3 else RunFailed(str(exc))
    if isinstance(exc, SitesError):
        return BadUsage(str(exc))
    if isinstance(exc, db.DatabaseError | ScraperError):
        return RunFailed(str(exc))
    advice = explain_sqlite_error(exc) if isinstance(exc, sqlite3.OperationalError) else None
    if advice is not None:
        return RunFailed(advice)
    return RunFailed(f"unexpected {type(exc).__name__}: {exc} (run again with --debug for the traceback)")


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time, so the live progress display, which
    redirects stderr while it runs, prints log lines above itself instead of tearing."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def setup_logging(level: int) -> None:
    """Send thidua's log records to stderr, one timestamped line each, at ``level`` and above."""
    root = logging.getLogger("thidua")
    root.handlers.clear()
    handler = _StderrHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s thidua %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False


def db_option(default: str = "thidua.db", text: str = "The SQLite database file.") -> Any:
    """The ``--db FILE`` option every command that opens a database shares."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help=text,
    )


DB_OPTION = db_option()
#: ``--sites FILE``: crawl and backfill read the same sites file.
SITES_OPTION = click.option(
    "--sites",
    "sites_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A sites.toml to use instead of the packaged one.",
)


def command_help(text: str, example: str) -> str:
    """A command's help: *text*, then its example kept on one line by click's ``\\b`` marker."""
    return f"{text}\n\n\b\nExample:\n    {example}"
