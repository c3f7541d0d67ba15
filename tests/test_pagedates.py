"""Publication and modification dates of pages (scraper/pagedates.py), including the date traps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.fields import article_objects, jsonld_objects
from scraper.pagedates import page_dates, parse_byline, parse_iso, url_date

VN = timezone(timedelta(hours=7))
FETCHED = datetime(2026, 3, 8, 12, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07/03/2026 08:06 GMT+7", datetime(2026, 3, 7, 8, 6, tzinfo=VN)),
        ("06/03/2026 16:20 GMT+7", datetime(2026, 3, 6, 16, 20, tzinfo=VN)),  # never read month-first
        ("01/03/2026 09:51", datetime(2026, 3, 1, 9, 51, tzinfo=VN)),
        ("Thứ bảy, 7/3/2026, 00:05 (GMT+7)", datetime(2026, 3, 7, 0, 5, tzinfo=VN)),
        ("Thứ Bảy, 07/03/2026 - 08:52", datetime(2026, 3, 7, 8, 52, tzinfo=VN)),
        ("Thứ bảy, 07/03/2026 - 08:07", datetime(2026, 3, 7, 8, 7, tzinfo=VN)),
        ("30/03/2023 - 20:30", datetime(2023, 3, 30, 20, 30, tzinfo=VN)),
        ("15:24 - 26/01/2024", datetime(2024, 1, 26, 15, 24, tzinfo=VN)),
        ("08:04, 15/04/2021", datetime(2021, 4, 15, 8, 4, tzinfo=VN)),
        ("09:15 | 05/02/2024", datetime(2024, 2, 5, 9, 15, tzinfo=VN)),
        ("- 10:30 05/02/2024", datetime(2024, 2, 5, 10, 30, tzinfo=VN)),
        ("Ngày đăng: 30.03.2022", datetime(2022, 3, 30, tzinfo=VN)),
        ("Cập nhật: 09:30 ngày 05/02/2024", datetime(2024, 2, 5, 9, 30, tzinfo=VN)),
        ("Thứ Năm, ngày 28 tháng 3 năm 2024", datetime(2024, 3, 28, tzinfo=VN)),
        ("Cập nhật lúc 08h30, 26/10/2023", datetime(2023, 10, 26, 8, 30, tzinfo=VN)),
        ("26/01/2024 15:24 GMT+0", datetime(2024, 1, 26, 15, 24, tzinfo=UTC)),
        ("2026-03-07 08:07", datetime(2026, 3, 7, 8, 7, tzinfo=VN)),
        ("31/02/2024", None),  # no such day
        ("Thời sự", None),
        ("", None),
    ],
)
def test_parse_byline_is_day_first(text: str, expected: datetime | None) -> None:
    result = parse_byline(text)
    assert result == expected
    if result is not None:
        assert result.utcoffset() == expected.utcoffset()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-07T08:06:00+07:00", datetime(2026, 3, 7, 8, 6, tzinfo=VN)),
        ("2026-03-07T08:52:11.000 +07:00", datetime(2026, 3, 7, 8, 52, 11, tzinfo=VN)),  # vietnamnet
        ("2026-03-07T01:52:11Z", datetime(2026, 3, 7, 1, 52, 11, tzinfo=UTC)),
        ("2026-03-07T08:06:00+0700", datetime(2026, 3, 7, 8, 6, tzinfo=VN)),
        ("2026-03-07 08:07", datetime(2026, 3, 7, 8, 7, tzinfo=VN)),  # no offset means Vietnam time
        ("2026-03-07", datetime(2026, 3, 7, tzinfo=VN)),
        ("2026-13-07", None),
        ("hôm qua", None),
    ],
)
def test_parse_iso(text: str, expected: datetime | None) -> None:
    result = parse_iso(text)
    assert result == expected
    if result is not None:
        assert result.tzinfo is not None


def dates(
    html: str, fetched_at: datetime = FETCHED, selectors: dict[str, str] | None = None
) -> tuple[datetime | None, datetime | None]:
    tree = LexborHTMLParser(html)
    return page_dates(tree, article_objects(jsonld_objects(tree)), fetched_at=fetched_at, selectors=selectors)


JSONLD = (
    '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2026-03-07T08:01:00+07:00",'
    '"dateModified":"2026-03-07T09:00:00+07:00"}</script>'
)
META = (
    '<meta property="article:published_time" content="2026-03-07T08:01:53+07:00">'
    '<meta property="article:modified_time" content="2026-03-07T10:00:00+07:00">'
)


def test_jsonld_before_meta_before_byline() -> None:
    byline = '<div class="detail-time">06/03/2026 07:00</div>'
    assert dates(f"<head>{JSONLD}{META}</head><body>{byline}</body>") == (
        datetime(2026, 3, 7, 8, 1, tzinfo=VN),
        datetime(2026, 3, 7, 9, 0, tzinfo=VN),
    )
    assert dates(f"<head>{META}</head><body>{byline}</body>") == (
        datetime(2026, 3, 7, 8, 1, 53, tzinfo=VN),
        datetime(2026, 3, 7, 10, 0, tzinfo=VN),
    )
    assert dates(f"<body>{byline}</body>") == (datetime(2026, 3, 6, 7, 0, tzinfo=VN), None)


def test_html_comments_are_never_dates() -> None:
    html = (
        "<body><!-- 3/7/2026 8:02:19 AM --><h1>Tiêu đề</h1>"
        "<!-- 12/1/2025 11:40:03 PM --><p>Nội dung.</p></body>"
    )
    assert dates(html) == (None, None)


def test_date_banner_is_not_the_publication_date() -> None:
    html = """<body><header><div class="topbar">Thứ Năm, ngày 28 tháng 3 năm 2024</div></header>
    <div class="post"><h1>Tiêu đề</h1><span class="post-date">15:24 - 26/03/2024</span>
    <p>Nội dung</p></div></body>"""
    published, _ = dates(html, fetched_at=datetime(2024, 3, 28, 10, 0, tzinfo=VN))
    assert published == datetime(2024, 3, 26, 15, 24, tzinfo=VN)


def test_banner_alone_gives_no_date() -> None:
    html = """<body><div class="header"><span class="date">Thứ Năm, ngày 28 tháng 3 năm 2024</span></div>
    <div class="content"><h1>Tiêu đề</h1><p>Nội dung</p></div></body>"""
    assert dates(html, fetched_at=datetime(2024, 3, 28, 10, 0, tzinfo=VN)) == (None, None)


def test_dates_of_other_news_are_not_this_articles() -> None:
    html = """<body><div class="news-detail"><h1>Tiêu đề</h1>
    <ul class="other-news"><li><a href="/a">Tin khác</a> <span class="date">(10/04/2023)</span></li></ul>
    </div></body>"""
    assert dates(html) == (None, None)


def test_dates_after_the_fetch_are_discarded() -> None:
    byline = '<div class="detail-time">05/03/2026 07:00</div>'
    early = datetime(2026, 3, 6, 0, 0, tzinfo=VN)
    # JSON-LD and meta say 7 March, which is after the fetch: the byline (5 March) is used instead.
    assert dates(f"<head>{JSONLD}{META}</head><body>{byline}</body>", fetched_at=early) == (
        datetime(2026, 3, 5, 7, 0, tzinfo=VN),
        None,
    )
    assert dates(f"<head>{JSONLD}</head>", fetched_at=early) == (None, None)


def test_naive_fetch_time_is_vietnam_time() -> None:
    # meta says 08:01:53+07:00; a naive fetch time of 07:50 is 07:50+07:00, before it
    assert dates(f"<head>{META}</head>", fetched_at=datetime(2026, 3, 7, 7, 50))[0] is None
    # a few minutes ahead of the fetch (the site's clock runs fast) is clamped, never after the fetch
    assert dates(f"<head>{META}</head>", fetched_at=datetime(2026, 3, 7, 8, 0))[0] == datetime(
        2026, 3, 7, 8, 0, tzinfo=VN
    )


def test_modified_before_published_is_dropped() -> None:
    html = (
        '<script type="application/ld+json">{"@type":"NewsArticle",'
        '"datePublished":"2026-03-07T08:00:00+07:00","dateModified":"2026-03-01T08:00:00+07:00"}</script>'
    )
    assert dates(html) == (datetime(2026, 3, 7, 8, 0, tzinfo=VN), None)


def test_site_selector_comes_first() -> None:
    html = f"<head>{META}</head><body><div class='ngay-dang'>Ngày đăng: 30.03.2022</div></body>"
    assert dates(html, selectors={"published": ".khong-co, .ngay-dang"})[0] == datetime(
        2022, 3, 30, tzinfo=VN
    )


def test_updated_byline_is_the_modified_date() -> None:
    html = """<body><article><h1>Tiêu đề</h1>
    <div class="date">Cập nhật lúc 08:30, 26/10/2023</div></article></body>"""
    assert dates(html) == (None, datetime(2023, 10, 26, 8, 30, tzinfo=VN))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://nld.com.vn/cum-thi-dua-196260307071308923.htm", datetime(2026, 3, 7, 7, 13, 8, tzinfo=VN)),
        (
            "https://tuoitre.vn/khoi-thi-dua-20260305185519174.htm",
            datetime(2026, 3, 5, 18, 55, 19, tzinfo=VN),
        ),
        (
            "https://baochinhphu.vn/cum-thi-dua-102260301095112345.htm",
            datetime(2026, 3, 1, 9, 51, 12, tzinfo=VN),
        ),
        ("https://vnexpress.net/nam-cum-thi-dua-5047363.html", None),
        ("https://nld.com.vn/khong-phai-ngay-196269999999999999.htm", None),
        ("https://sggp.org.vn/khoi-thi-dua-post734512.html", None),
    ],
)
def test_url_date(url: str, expected: datetime | None) -> None:
    assert url_date(url) == expected


def test_page_without_dates_falls_back_to_the_article_id() -> None:
    tree = LexborHTMLParser("<h1>Cụm thi đua</h1><p>Nội dung</p>")
    url = "https://nld.com.vn/cum-thi-dua-196260307071308923.htm"
    assert page_dates(tree, fetched_at=FETCHED, url=url) == (datetime(2026, 3, 7, 7, 13, 8, tzinfo=VN), None)
    # an id "from the future" is not a date either
    early = datetime(2026, 3, 1, tzinfo=VN)
    assert page_dates(tree, fetched_at=early, url=url) == (None, None)


def test_page_without_dates_falls_back_to_the_portal_image_path() -> None:
    html = (
        '<h1>Cụm thi đua 6</h1><p><img src="https://images.hcmcpv.org.vn/res/news/2023/04/'
        '12-04-2023-nhan-rong-dien-hinh-4A3F9C21.jpg?vs=12042023081512"></p>'
    )
    url = "https://thanhuytphcm.vn/tin-tuc/nhan-rong-1491907111"
    assert page_dates(LexborHTMLParser(html), fetched_at=FETCHED, url=url)[0] == datetime(
        2023, 4, 12, tzinfo=VN
    )


def test_a_bare_date_of_the_fetch_day_outside_the_article_is_a_banner() -> None:
    html = """<body><div class="top"><span class="date">Chủ Nhật, 08/03/2026</span></div>
    <div class="bai"><h1>Tiêu đề</h1><p>Nội dung</p></div></body>"""
    assert dates(html) == (None, None)
    # the same date with a time of day, inside the article, is its byline
    html = (
        """<body><div class="bai"><h1>Tiêu đề</h1><span class="date">08/03/2026 07:15</span></div></body>"""
    )
    assert dates(html)[0] == datetime(2026, 3, 8, 7, 15, tzinfo=VN)


def test_byline_in_a_meta_list_is_the_date() -> None:
    html = """<body><article><h1>Khối thi đua họp</h1>
    <ul class="post-meta"><li class="date">26/03/2024 15:24</li>
    <li><a href="/chinh-tri/">Chính trị</a></li></ul>
    <p>Nội dung</p></article></body>"""
    assert dates(html, fetched_at=datetime(2024, 3, 28, tzinfo=VN))[0] == datetime(
        2024, 3, 26, 15, 24, tzinfo=VN
    )
