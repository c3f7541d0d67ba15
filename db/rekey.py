"""Rebuild every event and entity from the stored reports, under the current identity rules.

Used by the version-6 migration (systems in their one spelling, systemless clusters per site,
units and people within their province, one event per meeting across sites). Every article and
every report is kept: the reports are read back as ``Event`` records (kind and number from their
old cluster), the derived tables emptied, and the reports stored again article by article, the way
storage would have stored them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import sqlite_utils

from db.entities import cluster_identity
from db.events import replace_events
from db.transaction import id_cache
from extract.model import Event, Member, Official
from extract.sources import host_of

_DERIVED = ("event_members", "event_officials", "event_reports", "events", "clusters", "units", "people")


def rekey_entities(db: sqlite_utils.Database) -> int:
    """Re-store every article's reports under the current keys (inside the caller's transaction).

    Returns how many events the file has afterwards.
    """
    # What a report left out, its event says (the event was merged from the reports).
    rows = db.conn.execute(
        "SELECT r.article_id, a.canonical_url, c.id, c.label, c.kind, c.number, r.cluster_label, "
        "coalesce(r.system, c.system), coalesce(r.event_date, e.event_date), "
        "coalesce(r.date_text, e.date_text), coalesce(r.covenant_year, e.covenant_year), "
        "coalesce(r.location, e.location), CASE WHEN r.activities = '[]' THEN e.activities "
        "ELSE r.activities END, r.members, r.officials "
        "FROM event_reports r JOIN events e ON e.id = r.event_id JOIN clusters c ON c.id = e.cluster_id "
        "JOIN articles a ON a.id = r.article_id ORDER BY r.article_id, r.position"
    ).fetchall()
    by_article: dict[tuple[int, str], list[Event]] = defaultdict(list)
    labels: dict[str, tuple[int, str]] = {}  # new cluster key → (old id, old label) shown before
    for article_id, url, old, shown, kind, number, label, system, *rest in rows:
        day, text, year, place, acts, members, people = rest
        key = cluster_identity(kind, number, label, system, host_of(url))
        labels[key] = min(labels.get(key, (old, shown)), (old, shown))
        by_article[(article_id, url)].append(
            Event(
                activities=tuple(json.loads(acts)),
                unit_kind=kind,
                cluster_number=number,
                cluster_label=label,
                system=system,
                event_date=dt.date.fromisoformat(day) if day else None,
                date_text=text,
                covenant_year=year,
                location=place,
                members=tuple(Member(n, r) for n, r in json.loads(members)),
                officials=tuple(Official(n, t) for n, t in json.loads(people)),
            )
        )
    for table in _DERIVED:
        db.conn.execute(f"DELETE FROM {table}")
    cache = id_cache(db)
    cache.committed.clear()
    cache.pending.clear()
    db.conn.execute("UPDATE articles SET events_count = 0")
    for (article_id, url), events in by_article.items():
        count, _ = replace_events(db, article_id, url, events, known=False)
        db.conn.execute("UPDATE articles SET events_count = ? WHERE id = ?", [count, article_id])
    # A cluster is shown as it was before (its oldest row's label), not as the first report wrote it.
    for key, (_, shown) in labels.items():
        db.conn.execute("UPDATE clusters SET label = ? WHERE key = ?", [shown, key])
    (total,) = db.conn.execute("SELECT count(*) FROM events").fetchone()
    return int(total)
