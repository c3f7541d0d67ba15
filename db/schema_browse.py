"""Version 7 of the schema: what makes the analyst views answer in well under a second on 100,000 events.

Datasette shows a view's first 50 rows and counts all of them. ``members_by_year`` grouped every
member row of every event before its first row (≈ 4 s on 100k events, over the 3 s limit when the
machine is busy) and its count did it again; ``officials_appearances`` joined four tables, which SQLite
cannot flatten into the count, so counting walked 300,000 rows through three lookups each (≈ 1 s).

- ``member_years`` holds each (cluster, year, unit) that has a member row: the rows of
  ``members_by_year`` exist before anyone asks, and the view fills the role and the number of meetings
  of the 50 rows shown from the ``events (year, cluster_id)`` index. Triggers add a key whenever a
  member row is written or an event changes cluster or year; they never delete (a write that removes
  the last member of a key would need a scan to find out), so the view keeps only keys that still have
  a member row, checked through the same index. Rows not yet shown cost nothing; filters on
  ``cluster_id``, ``unit_id`` or ``year`` use the table's key and indexes.
- ``officials_appearances`` scans events first (``CROSS JOIN`` fixes that order: SQLite would otherwise
  look every event up once per official, three times slower) and takes person, cluster and article
  through correlated subqueries, computed only for the rows shown.

A later migration that rebuilds ``events`` or ``event_members`` must make these triggers again.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from itertools import repeat

import sqlite_utils

from db.schema import _ACTIVITIES_TEXT, _FIRST_URL

#: The year of a key whose meetings have none: a primary key cannot hold NULL.
NO_YEAR = 0

# One B-tree lookup per member row written (INSERT OR IGNORE on the primary key). The outer
# statements (db.events) carry no conflict clause, so the triggers' OR IGNORE holds (SQLite lets an
# outer OR clause replace it; OR IGNORE or OR REPLACE outside would do no harm either).
V7_MEMBER_YEARS: tuple[str, ...] = (
    """
CREATE TABLE member_years (
    cluster_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, year, unit_id)
) WITHOUT ROWID
""",
    "CREATE INDEX member_years_unit ON member_years (unit_id)",
    f"""
INSERT INTO member_years (cluster_id, year, unit_id)
    SELECT DISTINCT e.cluster_id, coalesce(e.year, {NO_YEAR}), m.unit_id
    FROM event_members m JOIN events e ON e.id = m.event_id
""",
    f"""
CREATE TRIGGER member_years_member_added AFTER INSERT ON event_members BEGIN
    INSERT OR IGNORE INTO member_years (cluster_id, year, unit_id)
    SELECT e.cluster_id, coalesce(e.year, {NO_YEAR}), NEW.unit_id FROM events e WHERE e.id = NEW.event_id;
END
""",
    f"""
CREATE TRIGGER member_years_member_moved AFTER UPDATE OF event_id, unit_id ON event_members
WHEN OLD.event_id IS NOT NEW.event_id OR OLD.unit_id IS NOT NEW.unit_id BEGIN
    INSERT OR IGNORE INTO member_years (cluster_id, year, unit_id)
    SELECT e.cluster_id, coalesce(e.year, {NO_YEAR}), NEW.unit_id FROM events e WHERE e.id = NEW.event_id;
END
""",
    f"""
CREATE TRIGGER member_years_event_added AFTER INSERT ON events BEGIN
    INSERT OR IGNORE INTO member_years (cluster_id, year, unit_id)
    SELECT NEW.cluster_id, coalesce(NEW.year, {NO_YEAR}), m.unit_id FROM event_members m
    WHERE m.event_id = NEW.id;
END
""",
    f"""
CREATE TRIGGER member_years_event_moved AFTER UPDATE OF id, cluster_id, year ON events
WHEN OLD.id IS NOT NEW.id OR OLD.cluster_id IS NOT NEW.cluster_id OR OLD.year IS NOT NEW.year BEGIN
    INSERT OR IGNORE INTO member_years (cluster_id, year, unit_id)
    SELECT NEW.cluster_id, coalesce(NEW.year, {NO_YEAR}), m.unit_id FROM event_members m
    WHERE m.event_id = NEW.id;
