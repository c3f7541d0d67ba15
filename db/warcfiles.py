"""The ``warc_files`` table: which WARC files a backfill finished, and which failed and why."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils


@dataclass(frozen=True)
class WarcFileRow:
    """One WARC file's outcome: its counts, and either when it finished or why it failed."""

    path: str
    records_seen: int
    records_kept: int
    articles: int
    events: int
    finished_at: str | None  # ISO 8601 UTC; None when the file failed
    error: str | None  # None when the file finished


def finished_warc_files(database: sqlite_utils.Database) -> set[str]:
    """The paths of the files read to their end: the ones a rerun skips (failed ones are retried)."""
    rows = database.execute("SELECT path FROM warc_files WHERE finished_at IS NOT NULL").fetchall()
    return {str(row[0]) for row in rows}


def record_warc_file(database: sqlite_utils.Database, row: WarcFileRow) -> None:
    """Insert or replace the row of ``row.path``; the caller holds the transaction storing its articles."""
    database.execute(
        # An upsert, not INSERT OR REPLACE: the row keeps its place, so retrying a failed file that
        # fails the same way leaves the file byte-for-byte as it was.
        "INSERT INTO warc_files (path, records_seen, records_kept, articles, events, finished_at, error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET records_seen = excluded.records_seen, "
        "records_kept = excluded.records_kept, articles = excluded.articles, events = excluded.events, "
        "finished_at = excluded.finished_at, error = excluded.error",
        [row.path, row.records_seen, row.records_kept, row.articles, row.events, row.finished_at, row.error],
    )


def article_page_urls(database: sqlite_utils.Database) -> set[str]:
    """Every URL the database knows as an article page: stored articles' fetched and canonical URLs,
    and the frontier's article URLs (those that failed to parse too). ``thidua reparse`` takes the
    archived pages at these URLs, and leaves listings, feeds and the pages the crawl skipped alone."""
    rows = database.execute(
        "SELECT url FROM articles UNION SELECT canonical_url FROM articles "
        "UNION SELECT url FROM urls WHERE kind = 'article'"
    ).fetchall()
    return {str(row[0]) for row in rows if row[0]}
