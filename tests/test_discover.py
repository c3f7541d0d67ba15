"""Discovery: telling entry points apart, monthly templates, search URLs, listing links with titles."""
# ruff: noqa: E501 - page and feed samples read better unwrapped

from __future__ import annotations

import gzip
from datetime import date

import pytest

from scraper.discover import (
    discover_page,
    expand_start,
    guess_kind,
    id_date,
    link_hints,
    search_urls,
    sniff_kind,
    start_urls,
)
from scraper.sites import Site


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://nld.com.vn/rss/thoi-su.rss", "feed"),
        ("https://www.sggp.org.vn/rss/xahoi-199.rss", "feed"),
        ("https://example.vn/feed/", "feed"),
        ("https://nld.com.vn/sitemaps.xml", "sitemap"),
        ("https://tuoitre.vn/Sitemap/GoogleNews.ashx", "sitemap"),
        ("https://plo.vn/sitemaps/news-2026-03.xml", "sitemap"),
        ("https://x.vn/sitemap-1.xml.gz", "sitemap"),
        ("https://hcmcpv.org.vn/nhom-tin/quan-7-1197614591", "listing"),
        ("https://nld.com.vn/thoi-su.htm", "listing"),
    ],
)
def test_guess_kind(url: str, kind: str) -> None:
    assert guess_kind(url) == kind


