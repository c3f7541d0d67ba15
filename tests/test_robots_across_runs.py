"""robots.txt kept across runs: ``SqliteFrontier``'s ``robots_txt`` table, and the nightly crawl of an
unchanged site sending only conditional requests (127.0.0.1 server, ``thidua.app.crawl``, SQLite file)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from db import SqliteFrontier, open_database
from scraper.crawl import CrawlOptions
from scraper.frontier import RobotsCopy, StorageFull
from scraper.robots import ROBOTS_MAX_BYTES
from scraper.sites import Site
from tests.conftest import LocalServer
from tests.test_sitemap_freshness import Pages, article_page, urlset
from thidua import app

NOW = datetime(2026, 3, 6, 5, 0, tzinfo=UTC)
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
OPTIONS = CrawlOptions(delay=0.0, timeout=3.0, retries=0)
CONDITIONAL = {"if-none-match", "if-modified-since"}


@pytest.mark.parametrize(
    "copy",
    [
        RobotsCopy(
            "a.vn",
            "https://a.vn/robots.txt",
            200,
            checked_at=NOW,
            fetched_at=NOW,
            etag='"r1"',
            last_modified="Thu, 05 Mar 2026 01:00:00 GMT",
            body="User-agent: *\nDisallow: /tìm-kiếm/\n",
        ),
        RobotsCopy("127.0.0.1:8080", "http://127.0.0.1:8080/robots.txt", 404, checked_at=NOW),
    ],
)
def test_a_kept_robots_txt_comes_back_whole_after_reopening(tmp_path: Path, copy: RobotsCopy) -> None:
    path = tmp_path / "thidua.db"
    SqliteFrontier(open_database(path)).robots_put(copy)
    again = SqliteFrontier(open_database(path))
    assert again.robots_get(copy.host) == copy
    assert again.robots_get("other.vn") is None


def test_a_new_copy_replaces_the_old_and_the_same_copy_twice_is_one_row(tmp_path: Path) -> None:
    path = tmp_path / "thidua.db"
    frontier = SqliteFrontier(open_database(path))
    old = RobotsCopy("a.vn", "http://a.vn/robots.txt", 200, checked_at=NOW, etag='"r1"', body="# 1\n")
    new = RobotsCopy("a.vn", "http://a.vn/robots.txt", 200, checked_at=NOW, etag='"r2"', body="# 2\n")
    frontier.robots_put(old)
    frontier.robots_put(new)
    frontier.robots_put(new)
    assert frontier.robots_get("a.vn") == new
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT host, etag FROM robots_txt").fetchall() == [("a.vn", '"r2"')]


def test_a_body_at_the_cap_is_kept_and_a_full_disk_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "thidua.db"
    handle = open_database(path)
    frontier = SqliteFrontier(handle)
    big = RobotsCopy("a.vn", "http://a.vn/robots.txt", 200, checked_at=NOW, body="#" * ROBOTS_MAX_BYTES)
    frontier.robots_put(big)
    assert frontier.robots_get("a.vn") == big

    pages = handle.execute("PRAGMA page_count").fetchone()[0]
    handle.execute(f"PRAGMA max_page_count = {pages}")  # not one page more
    with pytest.raises(StorageFull) as info:
        frontier.robots_put(
            RobotsCopy("b.vn", "http://b.vn/robots.txt", 200, checked_at=NOW, body="#" * 100_000)
        )
    assert info.value.url == "http://b.vn/robots.txt"
    assert frontier.robots_get("b.vn") is None and frontier.robots_get("a.vn") == big


class Site127(Pages):
    """A small site on the 127.0.0.1 server: every path answers with an ETag of its bytes (304 to a
    matching If-None-Match), robots.txt included."""

    def __init__(self, server: LocalServer) -> None:
        super().__init__(server)
        self.put("/robots.txt", ROBOTS, "text/plain")

    def sitemap(self, paths: list[str]) -> None:
        self.put("/sitemap.xml", urlset(self.server.base, paths))
        for path in paths:
            slug = path.rsplit("/", 1)[-1].removesuffix(".html").replace("-", " ")
            self.put(path, article_page(slug.capitalize()), "text/html; charset=utf-8")

    def night(self, db: Path) -> tuple[app.RunReport, list[Any]]:
        self.server.hits.clear()
        site = Site(name="tinh", hosts=("127.0.0.1",), start=(f"{self.server.base}/sitemap.xml",), delay=0.0)
        report = app.crawl(db, [site], OPTIONS)
        return report, list(self.server.hits)


def test_night_2_of_an_unchanged_site_sends_only_conditional_requests(
    local_server: LocalServer, tmp_path: Path
) -> None:
    site = Site127(local_server)
    site.sitemap(["/tin-tuc/cum-thi-dua-so-1-ky-ket.html", "/private/cum-thi-dua-so-2-hop.html"])
    db = tmp_path / "thidua.db"

    first, hits = site.night(db)
    assert first.new_articles == 1
    assert [h.path for h in hits if h.path.startswith("/private/")] == []
    assert [h.headers.keys() & CONDITIONAL for h in hits if h.path == "/robots.txt"] == [set()]
    with sqlite3.connect(db) as raw:
        kept = raw.execute("SELECT host, status, etag IS NOT NULL, body FROM robots_txt").fetchall()
    assert kept == [(local_server.base.split("//")[1], 200, 1, ROBOTS.decode())]

    second, hits = site.night(db)
    assert second.new_articles == 0
    plain = [h.path for h in hits if not (h.headers.keys() & CONDITIONAL)]
    assert plain == []
    assert sorted((h.path, h.status) for h in hits) == [("/robots.txt", 304), ("/sitemap.xml", 304)]


def test_a_disallow_kept_from_night_1_holds_for_a_page_first_listed_on_night_2(
    local_server: LocalServer, tmp_path: Path
) -> None:
    site = Site127(local_server)
    site.sitemap(["/tin-tuc/cum-thi-dua-so-1-ky-ket.html"])
    db = tmp_path / "thidua.db"
    site.night(db)

    site.sitemap(
        [
            "/tin-tuc/cum-thi-dua-so-1-ky-ket.html",
            "/tin-tuc/cum-thi-dua-so-3-so-ket.html",
            "/private/cum-thi-dua-so-4-hop-kin.html",
        ]
    )
    second, hits = site.night(db)
    assert [h.status for h in hits if h.path == "/robots.txt"] == [304]
    assert second.new_articles == 1
    assert [h.path for h in hits if h.path.startswith("/tin-tuc/")] == [
        "/tin-tuc/cum-thi-dua-so-3-so-ket.html"
    ]
    assert [h.path for h in hits if h.path.startswith("/private/")] == []
