"""Field readers: JSON-LD, entities, lead prefixes, site names, selector groups (scraper/fields.py)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.fields import (
    alternatives,
    article_objects,
    clean,
    jsonld_objects,
    ld_authors,
    ld_text,
    looks_like_site_name,
    strip_lead_prefix,
    unescape,
)


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("(NLĐO)- Sáng 6-3, Cụm thi đua số 5 họp.", "Sáng 6-3, Cụm thi đua số 5 họp."),
        ("(Chinhphu.vn) - Ngày 28/2, Cụm thi đua họp.", "Ngày 28/2, Cụm thi đua họp."),
        ("(Thanhuytphcm.vn) - Chiều 25/10, Cụm thi đua 3 họp.", "Chiều 25/10, Cụm thi đua 3 họp."),
        ("(Dân trí) - Chiều 6/3, Cụm thi đua họp.", "Chiều 6/3, Cụm thi đua họp."),
        ("(Báo Bình Dương) – Sáng 2/2, Khối thi đua họp.", "Sáng 2/2, Khối thi đua họp."),
        ("[Infographic] - Kết quả thi đua năm 2025", "Kết quả thi đua năm 2025"),
        # not a source tag: a sentence that starts with brackets keeps them
        (
            "(Theo báo cáo của Ủy ban nhân dân thành phố năm 2025) - các chỉ tiêu đạt.",
            "(Theo báo cáo của Ủy ban nhân dân thành phố năm 2025) - các chỉ tiêu đạt.",
        ),
        ("Sáng 6-3 (giờ Hà Nội) - hội nghị khai mạc.", "Sáng 6-3 (giờ Hà Nội) - hội nghị khai mạc."),
    ],
)
def test_strip_lead_prefix(lead: str, expected: str) -> None:
    assert strip_lead_prefix(lead) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Chi&amp;#7871;n s&amp;#7921;", "Chiến sự"),  # tuoitre JSON-LD, escaped twice
        ("NH&#7852;T XUÂN", "NHẬT XUÂN"),
        ("Ch&#237;nh s&#225;ch", "Chính sách"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("Cụm thi đua", "Cụm thi đua"),
    ],
)
def test_unescape(raw: str, expected: str) -> None:
    assert unescape(raw) == expected


def test_clean_collapses_spaces_and_normalises() -> None:
    assert clean("  Cu\u0323m\u00a0thi\u200b  đua \n") == "Cụm thi đua"
    assert clean(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cụm\tthi\r\nđua", "Cụm thi đua"),
        ("Cụm\u2009thi\u202fđua\u00a0số 3", "Cụm thi đua số 3"),
        ("\ufeffCụm thi đua", "Cụm thi đua"),  # a BOM left at the start of a text node
        ("Cụm\u200b\u200bthi\u200b \u200bđua", "Cụm thi đua"),  # zero-width spaces between words
        ("Cụm\x0bthi\x0cđua\u2028số\u3000 3", "Cụm thi đua số 3"),
        ("\u200b \ufeff\u00a0", ""),
        ("a\ud800b  c", "a\ufffdb c"),
        ("Cu\u0323m  thi\u200dđua", "Cụm thi\u200dđua"),  # a zero-width joiner is not a space
    ],
)
def test_clean_makes_every_run_of_spaces_one_space(text: str, expected: str) -> None:
    assert clean(text) == expected


def test_jsonld_tolerates_cms_templates() -> None:
    html = """
    <script type="application/ld+json">
    [{"@type": "NewsArticle", "headline": "Kh&amp;#7889;i thi đua
    họp", "author": [{"@type": "Person", "name": "Tr&amp;#7847;n Th&#7911;y"}, {"@type": "Organization",
    "name": "VietNamNet"}],}]
    </script>
    <script type="application/ld+json">{"@graph": [{"@type": "WebSite"},
    {"@type": ["Article"], "headline": "B"}]}</script>
    <script type="application/ld+json">{ not json </script>
    """
    objects = jsonld_objects(LexborHTMLParser(html))
    articles = article_objects(objects)
    assert [ld_text(a, "headline") for a in articles] == ["Khối thi đua họp", "B"]
    assert ld_authors(articles[0]) == ["Trần Thủy"]


@pytest.mark.parametrize(
    ("name", "host", "site_names", "expected"),
    [
        ("NLD.COM.VN", "nld.com.vn", [], True),
        ("TUOI TRE ONLINE", "tuoitre.vn", [], True),
        ("Dân Trí", "dantri.com.vn", [], True),
        ("VnExpress", "vnexpress.net", [], True),
        ("https://www.facebook.com/baodantridientu", "dantri.com.vn", [], True),
        ("Báo Người Lao Động Online", "nld.com.vn", ["Báo Người Lao Động Online"], True),
        ("Minh Chiến", "nld.com.vn", ["Báo Người Lao Động Online"], False),
        ("NHẬT XUÂN", "tuoitre.vn", ["Báo Tuổi Trẻ"], False),
        ("Trần Thủy", "vietnamnet.vn", ["VietNamNet"], False),
    ],
)
def test_looks_like_site_name(name: str, host: str, site_names: list[str], expected: bool) -> None:
    assert looks_like_site_name(name, host, site_names) is expected


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (
            ".article__body.zce-content-body, .l-content, .cms-body",
            (".article__body.zce-content-body", ".l-content", ".cms-body"),
        ),
        ('a[title="a, b"], h3 a', ('a[title="a, b"]', "h3 a")),
        (":is(h1, h2).title", (":is(h1, h2).title",)),
        ("", ()),
        (None, ()),
    ],
)
def test_alternatives(selector: str | None, expected: tuple[str, ...]) -> None:
    assert alternatives(selector) == expected
