"""extract.activities: what a meeting did, and the covenant year (corpus-notes "What counts as a
report", "Covenant year")."""

from __future__ import annotations

import pytest

from extract.activities import (
    activities_in,
    activity_years,
    combine,
    covenant_year,
    period_end_year,
    review_period_year,
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Cụm thi đua số 2 tổ chức hội nghị ký kết giao ước thi đua năm 2025.", {"signing"}),
        ("Các đơn vị ký giao ước thi đua năm 2024.", {"signing"}),
        ("Khối tổ chức ký kết thi đua năm 2023.", {"signing"}),
        ("Cụm tổ chức hội nghị tổng kết công tác thi đua năm 2024.", {"review"}),
        ("Cụm thi đua số 5 sơ kết công tác 6 tháng đầu năm 2023.", {"review"}),
        ("Hội nghị tổng kết năm 2024 và ký kết giao ước thi đua năm 2025.", {"review", "signing"}),
        ("Khối phát động phong trào thi đua năm 2025.", {"launch"}),
        ("Đoàn công tác của cụm kiểm tra chéo tại tỉnh Sơn La.", {"other"}),
        ("Khối tổ chức giao lưu thể thao chào mừng năm học mới.", {"other"}),
        ("Các đơn vị góp ý dự thảo quy chế hoạt động của khối.", {"other"}),
        # plans and other people's campaigns are not this meeting's activities
        ("Năm 2026, cụm dự kiến tổ chức tập huấn nghiệp vụ.", set()),
        ("Cụm sẽ phát động thi đua vào quý II.", set()),
        ("Các đơn vị hưởng ứng phong trào thi đua do tỉnh phát động.", set()),
        ("Hai đơn vị ký kế hoạch phối hợp giai đoạn 2024-2026.", set()),
        ("Kết quả thực hiện giao ước thi đua năm 2023 được đánh giá cao.", set()),
        # issue 9: words that are not this meeting's act
        ("Các tiêu chí làm cơ sở để cuối năm tổng kết.", set()),
        ("Mục tiêu là phát động phong trào thi đua trong toàn ngành.", set()),
        ("Trong năm, các đơn vị đã ban hành kế hoạch, phát động phong trào thi đua.", set()),
        ("Các thành viên phát động nhiều phong trào thi đua thiết thực.", set()),
        ("Công chức của các đơn vị đăng ký thi đua từ đầu năm.", set()),
        # issue 9: reviews
        ("Huyện tổ chức hội nghị tổng kết ký kết giao ước thi đua cụm năm 2024.", {"review"}),
        ("Hội nghị triển khai kế hoạch phát động phong trào thi đua năm 2025.", {"launch", "other"}),
        ("Khối họp đánh giá kết quả thi đua cả năm, xét khen thưởng.", {"review", "other"}),
        ("Cụm sơ kết công tác khen thưởng quý I năm 2025.", {"review"}),
        # a held programme item marks "other" to stand beside the rest (dev-reports conventions)
        ("Cụm tổng kết thi đua, cũng tổ chức hội thao cho công chức.", {"review", "other", "programme"}),
        ("Sau phần ký kết, các đơn vị giao lưu văn nghệ.", {"signing", "other", "programme"}),
        ("Cụ thể, tổ chức lớp tập huấn nghiệp vụ.", {"other"}),  # a programme not told as held
        ("Cụm thi đua số 3 giao ban trực tuyến quý III.", {"other"}),
        ("Các thành viên trong Cụm đã bình xét các danh hiệu thi đua năm 2025.", {"review", "other"}),
        ("Các đơn vị cũng suy tôn danh hiệu thi đua của các tập thể.", {"review"}),
        ("Các đơn vị ký kết giao ước thi đua với nội dung gồm: tập huấn, giao lưu.", {"signing", "other"}),
    ],
)
def test_activities_in(sentence: str, expected: set[str]) -> None:
    assert activities_in(sentence) == expected


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        ([{"signing"}, {"other"}], ("signing",)),  # "other" only when nothing else applies
        ([{"review"}, {"signing"}], ("signing", "review")),
        ([{"other"}], ("other",)),
        ([{"review"}, {"other", "programme"}], ("review", "other")),  # a separate programme item
        ([set()], ()),
    ],
)
def test_combine(found: list[set[str]], expected: tuple[str, ...]) -> None:
    assert combine(found) == expected


@pytest.mark.parametrize(
    ("sentence", "pairs"),
    [
        (
            "Hội nghị tổng kết công tác thi đua năm 2024, ký kết giao ước thi đua năm 2025.",
            [("review", 2024), ("signing", 2025)],
        ),
        ("Sơ kết 6 tháng đầu năm 2023.", [("review", 2023)]),
        ("Cụm ký kết giao ước thi đua năm 2026.", [("signing", 2026)]),
        ("Cụm tổng kết công tác thi đua giai đoạn 2020-2025.", []),  # a period names no one year
    ],
)
def test_activity_years(sentence: str, pairs: list[tuple[str, int]]) -> None:
    assert activity_years(sentence) == pairs


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        ([("signing", 2025)], [], 2025),  # signing for N
        ([("review", 2024)], [], 2024),  # review of N only
        ([("review", 2024), ("signing", 2025)], [], 2025),  # review N + signing N+1
        ([("review", 2023)], [("review", 2022)], 2023),  # the body wins over the headline
        ([], [("signing", 2024)], 2024),
        ([], [], None),  # no year said
    ],
)
def test_covenant_year(
    body: list[tuple[str, int]], title: list[tuple[str, int]], expected: int | None
) -> None:
    assert covenant_year(body, title) == expected


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("Cụm sơ kết 6 tháng đầu năm và triển khai nhiệm vụ 6 tháng cuối năm 2019.", 2019),
        ("Khối sơ kết công tác thi đua quý II năm 2025.", 2025),
        ("Năm 2024, các đơn vị trong Cụm đã hoàn thành tốt nhiệm vụ.", 2024),
        ("Trong năm 2023, Ban Dân vận các huyện trong cụm đã bám sát nhiệm vụ.", 2023),
        ("Các đơn vị trong Cụm đã hoàn thành tốt nhiệm vụ năm 2024.", None),  # not a period phrase
    ],
)
def test_review_period_year(sentence: str, year: int | None) -> None:
    assert review_period_year(sentence) == year


@pytest.mark.parametrize(
    ("sentence", "year"),
    [("Tổng kết thi đua giai đoạn 2020-2025.", 2025), ("Đại hội nhiệm kỳ 2022-2027.", None)],
)
def test_period_end_year(sentence: str, year: int | None) -> None:
    assert period_end_year(sentence) == year
