"""Which URL paths look like articles on a listing page (scraper/listing.py)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.listing import looks_like_article, next_page_url


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/cum-thi-dua-so-5-ky-ket-giao-uoc-196260307071308923.htm", True),  # VCCorp id
        ("/tin-tuc/nhan-rong-dien-hinh-tien-tien-1491907111", True),  # portal id
        ("/tin-tuc/-hoi-nghi-cum-thi-dua-5-1491879789", True),  # slug starting with "-"
        ("/khoi-thi-dua-dan-van-so-ket-post734512.html", True),  # cms family
        ("/chinh-tri/nam-2024-tinh-uy-trien-khai-nhieu-nhiem-vu/", True),  # long slug, no id
        ("/2024/03/26/khoi-thi-dua-cac-co-quan-dang-hop/", True),  # WordPress date path
        ("/trang-phuc-dan-toc-trong-le-hoi-mua-xuan-196260307071308923.htm", True),  # "trang-" slug
        ("/thoi-su.htm", False),
        ("/thoi-su/chinh-tri", False),
        ("/xa-hoi/trang-2.htm", False),
        ("/kinh-doanh-p2", False),
        ("/tag/thi-dua-khen-thuong/", False),
        ("/chu-de/cum-thi-dua-196.htm", False),
        ("/nhom-tin/quan-7-1197614591", False),  # a portal group page has an id too
        ("/video/hop-bao-chinh-phu-thuong-ky-post612300.html", False),
        ("/tac-gia/ngoc-phuong.htm", False),
        ("/timelinelist/1961014/2.htm", False),
        ("/lien-he.html", False),
        ("/", False),
    ],
)
def test_looks_like_article(path: str, expected: bool) -> None:
    assert looks_like_article(path) is expected


def _page(body: str) -> LexborHTMLParser:
    return LexborHTMLParser(f"<html><body><div class='list'>{body}</div></body></html>")


@pytest.mark.parametrize(
    ("base", "pager", "expected"),
    [
        # numbered pagers without a "next" word: page 2 of an unnumbered first page
        ("https://x.vn/thoi-su", '<a href="/thoi-su/p2">2</a><a href="/thoi-su/p3">3</a>', "https://x.vn/thoi-su/p2"),
        ("https://x.vn/thoi-su/p2", '<a href="/thoi-su/p3">3</a>', "https://x.vn/thoi-su/p3"),
        ("https://x.vn/thoi-su", '<a href="/thoi-su?page=2">2</a>', "https://x.vn/thoi-su?page=2"),
        ("https://x.vn/xa-hoi.htm", '<a href="/xa-hoi/trang-2.htm">2</a>', "https://x.vn/xa-hoi/trang-2.htm"),
        ("https://x.vn/chinh-tri/", '<a href="/chinh-tri/page/2/">2</a>', "https://x.vn/chinh-tri/page/2/"),
        ("https://x.vn/kinh-doanh", '<a href="/kinh-doanh-p2">2</a>', "https://x.vn/kinh-doanh-p2"),
        # words and arrows
        ("https://x.vn/xa-hoi.htm", '<a href="/xa-hoi/trang-2.htm">Xem thêm</a>', "https://x.vn/xa-hoi/trang-2.htm"),
        ("https://x.vn/xa-hoi.htm", '<a href="/xa-hoi/trang-2.htm">Trang sau ›</a>', "https://x.vn/xa-hoi/trang-2.htm"),
        ("https://x.vn/a?page=3", '<a href="/a?page=4">›</a>', "https://x.vn/a?page=4"),
        ("https://x.vn/a", '<a href="/a/page/2">»</a>', "https://x.vn/a/page/2"),
        # "Xem thêm" to a sub-section, or to an article, is not the next page; "»»" is the last page
        ("https://x.vn/kinh-doanh.htm", '<a href="/kinh-doanh/tai-chinh.htm">Xem thêm</a>', None),
        ("https://x.vn/kinh-doanh.htm", '<a href="javascript:;">Xem thêm</a>', None),
        ("https://x.vn/a", '<a href="/a/page/9">»»</a>', None),
    ],
)
def test_next_page_forms(base: str, pager: str, expected: str | None) -> None:
    assert next_page_url(_page(pager), base, None) == expected
