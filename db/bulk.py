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
flush, unless the pending event is the one of its very day, which it joins in memory (re-merged as
``refresh_event`` would). A report that joins or takes in a *stored* event (none pending in reach)
is written at once with its article, ids as counted, and the stored events re-merged
(``refresh_event``); the pending rows are none of their business. A known URL, a URL met twice in
the batch, or a second report of one article touching stored events take the usual path after a
flush. Entities (clusters, units, people) are still inserted at once: they are cached and rare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from db.entities import cluster_id
from db.events import Merged, Report, event_key, merge_reports, refresh_event, site_of
from db.matching import WINDOW_BEFORE, absorb_undated, day_of, find_event, shares
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

    ``events`` / ``members`` / ``officials``: rows by event id (a pending event a later report of
    the same day joins is merged again in memory, as ``refresh_event`` would); ``reports``: the
    reports of each pending event, in article order; ``dated`` / ``undated``: cluster id → day
    number → event id of its pending dated events / of its pending undated events by their
    article's publication day (those with one: the only ones matching can reach).
    """

    database: sqlite_utils.Database
    articles: list[tuple[Any, ...]] = field(default_factory=list)
    events: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    links: list[tuple[Any, ...]] = field(default_factory=list)  # event_reports rows
    members: dict[int, list[tuple[int, int, str | None, int]]] = field(default_factory=dict)
    officials: dict[int, list[tuple[int, int, str | None, int]]] = field(default_factory=dict)
    reports: dict[int, tuple[str, int, list[Report]]] = field(default_factory=dict)  # key, cluster
    dated: dict[int, dict[int, int]] = field(default_factory=dict)
    undated: dict[int, dict[int, int]] = field(default_factory=dict)
    next_article: int | None = None
    next_event: int | None = None

    def flush(self) -> None:
        """Write every pending row (one ``executemany`` per table, parents first) and forget them."""
        conn = self.database.conn
        tables = (
            ("articles", self.articles),
            ("events", list(self.events.values())),
            ("reports", self.links),
            ("members", [row for rows in self.members.values() for row in rows]),
            ("officials", [row for rows in self.officials.values() for row in rows]),
        )
        for name, rows in tables:
            if rows:
                conn.executemany(_INSERTS[name], rows)
        for pending in (self.articles, self.events, self.links, self.members, self.officials, self.reports):
            pending.clear()
        self.dated.clear()
        self.undated.clear()

    def forget_ids(self) -> None:
        """Rows were written (or deleted) the usual way: count the next ids from the file again."""
        self.next_article = self.next_event = None

    def in_reach(self, cluster: int, day: int, dated: bool) -> bool:
        """True when a pending event of ``cluster`` could be the match of, or be taken in by, a report
        of day number ``day`` (``dated``), or of an undated one published that day."""
        return _in_reach(self.dated, self.undated, cluster, day, dated)

    def same_day(self, cluster: int, day: int) -> int | None:
        """The pending event of ``cluster`` on day number ``day``, or None.

        It is the match of a report of that day when no stored event is (``find_event`` takes an
        event of the day before any other): the file has not changed since that event was planned,
        when no stored event was of its day or had a report of it, and a pending event only has
        reports of its own day, so no other pending event can come first either.
        """
        days = self.dated.get(cluster)
        return days.get(day) if days else None

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
    dated: dict[int, dict[int, int]],
    undated: dict[int, dict[int, int]],
    cluster: int,
    day: int | None,
    is_dated: bool,
) -> bool:
    """``PendingRows.in_reach`` over the given day lists."""
    if day is None:
        return False  # an undated report of an article with no day matches nothing
    # A few day lookups (a cluster has a handful of pending events, a batch hundreds of clusters).
    days = dated.get(cluster, {})
    if not is_dated:
        low, high = _DATED_FROM_UNDATED
        return bool(days) and any(day + k in days for k in range(low, high + 1))
    low, high = _DATED_REACH
    if days and any(day + k in days for k in range(low, high + 1)):
        return True
    published = undated.get(cluster, {})
    low, high = _UNDATED_REACH
    return bool(published) and any(day + k in published for k in range(low, high + 1))


#: A report of a new article: (key, cluster, report, merged, day number, the pending event of the
#: same day it joins, the stored event it joins, the stored undated events its new event takes in;
#: a new event when the three are None, None, ()). A plain tuple: one is made per report.
_Planned = tuple[str, int, Report, Merged, int | None, int | None, int | None, tuple[tuple[int, str], ...]]


def add_new_article(
    pending: PendingRows,
    values: dict[str, Any],
    events: Sequence[Event],
    batch: MemberYearsBatch | None,
) -> tuple[int, int, int] | None:
    """Add a new article (its ``articles`` column ``values``) and its events to ``pending``.

    Returns (article id, events reported, events created), or None, having written nothing, when
    one of its reports lies within reach of a pending event other than the one of its day, or more
    than one joins or takes in stored events: then the caller flushes and stores the article the
    usual way (``store_article``'s path, which finds the same entities, already inserted, in the
    cache). An article with one report touching stored events is written at once (see the module).
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
    writes = False  # a report of this article joins or takes in a stored event
    dated: dict[int, dict[int, int]] = {}  # this article's own new events, which its next
    undated: dict[int, dict[int, int]] = {}  # reports can reach (event ids unknown yet: 0)
    for key, (cid, group) in groups.items():
        report = Report.of(group)
        merged = merge_reports(database, cache, [report])
        when = report.event_date
        # The event's day number, or the article's publication day's for an undated report.
        day = day_of(when).toordinal() if when else (published.toordinal() if published else None)
        is_dated = when is not None
        if _in_reach(dated, undated, cid, day, is_dated):
            return None
        joins = None
        if day is not None and pending.in_reach(cid, day, is_dated):
            joins = pending.same_day(cid, day) if is_dated else None
            if joins is None:
                return None
        match = find_event(conn, cid, when, report.activities, set(merged.members), published)
        # A report that joins or takes in a stored event is written at once, with its article (one
        # such report per article: a second one's matching could see the first one's writes).
        if match.event_id is not None:
            if joins is not None or writes:
                return None
            writes = True
            planned.append((key, cid, report, merged, day, None, match.event_id, ()))
            continue
        takes: tuple[tuple[int, str], ...] = ()
        if joins is None:
            if is_dated and any(shares(report.activities, stored) for _, stored in match.undated):
                if writes:
                    return None
                writes, takes = True, match.undated
            if conn.execute("SELECT 1 FROM events WHERE key = ?", [key]).fetchone():
                return None  # the key is taken (an event whose date moved): the usual path picks another
            if day is not None:
                (dated if is_dated else undated).setdefault(cid, {})[day] = 0
        planned.append((key, cid, report, merged, day, joins, None, takes))
    article_id, event_id = pending.ids()
    row = (article_id, *[values[name] for name in _ARTICLE_COLUMNS])
    if writes:
        conn.execute(_INSERTS["articles"], row)  # its explicit id leaves the pending ones theirs
    else:
        pending.articles.append(row)
    created = 0
    touched: dict[tuple[bool, int], None] = {}  # (stored, event id) to merge again, in store_article's order
    for position, (key, cid, report, merged, day, joins, stored, takes) in enumerate(planned):
        if joins is not None:
            pending.links.append((joins, article_id, position, *report.row()))
            pending.reports[joins][2].append(report)
            touched[(False, joins)] = None
            continue
        if stored is not None:
            conn.execute(_INSERTS["reports"], (stored, article_id, position, *report.row()))
            touched[(True, stored)] = None
            continue
        event_row = (event_id, key, cid, report.event_date, *merged.columns)
        if batch is not None:
            batch.add(cid, merged.columns[4], merged.members)  # the event's year as inserted
        if takes:  # replace_events' order; its member rows would be replaced by the re-merge anyway
            conn.execute(_INSERTS["events"], event_row)
            emptied = absorb_undated(conn, event_id, report.activities, takes)
            conn.execute(_INSERTS["reports"], (event_id, article_id, position, *report.row()))
            touched.update(dict.fromkeys([(True, e) for e in (*emptied, event_id)]))
        else:
            pending.events[event_id] = event_row
            pending.links.append((event_id, article_id, position, *report.row()))
            pending.members[event_id] = merged.member_rows(event_id)
            pending.officials[event_id] = merged.official_rows(event_id)
            pending.reports[event_id] = (key, cid, [report])
            if day is not None:
                days = pending.dated if report.event_date else pending.undated
                days.setdefault(cid, {})[day] = event_id
        event_id += 1
        created += 1
    for in_file, touched_id in touched:  # after the new events, as replace_events refreshes them
        if in_file:
            refresh_event(database, touched_id)
        else:
            _remerge(pending, touched_id, batch)
    pending.next_article, pending.next_event = article_id + 1, event_id
    return article_id, len(planned), created


def _remerge(pending: PendingRows, event_id: int, batch: MemberYearsBatch | None) -> None:
    """``refresh_event`` of a pending event: its rows again from all its reports (a new event has no
    corrections, and every report of it gives its day, so its date stays)."""
    key, cluster, reports = pending.reports[event_id]
    merged = merge_reports(pending.database, id_cache(pending.database), reports)
    pending.events[event_id] = (event_id, key, cluster, merged.event_date, *merged.columns)
    pending.members[event_id] = merged.member_rows(event_id)
    pending.officials[event_id] = merged.official_rows(event_id)
    if batch is not None:
        batch.add(cluster, merged.columns[4], merged.members)
