"""A new form of a known article costs no fetch (issue 11, "URLs"), end to end on 127.0.0.1 with the
SQLite frontier: a query the canonical form keeps, a new slug with the same article id, and a path
with or without its trailing slash, on the next night or in the same one."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from scraper.crawl import CrawlOptions
from scraper.sites import Site
from tests.test_breaker import page, sitemap
from thidua import app
from thidua.demo.routeserver import Reply

ID_ARTICLE = "/tin/cum-thi-dua-so-3-tong-ket-1234567.html"
SLASH_ARTICLE = "/tin/khoi-thi-dua-so-ket/"
OPTIONS = CrawlOptions(delay=0, timeout=5, retries=0)


def serve(server: Any, paths: list[str]) -> Site:
    """robots.txt, a sitemap listing ``paths`` (re-read each night), and every article page."""
    base = server.base
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nAllow: /\n")
    server.routes["/sitemap.xml"] = lambda hit, n: Reply(
        200, sitemap([base + p for p in paths]), {"Content-Type": "application/xml"}
    )
    for path in (ID_ARTICLE, SLASH_ARTICLE, SLASH_ARTICLE.rstrip("/"), "/thoi-su/ten-moi-1234567.html"):
        # The site serves every form (a CMS answering a renamed slug or a missing slash with the page).
        server.routes[path] = lambda hit, n, path=path: Reply(200, page(base + path.rstrip("/")), html)
    return Site("twins", ("127.0.0.1",), (base + "/sitemap.xml",), delay=0.0, gate=False)


def article_requests(server: Any) -> list[str]:
    return [r.path for r in server.requests if r.path not in ("/robots.txt", "/sitemap.xml")]


def stored(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_forms_of_a_known_article_are_not_fetched_the_next_night(local_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "thidua.db"
    site = serve(local_server, [ID_ARTICLE, SLASH_ARTICLE])
    first = app.crawl(path, [site], OPTIONS)
    assert sorted(article_requests(local_server)) == sorted([ID_ARTICLE, SLASH_ARTICLE])
    assert first.new_articles == 2 and stored(path) == 2

    local_server.requests.clear()
    site = serve(
        local_server,
        [f"{ID_ARTICLE}?utm=x", "/thoi-su/ten-moi-1234567.html", SLASH_ARTICLE.rstrip("/")],
    )
    second = app.crawl(path, [site], OPTIONS)
    assert article_requests(local_server) == []
    assert (second.status, second.new_articles, second.pages_fetched) == ("ok", 0, 0)
    assert stored(path) == 2


def test_both_forms_in_one_night_are_fetched_once(local_server: Any, tmp_path: Path) -> None:
    path = tmp_path / "thidua.db"
    site = serve(local_server, [SLASH_ARTICLE, SLASH_ARTICLE.rstrip("/"), ID_ARTICLE, f"{ID_ARTICLE}?utm=x"])
    report = app.crawl(path, [site], OPTIONS)
    requested = article_requests(local_server)
    assert sorted(requested) == sorted([SLASH_ARTICLE, ID_ARTICLE])
    assert report.new_articles == 2 and report.duplicates == 0 and stored(path) == 2
