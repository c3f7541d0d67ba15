"""``thidua sites check``: for the operator with network, what each configured site offers.

Per site, politely (robots.txt obeyed, the site's delay or its Crawl-delay between two requests, at
most ``MAX_PROBES`` feeds, sitemaps and section pages each): its robots.txt (``Sitemap:`` lines), its
home page (``<link rel="alternate">`` feeds, whether it lists articles itself, section pages about
emulation linked from it), each candidate read with the crawler's own discovery
(``scraper.discover.discover_page``), the CMS family its markup belongs to (``thidua/data/cms.toml``),
and whether generic parsing finds title, date and body on one article. A host that does not answer,
or a home page that is gone, is "dead"; a home page that redirects off the site's hosts is "moved".
Every record here is a frozen dataclass; ``thidua.siteswrite`` writes the result as a sites file.
"""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.crawl_records import DEFAULT_USER_AGENT
from scraper.decode import to_text
from scraper.discover import Discovery, discover_page
from scraper.errors import ScraperError
from scraper.fetch import Fetcher, FetchFailure, Response, host_key
from scraper.listing import looks_like_article
from scraper.parse import parse_article
from scraper.robots import Robots
from scraper.sites import Site
from scraper.text import ascii_words
from scraper.urls import canonical_url, join_url

#: Feeds, sitemaps and section pages read per site, at most (each kind): a check must stay light.
MAX_PROBES = 5
#: Words of a section link (its text or slug, ASCII-folded) that make it worth reading as a listing.
SECTION_WORDS = ("thi dua", "khen thuong")
#: Fewer article links than this and a page is not counted as a listing.
MIN_LISTED = 1
#: Failures that say the host or the home page is not there any more.
_DEAD = frozenset({"connect", "timeout", "network", "http-404", "http-410"})


