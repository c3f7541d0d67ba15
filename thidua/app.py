"""The jobs as a library: ``crawl``, ``ingest``, ``reextract``, each one function over a database (the
read-only ``stats`` and ``export`` live in ``thidua.queries``, opening in ``thidua.database``; both
re-exported here).

This is the only module that wires scraper → extract → db; ``thidua.cli`` is a thin layer over it,
as sqlite-utils' CLI is over ``sqlite_utils.Database``. A job takes either an open
``sqlite_utils.Database`` (the caller holds the lock) or a path (the job takes the lock beside the file,
opens it and closes it)::

    from thidua import app
    report = app.crawl("thidua.db", app.load_sites(), app.CrawlOptions(since=date(2026, 1, 1)))
    print(report.line())

What every job hands to extraction (text, the local publication day, the source URL) is derived in
one place, ``article_inputs`` (``thidua.inputs``, re-exported), so crawl, ingest and reextract agree on it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

import db
from db.errors import is_storage_full
from extract import EXTRACTOR_VERSION, extract_events
from extract.gate import names_a_cluster
from extract.model import Event
from scraper.article import Article
from scraper.crawl import CrawlOptions, crawl_sync
from scraper.errors import ParseError, ScraperError
from scraper.fetch import OnResponse
from scraper.frontier import StorageFull
from scraper.parse import parse_article
from scraper.saved import saved_page_url
from scraper.sites import Site, load_sites
from scraper.timezone import vn_date
from thidua import health
from thidua.archiving import ArchiveTarget, archiving
from thidua.crawling import crawl_events, store_read, warm_up
from thidua.database import opened as opened
from thidua.database import read_only as read_only
from thidua.errors import RunFailedError, UsageError
from thidua.full_disk import close_run_on_full_disk
from thidua.inputs import Extract, events_of
from thidua.inputs import ExtractionInputs as ExtractionInputs
from thidua.inputs import HasArticleInputs as HasArticleInputs
from thidua.inputs import article_inputs as article_inputs
from thidua.inputs import site_system as site_system
from thidua.inputs import text_events as text_events
from thidua.queries import export as export
from thidua.queries import is_demo_database as is_demo_database
from thidua.queries import stats as stats
from thidua.report import RunReport, answered

if TYPE_CHECKING:
    from thidua.backfill import backfill as backfill

__all__ = [
    "CrawlOptions",
    "ReextractResult",
    "RunReport",
    "Site",
    "UsageError",
    "article_inputs",
    "crawl",
    "export",
    "ingest",
    "is_demo_database",
    "load_sites",
    "reextract",
    "saved_pages",
    "select_sites",
    "stats",
    "text_events",
]

OnMessage = Callable[[str, str], None]


def __getattr__(name: str) -> Any:
    """``backfill``, the backfill job (issue 13, ``thidua.backfill``), imported on first use: it brings
    the WARC reader and the progress console (fastwarc, rich), which a crawl never needs (issue 11)."""
    if name == "backfill":
        from thidua.backfill import backfill

        return backfill
    raise AttributeError(f"module 'thidua.app' has no attribute {name!r}")


CRAWL_CACHE_MB = 16  # SQLite page cache of the crawl's connection


@dataclass(frozen=True)
class ReextractResult:
    """How many articles were re-extracted and how many events they now report."""

    articles: int
    events: int


def select_sites(sites: Sequence[Site], names: Sequence[str]) -> list[Site]:
    """The sites named (all when ``names`` is empty); raises UsageError naming an unknown one."""
    if not names:
        return list(sites)
    known = {s.name: s for s in sites}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"unknown site {unknown[0]!r}; known sites: {', '.join(sorted(known))}")
    return [known[n] for n in names]


def store(database: Database, article: Article, report: RunReport) -> None:
    """Extract the events of one article and store both in one transaction; count what changed."""
    store_events(database, article, events_of(article), report)


def store_events(database: Database, article: Article, events: list[Event], report: RunReport) -> None:
    """Store one article and its extracted events in one transaction; count what changed.

    A full disk (or database) raises ``StorageFull``, which stops the crawl: the article's
    transaction was rolled back, every article stored before it is kept.
    """
    try:
        result = db.store_article(database, article, events, extractor_version=EXTRACTOR_VERSION)
    except (sqlite3.Error, OSError) as exc:
        if is_storage_full(exc):
            raise StorageFull(article.url, str(exc)) from exc
        raise
    if result.created or result.changed:
        report.new_articles += 1
        if events:
            report.relevant_articles += 1
    report.new_events += result.new_events


def crawl(
    database: Database | str | Path,
    sites: Sequence[Site],
    options: CrawlOptions | None = None,
    *,
    command: str = "crawl",
    on_progress: OnMessage | None = None,
    on_site_done: OnMessage | None = None,
    now: dt.datetime | None = None,
    archive: ArchiveTarget | None = None,
) -> RunReport:
    """Crawl ``sites`` into the database, record the run in ``runs``, and return its report.

    ``now`` is the run's time (tests simulate nights; default the clock): the night it counts for in
    the sites' health (``thidua.health``), which also leaves entry points gone for 7 nights alone
    but once a week, and names the sites that need attention in the summary and ``run_errors``.
    With ``archive``, every response fetched is also written to its WARC folder (``thidua.archiving``).

    The relevance gate asks extraction's own test (``extract.gate.names_a_cluster``) unless
    ``options.relevance`` says otherwise; extraction (``thidua.crawling.crawl_events`` unless
    ``options.analyse`` says otherwise) runs in the crawl's process pool, each article within
    ``options.article_time_limit`` or recorded as an "extract-timeout" page error. Page errors are
    counted and stored in ``run_errors``, not raised: the run completes (status "ok"). A site
    aborted, or one that answered while every article it had failed, makes the run "partial"
    (``report.failed_sites`` names them). A run in which no site answered at all is recorded as
    "failed" and raises RunFailedError; so does a run that a full disk stopped (every site stops at
    the first write that does not fit, the message says where and what to do); a failure of the
    crawler itself is recorded as "failed" and re-raised.
    """
    options = options or CrawlOptions()
    if options.relevance is None:
        options = replace(options, relevance=names_a_cluster)
    if options.analyse is None:  # extraction runs in the crawl's process pool, under its time limit
        options = replace(options, analyse=crawl_events)
    if options.warm_up is None:  # extraction's data loaded by each worker as it starts, not here
        options = replace(options, warm_up=warm_up)
    # A nightly crawl stores one article per transaction: 16 MB of page cache keeps its process small
    # (64 MB would fill up as a file of 100k events is written, for no gain one article at a time).
    with opened(database, cache_mb=CRAWL_CACHE_MB) as handle, archiving(archive) as on_response:
        return _crawl(handle, sites, options, command, on_progress, on_site_done, now, on_response)


def _crawl(
    database: Database,
    sites: Sequence[Site],
    options: CrawlOptions,
    command: str,
    on_progress: OnMessage | None,
    on_site_done: OnMessage | None,
    now: dt.datetime | None = None,
    on_response: OnResponse | None = None,
) -> RunReport:
    report = RunReport(sites=[s.name for s in sites])
    db.upsert_sources(database, sites)
    now = now or dt.datetime.now(dt.UTC)
    options = health.rest_gone_entry_points(database, sites, options, report, now=now)
    report.run_id = db.start_run(database, command=command, sites=report.sites, now=now)
    started = time.monotonic()
    frontier = db.SqliteFrontier(database)
    try:
        crawled = crawl_sync(
            sites,
            frontier,
            None,
            options,
            on_read=lambda read: store_read(database, read, report),
            on_progress=on_progress,
            on_response=on_response,
        )
    except ScraperError as exc:
        report.status = "failed"
        report.seconds = time.monotonic() - started
        report.add_error(db.RunError(site="", url="", kind="run", message=str(exc)))
        _finish(database, report)
        raise
    except StorageFull as full:
        if full.report is not None:
            report.add_crawl(full.report, on_site_done)
        report.seconds = time.monotonic() - started
        raise RunFailedError(close_run_on_full_disk(database, report, full)) from None
    report.add_crawl(crawled, on_site_done)
    report.site_counts = health.site_counts(
        sites, crawled, since=options.since, today=vn_date(now), rested=options.rest
    )
    report.seconds = time.monotonic() - started
    silent = [s.site for s in crawled.sites if not answered(s)]
    report.failed_sites = [s.site for s in crawled.failed_sites]
    if crawled.sites and len(silent) == len(crawled.sites):
        report.status = "failed"
    elif report.failed_sites:
        report.status = "partial"
    _finish(database, report)
    if report.status != "failed":  # a run where no site answered says so itself, with its errors
        report.attention = health.record_attention(database, report.run_id, sites)
    if report.status == "failed":
        raise RunFailedError(
            f"no site answered ({_some(silent)}): no request got an HTTP answer (connect errors, "
            f"timeouts, robots.txt unavailable, or URLs off the sites' hosts); check this machine's "
            f"network and DNS and the sites file (run {report.run_id} is recorded as failed)"
        )
    return report


def _some(names: Sequence[str], shown: int = 5) -> str:
    """Names for one line: all of a few, the first ``shown`` and a count of the rest otherwise."""
    if len(names) <= shown:
        return ", ".join(names)
    return f"{len(names)} sites: {', '.join(names[:shown])} and {len(names) - shown} more"


def _finish(database: Database, report: RunReport) -> None:
    assert report.run_id is not None
    db.finish_run(
        database,
        report.run_id,
        status=report.status,
        counts=report.counts(),
        errors=report.error_list,
        sites=report.site_counts,
    )


def saved_pages(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders into the saved HTML pages they hold (``*.html``, ``*.htm``), sorted."""
    pages: list[Path] = []
    for path in paths:
        if path.is_dir():
            pages.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file())
            )
        else:
            pages.append(path)
    return pages


