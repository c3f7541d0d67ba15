"""extract.officials: names without honorifics, titles whole, both orders (corpus-notes "Officials")."""

from __future__ import annotations

import pytest

from extract.normalize import normalize_text
from extract.officials import find_people, scan_title


def people(sentence: str) -> list[tuple[str, str | None]]:
    return [(p.name, p.title) for p in find_people(normalize_text(sentence))]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # title before name
        ("Dự hội nghị có Bí thư Huyện ủy Trần Văn Bình.", [("Trần Văn Bình", "Bí thư Huyện ủy")]),
        (
            "Phát biểu, Phó Chủ tịch UBND tỉnh Lê Thị Hồng Nhung đề nghị các huyện cố gắng.",
            [("Lê Thị Hồng Nhung", "Phó Chủ tịch UBND tỉnh")],
        ),
        (
            "Dự có Chánh án TAND tỉnh Bình Định Trần Văn Lộc.",
            [("Trần Văn Lộc", "Chánh án TAND tỉnh Bình Định")],
        ),
        # name then title, with comma, dash, or a dash glued to the name
        (
            "Dự có bà Nguyễn Thị Mai, Phó Trưởng Ban Dân vận Tỉnh ủy.",
            [("Nguyễn Thị Mai", "Phó Trưởng Ban Dân vận Tỉnh ủy")],
        ),
        (
            "Dự có bà Ngô Thị Lan, Phó Ban Tổ chức Huyện ủy Đông Anh.",
            [("Ngô Thị Lan", "Phó Ban Tổ chức Huyện ủy Đông Anh")],
        ),
        # "và" + a title + a name starts a second official; "và" + a title alone joins two offices
        (
            "Dự có bà Ngô Thị Lan, Phó Ban Tổ chức Huyện ủy Đông Anh và Phó Chủ tịch UBND huyện "
            "Trần Văn Hòa.",
            [
                ("Ngô Thị Lan", "Phó Ban Tổ chức Huyện ủy Đông Anh"),
                ("Trần Văn Hòa", "Phó Chủ tịch UBND huyện"),
            ],
        ),
        (
            "Chủ trì có ông Đỗ Minh Quang, Bí thư Đảng ủy và Chủ tịch UBND xã Tiên Dương.",
            [("Đỗ Minh Quang", "Bí thư Đảng ủy và Chủ tịch UBND xã Tiên Dương")],
        ),
        ("Đ/c Phạm Văn Cường - Chủ tịch UBND huyện chủ trì.", [("Phạm Văn Cường", "Chủ tịch UBND huyện")]),
        ("Ông Lý Minh Tuấn– Giám đốc Sở Xây dựng phát biểu.", [("Lý Minh Tuấn", "Giám đốc Sở Xây dựng")]),
        (
            "Hồ Văn Lâm-Tỉnh ủy viên, Bí thư Huyện ủy Tương Dương và lãnh đạo các huyện.",
            [("Hồ Văn Lâm", "Tỉnh ủy viên, Bí thư Huyện ủy Tương Dương")],
        ),
        # long comma-chained titles stay whole
        (
            "Đồng chí Võ Văn Hải, Tỉnh ủy viên, Bí thư Huyện ủy, Chủ tịch HĐND huyện Quỳnh Lưu cùng dự.",
            [("Võ Văn Hải", "Tỉnh ủy viên, Bí thư Huyện ủy, Chủ tịch HĐND huyện Quỳnh Lưu")],
        ),
        (
            "Ông Lê Văn Kiên, Phó Vụ trưởng Vụ Thi đua - Khen thưởng VKSND tối cao phát biểu.",
            [("Lê Văn Kiên", "Phó Vụ trưởng Vụ Thi đua - Khen thưởng VKSND tối cao")],
        ),
        (
            "Đại tá Đinh Văn Sơn, Giám đốc Công an tỉnh Hà Nam, Cụm trưởng Cụm thi đua số 4 chủ trì.",
            [("Đinh Văn Sơn", "Giám đốc Công an tỉnh Hà Nam, Cụm trưởng Cụm thi đua số 4")],
        ),
        (
            "Đồng chí Lê Thị Thanh Hằng, Trưởng Ban Tuyên giáo Quận ủy Quận 3 - Cụm trưởng chủ trì.",
            [("Lê Thị Thanh Hằng", "Trưởng Ban Tuyên giáo Quận ủy Quận 3 - Cụm trưởng")],
        ),
        (
            "Ông Nguyễn Văn Tỉnh, Tổng cục trưởng Tổng cục Thủy lợi.",
            [("Nguyễn Văn Tỉnh", "Tổng cục trưởng Tổng cục Thủy lợi")],
        ),
        # a comma chain of titles before "đồng chí" and the name
        (
            "Dự hội nghị có Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, đồng chí Lê Văn Hưng.",
            [("Lê Văn Hưng", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh")],
        ),
        # honorifics and ranks are stripped
        ("Thiếu tướng Nguyễn Văn Long phát biểu chỉ đạo.", [("Nguyễn Văn Long", None)]),
        (
            "Thượng tá Bùi Thị Hạnh, Phó Giám đốc Công an tỉnh.",
            [("Bùi Thị Hạnh", "Phó Giám đốc Công an tỉnh")],
        ),
        (
            "Đồng chí: Nguyễn Đức Toàn, Phó Chủ tịch UBND tỉnh dự.",
            [("Nguyễn Đức Toàn", "Phó Chủ tịch UBND tỉnh")],
        ),
        (
            "Tới dự có TS. Đặng Quốc Khánh, Chủ tịch Liên hiệp Hội tỉnh.",
            [("Đặng Quốc Khánh", "Chủ tịch Liên hiệp Hội tỉnh")],
        ),
        ("ThS. Đinh Thị Hồng Nhung cam kết thực hiện.", [("Đinh Thị Hồng Nhung", None)]),
        # highland names keep their apostrophe
        ("Bà Ksor H'Lan, Phó Chủ tịch UBND huyện Ia Pa.", [("Ksor H'Lan", "Phó Chủ tịch UBND huyện Ia Pa")]),
        (
            "Bà H'Yim Kđoh, Phó Chủ tịch UBND tỉnh Gia Lai dự.",
            [("H'Yim Kđoh", "Phó Chủ tịch UBND tỉnh Gia Lai")],
        ),
        # two persons, a place name inside a title is not a person
        (
            "Dự có ông Lâm Văn Hiển, Phó Hiệu trưởng Trường Đại học Lạc Hồng và ông Vũ Đức Anh.",
            [("Lâm Văn Hiển", "Phó Hiệu trưởng Trường Đại học Lạc Hồng"), ("Vũ Đức Anh", None)],
        ),
    ],
)
def test_people(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert people(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Phó Chủ tịch UBND tỉnh dự và chỉ đạo hội nghị.",  # a title with no name is not an official
        "Các đơn vị học tập tư tưởng, đạo đức, phong cách Hồ Chí Minh.",  # doctrine, not a person
        "Đoàn đã khảo sát mô hình tại huyện Lâm Hà và Hà Tĩnh.",  # places
    ],
)
def test_not_people(sentence: str) -> None:
    assert people(sentence) == []


