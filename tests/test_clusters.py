"""extract.clusters: kind, number, label and owning body of each cluster mention (corpus-notes
"Cluster names")."""

from __future__ import annotations

import pytest

from extract.clusters import find_mentions, mention_key, parse_number, roman_to_int, scan_org
from extract.normalize import normalize_text


def first(sentence: str) -> tuple[str, int | None, str, str | None]:
    m = find_mentions(normalize_text(sentence))[0]
    return m.kind, m.number, m.label, m.system


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # numbered, zero-padded, Roman, owner after the label
        (
            "Sáng 9/1, Cụm thi đua số 4 tỉnh Thanh Hóa tổ chức hội nghị.",
            ("cụm", 4, "Cụm thi đua số 4", "tỉnh Thanh Hóa"),
        ),
        ("Cụm thi đua số 04 tổ chức hội nghị tổng kết.", ("cụm", 4, "Cụm thi đua số 04", None)),
        # owners written inside the label (issue 9): the members' body and their count name the cluster
        (
            "Cụm thi đua Hội LHPN 5 thành phố trực thuộc Trung ương họp.",
            ("cụm", None, "Cụm thi đua Hội LHPN 5 thành phố trực thuộc Trung ương", "Hội LHPN Việt Nam"),
        ),
        (
            "Khối thi đua Hội Chữ thập đỏ các huyện, thị xã tổng kết.",
            ("khối", None, "Khối thi đua Hội Chữ thập đỏ các huyện, thị xã", None),
        ),
        (
            "Cụm Hội Nông dân 6 tỉnh miền Tây ký kết.",
            ("cụm", None, "Cụm Hội Nông dân 6 tỉnh miền Tây", "Hội Nông dân Việt Nam"),
        ),
        (
            "Cụm thi đua Hội Nhà văn Việt Nam các tỉnh Tây Bắc họp.",
            ("cụm", None, "Cụm thi đua Hội Nhà văn Việt Nam các tỉnh Tây Bắc", "Hội Nhà văn Việt Nam"),
        ),
        (
            "Cụm thi đua Hội Cựu chiến binh các tỉnh Bắc Trung Bộ ký kết.",
            (
                "cụm",
                None,
                "Cụm thi đua Hội Cựu chiến binh các tỉnh Bắc Trung Bộ",
                "Hội Cựu chiến binh Việt Nam",
            ),
        ),
        # a bloc kind whose name opens with an owner's head word (issue 9): the Front and mass bodies
        (
            "Khối thi đua Mặt trận – Đoàn thể tỉnh Bến Tre họp.",
            ("khối", None, "Khối thi đua Mặt trận - Đoàn thể", "tỉnh Bến Tre"),
        ),
        ("Cụm thi đua 9 Ban Dân vận Tỉnh ủy họp.", ("cụm", 9, "Cụm thi đua 9", "Ban Dân vận Tỉnh ủy")),
        ("Khối thi đua 11 – Bộ Xây dựng tổng kết.", ("khối", 11, "Khối thi đua 11", "Bộ Xây dựng")),
        ("Cụm thi đua số VIII Tòa án nhân dân ký kết.", ("cụm", 8, "Cụm thi đua số VIII", "Tòa án nhân dân")),
        (
            "Ngày 6-3, khối thi đua XI thành phố Hà Nội họp.",
            ("khối", 11, "Khối thi đua XI", "thành phố Hà Nội"),
        ),
        ("Cụm thi đua khối 21 tổng kết.", ("cụm", 21, "Cụm thi đua khối 21", None)),
        ("CỤM THI ĐUA SỐ 2 ỦY BAN MTTQ KÝ KẾT", ("cụm", 2, "CỤM THI ĐUA SỐ 2", None)),  # all-caps headline
        # the bracketed alias after a long name gives the number, not the label
        (
            "Khối thi đua các cơ quan Nội chính tỉnh Bình Phước (Khối 2) tổng kết.",
            ("khối", 2, "Khối thi đua các cơ quan Nội chính", "tỉnh Bình Phước"),
        ),
        (
            "Khối thi đua các doanh nghiệp (Khối 3) tổ chức hội nghị.",
            ("khối", 3, "Khối thi đua các doanh nghiệp", None),
        ),
        # a trailing number
        (
            "Khối thi đua các cơ quan Trung ương 3 tổ chức hội nghị.",
            ("khối", 3, "Khối thi đua các cơ quan Trung ương 3", None),
        ),
        # owner said with a connector: "của", "thuộc", a dash
        (
            "Cụm thi đua số 3 của Liên hiệp Hội Việt Nam họp.",
            ("cụm", 3, "Cụm thi đua số 3", "Liên hiệp Hội Việt Nam"),
        ),
        ("Cụm thi đua số 5 thuộc Bộ Công an sơ kết.", ("cụm", 5, "Cụm thi đua số 5", "Bộ Công an")),
        # after "của" any capitalised body owns the cluster, even one the lexicon does not list
        (
            "Cụm thi đua các tỉnh Tây Nguyên của Liên minh Hợp tác xã Việt Nam họp.",
            ("cụm", None, "Cụm thi đua các tỉnh Tây Nguyên", "Liên minh Hợp tác xã Việt Nam"),
        ),
        (
            "Cụm thi đua 2 – Ban Tuyên giáo Thành ủy TPHCM ký kết.",
            ("cụm", 2, "Cụm thi đua 2", "Ban Tuyên giáo Thành ủy TPHCM"),
        ),
        # unnumbered: by region or sector
        ("Cụm thi đua các tỉnh Tây Bắc kiểm tra chéo.", ("cụm", None, "Cụm thi đua các tỉnh Tây Bắc", None)),
        (
            "Cụm thi đua các huyện miền núi tỉnh Thanh Hóa họp.",
            ("cụm", None, "Cụm thi đua các huyện miền núi", "tỉnh Thanh Hóa"),
        ),
        (
            "Khối thi đua các cơ quan Đảng tỉnh tổ chức hội nghị.",
            ("khối", None, "Khối thi đua các cơ quan Đảng tỉnh", None),
        ),
        (
            "Khối thi đua Văn hóa - Xã hội tỉnh Hà Giang ký kết.",
            ("khối", None, "Khối thi đua Văn hóa - Xã hội", "tỉnh Hà Giang"),
        ),
        (
            "Khối thi đua các trường đại học, cao đẳng tỉnh Đồng Nai giao lưu.",
            ("khối", None, "Khối thi đua các trường đại học, cao đẳng", "tỉnh Đồng Nai"),
        ),
        ("Cụm kinh tế tỉnh Long An ký kết giao ước thi đua.", ("cụm", None, "Cụm kinh tế", "tỉnh Long An")),
        # a region ending in "Bộ" is not a ministry; dashes between the kinds a label lists
        (
            "Cụm thi đua các tỉnh Đông Nam Bộ: ký kết giao ước.",
            ("cụm", None, "Cụm thi đua các tỉnh Đông Nam Bộ", None),
        ),
        (
            "Khối thi đua các cơ quan Đảng - Mặt trận - đoàn thể huyện Krông Pắc họp.",
            ("khối", None, "Khối thi đua các cơ quan Đảng - Mặt trận - đoàn thể", "huyện Krông Pắc"),
        ),
        ("Khối ANND Công an tỉnh Gia Lai ký kết.", ("khối", None, "Khối ANND", "Công an tỉnh Gia Lai")),
        # mixed words and typos: the head word decides the kind
        (
            "Cụm thi đua khối quân sự địa phương họp.",
            ("cụm", None, "Cụm thi đua khối quân sự địa phương", None),
        ),
        (
            "Khối giao ước thi đua các cơ quan tỉnh tổng kết.",
            ("khối", None, "Khối giao ước thi đua các cơ quan tỉnh", None),
        ),
        ("Cụm khi đua số 5 tổ chức hội nghị.", ("cụm", 5, "Cụm khi đua số 5", None)),
        # counts are not numbers
        ("Cụm thi đua 6 tỉnh miền Đông tổ chức sơ kết.", ("cụm", None, "Cụm thi đua 6 tỉnh miền Đông", None)),
    ],
)
def test_mentions(sentence: str, expected: tuple[str, int | None, str, str | None]) -> None:
    assert first(sentence) == expected


