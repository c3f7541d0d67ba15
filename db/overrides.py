"""Analysts' overrides that survive re-extraction: merge one entity into another, correct an event.

``merge(db, "cluster", 12, 7, made_at=...)`` moves everything of cluster 12 to cluster 7, deletes 12
and records its key in ``aliases``, so storage sends every later report of it (a crawl, a
``thidua reextract``) to 7. ``correct(db, 42, "event_date", "2025-03-06", made_at=...)`` records the
value in ``corrections``; storage lays it over the event each time it recomputes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from db.corrections import correction_value
from db.errors import OverrideError
from db.events import refresh_event
from db.schema import MERGEABLE
from db.transaction import id_cache, transaction

# Where each kind's id is used: (link table, its id column).
_LINKS = {"cluster": None, "unit": ("event_members", "unit_id"), "person": ("event_officials", "person_id")}


@dataclass(frozen=True)
class Merged:
    """What a merge did: the row names, and how many events now point at the kept row."""

    kind: str
    from_name: str
    into_name: str
    events: int


def _row(db: sqlite_utils.Database, kind: str, row_id: int) -> tuple[str, str]:
    """(key, shown name) of an entity, or OverrideError naming what is missing."""
    table = MERGEABLE[kind]
    shown = "label" if kind == "cluster" else "name"
    row = db.conn.execute(f"SELECT key, {shown} FROM {table} WHERE id = ?", [row_id]).fetchone()
    if row is None:
        raise OverrideError(f"there is no {kind} {row_id} (see the {table} table)")
    return str(row[0]), str(row[1])


def merge(db: sqlite_utils.Database, kind: str, from_id: int, into_id: int, *, made_at: str) -> Merged:
    """Merge entity ``from_id`` into ``into_id`` (kind cluster, unit or person) in one transaction."""
    if kind not in MERGEABLE:
        raise OverrideError(f"cannot merge {kind!r}: the kinds are {', '.join(MERGEABLE)}")
    if from_id == into_id:
        raise OverrideError(f"{kind} {from_id} cannot be merged into itself")
    with transaction(db):
        from_key, from_name = _row(db, kind, from_id)
        _, into_name = _row(db, kind, into_id)
        conn = db.conn
        conn.execute(
            "INSERT OR REPLACE INTO aliases (kind, from_key, from_name, into_id, made_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [kind, from_key, from_name, into_id, made_at],
        )
        # Earlier merges into the row that goes now follow it.
        conn.execute(
            "UPDATE aliases SET into_id = ? WHERE kind = ? AND into_id = ?", [into_id, kind, from_id]
        )
        link = _LINKS[kind]
        if link is None:
            touched = _move_cluster_events(db, from_id, into_id)
        else:
            table, column = link
            touched = [
                int(r[0]) for r in conn.execute(f"SELECT event_id FROM {table} WHERE {column} = ?", [from_id])
            ]
            conn.execute(f"UPDATE OR IGNORE {table} SET {column} = ? WHERE {column} = ?", [into_id, from_id])
            conn.execute(f"DELETE FROM {table} WHERE {column} = ?", [from_id])
        conn.execute(f"DELETE FROM {MERGEABLE[kind]} WHERE id = ?", [from_id])
        # This process may have the merged row's key cached: forget every key of that table.
        cache = id_cache(db)
        cache.committed[MERGEABLE[kind]].clear()
        cache.pending[MERGEABLE[kind]].clear()
        for event_id in dict.fromkeys(touched):
            refresh_event(db, event_id)
        if link is None:
            (count,) = conn.execute("SELECT count(*) FROM events WHERE cluster_id = ?", [into_id]).fetchone()
        else:
            table, column = link
            (count,) = conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [into_id]).fetchone()
    return Merged(kind, from_name, into_name, int(count))


def _move_cluster_events(db: sqlite_utils.Database, from_id: int, into_id: int) -> list[int]:
    """Give cluster ``into_id`` the events of ``from_id``; a meeting both have on one day becomes one."""
    conn = db.conn
    moved = [
        (int(r[0]), r[1])
        for r in conn.execute("SELECT id, event_date FROM events WHERE cluster_id = ?", [from_id])
    ]
    touched = []
    for event_id, event_date in moved:
        same = None
        if event_date is not None:
            same = conn.execute(
                "SELECT id FROM events WHERE cluster_id = ? AND event_date = ? ORDER BY id LIMIT 1",
                [into_id, event_date],
            ).fetchone()
        if same is None:
            conn.execute("UPDATE events SET cluster_id = ? WHERE id = ?", [into_id, event_id])
            continue
        kept = int(same[0])
        conn.execute("UPDATE OR IGNORE event_reports SET event_id = ? WHERE event_id = ?", [kept, event_id])
        conn.execute("UPDATE OR IGNORE corrections SET event_id = ? WHERE event_id = ?", [kept, event_id])
        conn.execute("DELETE FROM event_reports WHERE event_id = ?", [event_id])
        touched += [event_id, kept]
    return touched


def correct(db: sqlite_utils.Database, event_id: int, field: str, value: str, *, made_at: str) -> str | None:
    """Record that event ``event_id``'s ``field`` is ``value`` (empty: none), apply it, return it."""
    stored = correction_value(field, value)
    with transaction(db):
        if db.conn.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone() is None:
            raise OverrideError(f"there is no event {event_id} (see events_view)")
        db.conn.execute(
            "INSERT OR REPLACE INTO corrections (event_id, field, value, made_at) VALUES (?, ?, ?, ?)",
            [event_id, field, stored, made_at],
        )
        refresh_event(db, event_id)
    return stored


def uncorrect(db: sqlite_utils.Database, event_id: int, field: str) -> bool:
    """Drop the correction of ``field`` on ``event_id`` (the reports' value comes back); False if none."""
    with transaction(db):
        cursor = db.conn.execute(
            "DELETE FROM corrections WHERE event_id = ? AND field = ?", [event_id, field]
        )
        if cursor.rowcount:
            refresh_event(db, event_id)
    return bool(cursor.rowcount)
