"""Store an article and its events in one transaction: idempotent, and atomic when the article changed.

``store_article(db, article, events, extractor_version="1")`` writes the article row, its events (one
``events`` row per cluster + date, shared with other articles that report the same meeting), the
``event_reports`` links, members, officials and the entities they name: all of it or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import sqlite_utils

from db.bulk import PendingRows, add_new_article
from db.errors import InvalidEventError
from db.events import count_events, replace_events
from db.normalize import search_text
from db.schema import FTS_COLUMNS
from db.schema_browse import MemberYearsBatch, member_years_batch
from db.transaction import transaction
from db.validation import validate_event
from db.values import compact_json, iso
from extract.model import Event


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
    check_storable(article, events)
    with transaction(database):
        return _write(database, article, events, extractor_version)


def check_storable(article: ArticleLike, events: Sequence[Event]) -> None:
    """Raise InvalidEventError when ``store_article`` would refuse ``article`` with ``events``: a value
    outside the schema's vocabularies, or no ``content_hash``. Writes nothing; None when storable.

    So a caller storing many (``store_articles``) can set one bad article aside beforehand.
    """
    for event in events:
        validate_event(event, article.canonical_url)
    _checked_digest(article)


def store_articles(
    database: sqlite_utils.Database,
    items: Iterable[tuple[ArticleLike, Sequence[Event]]],
    *,
    extractor_version: str,
    batch: int = 2000,
) -> list[StoreResult]:
    """Store many articles (``ingest``, bulk loads) with one commit per ``batch`` of articles.

    The result is the same as calling ``store_article`` for each item in order: each article is
    stored whole or not at all, and on the first error the articles before it are stored, it and the
    ones after are not, and the error is raised. Within a batch, new articles' rows are written as
    batches (``db.bulk``: the same rows and ids); a failing batch is rolled back and replayed one
    article per transaction, so only the happy path pays less.
    """
    results: list[StoreResult] = []
    pending: list[tuple[ArticleLike, Sequence[Event]]] = []

    def flush() -> None:
        try:
            done = _store_batch(database, pending, extractor_version)
        except Exception:
            # Replay one article per transaction: stores those before the culprit, raises at it.
            done = [store_article(database, a, e, extractor_version=extractor_version) for a, e in pending]
        results.extend(done)
        pending.clear()

    for item in items:
        pending.append(item)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return results


def _store_batch(
    database: sqlite_utils.Database,
    items: Sequence[tuple[ArticleLike, Sequence[Event]]],
    extractor_version: str,
) -> list[StoreResult]:
    """Store ``items`` in one transaction, new articles' rows written as batches (``db.bulk``)."""
    urls = compact_json([article.canonical_url for article, _ in items])
    with transaction(database), _SearchIndexBatch(database) as index, MemberYearsBatch(database):
        known = {
            str(row[0])
            for row in database.conn.execute(
                "SELECT canonical_url FROM articles WHERE canonical_url IN (SELECT value FROM json_each(?))",
                [urls],
            )
        }
        rows = PendingRows(database)
        batch = member_years_batch(database)
        done = []
        for article, events in items:
            for event in events:
                validate_event(event, article.canonical_url)
            url = article.canonical_url
            added = None
            if url not in known:
                known.add(url)  # met again in this batch: that one takes the usual path
                added = add_new_article(
                    rows, article_values(article, events, extractor_version), events, batch
                )
            if added is not None:
                article_id, count, new = added
                index.add(url, article_id)
                done.append(StoreResult(article_id, created=True, changed=True, events=count, new_events=new))
                continue
            rows.flush()
            index.before_write(url)
            result = _write(database, article, events, extractor_version)
            rows.forget_ids()
            if result.created:
                index.add(url, result.article_id)
            done.append(result)
        rows.flush()
    return done


