"""extract.members: membership statements, shared prefixes and suffixes, names with commas and
"và", guests (corpus-notes "Members")."""

from __future__ import annotations

import pytest

from extract.members import find_member_lists
from extract.normalize import normalize_text


def items(sentence: str) -> list[tuple[str, str | None]]:
    lists = find_member_lists(normalize_text(sentence))
    return [item for ml in lists for item in ml.items]


def names(sentence: str) -> list[str]:
    return [name for name, _ in items(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # shared prefix "các quận"; items already carrying the unit word stay whole; list ends at the verb
        (
            "Cụm thi đua 2 gồm các quận Phú Nhuận, Tân Bình, Quận 5, Quận 11 tổ chức hội nghị.",
            ["Quận Phú Nhuận", "Quận Tân Bình", "Quận 5", "Quận 11"],
        ),
        ("Cụm gồm các quận: 3, 4 và Bình Thạnh.", ["Quận 3", "Quận 4", "Quận Bình Thạnh"]),
        (
            "Cụm thi đua số 2 gồm các huyện: Hậu Lộc, Hoằng Hóa và Nga Sơn.",
            ["Huyện Hậu Lộc", "Huyện Hoằng Hóa", "Huyện Nga Sơn"],
        ),
        # a prefix before "các" keeps the unit word's case
        (
            "Cụm gồm Hội LHPN các huyện Tuy Phước, An Nhơn.",
            ["Hội LHPN huyện Tuy Phước", "Hội LHPN huyện An Nhơn"],
        ),
        (
            "Cụm thi đua số 4 (gồm công an các tỉnh: Ninh Bình, Nam Định và Thái Bình) sơ kết.",
            ["Công an tỉnh Ninh Bình", "Công an tỉnh Nam Định", "Công an tỉnh Thái Bình"],
        ),
        (
            "Cụm gồm Ban Tuyên giáo các Đảng ủy: Khối Dân chính Đảng (Cụm trưởng), Quân sự tỉnh.",
            ["Ban Tuyên giáo Đảng ủy Khối Dân chính Đảng", "Ban Tuyên giáo Đảng ủy Quân sự tỉnh"],
        ),
        ("Khối gồm các sở: Tài chính, Xây dựng.", ["Sở Tài chính", "Sở Xây dựng"]),
        ("Cụm gồm 5 huyện: Mê Linh, Sóc Sơn.", ["Huyện Mê Linh", "Huyện Sóc Sơn"]),  # partial list
        # names keep internal commas and "và"; ";" and "," + head word end an item
        (
            "Khối gồm Sở Văn hóa, Thể thao và Du lịch, Sở Giáo dục và Đào tạo và Sở Y tế.",
            ["Sở Văn hóa, Thể thao và Du lịch", "Sở Giáo dục và Đào tạo", "Sở Y tế"],
        ),
        (
            "Khối gồm Trung tâm Giống cây trồng, vật nuôi và thủy sản; Chi cục Thủy lợi.",
            ["Trung tâm Giống cây trồng, vật nuôi và thủy sản", "Chi cục Thủy lợi"],
        ),
        (
            "Các đơn vị thành viên trong Cụm: Hội Luật gia tỉnh Bắc Ninh; Hội Luật gia tỉnh Bắc Giang.",
            ["Hội Luật gia tỉnh Bắc Ninh", "Hội Luật gia tỉnh Bắc Giang"],
        ),
        (
            "Khối gồm Sở Lao động - Thương binh và Xã hội, Sở Nội vụ.",
            ["Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"],
        ),
        # a shared suffix: the place written after the last item
        (
            "Khối gồm Hội Nông dân, Hội Cựu chiến binh và Huyện đoàn huyện Mang Yang.",
            [
                "Hội Nông dân huyện Mang Yang",
                "Hội Cựu chiến binh huyện Mang Yang",
                "Huyện đoàn huyện Mang Yang",
            ],
        ),
        # the prefix written out again in the last item
        (
            "Cụm gồm LĐLĐ các huyện: Kim Sơn, Yên Mô và LĐLĐ thành phố Tam Điệp.",
            ["LĐLĐ huyện Kim Sơn", "LĐLĐ huyện Yên Mô", "LĐLĐ thành phố Tam Điệp"],
        ),
        # guests are not members
        ("Khối gồm Sở Tư pháp, Sở Nội vụ, Báo Gia Lai (khách mời).", ["Sở Tư pháp", "Sở Nội vụ"]),
        # abbreviations kept as written
        ("Cụm gồm TAND các tỉnh: Bình Định, Phú Yên.", ["TAND tỉnh Bình Định", "TAND tỉnh Phú Yên"]),
        # a ";" list: items keep their lower-case commas and their own function words (issue 9)
        (
            "Cụm gồm: Cục Quản lý xuất nhập cảnh (đơn vị Cụm trưởng); Cục Cảnh sát điều tra tội phạm về"
            " ma túy; Cục Cảnh sát cơ động, bảo vệ mục tiêu; Cục Hồ sơ nghiệp vụ.",
            [
                "Cục Quản lý xuất nhập cảnh",
                "Cục Cảnh sát điều tra tội phạm về ma túy",
                "Cục Cảnh sát cơ động, bảo vệ mục tiêu",
                "Cục Hồ sơ nghiệp vụ",
            ],
        ),
        # the units named as the cluster's members, with no "gồm" (issue 9); attendance alone is not
        (
            "Tham dự hội nghị còn có các thành viên của Cụm Hội Sử học Việt Nam, Hội Khuyến học Việt Nam,"
            " Hiệp hội các trường cao đẳng Việt Nam.",
            ["Hội Sử học Việt Nam", "Hội Khuyến học Việt Nam", "Hiệp hội các trường cao đẳng Việt Nam"],
        ),
        ("Các thành viên trong Cụm đã ký kết giao ước thi đua.", []),
        # a body written before bare place names distributes over them (issue 9)
        (
            "Dự có lãnh đạo Hội Nhà văn các tỉnh Tây Nguyên gồm: Gia Lai, Kon Tum, Đắk Lắk và Lâm Đồng.",
            ["Hội Nhà văn Gia Lai", "Hội Nhà văn Kon Tum", "Hội Nhà văn Đắk Lắk", "Hội Nhà văn Lâm Đồng"],
        ),
        (
            "Cụm thi đua số 2 bao gồm các VKSND của 3 thành phố trực thuộc Trung ương: Hà Nội, TP. Hồ Chí"
            " Minh và Cần Thơ với 40 đơn vị cấp huyện.",
            ["VKSND Hà Nội", "VKSND TP. Hồ Chí Minh", "VKSND Cần Thơ"],
        ),
    ],
)
def test_member_names(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


def test_declined_bare_list_keeps_names_as_written() -> None:
    # "Sở" dropped and no "các sở": we do not guess the unit word (documented decline).
    assert names("Khối thi đua kinh tế gồm: Tài chính, Xây dựng, Công Thương.") == [
        "Tài chính",
        "Xây dựng",
        "Công Thương",
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Cụm gồm Sở Tư pháp (đơn vị Cụm trưởng), Sở Nội vụ (Cụm phó).",
            [("Sở Tư pháp", "cụm trưởng"), ("Sở Nội vụ", "cụm phó")],
        ),
        (
            "Khối gồm Sở Tư pháp – đơn vị trưởng khối, Sở Nội vụ.",
            [("Sở Tư pháp", "khối trưởng"), ("Sở Nội vụ", None)],
        ),
        ("Cụm gồm Sở A (Cụm phó thứ hai), Sở B.", [("Sở A", "cụm phó"), ("Sở B", None)]),
    ],
)
def test_roles_written_on_list_items(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert items(sentence) == expected


def test_attendance_is_not_membership() -> None:
    assert items("Tham dự hội nghị có lãnh đạo Sở Tư pháp, Sở Nội vụ và Công an tỉnh.") == []
    assert items("Tham dự hội nghị tại mỗi cụm gồm: Ban Thường trực Ủy ban MTTQ huyện; lãnh đạo xã.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Cụm gồm Công an các huyện: Krông Pa, Ia Pa và Phú Thiện; năm 2024, Công an huyện Ia Pa"
            " giữ vai trò Cụm trưởng.",
            ["Công an huyện Krông Pa", "Công an huyện Ia Pa", "Công an huyện Phú Thiện"],
        ),
        (
            "Khối gồm Sở Nội vụ; Sở Tư pháp; trong đó Sở Nội vụ là Khối trưởng.",
            ["Sở Nội vụ", "Sở Tư pháp"],
        ),
        (
            "Cụm gồm các huyện: Lục Yên, Văn Yên; hiện nay, huyện Lục Yên làm Cụm trưởng.",
            ["Huyện Lục Yên", "Huyện Văn Yên"],
        ),
        # an ordinary ";"-separated list still runs on
        ("Khối gồm Sở Nội vụ; Sở Tư pháp; Sở Y tế.", ["Sở Nội vụ", "Sở Tư pháp", "Sở Y tế"]),
    ],
)
def test_list_ends_where_a_new_clause_opens_after_semicolon(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # youth-union and enterprise unit words distribute like "các sở:"
        (
            "Cụm gồm các Huyện đoàn: Châu Thành, Lấp Vò và Lai Vung.",
            ["Huyện đoàn Châu Thành", "Huyện đoàn Lấp Vò", "Huyện đoàn Lai Vung"],
        ),
        ("Cụm gồm các Quận đoàn: 1, 3.", ["Quận đoàn 1", "Quận đoàn 3"]),
        (
            "Cụm gồm các công ty: Xi măng Hà Tiên, Điện lực Đồng Nai và Cấp nước Biên Hòa.",
            ["Công ty Xi măng Hà Tiên", "Công ty Điện lực Đồng Nai", "Công ty Cấp nước Biên Hòa"],
        ),
        # the plain admin noun still wins when no "đoàn" follows
        ("Cụm gồm các huyện: Cao Lãnh, Tháp Mười.", ["Huyện Cao Lãnh", "Huyện Tháp Mười"]),
    ],
)
def test_union_and_company_prefixes_distribute(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an item with its own admin noun is not given the shared one
        (
            "Cụm gồm các huyện Yên Thành, Đô Lương và thị xã Hoàng Mai.",
            ["Huyện Yên Thành", "Huyện Đô Lương", "Thị xã Hoàng Mai"],
        ),
        (
            "Cụm gồm Hội Nông dân các huyện: Cẩm Xuyên, Kỳ Anh và thành phố Hà Tĩnh.",
            ["Hội Nông dân huyện Cẩm Xuyên", "Hội Nông dân huyện Kỳ Anh", "Hội Nông dân thành phố Hà Tĩnh"],
        ),
        # a lower-case word after the noun is not an admin unit
        ("Cụm gồm các xã: An Hòa, Tam Xuân.", ["Xã An Hòa", "Xã Tam Xuân"]),
    ],
)
def test_item_with_its_own_admin_noun(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a generic noun under a named body distributes, the unit word keeps its lower case
        (
            "Khối gồm Công đoàn các ngành: Xây dựng (Khối trưởng), Tài chính, Văn hóa và Thể thao.",
            [
                "Công đoàn ngành Xây dựng",
                "Công đoàn ngành Tài chính",
                "Công đoàn ngành Văn hóa",
                "Công đoàn ngành Thể thao",
            ],
        ),
        # "và" inside an earlier item is part of its name; only the last item's "và" joins the list
        (
            "Khối gồm Công đoàn các ngành: Tài nguyên và Môi trường, Y tế và Giáo dục.",
            ["Công đoàn ngành Tài nguyên và Môi trường", "Công đoàn ngành Y tế", "Công đoàn ngành Giáo dục"],
        ),
        # an upper-case qualifier before the colon belongs to the unit word
        (
            "Cụm gồm các trường THCS: Lê Lợi (Cụm trưởng), Chu Văn An và Kim Đồng.",
            ["Trường THCS Lê Lợi", "Trường THCS Chu Văn An", "Trường THCS Kim Đồng"],
        ),
        # a generic noun without a named body still keeps the names as written
        ("Cụm gồm các đơn vị: Sở Tài chính, Sở Xây dựng.", ["Sở Tài chính", "Sở Xây dựng"]),
    ],
)
def test_generic_noun_and_qualifier_prefixes(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "tại" + a known place ending the item is part of the unit's name
        (
            "Khối gồm: Văn phòng đại diện tại Cần Thơ (Khối trưởng), Văn phòng đại diện tại Huế.",
            ["Văn phòng đại diện tại Cần Thơ", "Văn phòng đại diện tại Huế"],
        ),
        (
            "Cụm gồm Chi nhánh tại Hải Phòng và Chi nhánh tại Thành phố Hồ Chí Minh.",
            ["Chi nhánh tại Hải Phòng", "Chi nhánh tại Thành phố Hồ Chí Minh"],
        ),
        # "tại" + a hall is where the meeting was: the list ends there
        (
            "Cụm gồm các huyện Mê Linh, Sóc Sơn tại Hội trường huyện Mê Linh.",
            ["Huyện Mê Linh", "Huyện Sóc Sơn"],
        ),
    ],
)
def test_place_inside_a_unit_name(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # two admin nouns at once: no one noun fits every item, the prefix alone is distributed
        (
            "Cụm số 3 gồm Hội Cựu chiến binh các tỉnh, thành phố: Cần Thơ (Cụm trưởng), Hậu Giang, Sóc Trăng",
            ["Hội Cựu chiến binh Cần Thơ", "Hội Cựu chiến binh Hậu Giang", "Hội Cựu chiến binh Sóc Trăng"],
        ),
        (
            "Khối gồm Đoàn Thanh niên các tỉnh/thành: Vĩnh Long, Trà Vinh.",
            ["Đoàn Thanh niên Vĩnh Long", "Đoàn Thanh niên Trà Vinh"],
        ),
    ],
)
def test_mixed_admin_nouns_distribute_the_prefix_alone(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the list is the bracket after the count, and the bracket ends it (the verb after is not a unit)
        (
            "Khối gồm 3 đơn vị (Sở Du lịch, Sở Xây dựng và Sở Y tế) tổ chức hội nghị.",
            ["Sở Du lịch", "Sở Xây dựng", "Sở Y tế"],
        ),
        ("Cụm gồm (Sở Nội vụ, Sở Tư pháp) ký kết giao ước.", ["Sở Nội vụ", "Sở Tư pháp"]),
    ],
)
def test_bracketed_list_after_gom(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # issue 9: lower-case item lists are one unit per item
        (
            "Cụm thi đua số 3 gồm: huyện Nam Đàn, huyện Hưng Nguyên, huyện Thanh Chương.",
            ["Huyện Nam Đàn", "Huyện Hưng Nguyên", "Huyện Thanh Chương"],
        ),
        ("Khối gồm: sở Tư pháp, sở Nội vụ, ban Dân tộc.", ["Sở Tư pháp", "Sở Nội vụ", "Ban Dân tộc"]),
        # a unit before "và các huyện …" is an item of its own
        (
            "Cụm gồm thành phố Pleiku và các huyện Chư Păh, Ia Grai.",
            ["Thành phố Pleiku", "Huyện Chư Păh", "Huyện Ia Grai"],
        ),
        (
            "Cụm gồm Tòa án nhân dân thành phố Sóc Trăng và các huyện: Mỹ Tú, Kế Sách.",
            [
                "Tòa án nhân dân thành phố Sóc Trăng",
                "Tòa án nhân dân huyện Mỹ Tú",
                "Tòa án nhân dân huyện Kế Sách",
            ],
        ),
        # the first item's body and admin word go to the bare names after it
        (
            "Cụm 2 gồm Hội Nông dân huyện Cái Bè, Cai Lậy, Tân Phước và Thị xã Gò Công tổ chức hội nghị.",
            [
                "Hội Nông dân huyện Cái Bè",
                "Hội Nông dân huyện Cai Lậy",
                "Hội Nông dân huyện Tân Phước",
                "Hội Nông dân Thị xã Gò Công",
            ],
        ),
        # "N đơn vị thành viên (…)": the bracket is the list
        (
            "Với 4 đơn vị thành viên (VKSND các tỉnh: Lào Cai, Yên Bái, Hà Giang và Tuyên Quang), cụm làm"
            " tốt.",
            ["VKSND tỉnh Lào Cai", "VKSND tỉnh Yên Bái", "VKSND tỉnh Hà Giang", "VKSND tỉnh Tuyên Quang"],
        ),
        # "ký" in "Đăng ký" is part of the name, not a verb ending the list
        (
            "Cụm gồm: Cục Bổ trợ tư pháp, Cục Đăng ký giao dịch bảo đảm, Vụ Pháp chế.",
            ["Cục Bổ trợ tư pháp", "Cục Đăng ký giao dịch bảo đảm", "Vụ Pháp chế"],
        ),
        # the piece after "và" repeating the item's head words is a new unit
        (
            "Cụm 1 gồm: Phòng Tham mưu; Phòng Chính trị; Tiểu đoàn 12 và Tiểu đoàn 14 tổ chức hội nghị.",
            ["Phòng Tham mưu", "Phòng Chính trị", "Tiểu đoàn 12", "Tiểu đoàn 14"],
        ),
        # a bare list of proper names: the last "và" separates two items; "Khoa học và Công nghệ" stays
        ("Cụm gồm: Tân An, Phú Lợi, Mỹ Phước và Tân Định.", ["Tân An", "Phú Lợi", "Mỹ Phước", "Tân Định"]),
        (
            "Khối gồm: Tài chính, Xây dựng, Khoa học và Công nghệ.",
            ["Tài chính", "Xây dựng", "Khoa học và Công nghệ"],
        ),
        # "gồm" introducing contents, not units
        ("Các đơn vị ký bản giao ước gồm 8 chỉ tiêu: bảo đảm an toàn, giữ vững kỷ cương.", []),
        ("Chương trình hội nghị gồm các nội dung: báo cáo, thảo luận, ký kết.", []),
        ("Nội dung phát động thi đua năm 2024 của Khối gồm: Mỗi cơ quan phấn đấu hoàn thành chỉ tiêu.", []),
    ],
)
def test_lower_case_lists_and_contents(sentence: str, expected: list[str]) -> None:
    assert names(sentence) == expected


def test_every_list_opener_holds_the_words_find_member_lists_looks_for_first() -> None:
    # find_member_lists skips a sentence with neither "gồm" nor "thành" (the other openers are
    # "… thành viên …" phrases written in its pattern)
    from extract.lexicon import words

    assert all("gồm" in w.lower() or "thành" in w.lower() for w in words("list_openers"))
