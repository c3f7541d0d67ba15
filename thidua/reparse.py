"""``reparse``: run today's parser and sites file over the archived pages (``crawl --archive``) again.

A selector or parser fix then reaches the stored articles without fetching anything: each archived
article page goes through the crawl's own parse → extract → store path (``thidua.app.store``), with
the same article keys, one transaction per article. An article whose text did not change writes
nothing, so a second reparse leaves the database as it was.

Which pages: the archive's 200 ``response`` records at a URL the database knows as an article page
(``db.warcfiles.article_page_urls``: stored articles, and the frontier's article URLs, those that
failed to parse included), and for each URL only its **latest** capture (the newest ``WARC-Date``;
ties go to the later file): a page fetched on two nights is what the site said last. Listings, feeds
and pages the crawl never took as articles are left alone (``thidua backfill DIR`` reads those).
``since`` keeps the captures fetched on or after that day (Vietnam time). Two passes over the files:
the first reads only the headers and URLs to find the latest captures, the second parses them, so
no more than one page is held in memory.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from sqlite_utils import Database

import db
from db.warcfiles import article_page_urls
from scraper.article import Article
from scraper.errors import ScraperError
from scraper.parse import parse_article
from scraper.sites import Site, site_for_url
from scraper.timezone import vn_date
from scraper.warc import ReadCounts, WarcError, WarcRecord, read_warc, warc_sources
from thidua.errors import UsageError
from thidua.progress import FileTally
from thidua.report import RunReport

OnFile = Callable[[str, str], None]
Capture = tuple[dt.datetime, int, int]  # (WARC-Date, file index, record number): later is larger


def reparse(
    database: Database | str | Path,
    archive: str | Path,
    sites: Sequence[Site],
    *,
    since: dt.date | None = None,
    on_file_done: OnFile | None = None,
    on_progress: Callable[[FileTally], None] | None = None,
) -> RunReport:
    """Re-parse and re-extract the archived article pages in ``archive`` into ``database``.

    Returns the run's report (``new_articles``: articles whose stored text changed; ``duplicates``:
    re-parsed and unchanged) and records the run in ``runs`` as "reparse". A damaged archive file is
    an error of the run (``run_errors``, kind "warc") and the other files proceed. Raises
    ``UsageError`` for an archive folder that does not exist or a database that does not.
    ``on_file_done(path, line)`` is called after each file of the second pass, ``on_progress(tally)``
    with the running totals, as in ``thidua.backfill.backfill``.
    """
    from thidua.app import opened, store

    try:
        files = [str(p) for p in warc_sources([archive])]
    except WarcError as exc:
        raise UsageError(f"--archive: {exc}") from None
    if isinstance(database, str | Path) and not Path(database).exists():
        raise UsageError(f"{database} does not exist: reparse updates the articles a crawl stored")
    with opened(database, create=False) as handle:
        report = RunReport(sites=[s.name for s in sites])
        report.run_id = db.start_run(handle, command="reparse", sites=report.sites)
        started = time.monotonic()
        known = article_page_urls(handle)
        latest, failed = _latest_captures(files, known, since)
        for index, message in failed.items():
            report.add_error(_error(None, files[index], "warc", message))
        chosen: dict[int, set[int]] = defaultdict(set)
        for _, index, number in latest.values():
            chosen[index].add(number)
        frontier = db.SqliteFrontier(handle)
        tally = FileTally(total=len(chosen))
        for index, path in enumerate(files):
            if index not in chosen:
                continue
            counts = ReadCounts()
            pages, changed, events = 0, report.new_articles, report.new_events
            try:
                for record in read_warc(path, known.__contains__, counts):
                    if counts.seen in chosen[index]:
                        pages += _reparse_one(handle, frontier, record, sites, report, store)
            except WarcError as exc:
                if index not in failed:
                    report.add_error(_error(None, path, "warc", str(exc)))
            report.pages_fetched += pages
            tally.add(counts.seen, report.new_articles - changed, report.new_events - events)
            if on_progress is not None:
                on_progress(tally)
            if on_file_done is not None:
                detail = f"re-parsed {pages}, changed {report.new_articles - changed}"
                on_file_done(path, tally.line(path, detail))
        report.seconds = time.monotonic() - started
        db.finish_run(
            handle, report.run_id, status=report.status, counts=report.counts(), errors=report.error_list
        )
    return report


def _reparse_one(
    handle: Database,
    frontier: db.SqliteFrontier,
    record: WarcRecord,
    sites: Sequence[Site],
    report: RunReport,
    store: Callable[[Database, Article, RunReport], None],
) -> int:
    """Parse one archived page and store it in one transaction; 1 when it was parsed, else 0."""
    site = site_for_url(sites, record.uri)
    try:
        article = parse_article(
            record.body, record.uri, dict(record.headers), site=site, fetched_at=record.fetched_at
        )
    except ScraperError as exc:
        report.add_error(_error(site, record.uri, "parse", str(exc)))
        return 0
    unchanged = report.new_articles
    try:
        with db.transaction(handle):
            store(handle, article, report)
            _remember_hash(frontier, (record.uri, article.canonical_url), article.content_hash)
    except db.InvalidEventError as exc:  # refused before writing: that article only is skipped
        report.add_error(_error(site, record.uri, "store", str(exc)))
        return 1
    report.duplicates += report.new_articles == unchanged
    return 1


def _latest_captures(
    files: Sequence[str], known: set[str], since: dt.date | None
) -> tuple[dict[str, Capture], dict[int, str]]:
    """The first pass: for each known article URL, where its newest archived 200 answer is; and
    the files that could not be read to their end, with why."""
    latest: dict[str, Capture] = {}
    failed: dict[int, str] = {}
    for index, path in enumerate(files):
        counts = ReadCounts()
        try:
            for record in read_warc(path, known.__contains__, counts):
                if record.status != 200 or "html" not in (record.header("Content-Type") or "text/html"):
                    continue
                if since is not None and vn_date(record.fetched_at) < since:
                    continue
                capture = (record.fetched_at, index, counts.seen)
                if record.uri not in latest or capture > latest[record.uri]:
                    latest[record.uri] = capture
        except WarcError as exc:
            failed[index] = str(exc)  # what came before the damage is still taken
    return latest, failed


def _remember_hash(frontier: db.SqliteFrontier, urls: Sequence[str], content_hash: str) -> None:
    """Give the frontier's fetched records of the page the new text's hash: the crawl finds
    duplicates by it, and would otherwise store the same text again under another URL."""
    for url in dict.fromkeys(urls):
        record = frontier.get(url)
        if record is not None and record.state == "fetched" and record.content_hash != content_hash:
            frontier.put(replace(record, content_hash=content_hash))


def _error(site: Site | None, url: str, kind: str, message: str) -> db.RunError:
    return db.RunError(site=site.name if site else "", url=url, kind=kind, message=message)
