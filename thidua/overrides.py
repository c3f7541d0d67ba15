"""Analysts' overrides as application jobs: ``merge`` and ``correct`` on a database file, locked.

The logic is ``db.overrides``; this module takes the lock, stamps the time and turns a wrong id,
kind, field or value into a ``UsageError`` (exit code 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from db import overrides
from db.errors import OverrideError
from thidua.app import opened
from thidua.errors import UsageError


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@contextmanager
def _as_usage() -> Iterator[None]:
    try:
        yield
    except OverrideError as error:
        raise UsageError(str(error)) from None


def merge(database: Database | str | Path, kind: str, from_id: int, into_id: int) -> overrides.Merged:
    """Merge cluster, unit or person ``from_id`` into ``into_id``; kept across crawls and reextract.

    ``merge("thidua.db", "unit", 12, 7)`` → ``Merged("unit", "H. Châu Thành", "Huyện Châu Thành", 9)``.
    """
    with opened(database, create=False) as handle, _as_usage():
        return overrides.merge(handle, kind, from_id, into_id, made_at=_now())


def correct(database: Database | str | Path, event_id: int, field: str, value: str | None) -> str | None:
    """Set ``field`` of event ``event_id`` to ``value`` (None: drop the correction); return what is stored.

    ``correct("thidua.db", 42, "event_date", "2025-03-06")`` → ``"2025-03-06"``.
    """
    with opened(database, create=False) as handle, _as_usage():
        if value is None:
            if not overrides.uncorrect(handle, event_id, field):
                raise UsageError(f"event {event_id} has no correction of {field}")
            return None
        return overrides.correct(handle, event_id, field, value, made_at=_now())
