"""``backfill``: read web archives (WARC files, Common Crawl's CC-NEWS) into the crawl's database.

Per file: ``read_file`` streams it (``scraper.warc``), keeps the response records of configured
sites (or any ``.vn`` host with ``all_vn``), parses them as the crawl does, keeps the pages that pass
the relevance gate and fall within the date window, and extracts their events — pure computation
with no database, so a Dask worker can run it later. ``store_file`` then writes the file's articles
(through ``db.store_articles``, the bulk path) and its ``warc_files`` row in **one transaction**: a
file is stored whole or not at all, and a file marked finished is one whose articles are all in. A
rerun skips finished files; a failed file (corrupt, truncated) stores nothing, is recorded with its
error and read again by the next run.

Article keys are the canonical URLs, as in the crawl, so a page met both by the crawl and in an
archive is one article.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlite_utils import Database

import db
from db.warcfiles import WarcFileRow, finished_warc_files, record_warc_file
from extract import EXTRACTOR_VERSION
from extract.gate import names_a_cluster
from extract.model import Event
from scraper.article import Article
from scraper.errors import ScraperError
from scraper.parse import parse_article
from scraper.relevance import RelevanceGate
from scraper.sites import Site, site_for_url
from scraper.timezone import vn_date
from scraper.urls import fold_host
from scraper.warc import ReadCounts, WarcError, read_warc, warc_sources
from thidua.errors import RunFailedError, UsageError
from thidua.progress import FileTally
from thidua.report import RunReport

OnFile = Callable[[str, str], None]


@dataclass(frozen=True)
class BackfillOptions:
    """What a backfill keeps: the sites, ``all_vn``, the publication window, the relevance terms."""

    sites: tuple[Site, ...]
    all_vn: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    gate: RelevanceGate = field(default_factory=lambda: RelevanceGate(predicate=names_a_cluster))


@dataclass(frozen=True)
class FileResult:
    """What reading one WARC file gave: counts, the articles kept with their events, page errors,
    and ``error`` when the file could not be read to its end (then ``items`` is empty)."""

    path: str
    records_seen: int
    records_kept: int
    pages: int  # kept records parsed as HTML pages
    items: tuple[tuple[Article, tuple[Event, ...]], ...]
    page_errors: tuple[db.RunError, ...]
    error: str | None = None


def wanted(options: BackfillOptions) -> Callable[[str], bool]:
    """The header filter: is a target URI on a configured site (or, with ``all_vn``, on a .vn host)?"""
    # Host names first (a set lookup: most records of an archive are other sites'), then the one
    # ownership test, Site.owns, for the ports.
    names = frozenset(fold_host(h.rsplit(":", 1)[0]) for s in options.sites for h in s.hosts)

    def keep(uri: str) -> bool:
        try:
            name = fold_host(urlsplit(uri).hostname or "")
        except ValueError:
            return False
        if name in names and site_for_url(options.sites, uri) is not None:
            return True
        return options.all_vn and name.endswith(".vn")

    return keep


def looks_like_article(site: Site | None, *urls: str) -> bool:
    """As the crawl decides which links to fetch as articles: a site with an ``article_url`` regex
    has articles only at URLs it matches (``/tin-tuc/…-1197606001``); any page may be one otherwise."""
    if site is None or not site.article_url:
        return True
    return any(re.search(site.article_url, url) for url in urls)


def read_file(path: str, options: BackfillOptions) -> FileResult:
    """Read, filter, parse and extract one WARC file; never raises for a damaged file (see ``error``).

    The window applies to the publication day in Vietnam, or, for a page that states none, to the
    day the archive fetched it (archives capture news pages within days of publication).
    """
    from thidua.app import events_of  # here, not at the top: thidua.app re-exports this module

    counts = ReadCounts()
    items: list[tuple[Article, tuple[Event, ...]]] = []
    errors: list[db.RunError] = []
    pages = 0
    try:
        for record in read_warc(path, wanted(options), counts):
            content_type = (record.header("Content-Type") or "text/html").lower()
            if record.status != 200 or "html" not in content_type:
                continue  # redirects, errors, images, feeds: not article pages
            site = site_for_url(options.sites, record.uri)
            try:
                article = parse_article(
                    record.body, record.uri, dict(record.headers), site=site, fetched_at=record.fetched_at
                )
            except ScraperError as exc:
                errors.append(
                    db.RunError(
                        site=site.name if site else "", url=record.uri, kind="parse", message=str(exc)
                    )
                )
                continue
            pages += 1
            if not looks_like_article(site, record.uri, article.canonical_url):
                continue  # a listing, section or tag page of the site (a crawl archive holds them all)
            # As the crawl: a site with gate=false lists only emulation news, so all its pages count.
            if (site is None or site.gate) and not options.gate.matches(
                url=article.canonical_url, title=article.title, lead=article.lead
            ):
                continue
            day = vn_date(article.published or record.fetched_at)
            if (options.since and day < options.since) or (options.until and day > options.until):
                continue
            items.append((article, tuple(events_of(article))))
    except WarcError as exc:
        return FileResult(path, counts.seen, counts.kept, pages, (), tuple(errors), str(exc))
    return FileResult(path, counts.seen, counts.kept, pages, tuple(items), tuple(errors))


def store_file(database: Database, result: FileResult, report: RunReport) -> None:
    """Store one file's articles and its ``warc_files`` row in one transaction; count into ``report``."""
    for error in result.page_errors:
        report.add_error(error)
    if result.error is not None:
        report.add_error(db.RunError(site="", url=result.path, kind="warc", message=result.error))
        with db.transaction(database):
            record_warc_file(
                database,
                WarcFileRow(result.path, result.records_seen, result.records_kept, 0, 0, None, result.error),
            )
        return
    storable: list[tuple[Article, tuple[Event, ...]]] = []
    for article, found in result.items:
        try:
            db.check_storable(article, found)
        except db.InvalidEventError as exc:  # refused before writing: that article only is skipped
            report.add_error(
                db.RunError(site=article.site or "", url=article.url, kind="store", message=str(exc))
            )
            continue
        storable.append((article, found))
    events = sum(len(found) for _, found in storable)
    with db.transaction(database):
        # Many articles at once (the bulk path: the same rows as one store_article each), inside
        # the file's transaction: a file is still stored whole or not at all.
        for stored, (_, found) in zip(
            db.store_articles(database, storable, extractor_version=EXTRACTOR_VERSION), storable, strict=True
        ):
            if stored.created or stored.changed:
                report.new_articles += 1
                if found:
                    report.relevant_articles += 1
            else:
                report.duplicates += 1
            report.new_events += stored.new_events
        finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        record_warc_file(
            database,
            WarcFileRow(
                result.path,
                result.records_seen,
                result.records_kept,
                len(storable),
                events,
                finished,
                None,
            ),
        )
    report.pages_fetched += result.pages


