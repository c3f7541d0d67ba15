"""Which URL paths look like articles on a listing page (scraper/listing.py)."""

from __future__ import annotations

import pytest

from scraper.listing import looks_like_article


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
