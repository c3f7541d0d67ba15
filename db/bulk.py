"""A batch of new articles written as batches: rows pending in memory, one ``executemany`` per table.

``store_articles`` (``db.store``) stores a batch exactly as one ``store_article`` per item would, the
same rows with the same ids. Per statement, SQLite's own work is a third of an event's cost; the
rest is the Python of one ``execute`` per row. So a new article whose reports all make new events
(the common case) does not write: its ``articles``, ``events``, ``event_reports``, ``event_members``
and ``event_officials`` rows are kept in ``PendingRows``, with the ids SQLite would give them
(``max(id) + 1``, counted on), and written together at a **flush**: at the end of the batch, or before
anything that must read or change them.

A report may only skip writing when the pending rows cannot change what ``db.matching.find_event``
answers for it, or for the reports after it: per cluster, the pending dated days and the pending
undated events' publication days are kept, and a report within reach of one of them (±1 day for a
dated report; the undated window, both ways) makes its article take ``store_article``'s path after a
flush, as does an article whose report joins or takes in a stored event (an update), a known URL or
a URL met twice in the batch. Entities (clusters, units, people) are still inserted at once: they
are cached and rare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from db.entities import cluster_id
from db.events import Merged, Report, event_key, merge_reports, site_of
from db.matching import WINDOW_BEFORE, day_of, find_event, shares
from db.schema_browse import MemberYearsBatch
from db.transaction import id_cache
from extract.model import Event

#: Days a pending event's day may lie from a report's day and still change its match: a dated report
#: looks ±1 day for dated events and takes in undated ones published from the day before to
#: ``WINDOW_BEFORE`` days after it; an undated report looks ``WINDOW_BEFORE`` days back, 1 ahead.
_DATED_REACH = (-1, 1)
_UNDATED_REACH = (-1, WINDOW_BEFORE)  # an undated event's publication day, from a dated report's day
_DATED_FROM_UNDATED = (-WINDOW_BEFORE, 1)  # a dated event's day, from an undated report's publication

_ARTICLE_COLUMNS = (
    "url", "canonical_url", "source", "site", "title", "lead", "body", "author", "published", "modified",
    "fetched_at", "language", "content_hash", "captions", "extractor_version", "updated_at",
    "events_count", "folded", "stored_at",
)  # fmt: skip
_INSERTS = {
    "articles": f"INSERT INTO articles (id, {', '.join(_ARTICLE_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in _ARTICLE_COLUMNS)})",
    "events": "INSERT INTO events (id, key, cluster_id, event_date, date_text, covenant_year, location, "
    "activities, year, province, province_named, month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "reports": "INSERT INTO event_reports (event_id, article_id, position, cluster_label, system, "
    "event_date, date_text, covenant_year, location, activities, members, officials) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "members": "INSERT INTO event_members (event_id, unit_id, role, position) VALUES (?, ?, ?, ?)",
    "officials": "INSERT INTO event_officials (event_id, person_id, title, position) VALUES (?, ?, ?, ?)",
}


@dataclass
class PendingRows:
    """The rows of one batch not written yet, the ids they take, and where their events lie.

    ``dated`` / ``undated``: cluster id → the day numbers (``date.toordinal``) of its pending dated
    events / of the publication of its pending undated events (those with a known publication day,
    the only ones matching can reach).
    """

    database: sqlite_utils.Database
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {name: [] for name in _INSERTS})
    dated: dict[int, list[int]] = field(default_factory=dict)
    undated: dict[int, list[int]] = field(default_factory=dict)
    next_article: int | None = None
    next_event: int | None = None

    def flush(self) -> None:
        """Write every pending row (one ``executemany`` per table, parents first) and forget them."""
        conn = self.database.conn
        for name, sql in _INSERTS.items():
            if self.rows[name]:
                conn.executemany(sql, self.rows[name])
                self.rows[name].clear()
        self.dated.clear()
        self.undated.clear()

    def forget_ids(self) -> None:
        """Rows were written (or deleted) the usual way: count the next ids from the file again."""
        self.next_article = self.next_event = None

    def in_reach(self, cluster: int, event_date: str | None, published: dt.date | None) -> bool:
        """True when a pending event of ``cluster`` could be the match of, or be taken in by, a report."""
        return _in_reach(self.dated, self.undated, cluster, event_date, published)

    def ids(self) -> tuple[int, int]:
        """The next article and event ids, read from the file when not counted yet."""
        conn = self.database.conn
        if self.next_article is None:
            self.next_article = int(
                conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]
            )
        if self.next_event is None:
            self.next_event = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0])
        return self.next_article, self.next_event


def _in_reach(
    dated: dict[int, list[int]],
    undated: dict[int, list[int]],
    cluster: int,
    event_date: str | None,
    published: dt.date | None,
) -> bool:
    """``PendingRows.in_reach`` over the given day lists."""
    if event_date is None:
        if published is None:
            return False  # an undated report of an article with no day matches nothing
        day = published.toordinal()
        low, high = _DATED_FROM_UNDATED
        return any(low <= d - day <= high for d in dated.get(cluster, ()))
    day = day_of(event_date).toordinal()
    low, high = _DATED_REACH
    if any(low <= d - day <= high for d in dated.get(cluster, ())):
        return True
    low, high = _UNDATED_REACH
    return any(low <= d - day <= high for d in undated.get(cluster, ()))


@dataclass(frozen=True)
class _Planned:
    """A report of a new article that makes a new event."""

    key: str
    cluster: int
    report: Report
    merged: Merged
    day: int | None  # the event's day number, or the article's publication day's for an undated one


def add_new_article(
    pending: PendingRows,
    values: dict[str, Any],
    events: Sequence[Event],
    batch: MemberYearsBatch | None,
) -> tuple[int, int] | None:
    """Add a new article (its ``articles`` column ``values``) and its events to ``pending``.

    Returns (article id, events reported), or None, having added nothing, when one of its reports
    joins or takes in a stored event, or lies within reach of a pending one: then the caller
    flushes and stores the article the usual way (``store_article``'s path, which finds the same
    entities, already inserted, in the cache).
    """
    database = pending.database
    conn = database.conn
    canonical_url = values["canonical_url"]
    site = site_of(canonical_url)
    groups: dict[str, tuple[int, list[Event]]] = {}
    for event in events:
        cid = cluster_id(
            database, event.unit_kind, event.cluster_number, event.cluster_label, event.system, site
        )
        groups.setdefault(event_key(cid, event.event_date, canonical_url), (cid, []))[1].append(event)
    published = day_of(values["published"]) if values["published"] else None
    cache = id_cache(database)
    planned: list[_Planned] = []
    dated: dict[int, list[int]] = {}  # this article's own new events, which its next reports can reach
    undated: dict[int, list[int]] = {}
    for key, (cid, group) in groups.items():
        report = Report.of(group)
        merged = merge_reports(database, cache, [report])
        when = report.event_date
        if pending.in_reach(cid, when, published) or _in_reach(dated, undated, cid, when, published):
            return None
        match = find_event(conn, cid, when, report.activities, set(merged.members), published)
        if match.event_id is not None:
            return None
        if when is not None and any(shares(report.activities, stored) for _, stored in match.undated):
            return None
        if conn.execute("SELECT 1 FROM events WHERE key = ?", [key]).fetchone():
            return None  # the key is taken (an event whose date moved): the usual path picks another
        day = day_of(when).toordinal() if when else (published.toordinal() if published else None)
        planned.append(_Planned(key, cid, report, merged, day))
        if day is not None:
            (dated if when else undated).setdefault(cid, []).append(day)
    article_id, event_id = pending.ids()
    rows = pending.rows
    rows["articles"].append((article_id, *[values[name] for name in _ARTICLE_COLUMNS]))
    for position, plan in enumerate(planned):
        report, merged = plan.report, plan.merged
        rows["events"].append((event_id, plan.key, plan.cluster, report.event_date, *merged.columns))
        rows["reports"].append((event_id, article_id, position, *report.row()))
        rows["members"] += merged.member_rows(event_id)
        rows["officials"] += merged.official_rows(event_id)
        if batch is not None:
            batch.add(plan.cluster, merged.columns[4], merged.members)  # the event's year as inserted
        if plan.day is not None:
            (pending.dated if report.event_date else pending.undated).setdefault(plan.cluster, []).append(
                plan.day
            )
        event_id += 1
    pending.next_article, pending.next_event = article_id + 1, event_id
    return article_id, len(planned)
