"""The crawl loop: from configured sites to new articles handed to ``on_article``, politely and resumably.

One asyncio task per site (sites proceed in parallel). Inside a site, discovery pages are read one at a
time and the articles they list up to the site's ``concurrency`` at once; the fetcher keeps each host's
pace (with a delay, one request at a time; with delay 0, up to ``concurrency`` in flight) under a global
cap of ``max_connections``. Article pages are decoded, parsed and analysed (the application's
extraction) in a process pool, each within ``article_time_limit`` (``scraper.article_pool``), and
stored by one writer task, in order (``scraper.writer``): network, CPU and storage overlap. A site's
run: its entry points (start URLs, monthly templates expanded, search pages for the search terms) are
fetched — conditionally when the frontier holds validators — and read as feed, sitemap or listing;
article URLs that pass the relevance gate and ``--since`` are recorded in the frontier as "new" and
fetched at once; then any discovery page or article left pending by an earlier, interrupted or failed
run is taken up. An article URL is marked "fetched" only after ``on_article`` returned, and a discovery
page's validators are saved only after everything it listed was recorded, so a crawl killed at any
moment and started again ends with the same articles handed on.

The pieces live in modules named for what they hold: ``crawl_records`` (options and reports),
``crawl_site`` (a site's run), ``crawl_discovery`` (discovery pages), ``crawl_articles`` (article
pages) and ``crawl_failures`` (the run's shared state, failures and backoff).

One page never stops a site: whatever a step of a page raises (fetch, decode, parse, store; for a
discovery page fetch, parse, follow) becomes that page's PageError, named after the step
("internal-parse", "store" …), and its URL is marked failed with backoff, so the next night neither
dies at it nor fetches it again at once. Work is bounded per site and run: ``DISCOVERY_BUDGET``
discovery pages in all (pending pages taken up count too) and ``MAX_SITEMAP_DEPTH`` index levels.
A host that answers 5xx/429 for several URLs in a row, or asks for a long Retry-After, is paused for
the rest of the run, over every site (``scraper.breaker``).
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import httpx

from scraper.article_pool import ArticleReader
from scraper.breaker import HostBreaker
from scraper.crawl_failures import (
    DISCOVERY_BUDGET,
    FULL_DISCOVERY_BUDGET,
    MAX_LISTING_PAGES,
    MAX_SITEMAP_DEPTH,
    RETRY_BASE,
    RETRY_CAP,
)
from scraper.crawl_records import (
    DEFAULT_USER_AGENT,
    CrawlOptions,
    CrawlReport,
    OnArticle,
    OnProgress,
    OnRead,
    PageError,
    SiteReport,
)
from scraper.crawl_site import SiteCrawl
from scraper.errors import ScraperError
from scraper.fetch import Clock, Fetcher, OnResponse, Sleep
from scraper.frontier import Frontier, StorageFull
from scraper.relevance import RelevanceGate
from scraper.robots import Robots
from scraper.sites import DEFAULT_DELAY, Site
from scraper.writer import Writer

# What ``scraper.crawl`` has always exported, now defined in the modules named for what they hold.
__all__ = [
    "DEFAULT_USER_AGENT",
    "DISCOVERY_BUDGET",
    "FULL_DISCOVERY_BUDGET",
    "MAX_LISTING_PAGES",
    "MAX_SITEMAP_DEPTH",
    "RETRY_BASE",
    "RETRY_CAP",
    "CrawlOptions",
    "CrawlReport",
    "OnArticle",
    "OnProgress",
    "OnRead",
    "PageError",
    "SiteReport",
    "crawl",
    "crawl_sync",
]


async def crawl(
    sites: Sequence[Site],
    frontier: Frontier,
    on_article: OnArticle | None,
    options: CrawlOptions = CrawlOptions(),
    *,
    on_read: OnRead | None = None,
    on_progress: OnProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
    on_response: OnResponse | None = None,
) -> CrawlReport:
    """Crawl ``sites`` once: discover, fetch politely, parse, and hand each new article to ``on_article``.

    The frontier says what is known (and keeps validators, failures, next checks); ``transport`` lets
    a caller plug its own httpx transport. The relevance gate matches ``options.search_terms`` (the
    same terms the search pages are asked for) in titles, leads, listing snippets and slugs, and is
    off when ``options.full``. With ``on_read``, each article is handed on with what ``options.analyse``
    made of it (``Read``) instead of going to ``on_article``. Page and site failures never raise: they
    are PageErrors in the report and ``last_error`` in the frontier. Raises ``ScraperError`` for
    unusable options, and ``StorageFull`` (every site stopped, ``.report`` what was done) when the
    frontier or the storage step says storage takes no more writes.

    ``clock`` and ``sleep`` time the per-host pause and the retry backoff (see ``Fetcher``): tests
    pass ``httpx.MockTransport`` and a fake clock, so they check the pace without waiting for it.
    ``on_response`` is the ``Fetcher``'s response observer (``crawl --archive``: ``scraper.archive``).
    """
    _check_options(sites, options)
    hand_on = _hand_on(on_article, on_read)
    # What is alive as the crawl starts (imports, sites, the caller's objects) is left out of the
    # cyclic collector's full scans while it runs: the records a crawl keeps made one such scan walk
    # all of it, a pause of the event loop of 130-230 ms a second into the bench's crawl.
    gc.freeze()
    try:
        return await _crawl(
            sites, frontier, hand_on, options, on_progress, transport, clock, sleep, on_response
        )
    finally:
        gc.unfreeze()


async def _crawl(
    sites: Sequence[Site],
    frontier: Frontier,
    hand_on: OnRead,
    options: CrawlOptions,
    on_progress: OnProgress | None,
    transport: httpx.AsyncBaseTransport | None,
    clock: Clock,
    sleep: Sleep,
    on_response: OnResponse | None,
) -> CrawlReport:
    started = datetime.now(UTC)
    default_delay = options.delay if options.delay is not None else DEFAULT_DELAY
    gate = RelevanceGate(options.search_terms, enabled=not options.full, predicate=options.relevance)
    async with Fetcher(
        user_agent=options.user_agent,
        timeout=options.timeout,
        max_bytes=options.max_bytes,
        retries=options.retries,
        default_delay=default_delay,
        max_connections=options.max_connections,
        transport=transport,
        clock=clock,
        sleep=sleep,
        on_response=on_response,
    ) as fetcher:
        for site in sites:
            for host in site.hosts:
                # Two entries sharing a host share one pace: the slowest wins.
                shared = [s.delay for s in sites if host in s.hosts]
                fetcher.set_delay(host.lower(), options.delay if options.delay is not None else max(shared))
                fetcher.set_concurrency(host.lower(), min(s.concurrency for s in sites if host in s.hosts))
        robots = Robots(fetcher, options.user_agent, store=frontier)  # robots.txt kept across runs
        breaker = HostBreaker()  # one for the run: two sites may share a host
        reader = ArticleReader(
            options.analyse,
            workers=options.workers,
            time_limit=options.article_time_limit,
            warm_up=options.warm_up,
        )
        async with reader, Writer() as writer:
            runs = [
                SiteCrawl(
                    site,
                    frontier,
                    hand_on,
                    options,
                    fetcher,
                    robots,
                    gate,
                    on_progress,
                    started,
                    breaker,
                    clock,
                    reader=reader,
                    writer=writer,
                )
                for site in sites
            ]
            tasks = [asyncio.ensure_future(run.run()) for run in runs]
            try:
                await asyncio.gather(*tasks)
            except StorageFull as full:
                # Storage takes no more writes: stop every site now (their pages would only fail too).
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                full.report = CrawlReport([run.report for run in runs])
                raise
    return CrawlReport([run.report for run in runs])


def _hand_on(on_article: OnArticle | None, on_read: OnRead | None) -> OnRead:
    if on_read is not None:
        return on_read
    if on_article is None:
        raise ScraperError("cannot start the crawl: give on_article or on_read, where articles go")
    return lambda read: on_article(read.article)


def crawl_sync(
    sites: Sequence[Site],
    frontier: Frontier,
    on_article: OnArticle | None,
    options: CrawlOptions = CrawlOptions(),
    *,
    on_read: OnRead | None = None,
    on_progress: OnProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    on_response: OnResponse | None = None,
) -> CrawlReport:
    """``crawl`` for callers without an event loop (the CLI): ``asyncio.run(crawl(...))``."""
    return asyncio.run(
        crawl(
            sites,
            frontier,
            on_article,
            options,
            on_read=on_read,
            on_progress=on_progress,
            transport=transport,
            on_response=on_response,
        )
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
    if options.site_budget is not None and not options.site_budget > 0:  # nan is refused too
        problems.append(f"site_budget must be > 0 seconds, got {options.site_budget}")
    if options.workers is not None and options.workers < 0:
        problems.append(f"workers must be ≥ 0 (0: read pages in this process), got {options.workers}")
    if not options.article_time_limit > 0:
        problems.append(f"article_time_limit must be > 0 seconds, got {options.article_time_limit}")
    if options.max_connections < 1:
        problems.append(f"max_connections must be ≥ 1, got {options.max_connections}")
    if not options.user_agent.strip():
        problems.append("user_agent must not be empty (say who crawls and how to reach them)")
    names = [s.name for s in sites]
    if len(set(names)) != len(names):
        problems.append(f"site names must be unique, got {names}")
    if problems:
        raise ScraperError("cannot start the crawl: " + "; ".join(problems))
