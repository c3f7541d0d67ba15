"""extract.roles: cụm/khối trưởng and phó from unit annotations and statements (corpus-notes
"Roles"); next year's leader and overseers are declined."""

from __future__ import annotations

import pytest

from extract.normalize import normalize_text
from extract.roles import RoleClaim, is_declined, role_claims, role_in


@pytest.mark.parametrize(
    ("phrase", "role"),
    [
        ("(đơn vị Cụm trưởng)", "cụm trưởng"),
        ("(Cụm phó)", "cụm phó"),
        ("(Cụm phó thứ hai)", "cụm phó"),
        ("– đơn vị trưởng khối", "khối trưởng"),
        ("cơ quan đăng cai Trưởng khối", "khối trưởng"),
        ("Khối phó", "khối phó"),
        ("(Phó Trưởng khối)", "khối phó"),  # "Phó trưởng cụm/khối" is cụm/khối phó
        ("Phó trưởng cụm", "cụm phó"),
        ("thành viên", None),
    ],
)
def test_role_in(phrase: str, role: str | None) -> None:
    assert role_in(phrase) == role


@pytest.mark.parametrize(
    ("sentence", "claims"),
    [
        ("Năm 2025, Cụm trưởng là huyện Thọ Xuân.", [RoleClaim("huyện Thọ Xuân", "cụm trưởng")]),
        ("Huyện Yên Định giữ vai trò Cụm phó.", [RoleClaim("Huyện Yên Định", "cụm phó")]),
        ("Hội nghị do Sở Tài chính làm Khối trưởng chủ trì.", [RoleClaim("Sở Tài chính", "khối trưởng")]),
        ("Năm 2025, Công an tỉnh Hà Nam – Cụm trưởng.", [RoleClaim("Công an tỉnh Hà Nam", "cụm trưởng")]),
        ("Năm 2024, VKSND tỉnh là cơ quan đăng cai Trưởng khối.", [RoleClaim("VKSND tỉnh", "khối trưởng")]),
        (
            "Cụm trưởng là Sở Y tế, Sở Nội vụ (Cụm phó thứ nhất).",
            [RoleClaim("Sở Y tế", "cụm trưởng"), RoleClaim("Sở Nội vụ", "cụm phó")],
        ),
        # issue 9: "do A làm Cụm trưởng, B làm Cụm phó"; "Cụm … do A là Cụm trưởng"
        (
            "Cụm thi đua số 4 do huyện Đô Lương làm Cụm trưởng, huyện Anh Sơn làm Cụm phó.",
            [RoleClaim("huyện Đô Lương", "cụm trưởng"), RoleClaim("huyện Anh Sơn", "cụm phó")],
        ),
        (
            "Khối thi đua số 3 do Sở Y tế là Khối trưởng, Khối phó là Sở Nội vụ.",
            [RoleClaim("Sở Y tế", "khối trưởng"), RoleClaim("Sở Nội vụ", "khối phó")],
        ),
        # a role given on a person goes to the unit in the person's title
        (
            "Trưởng Ban Tuyên giáo Tỉnh ủy Lê Văn An - Khối trưởng chủ trì hội nghị.",
            [RoleClaim("Ban Tuyên giáo Tỉnh ủy", "khối trưởng")],
        ),
        ("Giám đốc Sở Y tế Trần Văn Bình - Khối trưởng phát biểu.", [RoleClaim("Sở Y tế", "khối trưởng")]),
        # issue 9: where the unit of a role claim starts
        (
            "Sáng 4/3, tại cơ quan Thành đoàn Nha Trang (đơn vị Trưởng khối), Khối thi đua họp.",
            [RoleClaim("Thành đoàn Nha Trang", "khối trưởng")],
        ),
        (
            "Khối gồm Ban Dân vận tỉnh (đơn vị Trưởng khối) và Sở Y tế (đơn vị Phó Trưởng khối).",
            [RoleClaim("Ban Dân vận tỉnh", "khối trưởng"), RoleClaim("Sở Y tế", "khối phó")],
        ),
        (
            "Ông Lê Văn Tâm - Chánh án TAND tỉnh Bạc Liêu (đơn vị Cụm phó), phát biểu.",
            [RoleClaim("TAND tỉnh Bạc Liêu", "cụm phó")],
        ),
        (
            "GS. Trần Văn Hải Chủ tịch Hội Sử học Việt Nam - Cụm trưởng, chủ trì.",
            [RoleClaim("Hội Sử học Việt Nam", "cụm trưởng")],
        ),
        ("Đồng chí Lê Văn An - Khối trưởng Khối thi đua, phát biểu.", []),  # no unit, not the label
        (
            "Ngày 6/12, Cụm thi đua Hội Nông dân các tỉnh do Hội Nông dân tỉnh A (sau hợp nhất) làm Cụm"
            " trưởng tổng kết năm 2025 và triển khai nhiệm vụ năm 2026.",
            [RoleClaim("Hội Nông dân tỉnh A", "cụm trưởng")],
        ),
        (
            "Ngày 16/7, Ban Tuyên giáo Tỉnh ủy, đơn vị Trưởng Khối thi đua các cơ quan Đảng, tổ chức sơ kết.",
            [RoleClaim("Ban Tuyên giáo Tỉnh ủy", "khối trưởng")],
        ),
        (
            "Ông Lê Văn Tư - Phó Chánh án phụ trách TAND tỉnh Cà Mau (Trưởng Cụm thi đua số X) dự.",
            [RoleClaim("TAND tỉnh Cà Mau", "cụm trưởng")],
        ),
        (
            "Trưởng Ban Dân vận Tỉnh ủy Lê Văn An - Khối trưởng và Tổng Biên tập Báo Hà Giang Trần Văn"
            " Bình, Khối phó chủ trì.",
            [RoleClaim("Ban Dân vận Tỉnh ủy", "khối trưởng"), RoleClaim("Báo Hà Giang", "khối phó")],
        ),
        (
            "Luật gia Cao Văn An, Phó Chủ tịch Hội Luật gia tỉnh Đồng Nai (Cụm trưởng) báo cáo.",
            [RoleClaim("Hội Luật gia tỉnh Đồng Nai", "cụm trưởng")],
        ),
    ],
)
def test_role_claims(sentence: str, claims: list[RoleClaim]) -> None:
    assert role_claims(normalize_text(sentence)) == claims


