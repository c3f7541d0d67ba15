"""robots.txt, read once per host per run (protego): what may be fetched, and the Crawl-delay.

Answers follow RFC 9309: 200 → the rules; 4xx (404 …) → everything allowed; 5xx or an unreachable
host → the whole host is off limits for this run (back off); a Crawl-delay larger than the site's
delay becomes the host's delay.

Across runs, each host's last robots.txt (its text, at most 500 KiB, and its ETag / Last-Modified) is
kept in a ``RobotsStore`` (the crawl's frontier). The next run asks for it conditionally, every run:
a 304 applies the kept text, a 200 replaces it, a 4xx forgets it (everything allowed, as always), and
a 5xx or an unreachable host backs the host off for the run and leaves the kept copy for the next.
RFC 9309 (2.4) would let a crawler use its copy for up to 24 hours without asking; a nightly crawl
asks anyway, since a 304 costs one small request and a changed file is obeyed the same night.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from scraper.fetch import Fetcher, FetchFailure, OnSend, Response, host_key
from scraper.frontier import RobotsCopy, RobotsStore
from scraper.urls import fold_host

ROBOTS_MAX_BYTES = 512_000  # RFC 9309: crawlers may stop parsing after 500 KiB
CRAWL_DELAY_CAP = 60.0  # a robots file asking for more is obeyed at one request a minute


@dataclass(frozen=True)
class HostRules:
    """What robots.txt says for one host: ``status`` "rules", "allow-all" or "blocked"."""

    host: str
    status: str
    parser: Protego | None = None
    crawl_delay: float | None = None
    reason: str = ""
    sitemaps: tuple[str, ...] = ()  # its "Sitemap:" lines, in order

    def allows(self, url: str, user_agent: str) -> bool:
        """True if ``url`` may be fetched by ``user_agent``."""
        if self.status == "blocked":
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, user_agent))


def robots_url(url: str) -> str:
    """The robots.txt of a URL's host: ``"https://nld.com.vn/a/b.htm?x"`` → ``"https://nld.com.vn/robots.txt"``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/robots.txt", "", ""))


def parse_robots(text: str, host: str, user_agent: str) -> HostRules:
    """Parse robots.txt text into ``HostRules`` (Crawl-delay for our agent, capped at 60 s, and the
    file's ``Sitemap:`` lines)."""
    parser = Protego.parse(text)
    delay = parser.crawl_delay(user_agent)
    if delay is not None:
        delay = min(float(delay), CRAWL_DELAY_CAP)
    sitemaps = tuple(dict.fromkeys(str(u).strip() for u in parser.sitemaps if str(u).strip()))
    return HostRules(host, "rules", parser, delay, sitemaps=sitemaps)


class Robots:
    """The robots.txt rules of every host met in one run, fetched once per host through ``fetcher``.

    With a ``store`` (the crawl's frontier), each host's robots.txt is kept across runs and asked for
    conditionally (``If-None-Match`` / ``If-Modified-Since``); without one, it is downloaded each run.
    """

    def __init__(self, fetcher: Fetcher, user_agent: str, store: RobotsStore | None = None) -> None:
        self.fetcher = fetcher
        self.user_agent = user_agent
        self.store = store
        self._rules: dict[str, HostRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def known(self, url: str) -> HostRules | None:
        """The rules of the URL's host if already fetched in this run, else None."""
        return self._rules.get(host_key(url))

    async def rules(self, url: str, on_send: OnSend | None = None) -> HostRules:
        """Return the rules of the URL's host, fetching its robots.txt the first time it is asked."""
        host = host_key(url)
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            found = self._rules.get(host)
            if found is None:
                found = self._rules[host] = await self._fetch(url, host, on_send)
                if found.crawl_delay is not None:
                    self.fetcher.raise_delay(host, found.crawl_delay)
            return found

    async def check(self, url: str, on_send: OnSend | None = None) -> None:
        """Raise ``FetchFailure`` if robots.txt forbids ``url`` (kind "robots") or the host is backed off
        because its robots.txt could not be had (kind "unreachable": retried on a later run)."""
        rules = await self.rules(url, on_send)
        if rules.status == "blocked":
            raise FetchFailure(url, "unreachable", f"host backed off for this run: {rules.reason}")
        if not rules.allows(url, self.user_agent):
            raise FetchFailure(url, "robots", "disallowed by robots.txt")

    async def _fetch(self, url: str, host: str, on_send: OnSend | None) -> HostRules:
        target = robots_url(url)
        home = fold_host(host)
        kept = self.store.robots_get(host) if self.store is not None else None
        if kept is not None and kept.status != 200:
            kept = None  # a 4xx was kept: nothing to validate, ask plainly

        async def same_host(hop: str) -> None:
            # A robots.txt that redirects elsewhere (another site, a link-local or private address)
            # is not followed: the pages it would govern are on this host, and so is its only answer.
            if fold_host(host_key(hop)) != home:
                raise FetchFailure(hop, "offsite", f"robots.txt redirected off {host} ({host_key(hop)})")

        try:
            # RFC 9309: a crawler may parse only the first 500 KiB; a longer file is cut, not ignored
            # (ignoring it would allow everything it forbids).
            response = await self.fetcher.get(
                target,
                guard=same_host,
                etag=kept.etag if kept else None,
                last_modified=kept.last_modified if kept else None,
                max_bytes=ROBOTS_MAX_BYTES,
                truncate=True,
                on_send=on_send,
            )
        except FetchFailure as exc:
            if exc.kind.startswith("http-4") and exc.kind != "http-429":
                # The file is gone: everything is allowed, and a copy kept from an earlier run must
                # not come back on a later 304.
                self._keep(RobotsCopy(host, target, exc.status or 404, datetime.now(UTC)))
                return HostRules(host, "allow-all", reason=f"robots.txt {exc.kind}")
            if exc.kind in ("too-large", "redirect", "offsite", "scheme", "decode"):
                return HostRules(host, "allow-all", reason=f"robots.txt unusable: {exc.message}")
            # 5xx, 429, unreachable: backed off for this run; the kept copy waits for the next one.
            return HostRules(host, "blocked", reason=f"robots.txt {exc.kind}: {exc.message}")
        if response.status == 304 and kept is not None:
            self._keep(_revalidated(kept, response))
            return parse_robots(kept.body, host, self.user_agent)
        text = response.content.decode("utf-8", errors="replace")
        if response.status == 200:
            self._keep(_downloaded(host, response, text))
        return parse_robots(text, host, self.user_agent)

    def _keep(self, copy: RobotsCopy) -> None:
        if self.store is not None:
            self.store.robots_put(copy)


def _downloaded(host: str, response: Response, text: str) -> RobotsCopy:
    """The copy to keep of a robots.txt that answered 200 with ``text``."""
    now = datetime.now(UTC)
    return RobotsCopy(
        host,
        response.url,
        200,
        checked_at=now,
        fetched_at=now,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        body=text,
    )


def _revalidated(kept: RobotsCopy, response: Response) -> RobotsCopy:
    """The kept copy after a 304: checked now; a validator the 304 sends anew replaces the old one
    (RFC 9110 15.4.5: a 304 carries the ETag a 200 would)."""
    return replace(
        kept,
        url=response.url,
        checked_at=datetime.now(UTC),
        etag=response.headers.get("etag") or kept.etag,
        last_modified=response.headers.get("last-modified") or kept.last_modified,
    )