class _SearchIndexBatch:
    """Index a batch's new articles in ``articles_fts`` with one statement instead of a trigger each.

    FTS5 (SQLite < 3.45) writes its pending terms to disk at every statement savepoint, and a trigger
    makes every article INSERT open one: fed by the ``articles_ai`` trigger, a batch becomes one
    index segment per article, then endless merging. Inside the batch's transaction the trigger is
    dropped, new rows are indexed together at the end, and the trigger is re-created with its exact
    SQL; a failure rolls all of it back, trigger included. Updates and deletes keep their triggers
    (an article met twice in a batch is indexed before its second write, so they see it indexed).
    """

    def __init__(self, database: sqlite_utils.Database) -> None:
        self.database = database
        self.trigger_sql: str | None = None
        self.ids: dict[str, int] = {}

    def __enter__(self) -> _SearchIndexBatch:
        row = self.database.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_ai'"
        ).fetchone()
        if row:
            self.trigger_sql = str(row[0])
            self.database.conn.execute("DROP TRIGGER articles_ai")
        return self

    def before_write(self, canonical_url: str) -> None:
        """Index what is pending if ``canonical_url`` is among it, so its update trigger finds it."""
        if canonical_url in self.ids:
            self.index()

    def add(self, canonical_url: str, article_id: int) -> None:
        """Remember a newly inserted article to index at the end of the batch."""
        if self.trigger_sql is not None:
            self.ids[canonical_url] = article_id

    def index(self) -> None:
        """Insert the remembered articles into ``articles_fts``."""
        if self.ids:
            self.database.conn.execute(
                f"INSERT INTO articles_fts (rowid, {', '.join(FTS_COLUMNS)}) "
                f"SELECT id, {', '.join(FTS_COLUMNS)} FROM articles "
                "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
                [compact_json(sorted(self.ids.values()))],
            )
            self.ids.clear()

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None and self.trigger_sql is not None:
            self.index()
            self.database.conn.execute(self.trigger_sql)


def article_values(article: ArticleLike, events: Sequence[Event], extractor_version: str) -> dict[str, Any]:
    """The ``articles`` columns of a stored ``article`` (from url to stored_at) and their values.

    Raises InvalidEventError when the article has no ``content_hash``.
    """
    # The digest is the scraper's (``Article.content_hash``): db never re-derives it, so the hash a
    # frontier compares and the one stored here cannot disagree.
    digest = _checked_digest(article)
    fetched = iso(article.fetched_at)
    return {
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
        "captions": compact_json(list(article.captions)) if article.captions else "[]",
        "extractor_version": extractor_version,
        "updated_at": fetched,
        "events_count": count_events(events, article.canonical_url),
        "folded": search_text("\n\n".join((article.title, article.lead or "", article.body or ""))),
        "stored_at": fetched,
    }


def _checked_digest(article: ArticleLike) -> str:
    """The article's ``content_hash``; InvalidEventError when it has none."""
    if not article.content_hash:
        raise InvalidEventError(
            f"article {article.canonical_url} has no content_hash: pass a scraper Article, which sets it"
        )
    return article.content_hash


def _write(
    database: sqlite_utils.Database, article: ArticleLike, events: Sequence[Event], extractor_version: str
) -> StoreResult:
    """The writes of ``store_article``, inside the caller's transaction."""
    values = article_values(article, events, extractor_version)
    digest = values["content_hash"]
    # New articles (the common case) take one statement; a known URL falls through to the lookup.
    inserted = database.conn.execute(
        f"INSERT INTO articles ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)}) "
        "ON CONFLICT (canonical_url) DO NOTHING RETURNING id",
        list(values.values()),
    ).fetchone()
    if inserted:
        article_id = int(inserted[0])
        count, new = replace_events(database, article_id, article.canonical_url, events, known=False)
        return StoreResult(article_id, created=True, changed=True, events=count, new_events=new)
    row = database.conn.execute(
        "SELECT id, content_hash, extractor_version, events_count FROM articles WHERE canonical_url = ?",
        [article.canonical_url],
    ).fetchone()
    article_id = int(row[0])
    if row[1] == digest and row[2] == extractor_version:
        return StoreResult(article_id, created=False, changed=False, events=int(row[3]), new_events=0)
    del values["stored_at"]  # the first fetch stays the storing time
    assignments = ", ".join(f"{name} = ?" for name in values)
    database.conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", [*values.values(), article_id])
    count, new = replace_events(database, article_id, article.canonical_url, events, known=True)
    return StoreResult(article_id, created=False, changed=True, events=count, new_events=new)
