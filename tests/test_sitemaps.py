"""Sitemaps: index, urlset, Google News dates and titles, gzip, malformed and hostile XML."""
# ruff: noqa: E501 - page and feed samples read better unwrapped

from __future__ import annotations

import gzip
from datetime import datetime, timedelta, timezone

import pytest

from scraper.errors import ParseError
from scraper.fetch import FetchFailure
from scraper.sitemaps import parse_sitemap, parse_w3c_date

VN = timezone(timedelta(hours=7))

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://plo.vn/sitemaps/news-2026-03.xml</loc><lastmod>2026-03-06T10:00:00+07:00</lastmod></sitemap>
<sitemap><loc> https://plo.vn/sitemaps/news-2026-02.xml </loc></sitemap>
</sitemapindex>"""

NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://nld.com.vn/cum-thi-dua-17-196260306101010123.htm</loc>
<news:news><news:publication><news:name>Người Lao Động</news:name><news:language>vi</news:language></news:publication>
<news:publication_date>2026-03-06T10:10:00+07:00</news:publication_date>
<news:title>Cụm thi đua 17 ký kết giao ước</news:title></news:news></url>
<url><loc>https://nld.com.vn/gia-vang-196260301101010123.htm</loc><lastmod>2026-03-01</lastmod></url>
<url><lastmod>2026-03-01</lastmod></url>
</urlset>""".encode()


def test_index_lists_child_sitemaps() -> None:
    sitemap = parse_sitemap(INDEX, "https://plo.vn/sitemap.xml")
    assert sitemap.is_index
    assert [e.url for e in sitemap.entries] == [
        "https://plo.vn/sitemaps/news-2026-03.xml",
        "https://plo.vn/sitemaps/news-2026-02.xml",
    ]
    assert sitemap.entries[0].lastmod == datetime(2026, 3, 6, 10, tzinfo=VN)


def test_google_news_sitemap_gives_publication_dates_and_titles() -> None:
    sitemap = parse_sitemap(NEWS, "https://nld.com.vn/news-sitemap.xml")
    assert not sitemap.is_index
    first, second = sitemap.entries
    assert first.published == datetime(2026, 3, 6, 10, 10, tzinfo=VN)
    assert first.title == "Cụm thi đua 17 ký kết giao ước"
    assert first.date == first.published
    assert second.published is None and second.date == datetime(2026, 3, 1, tzinfo=VN)


def test_gzipped_sitemap_is_read() -> None:
    sitemap = parse_sitemap(gzip.compress(NEWS), "https://nld.com.vn/sitemap.xml.gz")
    assert len(sitemap.entries) == 2


def test_gzipped_sitemap_past_the_cap_is_too_large() -> None:
    with pytest.raises(FetchFailure) as info:
        parse_sitemap(gzip.compress(b" " * 2_000_000 + NEWS), "https://x.vn/s.xml.gz", max_bytes=1_000_000)
    assert info.value.kind == "too-large"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<urlset><url><loc>https://x.vn/a</loc></url>", "malformed sitemap XML"),
        (b"", "malformed sitemap XML"),
        (b"<html><body>hi</body></html>", "not a sitemap"),
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<urlset><url><loc>&b;</loc></url></urlset>",
            "malformed sitemap XML",
        ),
    ],
)
def test_bad_xml_is_a_clear_parse_error(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as info:
        parse_sitemap(data, "https://x.vn/sitemap.xml")
    assert "https://x.vn/sitemap.xml" in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-06", datetime(2026, 3, 6, tzinfo=VN)),
        ("2026-03-06T03:10:00Z", datetime(2026, 3, 6, 10, 10, tzinfo=VN)),
        ("2026-03-06T10:10:00 +07:00", datetime(2026, 3, 6, 10, 10, tzinfo=VN)),
        ("06/03/2026", None),
        (None, None),
    ],
)
def test_parse_w3c_date(text: str | None, expected: datetime | None) -> None:
    assert parse_w3c_date(text) == expected