END
""",
)

#: The triggers that add keys when a row is inserted: a bulk load suspends them (``MemberYearsBatch``).
INSERT_TRIGGERS = ("member_years_member_added", "member_years_event_added")


class MemberYearsBatch:
    """Within a bulk load's transaction, ``member_years`` kept by storage instead of per-row triggers.

    The insert triggers cost a lookup and a B-tree probe per member row (+20–30 % of a bulk insert),
    while 100,000 events have ~600,000 member rows but only ~15,000 keys. Inside the batch's
    transaction the two insert triggers are dropped; storage hands each member row's key (the event's
    cluster and year at the moment the row is written, as the trigger would read them) to ``add``,
    and the distinct keys are inserted at the end, where the triggers are re-created with their
    exact SQL. A failure rolls all of it back, triggers included. The update triggers stay. An event
    row is always inserted before its members (whose rows a deleted event takes with it), so the
    event trigger never had a key to add during storage.
    """

    def __init__(self, database: sqlite_utils.Database) -> None:
        self.database = database
        self.conn = database.conn
        self.triggers: list[str] = []
        self.keys: set[tuple[int, int, int]] = set()

    def __enter__(self) -> MemberYearsBatch:
        names = ", ".join("?" for _ in INSERT_TRIGGERS)
        sql = (
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names}) ORDER BY name"
        )
        rows = self.conn.execute(sql, INSERT_TRIGGERS).fetchall()
        if len(rows) == len(INSERT_TRIGGERS):  # else an older schema (before v7): nothing to keep
            for name, _ in rows:
                self.conn.execute(f"DROP TRIGGER {name}")
            self.triggers = [str(text) for _, text in rows]
            _ACTIVE[self.database] = self
        return self

    def add(self, cluster: int, year: int | None, units: Iterable[int]) -> None:
        """Remember the keys of member rows of ``units`` written for an event of ``cluster`` in ``year``."""
        when = NO_YEAR if year is None else year
        # zip over repeat: the tuples are made in C (a generator expression was 4 % of a bulk load).
        self.keys.update(zip(repeat(cluster), repeat(when), units))

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        _ACTIVE.pop(self.database, None)
        if kind is None and self.triggers:
            self.conn.executemany(
                "INSERT OR IGNORE INTO member_years (cluster_id, year, unit_id) VALUES (?, ?, ?)",
                sorted(self.keys),
            )
            for text in self.triggers:
                self.conn.execute(text)


_ACTIVE: weakref.WeakKeyDictionary[sqlite_utils.Database, MemberYearsBatch] = weakref.WeakKeyDictionary()


def member_years_batch(database: sqlite_utils.Database) -> MemberYearsBatch | None:
    """The bulk load open on ``database`` that keeps ``member_years`` itself, or None (the triggers do)."""
    return _ACTIVE.get(database)


#: The member rows of one ``member_years`` key ``k`` (through the ``events (year, cluster_id)`` index).
_KEY_MEMBERS = f"""FROM events e JOIN event_members m ON m.event_id = e.id AND m.unit_id = k.unit_id
        WHERE e.year IS nullif(k.year, {NO_YEAR}) AND e.cluster_id = k.cluster_id"""

V7_VIEWS: dict[str, str] = {
    "members_by_year": f"""
SELECT
    nullif(k.year, {NO_YEAR}) AS year,
    c.label AS cluster,
    k.cluster_id AS cluster_id,
    c.system AS system,
    c.kind AS kind,
    c.number AS number,
    u.name AS unit,
    k.unit_id AS unit_id,
    (SELECT group_concat(DISTINCT m.role) {_KEY_MEMBERS}) AS role,
    (SELECT count(*) {_KEY_MEMBERS}) AS events
FROM member_years k
JOIN clusters c ON c.id = k.cluster_id
JOIN units u ON u.id = k.unit_id
WHERE EXISTS (SELECT 1 {_KEY_MEMBERS})""",
    "officials_appearances": f"""
SELECT
    (SELECT p.name FROM people p WHERE p.id = o.person_id) AS person,
    o.person_id AS person_id,
    o.title AS title,
    e.event_date AS event_date,
    e.year AS year,
    (SELECT c.label FROM clusters c WHERE c.id = e.cluster_id) AS cluster,
    e.cluster_id AS cluster_id,
    e.id AS event_id,
    {_ACTIVITIES_TEXT} AS activities,
    {_FIRST_URL} AS article_url
FROM events e CROSS JOIN event_officials o ON o.event_id = e.id""",
}
