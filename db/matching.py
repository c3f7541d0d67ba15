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
from dataclasses import dataclass

#: How many days before its publication an undated article may report a meeting.
WINDOW_BEFORE = 7


def day_of(iso: str) -> dt.date:
    """The day of an ISO date or datetime text: ``day_of("2025-01-14T20:00:00+07:00")`` → 2025-01-14."""
    return dt.date.fromisoformat(iso[:10])


def shares(activities: Iterable[str], stored: str) -> bool:
    """True when either side names no activity or both name one in common."""
    mine = set(activities)
    theirs = set(json.loads(stored))
    return not mine or not theirs or bool(mine & theirs)


def publication_day(conn: sqlite3.Connection, article_id: int) -> dt.date | None:
    """The article's publication day in its own offset (as stored), or None when unknown."""
    row = conn.execute("SELECT published FROM articles WHERE id = ?", [article_id]).fetchone()
    return day_of(row[0]) if row and row[0] else None


@dataclass(frozen=True)
class Match:
    """The stored event a report is about (``event_id``, None for a new meeting), and the undated
    events of its cluster (id, activities) a new dated event may take in."""

    event_id: int | None
    undated: tuple[tuple[int, str], ...] = ()


def find_event(
    conn: sqlite3.Connection,
    cluster: int,
    event_date: str | None,
    activities: Iterable[str],
    units: set[int],
    published: dt.date | None,
) -> Match:
    """The stored event this report is about, or ``Match(None, …)`` when it is a meeting not seen yet."""
    if event_date is None:
        if published is None:
            return Match(None)
        low, high = published - dt.timedelta(days=WINDOW_BEFORE), published + dt.timedelta(days=1)
        rows = conn.execute(
            "SELECT id, activities FROM events WHERE cluster_id = ? AND event_date BETWEEN ? AND ? "
            "ORDER BY event_date DESC, id",
            [cluster, low.isoformat(), high.isoformat()],
        ).fetchall()
        wanted = list(activities)
        return Match(next((int(r[0]) for r in rows if shares(wanted, r[1])), None))
    day = day_of(event_date)
    low, high = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    # The neighbouring days' events, then (for a new meeting only) the cluster's undated events whose
    # articles were all published in this report's window (``undated_windows``, schema v9): two
    # ranges of two keys, however many events the cluster has.
    dated = conn.execute(
        "SELECT id, event_date, activities, EXISTS (SELECT 1 FROM event_reports r "
        "WHERE r.event_id = e.id AND r.event_date = ?) FROM events e "
        "WHERE cluster_id = ? AND event_date BETWEEN ? AND ? ORDER BY event_date, id",
        [event_date, cluster, low.isoformat(), high.isoformat()],
    ).fetchall()
    exact = next((int(r[0]) for r in dated if r[1] == event_date or r[3]), None)
    if exact is not None:
        return Match(exact)
    sql = "SELECT unit_id FROM event_members WHERE event_id = ?"
    for row in dated if units else ():
        if {int(u[0]) for u in conn.execute(sql, [row[0]])} & units:
            return Match(int(row[0]))
    first, last = day - dt.timedelta(days=1), day + dt.timedelta(days=WINDOW_BEFORE)
    undated = tuple(
        (int(r[0]), str(r[1]))
        for r in conn.execute(
            "SELECT w.event_id, e.activities FROM undated_windows w JOIN events e ON e.id = w.event_id "
            "WHERE w.cluster_id = ? AND w.first_day BETWEEN ? AND ? AND w.last_day <= ? ORDER BY w.event_id",
            [cluster, first.isoformat(), last.isoformat(), last.isoformat()],
        )
    )
    return Match(None, undated)


def absorb_undated(
    conn: sqlite3.Connection, event_id: int, activities: Iterable[str], undated: Iterable[tuple[int, str]]
) -> list[int]:
    """Move into a new dated event the undated events of its cluster, within its window, that share
    an activity with it. Returns the ids of the undated events emptied (to be refreshed, hence
    deleted, by the caller)."""
    wanted = list(activities)
    moved = []
    for undated_id, stored in undated:
        if shares(wanted, stored):
            sql = "UPDATE OR IGNORE event_reports SET event_id = ? WHERE event_id = ?"
            conn.execute(sql, [event_id, undated_id])
            moved.append(undated_id)
    return moved
