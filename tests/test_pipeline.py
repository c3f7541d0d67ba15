"""extract.pipeline: whole articles in, events out (every corpus-notes section at article level)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from extract import Member, Official, extract_events

SIGNING = """Cụm thi đua số 2 tỉnh Thanh Hóa ký kết giao ước thi đua năm 2025

Sáng 20/2, tại Hội trường UBND huyện Hậu Lộc, Cụm thi đua số 2 tỉnh Thanh Hóa tổ chức hội nghị ký kết \
giao ước thi đua năm 2025.

Cụm thi đua số 2 gồm các huyện: Hậu Lộc, Hoằng Hóa và Nga Sơn. Năm 2025, Cụm trưởng là huyện Hậu Lộc; \
huyện Nga Sơn giữ vai trò Cụm phó.

Dự hội nghị có Phó Trưởng Ban Thi đua - Khen thưởng tỉnh Lê Thị Thu Hà; ông Trần Văn Bình, Bí thư Huyện ủy \
Hậu Lộc.

Hội nghị thống nhất bầu huyện Hoằng Hóa là đơn vị Cụm trưởng năm 2026.

MINH KHÔI"""


def test_a_full_report() -> None:
    (event,) = extract_events(SIGNING, dt.date(2025, 2, 21))
    assert event.activities == ("signing",)
    assert (event.unit_kind, event.cluster_number, event.cluster_label) == ("cụm", 2, "Cụm thi đua số 2")
    assert event.system == "tỉnh Thanh Hóa"
    assert (event.event_date, event.date_text, event.covenant_year) == (
        dt.date(2025, 2, 20),
        "Sáng 20/2",
        2025,
    )
    assert event.location == "Hội trường UBND huyện Hậu Lộc"
    # next year's leader (bầu … Cụm trưởng năm 2026) is declined: Hoằng Hóa keeps no role
    assert event.members == (
        Member("Huyện Hậu Lộc", "cụm trưởng"),
        Member("Huyện Hoằng Hóa"),
        Member("Huyện Nga Sơn", "cụm phó"),
    )
    assert event.officials == (
        Official("Lê Thị Thu Hà", "Phó Trưởng Ban Thi đua - Khen thưởng tỉnh"),
        Official("Trần Văn Bình", "Bí thư Huyện ủy Hậu Lộc"),
    )  # the byline MINH KHÔI is not an official


def test_nfd_input_gives_identical_events() -> None:
    nfd = unicodedata.normalize("NFD", SIGNING)
    assert extract_events(nfd, dt.date(2025, 2, 21)) == extract_events(SIGNING, dt.date(2025, 2, 21))


def test_old_tone_placement_gives_identical_events() -> None:
    old = SIGNING.replace("Thanh Hóa", "Thanh Hoá").replace("Ủy", "Uỷ")
    assert extract_events(old, None) == extract_events(SIGNING, None)


@pytest.mark.parametrize(
    ("published", "expected"),
    [(dt.date(2025, 2, 21), dt.date(2025, 2, 20)), (None, dt.date(2025, 2, 20))],  # covenant year decides
)
def test_year_from_covenant(published: dt.date | None, expected: dt.date) -> None:
    assert extract_events(SIGNING, published)[0].event_date == expected


REVIEW_JANUARY = """Khối thi đua các cơ quan Đảng tỉnh tổng kết năm 2024

Sáng 9/1, Khối thi đua các cơ quan Đảng tỉnh Quảng Bình tổ chức hội nghị tổng kết công tác thi đua \
năm 2024."""


def test_review_in_january_belongs_to_the_next_year() -> None:
    (event,) = extract_events(REVIEW_JANUARY, None)
    assert (event.event_date, event.covenant_year, event.activities) == (
        dt.date(2025, 1, 9),
        2024,
        ("review",),
    )
    assert event.cluster_label == "Khối thi đua các cơ quan Đảng tỉnh" and event.cluster_number is None


NO_YEAR = """Cụm thi đua số 6 giao lưu thể thao

