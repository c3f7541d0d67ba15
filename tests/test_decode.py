"""Decoding page bytes to NFC text (scraper/decode.py)."""

from __future__ import annotations

import codecs
import logging
import unicodedata
from pathlib import Path

import pytest

from scraper.decode import decode_html, legacy_font, nfc_fast, to_text

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
SENTENCE = "Chiều 25/10, Cụm thi đua 3 tổ chức hội nghị tổng kết phong trào thi đua năm 2023."
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Encode Vietnamese as windows-1258 does: base letters precomposed, tone marks combining."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m not in _TONES))
        out += base.encode("cp1258") + "".join(m for m in parts[1:] if m in _TONES).encode("cp1258")
    return bytes(out)


def html(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def test_cp1258_fixture_page_decodes_to_nfc() -> None:
    decoded = decode_html((PAGES / "cp1258_article.html").read_bytes())
    assert decoded.encoding == "cp1258"
    assert decoded.source == "meta"
    assert "Cụm thi đua 3 gồm các quận Bình Thạnh, Phú Nhuận" in decoded.text
    assert unicodedata.is_normalized("NFC", decoded.text)


@pytest.mark.parametrize(
    ("data", "headers", "encoding", "source"),
    [
        # the HTTP charset wins over a wrong meta charset
        (
            cp1258(html(SENTENCE, '<meta charset="utf-8">')),
            {"Content-Type": "text/html; charset=windows-1258"},
            "cp1258",
            "http",
        ),
        # header names are case-insensitive; quotes around the charset are allowed
        (cp1258(html(SENTENCE)), {"content-type": 'text/html; charset="Windows-1258"'}, "cp1258", "http"),
        # meta http-equiv when HTTP says nothing
        (
            cp1258(
                html(SENTENCE, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">')
            ),
            {"content-type": "text/html"},
            "cp1258",
            "meta",
        ),
        # no declaration at all (tuoitre and baochinhphu send UTF-8 with no meta charset)
        (html(SENTENCE).encode("utf-8"), None, "utf-8", "detected"),
        # a BOM beats everything
        (
            codecs.BOM_UTF8 + html(SENTENCE).encode("utf-8"),
            {"content-type": "text/html; charset=iso-8859-1"},
            "utf-8",
            "bom",
        ),
        # an unknown charset label falls through to the next source
        (
            html(SENTENCE, '<meta charset="utf-8">').encode("utf-8"),
            {"content-type": "text/html; charset=x-bogus"},
            "utf-8",
            "meta",
        ),
    ],
)
def test_charset_order(data: bytes, headers: dict[str, str] | None, encoding: str, source: str) -> None:
    decoded = decode_html(data, headers)
    assert (decoded.encoding, decoded.source) == (encoding, source)
    assert SENTENCE in decoded.text


def test_cp1258_without_any_declaration_is_detected() -> None:
    text = " ".join([SENTENCE, "Đồng chí Phạm Thị Hồng Hà, Bí thư Quận ủy Phú Nhuận, chủ trì hội nghị."] * 8)
    decoded = decode_html(cp1258(html(text)))
    assert decoded.source == "detected"
    assert SENTENCE in decoded.text


def test_nfd_input_becomes_nfc() -> None:
    raw = unicodedata.normalize("NFD", html(SENTENCE))
    assert SENTENCE not in raw  # the trap: an NFD page does not contain the NFC needle
    assert SENTENCE in decode_html(raw.encode("utf-8")).text
    assert SENTENCE in to_text(raw)
    assert SENTENCE in nfc_fast(raw)


def test_to_text_can_skip_normalisation() -> None:
    raw = unicodedata.normalize("NFD", SENTENCE)
    assert to_text(raw.encode("utf-8"), nfc=False) == raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Côm thi ®ua sè 3 tæng kÕt n¨m 2003 vµ trao cê cho ®¬n vÞ dÉn ®Çu", "tcvn3"),
        ("Baùo caùo cuûa ñôn vò vaø caùc ñôn vò trong cuïm thi ñua naêm 2003", "vni"),
        (SENTENCE, None),
        ("A fantástica loja dos materiais educativos é ótima para crianças, não é? Sim, é.", None),
        ("Gaming used to be so simple. We’d buy a game © 2019 ® and play.", None),
        ("짧은", None),
    ],
)
def test_legacy_font(text: str, expected: str | None) -> None:
    assert legacy_font(text) == expected


def test_legacy_page_is_reported_not_converted() -> None:
    decoded = decode_html((PAGES / "tcvn3_article.html").read_bytes())
    assert decoded.legacy == "tcvn3"
    assert "Côm thi ®ua" in decoded.text


def test_cp1258_after_a_long_ascii_head_is_detected() -> None:
    """Legacy pages often carry kilobytes of ASCII scripts before the first Vietnamese letter."""
    head = "<script>" + "var x = 1;\n" * 3000 + "</script>"
    text = " ".join([SENTENCE, "Đồng chí Phạm Thị Hồng Hà, Bí thư Quận ủy Phú Nhuận, chủ trì hội nghị."] * 8)
    decoded = decode_html(cp1258(html(text, head)))
    assert decoded.encoding == "cp1258"
    assert SENTENCE in decoded.text


def test_short_cp1258_without_declaration_is_vietnamese() -> None:
    decoded = decode_html(cp1258(html(SENTENCE)))
    assert (decoded.encoding, decoded.source) == ("cp1258", "detected")
    assert SENTENCE in decoded.text


def test_other_single_byte_languages_are_not_taken_for_vietnamese() -> None:
    text = "A fantástica loja é ótima para crianças, não é? Sim, é ótima e também barata. " * 10
    decoded = decode_html(html(text).encode("cp1252"))
    assert decoded.source == "detected"
    assert decoded.encoding != "cp1258"
    assert "fantástica loja é ótima para crianças" in decoded.text


@pytest.mark.parametrize(
    ("data", "headers", "encoding", "warned"),
    [
        # HTTP says iso-8859-1 (a server default), the bytes are UTF-8: no mojibake.
        (html(SENTENCE).encode("utf-8"), {"content-type": "text/html; charset=iso-8859-1"}, "utf-8", "UTF-8"),
        # meta says UTF-8 over a windows-1258 body: the letters, not U+FFFD.
        (cp1258(html(SENTENCE, '<meta charset="utf-8">')), None, "cp1258", "not"),
        # HTTP says UTF-8 over a windows-1258 body.
        (cp1258(html(SENTENCE)), {"content-type": "text/html; charset=utf-8"}, "cp1258", "not"),
    ],
)
def test_a_wrong_declaration_is_overruled_with_a_warning(
    data: bytes,
    headers: dict[str, str] | None,
    encoding: str,
    warned: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="thidua.scraper"):
        decoded = decode_html(data, headers)
    assert decoded.encoding == encoding
    assert SENTENCE in decoded.text and "\ufffd" not in decoded.text
    assert any(warned in r.getMessage() for r in caplog.records), caplog.text


def test_a_right_declaration_gives_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="thidua.scraper"):
        decode_html(cp1258(html(SENTENCE)), {"content-type": "text/html; charset=windows-1258"})
        decode_html(html(SENTENCE).encode("utf-8"), {"content-type": "text/html; charset=utf-8"})
    assert caplog.records == []
