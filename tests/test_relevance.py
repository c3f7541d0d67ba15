"""extract.relevance: meetings that happened versus the hard negatives (corpus-notes "What counts
as a report")."""

from __future__ import annotations

import pytest

from extract.relevance import is_award_mention, is_document_page, is_future, is_meeting_sentence, is_qa_page


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Ngày 3/3, Cụm thi đua số 7 tổ chức hội nghị ký kết giao ước thi đua năm 2024.", True),
        ("Hôm nay, Khối thi đua các cơ quan Đảng tỉnh tổng kết công tác năm 2024.", True),
        ("Đoàn công tác Cụm thi đua các tỉnh Tây Nguyên kiểm tra chéo tại Kon Tum.", True),
        ("GIAO BAN CÔNG TÁC TUYÊN GIÁO CỤM THI ĐUA SỐ 5", True),  # a briefing is a meeting
        ("Ngày 3/12, các thành viên trong Cụm thi đua các hội đặc thù đã bầu Cụm trưởng năm 2026.", True),
        # the plan is what the meeting rolled out, not a future meeting
        (
            "Chiều 6/3, Khối thi đua các sở ký kết và triển khai kế hoạch tổ chức phong trào thi đua.",
            True,
        ),
        ("Khối thi đua có kế hoạch tổ chức hội nghị tổng kết vào tháng 12.", False),
        # a dated report that also deals with a decision is still a report
        (
            "Sáng ngày 10/6/2024, Khối thi đua số 3 tổng kết năm học và triển khai Quyết định số 12/QĐ-SGD.",
            True,
        ),
        # a rule, not a report
        ("Hằng năm, các cụm thi đua tổ chức ký kết giao ước thi đua theo quy định.", False),
        # the decision that sets clusters up reports no meeting
        ("Quyết định thành lập 6 cụm thi đua gồm các huyện, thị xã, thành phố.", False),
        # announced future meeting: declined on purpose, no event until it is reported as held
        ("Cụm thi đua số 5 sẽ tổ chức hội nghị ký kết vào ngày 20-3.", False),
        ("Khối thi đua dự kiến tổ chức tổng kết vào ngày 15/12.", False),
        # clusters only grouping other congresses
        ("Đại hội Hội Nông dân các xã trong Cụm thi đua số 2 được tổ chức xong trước tháng 6.", False),
    ],
)
def test_is_meeting_sentence(sentence: str, expected: bool) -> None:
    assert is_meeting_sentence(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Xã Tân Lập nhận Cờ dẫn đầu cụm thi đua năm 2023.", True),
        ("Đơn vị được tặng Cờ thi đua xuất sắc Cụm thi đua số 4.", True),
        ("Ngày 2/3, Cụm thi đua số 4 ký kết giao ước.", False),
    ],
)
def test_award_mentions(sentence: str, expected: bool) -> None:
    start = sentence.lower().index("cụm thi đua")
    assert is_award_mention(sentence, start) is expected


def test_future_versus_done() -> None:
    assert is_future("Cụm sẽ tổ chức hội nghị ký kết vào tuần tới.")
    assert not is_future("Cụm đã tổ chức hội nghị; thời gian tới sẽ tổ chức giao lưu.")


def test_official_document_page() -> None:
    page = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBÁO CÁO\nCụm thi đua số 3 đã ký."
    assert is_document_page(page)
    assert not is_document_page("Sáng 3/3, Cụm thi đua số 3 tổ chức hội nghị ký kết giao ước thi đua.")


def test_legal_qa_page() -> None:
    assert is_qa_page("Hỏi: Cụm thi đua gồm những đơn vị nào?\nTrả lời: Theo Luật Thi đua, khen thưởng …")
    assert not is_qa_page("Ngày 3/3, Cụm thi đua số 3 ký kết giao ước.")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a tournament, festival or camp the cluster itself holds is a cluster activity ("other")
        ("Sáng 2/4, Cụm thi đua số 3 tổ chức Giải cầu lông công nhân viên chức lần thứ II.", True),
        ("Khối thi đua các trường THPT tổ chức Ngày hội văn hóa dân gian.", True),
        ("Cụm thi đua miền núi tổ chức Liên hoan văn nghệ quần chúng tại huyện Mường Lát.", True),
        # still nothing when it is only announced
        ("Cụm thi đua số 3 sẽ tổ chức Giải bóng đá vào tháng 5.", False),
        # winning a prize is not holding a tournament
        ("Đội bóng của huyện đoạt giải Nhất.", False),
    ],
)
def test_events_the_cluster_holds(sentence: str, expected: bool) -> None:
    assert is_meeting_sentence(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a habit or a duty names meetings in general, not one that happened
        ("Ông từng chủ trì nhiều hội nghị ký kết giao ước thi đua của Cụm thi đua số 4.", False),
        ("Chuyên viên tổng hợp kết quả các hội nghị sơ kết, tổng kết của Khối thi đua số 2.", False),
        ("Bà nhiều lần dự những buổi lễ ký kết của Cụm thi đua các huyện miền núi.", False),
        # one dated meeting is still reported, even beside such words
        ("Sáng 6/3, Cụm thi đua số 4 tổ chức hội nghị ký kết, như các hội nghị trước.", True),
        ("Cụm thi đua số 4 đã tổ chức hội nghị sơ kết 6 tháng đầu năm.", True),
    ],
)
def test_habits_and_duties_are_not_meetings(sentence: str, expected: bool) -> None:
    assert is_meeting_sentence(sentence) is expected