Chiều 9/4, Cụm thi đua số 6 Hội Cựu chiến binh tỉnh tổ chức giao lưu thể thao giữa các huyện."""


@pytest.mark.parametrize(
    ("published", "expected"),
    [(dt.date(2023, 4, 10), dt.date(2023, 4, 9)), (dt.date(2023, 4, 5), dt.date(2022, 4, 9)), (None, None)],
)
def test_year_from_publication(published: dt.date | None, expected: dt.date | None) -> None:
    (event,) = extract_events(NO_YEAR, published)
    assert (event.event_date, event.date_text, event.activities) == (expected, "Chiều 9/4", ("other",))


def test_vague_date_and_headline_year_disagreement() -> None:
    text = """Cụm thi đua số 3 tổng kết năm 2022

Mới đây, Cụm thi đua số 3 vừa tổ chức hội nghị tổng kết công tác thi đua năm 2023."""
    (event,) = extract_events(text, dt.date(2024, 1, 20))
    assert (event.event_date, event.date_text, event.covenant_year) == (None, None, 2023)  # body wins


TWO_MEETINGS = """Hai khối thi đua của tỉnh Quảng Bình ký kết giao ước năm 2025

Sáng 4/3, Khối thi đua các cơ quan Đảng tỉnh tổ chức hội nghị ký kết giao ước thi đua năm 2025. Khối gồm: \
Ban Tổ chức Tỉnh ủy (Khối trưởng), Ban Dân vận Tỉnh ủy. Dự có bà Phan Thị Lan, Chánh Văn phòng Tỉnh ủy.

Chiều 5/3, Khối thi đua Nội chính tỉnh tổ chức ký kết giao ước thi đua năm 2025. Dự có ông Hoàng Văn Long, \
Phó Chánh án TAND tỉnh."""


def test_two_separate_meetings() -> None:
    first, second = extract_events(TWO_MEETINGS, dt.date(2025, 3, 6))
    assert (first.cluster_label, first.event_date) == (
        "Khối thi đua các cơ quan Đảng tỉnh",
        dt.date(2025, 3, 4),
    )
    assert first.members == (Member("Ban Tổ chức Tỉnh ủy", "khối trưởng"), Member("Ban Dân vận Tỉnh ủy"))
    assert first.officials == (Official("Phan Thị Lan", "Chánh Văn phòng Tỉnh ủy"),)
    assert (second.cluster_label, second.event_date, second.members) == (
        "Khối thi đua Nội chính tỉnh",
        dt.date(2025, 3, 5),
        (),
    )
    assert second.officials == (Official("Hoàng Văn Long", "Phó Chánh án TAND tỉnh"),)


def test_one_meeting_of_two_clusters_shares_date_and_officials() -> None:
    text = """Cụm thi đua số 1 và số 2 Hội Nông dân tỉnh An Giang tổng kết năm 2024

Chiều 10/1, tại Hội trường Hội Nông dân tỉnh, cụm số 1 và số 2 tổ chức hội nghị tổng kết công tác thi \
đua năm 2024. Cụm thi đua số 1 gồm Hội Nông dân các huyện: Châu Phú, Tịnh Biên. Cụm thi đua số 2 gồm \
Hội Nông dân các \
huyện: Chợ Mới, Phú Tân.

Dự hội nghị có ông Võ Văn Tài, Phó Chủ tịch Hội Nông dân tỉnh."""
    one, two = extract_events(text, dt.date(2025, 1, 11))
    assert (one.cluster_number, two.cluster_number) == (1, 2)
    assert one.event_date == two.event_date == dt.date(2025, 1, 10)
    assert one.officials == two.officials == (Official("Võ Văn Tài", "Phó Chủ tịch Hội Nông dân tỉnh"),)
    assert [m.name for m in one.members] == ["Hội Nông dân huyện Châu Phú", "Hội Nông dân huyện Tịnh Biên"]
    assert [m.name for m in two.members] == ["Hội Nông dân huyện Chợ Mới", "Hội Nông dân huyện Phú Tân"]


def test_a_contest_held_by_the_cluster_is_another_activity() -> None:
    text = """Hội thi tuyên truyền viên giỏi Cụm thi đua số 4

