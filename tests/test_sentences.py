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


@pytest.mark.parametrize(
    "text",
    [
        "Sáng 12/1, Cụm thi đua số 7 tổ chức hội nghị tổng kết công tác thi đua năm 2025 tại hội trường xã.",
        "Sáng 12/1, Cụm thi đua số 7 tổ chức hội nghị tổng kết công tác thi đua năm 2025 tại hội trường",
        "Cụm thi đua số 7 có thực hiện đúng các chỉ tiêu thi đua đã ký kết từ đầu năm hay không?! ",
        "Các đơn vị trong Cụm thi đua số 7 đã thống nhất bầu đơn vị trưởng cụm cho năm tới...",
        "Các đơn vị trong Cụm thi đua số 7 đã thống nhất bầu đơn vị trưởng cụm cho năm tới..",
        "Các đơn vị trong Cụm thi đua số 7 đã thống nhất bầu đơn vị trưởng cụm cho năm tới. .",
        "Hội nghị diễn ra tại TP. Hồ Chí Minh với sự tham dự của 1.500 đoàn viên các đơn vị.",
        "Cụm thi đua số 7 họp tổng kết. Các đơn vị thống nhất bầu đơn vị trưởng cụm mới năm 2026.",
        "Các đơn vị thống nhất bầu đơn vị trưởng cụm... Hội nghị kết thúc lúc 11 giờ cùng ngày.",
        "Cụm thi đua số 7 họp tổng kết công tác năm 2025 và triển khai nhiệm vụ năm 2026 ông A.",
        "Cụm thi đua số 7 họp tổng kết công tác năm 2025 và triển khai nhiệm vụ năm 2026!\t \n",
    ],
)
def test_a_line_splits_as_underthesea_splits_it(text: str) -> None:
    from extract.sentences import _splitter

    expected = [part.strip() for part in _splitter()(text) if part.strip()]
    assert [s.text for s in split_sentences([Line(text, TEXT, 0)])] == expected
