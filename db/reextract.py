"""Re-run extraction on stored articles whose events came from another extractor version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from db.events import replace_events, validate_event
from db.transaction import transaction
from extract.model import Event

Extract = Callable[[str, dt.date | None], list[Event]]


@dataclass(frozen=True)
class ReextractResult:
    """How many articles were re-extracted and how many events they now report."""

    articles: int
    events: int


def reextract(
    database: sqlite_utils.Database, extract: Extract, version: str, *, force: bool = False
) -> ReextractResult:
    """Recompute the events of articles whose ``extractor_version`` is not ``version`` (all if ``force``).

    ``extract(text, published_date)`` gets the stored title, lead and body joined by blank lines (as
    ``Article.text``) and the publication date. Each article is its own transaction, so an interrupted
    run keeps what it finished and the next run carries on. Returns the articles and events handled.
    """
    where = "" if force else "WHERE extractor_version IS NOT ?"
    ids = [
        int(r[0])
        for r in database.execute(f"SELECT id FROM articles {where} ORDER BY id", [] if force else [version])
    ]
    articles = events = 0
    for article_id in ids:
        row = database.execute(
            "SELECT canonical_url, title, lead, body, published FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        canonical_url, title, lead, body, published = row
        text = "\n\n".join(part for part in (title, lead, body) if part)
        found = extract(text, dt.datetime.fromisoformat(published).date() if published else None)
        for event in found:
            validate_event(event, canonical_url)
        with transaction(database):
            count, _ = replace_events(database, article_id, canonical_url, found)
            database.execute(
                "UPDATE articles SET extractor_version = ?, events_count = ? WHERE id = ?",
                [version, count, article_id],
            )
        articles += 1
        events += count
    return ReextractResult(articles, events)
