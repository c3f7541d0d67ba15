"""extract.sentences: underthesea's offline sentence splitter over classified lines."""

from __future__ import annotations

import pytest

from extract.noise import TEXT, TITLE, Line
from extract.sentences import split_sentences, strip_lead_tag


def test_lines_split_into_sentences_in_order() -> None:
    lines = [
        Line("Cụm thi đua số 2 ký kết giao ước thi đua năm 2025", TITLE, 0),
        Line(
            "Ngày 3/3, Cụm thi đua số 2 tổ chức hội nghị ký kết giao ước thi đua. Cụm trưởng là "
            "huyện Hậu Lộc.",
            TEXT,
            2,
        ),
    ]
    out = split_sentences(lines)
    assert [(s.text, s.kind, s.index, s.line) for s in out] == [
        ("Cụm thi đua số 2 ký kết giao ước thi đua năm 2025", TITLE, 0, 0),
        ("Ngày 3/3, Cụm thi đua số 2 tổ chức hội nghị ký kết giao ước thi đua.", TEXT, 1, 2),
        ("Cụm trưởng là huyện Hậu Lộc.", TEXT, 2, 2),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Thanhuytphcm.vn) - Ngày 3/3, Cụm thi đua 3 họp.", "Ngày 3/3, Cụm thi đua 3 họp."),
        ("(NLĐO) - Đây là cơ sở quan trọng", "Đây là cơ sở quan trọng"),
        ("HÀ NỘI - Sáng 5/3, khối họp.", "Sáng 5/3, khối họp."),
        ("Cụm thi đua 17 - Ban Tuyên giáo ký kết", "Cụm thi đua 17 - Ban Tuyên giáo ký kết"),
    ],
)
def test_strip_lead_tag(text: str, expected: str) -> None:
    assert strip_lead_tag(text) == expected
