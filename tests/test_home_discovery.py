"""A site configured by its home page alone: robots.txt Sitemap: lines and the home page's
<link rel="alternate"> feeds are its entry points; listed start URLs win over both."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from scraper.article import Article
from scraper.crawl import CrawlOptions, crawl_sync
from scraper.discover import feed_links
from scraper.frontier import MemoryFrontier
from scraper.sites import Site


def article_page(title: str) -> bytes:
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2026-03-05T09:00:00+07:00"></head><body>
<article><h1>{title}</h1><p class="sapo">Sáng 5/3, Cụm thi đua số 2 tổ chức hội nghị ký kết giao ước.</p>
<p>Các đơn vị thống nhất nhiều chỉ tiêu thi đua trọng tâm trong năm 2026, chú trọng chuyển đổi số.</p>
<p>Hội nghị cũng thống nhất lịch kiểm tra chéo giữa các đơn vị trong cụm vào cuối năm.</p>
</article></body></html>""".encode()


def serve(local_server: Any) -> str:
    from tests.conftest import Reply

    base = local_server.base
    html = {"Content-Type": "text/html; charset=utf-8"}
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(
        200,
        f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap-news.xml\nSitemap: https://other.vn/s.xml\n".encode(),
    )
    local_server.routes["/"] = lambda hit, n: Reply(
        200,
        """<!doctype html><html><head><meta charset="utf-8"><title>Báo Tỉnh</title>
<link rel="alternate" type="application/rss+xml" title="Tin mới" href="/rss/home.rss">
<link rel="stylesheet" href="/style.css"></head><body><p>Trang chủ</p></body></html>""".encode(),
        html,
    )
    from_sitemap = f"{base}/tin-tuc/cum-thi-dua-so-2-ky-ket-1490000011.html"
    from_feed = f"{base}/tin-tuc/khoi-thi-dua-tong-ket-1490000012.html"
    local_server.routes["/sitemap-news.xml"] = lambda hit, n: Reply(
        200,
        f"""<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{from_sitemap}</loc></url></urlset>""".encode(),
        {"Content-Type": "application/xml"},
    )
    local_server.routes["/rss/home.rss"] = lambda hit, n: Reply(
        200,
        f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title>
<item><title>Khối thi đua tổng kết năm</title><link>{from_feed}</link></item></channel></rss>""".encode(),
        {"Content-Type": "application/rss+xml"},
    )
    for url, title in ((from_sitemap, "Cụm thi đua số 2 ký kết"), (from_feed, "Khối thi đua tổng kết năm")):
        local_server.routes[urlsplit(url).path] = lambda hit, n, t=title: Reply(200, article_page(t), html)
    return base


def test_a_home_only_site_is_crawled_through_its_robots_sitemaps_and_feeds(local_server: Any) -> None:
    base = serve(local_server)
    site = Site("tinh", (urlsplit(base).netloc,), (), delay=0.0, home=base + "/")
    stored: list[Article] = []
    report = crawl_sync((site,), MemoryFrontier(), stored.append, CrawlOptions(delay=0.0, timeout=5.0))
    assert sorted(a.title for a in stored) == ["Cụm thi đua số 2 ký kết", "Khối thi đua tổng kết năm"]
    paths = local_server.paths()
    assert "/sitemap-news.xml" in paths and "/rss/home.rss" in paths
    assert "/style.css" not in paths
    assert report.errors == []


def test_listed_start_urls_win_over_discovery(local_server: Any) -> None:
    base = serve(local_server)
    site = Site("tinh", (urlsplit(base).netloc,), (base + "/",), delay=0.0, home=base + "/")
    stored: list[Article] = []
    crawl_sync((site,), MemoryFrontier(), stored.append, CrawlOptions(delay=0.0, timeout=5.0))
    paths = local_server.paths()
    assert "/sitemap-news.xml" not in paths and "/rss/home.rss" not in paths


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<link rel="alternate" type="application/rss+xml" href="/rss/a.rss">', ["https://a.vn/rss/a.rss"]),
        (
            '<link rel="alternate" type="application/atom+xml" href="https://a.vn/atom">',
            ["https://a.vn/atom"],
        ),
        ('<link rel="ALTERNATE" type="application/rss+xml" href="x.rss">', ["https://a.vn/tin/x.rss"]),
        ('<link rel="alternate" hreflang="en" href="/en/">', []),  # a translation, not a feed
        ('<link rel="stylesheet" type="text/css" href="/s.css">', []),
        ('<link rel="alternate" type="application/rss+xml" href="http://[x/">', []),
    ],
)
def test_feed_links(head: str, expected: list[str]) -> None:
    assert list(feed_links(f"<html><head>{head}</head><body></body></html>", "https://a.vn/tin/")) == expected
