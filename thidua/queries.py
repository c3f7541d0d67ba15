"""The read-only jobs: what the database holds (``stats``), its events written out (``export``), and
whether a file is one only ``thidua demo`` wrote. None of them writes or locks the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from sqlite_utils import Database

import db
from scraper.sites import Site
from thidua import health
from thidua.database import read_only


def stats(
    database: Database | str | Path, sites: Sequence[Site] | None = None, *, nights: int = 14
) -> dict[str, Any]:
    """What the database holds (``db.stats``) as plain dicts and lists, ready for JSON or printing,
    and with ``sites`` the sites' nightly health (``thidua.health``) under ``"health"``.

    A path is opened read-only and not locked: stats never writes.
    """
    with read_only(database) as handle:
        result = db.stats(handle)
        found = health.health(handle, sites, nights=nights) if sites is not None else None
    plain = {f.name: _plain(getattr(result, f.name)) for f in fields(result)}
    if found is not None:
        plain["health"] = found.as_dict()
    return plain


def export(
    database: Database | str | Path, out: str | Path, *, fmt: str = "jsonl", since: dt.date | None = None
) -> int:
    """Write the stored events (from ``since`` on) to ``out`` as jsonl, csv or parquet; return how
    many. A path is opened read-only and not locked: export never writes the database."""
    from db.export import export_events
    from thidua.export import write_events

    with read_only(database) as handle:
        return write_events(export_events(handle, since=since), out, fmt)


def is_demo_database(path: str | Path) -> bool:
    """True when ``path`` is a thidua database that only ``thidua demo`` ever wrote (or an empty
    file), so the demo may replace it; False for any other file, thidua's or not."""
    file = Path(path)
    if file.stat().st_size == 0:
        return True
    try:
        with read_only(file) as handle:
            commands = {str(row[0]) for row in handle.execute("SELECT DISTINCT command FROM runs")}
    except db.DatabaseError:
        return False
    return commands <= {"demo"}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
