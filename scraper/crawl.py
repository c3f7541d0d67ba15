"""The crawl loop: from configured sites to new articles handed to ``on_article``, politely and resumably.

One asyncio task per site (sites proceed in parallel; inside a site, one request at a time). A site's
run: its entry points (start URLs, monthly templates expanded, search pages for the search terms) are
fetched — conditionally when the frontier holds validators — and read as feed, sitemap or listing;
article URLs that pass the relevance gate and ``--since`` are recorded in the frontier as "new" and
fetched at once; then any discovery page or article left pending by an earlier, interrupted or failed
run is taken up. An article URL is marked "fetched" only after ``on_article`` returned, and a discovery
page's validators are saved only after everything it listed was recorded, so a crawl killed at any
moment and started again ends with the same articles handed on.

One page never stops a site: whatever a step of a page raises (fetch, decode, parse, store; for a
discovery page fetch, parse, follow) becomes that page's PageError, named after the step
("internal-parse", "store" …), and its URL is marked failed with backoff, so the next night neither
dies at it nor fetches it again at once. Work is bounded per site and run: ``DISCOVERY_BUDGET``
discovery pages in all (pending pages taken up count too) and ``MAX_SITEMAP_DEPTH`` index levels.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import httpx

from scraper.article import Article
from scraper.decode import to_text
from scraper.discover import Discovery, Hint, discover_page, guess_kind, id_date, search_urls, start_urls
from scraper.errors import ParseError, ScraperError
from scraper.fetch import Clock, Fetcher, FetchFailure, Response, Sleep, host_key
from scraper.frontier import Frontier, UrlRecord
from scraper.parse import parse_article
from scraper.relevance import SEARCH_TERMS, Relevance, RelevanceGate
from scraper.robots import Robots
from scraper.sites import DEFAULT_DELAY, Site
from scraper.timezone import VN_TZ
from scraper.urls import article_key, canonical_url

DEFAULT_USER_AGENT = "thidua/0.1 (+https://github.com/thidua/thidua; emulation-cluster research crawler)"

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


@dataclass(frozen=True)
class CrawlOptions:
    """How one crawl behaves. Defaults are the nightly job's; tests and benches shorten delays."""

    since: date | None = None  # listings stop when a page is older; sitemaps/feeds skip older
    max_pages: int | None = None  # at most this many article pages fetched per site
    full: bool = False  # relevance gate off; listings walked to the end (backfill)
    delay: float | None = None  # override every site's delay (tests and benches: 0)
    timeout: float = 10.0  # seconds per request
    max_bytes: int = 5_000_000  # streamed body cap; also the cap on decompressed size
    retries: int = 3  # on connect errors, 429 and 5xx; exponential backoff + jitter
    user_agent: str = DEFAULT_USER_AGENT
    search_terms: tuple[str, ...] = SEARCH_TERMS
    # The relevance gate's test of a title, lead or slug; None: the search terms. The application
    # passes the extractor's (extract.gate.names_a_cluster), so the gate keeps what extraction finds.
    relevance: Relevance | None = None
    # Discovery pages per site and run; None: DISCOVERY_BUDGET (FULL_DISCOVERY_BUDGET when full).
    max_discovery_pages: int | None = None


@dataclass(frozen=True)
class PageError:
    """One failure of a crawl: which site and URL, a kind ("http-404", "timeout", "store" …), why."""

    site: str
    url: str
    kind: str
    message: str


@dataclass
class SiteReport:
    """What a crawl did on one site.

    ``aborted``: an exception escaped the site's loop (not a page's: those are PageErrors), so the
    rest of the site was not crawled. ``all_articles_failed``: the site answered, articles were
    tried and not one was handed on. ``ok`` is False for either: the run must not be called good.
    """

    site: str
    requests: int = 0  # HTTP requests sent (robots, feeds, sitemaps, listings, articles)
    not_modified: int = 0  # 304 answers
    pages_fetched: int = 0  # article pages fetched with 200
    new_articles: int = 0  # handed to on_article
    duplicates: int = 0  # same content hash as a stored article, not handed on
    skipped: int = 0  # failed the relevance gate / robots / since
    errors: list[PageError] = field(default_factory=list)
    responses: int = 0  # HTTP answers (any status) to discovery and article requests
    articles_failed: int = 0  # article URLs marked failed in this run (not 404/410, robots, offsite)
    aborted: bool = False  # an exception escaped the site's loop: the rest of the site was not crawled

    @property
    def all_articles_failed(self) -> bool:
        """True when the site answered, articles were tried, and not one was handed on or known."""
        return (
            self.responses > 0
            and self.articles_failed > 0
            and self.new_articles == 0
            and self.duplicates == 0
        )

    @property
    def ok(self) -> bool:
        """False when this site's run must not count as a good run: aborted, or every article failed."""
        return not self.aborted and not self.all_articles_failed


