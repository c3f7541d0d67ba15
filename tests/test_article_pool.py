"""Parse + extraction off the event loop (issues 10 and 11): a process pool with a per-article time
limit. One site's article whose extraction never returns costs that article one "extract-timeout"
page error, not the night: the other site's articles are all stored, and so are its own others.

The crawls run ``thidua.app.crawl`` against a real server on 127.0.0.1, with the extraction swapped
for a module-level function of this file through the same callable the app passes
(``CrawlOptions.analyse``); the direct tests of ``read_page`` are table-driven.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest

from extract.model import Event
from scraper.article import Article
from scraper.article_pool import ArticleReader, Page, Read, Unread, machine_cores, read_page
from scraper.sites import Site
from tests import pool_probe
from tests.conftest import Reply
from thidua import app
from thidua.crawling import crawl_events

SLOW_MARK = "Chậm-rì-rì"  # the slow article's body carries it; nothing else does
BLOCK_SECONDS = 600.0  # what the slow extraction would take: far beyond any time limit used here
LIMIT = 2.0  # the per-article limit of the test: 300× under the block, so nothing races
PARAGRAPH = (
    "Sáng 6-3, Cụm thi đua số {n} tổ chức hội nghị ký kết giao ước thi đua năm 2026 tại hội trường "
    "phường Bến Thành, với sự tham dự của lãnh đạo các đơn vị trong cụm."
)


def blocks_on_the_slow_article(article: Article) -> list[Event]:
    """The app's extraction, except for the slow article: it blocks for ten minutes."""
    if SLOW_MARK in article.text:
        time.sleep(BLOCK_SECONDS)
    return crawl_events(article)


def raises_on_the_slow_article(article: Article) -> list[Event]:
    """The app's extraction, except for the slow article: it raises, as a bug in extraction would."""
    if SLOW_MARK in article.text:
        raise RecursionError("maximum recursion depth exceeded")
    return crawl_events(article)


def article_html(n: int, extra: str = "") -> bytes:
    title = f"Cụm thi đua số {n} ký kết giao ước thi đua năm 2026"
    return (
        f'<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="article:published_time" content="2026-03-06T09:00:00+07:00"></head>'
        f'<body><h1>{title}</h1><div class="article-content"><p>{PARAGRAPH.format(n=n)} {extra}</p>'
        "<p>Các đơn vị thống nhất năm nhóm chỉ tiêu chính, trong đó chú trọng chăm lo đời sống người "
        "lao động và nhân rộng các điển hình tiên tiến trong phong trào thi đua.</p></div></body></html>"
    ).encode()


def serve_site(server: Any, host: str, name: str, numbers: list[int], slow: int | None = None) -> Site:
    """Route a sitemap of articles ``numbers`` on ``host`` (the server's 127.0.0.1 or localhost)."""
    port = server.base.rsplit(":", 1)[1]
    base = f"http://{host}:{port}"
    urls = {n: f"{base}/{name}/cum-thi-dua-so-{n}-ky-ket-{1_493_000_000 + n}.html" for n in numbers}
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls.values())
    sitemap = (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    )
    server.routes[f"/{name}/sitemap.xml"] = lambda hit, k: Reply(
        200, sitemap.encode(), {"Content-Type": "application/xml"}
    )
    for n, url in urls.items():
        body = article_html(n, SLOW_MARK if n == slow else "")
        server.routes[url.split(port, 1)[1]] = lambda hit, k, body=body: Reply(
            200, body, {"Content-Type": "text/html; charset=utf-8"}
        )
    server.routes["/robots.txt"] = lambda hit, k: Reply(200, b"User-agent: *\nAllow: /\n")
    return Site(name, (f"{host}:{port}",), (f"{base}/{name}/sitemap.xml",), delay=0.0, gate=False)


