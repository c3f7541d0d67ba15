"""extract.noise: banners, bylines, credits, captions and page widgets are not article text."""

from __future__ import annotations

import pytest

from extract.noise import (
    BANNER,
    BYLINE,
    CAPTION,
    CREDIT,
    TEXT,
    TITLE,
    classify_lines,
    is_caption,
    is_credit,
    join_broken_lines,
)

BODY = (
    "Sáng 12/3, Cụm thi đua số 4 tỉnh Quảng Bình tổ chức hội nghị ký kết giao ước thi đua năm 2025 "
    "tại huyện Lệ Thủy."
)


def kinds(text: str) -> dict[str, str]:
    return {line.text: line.kind for line in classify_lines(text)}


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Thứ Năm, ngày 28 tháng 3 năm 2024", BANNER),  # the site's "today" banner
        ("30/03/2023 - 20:30", BANNER),
        ("Thứ bảy, 06/04/2024 07:20", BANNER),
        ("15:24 - 26/01/2024", BANNER),
        ("08:04, 15/04/2021", BANNER),
        ("Ngày đăng: 30.03.2022", BANNER),
        ("06/03/2026 16:20 GMT+7", BANNER),
        ("NGỌC ANH", BYLINE),
        ("Hoàng Vũ", BYLINE),
        ("Tin, ảnh: MINH KHÔI", CREDIT),
        ("Theo: Hải Yến", CREDIT),
        ("Thu Trang - Hội Nông dân huyện", CREDIT),
        ("T.L", CREDIT),
        ("(PV)", CREDIT),
        ("(Thanhuytphcm.vn)", CREDIT),
        ("Ảnh: Văn Long - Báo Quảng Bình", CREDIT),
        ("Nguồn: Bản tin Thời sự Đài PT-TH Quảng Bình", CREDIT),
        ("Các đại biểu ký kết giao ước thi đua năm 2025 - Ảnh 1.", CAPTION),
        ("Lãnh đạo các huyện trong cụm chụp ảnh lưu niệm (Ảnh: Minh Hà)", CAPTION),
    ],
)
def test_line_kinds(line: str, kind: str) -> None:
    assert kinds(f"Cụm thi đua số 4 ký kết giao ước thi đua năm 2025\n\n{line}\n\n{BODY}")[line] == kind


@pytest.mark.parametrize(
    "widget",
    [
        "Skip to main content",
        "refresh",
        "Tổng lượt bình luận",
        "Lượt xem: 1.254",
        "Gửi bình luận",
        "Thông báo",
        "Trang chủ | Thời sự | Chính trị | Kinh tế | Xã hội",  # navigation menu
        "Tin tức » Hoạt động Mặt trận",  # breadcrumb
    ],
)
def test_single_widgets_are_dropped(widget: str) -> None:
    assert widget not in kinds(f"Tiêu đề bài viết về cụm thi đua số 4\n\n{widget}\n\n{BODY}")


@pytest.mark.parametrize("marker", ["Ý kiến bạn đọc", "Tin khác", "Tin xem nhiều", "Tin liên quan"])
def test_everything_after_a_tail_widget_is_dropped(marker: str) -> None:
    other = "Cụm thi đua số 9 tổng kết công tác năm 2024"
    found = kinds(f"Tiêu đề bài viết\n\n{BODY}\n\n{marker}\n\n{other}")
    assert BODY in found and other not in found


def test_first_real_line_is_the_title_and_duplicates_are_dropped() -> None:
    lines = classify_lines(f"Cụm thi đua số 4 ký kết giao ước\n\n{BODY}\n\n{BODY}")
    assert [line.kind for line in lines] == [TITLE, TEXT]