@dataclass
class CrawlReport:
    """What a crawl did: one ``SiteReport`` per site, and totals."""

    sites: list[SiteReport]

    @property
    def requests(self) -> int:
        """HTTP requests sent over all sites."""
        return sum(s.requests for s in self.sites)

    @property
    def not_modified(self) -> int:
        """304 answers over all sites."""
        return sum(s.not_modified for s in self.sites)

    @property
    def pages_fetched(self) -> int:
        """Article pages fetched with 200 over all sites."""
        return sum(s.pages_fetched for s in self.sites)

    @property
    def new_articles(self) -> int:
        """Articles handed to on_article over all sites."""
        return sum(s.new_articles for s in self.sites)

    @property
    def duplicates(self) -> int:
        """Articles not handed on because their text was already stored."""
        return sum(s.duplicates for s in self.sites)

    @property
    def skipped(self) -> int:
        """URLs not fetched: relevance gate, robots, since."""
        return sum(s.skipped for s in self.sites)

    @property
    def errors(self) -> list[PageError]:
        """Every PageError of every site, site by site."""
        return [e for s in self.sites for e in s.errors]

    @property
    def failed_sites(self) -> list[SiteReport]:
        """The sites whose run was not good (``SiteReport.ok`` False): aborted, or every article failed."""
        return [s for s in self.sites if not s.ok]


OnArticle = Callable[[Article], None]
OnProgress = Callable[[str, str], None]


