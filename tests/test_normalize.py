"""extract.normalize: NFC, tone placement without re-tokenising, lookalikes, dashes, quotes, spaces."""

from __future__ import annotations

import unicodedata

import pytest

from extract.normalize import casefold_key, collapse, normalize_text, normalize_word

_MEETING = "Sáng 6-3, Cụm thi đua số 5 họp. "


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),  # old tone placement
        ("Thanh Hoá", "Thanh Hóa"),
        ("hoà bình, thuỷ lợi", "hòa bình, thủy lợi"),
        ("Huyện uỷ Quan Hoá", "Huyện ủy Quan Hóa"),
        ("\u00d0ồng chí Nguyễn \u00d0ức Thành", "Đồng chí Nguyễn Đức Thành"),  # Ð U+00D0 lookalike
        ("Cụm thi đua 2 – Ban Tuyên giáo", "Cụm thi đua 2 - Ban Tuyên giáo"),  # en dash
        ("Sở Quy hoạch — Kiến trúc", "Sở Quy hoạch - Kiến trúc"),  # em dash
        ("chủ đề “Vì an ninh Tổ quốc”", 'chủ đề "Vì an ninh Tổ quốc"'),
        ("Quận\u00a07,   Quận 12", "Quận 7, Quận 12"),  # no-break and repeated spaces
        ("  Ngày 6-3, tại trụ sở  ", "Ngày 6-3, tại trụ sở"),
        ("TPHCM, (NLĐO) - Ngày 6-3,", "TPHCM, (NLĐO) - Ngày 6-3,"),  # punctuation and spacing kept
        ("Cụm\u200bthi đua", "Cụmthi đua"),  # zero-width space removed
        ("a\u2010b\u2011c\u2012d\u2015e\u2212f", "a-b-c-d-e-f"),  # every dash and minus
        ("\u201ea\u201d \u00abb\u00bb \u2018c\u2019", '"a" "b" \'c\''),  # every quote
        ("1\u20072\u202f3\u20094\u200a5\u30006\t7", "1 2 3 4 5 6 7"),  # every space
        ("Cụm\u200c\u200dthi\ufeff đua\u00ad số\r 3", "Cụmthi đua số 3"),  # what is removed
        ("\u00f0ồng chí", "đồng chí"),
        # one old-style word in a long text: only it changes, the rest of the text as it was
        (_MEETING * 20 + "Huyện uỷ chủ trì.", _MEETING * 20 + "Huyện ủy chủ trì."),
        (_MEETING * 20, (_MEETING * 20).strip()),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sáng 14/1, tại Hội trường UBND huyện Yên Thành, Cụm thi đua số 3 tổ chức hội nghị.",
        "Bà Nguyễn Thị Tuyết Minh, Phó Trưởng Ban Tuyên giáo và Dân vận Thành ủy TPHCM",
        "Khối thi đua Văn hóa - Xã hội tỉnh Hà Giang ký kết giao ước thi đua năm 2023",
    ],
)
def test_nfd_and_nfc_normalise_alike(text: str) -> None:
    assert normalize_text(unicodedata.normalize("NFD", text)) == normalize_text(text)


def test_lines_are_kept() -> None:
    assert normalize_text("Dòng một\r\n\r\nDòng hai").split("\n") == ["Dòng một", "", "Dòng hai"]


@pytest.mark.parametrize(
    ("word", "expected"), [("Uỷ", "Ủy"), ("hoà", "hòa"), ("Quý", "Quý"), ("TPHCM", "TPHCM")]
)
def test_normalize_word(word: str, expected: str) -> None:
    assert normalize_word(word) == expected


def test_collapse_and_fold() -> None:
    assert collapse(" Quận  7\n") == "Quận 7"
    assert casefold_key("Cụm Thi  Đua") == "cụm thi đua"
    assert casefold_key("Đảng") != casefold_key("Dang")  # đ never folds to d
