"""extract.national: the national system of one kind of body in several provinces."""

from __future__ import annotations

import pytest

from extract.national import national_body, national_of


@pytest.mark.parametrize(
    ("members", "system"),
    [
        (["TAND tỉnh Bạc Liêu", "TAND tỉnh Cà Mau", "TAND tỉnh Kiên Giang"], "Tòa án nhân dân"),
        (["VKSND tỉnh Nghệ An", "VKSND tỉnh Hà Tĩnh"], "Viện kiểm sát nhân dân"),
        (["Sở Tài chính tỉnh Phú Yên", "Sở Tài chính tỉnh Khánh Hòa"], "Bộ Tài chính"),
        (["Hội Nhà văn Gia Lai", "Hội Nhà văn Kon Tum"], "Hội Nhà văn Việt Nam"),  # an association
        (["TAND tỉnh Cà Mau", "VKSND tỉnh Bạc Liêu"], None),  # two kinds of body
        (["Công an huyện Đức Trọng", "Công an huyện Di Linh"], None),  # one province
        (["TAND tỉnh Cà Mau"], None),
        (["Đồng Nai", "Bình Dương"], None),  # bare provinces name no body
    ],
)
def test_national_body(members: list[str], system: str | None) -> None:
    assert national_body(members) == system


@pytest.mark.parametrize(
    ("unit", "system"),
    [
        ("Hội Luật gia tỉnh Bình Phước", "Hội Luật gia Việt Nam"),
        ("TAND tỉnh Cà Mau", "Tòa án nhân dân"),
        ("tỉnh Bình Phước", None),
        ("Bộ Tư pháp", None),
    ],
)
def test_national_of(unit: str, system: str | None) -> None:
    assert national_of(unit) == system
