"""The relevance gate: terms found in titles, leads and slugs, whatever the diacritics or case."""

from __future__ import annotations

import unicodedata

import pytest

from scraper.relevance import SEARCH_TERMS, RelevanceGate, url_words
from scraper.text import ascii_skeleton, ascii_words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cụm thi đua số 3", "cum thi dua so 3"),
        ("KHỐI THI ĐUA các cơ quan Đảng", "khoi thi dua cac co quan dang"),
        (unicodedata.normalize("NFD", "Giao ước thi đua"), "giao uoc thi dua"),
        ("Hội nghị — ký kết  giao ước!", "hoi nghi ky ket giao uoc"),
    ],
)
def test_ascii_words(text: str, folded: str) -> None:
    assert ascii_words(text) == folded


@pytest.mark.parametrize(
    ("text", "skeleton"),
    [
        ("Dân Trí", "dantri"),
        ("DÂN TRÍ", "dantri"),
        ("dan-tri.com.vn", "dantricomvn"),
        ("TUỔI TRẺ Online", "tuoitreonline"),
        (unicodedata.normalize("NFD", "Báo Đắk Lắk"), "baodaklak"),
        ("— …", ""),
    ],
)
def test_ascii_skeleton_ignores_spacing_punctuation_case_and_marks(text: str, skeleton: str) -> None:
    assert ascii_skeleton(text) == skeleton


def test_url_words_reads_the_slug() -> None:
    assert url_words("https://nld.com.vn/cum-thi-dua-so-3-196260307071308923.htm") == (
        "cum thi dua so 3 196260307071308923 htm"
    )
    assert (
        url_words("https://x.vn/tin-tuc/c%E1%BB%A5m-thi-%C4%91ua-1491907111")
        == "tin tuc cum thi dua 1491907111"
    )


GATE = RelevanceGate()


@pytest.mark.parametrize(
    ("hints", "expected"),
    [
        ({"title": "Cụm thi đua 17 ký kết giao ước năm 2026"}, True),
        ({"title": "CỤM THI ĐUA SỐ 02 TỔNG KẾT"}, True),
        ({"title": unicodedata.normalize("NFD", "Khối thi đua các cơ quan Đảng")}, True),
        ({"lead": "(NLĐO) - Sáng 6-3, các đơn vị ký giao ước thi đua năm 2026."}, True),
        ({"url": "https://nld.com.vn/khoi-thi-dua-tong-ket-196260306101010123.htm"}, True),
        ({"url": "https://hcmcpv.org.vn/tin-tuc/giao-uoc-thi-dua-nam-2026-1491907111"}, True),
        (
            {"title": "Giá vàng hôm nay tăng mạnh", "url": "https://x.vn/gia-vang-196260306101010123.htm"},
            False,
        ),
        ({"title": "Phong trào thi đua yêu nước"}, False),
        ({"title": "Cúm mùa tăng mạnh, thi đua tiêm vắc xin"}, False),
        ({}, False),
        # whole words only, as the padded `in` test had it (the one compiled pattern keeps that)
        ({"title": "cụm thi đua"}, True),
        ({"title": "xcụm thi đua 3"}, False),
        ({"title": "Cụm thi đuas"}, False),
        ({"url": "https://x.vn/tin/2026cum-thi-dua.htm"}, False),
        ({"url": "https://x.vn/tin/cum-thi-dua2.htm"}, False),
        ({"lead": "…giao ước thi đua."}, True),
    ],
)
def test_gate(hints: dict[str, str], expected: bool) -> None:
    assert GATE.matches(**hints) is expected


def test_gate_off_lets_everything_through() -> None:
    assert RelevanceGate(enabled=False).matches(title="Giá vàng hôm nay")


def test_gate_terms_are_configurable() -> None:
    gate = RelevanceGate(("thi đua khen thưởng",))
    assert gate.matches(url="https://x.vn/hoi-nghi-thi-dua-khen-thuong-2026.htm")
    assert not gate.matches(title=SEARCH_TERMS[0])


def test_a_predicate_replaces_the_terms_and_sees_title_lead_and_slug() -> None:
    seen: list[str] = []

    def predicate(text: str) -> bool:
        seen.append(text)
        return "annd" in text.lower()

    gate = RelevanceGate(predicate=predicate)
    assert gate.matches(title="Khối ANND tổng kết", url="https://x.vn/a-1.htm")
    assert gate.matches(url="https://x.vn/khoi-annd-tong-ket-1.htm")
    assert not gate.matches(title="Cụm thi đua số 3", lead="Sáng 5/3", url="https://x.vn/b-2.htm")
    assert seen[-3:] == ["Cụm thi đua số 3", "Sáng 5/3", "b 2 htm"]
    assert RelevanceGate(enabled=False, predicate=predicate).matches(title="anything")
