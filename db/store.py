"""Store an article and its events in one transaction: idempotent, and atomic when the article changed.

``store_article(db, article, events, extractor_version="1")`` writes the article row, its events (one
``events`` row per cluster + date, shared with other articles that report the same meeting), the
``event_reports`` links, members, officials and the entities they name: all of it or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import sqlite_utils

from db.entities import cluster_id, person_id, unit_id
from db.errors import InvalidEventError
from db.normalize import display_name, fold
from db.transaction import transaction
from extract.model import ACTIVITIES, ROLES, UNIT_KINDS, Event


class ArticleLike(Protocol):
    """The fields of ``scraper.article.Article`` that db reads (db never imports the scraper)."""

    @property
    def url(self) -> str: ...
    @property
    def canonical_url(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def lead(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def author(self) -> str | None: ...
    @property
    def published(self) -> dt.datetime | None: ...
    @property
    def modified(self) -> dt.datetime | None: ...
    @property
    def fetched_at(self) -> dt.datetime | None: ...
    @property
    def language(self) -> str: ...
    @property
    def content_hash(self) -> str: ...
    @property
    def captions(self) -> tuple[str, ...]: ...
    @property
    def site(self) -> str | None: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class StoreResult:
    """What ``store_article`` did.

    ``created``: the article is new; ``changed``: something was written (False when the same article
    at the same extractor version was stored before); ``events``: events the article now reports;
    ``new_events``: ``events`` rows this call created (the others were known from other articles).
    """

    article_id: int
    created: bool
    changed: bool
    events: int
    new_events: int


def text_hash(title: str, lead: str, body: str) -> str:
    """sha256 of the NFC title, lead and body: the same digest as ``scraper.article.content_hash``."""
    text = "\n\n".join(unicodedata.normalize("NFC", part).strip() for part in (title, lead, body))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso(value: dt.date | dt.datetime | None) -> str | None:
    """ISO 8601 text of a date or datetime (with its offset when aware), None for None."""
    return value.isoformat() if value is not None else None


def store_article(
    database: sqlite_utils.Database,
    article: ArticleLike,
    events: Sequence[Event],
    *,
    extractor_version: str,
) -> StoreResult:
    """Write ``article`` and its ``events`` in one transaction and return what changed.

    Storing the same article again at the same ``extractor_version`` writes nothing. An article whose
    ``content_hash`` changed (same canonical URL) replaces its row and its event links: events no
    other article reports are deleted. Timestamps come from ``article.fetched_at``, never the clock.
    Raises InvalidEventError (before writing anything) for values outside the schema's vocabularies.
    """
    for event in events:
        validate_event(event, article.canonical_url)
    digest = article.content_hash or text_hash(article.title, article.lead, article.body)
    with transaction(database):
        row = database.execute(
            "SELECT id, content_hash, extractor_version, events_count FROM articles WHERE canonical_url = ?",
            [article.canonical_url],
        ).fetchone()
        if row and row[1] == digest and row[2] == extractor_version:
            return StoreResult(int(row[0]), created=False, changed=False, events=int(row[3]), new_events=0)
        fetched = iso(article.fetched_at)
        values: dict[str, Any] = {
            "url": article.url,
            "canonical_url": article.canonical_url,
            "source": article.source,
            "site": article.site,
            "title": article.title,
            "lead": article.lead or "",
            "body": article.body or "",
            "author": article.author,
            "published": iso(article.published),
            "modified": iso(article.modified),
            "fetched_at": fetched,
            "language": article.language,
            "content_hash": digest,
            "captions": _json(list(article.captions)),
            "extractor_version": extractor_version,
            "updated_at": fetched,
            "folded": fold("\n\n".join((article.title, article.lead or "", article.body or ""))),
        }
        if row:
            article_id = int(row[0])
            assignments = ", ".join(f"{name} = ?" for name in values)
            database.execute(
                f"UPDATE articles SET {assignments} WHERE id = ?", [*values.values(), article_id]
            )
        else:
            values["stored_at"] = fetched
            names = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            cursor = database.execute(
                f"INSERT INTO articles ({names}) VALUES ({marks})", list(values.values())
            )
            article_id = int(cursor.lastrowid or 0)
        count, new = replace_events(database, article_id, article.canonical_url, events)
        return StoreResult(article_id, created=row is None, changed=True, events=count, new_events=new)


def replace_events(
    database: sqlite_utils.Database, article_id: int, canonical_url: str, events: Sequence[Event]
) -> tuple[int, int]:
    """Replace the event reports of one stored article; return (events reported, events rows created).

    Runs inside the caller's transaction. Events left without any report are deleted; the others are
    recomputed as the union of their remaining reports.
    """
    old = [
        r[0]
        for r in database.execute("SELECT event_id FROM event_reports WHERE article_id = ?", [article_id])
    ]
    database.execute("DELETE FROM event_reports WHERE article_id = ?", [article_id])
    groups: dict[str, tuple[int, list[Event]]] = {}
    for event in events:
        cid = cluster_id(database, event.unit_kind, event.cluster_number, event.cluster_label, event.system)
        key = event_key(cid, event.event_date, canonical_url)
        groups.setdefault(key, (cid, []))[1].append(event)
    created = 0
    touched = dict.fromkeys(old)
    for position, (key, (cid, group)) in enumerate(groups.items()):
        row = database.execute("SELECT id FROM events WHERE key = ?", [key]).fetchone()
        if row:
            event_id = int(row[0])
        else:
            first = group[0]
            cursor = database.execute(
                "INSERT INTO events (key, cluster_id, event_date, year) VALUES (?, ?, ?, ?)",
                [key, cid, iso(first.event_date), _year(first.covenant_year, first.event_date)],
            )
            event_id = int(cursor.lastrowid or 0)
            created += 1
        database.execute(
            "INSERT INTO event_reports (event_id, article_id, position, cluster_label, system, event_date, "
            "date_text, covenant_year, location, activities, members, officials) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [event_id, article_id, position, *_report_values(group)],
        )
        touched[event_id] = None
    for event_id in touched:
        refresh_event(database, event_id)
    database.execute("UPDATE articles SET events_count = ? WHERE id = ?", [len(groups), article_id])
    return len(groups), created


def event_key(cluster: int, event_date: dt.date | None, canonical_url: str) -> str:
    """The identity of a meeting: cluster + date, or cluster + article when the date is unknown."""
    return f"{cluster}|{event_date.isoformat()}" if event_date else f"{cluster}|{canonical_url}"


def refresh_event(database: sqlite_utils.Database, event_id: int) -> None:
    """Recompute an event from its reports (first stored article first), or delete it if it has none."""
    reports = database.execute(
        "SELECT date_text, covenant_year, location, activities, members, officials, event_date "
        "FROM event_reports WHERE event_id = ? ORDER BY article_id",
        [event_id],
    ).fetchall()
    if not reports:
        database.execute("DELETE FROM events WHERE id = ?", [event_id])
        return
    activities: set[str] = set()
    members: dict[int, list[Any]] = {}
    officials: dict[int, list[Any]] = {}
    for report in reports:
        activities.update(json.loads(report[3]))
        for name, role in json.loads(report[4]):
            _merge(members, unit_id(database, name), role)
        for name, title in json.loads(report[5]):
            _merge(officials, person_id(database, name), title)
    covenant_year = _first(r[1] for r in reports)
    event_date = _first(r[6] for r in reports)
    database.execute(
        "UPDATE events SET date_text = ?, covenant_year = ?, location = ?, activities = ?, year = ? "
        "WHERE id = ?",
        [
            _first(r[0] for r in reports),
            covenant_year,
            _first(r[2] for r in reports),
            _json([a for a in ACTIVITIES if a in activities]),
            _year(covenant_year, dt.date.fromisoformat(event_date) if event_date else None),
            event_id,
        ],
    )
    database.execute("DELETE FROM event_members WHERE event_id = ?", [event_id])
    database.execute("DELETE FROM event_officials WHERE event_id = ?", [event_id])
    database.conn.executemany(
        "INSERT INTO event_members (event_id, unit_id, role, position) VALUES (?, ?, ?, ?)",
        [(event_id, uid, role, pos) for uid, (role, pos) in members.items()],
    )
    database.conn.executemany(
        "INSERT INTO event_officials (event_id, person_id, title, position) VALUES (?, ?, ?, ?)",
        [(event_id, pid, title, pos) for pid, (title, pos) in officials.items()],
    )


def validate_event(event: Event, where: str) -> None:
    """Raise InvalidEventError if ``event`` holds a value the schema would reject."""
    problems = []
    if event.unit_kind not in UNIT_KINDS:
        problems.append(f"unit_kind {event.unit_kind!r} is not one of {UNIT_KINDS}")
    problems += [
        f"activity {a!r} is not one of {ACTIVITIES}" for a in event.activities if a not in ACTIVITIES
    ]
    problems += [
        f"member role {m.role!r} is not one of {ROLES}"
        for m in event.members
        if m.role is not None and m.role not in ROLES
    ]
    if not display_name(event.cluster_label):
        problems.append("cluster_label is empty")
    problems += ["a member has no name" for m in event.members if not display_name(m.name)]
    problems += ["an official has no name" for o in event.officials if not display_name(o.name)]
    if problems:
        label = event.cluster_label or "?"
        raise InvalidEventError(
            f"event of {label!r} in {where}: "
            + "; ".join(problems)
            + " (fix the extractor; nothing was stored)"
        )


def _report_values(group: list[Event]) -> list[Any]:
    """Column values of one ``event_reports`` row: what one article said about one meeting."""
    first = group[0]
    activities = {a for e in group for a in e.activities}
    return [
        display_name(first.cluster_label),
        first.system,
        iso(first.event_date),
        _first(e.date_text for e in group),
        _first(e.covenant_year for e in group),
        _first(e.location for e in group),
        _json([a for a in ACTIVITIES if a in activities]),
        _json([[m.name, m.role] for e in group for m in e.members]),
        _json([[o.name, o.title] for e in group for o in e.officials]),
    ]


def _merge(into: dict[int, list[Any]], key: int, detail: str | None) -> None:
    """Add an entity to an ordered union: first position kept, first non-empty role/title kept."""
    if key not in into:
        into[key] = [detail, len(into)]
    elif into[key][0] is None and detail is not None:
        into[key][0] = detail


def _first(values: Any) -> Any:
    """The first value that is not None (None if all are)."""
    return next((v for v in values if v is not None), None)


def _year(covenant_year: int | None, event_date: dt.date | None) -> int | None:
    """Emulation year: the covenant year when known, else the meeting's year."""
    if covenant_year is not None:
        return covenant_year
    return event_date.year if event_date else None


def _json(value: Any) -> str:
    """Compact JSON keeping Vietnamese letters readable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
