"""Whose an event is: the province of its system, else of its members, else of its venue."""

from __future__ import annotations

import pytest

from extract.province import EventProvince, event_province, province_now


@pytest.mark.parametrize(
    ("system", "members", "venue", "expected"),
    [
        ("tỉnh Nghệ An", [], None, EventProvince("tỉnh Nghệ An", "tỉnh Nghệ An")),
        ("Công an tỉnh Đắk Nông", [], None, EventProvince("tỉnh Đắk Nông", "tỉnh Lâm Đồng")),
        ("UBND tỉnh Bà Rịa - Vũng Tàu", [], None,
         EventProvince("tỉnh Bà Rịa - Vũng Tàu", "thành phố Hồ Chí Minh")),
        (None, ["Huyện Đức Trọng", "Huyện Di Linh"], None, EventProvince("tỉnh Lâm Đồng", "tỉnh Lâm Đồng")),
        (None, ["tỉnh Đồng Nai", "tỉnh Bình Dương"], "tỉnh Đồng Nai", None),  # a cluster of provinces
        (None, [], "Hội trường UBND huyện Yên Thành", EventProvince("tỉnh Nghệ An", "tỉnh Nghệ An")),
        ("Bộ Công an", ["Công an tỉnh Nghệ An"], None, None),  # a national body: no province
        (None, [], None, None),
    ],
)  # fmt: skip
def test_event_province(
    system: str | None, members: list[str], venue: str | None, expected: EventProvince | None
) -> None:
    assert event_province(system, members, venue) == expected


@pytest.mark.parametrize(
    ("named", "now"),
    [("tỉnh Hà Giang", "tỉnh Tuyên Quang"), ("tỉnh Tuyên Quang", "tỉnh Tuyên Quang"),
     ("thành phố Hà Nội", "thành phố Hà Nội")],
)  # fmt: skip
def test_province_now_maps_old_provinces_to_the_merged_one(named: str, now: str) -> None:
    assert province_now(named) == now
