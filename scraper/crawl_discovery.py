"""A site's discovery pages: a listing, sitemap, feed or search page is fetched (conditionally when
the frontier holds validators), read, and followed — child sitemaps, autodiscovered feeds, the
articles it lists, its next page — within the run's discovery budget and sitemap depth.

Child sitemaps stay fresh under an index that does not change: a child whose ``lastmod`` in the index
is the one stored with it (``UrlRecord.published``) and that was read is not asked again; a child
with a new or no ``lastmod`` is read (conditionally). When an entry sitemap answers 304 its children
are not lost behind it: the known children without a ``lastmod`` are read conditionally, every night
(static index files keep their validators while the children they list grow).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from scraper.crawl_articles import ArticleFetching
from scraper.crawl_failures import MAX_LISTING_PAGES, MAX_SITEMAP_DEPTH, Step
from scraper.discover import Discovery, discover_page
from scraper.errors import ParseError
from scraper.fetch import FetchFailure
from scraper.freshness import hint_date, newest_first, per_article_dates
from scraper.frontier import UrlRecord
from scraper.selector_rot import SelectorTally
from scraper.timezone import vn_date

NOTES_BETWEEN_YIELDS = 50  # article URLs noted between two turns of the other tasks
# Listing pages a walk reads on while the articles of earlier ones are still fetched: the chain of
# next pages is no longer read one page, then its articles, then the next page.
PAGES_AHEAD = 2


class DiscoveryWalk(ArticleFetching):
    """The discovery steps of a site's run."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A child sitemap's lastmod as its index gave it in this run: stored with the child once the
        # child was read, so a run killed before reads it again.
        self.sitemap_lastmod: dict[str, datetime | None] = {}
        self.selector_tally = SelectorTally(self.site.selectors)

    async def _walk(self, url: str, kind: str, depth: int = 0) -> None:
        """Fetch a discovery page and everything it leads to: children, next pages, articles.

        ``depth`` counts sitemap-index levels above this page (bounded by ``MAX_SITEMAP_DEPTH``).
        """
        behind: list[asyncio.Task[None]] = []  # listing pages whose articles are still fetched
        try:
            await self._walk_pages(url, kind, depth, behind)
            await asyncio.gather(*behind)  # the walk ends when its pages' articles are done
        finally:
            for task in behind:
                task.cancel()

    async def _walk_pages(self, url: str, kind: str, depth: int, behind: list[asyncio.Task[None]]) -> None:
        pages = 0
        current: str | None = url
        while current is not None and current not in self.pages_done:
            for task in behind:  # the run being stopped under an earlier page's articles stops the walk
                if task.done() and not task.cancelled() and task.exception() is not None:
                    await task
            if self._out_of_time():
                break
            if self._discovery_spent():
                if not self.discovery_told:  # once per site and run, not once per walk cut short
                    self.discovery_told = True
                    self._error(
                        current,
                        "discovery-budget",
                        f"{self.discovery_budget} discovery pages read in this run; the rest waits",
                    )
                break
            self.pages_done.add(current)
            self.discovery_pages += 1
            pages += 1
            next_page = await self._page(current, kind, depth, behind)
            if next_page is None or self._budget_spent():
                break
            if not self.options.full and pages >= MAX_LISTING_PAGES:
                break
            current = next_page

    async def _page(
        self, url: str, kind: str, depth: int = 0, behind: list[asyncio.Task[None]] | None = None
    ) -> str | None:
        """Handle one discovery page; return the next listing page to walk, or None to stop.

        Any exception of a step (fetch, parse, follow) is this page's error: the URL is marked
        failed with backoff and the site goes on.
        """
        now = datetime.now(UTC)
        rec = self.frontier.get(url) or UrlRecord(url, self.site.name, kind, discovered_at=now)
        step = Step("fetch")
        try:
            return await self._read_page(url, kind, depth, rec, now, step, behind)
        except Exception as exc:
            self._fail(self.frontier.get(url) or rec, f"internal-{step.name}", f"{type(exc).__name__}: {exc}")
            return None

    async def _read_page(
        self,
        url: str,
        kind: str,
        depth: int,
        rec: UrlRecord,
        now: datetime,
        step: Step,
        behind: list[asyncio.Task[None]] | None = None,
    ) -> str | None:
        # A full crawl re-reads listings to walk them to the end; otherwise ask only for changes.
        conditional = not (self.options.full and kind in ("listing", "search"))
        self._progress(f"{kind} {url}")
        response = await self._get(
            url,
            rec,
            etag=rec.etag if conditional else None,
            last_modified=rec.last_modified if conditional else None,
        )
        if response is None:
            return None
        step.name = "parse"  # discover_page decodes and parses
        lastmod = self.sitemap_lastmod.get(url, rec.published) if kind == "sitemap" else rec.published
        if response.status == 304:
            self.report.not_modified += 1
            self.frontier.put(
                replace(
                    rec,
                    state="fetched",
                    fetched_at=now,
                    http_status=304,
                    next_check=None,
                    last_error=None,
                    published=lastmod,
                )
            )
            if kind == "sitemap" and depth == 0:
                await self._children_under_304(url)
            return None
        try:
            found = discover_page(
                response.content,
                response.url,
                response.headers,
                site=self.site,
                max_bytes=self.options.max_bytes,
            )
        except ParseError as exc:
            self._fail(rec, "parse", str(exc))
            return None
        except FetchFailure as exc:
            self._fail(rec, exc.kind, exc.message)
            return None
        if kind != "search":
            kind = found.kind
        step.name = "follow"
        articles: list[asyncio.Task[list[datetime]]] = []  # set when they are fetched behind the walk
        next_page = await self._follow(
            found,
            kind,
            walked_before=rec.fetched_at is not None,
            depth=depth,
            ahead=articles if behind is not None else None,
        )
        # Validators last: a run killed before this point reads the page again next time.
        done = replace(
            rec,
            kind=kind,
            state="fetched",
            fetched_at=now,
            http_status=response.status,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            attempts=0,
            next_check=None,
            last_error=None,
            published=lastmod if kind == "sitemap" else rec.published,
        )
        if articles and behind is not None:
            behind.append(asyncio.create_task(self._finish_behind(articles[0], done)))
            while len([t for t in behind if not t.done()]) > PAGES_AHEAD:  # the walk waits for the oldest
                await next(t for t in behind if not t.done())
            return next_page
        step.name = "store"
        self.frontier.put(done)
        return next_page

    async def _finish_behind(self, articles: asyncio.Task[list[datetime]], done: UrlRecord) -> None:
        """A listing page whose articles were fetched behind the walk: its validators once they are
        done, or its error (named "internal-follow", as when awaited in place) if they broke."""
        step = Step("follow")
        try:
            await articles
            step.name = "store"
            self.frontier.put(done)
        except Exception as exc:
            rec = self.frontier.get(done.url) or done
            self._fail(rec, f"internal-{step.name}", f"{type(exc).__name__}: {exc}")

    async def _children_under_304(self, url: str) -> None:
        """An entry sitemap answered 304: read the site's known child sitemaps that no index dated,
        conditionally (most answer 304 too); a dated child is read when its index dates it anew."""
        entries = set(self.site.entry_points)
        for child in self.frontier.known(self.site.name, "sitemap"):
            if child.url == url or child.url in entries or child.url in self.pages_done:
                continue
            if child.state != "fetched" or child.published is not None:
                continue  # failed ones wait for their backoff (pending); dated ones for a new date
            if self._budget_spent() or self._discovery_spent():
                return
            await self._walk(child.url, "sitemap", 1)

    def _unchanged_child(self, url: str, lastmod: datetime | None) -> bool:
        """True for a child sitemap read before whose index gives the lastmod stored with it; else
        remember the lastmod, to store with the child once it is read."""
        known = self.frontier.get(url)
        if (
            lastmod is not None
            and known is not None
            and known.state == "fetched"
            and known.published is not None
            and known.published == lastmod
        ):
            return True
        self.sitemap_lastmod[url] = lastmod
        return False

    async def _follow(
        self,
        found: Discovery,
        kind: str,
        *,
        walked_before: bool,
        depth: int = 0,
        ahead: list[asyncio.Task[list[datetime]]] | None = None,
    ) -> str | None:
        """Follow a page: its child sitemaps and feeds, its articles, and (returned) its next page.

        With ``ahead``, a listing page whose next page does not hang on its articles (no ``--since``
        still to be decided by their dates, no page budget) leaves them fetching, as a task put in
        ``ahead``, and returns its next page at once: the walk reads on while they are fetched."""
        since = self.options.since
        for child in found.sitemaps:
            if not self._owns(child.url):
                continue
            if since is not None and child.published is not None and vn_date(child.published) < since:
                continue
            if self._unchanged_child(child.url, child.published):
                continue
            if depth >= MAX_SITEMAP_DEPTH:
                # A chain of indexes (?n=1 → ?n=2 → …) would recurse until Python gives up.
                message = f"sitemap index nested deeper than {MAX_SITEMAP_DEPTH} levels; not read"
                self._error(child.url, "sitemap-depth", message)
                continue
            await self._walk(child.url, "sitemap", depth + 1)
        for feed in found.feeds:  # autodiscovered (home-only sites): read like a listed feed
            if self._owns(feed) and feed not in self.pages_done:
                await self._walk(feed, "feed")
        all_known = bool(found.articles)
        dates: list[date] = []
        to_fetch: list[tuple[datetime | None, UrlRecord]] = []
        for n, hint in enumerate(per_article_dates(found.articles), 1):
            if n % NOTES_BETWEEN_YIELDS == 0:
                # A sitemap's thousand URLs noted in one go held the event loop ~0.3 s, every
                # request in flight waiting: the other tasks get a turn between every few dozen.
                await asyncio.sleep(0)
            known, rec, when = self._note_article(hint, via=kind)
            all_known = all_known and known
            if when is not None:
                dates.append(when)
            if rec is not None:
                to_fetch.append((hint_date(hint) or rec.published, rec))
        # Newest first, so a crawl cut by its budget got the newest (scraper.freshness).
        ordered = newest_first(to_fetch)
        if (
            ahead is not None
            and ordered
            and kind in ("listing", "search")
            and self.options.max_pages is None
            and (since is None or (dates and max(dates) >= since))
        ):
            ahead.append(asyncio.create_task(self._fetch_articles(ordered)))
            fetched: list[datetime] = []
        else:
            fetched = await self._fetch_articles(ordered)
        dates += [vn_date(published) for published in fetched]
        if to_fetch and self._budget_spent():
            return None
        # Selector rot: the configured listing selector finds nothing on an entry page (a later page of
        # a listing may be empty; an entry page is not).
        if (
            kind == "listing"
            and not found.articles
            and "listing" in self.site.selectors
            and found.url in self.site.entry_points
        ):
            self._error(found.url, "selector-nothing", "the site's listing selector matched no article")
        if kind not in ("listing", "search") or found.next_page is None:
            return None
        if not self._owns(found.next_page):
            return None
        if not found.articles:
            return None
        # "Only known URLs" ends the walk only on a page an earlier run already read: a listing
        # never walked before is read to its end (or --since, or the page cap). --full walks on.
        if all_known and walked_before and not self.options.full:
            return None
        if since is not None and dates and max(dates) < since:
            return None
        # Remember the next page before this one's validators are saved, so a kill in between
        # leaves it pending instead of lost behind a 304.
        if self.frontier.get(found.next_page) is None:
            self.frontier.put(
                UrlRecord(found.next_page, self.site.name, kind, discovered_at=datetime.now(UTC))
            )
        return found.next_page
