"""A Google News sitemap's dates end to end (issue 11; ``app.crawl`` on a 127.0.0.1 server, SQLite
database): the night after, a known article whose news date is unchanged costs no request, one whose
lastmod is newer than its fetch is fetched again and its stored text updated, and a new entry dated
long before the first run is still fetched; a budget-cut night got the newest."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scraper.crawl import CrawlOptions
from scraper.sites import Site
from tests.test_sitemap_freshness import Pages, article_page
from thidua import app

OPTIONS = CrawlOptions(delay=0.0, timeout=3.0, retries=0, workers=0)
PATHS = [f"/tin/cum-thi-dua-so-{i}-ky-ket-14919000{i:02d}.html" for i in range(1, 6)]
# Publication days, listed out of order: 5, 1, 4, 2, 3 March.
DAYS = {PATHS[0]: 5, PATHS[1]: 1, PATHS[2]: 4, PATHS[3]: 2, PATHS[4]: 3}


def news_sitemap(base: str, entries: dict[str, tuple[str, str | None]]) -> bytes:
    """path → (news:publication_date, lastmod or None)."""
    items = "".join(
        f"<url><loc>{base}{path}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}"
        f"<news:news><news:publication_date>{news}</news:publication_date>"
        f"<news:title>Cụm thi đua ký kết</news:title></news:news></url>"
        for path, (news, mod) in entries.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{items}</urlset>'
    ).encode()


def dated(path: str) -> tuple[str, str | None]:
    return f"2026-03-{DAYS[path]:02d}T08:00:00+07:00", None


def site(base: str) -> Site:
    return Site("tinh", ("127.0.0.1",), (f"{base}/sitemap-news.xml",), delay=0.0, concurrency=1)


def setup(server: Any) -> Pages:
    pages = Pages(server)
    pages.put("/sitemap-news.xml", news_sitemap(server.base, {p: dated(p) for p in PATHS}))
    for i, path in enumerate(PATHS, 1):
        pages.article(path, f"Cụm thi đua số {i} ký kết giao ước")
    return pages


def articles_asked(server: Any) -> list[str]:
    return [h.path for h in server.hits if h.path.startswith("/tin/")]


def night(db: Path, server: Any, options: CrawlOptions = OPTIONS) -> app.RunReport:
    server.hits.clear()
    return app.crawl(db, [site(server.base)], options)


def test_the_night_after_only_the_updated_and_the_new_articles_are_asked(
    local_server: Any, tmp_path: Path
) -> None:
    pages = setup(local_server)
    db = tmp_path / "t.db"
    first = night(db, local_server)
    assert first.new_articles == 5
    assert articles_asked(local_server) == sorted(PATHS, key=lambda p: -DAYS[p])  # newest first
    # That was last night: the fetches are a day old.
    with sqlite3.connect(db) as conn:
        yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
        conn.execute("UPDATE urls SET fetched_at = ? WHERE kind = 'article'", [yesterday])

    # Night 2: article 3 was edited an hour ago (its lastmod says so), and an entry published a
    # year ago appears; the other four keep their news dates.
    edited, old = PATHS[2], "/tin/cum-thi-dua-so-9-ky-ket-1491900099.html"
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    entries = {p: dated(p) for p in PATHS}
    entries[edited] = (entries[edited][0], an_hour_ago)
    entries[old] = ("2025-03-01T08:00:00+07:00", None)
    pages.put("/sitemap-news.xml", news_sitemap(local_server.base, entries))
    pages.put(
        edited,
        article_page("Cụm thi đua số 3 ký kết giao ước (cập nhật)"),
        "text/html; charset=utf-8",
    )
    pages.article(old, "Cụm thi đua số 9 ký kết giao ước")
    second = night(db, local_server)

    assert sorted(articles_asked(local_server)) == sorted([edited, old])
    with sqlite3.connect(db) as conn:
        titles = {str(r[0]) for r in conn.execute("SELECT title FROM articles")}
    assert "Cụm thi đua số 3 ký kết giao ước (cập nhật)" in titles
    assert "Cụm thi đua số 9 ký kết giao ước" in titles
    assert not second.errors, second.error_list

    # Night 3: nothing newer than what we hold: no article is asked.
    night(db, local_server)
    assert articles_asked(local_server) == []


def test_a_budget_cut_night_got_the_newest(local_server: Any, tmp_path: Path) -> None:
    setup(local_server)
    db = tmp_path / "t.db"
    cut = night(db, local_server, replace(OPTIONS, max_pages=2))
    newest = sorted(PATHS, key=lambda p: -DAYS[p])
    assert cut.new_articles == 2
    assert articles_asked(local_server) == newest[:2]
    rest = night(db, local_server)  # the next night takes up the rest, newest first
    assert rest.new_articles == 3
    assert articles_asked(local_server) == newest[2:]
