"""URL identity: canonical URLs and article keys (scraper/urls.py)."""

from __future__ import annotations

import pytest

from scraper.errors import ParseError
from scraper.urls import article_id, article_key, canonical_url, same_article, slash_twin


@pytest.mark.parametrize(
    ("url", "html_canonical", "expected"),
    [
        # tracking parameters, fragments, www./m./amp variants
        (
            "https://m.nld.com.vn/amp/cum-thi-dua-so-5-196260307071308923.htm?utm_source=fb&utm_medium=social#top",
            None,
            "https://nld.com.vn/cum-thi-dua-so-5-196260307071308923.htm",
        ),
        (
            "https://vietnamnet.vn/quoc-hoi-2377800.html?zarsrc=30&utm_source=zalo&gidzl=x&fbclid=IwAR0",
            None,
            "https://vietnamnet.vn/quoc-hoi-2377800.html",
        ),
        (
            "https://vnexpress.net/nam-cum-thi-dua-5047363.html?vn_source=home&gclid=abc&amp",
            None,
            "https://vnexpress.net/nam-cum-thi-dua-5047363.html",
        ),
        (
            "https://www.sggp.org.vn/print/khoi-thi-dua-post734512.html",
            None,
            "https://sggp.org.vn/khoi-thi-dua-post734512.html",
        ),
        (
            "https://plo.vn/cum-thi-dua-post612345.html/amp",
            None,
            "https://plo.vn/cum-thi-dua-post612345.html",
        ),
        # meaningful parameters stay, sorted so that their order does not matter
        ("https://plo.vn/thoi-su/?trang=2&b=1", None, "https://plo.vn/thoi-su/?b=1&trang=2"),
        (
            "HTTPS://Tuoitre.VN:443/a-20260305185519174.htm",
            None,
            "https://tuoitre.vn/a-20260305185519174.htm",
        ),
        ("http://127.0.0.1:8080/tin/bai-1.html?ref=x#c", None, "http://127.0.0.1:8080/tin/bai-1.html?ref=x"),
        # the page's canonical link wins, relative or absolute, but never the home page
        (
            "https://nld.com.vn/slug-cu-196260307071308923.htm?utm_campaign=x",
            "/cum-thi-dua-so-5-196260307071308923.htm",
            "https://nld.com.vn/cum-thi-dua-so-5-196260307071308923.htm",
        ),
        (
            "https://hcmcpv.org.vn/tin-tuc/nhan-rong-1491907111",
            "https://www.thanhuytphcm.vn/tin-tuc/nhan-rong-1491907111",
            "https://thanhuytphcm.vn/tin-tuc/nhan-rong-1491907111",
        ),
        (
            "https://baolamdong.vn/xa-hoi/bai-viet-123456.html",
            "https://baolamdong.vn/",
            "https://baolamdong.vn/xa-hoi/bai-viet-123456.html",
        ),
        (
            "https://baolamdong.vn/xa-hoi/bai-viet-123456.html",
            "javascript:void(0)",
            "https://baolamdong.vn/xa-hoi/bai-viet-123456.html",
        ),
        # Vietnamese letters in a path are percent-encoded once, already encoded ones stay
        ("https://example.vn/tin/cụm-thi-đua", None, "https://example.vn/tin/c%E1%BB%A5m-thi-%C4%91ua"),
        ("https://example.vn/tin/c%E1%BB%A5m", None, "https://example.vn/tin/c%E1%BB%A5m"),
        (
            "https://example.vn/tin/cu\u0323m-thi-đua",
            None,
            "https://example.vn/tin/c%E1%BB%A5m-thi-%C4%91ua",
        ),  # NFD
    ],
)
def test_canonical_url(url: str, html_canonical: str | None, expected: str) -> None:
    assert canonical_url(url, html_canonical) == expected


