"""Which URL paths look like articles on a listing page (scraper/listing.py)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.listing import looks_like_article, next_page_url
from scraper.parse import parse_listing
from scraper.sites import Site


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
        (
            "https://x.vn/thoi-su",
            '<a href="/thoi-su/p2">2</a><a href="/thoi-su/p3">3</a>',
            "https://x.vn/thoi-su/p2",
        ),
        ("https://x.vn/thoi-su/p2", '<a href="/thoi-su/p3">3</a>', "https://x.vn/thoi-su/p3"),
        ("https://x.vn/thoi-su", '<a href="/thoi-su?page=2">2</a>', "https://x.vn/thoi-su?page=2"),
        ("https://x.vn/xa-hoi.htm", '<a href="/xa-hoi/trang-2.htm">2</a>', "https://x.vn/xa-hoi/trang-2.htm"),
        ("https://x.vn/chinh-tri/", '<a href="/chinh-tri/page/2/">2</a>', "https://x.vn/chinh-tri/page/2/"),
        ("https://x.vn/kinh-doanh", '<a href="/kinh-doanh-p2">2</a>', "https://x.vn/kinh-doanh-p2"),
        # words and arrows
        (
            "https://x.vn/xa-hoi.htm",
            '<a href="/xa-hoi/trang-2.htm">Xem thêm</a>',
            "https://x.vn/xa-hoi/trang-2.htm",
        ),
        (
            "https://x.vn/xa-hoi.htm",
            '<a href="/xa-hoi/trang-2.htm">Trang sau ›</a>',
            "https://x.vn/xa-hoi/trang-2.htm",
        ),
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


PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
_ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout; a git worktree under wt/ has it one level further up.
_CANDIDATES = [p / "shared" / "reference-pages" for p in (_ROOT.parent, _ROOT.parent.parent)]
REFERENCE = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])


def _bare(url: str) -> Site:
    """A site added with no selectors and no article regex: parsing is wholly generic."""
    host = urlsplit(url).netloc
    return Site(name="bare", hosts=(host,), start=(f"https://{host}/",))


# Our own pages in the shapes of the four outlets' section pages: main list + sidebar + "related"
# + "most read" + sub-section digests + pager + breadcrumb. Exact main-list items, in page order.
BOXES = [
    (
        "nld_boxes_list.html",
        "https://nld.com.vn/kinh-te.htm",
        (
            "https://nld.com.vn/cum-thi-dua-cac-doanh-nghiep-ky-giao-uoc-196260307071308901.htm",
            "https://nld.com.vn/gia-lua-hom-nay-tang-nhe-o-dong-bang-196260307071308902.htm",
            "https://nld.com.vn/khoi-thi-dua-kinh-te-tong-ket-nam-196260306101010903.htm",
            "https://nld.com.vn/ngan-hang-giam-lai-suat-cho-vay-ho-kinh-doanh-196260306101010904.htm",
            "https://nld.com.vn/xuat-khau-nong-san-quy-mot-tang-manh-196260305101010905.htm",
        ),
        "https://nld.com.vn/timelinelist/1961014/2.htm",
    ),
    (
        "tuoitre_boxes_list.html",
        "https://tuoitre.vn/kinh-doanh.htm",
        (
            "https://tuoitre.vn/cum-thi-dua-doanh-nghiep-tphcm-ky-ket-giao-uoc-20260307075519101.htm",
            "https://tuoitre.vn/gia-hoa-tang-manh-dip-le-20260306231657102.htm",
            "https://tuoitre.vn/tin-dung-bat-dong-san-ha-nhiet-20260306225313103.htm",
            "https://tuoitre.vn/khoi-thi-dua-cong-thuong-so-ket-20260307072325104.htm",
            "https://tuoitre.vn/chuoi-ca-phe-mo-them-cua-hang-20260307063000105.htm",
        ),
        "https://tuoitre.vn/timeline/11/trang-2.htm",
    ),
    (
        "vnexpress_boxes_list.html",
        "https://vnexpress.net/kinh-doanh",
        (
            "https://vnexpress.net/cum-thi-dua-ngan-hang-ky-giao-uoc-nam-moi-5047401.html",
            "https://vnexpress.net/cach-cac-nuoc-doi-pho-gia-dau-tang-5047402.html",
            "https://vnexpress.net/gia-xang-dau-co-the-dieu-chinh-som-5047403.html",
            "https://vnexpress.net/khoi-thi-dua-doanh-nghiep-tong-ket-5047404.html",
        ),
        "https://vnexpress.net/kinh-doanh-p2",
    ),
    (
        "dantri_boxes_list.html",
        "https://dantri.com.vn/kinh-doanh.htm",
        (
            "https://dantri.com.vn/kinh-doanh/cum-thi-dua-cac-ngan-hang-ky-giao-uoc-20260307080054301.htm",
            "https://dantri.com.vn/kinh-doanh/de-xuat-vay-ngan-hang-khong-can-the-chap-20260307070000302.htm",
            "https://dantri.com.vn/kinh-doanh/khoi-thi-dua-kinh-te-so-ket-20260306151317303.htm",
            "https://dantri.com.vn/kinh-doanh/thue-ho-ca-nhan-kinh-doanh-2026-20260306120000304.htm",
        ),
        "https://dantri.com.vn/kinh-doanh/trang-2.htm",
    ),
]


@pytest.mark.parametrize(("file", "url", "articles", "next_page"), BOXES, ids=[b[0] for b in BOXES])
def test_main_list_without_side_boxes(file: str, url: str, articles: tuple[str, ...], next_page: str) -> None:
    listing = parse_listing((PAGES / file).read_bytes(), url, site=_bare(url))
    assert listing.article_urls == articles
    assert listing.next_page == next_page


# Established by reading the real pages (saved March 2026): the main list of each section page, and
# its next page. nld: 4 focus + 20 list teasers (its 20 "related" title links under teasers are
# not items); tuoitre: 4 top + 5 sub stories (the right column's 6 sub-section links are not);
# vnexpress: 50 (top, 5News and two automation lists; six teasers are empty ad slots); dantri:
# 7 highlight + 13 "Bài viết" (not the 5 "Tiêu điểm" nor the 17 of 8 sub-section digests).
REAL = [
    ("nld", "https://nld.com.vn/kinh-te.htm", 24, "https://nld.com.vn/timelinelist/1961014/2.htm"),
    ("tuoitre", "https://tuoitre.vn/kinh-doanh.htm", 9, "https://tuoitre.vn/timeline/11/trang-2.htm"),
    ("vnexpress", "https://vnexpress.net/kinh-doanh", 50, "https://vnexpress.net/kinh-doanh-p2"),
    ("dantri", "https://dantri.com.vn/kinh-doanh.htm", 20, "https://dantri.com.vn/kinh-doanh/trang-2.htm"),
]
REAL_SIDE = {  # one link per outlet that must not be an item: a related link, a sidebar, a digest
    "nld": "https://nld.com.vn/chinh-phu-quy-dinh-chi-tiet-nguong-doanh-thu-mien-cac-loai-thue-voi-ho-kinh-doanh"
    "-196260306072546744.htm",
    "tuoitre": "https://tuoitre.vn/thu-mua-rom-lam-50-000-60-000-tan-banh-rom-vua-cho-chan-nuoi-vua-bao-ve-moi-truong"
    "-20260306164739962.htm",
    "dantri": "https://dantri.com.vn/kinh-doanh/doanh-nhan-nguyen-trong-khang-viec-kho-la-dac-san-cua-mk-group"
    "-20260214224018405.htm",
}


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference-pages (real outlet pages) is absent")
@pytest.mark.parametrize(("outlet", "url", "count", "next_page"), REAL, ids=[r[0] for r in REAL])
def test_real_listing_pages(outlet: str, url: str, count: int, next_page: str) -> None:
    """Reads (never copies) the saved real pages of the four outlets."""
    listing = parse_listing((REFERENCE / f"{outlet}_list.html").read_bytes(), url, site=_bare(url))
    assert len(listing.article_urls) == count
    assert listing.next_page == next_page
    if outlet in REAL_SIDE:
        assert REAL_SIDE[outlet] not in listing.article_urls