def backfill(
    database: Database | str | Path,
    sources: Sequence[str | Path],
    sites: Sequence[Site],
    *,
    all_vn: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
    base: str | Path | None = None,
    on_file_done: OnFile | None = None,
    on_progress: Callable[[FileTally], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> RunReport:
    """Backfill the database from WARC ``sources`` (files, folders, ``warc.paths(.gz)`` lists against
    ``base``) and return the run's report; the run is recorded in ``runs`` as "backfill".

    Finished files are skipped; a file that fails is recorded (``warc_files.error``, ``run_errors``)
    and the others proceed. If every file read failed, the run is recorded "failed" and
    RunFailedError is raised. ``on_file_done(path, line)`` is called after each file with its log
    line (``thidua.progress.FileTally.line``: files done / total, records/s, articles and events
    kept), ``on_progress(tally)`` with the running totals (the terminal's display).

    Files are read in-process by default; ``workers=N`` reads them on a local Dask cluster of N
    processes, ``scheduler="tcp://host:8786"`` on an existing one (``thidua.backfill_dask``; Dask is
    the optional extra ``thidua[dask]``). Either way this process is the only writer and stores the
    files in the order given, so the database is the same.
    """
    from thidua.app import opened

    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}: nothing could be kept")
    if workers is not None and scheduler is not None:
        raise UsageError("give --workers N (a local cluster) or --scheduler ADDRESS, not both")
    if workers is not None and workers < 1:
        raise UsageError(f"--workers {workers}: give at least 1")
    if not sites and not all_vn:
        raise UsageError("no site to keep: configure sites, name some with --site, or pass --all-vn")
    try:
        files = [str(p) for p in warc_sources(sources, base=base)]
    except WarcError as exc:
        raise UsageError(str(exc)) from None
    options = BackfillOptions(tuple(sites), all_vn=all_vn, since=since, until=until)
    with opened(database) as handle:
        report = RunReport(sites=[s.name for s in sites] + (["*.vn"] if all_vn else []))
        db.upsert_sources(handle, sites)
        report.run_id = db.start_run(handle, command="backfill", sites=report.sites)
        started = time.monotonic()
        done = finished_warc_files(handle)
        todo = [f for f in files if f not in done]
        failed = 0
        results: Iterator[FileResult]
        if workers is None and scheduler is None:
            results = (read_file(path, options) for path in todo)
        else:
            from thidua.backfill_dask import dask_results

            results = dask_results(todo, options, workers=workers, scheduler=scheduler)
        tally = FileTally(total=len(todo))
        for path, result in zip(todo, results, strict=True):
            store_file(handle, result, report)
            failed += result.error is not None
            tally.add(result.records_seen, len(result.items), sum(len(e) for _, e in result.items))
            if on_progress is not None:
                on_progress(tally)
            if on_file_done is not None:
                on_file_done(path, tally.line(path, file_line(result)))
        report.seconds = time.monotonic() - started
        if todo and failed == len(todo):
            report.status = "failed"
        db.finish_run(
            handle, report.run_id, status=report.status, counts=report.counts(), errors=report.error_list
        )
    if report.status == "failed":
        raise RunFailedError(
            f"every WARC file failed ({failed}); see warc_files.error (run {report.run_id} is recorded "
            "as failed)"
        )
    return report


def file_line(result: FileResult) -> str:
    """One line about a file: ``records 2000, kept 93, articles 4, events 3`` or its error."""
    if result.error is not None:
        return f"failed: {result.error}"
    events = sum(len(e) for _, e in result.items)
    return (
        f"records {result.records_seen}, kept {result.records_kept}, pages {result.pages}, "
        f"articles {len(result.items)}, events {events}"
    )