async def crawl(
    sites: Sequence[Site],
    frontier: Frontier,
    on_article: OnArticle,
    options: CrawlOptions = CrawlOptions(),
    *,
    on_progress: OnProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> CrawlReport:
    """Crawl ``sites`` once: discover, fetch politely, parse, and hand each new article to ``on_article``.

    The frontier says what is known (and keeps validators, failures, next checks); ``transport`` lets
    a caller plug its own httpx transport. The relevance gate matches ``options.search_terms`` (the
    same terms the search pages are asked for) in titles, leads, listing snippets and slugs, and is
    off when ``options.full``. Page and site failures never raise: they are PageErrors in
    the report and ``last_error`` in the frontier. Raises ``ScraperError`` for unusable options.

    ``clock`` and ``sleep`` time the per-host pause and the retry backoff (see ``Fetcher``): tests
    pass ``httpx.MockTransport`` and a fake clock, so they check the pace without waiting for it.
    """
    _check_options(sites, options)
    started = datetime.now(UTC)
    default_delay = options.delay if options.delay is not None else DEFAULT_DELAY
    gate = RelevanceGate(options.search_terms, enabled=not options.full, predicate=options.relevance)
    async with Fetcher(
        user_agent=options.user_agent,
        timeout=options.timeout,
        max_bytes=options.max_bytes,
        retries=options.retries,
        default_delay=default_delay,
        transport=transport,
        clock=clock,
        sleep=sleep,
    ) as fetcher:
        for site in sites:
            for host in site.hosts:
                # Two entries sharing a host share one pace: the slowest wins.
                shared = [s.delay for s in sites if host in s.hosts]
                fetcher.set_delay(host.lower(), options.delay if options.delay is not None else max(shared))
        robots = Robots(fetcher, options.user_agent)
        runs = [
            _SiteCrawl(site, frontier, on_article, options, fetcher, robots, gate, on_progress, started)
            for site in sites
        ]
        await asyncio.gather(*(run.run() for run in runs))
    return CrawlReport([run.report for run in runs])


def crawl_sync(
    sites: Sequence[Site],
    frontier: Frontier,
    on_article: OnArticle,
    options: CrawlOptions = CrawlOptions(),
    *,
    on_progress: OnProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> CrawlReport:
    """``crawl`` for callers without an event loop (the CLI): ``asyncio.run(crawl(...))``."""
    return asyncio.run(
        crawl(sites, frontier, on_article, options, on_progress=on_progress, transport=transport)
    )


def _check_options(sites: Sequence[Site], options: CrawlOptions) -> None:
    problems = []
    if options.delay is not None and options.delay < 0:
        problems.append(f"delay must be ≥ 0 seconds, got {options.delay}")
    if options.timeout <= 0:
        problems.append(f"timeout must be > 0 seconds, got {options.timeout}")
    if options.max_bytes <= 0:
        problems.append(f"max_bytes must be > 0, got {options.max_bytes}")
    if options.retries < 0:
        problems.append(f"retries must be ≥ 0, got {options.retries}")
    if options.max_pages is not None and options.max_pages < 0:
        problems.append(f"max_pages must be ≥ 0, got {options.max_pages}")
    if options.max_discovery_pages is not None and options.max_discovery_pages < 0:
        problems.append(f"max_discovery_pages must be ≥ 0, got {options.max_discovery_pages}")
    if not options.user_agent.strip():
        problems.append("user_agent must not be empty (say who crawls and how to reach them)")
    names = [s.name for s in sites]
    if len(set(names)) != len(names):
        problems.append(f"site names must be unique, got {names}")
    if problems:
        raise ScraperError("cannot start the crawl: " + "; ".join(problems))


def _vn_date(when: datetime) -> date:
    return (when if when.tzinfo else when.replace(tzinfo=VN_TZ)).astimezone(VN_TZ).date()


class _SiteCrawl:
    """One site's run: sequential, so a host never sees two requests at once."""

    def __init__(
        self,
        site: Site,
        frontier: Frontier,
        on_article: OnArticle,
        options: CrawlOptions,
        fetcher: Fetcher,
        robots: Robots,
        gate: RelevanceGate,
        on_progress: OnProgress | None,
        run_started: datetime,
    ) -> None:
        self.site = site
        self.frontier = frontier
        self.on_article = on_article
        self.options = options
        self.fetcher = fetcher
        self.robots = robots
        self.gate = gate
        self.on_progress = on_progress
        self.run_started = run_started
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

    # -- the run -------------------------------------------------------------------------------

    async def run(self) -> None:
        """Crawl the site; never raises except on cancellation."""
        try:
            today = datetime.now(VN_TZ).date()
            entries = [
                (u, guess_kind(u)) for u in start_urls(self.site, since=self.options.since, today=today)
            ]
            entries += await self._robots_sitemaps(entries)
            entries += [(u, "search") for u in search_urls(self.site, self.options.search_terms)]
            for url, kind in entries:
                if self._budget_spent():
                    break
                if self._broke_lately(url):
                    continue
                await self._walk(url, kind)
            await self._take_up_pending()
        except Exception as exc:  # a bug on one site must not stop the others
            where = self.site.entry_points[0] if self.site.entry_points else self.site.name
            self._error(where, "internal", f"{type(exc).__name__}: {exc}")
            # Per-page failures are caught per page; reaching here means the site's loop itself broke
            # (e.g. the frontier cannot be written): say so, the run must not count as good.
            self.report.aborted = True
        self._progress(
            f"done: {self.report.new_articles} new, {self.report.requests} requests, "
            f"{len(self.report.errors)} errors"
        )

    async def _robots_sitemaps(self, entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The ``Sitemap:`` lines of robots.txt, for a site configured by its home page alone (listed
        start URLs win): the site's own sitemaps, where an operator would have looked them up."""
        if self.site.start or not entries:
            return []
        rules = await self.robots.rules(entries[0][0], on_send=self._sent)
        known = {url for url, _ in entries}
        return [(u, "sitemap") for u in rules.sitemaps if u not in known and self._owns(u)]

    async def _take_up_pending(self) -> None:
        # Pages and articles an earlier (killed or failed) run left to do, and failures now due.
        progress = True
        while progress and not self._budget_spent() and not self._discovery_spent():
            progress = False
            for kind in ("sitemap", "feed", "listing", "search"):
                for rec in self.frontier.pending(self.site.name, kind, datetime.now(UTC)):
                    if rec.url in self.pages_done or self._budget_spent() or self._discovery_spent():
                        continue
                    progress = True
                    await self._walk(rec.url, kind)
        for rec in self.frontier.pending(self.site.name, "article", datetime.now(UTC)):
            if self._budget_spent():
                break
            if rec.url not in self.attempted:
                await self._fetch_article(rec)

    def _budget_spent(self) -> bool:
        return self.options.max_pages is not None and self.article_attempts >= self.options.max_pages

    def _broke_lately(self, url: str) -> bool:
        """True for an entry point whose last read raised in our own code and whose backoff runs: the
        same bytes would break the same way, every night (other failures are retried each run, as an
        entry point must be read)."""
        rec = self.frontier.get(url)
        return (
            rec is not None
            and rec.state == "failed"
            and (rec.last_error or "").startswith("internal-")
            and rec.next_check is not None
            and rec.next_check > datetime.now(UTC)
        )

    def _discovery_spent(self) -> bool:
        return self.discovery_pages >= self.discovery_budget

    # -- discovery pages -----------------------------------------------------------------------

    async def _walk(self, url: str, kind: str, depth: int = 0) -> None:
        """Fetch a discovery page and everything it leads to: children, next pages, articles.

        ``depth`` counts sitemap-index levels above this page (bounded by ``MAX_SITEMAP_DEPTH``).
        """
        pages = 0
        current: str | None = url
        while current is not None and current not in self.pages_done:
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
            next_page = await self._page(current, kind, depth)
            if next_page is None or self._budget_spent():
                break
            if not self.options.full and pages >= MAX_LISTING_PAGES:
                break
            current = next_page

    async def _page(self, url: str, kind: str, depth: int = 0) -> str | None:
        """Handle one discovery page; return the next listing page to walk, or None to stop.

        Any exception of a step (fetch, parse, follow) is this page's error: the URL is marked
        failed with backoff and the site goes on.
        """
        now = datetime.now(UTC)
        rec = self.frontier.get(url) or UrlRecord(url, self.site.name, kind, discovered_at=now)
        step = _Step("fetch")
        try:
            return await self._read_page(url, kind, depth, rec, now, step)
        except Exception as exc:
            self._fail(self.frontier.get(url) or rec, f"internal-{step.name}", f"{type(exc).__name__}: {exc}")
            return None

    async def _read_page(
        self, url: str, kind: str, depth: int, rec: UrlRecord, now: datetime, step: _Step
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
        if response.status == 304:
            self.report.not_modified += 1
            self.frontier.put(
                replace(
                    rec, state="fetched", fetched_at=now, http_status=304, next_check=None, last_error=None
                )
            )
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
        next_page = await self._follow(found, kind, walked_before=rec.fetched_at is not None, depth=depth)
        step.name = "store"
        # Validators last: a run killed before this point reads the page again next time.
        self.frontier.put(
            replace(
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
            )
        )
        return next_page

    async def _follow(
        self, found: Discovery, kind: str, *, walked_before: bool, depth: int = 0
    ) -> str | None:
        since = self.options.since
        for child in found.sitemaps:
            if not self._owns(child.url):
                continue
            if since is not None and child.published is not None and _vn_date(child.published) < since:
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
        to_fetch: list[UrlRecord] = []
        for hint in found.articles:
            known, rec, when = self._note_article(hint, via=kind)
            all_known = all_known and known
            if when is not None:
                dates.append(when)
            if rec is not None:
                to_fetch.append(rec)
        for rec in to_fetch:
            if self._budget_spent():
                return None
            published = await self._fetch_article(rec)
            if published is not None:
                dates.append(_vn_date(published))
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

    # -- articles ------------------------------------------------------------------------------

    def _note_article(self, hint: Hint, *, via: str) -> tuple[bool, UrlRecord | None, date | None]:
        """Record an article URL found by discovery.

        Returns (known before this run, the record if it should be fetched now, its date if known).
        """
        try:
            key = canonical_url(hint.url)
        except ParseError:
            return False, None, None
        if not (self._owns(key) or self._owns(hint.url)):
            return True, None, None
        if self.article_re is not None and not (
            self.article_re.search(hint.url) or self.article_re.search(key)
        ):
            return True, None, None
        now = datetime.now(UTC)
        rec = self.frontier.get(key)
        # Known = settled by an earlier run; a URL merely discovered (by a killed run) is still news.
        known = (
            rec is not None
            and rec.state in ("fetched", "gone", "skipped")
            and (rec.discovered_at is None or rec.discovered_at < self.run_started)
        )
        published = hint.published or (rec.published if rec is not None else None)
        when = _vn_date(published) if published is not None else id_date(key)
        self.fetch_url.setdefault(key, hint.url)
        if rec is not None and rec.state in ("fetched", "gone"):
            return known, None, when
        if self.options.since is not None and when is not None and when < self.options.since:
            self.report.skipped += 1
            return known, None, when
        title = hint.title or (rec.title if rec is not None else None)
        passes = (
            via == "search" or not self.site.gate or self.gate.matches(url=key, title=title, lead=hint.lead)
        )
        if rec is not None and rec.state == "skipped":
            robots_skip = (rec.last_error or "").startswith(("robots", "offsite", "too-large"))
            if not passes or (robots_skip and not self.options.full):
                return known, None, when
            rec = replace(rec, state="new", last_error=None, title=title, published=published)
            self.frontier.put(rec)
        elif rec is None:
            rec = UrlRecord(
                key,
                self.site.name,
                "article",
                state="new" if passes else "skipped",
                discovered_at=now,
                title=title,
                published=published,
                last_error=None if passes else "relevance: no search term in title, slug or lead",
            )
            self.frontier.put(rec)
            if not passes:
                self.report.skipped += 1
                return known, None, when
        if rec.state == "failed" and rec.next_check is not None and rec.next_check > now:
            return known, None, when
        return known, rec, when

    async def _fetch_article(self, rec: UrlRecord) -> datetime | None:
        """Fetch, parse and hand on one article; return its publication date when it was read."""
        current = self.frontier.get(rec.url) or rec
        if current.state in ("fetched", "gone") or rec.url in self.attempted:
            return current.published
        self.attempted.add(rec.url)
        key = rec.url
        same = self.keys_fetched.get(_safe_key(key))
        if same is not None and same != key:
            first = self.frontier.get(same)
            self.report.duplicates += 1
            self.frontier.put(
                replace(
                    current,
                    state="fetched",
                    fetched_at=datetime.now(UTC),
                    last_error=None,
                    content_hash=first.content_hash if first else None,
                )
            )
            return current.published
        self.article_attempts += 1
        step = _Step("fetch")
        try:
            return await self._read_article(key, current, step)
        except Exception as exc:
            # Whatever a step raised is this page's error, named after the step; the site goes on.
            self._fail(
                self.frontier.get(key) or current, f"internal-{step.name}", f"{type(exc).__name__}: {exc}"
            )
            return None

    async def _read_article(self, key: str, current: UrlRecord, step: _Step) -> datetime | None:
        """Fetch, decode, parse and hand on one article; ``step`` names the step running."""
        fetched_at = datetime.now(UTC)
        response = await self._get(self.fetch_url.get(key, key), current)
        if response is None:
            return None
        if response.status != 200:
            self._fail(
                current, f"http-{response.status}", f"unexpected HTTP {response.status} for an article"
            )
            return None
        self.report.pages_fetched += 1
        step.name = "decode"
        text = to_text(response.content, response.headers, nfc=False)  # what parse_article would do
        step.name = "parse"
        try:
            article = parse_article(
                text, response.url, response.headers, site=self.site, fetched_at=fetched_at
            )
        except ParseError as exc:
            self._fail(current, "parse", str(exc))
            return None
        step.name = "store"
        others = {article.canonical_url, _canonical_or_none(response.url)} - {key, None}
        aliases = [u for u in others if u is not None and self._owns(u)]

        def done(base: UrlRecord) -> UrlRecord:
            return replace(
                base,
                state="fetched",
                fetched_at=fetched_at,
                http_status=200,
                attempts=0,
                next_check=None,
                last_error=None,
                content_hash=article.content_hash,
                title=article.title or current.title,
                published=article.published or current.published,
            )

        duplicate_of = self.frontier.url_for_hash(article.content_hash)
        if duplicate_of is None:
            duplicate_of = next(
                (u for u in aliases if (r := self.frontier.get(u)) is not None and r.state == "fetched"), None
            )
        if duplicate_of is not None and duplicate_of != key:
            self.report.duplicates += 1
            self.frontier.put(done(current))
            return article.published
        try:
            self.on_article(article)
        except Exception as exc:  # storage failed: retry this URL on the next run, go on with the others
            self._fail(current, "store", f"{type(exc).__name__}: {exc}", retry_now=True)
            return article.published
        self.frontier.put(done(current))
        self.keys_fetched[_safe_key(key)] = key
        for alias in aliases:
            old = self.frontier.get(alias)
            base = old or UrlRecord(alias, self.site.name, "article", discovered_at=fetched_at)
            self.frontier.put(done(base))
        self.report.new_articles += 1
        self._progress(f"article {key}")
        return article.published

    # -- fetching and failures -----------------------------------------------------------------

    async def _get(
        self, url: str, rec: UrlRecord, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response | None:
        try:
            response = await self.fetcher.get(
                url, guard=self._guard, etag=etag, last_modified=last_modified, on_send=self._sent
            )
        except FetchFailure as exc:
            self._fail(rec, exc.kind, exc.message, retry_after=exc.retry_after)
            if exc.status is not None:
                self.report.responses += 1
            return None
        self.report.responses += 1
        return response

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


@dataclass
class _Step:
    """The step of a page being processed, so an unexpected exception is recorded under its name."""

    name: str


def _safe_key(url: str) -> str:
    try:
        return article_key(url)
    except ParseError:
        return url


def _canonical_or_none(url: str) -> str | None:
    try:
        return canonical_url(url)
    except ParseError:
        return None
