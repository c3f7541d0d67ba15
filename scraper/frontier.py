"""The frontier: which URLs are known, in what state, with which validators, and when to look again.

The scraper talks to it through the ``Frontier`` protocol; ``db.frontier.SqliteFrontier`` keeps it in
the SQLite database (so a killed crawl resumes), ``MemoryFrontier`` keeps it in a dict (tests, demos).
It also keeps each host's last robots.txt (``RobotsCopy``, the ``RobotsStore`` part of the protocol),
so the next run asks for it conditionally instead of downloading it again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from scraper.urls import same_article

if TYPE_CHECKING:
    from scraper.crawl_records import CrawlReport

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

KINDS = ("robots", "feed", "sitemap", "listing", "search", "article")
# new: known, never fetched · fetched: fetched and handed on · failed: last try failed, retry at
# next_check · gone: 404/410 · skipped: not worth fetching (relevance gate, off-site, too large)
STATES = ("new", "fetched", "failed", "gone", "skipped")


@dataclass(frozen=True)
class UrlRecord:
    """One URL of the frontier, keyed by its canonical form."""

    url: str
    site: str
    kind: str
    state: str = "new"
    discovered_at: datetime | None = None
    fetched_at: datetime | None = None
    next_check: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = None
    attempts: int = 0
    last_error: str | None = None
    content_hash: str | None = None
    title: str | None = None  # a hint from a feed, sitemap or listing, for the relevance gate
    published: datetime | None = None  # a hint from a feed or a news sitemap


@dataclass(frozen=True)
class RobotsCopy:
    """A host's robots.txt as last answered, kept across runs by the frontier.

    ``host`` is the ``host[:port]`` the rules are for (``scraper.fetch.host_key``); ``status`` the
    HTTP status of the last answer that decided the rules (200, or the 4xx that allowed everything);
    ``body`` the text of the last 200 (at most ``scraper.robots.ROBOTS_MAX_BYTES`` bytes were read),
    empty after a 4xx; ``etag`` / ``last_modified`` its validators, sent back on the next run.
    """

    host: str
    url: str  # the robots.txt URL that answered (after same-site redirects)
    status: int
    checked_at: datetime  # when the host last answered 200, 304 or 4xx for it
    fetched_at: datetime | None = None  # when ``body`` was downloaded (the last 200)
    etag: str | None = None
    last_modified: str | None = None
    body: str = ""


class StorageFull(BaseException):
    """Storage takes no more writes (the disk or the database is full): raised by a ``Frontier``'s
    ``put`` or by the crawl's ``on_article`` callback, it stops the whole crawl at once, since every
    later write would fail too.

    A ``BaseException``, as ``asyncio.CancelledError`` is, so that the per-page isolation (``except
    Exception`` around each step of a page) lets it through instead of recording one page error per
    page left and fetching on. ``url`` is the page whose write failed; ``report`` what the crawl had
    done until then (set by ``scraper.crawl.crawl`` before it re-raises).
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"storage full while writing {url}: {reason}")
        self.url = url
        self.reason = reason
        self.report: CrawlReport | None = None


class RobotsStore(Protocol):
    """Where ``scraper.robots.Robots`` keeps each host's robots.txt across runs."""

    def robots_get(self, host: str) -> RobotsCopy | None:
        """The kept robots.txt of ``host`` (``host[:port]``, lower case), or None if none is kept."""
        ...

    def robots_put(self, copy: RobotsCopy) -> None:
        """Keep ``copy`` as its host's robots.txt, replacing the one kept before; durable when it
        returns, or raises ``StorageFull`` having written nothing."""
        ...


class Frontier(RobotsStore, Protocol):
    """Where the crawler keeps its URLs (and each host's robots.txt). Every ``put`` is durable when it
    returns, or raises ``StorageFull`` having written nothing."""

    def get(self, url: str) -> UrlRecord | None:
        """Return the record of a canonical URL, or None if it was never seen."""
        ...

    def put(self, record: UrlRecord) -> None:
        """Insert or replace the record with this URL."""
        ...

    def pending(self, site: str, kind: str, now: datetime) -> list[UrlRecord]:
        """Records of a site and kind to fetch now: state "new", or "failed" with next_check <= now.

        Ordered by discovered_at, then url.
        """
        ...

    def url_for_hash(self, content_hash: str) -> str | None:
        """The URL of a fetched article with this content hash, or None."""
        ...

    def known(self, site: str, kind: str) -> list[UrlRecord]:
        """Every record of a site and kind, whatever its state, ordered by url (the child sitemaps a
        sitemap index answering 304 listed before)."""
        ...

    def article_twin(self, site: str, url: str) -> UrlRecord | None:
        """The record of the same article of ``site`` known under another canonical URL, or None.

        Another form is the URL with or without a trailing slash, or a URL with the same site article
        id (``scraper.urls.same_article``: a new slug, a query the canonical form keeps); records the
        relevance gate skipped are not looked at (a new link to them is judged again).
        """
        ...


class MemoryFrontier:
    """A ``Frontier`` in a dict, for tests and one-off runs."""

    def __init__(self) -> None:
        self.records: dict[str, UrlRecord] = {}
        self.robots: dict[str, RobotsCopy] = {}

    def get(self, url: str) -> UrlRecord | None:
        """Return the record of a canonical URL, or None."""
        return self.records.get(url)

    def put(self, record: UrlRecord) -> None:
        """Insert or replace the record with this URL."""
        self.records[record.url] = replace(record)

    def pending(self, site: str, kind: str, now: datetime) -> list[UrlRecord]:
        """Records to fetch now, as ``Frontier.pending`` says."""
        due = [
            r
            for r in self.records.values()
            if r.site == site
            and r.kind == kind
            and (r.state == "new" or (r.state == "failed" and (r.next_check is None or r.next_check <= now)))
        ]
        return sorted(due, key=lambda r: (r.discovered_at or _EPOCH, r.url))

    def url_for_hash(self, content_hash: str) -> str | None:
        """The URL of a fetched article with this content hash, or None."""
        for r in self.records.values():
            if r.kind == "article" and r.state == "fetched" and r.content_hash == content_hash:
                return r.url
        return None

    def known(self, site: str, kind: str) -> list[UrlRecord]:
        """Every record of a site and kind, as ``Frontier.known`` says."""
        return sorted(
            (r for r in self.records.values() if r.site == site and r.kind == kind), key=lambda r: r.url
        )

    def article_twin(self, site: str, url: str) -> UrlRecord | None:
        """The same article under another URL, as ``Frontier.article_twin`` says."""
        found = [
            r
            for r in self.records.values()
            if r.site == site
            and r.kind == "article"
            and r.state != "skipped"
            and r.url != url
            and same_article(url, r.url)
        ]
        return min(found, key=lambda r: r.url) if found else None

    def robots_get(self, host: str) -> RobotsCopy | None:
        """The kept robots.txt of ``host``, or None."""
        return self.robots.get(host)

    def robots_put(self, copy: RobotsCopy) -> None:
        """Keep ``copy`` as its host's robots.txt."""
        self.robots[copy.host] = copy
