"""``SqliteFrontier``: the crawl frontier (``scraper.frontier.Frontier``) kept in the ``urls`` table,
and each host's last robots.txt in ``robots_txt``.

Every ``put`` commits, so a killed crawl resumes where it stopped; a ``put`` on a full disk raises
``scraper.frontier.StorageFull``, which stops the crawl (that record is not written, none before it
is lost). A crawl asks for the same few records again and again (found, fetched, stored), so the
last ``RECORDS_KEPT`` committed ones are kept in memory, and ``article_twin`` first asks a set of the
site's known article ids (one scan of the site's rows per run) before it searches the table: a new
article, the common case, costs no scan of the site's history. Both assume what the crawl ensures
with its run lock: while a frontier is in use, every write to ``urls`` goes through it.

Datetimes are stored as ISO 8601 in UTC (``2026-03-06T05:00:00+00:00``): one offset makes
text order equal time order for ``pending``.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from db.errors import is_storage_full
from db.transaction import transaction
from scraper.frontier import RobotsCopy, StorageFull, UrlRecord
from scraper.urls import article_id, same_article, slash_twin

_COLUMNS = (
    "url",
    "site",
    "kind",
    "state",
    "discovered_at",
    "fetched_at",
    "next_check",
    "etag",
    "last_modified",
    "http_status",
    "attempts",
    "last_error",
    "content_hash",
    "title",
    "published",
)
_TIMES = frozenset({"discovered_at", "fetched_at", "next_check", "published", "checked_at"})
_ROBOTS_COLUMNS = ("host", "url", "status", "checked_at", "fetched_at", "etag", "last_modified", "body")
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM urls"
# Text order of "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00" is time order; NULL discovery sorts first, as the
# epoch does in MemoryFrontier.
_ORDER = "ORDER BY coalesce(discovered_at, ''), url"
RECORDS_KEPT = 2048  # ≈1 MB of UrlRecords
_TWIN_STATES = "('new', 'fetched', 'failed', 'gone')"  # the states article_twin looks at


def to_text(value: datetime | None) -> str | None:
    """ISO 8601 in UTC of an aware datetime (a naive one is taken as UTC); None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def from_text(value: str | None) -> datetime | None:
    """The aware datetime of stored ISO text (UTC when the text has no offset); None stays None."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class SqliteFrontier:
    """A ``Frontier`` on the ``urls`` table of an open thidua database."""

    def __init__(self, database: sqlite_utils.Database) -> None:
        """Keep the frontier in ``database`` (opened with ``db.open_database``)."""
        self.database = database
        # url → its committed record (None: no row), most recently used last.
        self._kept: OrderedDict[str, UrlRecord | None] = OrderedDict()
        # site → the article ids of its rows article_twin may return (a superset: a row that left
        # those states keeps its id here, and the table search then finds nothing).
        self._article_ids: dict[str, set[int]] = {}

    def get(self, url: str) -> UrlRecord | None:
        """Return the record of a canonical URL, or None if it was never seen."""
        kept = self._kept
        if url in kept:
            kept.move_to_end(url)
            return kept[url]
        row = self.database.execute(f"{_SELECT} WHERE url = ?", [url]).fetchone()
        rec = _record(row) if row else None
        if not self.database.conn.in_transaction:  # what a transaction read may yet be rolled back
            self._keep(url, rec)
        return rec

    def put(self, record: UrlRecord) -> None:
        """Insert or replace the record with this URL, committed when this returns; raises
        ``StorageFull`` (nothing written) when the disk or the database is full."""
        self._kept.pop(record.url, None)
        self._replace("urls", _COLUMNS, _values(record), record.url)
        if not self.database.conn.in_transaction:  # inside a caller's transaction: not yet committed
            self._keep(record.url, record)
        ids = self._article_ids.get(record.site)
        if ids is not None and record.kind == "article" and (found := _url_article_id(record.url)):
            ids.add(int(found))

    def _keep(self, url: str, rec: UrlRecord | None) -> None:
        kept = self._kept
        kept[url] = rec
        if len(kept) > RECORDS_KEPT:
            kept.popitem(last=False)

    def robots_get(self, host: str) -> RobotsCopy | None:
        """The kept robots.txt of ``host`` (``host[:port]``, lower case), or None."""
        row = self.database.execute(
            f"SELECT {', '.join(_ROBOTS_COLUMNS)} FROM robots_txt WHERE host = ?", [host]
        ).fetchone()
        if row is None:
            return None
        fields: dict[str, Any] = {
            name: from_text(v) if name in _TIMES else v for name, v in zip(_ROBOTS_COLUMNS, row, strict=True)
        }
        return RobotsCopy(**fields)

    def robots_put(self, copy: RobotsCopy) -> None:
        """Keep ``copy`` as its host's robots.txt (replacing the one before), committed when this
        returns; raises ``StorageFull`` (nothing written) when the disk or the database is full."""
        values = [getattr(copy, name) for name in _ROBOTS_COLUMNS]
        self._replace("robots_txt", _ROBOTS_COLUMNS, values, copy.url)

    def _replace(self, table: str, columns: tuple[str, ...], values: list[Any], url: str) -> None:
        """INSERT OR REPLACE one row in its own transaction; a full disk raises ``StorageFull``."""
        stored = [to_text(v) if name in _TIMES else v for name, v in zip(columns, values, strict=True)]
        marks = ", ".join("?" for _ in columns)
        try:
            with transaction(self.database):
                self.database.execute(
                    f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({marks})", stored
                )
        except sqlite3.Error as exc:
            if is_storage_full(exc):
                raise StorageFull(url, str(exc)) from exc
            raise

    def pending(self, site: str, kind: str, now: datetime) -> list[UrlRecord]:
        """Records of a site and kind to fetch now: state "new", or "failed" with next_check <= now.

        Ordered by discovered_at, then url.
        """
        rows = self.database.execute(
            f"{_SELECT} WHERE site = ? AND kind = ? AND (state = 'new' OR (state = 'failed' "
            f"AND (next_check IS NULL OR next_check <= ?))) {_ORDER}",
            [site, kind, to_text(now)],
        ).fetchall()
        return [_record(row) for row in rows]

    def url_for_hash(self, content_hash: str) -> str | None:
        """The URL of a fetched article with this content hash, or None."""
        row = self.database.execute(
            "SELECT url FROM urls WHERE content_hash = ? AND kind = 'article' AND state = 'fetched' "
            "ORDER BY url LIMIT 1",
            [content_hash],
        ).fetchone()
        return str(row[0]) if row else None

    def known(self, site: str, kind: str) -> list[UrlRecord]:
        """Every record of a site and kind, whatever its state, ordered by url."""
        rows = self.database.execute(
            f"{_SELECT} WHERE site = ? AND kind = ? ORDER BY url", [site, kind]
        ).fetchall()
        return [_record(row) for row in rows]

    def article_twin(self, site: str, url: str) -> UrlRecord | None:
        """The record of the same article of ``site`` under another URL (with or without a trailing
        slash, or with the same site article id), or None; skipped records are not looked at.

        The id is looked up among the site's article rows by ``LIKE '%<id>%'`` (the pending index
        narrows it to the site's articles that are not skipped), then checked by ``same_article``:
        no column of its own, so no schema change; and only when the id is among the site's known
        ones, so that a new article's id costs a set lookup instead of that scan.
        """
        twin = slash_twin(url)
        if twin is not None:
            rec = self.get(twin)
            if rec is not None and rec.site == site and rec.kind == "article" and rec.state != "skipped":
                return rec
        found = _url_article_id(url)
        if found is None or int(found) not in self._site_article_ids(site):
            return None
        rows = self.database.execute(
            f"{_SELECT} WHERE site = ? AND kind = 'article' AND state IN {_TWIN_STATES} AND url LIKE ? "
            f"AND url != ? ORDER BY url",
            [site, f"%{found}%", url],
        ).fetchall()
        for row in rows:
            rec = _record(row)
            if same_article(url, rec.url):
                return rec
        return None

    def _site_article_ids(self, site: str) -> set[int]:
        """The article ids in the URLs of ``site``'s rows that ``article_twin`` looks at (read once)."""
        ids = self._article_ids.get(site)
        if ids is None:
            rows = self.database.execute(
                f"SELECT url FROM urls WHERE site = ? AND kind = 'article' AND state IN {_TWIN_STATES}",
                [site],
            )
            ids = self._article_ids[site] = {int(found) for (url,) in rows if (found := _url_article_id(url))}
        return ids


def _url_article_id(url: str) -> str | None:
    """The site article id in a URL's path (``scraper.urls.article_id``), None without one."""
    try:
        return article_id(urlsplit(url).path)
    except ValueError:
        return None


def _values(record: UrlRecord) -> list[Any]:
    """The record's field values in ``_COLUMNS`` order."""
    return [getattr(record, name) for name in _COLUMNS]


def _record(row: tuple[Any, ...]) -> UrlRecord:
    """A UrlRecord from a ``_SELECT`` row."""
    fields: dict[str, Any] = {
        name: from_text(v) if name in _TIMES else v for name, v in zip(_COLUMNS, row, strict=True)
    }
    return UrlRecord(**fields)