Sáng 22/8, tại Trung tâm Chính trị huyện Mộ Đức, Cụm thi đua số 4 tỉnh Quảng Ngãi tổ chức Hội thi tuyên \
truyền viên giỏi năm 2023."""
    (event,) = extract_events(text, dt.date(2023, 8, 23))
    # "năm 2023" is the contest's year, not an emulation year: covenant_year stays None
    assert (event.activities, event.event_date) == (("other",), dt.date(2023, 8, 22))
    assert event.covenant_year is None
    assert event.location == "Trung tâm Chính trị huyện Mộ Đức"


def test_role_on_a_person_adds_the_member_when_there_is_no_list() -> None:
    text = """Cụm thi đua số 4 sơ kết 6 tháng đầu năm 2024

Sáng 12/7, Cụm thi đua số 4 tỉnh Nghệ An tổ chức hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2024. Ông \
Trần Văn Hùng, Chủ tịch UBND huyện Quỳnh Lưu, Cụm trưởng Cụm thi đua số 4 chủ trì hội nghị."""
    (event,) = extract_events(text, dt.date(2024, 7, 13))
    assert event.members == (Member("Huyện Quỳnh Lưu", "cụm trưởng"),)
    assert event.officials == (
        Official("Trần Văn Hùng", "Chủ tịch UBND huyện Quỳnh Lưu, Cụm trưởng Cụm thi đua số 4"),
    )


@pytest.mark.parametrize(
    "text",
    [
        # a unit's internal covenant
        "Hội Cựu chiến binh xã ký giao ước thi đua\n\nSáng 3/3, 9 chi hội cựu chiến binh xã Tân Hòa "
        "ký giao ước thi "
        "đua năm 2024 tại hội trường xã.",
        # signing a plan
        "Ký kế hoạch phối hợp\n\nSáng 5/4, Hội LHPN tỉnh và Công an tỉnh ký kế hoạch phối hợp; hai "
        "đơn vị là thành "
        "viên Cụm thi đua số 3 của tỉnh.",
        # an award only
        "Xã An Phú tổng kết năm 2023\n\nNgày 28/12, xã An Phú tổng kết công tác năm 2023 và đón nhận "
        "Cờ dẫn đầu cụm "
        "thi đua của huyện.",
        # a decision that sets up clusters and lists members
        "Thành lập các cụm thi đua năm 2025\n\nUBND tỉnh ban hành Quyết định thành lập 5 cụm thi "
        "đua; Cụm thi đua số "
        "1 gồm các huyện Đông Sơn, Triệu Sơn.",
        # an announced future meeting (declined until reported as held)
        "Cụm thi đua số 5 sẽ ký kết giao ước\n\nTheo kế hoạch, Cụm thi đua số 5 sẽ tổ chức hội nghị "
        "ký kết giao ước "
        "thi đua năm 2025 vào ngày 20-3.",
        # a cluster named only in a photo caption
        "Huyện Hậu Lộc khánh thành cầu mới\n\nSáng 2/9, huyện Hậu Lộc khánh thành cầu Đa "
        "Lộc.\n\nLãnh đạo Cụm thi "
        "đua số 2 ký kết giao ước thi đua năm 2023 (Ảnh: Minh Hà)",
        # industrial zone, contest heat
        "Cụm công nghiệp Hà Lam\n\nNgày 3/3, Cụm công nghiệp Hà Lam tổ chức hội nghị tổng kết năm 2024.",
        "Hội thi tuyên truyền viên\n\nSáng 9/5, các đội thi ở cụm thi số 2 tổ chức tổng kết vòng sơ khảo.",
        # a legal Q&A listing clusters
        "Hỏi: Cụm thi đua ký kết giao ước như thế nào?\n\nTrả lời: Hằng năm, các cụm thi đua tổ chức "
        "ký kết giao "
        "ước thi đua theo quy định.",
        # a tag page
        "Tag: cụm thi đua\n\nCụm thi đua số 2 tổng kết năm 2023\n15:20 - 12/01/2024\n\nKhối thi đua "
        "Nội chính ký "
        "kết năm 2024\n09:10 - 08/03/2024",
        # clusters used only to group congresses
        "Đại hội Hội Nông dân cấp xã\n\nĐại hội Hội Nông dân các xã trong Cụm thi đua số 2 được tổ chức xong "
        "trước tháng 6.",
    ],
)
def test_hard_negatives(text: str) -> None:
    assert extract_events(text, dt.date(2024, 6, 1)) == []


def test_menus_emoji_and_duplicated_title_do_not_disturb() -> None:
    noisy = "Trang chủ | Tin tức | Chính trị | Xã hội\n\n🔴 " + SIGNING.replace("\n\n", "\n\n👉 ", 1)
    title = SIGNING.split("\n")[0]
    noisy = noisy.replace("MINH KHÔI", f"{title}\n\nMINH KHÔI")
    assert extract_events(noisy, dt.date(2025, 2, 21)) == extract_events(SIGNING, dt.date(2025, 2, 21))


def test_typo_and_old_letters_still_found() -> None:
    text = (
        "Cụm khi đua số 5 ký kết\n\n"
        "Sáng 5/3, Cụm khi đua số 5 Ðảng ủy Khối tổ chức ký kết giao ước thi đua năm 2024."
    )
    (event,) = extract_events(text, None)
    assert (event.unit_kind, event.cluster_number, event.cluster_label) == ("cụm", 5, "Cụm khi đua số 5")


LINE_LIST = """Khối thi đua số 3 ký kết giao ước thi đua năm 2024

