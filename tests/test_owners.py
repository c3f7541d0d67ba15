"""The system in its fixed order: an owner cue in the text, the members' or venue's province, the site."""

from __future__ import annotations

import pytest

from extract import extract_events
from extract.gazetteer import province_of
from extract.owners import owner_in_text


@pytest.mark.parametrize(
    ("sentence", "owner"),
    [
        ("Cụm gồm các sở, ngành đóng trên địa bàn tỉnh Hòa Bình.", "tỉnh Hòa Bình"),
        ("Sở Tài chính tỉnh A được Bộ Tài chính phân công làm Cụm trưởng.", "Bộ Tài chính"),
        (
            "Đơn vị do Bộ Văn hóa, Thể thao và Du lịch phân công làm Khối trưởng.",
            "Bộ Văn hóa, Thể thao và Du lịch",
        ),
        (
            "Thực hiện Quyết định số 5/QĐ-BTP của Bộ Tư pháp về việc thành lập các Cụm thi đua.",
            "Bộ Tư pháp",
        ),
        (
            "Quyết định số 9/QĐ-SNV của Sở Nội vụ về việc phê duyệt Trưởng cụm, Phó trưởng cụm"
            " các cụm thi đua.",
            "Sở Nội vụ",
        ),
        (
            "Hội nghị tổng kết của Cụm thi đua khối Văn hóa, Xã hội năm 2023 của Ủy ban Trung ương MTTQ"
            " Việt Nam do ông Lê Văn An chủ trì.",
            "Ủy ban Trung ương MTTQ Việt Nam",
        ),
        ("Cụm thi đua số 2 họp tại hội trường của đơn vị.", None),  # no cue
    ],
)
def test_owner_in_text(sentence: str, owner: str | None) -> None:
    assert owner_in_text([sentence]) == owner


@pytest.mark.parametrize(
    ("units", "venue", "province"),
    [
        (["Đức Trọng", "Di Linh"], None, "tỉnh Lâm Đồng"),  # bare districts of one province
        (["Công an TP Vinh", "Công an huyện Yên Thành"], None, "tỉnh Nghệ An"),  # "TP" spelled short
        (["UBND thành phố Đà Nẵng"], None, "thành phố Đà Nẵng"),  # a city is written as one
        (["Đồng Nai", "Bình Dương"], None, None),  # a cluster of provinces has no one province
        ([], "huyện Đức Trọng", "tỉnh Lâm Đồng"),  # no member names a place: the venue
        (["Sở Tư pháp"], None, None),  # nothing names a place
        (["Công đoàn ngành Y tế", "Công ty Cấp nước Phú Yên"], None, "tỉnh Phú Yên"),  # named after it
        (["Báo Sơn La", "Báo Điện Biên"], None, None),
    ],
)
def test_province_of(units: list[str], venue: str | None, province: str | None) -> None:
    assert province_of(units, venue) == province


_MEETING = "Sáng 10/1, Cụm thi đua số 3 tổ chức hội nghị tổng kết công tác thi đua năm 2024."


@pytest.mark.parametrize(
    ("text", "source", "site_system", "system"),
    [
        # a cue in the text beats the site
        (
            _MEETING + " Cụm gồm các sở đóng trên địa bàn tỉnh Hòa Bình.",
            "https://baolamdong.vn/a",
            "Bộ Tư pháp",
            "tỉnh Hòa Bình",
        ),
        # the members' one province beats the site
        (
            _MEETING + " Cụm gồm: huyện Đức Trọng, huyện Di Linh.",
            "https://cand.com.vn/a",
            "Bộ Công an",
            "tỉnh Lâm Đồng",
        ),
        # nothing in the text: the site, its own sites.toml system before the host table
        (_MEETING, "https://conganquangbinh.gov.vn/a", None, "Công an tỉnh Quảng Bình"),
        (_MEETING, "https://conganquangbinh.gov.vn/a", "Bộ Công an", "Bộ Công an"),
        (_MEETING, None, "Bộ Tư pháp", "Bộ Tư pháp"),
        # the site before the venue's province (docs/extraction.md: national clusters meet in turn)
        (_MEETING[:-1] + " tại huyện Đức Trọng.", None, "Bộ Tư pháp", "Bộ Tư pháp"),
        (_MEETING[:-1] + " tại huyện Đức Trọng.", None, None, "tỉnh Lâm Đồng"),
        (_MEETING, None, None, None),
        # the body that convened the meeting, unless it is a member hosting its turn
        (
            "Ngày 9/12, Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam tổ chức hội nghị tổng kết Cụm thi đua"
            " các tỉnh Tây Bắc năm 2024.",
            "https://baolamdong.vn/a",
            None,
            "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam",
        ),
        (
            "Ngày 9/12, Sở Tư pháp tỉnh Lào Cai tổ chức hội nghị tổng kết Cụm thi đua số 2 năm 2024."
            " Cụm gồm: Sở Tư pháp tỉnh Lào Cai, Sở Tư pháp tỉnh Yên Bái.",
            None,
            "Bộ Tư pháp",
            "Bộ Tư pháp",
        ),
        # a site whose body is a member (here the Cụm trưởng) reports on a cluster it does not own
        (
            _MEETING + " Ông Lê Văn An - Chủ tịch Hội Nhà văn Việt Nam - đơn vị Cụm trưởng, chủ trì.",
            None,
            "Hội Nhà văn Việt Nam",
            None,
        ),
        (_MEETING + " Cụm gồm: Cục A Bộ Công an (đơn vị Cụm trưởng).", None, "Bộ Công an", "Bộ Công an"),
        # a cluster of provinces on a provincial association's site: the site's national system
        (
            "Ngày 27/6, Cụm thi đua các tỉnh miền Tây Nam Bộ (Cụm số 5) tổ chức sơ kết 6 tháng đầu năm 2024.",
            None,
            "Hội Luật gia tỉnh Cà Mau",
            "Hội Luật gia Việt Nam",
        ),
        (_MEETING, None, "Hội Luật gia tỉnh Cà Mau", "Hội Luật gia tỉnh Cà Mau"),
    ],
)
def test_system_order(text: str, source: str | None, site_system: str | None, system: str | None) -> None:
    (event,) = extract_events(text, source=source, site_system=site_system)
    assert event.system == system