def test_elliptical_pair_gives_two_clusters() -> None:
    found = find_mentions("Chiều 8/1, cụm số 1 và số 2 thuộc Hội Nông dân tỉnh tổ chức tổng kết.")
    assert [(m.number, m.label) for m in found] == [(1, "Cụm số 1"), (2, "Cụm số 2")]
    both = find_mentions("Cụm thi đua số 1 và số 2 Hội Nông dân tỉnh Đồng Tháp tổng kết.")
    assert [(m.number, m.system) for m in both] == [
        (1, "Hội Nông dân tỉnh Đồng Tháp"),
        (2, "Hội Nông dân tỉnh Đồng Tháp"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Cụm công nghiệp Tân Phú thu hút 12 dự án.",  # industrial zone
        "Đội tuyển thi đấu ở cụm thi số 2 của hội thi.",  # contest heat
        "Đảng ủy Khối Doanh nghiệp tỉnh tổ chức hội nghị.",  # an owning body, not a cluster
        "Ông Hùng là Cụm trưởng năm nay.",  # a role word
        "Khối phố 3 ra quân làm sạch đường làng.",  # a neighbourhood
        "Các khối phố ở phường Tân Thạnh cùng hưởng ứng.",
        "Khối lượng công việc của cơ quan rất lớn.",  # volume
        "Bệnh nhân có khối u lành tính.",  # a tumour
        "Cụm từ này được dùng nhiều.",  # a phrase
        "Đại tu cụm máy số 3 của nhà máy thủy điện.",  # a generator unit
        "Công ty gia cố cụm công trình đầu mối trước mùa lũ.",  # hydraulic works
        "Đổ khối bê tông số 12 của đập tràn.",
    ],
)
def test_not_clusters(sentence: str) -> None:
    assert [m for m in find_mentions(sentence) if m.named] == []