def test_page_error_line_is_not_the_title() -> None:
    text = 'Warning: Undefined array key "thumb" in /var/www/view.php on line 214\n\nCụm thi đua số 4 ký kết'
    assert [line.kind for line in classify_lines(text)] == [TITLE]


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        (
            "Dự hội nghị có bà Trần Thị\nMỹ Dung, Phó Chủ tịch",
            "Dự hội nghị có bà Trần Thị Mỹ Dung, Phó Chủ tịch",
        ),
        (
            "Cụm thi đua số 4 gồm các huyện Lệ Thủy\nvà Quảng Ninh.",
            "Cụm thi đua số 4 gồm các huyện Lệ Thủy và Quảng Ninh.",
        ),
        ("Tiêu đề\n15:24 - 26/01/2024", "Tiêu đề\n15:24 - 26/01/2024"),  # a stamp is not a continuation
    ],
)
def test_line_breaks_inside_sentences(raw: str, joined: str) -> None:
    assert join_broken_lines(raw) == joined


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Ảnh: Thanh Hà", True), ("Theo: Hải Yến", True), ("Ngày 3/3, Cụm thi đua họp.", False)],
)
def test_is_credit(line: str, expected: bool) -> None:
    assert is_credit(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Đại biểu ký giao ước - Ảnh 2.", True),
        ("Quang cảnh hội nghị (ảnh minh họa)", True),
        ("Lãnh đạo các đơn vị trong Cụm thi đua số 4 ký kết giao ước. Ảnh: Minh Châu.", True),
        ("ĐẠI BIỂU KÝ GIAO ƯỚC - ẢNH 2.", True),
        ("Ảnh tư liệu về hội nghị của Cụm thi đua số 4", True),
        ("Quang cảnh hội nghị. ẢnhMinhHọa", True),
        ("Quang cảnh hội nghị (ẢNH: VĂN HÀ)", True),
        ("Quang cảnh hội nghị - Anh 2.", False),  # not the photo word
        (BODY, False),
    ],
)
def test_is_caption(line: str, expected: bool) -> None:
    assert is_caption(line) is expected


def test_the_caption_hint_letters_have_no_other_case_insensitive_match() -> None:
    # is_caption skips a line whose lower-cased text lacks a hint; the patterns match IGNORECASE,
    # which is the same only while no hint letter has a special fold (i/İ/ı, s/ſ, k/K …).
    import re

    from extract.noise import _CAPTION_HINTS

    specials = "İıſKÅµẞϐϵϑϰϖϱϕ"
    for ch in "".join(_CAPTION_HINTS):
        assert not any(re.fullmatch(re.escape(ch), s, re.IGNORECASE) for s in specials), ch


@pytest.mark.parametrize(
    ("line", "menu"),
    [
        ("Trang chủ | Thời sự | Chính trị", True),
        ("Tin tức » Địa phương", True),
        ("Thời sự / Chính trị / Xã hội", True),
        ("Ngày 12/1/2026 tại hội trường xã", False),
        ("Cụm thi đua số 4 tổ chức hội nghị tổng kết", False),
    ],
)
def test_menus_are_dropped(line: str, menu: bool) -> None:
    kept = [x.text for x in classify_lines(f"Cụm thi đua số 4 họp tổng kết năm 2025\n{line}\n{BODY}")]
    assert (line not in kept) is menu


@pytest.mark.parametrize(
    ("first_line", "kind"),
    [
        ("Sáng 14/4, tại hội trường Sở Tư pháp, Cụm thi đua số 2 tổ chức hội nghị sơ kết.", TEXT),  # the lead
        ("Chiều ngày 5/4/2024, Khối thi đua các sở ngành tổ chức hội nghị ký kết giao ước.", TEXT),
        ("Ngày 27/6, Cụm thi đua số 4 tổ chức hội nghị tổng kết công tác thi đua.", TEXT),
        ("Cụm thi đua số 2 tổ chức hội nghị sơ kết công tác thi đua 6 tháng", TITLE),  # a headline
        # a paragraph of several sentences opening the text (document references, then the lead)
        (
            "Căn cứ Quyết định số 3/QĐ-BTP ngày 02/01/2024 của Bộ Tư pháp về việc thành lập các Cụm thi đua"
            " Sở Tư pháp các tỉnh, thành phố trực thuộc Trung ương. Sáng ngày 05/4/2024, tại Sở Tư pháp tỉnh"
            " Bình Thuận, Cụm thi đua số 6 đã tổ chức Hội nghị ký kết giao ước thi đua năm 2024.",
            TEXT,
        ),
    ],
)
def test_text_may_open_with_its_lead(first_line: str, kind: str) -> None:
    body = "Các đơn vị trong Cụm đã hoàn thành tốt các chỉ tiêu đề ra trong năm qua."
    lines = classify_lines(first_line + "\n\n" + body)
    assert lines[0].kind == kind


def test_a_headline_running_into_its_lead_is_split() -> None:
    line = "Cụm thi đua số 3 tổng kết năm 2025 Sáng 17/10, tại Hà Tĩnh, Cụm thi đua số 3 tổ chức hội nghị."
    lines = classify_lines(line)
    assert [(x.kind, x.text) for x in lines] == [
        (TITLE, "Cụm thi đua số 3 tổng kết năm 2025"),
        (TEXT, "Sáng 17/10, tại Hà Tĩnh, Cụm thi đua số 3 tổ chức hội nghị."),
    ]