def ingest(
    database: Database | str | Path,
    pages: Sequence[Path],
    *,
    log: Callable[[str], None] = lambda message: None,
    url: str | None = None,
) -> RunReport:
    """Parse saved pages, extract and store them; a page that fails is logged and counted, not fatal.

    A page's URL is the one it names (canonical link, og:url); ``url`` gives it for a single page
    saved without one. A page with neither is refused: without its URL it cannot be stored once.
    """
    with opened(database) as handle:
        report = RunReport(sites=["ingest"])
        report.run_id = db.start_run(handle, command="ingest", sites=report.sites)
        started = time.monotonic()
        for page in pages:
            try:
                # The file's mtime, not the clock, so ingesting the same pages twice stores the same rows.
                saved = dt.datetime.fromtimestamp(page.stat().st_mtime, dt.UTC)
                html = page.read_bytes()
                page_url = url or saved_page_url(html)
                if page_url is None:
                    raise ParseError(
                        "the page names no URL of its own (no canonical link or og:url); "
                        "ingest it alone with --url URL"
                    )
                article = parse_article(html, page_url, fetched_at=saved)
                store(handle, article, report)
                report.pages_fetched += 1
            except (OSError, ScraperError) as exc:
                kind = "read" if isinstance(exc, OSError) else "parse"
                report.add_error(db.RunError(site="ingest", url=str(page), kind=kind, message=str(exc)))
                log(f"{page}: {exc}")
        report.seconds = time.monotonic() - started
        _finish(handle, report)
        return report


def reextract(
    database: Database | str | Path,
    *,
    force: bool = False,
    extract: Extract = extract_events,
    version: str = EXTRACTOR_VERSION,
) -> ReextractResult:
    """Recompute the events of stored articles whose extractor version is not ``version`` (all if
    ``force``), with the same inputs a crawl gives extraction; each article is its own transaction.
    """
    articles = events = 0
    with opened(database, create=False) as handle:
        for stored in db.articles_to_reextract(handle, version, force=force):
            found = events_of(stored, extract)
            events += db.replace_article_events(handle, stored, found, version=version)
            articles += 1
    return ReextractResult(articles, events)
