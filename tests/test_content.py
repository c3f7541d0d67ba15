"""The block-text walker and the generic main-content finder (scraper/content.py)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.blocks import Block, blocks, paragraphs, prune
from scraper.content import find_main

SENTENCES = [
    "Sáng 6/3, Cụm thi đua số 5 tổ chức hội nghị ký kết giao ước thi đua năm 2026 tại hội trường thành phố.",
    "Các đơn vị trong cụm thống nhất năm nội dung thi đua trọng tâm, gắn với nhiệm vụ chính trị "
    "của từng đơn vị.",
    "Hội nghị đã bầu Công đoàn ngành Dệt may làm cụm trưởng, Công đoàn khu chế xuất làm cụm phó năm 2026.",
    "Phát biểu chỉ đạo, bà Nguyễn Thị Thanh Vân đề nghị các đơn vị chăm lo tốt hơn đời sống của đoàn viên.",
]


def text_of(html: str) -> str:
    nodes = find_main(LexborHTMLParser(html))
    return "\n\n".join(p for node in nodes for p in paragraphs(node))


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<div><p>Cụm thi đua <b>số 3</b> họp.</p><p>Khối  thi\nđua.</p></div>",
            ["Cụm thi đua số 3 họp.", "Khối thi đua."],
        ),
        ("<div>Dòng một<br>vẫn đoạn một<br><br>Đoạn hai</div>", ["Dòng một vẫn đoạn một", "Đoạn hai"]),
        ("<div>Trước<div>Trong</div>Sau</div>", ["Trước", "Trong", "Sau"]),
        (
            "<div><p>Chữ<script>var a = 1;</script> thật</p><style>p{}</style><form>Gửi</form></div>",
            ["Chữ thật"],
        ),
        ("<ul><li>Một</li><li>Hai</li></ul>", ["Một", "Hai"]),
        ("<div><p>&nbsp;</p><p>\u200bCó\u00a0chữ</p></div>", ["Có chữ"]),
        ("<div><p>Cu\u0323m thi đua</p></div>", ["Cụm thi đua"]),  # NFD in, NFC out
    ],
)
def test_paragraphs(html: str, expected: list[str]) -> None:
    node = LexborHTMLParser(html).body
    assert node is not None
    assert paragraphs(node) == expected


def page(article: str) -> str:
    nav = "".join(f'<li><a href="/muc-{i}">Chuyên mục số {i} của báo điện tử</a></li>' for i in range(12))
    sidebar = "".join(
        f'<li><a href="/tin-{i}.html">Tin đọc nhiều thứ {i}: một tiêu đề khá dài, có dấu phẩy</a></li>'
        for i in range(8)
    )
    return f"""<html><body>
    <div id="header"><ul class="menu">{nav}</ul></div>
    {article}
    <div class="sidebar"><h3>Đọc nhiều</h3><ul>{sidebar}</ul></div>
    <div class="comment-box"><p>Chưa có bình luận nào, hãy là người đầu tiên bình luận.</p></div>
    <div id="footer"><p>Giấy phép số 115/GP-BTTTT, địa chỉ: 127 Võ Văn Tần, TP.HCM.</p></div>
    </body></html>"""


def test_finds_the_article_among_navigation_sidebar_and_comments() -> None:
    article = '<div class="noi-dung">' + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</div>"
    assert text_of(page(article)).split("\n\n") == SENTENCES


def test_article_inside_a_form_wrapper_is_kept() -> None:
    """ASP.NET pages wrap the whole page in one <form>: it must not be dropped as a form."""
    article = '<div class="noi-dung">' + "".join(f"<p>{s}</p>" for s in SENTENCES) + "</div>"
    html = (
        page(article).replace("<body>", '<body><form id="aspnetForm">').replace("</body>", "</form></body>")
    )
    assert text_of(html).split("\n\n") == SENTENCES


def test_article_inside_an_unlikely_named_wrapper_is_kept() -> None:
    article = '<div class="widget-wrap"><div class="post-text">' + "".join(f"<p>{s}</p>" for s in SENTENCES)
    article += "</div></div>"
    assert text_of(page(article)).split("\n\n") == SENTENCES


def test_text_split_by_br_in_a_div() -> None:
    article = '<div class="chitiet">' + "<br><br>".join(SENTENCES) + "</div>"
    assert text_of(page(article)).split("\n\n") == SENTENCES


def test_paragraphs_spread_over_sibling_containers_are_joined() -> None:
    article = (
        '<div class="article"><div class="part">' + "".join(f"<p>{s}</p>" for s in SENTENCES[:2]) + "</div>"
        '<div class="part">' + "".join(f"<p>{s}</p>" for s in SENTENCES[2:]) + "</div></div>"
    )
    assert text_of(page(article)).split("\n\n") == SENTENCES


def test_link_lists_are_not_content() -> None:
    links = "".join(f'<p><a href="/a{i}">{s}</a></p>' for i, s in enumerate(SENTENCES))
    html = page(
        f'<div class="lien-ket">{links}</div>'
        f'<div class="bai"><p>{SENTENCES[0]}</p><p>{SENTENCES[1]}</p></div>'
    )
    assert text_of(html).split("\n\n") == SENTENCES[:2]


def test_page_without_text_gives_nothing() -> None:
    assert find_main(LexborHTMLParser("<html><body><div><img src='a.jpg'></div></body></html>")) == []
    assert find_main(LexborHTMLParser("")) == []


def test_blocks_count_links_and_bold() -> None:
    html = (
        "<div><p><strong>Sáng 6/3, Cụm thi đua số 5 họp.</strong></p>"
        '<p>Xem thêm: <a href="/a">Cụm thi đua số 4 tổng kết năm</a></p>'
        "<p>Một đoạn <b>có chữ đậm</b> ở giữa.</p></div>"
    )
    node = LexborHTMLParser(html).body
    assert node is not None
    first, second, third = blocks(node)
    assert (first.bold, first.link_density) == (True, 0.0)
    assert not second.bold and second.link_density > 0.6
    assert not third.bold and third.linked == 0


def test_prune_drops_link_lists_everywhere_and_edges_on_unknown_sites() -> None:
    found = [
        Block("Chính trị", 0),
        Block(SENTENCES[0], 0),
        Block("Tin khác: Cụm thi đua số 4 tổng kết năm 2025", 40),
        Block(SENTENCES[1], 0),
        Block("Nov 18, 2019 at 9:24 pm ET • 2 min read", 0),
        Block("Theo dõi chúng tôi", 0),
    ]
    assert [b.text for b in prune(found, generic=False)] == [
        "Chính trị",
        SENTENCES[0],
        SENTENCES[1],
        "Nov 18, 2019 at 9:24 pm ET • 2 min read",
        "Theo dõi chúng tôi",
    ]
    assert [b.text for b in prune(found, generic=True)] == [SENTENCES[0], SENTENCES[1]]