Sáng 5/3, Khối thi đua số 3 Sở Tư pháp các tỉnh miền núi tổ chức hội nghị ký kết giao ước thi đua năm 2024.

Khối thi đua số 3 gồm:

{bullet}Sở Tư pháp tỉnh Hà Giang - Khối trưởng

{bullet}Sở Tư pháp tỉnh Cao Bằng - Khối phó

{bullet}Sở Tư pháp tỉnh Bắc Kạn

Các đơn vị thống nhất nội dung giao ước."""


@pytest.mark.parametrize("bullet", ["", "- ", "• "])
def test_member_list_one_unit_per_line(bullet: str) -> None:
    (event,) = extract_events(LINE_LIST.format(bullet=bullet), dt.date(2024, 3, 6))
    assert event.members == (
        Member("Sở Tư pháp tỉnh Hà Giang", "khối trưởng"),
        Member("Sở Tư pháp tỉnh Cao Bằng", "khối phó"),
        Member("Sở Tư pháp tỉnh Bắc Kạn"),
    )


def test_a_line_list_stops_at_the_first_line_that_is_not_a_unit() -> None:
    text = LINE_LIST.format(bullet="").replace("Sở Tư pháp tỉnh Bắc Kạn", "Nhiều ý kiến tâm huyết được nêu")
    (event,) = extract_events(text, dt.date(2024, 3, 6))
    assert event.members == (
        Member("Sở Tư pháp tỉnh Hà Giang", "khối trưởng"),
        Member("Sở Tư pháp tỉnh Cao Bằng", "khối phó"),
    )


DIGEST = """Bản tin chiều 3/6/2024

Mời bạn đọc theo dõi các tin chính:

- Giá lúa tại Đồng bằng sông Cửu Long tăng nhẹ

- {headline}

- Nắng nóng kéo dài ở Bắc Bộ và Trung Bộ

