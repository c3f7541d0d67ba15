"""A site's run state and its failure bookkeeping: requests sent through the fetcher, a failed URL's
state and backoff in the frontier, and the run's PageErrors.

``SiteState`` is the base of a site's run (``scraper.crawl_site.SiteCrawl``): it holds what every step
shares (site, frontier, options, fetcher, report, budgets) and how a failure is recorded, so the
article and discovery steps built on it record failures the same way.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from scraper.article_pool import ArticleReader
from scraper.breaker import HostBreaker, Pause
from scraper.crawl_records import CrawlOptions, OnProgress, OnRead, PageError, SiteReport
from scraper.fetch import Clock, Fetcher, FetchFailure, Response, host_key
from scraper.frontier import Frontier, UrlRecord
from scraper.relevance import RelevanceGate
from scraper.robots import Robots
from scraper.sites import Site
from scraper.writer import Writer

MAX_LISTING_PAGES = 50  # per listing walk when not --full: a runaway pager must not walk forever
RETRY_BASE = timedelta(hours=1)  # a failed URL is looked at again after 1 h, 2 h, 4 h … up to a week
RETRY_CAP = timedelta(days=7)
# Discovery pages (listings, sitemaps, feeds, search) per site and run, over every walk and every
# pending page taken up: a listing whose "next page" is itself with a new ?p= must end. --full
# (backfill) walks listings to their end, so it gets a larger default.
DISCOVERY_BUDGET = 1000
FULL_DISCOVERY_BUDGET = 20_000
MAX_SITEMAP_DEPTH = 3  # index → index → index → urlset; a ?n=1 → ?n=2 → … chain stops there
_GONE = frozenset({"http-404", "http-410"})
_NOT_WORTH = frozenset({"robots", "offsite", "too-large", "scheme"})


@dataclass
class Step:
    """The step of a page being processed, so an unexpected exception is recorded under its name."""

    name: str


class SiteState:
    """What a site's run shares between its steps, and how its requests and failures are recorded."""

    def __init__(
        self,
        site: Site,
        frontier: Frontier,
        on_read: OnRead,
        options: CrawlOptions,
        fetcher: Fetcher,
        robots: Robots,
        gate: RelevanceGate,
        on_progress: OnProgress | None,
        run_started: datetime,
        breaker: HostBreaker | None = None,
        clock: Clock = time.monotonic,
        *,
        reader: ArticleReader | None = None,
        writer: Writer | None = None,
    ) -> None:
        self.site = site
        self.frontier = frontier
        self.on_read = on_read
        self.reader = reader if reader is not None else ArticleReader(options.analyse, workers=0)
        self.writer = writer
        # Articles of this site being fetched at once: the site's concurrency (the fetcher keeps the
        # host's pace within it), so with a delay the next page is fetched while the last one is
        # parsed and extracted. A fetched page then waits for its read and store in one of as many
        # reading slots, its fetching slot free for the next page: the requests in flight do not
        # drop while pages queue for the pool or the writer, and the pages held stay bounded.
        # A quarter more fetching slots than the host lets in flight: a request is already queued at
        # the host's gate when one ends, so its slot is handed on at once (the fetcher keeps the pace).
        self.slots = asyncio.Semaphore(site.concurrency + site.concurrency // 4)
        self.reading = asyncio.Semaphore(site.concurrency)
        self.options = options
        self.fetcher = fetcher
        self.robots = robots
        self.gate = gate
        self.on_progress = on_progress
        self.run_started = run_started
        self.breaker = breaker if breaker is not None else HostBreaker()
        self.clock = clock
        self.started_at = clock()  # the site budget counts from here
        self.budget_told = False
        self.paused_told: set[str] = set()  # hosts whose pause this site's report already names
        self.report = SiteReport(site.name)
        self.article_re = re.compile(site.article_url) if site.article_url else None
        self.article_attempts = 0
        self.discovery_pages = 0  # discovery pages requested in this run, pending ones included
        self.discovery_told = False
        if options.max_discovery_pages is not None:
            self.discovery_budget = options.max_discovery_pages
        else:
            self.discovery_budget = FULL_DISCOVERY_BUDGET if options.full else DISCOVERY_BUDGET
        self.pages_done: set[str] = set()
        self.attempted: set[str] = set()
        self.fetch_url: dict[str, str] = {}  # canonical key → the URL as discovered (what we GET)
        self.keys_fetched: dict[str, str] = {}  # article_key → canonical URL fetched in this run

    def _budget_spent(self) -> bool:
        if self._out_of_time():
            return True
        return self.options.max_pages is not None and self.article_attempts >= self.options.max_pages

    def _out_of_time(self) -> bool:
        """True once the site's run took its budget; says so once per run.

        The budget is ``options.site_budget`` when set (``--site-budget``, for every site, as
        ``--delay`` is), else the site's own ``budget`` key of sites.toml, else none.
        """
        budget = self.options.site_budget if self.options.site_budget is not None else self.site.budget
        if budget is None or self.clock() - self.started_at < budget:
            return False
        if not self.budget_told:
            self.budget_told = True
            where = self.site.entry_points[0] if self.site.entry_points else self.site.name
            self._error(where, "site-budget", f"the site's run took its {budget:g} s budget; the rest waits")
        return True

    def _discovery_spent(self) -> bool:
        return self.discovery_pages >= self.discovery_budget

    # -- fetching and failures -----------------------------------------------------------------

    async def _get(
        self, url: str, rec: UrlRecord, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response | None:
        host = host_key(url)
        pause = self.breaker.pause_of(host)
        if pause is not None:
            self._skip_paused(url, rec, host, pause)
            return None
        try:
            response = await self.fetcher.get(
                url,
                guard=self._guard,
                etag=etag,
                last_modified=last_modified,
                on_send=self._sent,
                admit=self._admit,
            )
        except FetchFailure as exc:
            if exc.kind == "host-paused" and (pause := self.breaker.pause_of(host)) is not None:
                self._skip_paused(url, rec, host, pause)  # paused while this request waited its turn
                return None
            if exc.kind == "site-budget":  # the budget ran out while it waited: left as it was
                return None
            self._fail(rec, exc.kind, exc.message, retry_after=exc.retry_after)
            if exc.status is not None:
                self.report.responses += 1
            opened = self.breaker.failed(host, exc, datetime.now(UTC))
            if opened is not None:
                self._paused_error(url, host, opened)
                if opened.until is not None and (failed := self.frontier.get(rec.url)) is not None:
                    # Named as a host pause, so the next run leaves this entry point alone until then.
                    self.frontier.put(replace(failed, last_error=f"host-paused: {failed.last_error}"))
            return None
        self.breaker.answered(host)
        self.report.responses += 1
        return response

    def _skip_paused(self, url: str, rec: UrlRecord, host: str, pause: Pause) -> None:
        """Leave a URL of a paused host unrequested; one error per host and site, not one per URL."""
        self._paused_error(url, host, pause)
        if pause.until is not None and rec.state not in ("gone", "skipped"):
            # The host said when to come back: the next run does not ask this URL before then.
            self.frontier.put(
                replace(
                    rec,
                    state="failed",
                    next_check=pause.until,
                    last_error=f"host-paused: {host} paused ({pause.reason})",
                )
            )

    def _paused_error(self, url: str, host: str, pause: Pause) -> None:
        if host in self.paused_told:
            return
        self.paused_told.add(host)
        self._error(url, "host-paused", f"{host} paused for the rest of this run: {pause.reason}")

    def _admit(self, url: str) -> None:
        """Refuse to send to a host the breaker paused since the request was queued, or once the
        site's time budget ran out: with requests in flight, those waiting for the host's slot must
        not go out after the pause opened or the budget ended."""
        if self._out_of_time():
            raise FetchFailure(url, "site-budget", "the site's time budget ran out while it waited")
        if self.breaker.pause_of(host_key(url)) is not None:
            raise FetchFailure(url, "host-paused", f"{host_key(url)} was paused while this request waited")

    def _sent(self, url: str) -> None:
        self.report.requests += 1

    async def _guard(self, url: str) -> None:
        if not self._owns(url):
            raise FetchFailure(url, "offsite", f"redirected off the site's hosts ({host_key(url)})")
        await self.robots.check(url, on_send=self._sent)

    def _owns(self, url: str) -> bool:
        return self.site.owns(url)

    def _fail(
        self,
        rec: UrlRecord,
        kind: str,
        message: str,
        *,
        retry_after: float | None = None,
        retry_now: bool = False,
    ) -> None:
        now = datetime.now(UTC)
        attempts = rec.attempts + 1
        if kind in _GONE:
            state, next_check = "gone", None
        elif kind in _NOT_WORTH:
            state, next_check = "skipped", None
            self.report.skipped += kind == "robots"
        else:
            wait = min(RETRY_CAP, RETRY_BASE * 2 ** min(attempts - 1, 20))
            if retry_after is not None:
                # Clamped before timedelta: Retry-After 999999999999 raised OverflowError.
                wait = max(wait, timedelta(seconds=min(max(retry_after, 0.0), RETRY_CAP.total_seconds())))
            # A store failure (full disk) is retried on the next run once; failing again, it backs
            # off like any other, so a page that always breaks the store is not retried every night.
            now_again = retry_now and attempts == 1
            state, next_check = "failed", (now if now_again else now + wait)
            if rec.kind == "article":
                self.report.articles_failed += 1
        status = None
        if kind.startswith("http-") and kind[5:].isdigit():
            status = int(kind[5:])
        self.frontier.put(
            replace(
                rec,
                state=state,
                attempts=attempts,
                next_check=next_check,
                last_error=f"{kind}: {message}",
                http_status=status if status is not None else rec.http_status,
            )
        )
        self._error(rec.url, kind, message)

    def _error(self, url: str, kind: str, message: str) -> None:
        self.report.errors.append(PageError(self.site.name, url, kind, message))
        self._progress(f"error {kind} {url}: {message}")

    def _progress(self, message: str) -> None:
        if self.on_progress is not None:
            self.on_progress(self.site.name, message)
