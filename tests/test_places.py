"""extract.places: underthesea's bundled administrative units as a gazetteer; meeting locations."""

from __future__ import annotations

import pytest

from extract.places import find_location, gazetteer, is_place, short_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Lâm Đồng", True),
        ("tỉnh Nghệ An", True),
        ("Huyện Diễn Châu", True),
        ("Gò Vấp", True),
        ("Nguyễn Văn An", False),
        ("Trần Thị Hoa", False),
    ],
)
def test_is_place(name: str, expected: bool) -> None:
    assert is_place(name) is expected


def test_gazetteer_is_loaded_from_underthesea() -> None:
    names = gazetteer()
    assert len(names) > 600 and "Hà Nội" in names


def test_short_name() -> None:
    assert short_name("Thành phố Hà Nội") == "Hà Nội"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Sáng 14/1, tại Hội trường UBND huyện Hậu Lộc, Cụm thi đua số 2 tổ chức hội nghị.",
            "Hội trường UBND huyện Hậu Lộc",
        ),
        ("Ngày 6-3, tại trụ sở Sở Tư pháp, khối họp.", "trụ sở Sở Tư pháp"),
        ("Khối tổ chức hội nghị tại Hội trường Sở Giáo dục và Đào tạo.", "Hội trường Sở Giáo dục và Đào tạo"),
        ("Cụm tổ chức ký kết tại Nhà văn hóa huyện vào sáng nay.", "Nhà văn hóa huyện"),
        ("Tại hội nghị, các đơn vị đã ký kết giao ước.", None),  # "at the meeting" is not a place
        ("Cụm thi đua số 3 vừa tổ chức hội nghị ký kết.", None),
        ("Cụm áp dụng quy định (tại Công văn số 12/BTC-TĐKT ngày 3/02/2023).", None),  # a document
        ("Huyện tổ chức đánh giá thi đua tại 3 cụm thi đua số 1,2 và 3.", None),  # the clusters
    ],
)
def test_find_location(sentence: str, expected: str | None) -> None:
    assert find_location(sentence) == expected
