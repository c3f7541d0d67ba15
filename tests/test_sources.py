"""The site's body from the article URL, and the province table it is built on."""

from __future__ import annotations

import pytest

from extract import extract_events
from extract.sources import host_of, provinces, source_body


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("https://baolamdong.vn/chinh-tri/a.html", "tỉnh Lâm Đồng"),  # provincial paper
        ("https://www.baolamdong.vn/a", "tỉnh Lâm Đồng"),  # www. folded
        ("https://m.baoangiang.com.vn/a", "tỉnh An Giang"),  # m. folded, .com.vn
        ("http://conganquangbinh.gov.vn/a", "Công an tỉnh Quảng Bình"),  # provincial police
        ("https://sotp.binhdinh.gov.vn/a", "tỉnh Bình Định"),  # any department of a portal
        ("https://binhdinh.gov.vn/a", "tỉnh Bình Định"),  # the portal itself
        ("https://vks.angiang.gov.vn/a", "Viện kiểm sát nhân dân tỉnh An Giang"),  # procuracy subdomain
        ("https://ubmttq.camau.gov.vn/a", "Ủy ban MTTQ Việt Nam tỉnh Cà Mau"),  # front subdomain
        ("https://yenbai.noichinh.vn/a", "tỉnh Yên Bái"),  # province page of a national portal
        ("https://gialaitv.vn/a", "tỉnh Gia Lai"),  # radio-TV
        ("https://danang.gov.vn/a", "thành phố Đà Nẵng"),  # a city, not a tỉnh
        ("https://cand.com.vn/a", "Bộ Công an"),  # a ministry's paper
        ("https://vnexpress.net/a", None),  # a national paper speaks for no body
        (None, None),
    ],
)
def test_source_body(url: str | None, body: str | None) -> None:
    assert source_body(url) == body


@pytest.mark.parametrize(
    ("url", "host"),
    [("https://www.baolamdong.vn:443/a", "baolamdong.vn"), ("m.baohanam.com.vn/x", "baohanam.com.vn")],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host


def test_provinces_old_and_new() -> None:
    table = provinces()
    assert len(table) == 63
    assert len({p.merged_into for p in table}) == 34
    merged = {p.name: p.merged_into for p in table}
    assert merged["tỉnh Bình Định"] == "tỉnh Gia Lai"
    assert merged["tỉnh Hà Giang"] == "tỉnh Tuyên Quang"


@pytest.mark.parametrize(
    ("sentence", "source", "system"),
    [
        # the text is silent: the site's body
        (
            "Sáng 10/1, Cụm thi đua số 3 tổ chức hội nghị tổng kết công tác thi đua năm 2024.",
            "https://baolamdong.vn/a",
            "tỉnh Lâm Đồng",
        ),
        # no source: nothing tells
        ("Sáng 10/1, Cụm thi đua số 3 tổ chức hội nghị tổng kết công tác thi đua năm 2024.", None, None),
    ],
)
def test_system_falls_back_to_the_site(sentence: str, source: str | None, system: str | None) -> None:
    (event,) = extract_events(sentence, source=source)
    assert event.system == system