def stored_urls(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        return {row[0] for row in conn.execute("SELECT canonical_url FROM articles")}


def url_row(db_path: Path, url: str) -> tuple[str, str, str]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT state, last_error, next_check FROM urls WHERE url = ?", [url]).fetchone()


def run_errors(db_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT url, kind FROM run_errors ORDER BY url").fetchall()


@pytest.mark.parametrize(
    ("analyse", "kind"),
    [(blocks_on_the_slow_article, "extract-timeout"), (raises_on_the_slow_article, "internal-extract")],
    ids=["never-returns", "raises"],
)
def test_a_slow_article_costs_one_page_error_and_no_site_stalls(
    local_server: Any, tmp_path: Path, analyse: Any, kind: str
) -> None:
    slow_site = serve_site(local_server, "127.0.0.1", "cham", [1, 2, 3, 4, 5], slow=3)
    other = serve_site(local_server, "localhost", "nhanh", [11, 12, 13, 14, 15, 16])
    db_path = tmp_path / "t.db"
    options = app.CrawlOptions(delay=0.0, timeout=5.0, analyse=analyse, article_time_limit=LIMIT, workers=2)
    started = time.monotonic()
    report = app.crawl(db_path, [slow_site, other], options)
    took = time.monotonic() - started

    slow_url = next(u for u in local_server.routes if "-3-ky-ket" in u)
    stored = stored_urls(db_path)
    assert {u for u in stored if "/nhanh/" in u} == {
        f"http://localhost:{local_server.port}{p}" for p in local_server.routes if p.startswith("/nhanh/c")
    }
    assert len([u for u in stored if "/cham/" in u]) == 4 and not any(slow_url in u for u in stored)
    errors = run_errors(db_path)
    assert [k for _, k in errors] == [kind] and errors[0][0].endswith(slow_url)
    state, last_error, next_check = url_row(db_path, errors[0][0])
    assert state == "failed" and last_error.startswith(f"{kind}: ")
    assert datetime.fromisoformat(next_check) > datetime.now(UTC)  # backoff, like any page error
    assert report.status == "ok"
    assert took < BLOCK_SECONDS / 4  # the blocked worker was replaced, not waited for

    # The next night neither fetches it again at once nor errs: it waits for its backoff.
    local_server.hits.clear()
    again = app.crawl(db_path, [slow_site, other], options)
    assert not [h for h in local_server.hits if h.path == slow_url] and sum(again.errors.values()) == 0


@pytest.mark.parametrize("workers", [0, 2], ids=["in-process", "pool"])
def test_in_process_and_pool_store_the_same_database(local_server: Any, tmp_path: Path, workers: int) -> None:
    sites = [serve_site(local_server, "127.0.0.1", "tin", [1, 2, 3, 4, 5, 6, 7])]
    reference, db_path = tmp_path / "reference.db", tmp_path / "t.db"
    app.crawl(reference, sites, app.CrawlOptions(delay=0.0, timeout=5.0, workers=0, max_connections=1))
    report = app.crawl(db_path, sites, app.CrawlOptions(delay=0.0, timeout=5.0, workers=workers))
    assert report.new_articles == 7 and report.new_events >= 7
    dump = (
        "SELECT a.canonical_url, a.content_hash, r.cluster_label, r.event_date FROM articles a "
        "JOIN event_reports r ON r.article_id = a.id ORDER BY 1, 3"
    )
    with sqlite3.connect(reference) as one, sqlite3.connect(db_path) as two:
        assert one.execute(dump).fetchall() == two.execute(dump).fetchall()


def _page(html: bytes, url: str = "https://a.vn/tin/cum-thi-dua-so-1-1493000001.html") -> Page:
    site = Site("a", ("a.vn",), ("https://a.vn/",), selectors={"title": "h1"})  # read-only selectors pickle
    return Page(
        html, url, {"content-type": "text/html; charset=utf-8"}, site, datetime(2026, 3, 6, tzinfo=UTC)
    )


def _length(article: Article) -> int:
    return len(article.text)


def _boom(article: Article) -> int:
    raise ValueError("bad")


@pytest.mark.parametrize(
    ("html", "analyse", "expected"),
    [
        (article_html(1), None, Read),
        (article_html(1), _length, Read),
        (article_html(1), _boom, Unread("internal-extract", "ValueError: bad")),
        (b"<html><body></body></html>", _length, "parse"),
    ],
    ids=["parsed", "analysed", "analysis-raises", "no-article"],
)
def test_read_page_names_the_step_that_failed(html: bytes, analyse: Any, expected: Any) -> None:
    result = read_page(_page(html), analyse)
    if expected is Read:
        assert isinstance(result, Read) and result.article.title.startswith("Cụm thi đua số 1")
        assert result.result == (len(result.article.text) if analyse else None)
    elif isinstance(expected, Unread):
        assert result == expected
    else:
        assert isinstance(result, Unread) and result.kind == expected


async def test_the_pool_reads_like_the_process_and_a_reader_without_workers_starts_none() -> None:
    reader = ArticleReader(_length, workers=1, time_limit=30)
    async with reader:
        assert reader.started
        result = await reader.read(_page(article_html(2)))
    assert not reader.started  # closed
    assert result == read_page(_page(article_html(2)), _length)
    async with ArticleReader(_length, workers=0) as in_process:
        assert not in_process.started and await in_process.read(_page(article_html(2))) == result
    assert machine_cores() >= 1


async def test_the_workers_boot_as_the_reader_is_entered_not_at_the_first_page() -> None:
    """The pool starts with the crawl, so its workers boot and warm up while discovery fetches: the
    worker that reads the first page was running before that page was asked for."""
    async with ArticleReader(pool_probe.events_and_modules, workers=1, warm_up=pool_probe.warm) as reader:
        booted: set[int] = set()
        for _ in range(600):  # up to 60 s for a worker to appear; it needs well under one
            booted = set(reader.worker_pids)
            if booted:
                break
            await asyncio.sleep(0.1)
        assert booted, "no worker started before the first page"
        read = await reader.read(_page(article_html(7)))
    assert isinstance(read, Read)
    events, pid, warmed_in, _ = cast(tuple[int, int, int | None, list[str]], read.result)
    assert pid in booted and warmed_in == pid and events == 1


async def test_an_unpicklable_analysis_is_a_worker_error_not_a_crash() -> None:
    async with ArticleReader(lambda article: 1, workers=1, time_limit=30) as reader:
        result = await reader.read(_page(article_html(3)))
    assert isinstance(result, Unread) and result.kind == "internal-worker"


def test_options_that_cannot_work_are_refused(tmp_path: Path) -> None:
    from scraper.errors import ScraperError

    site = Site("a", ("127.0.0.1",), ("http://127.0.0.1:9/",))
    for bad in (dict(workers=-1), dict(article_time_limit=0.0), dict(max_connections=0)):
        with pytest.raises(ScraperError, match=next(iter(bad))):
            app.crawl(tmp_path / "t.db", [site], replace(app.CrawlOptions(), **bad))


async def test_workers_start_light_and_warm_and_a_replacement_warms_too() -> None:
    """A worker is started, not forked from the crawl: it runs extraction's warm-up itself before its
    first page, holds none of storage, the CLI, the crawler's network stack, asyncio or
    multiprocessing, and the worker started after an "extract-timeout" warms up the same way."""
    probe, warm = pool_probe.blocks_or_reports, pool_probe.warm
    reader = ArticleReader(probe, workers=1, time_limit=LIMIT, warm_up=warm)
    async with reader:
        first = await reader.read(_page(article_html(4)))
        slow = await reader.read(_page(article_html(5, SLOW_MARK)))
        after = await reader.read(_page(article_html(6)))
    assert isinstance(slow, Unread) and slow.kind == "extract-timeout"
    for read in (first, after):
        assert isinstance(read, Read)
        events, pid, warmed_in, heavy = cast(tuple[int, int, int | None, list[str]], read.result)
        assert events == 1 and warmed_in == pid and heavy == []
    assert cast(tuple[int, ...], first.result)[1] != cast(tuple[int, ...], after.result)[1]  # replaced
    assert pool_probe.warmed_in is None  # the crawling process never ran it
