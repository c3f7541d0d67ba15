"""A full disk fails the run cleanly (issue 10, "Storage and serving"): the crawl stops writing at the
first article that does not fit, the run is "failed" with one line that says what to do (exit 1),
the database passes ``PRAGMA integrity_check``, and the next run, with space freed, stores the rest.

The full disk is SQLite's own: ``PRAGMA max_page_count`` on a real file gives the SQLITE_FULL a full
disk gives ("database or disk is full"), on this connection only, so the next run has room again.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

import db
from db.errors import is_storage_full
from scraper.article import Article
from scraper.crawl import CrawlOptions, crawl
from scraper.frontier import MemoryFrontier, StorageFull, UrlRecord
from scraper.sites import Site
from tests.mock_http import MockWeb
from tests.test_breaker import A, B, articles, serve, sitemap
from thidua import app
from thidua.cli import cli
from thidua.demo.routeserver import Reply
from thidua.errors import RunFailedError

ARTICLES = 24
ROOM = 40  # pages of 4 KiB the first run may add: a few articles, far from all
SENTENCE = (
    "Sáng 14/1, Cụm thi đua số {n} tổ chức hội nghị tổng kết công tác thi đua, khen thưởng năm 2025 "
    "và ký kết giao ước thi đua năm 2026 tại hội trường của đơn vị cụm trưởng, bài số {i}."
)
FILLER = "Các đơn vị trong cụm cùng trao đổi kinh nghiệm, bàn giải pháp nâng cao chất lượng phong trào. "


def article_page(i: int) -> bytes:
    """A made-up report of ~5 KB, its own text (no two hash alike)."""
    title = f"Cụm thi đua số {i % 9 + 1} tổng kết năm 2025, bài {i}"
    body = "".join(f"<p>{SENTENCE.format(n=i % 9 + 1, i=i)} {FILLER * 3} ({i}.{k})</p>" for k in range(6))
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>"
        f"<div class='article-content'>{body}</div></body></html>"
    ).encode()


@pytest.fixture
def site(local_server: Any, tmp_path: Path) -> tuple[Site, list[str], Path]:
    """A local site of ``ARTICLES`` reports behind one sitemap, and its sites.toml."""
    base = local_server.base
    urls = [f"{base}/tin/cum-thi-dua-tong-ket-bai-viet-{1000 + i}.html" for i in range(ARTICLES)]
    html = {"Content-Type": "text/html; charset=utf-8"}
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nAllow: /\n")
    local_server.routes["/sitemap.xml"] = lambda hit, n: Reply(
        200, sitemap(urls), {"Content-Type": "application/xml"}
    )
    for i, url in enumerate(urls):
        local_server.routes[url.removeprefix(base)] = lambda hit, n, i=i: Reply(200, article_page(i), html)
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        f'[[site]]\nname = "full"\nhosts = ["127.0.0.1"]\nstart = ["{base}/sitemap.xml"]\ngate = false\n',
        encoding="utf-8",
    )
    (loaded,) = app.load_sites(sites_file)
    return loaded, urls, sites_file


OPEN = db.open_database  # the real one, whatever a test patches


def nearly_full(path: Path, room: int = ROOM, **options: Any) -> Database:
    """The database at ``path``, opened (and migrated) with only ``room`` more pages allowed."""
    handle = OPEN(path, **options)
    pages = handle.execute("PRAGMA page_count").fetchone()[0]
    handle.execute(f"PRAGMA max_page_count = {pages + room}")
    return handle


def stored_urls(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [u for (u,) in conn.execute("SELECT url FROM articles ORDER BY url")]


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def runs(path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT status, errors FROM runs ORDER BY id").fetchall()


OPTIONS = CrawlOptions(delay=0, timeout=5, retries=0)


def test_a_full_disk_stops_the_run_and_the_next_run_resumes(
    site: tuple[Site, list[str], Path], tmp_path: Path
) -> None:
    the_site, urls, _ = site
    path = tmp_path / "thidua.db"
    handle = nearly_full(path)
    with pytest.raises(RunFailedError) as caught:
        app.crawl(handle, [the_site], OPTIONS)
    handle.conn.close()
    message = str(caught.value)
    assert message.startswith("disk full: ") and "free space and rerun" in message
    assert "the next run resumes" in message and "\n" not in message
    first = stored_urls(path)
    assert 1 <= len(first) < len(urls)  # some fitted, the disk filled, the rest was not written
    assert integrity(path) == "ok"
    assert runs(path)[0][0] == "failed"
    with sqlite3.connect(path) as conn:
        # The crawl stopped at once: the article that did not fit is the run's one disk-full error,
        # not one "store" error per page left.
        kinds = [k for (k,) in conn.execute("SELECT kind FROM run_errors")]
        # and what was not stored is not marked fetched, so the next run takes it up
        fetched = {
            u for (u,) in conn.execute("SELECT url FROM urls WHERE state = 'fetched' AND kind = 'article'")
        }
    assert kinds == ["disk-full"]
    assert fetched <= set(first)
    assert str(path) in message or "the database" in message

    # Space freed: the next run stores the rest, each article once.
    report = app.crawl(path, [the_site], OPTIONS)
    assert report.status == "ok"
    assert stored_urls(path) == sorted(urls)
    assert integrity(path) == "ok"
    # ... and a third run over the same site stores nothing new (idempotent).
    again = app.crawl(path, [the_site], OPTIONS)
    assert (again.status, again.new_articles) == ("ok", 0) and stored_urls(path) == sorted(urls)


def test_the_cli_says_disk_full_in_one_line_and_exits_1(
    site: tuple[Site, list[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, urls, sites_file = site
    path = tmp_path / "thidua.db"
    # The disk is simulated where the CLI opens the file: the same open, with little room left.
    monkeypatch.setattr(db, "open_database", lambda p, **kw: nearly_full(Path(p), **kw))
    result = CliRunner().invoke(cli, ["crawl", "--db", str(path), "--sites", str(sites_file), "--delay", "0"])
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("thidua: error: disk full: ") and "free space and rerun" in last
    assert "Traceback" not in result.stderr
    assert 1 <= len(stored_urls(path)) < len(urls) and integrity(path) == "ok"
    monkeypatch.setattr(db, "open_database", OPEN)
    result = CliRunner().invoke(cli, ["crawl", "--db", str(path), "--sites", str(sites_file), "--delay", "0"])
    assert result.exit_code == 0, result.stderr
    assert stored_urls(path) == sorted(urls)


@pytest.mark.parametrize(
    ("error", "full"),
    [
        (sqlite3.OperationalError("database or disk is full"), True),
        (sqlite3.OperationalError("database is locked"), False),
        (sqlite3.IntegrityError("UNIQUE constraint failed: urls.url"), False),
        (OSError(errno.ENOSPC, "No space left on device"), True),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), True),
        (OSError(errno.EACCES, "Permission denied"), False),
        (ValueError("database or disk is full"), False),  # only SQLite's and the OS's errors say so
    ],
)
def test_what_counts_as_a_full_disk(error: BaseException, full: bool) -> None:
    assert is_storage_full(error) is full


def test_the_sqlite_frontier_raises_storage_full_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    frontier = db.SqliteFrontier(nearly_full(path, room=2))
    written: list[str] = []
    with pytest.raises(StorageFull) as caught:
        for i in range(10_000):
            url = f"https://a.vn/tin/{'x' * 200}-{i}.html"
            frontier.put(UrlRecord(url, "a", "article", title="Cụm thi đua số 1 " * 20))
            written.append(url)
    assert caught.value.url not in written and frontier.get(caught.value.url) is None
    assert written and all(frontier.get(u) is not None for u in written)
    assert integrity(path) == "ok"


async def test_storage_full_stops_every_site_at_once_and_carries_what_was_done() -> None:
    web = MockWeb()
    a_urls, b_urls = articles(A, 10), articles(B, 10)
    # One article in flight per site, read in this process, so "at once" has a count to check.
    sites = tuple(replace(s, concurrency=1) for s in (serve(web, A, a_urls), serve(web, B, b_urls)))
    stored: list[str] = []

    def keep(article: Article) -> None:
        if len(stored) == 3:
            raise StorageFull(article.canonical_url, "database or disk is full")
        stored.append(article.canonical_url)

    with pytest.raises(StorageFull) as caught:
        await crawl(
            sites,
            MemoryFrontier(),
            keep,
            CrawlOptions(retries=0, workers=0),
            transport=web.transport(),
            clock=web.clock,
            sleep=web.clock.sleep,
        )
    # No site fetched on after the failed write: at most the pages each had in flight, one being
    # fetched and one fetched, waiting for its read and store (a site's slots: scraper.crawl_failures).
    fetched = [u for u in a_urls + b_urls if web.hits(u)]
    assert len(stored) == 3 and len(fetched) <= 3 + 2 * 2
    report = caught.value.report
    assert report is not None and {s.site for s in report.sites} == {"a", "b"}
    assert all(e.kind != "store" for s in report.sites for e in s.errors)


@pytest.mark.parametrize("room", [0, 1, 3])
def test_a_disk_full_from_the_start_is_the_same_one_line_and_exit_1(
    site: tuple[Site, list[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int
) -> None:
    """No new page at all, or one or three: the first write that needs one stops the run the same
    way, and nothing is half-written."""
    _, urls, sites_file = site
    path = tmp_path / "thidua.db"
    monkeypatch.setattr(db, "open_database", lambda p, **kw: nearly_full(Path(p), room, **kw))
    result = CliRunner().invoke(cli, ["crawl", "--db", str(path), "--sites", str(sites_file), "--delay", "0"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.strip().splitlines() if line.startswith("thidua: error:")]
    assert len(lines) == 1 and "full" in lines[0] and "free" in lines[0] and "Traceback" not in result.stderr
    assert integrity(path) == "ok"
    monkeypatch.setattr(db, "open_database", OPEN)
    args = ["crawl", "--db", str(path), "--sites", str(sites_file), "--delay", "0"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert stored_urls(path) == sorted(urls)