- Khai mạc triển lãm ảnh về biển đảo quê hương"""


@pytest.mark.parametrize(
    "headline",
    [
        "Cụm thi đua số 2 Hội Nông dân tỉnh Trà Vinh sơ kết 6 tháng",
        "Khối thi đua các cơ quan Đảng tỉnh ký kết giao ước thi đua năm 2024",
    ],
)
def test_a_digest_of_headlines_is_not_a_report(headline: str) -> None:
    assert extract_events(DIGEST.format(headline=headline), dt.date(2024, 6, 3)) == []


def test_bullet_points_inside_a_report_still_count() -> None:
    text = """Cụm thi đua số 2 sơ kết 6 tháng

- Sáng 3/6, Cụm thi đua số 2 Hội Nông dân tỉnh Trà Vinh tổ chức hội nghị sơ kết 6 tháng đầu năm 2024.

- Các đơn vị trong cụm vận động 1.200 hội viên tham gia sản xuất giỏi.

- Hội nghị thống nhất phương hướng 6 tháng cuối năm."""
    (event,) = extract_events(text, dt.date(2024, 6, 3))
    assert event.cluster_number == 2


@pytest.mark.parametrize(
    ("sentence", "location"),
    [
        # a "tại" inside the reporter's name comes before the meeting date: the place follows the date
        (
            "Ngày 9/3, Chi nhánh tại Cần Thơ cho biết, sáng 8/3, tại Nhà khách Hòa Bình, Cụm thi đua số 6 "
            "đã tổ chức hội nghị ký kết giao ước thi đua năm 2024.",
            "Nhà khách Hòa Bình",
        ),
        # a place written before the date is still found when none follows it
        (
            "Tại Hội trường Sở Tư pháp, sáng 8/3, Cụm thi đua số 6 đã tổ chức hội nghị ký kết giao ước "
            "thi đua.",
            "Hội trường Sở Tư pháp",
        ),
    ],
)
def test_location_follows_the_meeting_date(sentence: str, location: str) -> None:
    events = extract_events("Cụm thi đua số 6 ký kết giao ước thi đua\n\n" + sentence, dt.date(2024, 3, 10))
    assert [e.location for e in events] == [location]


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # an all-caps headline runs the label into the owner and the verb: the body's label ends it
        (
            "KHỐI THI ĐUA CÁC HỘI ĐẶC THÙ TỈNH PHÚ THỌ SƠ KẾT 6 THÁNG",
            "KHỐI THI ĐUA CÁC HỘI ĐẶC THÙ",
        ),
        # a mixed-case headline keeps its own label
        (
            "Khối thi đua các hội đặc thù tỉnh Phú Thọ sơ kết 6 tháng",
            "Khối thi đua các hội đặc thù",
        ),
    ],
)
def test_an_all_caps_headline_label_ends_where_the_body_label_does(title: str, label: str) -> None:
    body = (
        "Sáng 10/7, Khối thi đua các hội đặc thù thuộc UBND tỉnh Phú Thọ tổ chức hội nghị sơ kết "
        "công tác thi đua 6 tháng đầu năm 2024."
    )
    events = extract_events(f"{title}\n\n{body}", dt.date(2024, 7, 11))
    assert [e.cluster_label for e in events] == [label]


_CLUSTER_MORNING = (
    "Cụm thi đua số 3 Hội Nông dân tỉnh tổng kết năm 2024\n\n"
    "Sáng 18/12, Cụm thi đua số 3 Hội Nông dân tỉnh Hà Nam tổ chức hội nghị tổng kết công tác thi đua "
    "năm 2024. Dự có ông Đỗ Văn Hùng, Phó Chủ tịch Hội Nông dân tỉnh Hà Nam.\n\n"
)


@pytest.mark.parametrize(
    ("after", "officials"),
    [
        # the body's own conference later that day: its participants are not the cluster's officials
        (
            "Chiều cùng ngày, tại Hội trường tỉnh, Hội Nông dân tỉnh Hà Nam tổ chức Hội nghị tổng kết công "
            "tác Hội năm 2024. Ông Vũ Minh Tâm, Phó Chủ tịch UBND tỉnh, dự và phát biểu.",
            ["Đỗ Văn Hùng"],
        ),
        # back to the cluster: people named after a sentence naming it again are its officials
        (
            "Chiều cùng ngày, Hội Nông dân tỉnh tổ chức Hội nghị tổng kết công tác Hội. Tại hội nghị của "
            "cụm, ông Lê Văn Khang, Chủ tịch Hội Nông dân huyện Kim Bảng, phát biểu.",
            ["Đỗ Văn Hùng", "Lê Văn Khang"],
        ),
        # the same meeting going on in the afternoon is not another meeting
        (
            "Chiều cùng ngày, các đại biểu thăm mô hình kinh tế của ông Trần Văn Bảy, Chủ tịch Hội Nông "
            "dân xã.",
            ["Đỗ Văn Hùng", "Trần Văn Bảy"],
        ),
    ],
)
def test_people_of_another_meeting_are_not_officials(after: str, officials: list[str]) -> None:
    events = extract_events(_CLUSTER_MORNING + after, dt.date(2024, 12, 19))
    assert [[o.name for o in e.officials] for e in events] == [officials]


@pytest.mark.parametrize(
    ("text", "skipped"),
    [
        ("Giá lúa hôm nay tăng nhẹ\n\nNông dân phấn khởi vì được mùa.", True),
        ("CỤM THI ĐUA SỐ 2 GIAO BAN\n\nSáng 5/3, cụm tổ chức hội nghị.", False),
        (unicodedata.normalize("NFD", "Khối thi đua số 3 tổng kết"), False),
    ],
)
def test_a_text_without_cum_or_khoi_is_skipped_before_any_work(
    text: str, skipped: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import extract.doc as doc
    import extract.pipeline as pipeline

    calls: list[str] = []
    real = doc.normalize_text
    monkeypatch.setattr(doc, "normalize_text", lambda t: calls.append(t) or real(t))
    pipeline.extract_events(text)
    assert (calls == []) is skipped


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        # "Cụm"/"Khối" alone after the first mention: its meeting sentence is the cluster's evidence
        (
            "Cụm thi đua các hội đặc thù tỉnh năm 2025\n\nSáng 12/12, tại hội nghị, các thành viên trong Cụm"
            " đã bình xét danh hiệu thi đua năm 2025.",
            ["Cụm thi đua các hội đặc thù tỉnh"],
        ),
        # an unnumbered label written inside another one names the same cluster
        (
            "Tổng kết Cụm thi đua Hội Nông dân các tỉnh Tây Nguyên năm 2024\n\nSáng 12/12, hội nghị tổng kết"
            " cụm thi đua các tỉnh Tây Nguyên năm 2024 diễn ra tại Pleiku.",
            ["Cụm thi đua Hội Nông dân các tỉnh Tây Nguyên"],
        ),
        # one unnumbered and one numbered label of the same kind: one cluster, numbered
        (
            "Hội nghị tổng kết Cụm thi đua khối Văn hóa, Xã hội năm 2024\n\nSáng 12/12, Cụm thi đua khối Văn"
            " hóa, Xã hội tổ chức hội nghị tổng kết. Ông Lê Văn An, Cụm trưởng Cụm thi đua số 7, phát biểu.",
            ["Cụm thi đua khối Văn hóa"],
        ),
        # a count before a region's provinces is no number: "6 tỉnh" and "các tỉnh" name one cluster
        (
            "Sáng 5/12, Cụm thi đua các tỉnh Nam Trung Bộ tổ chức hội nghị tổng kết năm 2024.\n\n"
            "Hội nghị tổng kết cụm thi đua 5 tỉnh Nam Trung Bộ diễn ra tại Phú Yên.",
            ["Cụm thi đua các tỉnh Nam Trung Bộ"],
        ),
        # a weak label alone gives no event: heats of a contest, counts
        ("Huyện vừa tổ chức hội thi. Có 6 đội (cụm thứ II) tham gia hội thi.", []),
        ("Tỉnh có 4 cụm và 9 khối thi đua; các cụm, khối đã ký kết giao ước.", []),
    ],
)
def test_one_cluster_per_article(text: str, labels: list[str]) -> None:
    assert [e.cluster_label for e in extract_events(text)] == labels


@pytest.mark.parametrize(
    ("text", "published", "covenant", "date"),
    [
        # a mid-year review whose year is said with the second half's tasks
        (
            "Khối thi đua các cơ quan Đảng vừa tổ chức hội nghị sơ kết công tác thi đua 6 tháng đầu năm và"
            " triển khai nhiệm vụ 6 tháng cuối năm 2023.",
            None,
            2023,
            None,
        ),
        # the year the review's voting serves, said in another meeting sentence of the article
        (
            "Sáng 2/11, Ủy ban MTTQ huyện tổ chức đánh giá thi đua tại cụm thi đua số 1 và số 2.\n\n"
            "Kết thúc hội nghị, các đơn vị trong mỗi cụm bỏ phiếu bình xét thi đua năm 2024 và bầu Cụm"
            " trưởng.",
            dt.date(2024, 11, 5),
            2024,
            dt.date(2024, 11, 2),
        ),
        # a period's review: no covenant year, but the period dates the meeting
        (
            "Sáng 25/4, Cụm thi đua số 3 tổ chức hội nghị tổng kết công tác thi đua giai đoạn 2020-2025.",
            None,
            None,
            dt.date(2025, 4, 25),
        ),
    ],
)
def test_years_said_beside_a_review(
    text: str, published: dt.date | None, covenant: int | None, date: dt.date | None
) -> None:
    event, *_ = extract_events(text, published)
    assert (event.covenant_year, event.event_date) == (covenant, date)


@pytest.mark.parametrize(
    "text",
    [
        # an article on rules: a cluster beside a generic word, nothing of a meeting
        "Quy định mới về cụm thi đua cấp chi cục\n\nViệc tổ chức, hoạt động và bình xét thi đua của cụm"
        " thi đua cấp chi cục được áp dụng như cụm thi đua cấp cục.",
        # the page of an official report, not news of a meeting
        "Báo cáo tổng kết năm 2024 Cụm thi đua các hội đặc thù\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập – Tự do – Hạnh phúc\n\nCụm thi đua các hội đặc thù đã ký giao ước thi đua năm 2024.",
    ],
)
def test_near_misses_give_no_event(text: str) -> None:
    assert extract_events(text) == []


def test_the_number_of_a_cluster_said_once_later() -> None:
    text = (
        "Sáng 12/12, Cụm thi đua khối Văn hóa, Xã hội tổ chức hội nghị tổng kết năm 2024."
        " Ông Lê Văn An, Cụm trưởng Cụm thi đua số 7, phát biểu."
    )
    (event,) = extract_events(text)
    assert (event.cluster_number, event.covenant_year) == (7, 2024)


def test_a_bracketed_member_list_before_the_cluster_word() -> None:
    text = (
        "Sáng 14/4, Cụm thi đua số 9 tổ chức hội nghị sơ kết năm 2025. Với 3 đơn vị thành viên (VKSND"
        " các tỉnh: Bạc Liêu, Cà Mau và Sóc Trăng), các Viện kiểm sát trong Cụm đã thi đua sôi nổi."
    )
    (event,) = extract_events(text)
    assert [m.name for m in event.members] == [
        "VKSND tỉnh Bạc Liêu",
        "VKSND tỉnh Cà Mau",
        "VKSND tỉnh Sóc Trăng",
    ]
