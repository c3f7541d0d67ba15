"""Stored articles read back for re-extraction, and their events replaced when extraction improves.

db derives nothing an extractor needs (text, local publication day): ``thidua.app`` does that for
crawl, ingest and reextract alike, from the ``StoredArticle`` rows this module reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import sqlite_utils

from db.events import replace_events, validate_event
from db.transaction import transaction
from extract.model import Event


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored: its id, URLs, text fields and publication time with the page's offset."""

    id: int
    url: str
    canonical_url: str
    title: str
    lead: str
    body: str
    published: dt.datetime | None

    @property
    def text(self) -> str:
        """Title, lead and body joined by blank lines, as ``scraper.Article.text``."""
        return "\n\n".join(part for part in (self.title, self.lead, self.body) if part)


def articles_to_reextract(
    database: sqlite_utils.Database, version: str, *, force: bool = False
) -> Iterator[StoredArticle]:
    """Yield the stored articles whose ``extractor_version`` is not ``version`` (every one if ``force``).

    Ids are read first, each row when its turn comes, so writing events between two articles is safe.
    """
    where = "" if force else "WHERE extractor_version IS NOT ?"
    ids = [
        int(r[0])
        for r in database.execute(f"SELECT id FROM articles {where} ORDER BY id", [] if force else [version])
    ]
    for article_id in ids:
        row = database.execute(
            "SELECT id, url, canonical_url, title, lead, body, published FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            continue
        published = dt.datetime.fromisoformat(row[6]) if row[6] else None
        yield StoredArticle(row[0], row[1], row[2], row[3] or "", row[4] or "", row[5] or "", published)


def replace_article_events(
    database: sqlite_utils.Database, article: StoredArticle, events: Sequence[Event], *, version: str
) -> int:
    """Replace the events of one stored article in one transaction; return how many it now reports.

    An interrupted re-extraction keeps the articles it finished and the next run carries on.
    """
    for event in events:
        validate_event(event, article.canonical_url)
    with transaction(database):
        count, _ = replace_events(database, article.id, article.canonical_url, events)
        database.execute(
            "UPDATE articles SET extractor_version = ?, events_count = ? WHERE id = ?",
            [version, count, article.id],
        )
    return count
