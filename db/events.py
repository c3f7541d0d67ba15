"""The events of stored articles: one ``events`` row per cluster + meeting day, merged from its reports.

``replace_events(db, article_id, url, events, known=...)`` links an article to the events it reports
(creating those no other article reported), and ``refresh_event`` re-merges an event's date text,
members and officials from every article that reports it. ``validate_event`` (``db.validation``,
re-exported here) refuses values outside the schema's vocabularies before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import repeat
from typing import Any, NamedTuple

import sqlite_utils

from db.corrections import apply_corrections
from db.entities import cluster_id, cluster_identity, person_id, unit_id
from db.matching import absorb_undated, find_event, publication_day
from db.normalize import display_name
from db.schema_browse import member_years_batch
from db.transaction import IdCache, id_cache
from db.validation import validate_event as validate_event  # re-exported: store, reextract
from db.values import compact_json, iso, pairs_json
from extract.model import ACTIVITIES, Event
from extract.province import event_province, unit_province
from extract.sources import host_of
from extract.systems import canonical_system


def replace_events(
    database: sqlite_utils.Database,
    article_id: int,
    canonical_url: str,
    events: Sequence[Event],
    *,
    known: bool = True,
) -> tuple[int, int]:
    """Replace the event reports of one stored article; return (events reported, events rows created).

    Runs inside the caller's transaction and leaves ``articles.events_count`` to the caller. Each
    report joins the stored event it is about (``db.matching``: same cluster and day, a day apart
    with a member in common, or undated within the article's window) or makes a new one; events left
    without any report are deleted; events shared with other articles are recomputed as the union
    of their reports. ``known=False`` (an article inserted just now) skips looking for its old reports.
    """
    conn = database.conn
    cache = id_cache(database)
    old: list[int] = []
    if known:
        sql = "SELECT event_id FROM event_reports WHERE article_id = ?"
        old = [r[0] for r in conn.execute(sql, [article_id])]
        conn.execute("DELETE FROM event_reports WHERE article_id = ?", [article_id])
    site = site_of(canonical_url)
    groups: dict[str, tuple[int, list[Event]]] = {}
    for event in events:
        cid = cluster_id(
            database, event.unit_kind, event.cluster_number, event.cluster_label, event.system, site
        )
        key = event_key(cid, event.event_date, canonical_url)
        groups.setdefault(key, (cid, []))[1].append(event)
    published: list[dt.date | None] = []  # read once, and only for an undated report
    created = 0
    touched = dict.fromkeys(old)
    members: list[tuple[int, int, str | None, int]] = []
    officials: list[tuple[int, int, str | None, int]] = []
    batch = member_years_batch(database)
    for position, (key, (cid, group)) in enumerate(groups.items()):
        report = Report.of(group)
        # A meeting no other article reported (the common case) is written straight from this report.
        merged = merge_reports(database, cache, [report])
        if report.event_date is None and not published:
            published.append(publication_day(conn, article_id))
        day = published[0] if published else None
        match = find_event(conn, cid, report.event_date, report.activities, set(merged.members), day)
        if match.event_id is None:
            event_id = _insert_event(conn, key, canonical_url, cid, report.event_date, merged.columns)
            if event_id is None:  # this article's own event, left from before: re-merged below
                event_id = int(conn.execute("SELECT id FROM events WHERE key = ?", [key]).fetchone()[0])
                touched[event_id] = None
            else:
                members += merged.member_rows(event_id)
                officials += merged.official_rows(event_id)
                if batch is not None:
                    batch.add(cid, merged.columns[4], merged.members)  # the event's year as inserted
                created += 1
                if report.event_date is not None and match.undated:
                    emptied = absorb_undated(conn, event_id, report.activities, match.undated)
                    if emptied:
                        touched.update(dict.fromkeys([*emptied, event_id]))
        else:
            event_id = match.event_id
            touched[event_id] = None
        conn.execute(
            "INSERT OR IGNORE INTO event_reports (event_id, article_id, position, cluster_label, system, "
            "event_date, date_text, covenant_year, location, activities, members, officials) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [event_id, article_id, position, *report.row()],
        )
    _insert_people(database, members, officials)
    for event_id in touched:
        refresh_event(database, event_id)
    return len(groups), created


def _insert_event(
    conn: Any, key: str, canonical_url: str, cluster: int, event_date: str | None, columns: list[Any]
) -> int | None:
    """Insert a new event; its key is cluster|date, or cluster|date|article when another event holds
    that one (a neighbouring day's event took its date). None when this article's own key exists."""
    sql = (
        "INSERT INTO events (key, cluster_id, event_date, date_text, covenant_year, location, "
        "activities, year, province, province_named, month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (key) DO NOTHING RETURNING id"
    )
    row = conn.execute(sql, [key, cluster, event_date, *columns]).fetchone()
    if row is None and event_date is not None:
        row = conn.execute(sql, [f"{key}|{canonical_url}", cluster, event_date, *columns]).fetchone()
    return int(row[0]) if row else None


def count_events(events: Sequence[Event], canonical_url: str = "") -> int:
    """How many ``events`` rows an article's events make (same cluster and date within it: one)."""
    site = site_of(canonical_url) if canonical_url else None
    return len(
        {
            (cluster_identity(e.unit_kind, e.cluster_number, e.cluster_label, e.system, site), e.event_date)
            for e in events
        }
    )


#: A plain http(s) URL whose host is already lower-case ASCII with no port nor user: its host is the
#: text between "//" and the first "/", "?" or "#" (what ``urlsplit`` finds, at a tenth of the cost).
_PLAIN_HOST = re.compile(r"https?://([a-z0-9.-]+)(?:[/?#]|$)")


@lru_cache(maxsize=1024)
def site_of(canonical_url: str) -> str:
    """The host that stands for the system of a cluster whose system is unknown: ``extract.sources.
    host_of`` ("www." and "m." dropped). Cached, as storing an article asks twice (events count, events)."""
    plain = _PLAIN_HOST.match(canonical_url)
    if plain is None or "\t" in canonical_url or "\n" in canonical_url or "\r" in canonical_url:
        return host_of(canonical_url)
    return plain.group(1).removeprefix("www.").removeprefix("m.")


def event_key(cluster: int, event_date: dt.date | None, canonical_url: str) -> str:
    """The identity of a meeting: cluster + date, or cluster + article when the date is unknown."""
    return f"{cluster}|{event_date.isoformat()}" if event_date else f"{cluster}|{canonical_url}"


class Report(NamedTuple):
    """What one article says about one meeting (an ``event_reports`` row, JSON columns as lists).

    A named tuple, not a frozen dataclass: one is made for every report stored, and a frozen
    dataclass's ``__init__`` (a ``object.__setattr__`` per field) costs several times a tuple's.
    """

    cluster_label: str
    system: str | None
    event_date: str | None
    date_text: str | None
    covenant_year: int | None
    location: str | None
    activities: list[str]
    members: list[list[Any]]  # [name, role]
    officials: list[list[Any]]  # [name, title]

    @classmethod
    def of(cls, group: list[Event]) -> Report:
        """The report of the events of one article that make one meeting (usually one event)."""
        first = group[0]
        if len(group) == 1:
            return cls(
                display_name(first.cluster_label),
                first.system,
                iso(first.event_date),
                first.date_text,
                first.covenant_year,
                first.location,
                [a for a in ACTIVITIES if a in first.activities],
                [[m.name, m.role] for m in first.members],
                [[o.name, o.title] for o in first.officials],
            )
        found = {a for e in group for a in e.activities}
        return cls(
            cluster_label=display_name(first.cluster_label),
            system=first.system,
            event_date=iso(first.event_date),
            date_text=_first(e.date_text for e in group),
            covenant_year=_first(e.covenant_year for e in group),
            location=_first(e.location for e in group),
            activities=[a for a in ACTIVITIES if a in found],
            members=[[m.name, m.role] for e in group for m in e.members],
            officials=[[o.name, o.title] for e in group for o in e.officials],
        )

    @classmethod
    def stored(cls, row: Sequence[Any]) -> Report:
        """A report read back from ``event_reports`` (columns in ``_REPORT_COLUMNS`` order)."""
        label, system, day, text, year, place, activities, members, officials = row
        return cls(
            label,
            system,
            day,
            text,
            year,
            place,
            json.loads(activities),
            json.loads(members),
            json.loads(officials),
        )

    def row(self) -> list[Any]:
        """Column values for ``event_reports``, from cluster_label to officials."""
        return [
            self.cluster_label,
            self.system,
            self.event_date,
            self.date_text,
            self.covenant_year,
            self.location,
            activities_json(tuple(self.activities)),
            pairs_json(self.members),
            pairs_json(self.officials),
        ]


_REPORT_COLUMNS = (
    "cluster_label, system, event_date, date_text, covenant_year, location, activities, members, officials"
)


class Merged(NamedTuple):
    """An event as the union of its reports: column values, then member and official rows (a named
    tuple, as ``Report``)."""

    columns: list[Any]  # date_text, covenant_year, location, activities, year, province, named, month
    members: dict[int, list[Any]]
    officials: dict[int, list[Any]]
    event_date: str | None

    def member_rows(self, event_id: int) -> list[tuple[int, int, str | None, int]]:
        """``event_members`` rows of ``event_id``."""
        return _rows(event_id, self.members)

    def official_rows(self, event_id: int) -> list[tuple[int, int, str | None, int]]:
        """``event_officials`` rows of ``event_id``."""
        return _rows(event_id, self.officials)


def _rows(event_id: int, entities: dict[int, list[Any]]) -> list[tuple[int, int, str | None, int]]:
    """(event id, entity id, role or title, position) rows of a merged event's units or people: the
    [detail, position] pairs transposed and zipped in C (a comprehension unpacking each pair cost
    twice as much, for every member row of a bulk load)."""
    if not entities:
        return []
    details, positions = zip(*entities.values(), strict=True)
    return list(zip(repeat(event_id), entities, details, positions))


def _insert_people(
    database: sqlite_utils.Database,
    members: list[tuple[int, int, str | None, int]],
    officials: list[tuple[int, int, str | None, int]],
) -> None:
    """Insert member and official rows."""
    if members:
        database.conn.executemany(
            "INSERT INTO event_members (event_id, unit_id, role, position) VALUES (?, ?, ?, ?)", members
        )
    if officials:
        database.conn.executemany(
            "INSERT INTO event_officials (event_id, person_id, title, position) VALUES (?, ?, ?, ?)",
            officials,
        )


def refresh_event(database: sqlite_utils.Database, event_id: int) -> None:
    """Recompute an event from its reports (first stored article first), or delete it if it has none.

    The analyst's corrections of the event (``corrections``) are laid over what the reports say.
    """
    rows = database.conn.execute(
        f"SELECT {_REPORT_COLUMNS} FROM event_reports WHERE event_id = ? ORDER BY article_id", [event_id]
    ).fetchall()
    if not rows:
        database.conn.execute("DELETE FROM events WHERE id = ?", [event_id])
        return
    merged = merge_reports(database, id_cache(database), [Report.stored(r) for r in rows])
    database.conn.execute(
        "UPDATE events SET date_text = ?, covenant_year = ?, location = ?, activities = ?, year = ?, "
        "province = ?, province_named = ?, month = ?, event_date = ? WHERE id = ?",
        [*merged.columns, merged.event_date, event_id],
    )
    apply_corrections(database.conn, event_id)
    database.conn.execute("DELETE FROM event_members WHERE event_id = ?", [event_id])
    database.conn.execute("DELETE FROM event_officials WHERE event_id = ?", [event_id])
    batch = member_years_batch(database)
    if batch is not None:  # the event's cluster and year as the members are written, corrections included
        sql = "SELECT cluster_id, year FROM events WHERE id = ?"
        cluster, year = database.conn.execute(sql, [event_id]).fetchone()
        batch.add(cluster, year, merged.members)
    _insert_people(database, merged.member_rows(event_id), merged.official_rows(event_id))


def merge_reports(database: sqlite_utils.Database, cache: IdCache, reports: Sequence[Report]) -> Merged:
    """The union of an event's reports, names resolved to entity ids within the event's province."""
    if len(reports) == 1:
        only = reports[0]
        activities = only.activities
        date_text, covenant_year, location, event_date = (
            only.date_text, only.covenant_year, only.location, only.event_date,
        )  # fmt: skip
    else:
        found = {a for r in reports for a in r.activities}
        activities = [a for a in ACTIVITIES if a in found]
        date_text = _first(r.date_text for r in reports)
        covenant_year = _first(r.covenant_year for r in reports)
        location = _first(r.location for r in reports)
        event_date = _usual_date(r.event_date for r in reports)
    system = reports[0].system if len(reports) == 1 else _first(r.system for r in reports)
    whose = event_province(
        canonical_system(system) if system else None, [m[0] for r in reports for m in r.members], location
    )
    province = whose.now if whose else None
    members: dict[int, list[Any]] = {}
    officials: dict[int, list[Any]] = {}
    # Ids by (name, province) beside the cache's identity keys (same lifetime, so the same validity):
    # the key functions and the cache's two levels cost more than the rest of a member's merge.
    units, units_new = cache.levels("units")
    people, people_new = cache.levels("people")
    for report in reports:
        for name, role in report.members:
            scope = province or unit_province(name)
            uid = units.get((name, scope)) or units_new.get((name, scope))
            if uid is None:
                uid = unit_id(database, name, cache, province=scope)
                cache.put("units", (name, scope), uid)
            _merge(members, uid, role)
        for name, title in report.officials:
            pid = people.get((name, province)) or people_new.get((name, province))
            if pid is None:
                pid = person_id(database, name, cache, province=province)
                cache.put("people", (name, province), pid)
            _merge(officials, pid, title)
    year = covenant_year if covenant_year is not None else (int(event_date[:4]) if event_date else None)
    columns = [date_text, covenant_year, location, activities_json(tuple(activities)), year]
    columns += [whose.now, whose.named] if whose else [None, None]
    columns.append(event_date[:7] if event_date else None)
    return Merged(columns, members, officials, event_date)


@lru_cache(maxsize=256)
def activities_json(activities: tuple[str, ...]) -> str:
    """``compact_json`` of activities: ``("review", "signing")`` → ``'["review","signing"]'`` (cached:
    a few dozen lists, written for every report and event)."""
    return compact_json(list(activities))


def _usual_date(dates: Iterable[str | None]) -> str | None:
    """The date most reports give (the earliest of a tie), so the order of storing does not matter."""
    counts = Counter(d for d in dates if d)
    if not counts:
        return None
    top = max(counts.values())
    return min(d for d, n in counts.items() if n == top)


def _merge(into: dict[int, list[Any]], key: int, detail: str | None) -> None:
    """Add an entity to an ordered union: first position kept, first non-empty role/title kept."""
    if key not in into:
        into[key] = [detail, len(into)]
    elif into[key][0] is None and detail is not None:
        into[key][0] = detail


def _first(values: Any) -> Any:
    """The first value that is not None (None if all are)."""
    return next((v for v in values if v is not None), None)
