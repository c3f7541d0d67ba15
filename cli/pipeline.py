"""The nightly job's wiring: scraper → extract → db, with counts for the run summary.

Nothing here parses, extracts or writes SQL itself: it calls the three packages in order.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

import db
from extract import EXTRACTOR_VERSION, extract_events
from scraper.article import Article
from scraper.crawl import CrawlOptions, CrawlReport, SiteReport, crawl_sync
from scraper.errors import ParseError, ScraperError
from scraper.parse import parse_article
from scraper.saved import saved_page_url
from scraper.sites import Site

VN = dt.timezone(dt.timedelta(hours=7))
# Kinds of error that mean no answer came from the host at all.
NO_ANSWER = frozenset({"unreachable", "connect", "timeout", "network"})


class RunFailedError(ScraperError):
    """The run completed no work at all: no configured site answered."""


@dataclass
class RunSummary:
    """What one crawl or ingest did, for the log line, the ``runs`` row and the exit code."""

    sites: list[str]
    pages_fetched: int = 0
    requests: int = 0
    not_modified: int = 0
    new_articles: int = 0
    relevant_articles: int = 0
    new_events: int = 0
    duplicates: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    error_list: list[db.RunError] = field(default_factory=list)
    seconds: float = 0.0
    status: str = "ok"
    run_id: int | None = None

    def counts(self) -> dict[str, int]:
        """The numeric counters, as stored in the ``runs`` row."""
        return {
            "pages_fetched": self.pages_fetched,
            "requests": self.requests,
            "not_modified": self.not_modified,
            "new_articles": self.new_articles,
            "relevant_articles": self.relevant_articles,
            "new_events": self.new_events,
            "duplicates": self.duplicates,
            "errors": sum(self.errors.values()),
        }

    def line(self) -> str:
        """One line for the log: ``pages 12, new articles 5, relevant 3, new events 4, errors 0 …``."""
        errors = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items())) or "none"
        return (
            f"pages fetched {self.pages_fetched}, new articles {self.new_articles}, "
            f"relevant {self.relevant_articles}, new events {self.new_events}, "
            f"errors {sum(self.errors.values())} ({errors}), {self.seconds:.1f} s"
        )


def published_date(article: Article) -> dt.date | None:
    """The article's publication day in Vietnam (+07:00), the anchor for years the text leaves out."""
    if article.published is None:
        return None
    return article.published.astimezone(VN).date()


def store(database: Database, article: Article, summary: RunSummary) -> None:
    """Extract the events of one article and store both in one transaction; count what changed."""
    events = extract_events(article.text, published_date(article))
    result = db.store_article(database, article, events, extractor_version=EXTRACTOR_VERSION)
    if result.created or result.changed:
        summary.new_articles += 1
        if events:
            summary.relevant_articles += 1
    summary.new_events += result.new_events


def run_crawl(
    database: Database,
    sites: Sequence[Site],
    options: CrawlOptions,
    *,
    command: str = "crawl",
    on_progress: Callable[[str, str], None] | None = None,
    on_site_done: Callable[[str, str], None] | None = None,
) -> RunSummary:
    """Crawl the sites into the database and record the run; return its summary.

    Page errors are counted and stored, not raised: the run still completes (status "ok"). Only a
    failure of the whole run (the crawler could not start) marks it "failed" and is re-raised.
    """
    summary = RunSummary(sites=[s.name for s in sites])
    db.upsert_sources(database, sites)
    summary.run_id = db.start_run(database, command=command, sites=summary.sites)
    started = time.monotonic()
    frontier = db.SqliteFrontier(database)
    try:
        report = crawl_sync(
            sites, frontier, lambda a: store(database, a, summary), options, on_progress=on_progress
        )
    except ScraperError as exc:
        summary.status = "failed"
        summary.seconds = time.monotonic() - started
        summary.error_list.append(db.RunError(site="", url="", kind="run", message=str(exc)))
        summary.errors["run"] += 1
        db.finish_run(
            database, summary.run_id, status="failed", counts=summary.counts(), errors=summary.error_list
        )
        raise
    _add_report(summary, report, on_site_done)
    summary.seconds = time.monotonic() - started
    silent = [s.site for s in report.sites if not answered(s)]
    if report.sites and len(silent) == len(report.sites):
        summary.status = "failed"
    db.finish_run(
        database, summary.run_id, status=summary.status, counts=summary.counts(), errors=summary.error_list
    )
    if summary.status == "failed":
        raise RunFailedError(
            f"no site answered ({', '.join(silent)}): every request failed to connect, timed out or "
            f"found robots.txt unavailable; check this machine's network and DNS "
            f"(run {summary.run_id} is recorded as failed)"
        )
    return summary


def answered(site: SiteReport) -> bool:
    """True if at least one request of the site got an HTTP answer (any status), so the site was
    reached; False when every error says no answer came (DNS, connect, timeout, backed-off host)."""
    if site.pages_fetched or site.not_modified or site.new_articles:
        return True
    return not site.errors or any(e.kind not in NO_ANSWER for e in site.errors)


def _add_report(
    summary: RunSummary, report: CrawlReport, on_site_done: Callable[[str, str], None] | None
) -> None:
    for site in report.sites:
        summary.pages_fetched += site.pages_fetched
        summary.requests += site.requests
        summary.not_modified += site.not_modified
        summary.duplicates += site.duplicates
        for err in site.errors:
            summary.errors[err.kind] += 1
            summary.error_list.append(
                db.RunError(site=err.site, url=err.url, kind=err.kind, message=err.message)
            )
        if on_site_done is not None:
            kinds = Counter(e.kind for e in site.errors)
            errs = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none"
            on_site_done(
                site.site,
                f"requests {site.requests}, pages {site.pages_fetched}, new {site.new_articles}, "
                f"not modified {site.not_modified}, duplicates {site.duplicates}, errors {errs}",
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


def run_ingest(
    database: Database, pages: Sequence[Path], *, log: Callable[[str], None], url: str | None = None
) -> RunSummary:
    """Parse saved pages, extract and store them; a page that fails is logged and counted, not fatal.

    A page's URL is the one it names (canonical link, og:url); ``url`` gives it for a single page
    saved without one. A page with neither is refused: without its URL it cannot be stored once.
    """
    summary = RunSummary(sites=["ingest"])
    summary.run_id = db.start_run(database, command="ingest", sites=summary.sites)
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
            store(database, article, summary)
            summary.pages_fetched += 1
        except (OSError, ScraperError) as exc:
            kind = "read" if isinstance(exc, OSError) else "parse"
            summary.errors[kind] += 1
            summary.error_list.append(db.RunError(site="ingest", url=str(page), kind=kind, message=str(exc)))
            log(f"{page}: {exc}")
    summary.seconds = time.monotonic() - started
    db.finish_run(database, summary.run_id, status="ok", counts=summary.counts(), errors=summary.error_list)
    return summary
