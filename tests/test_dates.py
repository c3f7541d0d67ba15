"""extract.dates: date phrases, dates that are not the meeting, year resolution (corpus-notes
"Dates")."""

from __future__ import annotations

import datetime as dt

import pytest

from extract.dates import find_dates, format_date_text, meeting_date, resolve_year


def meeting(sentence: str) -> tuple[int, int, int | None, str] | None:
    for d in find_dates(sentence):
        if d.meeting:
            return d.day, d.month, d.year, format_date_text(d.text)
    return None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Ngày 12/3/2025, Cụm thi đua số 2 tổ chức hội nghị.", (12, 3, 2025, "Ngày 12/3/2025")),
        ("Ngay 23/1, Cụm thi đua số 5 tổ chức tổng kết.", (23, 1, None, "Ngay 23/1")),  # no tone mark
        ("Sáng ngày 04/02/2020, tại Hội trường UBND huyện, cụm họp.", (4, 2, 2020, "Sáng ngày 04/02/2020")),
        ("Ngày 19 tháng 11 năm 2021, Khối thi đua tổng kết.", (19, 11, 2021, "Ngày 19 tháng 11 năm 2021")),
        (
            "Trong các ngày 14, 15/4/2024, Cụm thi đua kiểm tra chéo.",
            (14, 4, 2024, "Trong các ngày 14, 15/4/2024"),
        ),
        ("Hôm nay, ngày 30/7/2020, Cụm thi đua số 6 sơ kết.", (30, 7, 2020, "Ngày 30/7/2020")),
        ("Chiều 9/4, Cụm thi đua số 1 tổ chức giao lưu.", (9, 4, None, "Chiều 9/4")),
        ("Sáng 18-3, Cụm thi đua ký kết giao ước.", (18, 3, None, "Sáng 18-3")),
        ("Ngày 6-3, tại trụ sở Sở Tư pháp, khối thi đua họp.", (6, 3, None, "Ngày 6-3")),
        ("Sáng ngày 29/2, Cụm thi đua số 6 ký kết.", (29, 2, None, "Sáng ngày 29/2")),
        ("Cụm thi đua tổ chức hội nghị vào ngày 12/3.", (12, 3, None, "Ngày 12/3")),
        ("Sáng nay (15/3), Cụm thi đua số 2 tổ chức hội nghị.", (15, 3, None, "Sáng nay (15/3)")),
    ],
)
def test_meeting_dates(sentence: str, expected: tuple[int, int, int | None, str]) -> None:
    assert meeting(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # vague
        "Cụm thi đua số 3 vừa tổ chức hội nghị ký kết giao ước thi đua.",
        "Mới đây, Khối thi đua các cơ quan Đảng tỉnh tổng kết công tác năm 2024.",
        # the report date, not the meeting
        "Ngày 8/1, ông Trần Văn Nam cho biết, đơn vị đã tổ chức hội nghị tổng kết cụm.",
        # a future date
        "Hội nghị ký kết của cụm sẽ diễn ra vào ngày 20-3.",
        "Ngày 20/3 tới, Cụm thi đua số 5 sẽ tổ chức ký kết giao ước thi đua.",
        # document dates
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 30/3/2022 của UBND tỉnh, cụm đã họp.",
        "Các đơn vị quán triệt Chỉ thị số 34/CT-TW ngày 07/4/2014 của Bộ Chính trị.",
        # anniversary range
        "Kỷ niệm 75 năm Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc (11/6/1948-11/6/2023).",
    ],
)
def test_not_a_meeting_date(sentence: str) -> None:
    assert meeting(sentence) is None


@pytest.mark.parametrize(
    ("day", "month", "covenant", "signing", "published", "expected"),
    [
        # a leap day fixes the year
        (29, 2, 2024, True, None, dt.date(2024, 2, 29)),
        (29, 2, None, False, dt.date(2021, 5, 1), dt.date(2020, 2, 29)),
        # signing for N happens Dec N-1 … N
        (3, 3, 2023, True, dt.date(2024, 3, 28), dt.date(2023, 3, 3)),
        (26, 12, 2025, True, None, dt.date(2024, 12, 26)),
        (28, 11, 2025, True, dt.date(2024, 12, 2), dt.date(2024, 11, 28)),  # never after publication
        # a review of N alone happens Nov N … Feb N+1 (the review-in-January rule)
        (9, 1, 2024, False, None, dt.date(2025, 1, 9)),
        (20, 12, 2024, False, None, dt.date(2024, 12, 20)),
        (18, 7, 2023, False, None, dt.date(2023, 7, 18)),  # mid-year review of N
        # no covenant year: the latest year not after publication
        (18, 7, None, False, dt.date(2023, 7, 19), dt.date(2023, 7, 18)),
        (28, 12, None, False, dt.date(2023, 1, 5), dt.date(2022, 12, 28)),
        # nothing decides the year
        (18, 7, None, False, None, None),
    ],
)
def test_resolve_year(
    day: int,
    month: int,
    covenant: int | None,
    signing: bool,
    published: dt.date | None,
    expected: dt.date | None,
) -> None:
    assert resolve_year(day, month, covenant_year=covenant, signing=signing, published=published) == expected


def test_written_year_wins() -> None:
    (d,) = find_dates("Ngày 12/3/2025, cụm họp.")
    assert meeting_date(d, covenant_year=2030, signing=True, published=None) == dt.date(2025, 3, 12)


def test_invalid_dates_are_ignored() -> None:
    assert find_dates("Ngày 31/2, cụm họp.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a "từ ngày … đến …" range is kept whole, the first day is the meeting date
        ("Từ ngày 7 đến 9/10, Cụm thi đua số 5 kiểm tra chéo.", (7, 10, None, "Từ ngày 7 đến 9/10")),
        (
            "Từ ngày 21 đến 23/11/2023, Khối thi đua II kiểm tra chéo.",
            (21, 11, 2023, "Từ ngày 21 đến 23/11/2023"),
        ),
        # a relative day with the date in brackets is kept whole
        ("Hôm qua (11/9), Cụm thi đua số 1 tổ chức hội nghị.", (11, 9, None, "Hôm qua (11/9)")),
        ("Hôm nay (2-12), Khối thi đua số 3 ký kết giao ước.", (2, 12, None, "Hôm nay (2-12)")),
    ],
)
def test_ranges_and_relative_days(sentence: str, expected: tuple[int, int, int | None, str]) -> None:
    assert meeting(sentence) == expected