@pytest.mark.parametrize(
    ("data", "headers", "kind"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', {}, "feed"),
        (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>', {}, "feed"),
        (b'<?xml version="1.0"?><urlset xmlns="x"></urlset>', {}, "sitemap"),
        (b"<sitemapindex></sitemapindex>", {}, "sitemap"),
        (gzip.compress(b"<urlset></urlset>"), {}, "sitemap"),
        ("<!doctype html><html><head><title>Thời sự</title></head></html>".encode(), {}, "listing"),
        (b"<channel></channel>", {"content-type": "application/rss+xml"}, "feed"),
    ],
)
def test_sniff_kind_reads_the_bytes(data: bytes, headers: dict[str, str], kind: str) -> None:
    assert sniff_kind(data, headers) == kind


def test_monthly_templates_expand_from_since_to_today_newest_first() -> None:
    template = "https://plo.vn/sitemaps/news-{YYYY}-{MM}.xml"
    assert expand_start(template, since=date(2025, 11, 20), today=date(2026, 2, 3)) == [
        "https://plo.vn/sitemaps/news-2026-02.xml",
        "https://plo.vn/sitemaps/news-2026-01.xml",
        "https://plo.vn/sitemaps/news-2025-12.xml",
        "https://plo.vn/sitemaps/news-2025-11.xml",
    ]
    assert expand_start(template, since=None, today=date(2026, 1, 3)) == [
        "https://plo.vn/sitemaps/news-2026-01.xml",
        "https://plo.vn/sitemaps/news-2025-12.xml",
    ]
    assert expand_start("https://plo.vn/rss/home.rss", since=None, today=date(2026, 1, 3)) == [
        "https://plo.vn/rss/home.rss"
    ]


def test_search_urls_fill_every_template_with_every_term() -> None:
    site = Site(
        "nld",
        ("nld.com.vn",),
        ("https://nld.com.vn/rss/home.rss",),
        search=("https://nld.com.vn/tim-kiem.htm?keywords={query}",),
    )
    assert search_urls(site, ("cụm thi đua", "khối thi đua")) == [
        "https://nld.com.vn/tim-kiem.htm?keywords=c%E1%BB%A5m+thi+%C4%91ua",
        "https://nld.com.vn/tim-kiem.htm?keywords=kh%E1%BB%91i+thi+%C4%91ua",
    ]
    assert start_urls(site, since=None, today=date(2026, 3, 6)) == ["https://nld.com.vn/rss/home.rss"]


LISTING = """<!doctype html><html><head><meta charset="utf-8"><title>Thời sự</title></head><body>
<div class="box-category-item"><h3 class="box-category-title-text">
<a class="box-category-link-title" href="/cum-thi-dua-17-ky-ket-giao-uoc-196260306101010123.htm?utm_source=home">
Cụm thi đua 17 ký kết giao ước</a></h3></div>
<div class="box-category-item"><a href="/cum-thi-dua-17-ky-ket-giao-uoc-196260306101010123.htm">
<img src="a.jpg"></a>
<h3><a class="box-category-link-title" href="/gia-vang-hom-nay-tang-manh-196260306111111123.htm">Giá vàng hôm nay tăng mạnh</a></h3></div>
<a href="/thoi-su.htm">Thời sự</a>
<a href="/timelinelist/1961014/2.htm" rel="next">Xem thêm</a>
</body></html>"""


def test_listing_discovery_gives_article_urls_with_anchor_titles() -> None:
    found = discover_page(LISTING.encode(), "https://nld.com.vn/thoi-su.htm", {"content-type": "text/html"})
    assert found.kind == "listing"
    urls = [h.url for h in found.articles]
    assert urls[:2] == [
        "https://nld.com.vn/cum-thi-dua-17-ky-ket-giao-uoc-196260306101010123.htm",
        "https://nld.com.vn/gia-vang-hom-nay-tang-manh-196260306111111123.htm",
    ]
    assert found.articles[0].title == "Cụm thi đua 17 ký kết giao ước"
    assert found.next_page == "https://nld.com.vn/timelinelist/1961014/2.htm"


def test_link_hints_keep_the_longest_anchor_text_per_target() -> None:
    hints = link_hints(
        '<a href="/a-1.htm">Xem</a><a href="/a-1.htm?utm_medium=x">Cụm thi đua số 3 sơ kết</a>',
        "https://x.vn/",
    )
    assert {url: title for url, (title, _box) in hints.items()} == {
        "https://x.vn/a-1.htm": "Cụm thi đua số 3 sơ kết"
    }


def test_feed_and_sitemap_discovery() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Kh\xe1\xbb\x91i thi \xc4\x91ua</title>'
        b"<link>https://x.vn/khoi-thi-dua-1.htm</link></item></channel></rss>"
    )
    feed = discover_page(rss, "https://x.vn/rss/home.rss")
    assert feed.kind == "feed" and feed.articles[0].title == "Khối thi đua"
    index = b"<sitemapindex><sitemap><loc>https://x.vn/s1.xml</loc></sitemap></sitemapindex>"
    found = discover_page(index, "https://x.vn/sitemap.xml")
    assert found.kind == "sitemap" and [h.url for h in found.sitemaps] == ["https://x.vn/s1.xml"]
    assert found.articles == ()


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://nld.com.vn/cum-thi-dua-196260307071308923.htm", date(2026, 3, 7)),
        ("https://tuoitre.vn/khoi-thi-dua-20260307080153123.htm", date(2026, 3, 7)),
        ("https://nld.com.vn/x-196269999071308923.htm", None),
        ("https://hcmcpv.org.vn/tin-tuc/cum-thi-dua-1491907111", None),
        ("https://plo.vn/cum-thi-dua-post812345.html", None),
    ],
)
def test_id_date_reads_the_day_a_vccorp_id_embeds(url: str, day: date | None) -> None:
    assert id_date(url) == day


def test_listing_item_box_gives_a_lead_hint_for_the_gate() -> None:
    page = """<html><body><div class="list">
    <div class="item"><h3><a href="/tin-tuc/nhan-rong-dien-hinh-tien-tien-1491907111">Nhân rộng điển hình tiên tiến</a></h3>
      <p class="sapo">(Thanhuytphcm.vn) - Chiều 11/4, Cụm thi đua 6 tổ chức hội nghị sơ kết.</p></div>
    <div class="item"><h3><a href="/tin-tuc/khanh-thanh-cong-trinh-1491907222">Khánh thành công trình</a></h3>
      <p class="sapo">Phường 7 khánh thành công trình nước sạch.</p></div>
    </div></body></html>"""
    hints = link_hints(page, "https://hcmcpv.org.vn/nhom-tin/quan-7-1197614591")
    title, box = hints["https://hcmcpv.org.vn/tin-tuc/nhan-rong-dien-hinh-tien-tien-1491907111"]
    assert title == "Nhân rộng điển hình tiên tiến"
    assert "Cụm thi đua 6" in box and "nước sạch" not in box
    _, other = hints["https://hcmcpv.org.vn/tin-tuc/khanh-thanh-cong-trinh-1491907222"]
    assert "Cụm thi đua" not in other