@pytest.mark.parametrize(
    ("sentence", "numbers"),
    [
        ("Huyện đánh giá thi đua tại 3 cụm thi đua số 1,2 và 3 của huyện.", [1, 2, 3]),  # a bare comma
        ("Cụm thi đua số 1, 2 và 3 họp.", [1, 2, 3]),
        ("Cụm thi đua số 4 hỗ trợ 1,500 hộ nghèo.", [4]),
    ],
)
def test_sibling_numbers(sentence: str, numbers: list[int]) -> None:
    assert [m.number for m in find_mentions(sentence)] == numbers


@pytest.mark.parametrize("sentence", ["khóa XIII", "lần thứ XV", "09 sở, ngành"])
def test_counts_and_terms_are_not_numbers(sentence: str) -> None:
    assert find_mentions(f"Cụm thi đua các sở đã học tập Nghị quyết {sentence}.")[0].number is None


def test_short_reference_is_not_full() -> None:
    (m,) = find_mentions("Các đơn vị Cụm 3 ký kết giao ước thi đua.")
    assert (m.number, m.full) == (3, False)


@pytest.mark.parametrize(
    ("text", "value"), [("IV", 4), ("VIII", 8), ("XI", 11), ("XIV", 14), ("IX", 9), ("A", None)]
)
def test_roman(text: str, value: int | None) -> None:
    assert roman_to_int(text) == value


@pytest.mark.parametrize(("text", "value"), [("04", 4), ("17", 17), ("XII", 12), ("0", None)])
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value


def test_same_cluster_same_key() -> None:
    a = find_mentions("Cụm thi đua số 04 tỉnh Nghệ An họp.")[0]
    b = find_mentions("Cụm 4 ký kết.")[0]
    assert mention_key(a) == mention_key(b)


def test_scan_org_stops_at_verbs() -> None:
    text = "Ban Tuyên giáo Thành ủy TPHCM gồm các quận"
    assert text[: scan_org(text, 0)] == "Ban Tuyên giáo Thành ủy TPHCM"


@pytest.mark.parametrize(
    ("sentence", "system"),
    [
        # a force written right after the label owns it like a ministry does
        ("Cụm thi đua số 2 Bộ đội Biên phòng ký kết giao ước.", "Bộ đội Biên phòng"),
        ("Cụm thi đua số 5 Bộ đội Biên phòng tỉnh Lạng Sơn họp.", "Bộ đội Biên phòng tỉnh Lạng Sơn"),
        ("Khối thi đua 3 Bộ Tư pháp tổng kết.", "Bộ Tư pháp"),
        # a region ending in "Bộ" is still not an owner
        ("Cụm thi đua các tỉnh Đông Nam Bộ tổng kết.", None),
    ],
)
def test_owner_after_the_label(sentence: str, system: str | None) -> None:
    assert find_mentions(normalize_text(sentence))[0].system == system


