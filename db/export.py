"""Events read back whole for export: one record per event, members and officials nested.

``export_events(db, since=date(2025, 1, 1))`` yields ``ExportedEvent`` records in date order; the
application writes them as JSON lines, CSV or Parquet (``thidua export``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

#: The columns of one exported event, in order (the CSV header; the Parquet schema's fields).
COLUMNS = (
    "event_id",
    "kind",
    "number",
    "cluster",
    "system",
    "event_date",
    "year",
    "covenant_year",
    "date_text",
    "location",
    "activities",
    "members",
    "officials",
    "article_urls",
)

_SQL = """
SELECT
    e.id, c.kind, c.number, c.label, c.system, e.event_date, e.year, e.covenant_year, e.date_text,
    e.location, e.activities,
    (SELECT json_group_array(json_object('name', u.name, 'role', m.role))
       FROM (SELECT * FROM event_members WHERE event_id = e.id ORDER BY position) m
       JOIN units u ON u.id = m.unit_id),
    (SELECT json_group_array(json_object('name', p.name, 'title', o.title))
       FROM (SELECT * FROM event_officials WHERE event_id = e.id ORDER BY position) o
       JOIN people p ON p.id = o.person_id),
    (SELECT json_group_array(url) FROM (
       SELECT a.url FROM event_reports r JOIN articles a ON a.id = r.article_id
       WHERE r.event_id = e.id ORDER BY a.id))
FROM events e JOIN clusters c ON c.id = e.cluster_id
WHERE (:since IS NULL OR e.event_date >= :since)
ORDER BY e.event_date IS NULL, e.event_date, e.id
"""


@dataclass(frozen=True)
class ExportedMember:
    """A member unit of an exported event and its role ("cụm trưởng" …) or None."""

    name: str
    role: str | None


@dataclass(frozen=True)
class ExportedOfficial:
    """An official of an exported event and the title written beside the name, or None."""

    name: str
    title: str | None


@dataclass(frozen=True)
class ExportedEvent:
    """One stored event with everything an analyst reads of it (the fields of ``COLUMNS``)."""

    event_id: int
    kind: str
    number: int | None
    cluster: str
    system: str | None
    event_date: dt.date | None
    year: int | None
    covenant_year: int | None
    date_text: str | None
    location: str | None
    activities: tuple[str, ...]
    members: tuple[ExportedMember, ...]
    officials: tuple[ExportedOfficial, ...]
    article_urls: tuple[str, ...]


def export_events(
    database: sqlite_utils.Database, *, since: dt.date | None = None
) -> Iterator[ExportedEvent]:
    """Yield every event (from ``since`` on, when given; undated events only without ``since``),
    dated ones first by date, members and officials in the order the reports gave them."""
    cursor = database.execute(_SQL, {"since": since.isoformat() if since else None})
    for row in cursor:
        yield ExportedEvent(
            event_id=row[0],
            kind=row[1],
            number=row[2],
            cluster=row[3],
            system=row[4],
            event_date=dt.date.fromisoformat(row[5]) if row[5] else None,
            year=row[6],
            covenant_year=row[7],
            date_text=row[8],
            location=row[9],
            activities=tuple(json.loads(row[10])),
            members=tuple(ExportedMember(m["name"], m["role"]) for m in json.loads(row[11])),
            officials=tuple(ExportedOfficial(o["name"], o["title"]) for o in json.loads(row[12])),
            article_urls=tuple(json.loads(row[13])),
        )