@dataclass(frozen=True)
class ArticleProbe:
    """What generic parsing (no selectors) found on one article of the site."""

    url: str
    title: bool
    published: bool
    body: bool
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when title, date and body were all found."""
        return self.title and self.published and self.body


@dataclass(frozen=True)
class SiteCheck:
    """What checking one site found. ``state`` is "ok", "dead" (no answer, or the home page is gone),
    "moved" (the home page redirects off the site's hosts), "error" (the home page failed otherwise:
    5xx, robots, too large …) or "empty" (answered, but no feed, sitemap or listing found)."""

    site: str
    home: str | None
    checked_at: datetime
    state: str
    problem: str | None = None
    moved_to: str | None = None
    robots: str = ""
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    cms: str | None = None
    article: ArticleProbe | None = None
    requests: int = 0

    @property
    def entry_points(self) -> tuple[str, ...]:
        """What was discovered, feeds first (cheapest to read nightly), then sitemaps, then listings."""
        return self.feeds + self.sitemaps + self.listings

    def as_dict(self) -> dict[str, Any]:
        """Plain values for ``--json``."""
        article = None
        if self.article is not None:
            a = self.article
            article = {
                "url": a.url,
                "title": a.title,
                "published": a.published,
                "body": a.body,
                "error": a.error,
            }
        return {
            "site": self.site,
            "home": self.home,
            "checked_at": self.checked_at.isoformat(),
            "state": self.state,
            "problem": self.problem,
            "moved_to": self.moved_to,
            "robots": self.robots,
            "feeds": list(self.feeds),
            "sitemaps": list(self.sitemaps),
            "listings": list(self.listings),
            "cms": self.cms,
            "article": article,
            "requests": self.requests,
        }


@dataclass(frozen=True)
class CheckReport:
    """Every site checked, in the order given."""

    sites: tuple[SiteCheck, ...]

    @property
    def dead_or_moved(self) -> tuple[SiteCheck, ...]:
        """The sites whose host or home page is gone or elsewhere."""
        return tuple(s for s in self.sites if s.state in ("dead", "moved"))


async def check_sites(
    sites: Sequence[Site],
    *,
    user_agent: str = DEFAULT_USER_AGENT,
    timeout: float = 10.0,
    delay: float | None = None,
    now: datetime | None = None,
) -> CheckReport:
    """Check ``sites`` (in parallel across sites, one request at a time per host) and report."""
    when = now or datetime.now(UTC)
    async with Fetcher(user_agent=user_agent, timeout=timeout, retries=1) as fetcher:
        for site in sites:
            for host in site.hosts:
                fetcher.set_delay(host, site.delay if delay is None else delay)
        robots = Robots(fetcher, user_agent)
        checks = await asyncio.gather(*(_Check(site, fetcher, robots, when).run() for site in sites))
    return CheckReport(tuple(checks))


def check_sites_sync(sites: Sequence[Site], **options: Any) -> CheckReport:
    """``check_sites`` for callers without an event loop (the CLI)."""
    return asyncio.run(check_sites(sites, **options))


class _Check:
    """One site's check: a few requests in order, each failure kept as the site's problem."""

    def __init__(self, site: Site, fetcher: Fetcher, robots: Robots, when: datetime) -> None:
        self.site = site
        # With no start URLs the discovery code reports a page's feeds (as for a home-only site).
        self.probe_site = replace(site, start=())
        self.fetcher = fetcher
        self.robots = robots
        self.when = when
        self.requests = 0
        self.found: dict[str, Discovery] = {}  # each candidate kept, as discovery read it
        self.article_html = ""  # the probed article's page, for the CMS family

    def _sent(self, url: str) -> None:
        self.requests += 1

    async def _guard(self, url: str) -> None:
        if not self.site.owns(url):
            raise FetchFailure(url, "offsite", f"redirected off the site's hosts to {host_key(url)}")
        await self.robots.check(url, on_send=self._sent)

    async def _get(self, url: str) -> Response:
        return await self.fetcher.get(url, guard=self._guard, on_send=self._sent)

    def _result(self, home: str | None, state: str, **fields: Any) -> SiteCheck:
        return SiteCheck(self.site.name, home, self.when, state, requests=self.requests, **fields)

    async def run(self) -> SiteCheck:
        home = self.site.home or (self.site.entry_points[0] if self.site.entry_points else None)
        if home is None:
            return self._result(None, "empty", problem="no home page or start URL in the sites file")
        try:
            return await self._check(home)
        except (ScraperError, ValueError) as exc:  # one site's surprise must not stop the others
            return self._result(home, "error", problem=f"{type(exc).__name__}: {exc}")

    async def _check(self, home: str) -> SiteCheck:
        rules = await self.robots.rules(home, on_send=self._sent)
        robots = rules.status if not rules.reason else f"{rules.status} ({rules.reason})"
        try:
            response = await self._get(home)
        except FetchFailure as exc:
            if exc.kind == "offsite":
                return self._result(home, "moved", problem=exc.message, moved_to=exc.url, robots=robots)
            # "unreachable": robots.txt could not be had; dead only when the host did not answer it
            # either (a robots.txt answering 503 is a bad night, not a dead host).
            dead = exc.kind in _DEAD or (
                exc.kind == "unreachable" and any(k in (rules.reason or "") for k in _DEAD)
            )
            state = "dead" if dead else "error"
            return self._result(home, state, problem=f"home page: {exc.kind}: {exc.message}", robots=robots)
        page = discover_page(response.content, response.url, response.headers, site=self.probe_site)
        html = to_text(response.content, response.headers) if page.kind == "listing" else ""
        feeds = await self._keep([u for u in page.feeds if self.site.owns(u)], "feed")
        sitemaps = await self._keep([u for u in rules.sitemaps if self.site.owns(u)], "sitemap")
        listings = [home] if page.kind == "listing" and len(page.articles) >= MIN_LISTED else []
        listings += await self._keep(self._sections(html, response.url, page.next_page), "listing")
        if page.kind in ("feed", "sitemap"):  # a home that is itself a feed or sitemap
            (feeds if page.kind == "feed" else sitemaps).insert(0, home)
        article = await self._probe_article(page, feeds + sitemaps + listings)
        state = "ok" if feeds or sitemaps or listings else "empty"
        problem = None if state == "ok" else "no feed, sitemap or listing found"
        return self._result(
            home,
            state,
            problem=problem,
            robots=robots,
            feeds=tuple(feeds),
            sitemaps=tuple(sitemaps),
            listings=tuple(listings),
            cms=cms_family(html + self.article_html),
            article=article,
        )

    async def _keep(self, urls: list[str], kind: str) -> list[str]:
        """The candidates that read as ``kind`` with articles (or child sitemaps) on them."""
        kept: list[str] = []
        for url in list(dict.fromkeys(urls))[:MAX_PROBES]:
            try:
                response = await self._get(url)
                found = discover_page(response.content, response.url, response.headers, site=self.probe_site)
            except (FetchFailure, ScraperError):
                continue
            if found.kind == kind and (found.articles or found.sitemaps):
                kept.append(url)
                self.found[url] = found
        return kept

    def _sections(self, html: str, base: str, next_page: str | None) -> list[str]:
        """Section pages linked from the home page whose text or slug is about emulation; not the
        home's own later pages (same path, or its next page), which the crawl walks from it."""
        if not html:
            return []
        home_path = urlsplit(base).path
        out: list[str] = []
        for node in LexborHTMLParser(html).css("a[href]"):
            url = join_url(base, (node.attributes.get("href") or "").strip())
            if url is None or not self.site.owns(url) or url == next_page:
                continue
            try:
                path = urlsplit(canonical_url(url)).path
            except (ScraperError, ValueError):
                continue
            if path == home_path or looks_like_article(path):
                continue
            text = node.text(separator=" ")
            words = " " + ascii_words(f"{text} {path}") + " "
            if any(f" {w} " in words for w in SECTION_WORDS) and url not in out:
                out.append(url)
        return out

    async def _probe_article(self, home: Discovery, entries: list[str]) -> ArticleProbe | None:
        """Fetch the first article any entry point lists and parse it generically."""
        pages = [home, *(self.found[u] for u in entries if u in self.found)]
        url = next((h.url for p in pages for h in p.articles if self.site.owns(h.url)), None)
        if url is None:
            return None
        try:
            response = await self._get(url)
            self.article_html = to_text(response.content, response.headers)
            generic = Site(name="generic", hosts=self.site.hosts, start=(), home=url)
            article = parse_article(response.content, response.url, response.headers, site=generic)
        except (FetchFailure, ScraperError) as exc:
            return ArticleProbe(url, False, False, False, error=str(exc))
        return ArticleProbe(url, bool(article.title), article.published is not None, bool(article.body))


@lru_cache(maxsize=1)
def _families() -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    data = tomllib.loads((resources.files("thidua") / "data" / "cms.toml").read_text(encoding="utf-8"))
    return tuple((f["name"], int(f.get("min", 1)), tuple(f["markers"])) for f in data["family"])


def cms_family(html: str) -> str | None:
    """The CMS family (``thidua/data/cms.toml``) whose markers the page carries, or None.

    ``cms_family('<h1 class="article__title cms-title">…<div class="zce-content-body">')`` → "cms-title-zce".
    """
    for name, least, markers in _families():
        if sum(marker in html for marker in markers) >= least:
            return name
    return None