@pytest.mark.parametrize(
    ("sentence", "system"),
    [
        # a dash inside a sector name stays in the owner
        (
            "Cụm thi đua số 1 thuộc Tổng công ty Dầu khí - Thương mại Miền Nam tổng kết.",
            "Tổng công ty Dầu khí - Thương mại Miền Nam",
        ),
        (
            "Khối thi đua số 2 thuộc Sở Tài nguyên - Môi trường tỉnh Hòa Bình họp.",
            "Sở Tài nguyên - Môi trường tỉnh Hòa Bình",
        ),
        # a dash before a title is not inside the name
        ("Cụm thi đua số 3 thuộc Sở Công Thương - Cụm trưởng năm nay họp.", "Sở Công Thương"),
    ],
)
def test_owner_with_a_dash_inside_a_sector_name(sentence: str, system: str | None) -> None:
    assert find_mentions(normalize_text(sentence))[0].system == system


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # in an all-caps line the verb still ends the label and a count is not reached
        (
            "KHỐI THI ĐUA CÁC HỘI ĐẶC THÙ SƠ KẾT 6 THÁNG ĐẦU NĂM",
            ("khối", None, "KHỐI THI ĐUA CÁC HỘI ĐẶC THÙ"),
        ),
        # Roman numerals keep their value
        ("CỤM THI ĐUA SỐ IV KÝ KẾT GIAO ƯỚC THI ĐUA", ("cụm", 4, "CỤM THI ĐUA SỐ IV")),
        ("KHỐI THI ĐUA SỐ 03 TỔNG KẾT NĂM 2024", ("khối", 3, "KHỐI THI ĐUA SỐ 03")),
    ],
)
def test_all_caps_lines(line: str, expected: tuple[str, int | None, str]) -> None:
    found = [(m.kind, m.number, m.label) for m in find_mentions(normalize_text(line)) if m.named]
    assert found == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "và" between two labels ends the first; the owner written once after the second owns both
        (
            "Sáng 5/1, Khối thi đua các hợp tác xã và Khối thi đua các ngân hàng thuộc UBND tỉnh Hà Nam họp.",
            [
                ("Khối thi đua các hợp tác xã", "UBND tỉnh Hà Nam"),
                ("Khối thi đua các ngân hàng", "UBND tỉnh Hà Nam"),
            ],
        ),
        (
            "Khối thi đua các trường đại học, Khối thi đua các bệnh viện thuộc Bộ Y tế tổ chức hội nghị.",
            [("Khối thi đua các trường đại học", "Bộ Y tế"), ("Khối thi đua các bệnh viện", "Bộ Y tế")],
        ),
        # a label with its own owner keeps it
        (
            "Cụm thi đua số 2 tỉnh Hà Nam và Cụm thi đua số 5 tỉnh Nam Định giao lưu.",
            [("Cụm thi đua số 2", "tỉnh Hà Nam"), ("Cụm thi đua số 5", "tỉnh Nam Định")],
        ),
    ],
)
def test_labels_joined_by_va_share_the_owner(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    found = [(m.label, m.system) for m in find_mentions(normalize_text(sentence)) if m.named]
    assert found == expected


@pytest.mark.parametrize(
    ("sentence", "labels"),
    [
        ("Sáng 3/3, các đơn vị tổ chức hội nghị tổng kết công tác năm 2025.", []),
        ("", []),
        ("Hội nghị của CỤM THI ĐUA SỐ 4 diễn ra tại Hà Tĩnh", ["CỤM THI ĐUA SỐ 4"]),
        ("KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TỈNH TỔNG KẾT NĂM 2025", ["KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TỈNH"]),
        ("Các đơn vị trong cụm số 2 đã ký kết giao ước", ["Cụm số 2"]),
    ],
)
def test_a_sentence_naming_no_kind_has_no_mention_and_any_case_of_one_is_read(
    sentence: str, labels: list[str]
) -> None:
    assert [m.label for m in find_mentions(sentence)] == labels
