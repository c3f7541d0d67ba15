"""Which stored event a report is about: the same meeting reported by two sites is one event.

A report of cluster C dated D is the event of C that a report already dated D (same cluster, same
day: the rule since version 1), else the event of C dated D ± 1 day that shares a member unit (sites
round an evening meeting to the next day's paper). An undated report is the event of C dated within
its article's window (``WINDOW_BEFORE`` days before publication up to the day after) whose
activities it shares; a dated event created later takes in the undated reports it would have matched,
so the outcome does not depend on the order articles are stored in.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable

#: How many days before its publication an undated article may report a meeting.
WINDOW_BEFORE = 7


def _day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso[:10])


def _shares(activities: Iterable[str], stored: str) -> bool:
    """True when either side names no activity or both name one in common."""
    mine = set(activities)
    theirs = set(json.loads(stored))
    return not mine or not theirs or bool(mine & theirs)


def publication_day(conn: sqlite3.Connection, article_id: int) -> dt.date | None:
    """The article's publication day in its own offset (as stored), or None when unknown."""
    row = conn.execute("SELECT published FROM articles WHERE id = ?", [article_id]).fetchone()
    return _day(row[0]) if row and row[0] else None


def find_event(
    conn: sqlite3.Connection,
    cluster: int,
    event_date: str | None,
    activities: Iterable[str],
    units: set[int],
    published: dt.date | None,
) -> int | None:
    """The id of the stored event this report is about, or None when it is a meeting not seen yet."""
    if event_date is None:
        if published is None:
            return None
        low, high = published - dt.timedelta(days=WINDOW_BEFORE), published + dt.timedelta(days=1)
        rows = conn.execute(
            "SELECT id, activities FROM events WHERE cluster_id = ? AND event_date BETWEEN ? AND ? "
            "ORDER BY event_date DESC, id",
            [cluster, low.isoformat(), high.isoformat()],
        ).fetchall()
        wanted = list(activities)
        return next((int(r[0]) for r in rows if _shares(wanted, r[1])), None)
    day = _day(event_date)
    low, high = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    rows = conn.execute(
        "SELECT id, event_date, EXISTS (SELECT 1 FROM event_reports r WHERE r.event_id = e.id "
        "AND r.event_date = ?) FROM events e WHERE cluster_id = ? AND event_date BETWEEN ? AND ? "
        "ORDER BY event_date, id",
        [event_date, cluster, low.isoformat(), high.isoformat()],
    ).fetchall()
    exact = next((int(r[0]) for r in rows if r[1] == event_date or r[2]), None)
    if exact is not None or not units:
        return exact
    for row in rows:
        members = {
            int(u[0]) for u in conn.execute("SELECT unit_id FROM event_members WHERE event_id = ?", [row[0]])
        }
        if members & units:
            return int(row[0])
    return None


def absorb_undated(
    conn: sqlite3.Connection, cluster: int, event_id: int, event_date: str, activities: Iterable[str]
) -> list[int]:
    """Move into a new dated event the undated reports of its cluster that it would have matched.

    Returns the ids of the undated events emptied (to be refreshed, hence deleted, by the caller).
    """
    day = _day(event_date)
    rows = conn.execute(
        "SELECT e.id, e.activities, max(a.published), min(a.published) FROM events e "
        "JOIN event_reports r ON r.event_id = e.id JOIN articles a ON a.id = r.article_id "
        "WHERE e.cluster_id = ? AND e.event_date IS NULL AND e.id != ? GROUP BY e.id",
        [cluster, event_id],
    ).fetchall()
    wanted = list(activities)
    moved = []
    for undated, stored, latest, earliest in rows:
        if not latest or not earliest:
            continue
        first, last = _day(earliest), _day(latest)
        in_window = day - dt.timedelta(days=1) <= first and last <= day + dt.timedelta(days=WINDOW_BEFORE)
        if in_window and _shares(wanted, stored):
            conn.execute(
                "UPDATE OR IGNORE event_reports SET event_id = ? WHERE event_id = ?", [event_id, undated]
            )
            moved.append(int(undated))
    return moved