def test_scan_title_follows_comma_chains_only_into_titles() -> None:
    text = "Giám đốc Sở Văn hóa, Thể thao và Du lịch, Khối trưởng năm 2023 phát biểu."
    assert text[: scan_title(text, 0)] == "Giám đốc Sở Văn hóa, Thể thao và Du lịch, Khối trưởng năm 2023"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Dự có ông Đỗ Văn Hải, Chủ tịch Công đoàn Dầu khí - Thương mại Miền Nam.",
            [("Đỗ Văn Hải", "Chủ tịch Công đoàn Dầu khí - Thương mại Miền Nam")],
        ),
        (
            "Dự có bà Lê Thị Mai, Giám đốc Sở Tài nguyên - Môi trường.",
            [("Lê Thị Mai", "Giám đốc Sở Tài nguyên - Môi trường")],
        ),
        # a dash after a name still opens the title
        ("Đ/c Trần Văn Tâm - Giám đốc Sở Xây dựng phát biểu.", [("Trần Văn Tâm", "Giám đốc Sở Xây dựng")]),
    ],
)
def test_titles_keep_a_dash_inside_a_sector_name(
    sentence: str, expected: list[tuple[str, str | None]]
) -> None:
    assert people(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # ", Bộ …" closing the clause names the body the title belongs to
        (
            "Dự có ông Phan Văn Hùng, Vụ trưởng Vụ Tổ chức cán bộ, Bộ Y tế; bà Lê Thị Thu, Hiệu trưởng.",
            [("Phan Văn Hùng", "Vụ trưởng Vụ Tổ chức cán bộ, Bộ Y tế"), ("Lê Thị Thu", "Hiệu trưởng")],
        ),
        (
            "Dự có bà Ngô Thị Lan, Trưởng phòng Thi đua, Sở Nội vụ.",
            [("Ngô Thị Lan", "Trưởng phòng Thi đua, Sở Nội vụ")],
        ),
        # a body followed by more of the sentence is not part of the title
        (
            "Ông Vũ Văn Nam, Giám đốc Sở Tư pháp, Sở Nội vụ cùng dự.",
            [("Vũ Văn Nam", "Giám đốc Sở Tư pháp")],
        ),
    ],
)
def test_title_keeps_the_body_after_a_comma_at_clause_end(
    sentence: str, expected: list[tuple[str, str | None]]
) -> None:
    assert people(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "ban tổ chức" is the organising committee inside a title, not the verb "tổ chức"
        (
            "Dự có ông Lê Văn Bình, Phó Chủ tịch UBND huyện, Trưởng ban tổ chức hội thao cùng các đội.",
            [("Lê Văn Bình", "Phó Chủ tịch UBND huyện, Trưởng ban tổ chức hội thao")],
        ),
        (
            "Bà Trần Thị Hoa, Phó Trưởng ban tổ chức giải phát biểu.",
            [("Trần Thị Hoa", "Phó Trưởng ban tổ chức giải")],
        ),
        # the verb after a title still ends it
        (
            "Ông Phạm Văn Đức, Chủ tịch UBND huyện tổ chức buổi gặp mặt.",
            [("Phạm Văn Đức", "Chủ tịch UBND huyện")],
        ),
    ],
)
def test_organising_committee_in_a_title(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert people(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # teachers' forms of address are honorifics (README decision 35)
        (
            "Thầy Trần Quốc Hưng, Hiệu trưởng Trường THCS Lê Lợi, phát biểu.",
            [("Trần Quốc Hưng", "Hiệu trưởng Trường THCS Lê Lợi")],
        ),
        ("Cô Phạm Thị Lan chia sẻ kinh nghiệm dạy học.", [("Phạm Thị Lan", None)]),
        # army political officers and team leaders are titles
        (
            "Tham gia có Trung tá Lường Văn Tân, Chính trị viên phó Ban CHQS huyện Quỳnh Nhai.",
            [("Lường Văn Tân", "Chính trị viên phó Ban CHQS huyện Quỳnh Nhai")],
        ),
        (
            "Ông Vũ Minh Khoa, Tổ trưởng Tổ Ngữ văn Trường THPT Lý Tự Trọng, trình bày.",
            [("Vũ Minh Khoa", "Tổ trưởng Tổ Ngữ văn Trường THPT Lý Tự Trọng")],
        ),
        # Cham family names ("Đàng", "Quảng", "Trượng") are surnames, not part of the title before them
        (
            "Ông Đàng Văn Sơn, Phó Chủ tịch UBND huyện Ninh Phước, dự hội nghị.",
            [("Đàng Văn Sơn", "Phó Chủ tịch UBND huyện Ninh Phước")],
        ),
        (
            "Ông Quảng Văn Thạnh, Trưởng phòng Nội vụ, dự hội nghị.",
            [("Quảng Văn Thạnh", "Trưởng phòng Nội vụ")],
        ),
    ],
)
def test_forms_of_address_titles_and_surnames(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert people(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # per-construct stops (issue 9): "dự" inside a title, a verb after a role
        (
            "Dự có đồng chí Lê Văn Hùng, Ủy viên dự khuyết Trung ương Đảng, Bí thư Tỉnh ủy.",
            [("Lê Văn Hùng", "Ủy viên dự khuyết Trung ương Đảng, Bí thư Tỉnh ủy")],
        ),
        ("Bà Trần Thị Hoa, Cụm phó thông qua dự thảo quy chế.", [("Trần Thị Hoa", "Cụm phó")]),
        # a name's own words repeated after "và" continue it; a new lower-case phrase ends it
        (
            "Dự có ông Lê Văn Sơn, Phó Vụ trưởng Vụ công tác Đảng và công tác quần chúng Bộ Nội vụ.",
            [("Lê Văn Sơn", "Phó Vụ trưởng Vụ công tác Đảng và công tác quần chúng Bộ Nội vụ")],
        ),
        # abbreviated party ranks and "Tổng thư ký" open titles in a chain
        (
            "Ông Đỗ Văn Hà - TUV, Phó Chủ tịch UBND tỉnh phát biểu.",
            [("Đỗ Văn Hà", "TUV, Phó Chủ tịch UBND tỉnh")],
        ),
        (
            "Ông Hà Văn Nam - Phó Chủ tịch, Tổng thư ký Hội Luật gia Việt Nam chủ trì.",
            [("Hà Văn Nam", "Phó Chủ tịch, Tổng thư ký Hội Luật gia Việt Nam")],
        ),
    ],
)
def test_titles_end_where_their_construct_ends(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert people(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # after a form of address the whole run is the name, not the part at the commonest surname
        (
            "Phát biểu, ông Thạch Hoàng Long - Chánh án TAND tỉnh Trà Vinh, nhấn mạnh.",
            [("Thạch Hoàng Long", "Chánh án TAND tỉnh Trà Vinh")],
        ),
        # a title right after the name with no mark: its first word is no part of the name
        (
            "GS.TS Trần Văn Bảo Chủ tịch Hội Sử học Việt Nam chủ trì hội nghị.",
            [("Trần Văn Bảo", "Chủ tịch Hội Sử học Việt Nam")],
        ),
        # a lower-case part of a unit's name after a comma stays in the title
        (
            "Dự có bà Lê Thị Thu, Phó Vụ trưởng Vụ Phổ biến, giáo dục pháp luật và Trợ giúp pháp lý.",
            [("Lê Thị Thu", "Phó Vụ trưởng Vụ Phổ biến, giáo dục pháp luật và Trợ giúp pháp lý")],
        ),
        # a title with no name after a form of address is no person
        ("Đồng chí Trưởng Ban Dân vận Tỉnh ủy đề nghị các đơn vị cố gắng.", []),
    ],
)
def test_names_beside_forms_of_address_and_unmarked_titles(
    sentence: str, expected: list[tuple[str, str | None]]
) -> None:
    assert people(sentence) == expected


def test_the_phrase_lists_officials_index_by_first_character_have_no_empty_phrase() -> None:
    # extract.officials looks a phrase up by the character it starts with; an empty phrase would
    # start everywhere and be missed.
    from extract.lexicon import STOP_PHRASES, TITLE_STOPS, TITLE_WORDS

    assert all(STOP_PHRASES) and all(TITLE_STOPS) and all(TITLE_WORDS)