@pytest.mark.parametrize(
    "url", ["ftp://nld.com.vn/a.htm", "/relative/path.htm", "mailto:toasoan@nld.com.vn", ""]
)
def test_canonical_url_rejects_non_http(url: str) -> None:
    with pytest.raises(ParseError, match="http"):
        canonical_url(url)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/cum-thi-dua-so-5-196260307071308923.htm", "196260307071308923"),  # nld, 18 digits
        ("/khoi-thi-dua-20260305185519174.htm", "20260305185519174"),  # tuoitre, 17 digits
        ("/tin-tuc/nhan-rong-dien-hinh-1491907111", "1491907111"),  # thanhuytphcm portal
        ("/tin-tuc/-hoi-nghi-cum-thi-dua-5-1491879789", "1491879789"),  # slug starting with "-"
        ("/khoi-thi-dua-dan-van-post734512.html", "734512"),  # cms family
        ("/nam-cum-thi-dua-5047363.html", "5047363"),  # vnexpress
        ("/thoi-su.htm", None),
        ("/xa-hoi/trang-2.htm", None),
        ("/timelinelist/1961014/2.htm", None),
        # a bare day (YYYYMMDD or DDMMYYYY) is shared by many articles: not an id
        ("/hoi-nghi-cum-thi-dua-20250314.html", None),
        ("/hoi-nghi-cum-thi-dua-14032025.html", None),
        ("/hoi-nghi-cum-thi-dua-20251314.html", "20251314"),  # no month 13: a number
    ],
)
def test_article_id(path: str, expected: str | None) -> None:
    assert article_id(path) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # one article on the two hosts of one site, with and without www and tracking
        (
            "https://hcmcpv.org.vn/tin-tuc/nhan-rong-1491907111",
            "https://www.thanhuytphcm.vn/tin-tuc/nhan-rong-dien-hinh-tien-tien-1491907111?zarsrc=31",
        ),
        # VCCorp: a changed slug with the same id is the same article
        (
            "https://tuoitre.vn/slug-cu-20260305185519174.htm",
            "https://m.tuoitre.vn/slug-moi-20260305185519174.htm",
        ),
        ("https://www.sggp.org.vn/a-post734512.html", "https://sggp.org.vn/b-post734512.html#comments"),
    ],
)
def test_article_key_same_article(first: str, second: str) -> None:
    assert article_key(first) == article_key(second)


def test_article_key_names_site_and_id() -> None:
    assert article_key("https://hcmcpv.org.vn/tin-tuc/nhan-rong-1491907111") == "thanhuytphcm:1491907111"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://tuoitre.vn/a-20260305185519174.htm", "https://tuoitre.vn/a-20260305185519175.htm"),
        ("https://tuoitre.vn/a-20260305185519174.htm", "https://nld.com.vn/a-20260305185519174.htm"),
        ("https://example.vn/tin/bai-mot", "https://example.vn/tin/bai-hai"),
    ],
)
def test_article_key_different_articles(first: str, second: str) -> None:
    assert article_key(first) != article_key(second)


def test_article_key_without_id_is_canonical_url() -> None:
    assert article_key("https://www.example.vn/tin/bai-mot?utm_source=x") == "https://example.vn/tin/bai-mot"


@pytest.mark.parametrize(
    ("url", "twin"),
    [
        ("https://a.vn/tin/cum-3/", "https://a.vn/tin/cum-3"),
        ("https://a.vn/tin/cum-3", "https://a.vn/tin/cum-3/"),
        ("https://a.vn/tin/cum-3?p=2", "https://a.vn/tin/cum-3/?p=2"),
        ("https://a.vn/", None),
        ("https://a.vn", None),
        ("http://[x", None),
    ],
)
def test_slash_twin(url: str, twin: str | None) -> None:
    assert slash_twin(url) == twin
    if twin is not None:
        assert slash_twin(twin) == url


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("https://a.vn/a/", "https://a.vn/a", True),  # trailing slash
        ("https://a.vn/tin/bai-viet-1234567.html", "https://a.vn/tin/bai-viet-1234567.html?utm=x", True),
        ("https://a.vn/tin/bai-viet-1234567.html", "https://a.vn/thoi-su/ten-moi-1234567.html", True),
        ("https://hcmcpv.org.vn/tin-tuc/a-1491907111", "https://thanhuytphcm.vn/tin/x-1491907111", True),
        ("https://a.vn/tin/bai-viet-1234567.html", "https://a.vn/tin/bai-viet-1234568.html", False),
        ("https://a.vn/a", "https://a.vn/b", False),
        ("https://a.vn/thoi-su.htm", "https://a.vn/thoi-su.htm?p=2", False),  # no id: the query matters
        ("https://a.vn/tin/bai-viet-1234567.html", "https://b.vn/tin/bai-viet-1234567.html", False),
        ("https://a.vn/tin/hoi-nghi-20250314.html", "https://a.vn/tin/tong-ket-20250314.html", False),
    ],
)
def test_same_article(first: str, second: str, same: bool) -> None:
    assert same_article(first, second) is same
    assert same_article(second, first) is same