@pytest.mark.parametrize(
    "sentence",
    [
        # next year's leader: not a role of this event (Event has no field for it)
        "Hội nghị thống nhất bầu huyện Nông Cống là đơn vị Cụm trưởng năm 2025.",
        "Huyện Đông Sơn bàn giao Cụm trưởng cho huyện Triệu Sơn.",
        "Năm tới, Sở Xây dựng sẽ giữ vai trò Khối trưởng.",
        "Hội nghị thống nhất suy tôn tỉnh Bình Phước làm Cụm trưởng.",
        # an overseer is not a role
        "Ông Lê Văn Hòa, Phó Chủ tịch UBND tỉnh phụ trách Cụm thi đua số 5.",
    ],
)
def test_declined_roles(sentence: str) -> None:
    # declined on purpose: the Event has no field for the next period's leader
    assert is_declined(sentence)
    assert role_claims(sentence) == []


def test_a_role_for_a_later_year_than_the_covenant_is_declined() -> None:
    sentence = "Năm 2026, Cụm trưởng là huyện Thọ Xuân."
    assert role_claims(sentence, 2025) == []
    assert role_claims(sentence, 2026) == [RoleClaim("huyện Thọ Xuân", "cụm trưởng")]


def test_an_election_with_no_year_in_a_dated_event_is_this_years_role() -> None:
    # the dev-reports convention declines a leader elected *for a later year*; with no year at all in
    # an event whose covenant year is known, the elected unit holds the role now
    sentence = "Tại hội nghị, các đơn vị bầu huyện Quỳ Hợp làm Cụm trưởng."
    assert role_claims(sentence, 2025) == [RoleClaim("huyện Quỳ Hợp", "cụm trưởng")]
    assert role_claims("Hội nghị bầu huyện Quỳ Hợp làm Cụm trưởng năm 2026.", 2025) == []
    assert role_claims(sentence) == []
