"""Spelling variants of one unit, person or cluster land on one row (db/normalize.py, db/entities.py)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from db import open_database
from db.entities import cluster_id, cluster_identity, person_id, unit_id
from db.normalize import search_text, strip_honorifics
from extract.identity import name_key, person_key
from extract.normalize import normalize_text


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Hoà", "Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("khoẻ", "khỏe"),
        ("Uỷ ban", "Ủy ban"),
        ("thuỷ lợi", "thủy lợi"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("Hoà", "Hòa"),
        ("quý", "quý"),  # "qu": tone stays on y in both conventions
        ("Hoàng", "Hoàng"),  # final consonant: both conventions agree
        ("thuyền", "thuyền"),
    ],
)
def test_tone_placement_is_one_convention(old: str, new: str) -> None:
    assert name_key(old) == name_key(nfd(old)) == name_key(new) == new.casefold()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Lê Văn Hoà", "Lê Văn Hòa"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("Công ty thuỷ lợi", "Công ty thủy lợi"),
        ("Ðà Nẵng", "Đà Nẵng"),  # Icelandic eth, a lookalike seen in scraped pages
        ("Huyện  Hoà Vang", "Huyện Hòa Vang"),
    ],
)
def test_db_keys_agree_with_the_extracted_text(old: str, new: str) -> None:
    # The extractor returns names cut from normalize_text's output; a name typed (or stored) in the
    # old style must land on the same row.
    assert name_key(old) == name_key(normalize_text(old)) == name_key(new)
    assert person_key(old) == person_key(normalize_text(old)) == person_key(new)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Huyện Như Thanh", "huyện như thanh"),
        ("Huyện Như Thanh", nfd("Huyện Như Thanh")),
        ("UBND huyện Hoà Vang", "UBND huyện Hòa Vang"),
        ("Quận  Gò Vấp ", "Quận Gò Vấp"),
        ("Sở Tài chính.", "sở tài chính"),
        ("Uỷ ban MTTQ tỉnh", "Ủy ban MTTQ tỉnh"),
    ],
)
def test_unit_spelling_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    "variant",
    [
        "Lê Văn Hòa",
        "Lê Văn Hoà",
        "lê văn hòa",
        "Đồng chí Lê Văn Hoà",
        "đồng chí Lê Văn Hòa",
        "Ông Lê Văn Hòa",
        "đ/c Lê Văn Hòa",
        "Đại tá Lê Văn Hòa",
        "Đồng chí Đại tá Lê Văn Hòa",
        "TS. Lê Văn Hòa",
    ],
)
def test_person_variants_share_a_key(variant: str) -> None:
    assert person_key(variant) == "lê văn hòa"
    assert person_key(nfd(variant)) == "lê văn hòa"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Lê Văn Hòa", "Lê Văn Hoa"), ("Nguyễn Thị Bà", "Nguyễn Thị Ba"), ("Quận 1", "Quận 10")],
)
def test_different_names_stay_different(a: str, b: str) -> None:
    assert person_key(a) != person_key(b)
    assert name_key(a) != name_key(b)


def test_a_name_that_is_only_an_honorific_word_is_kept() -> None:
    # A lone word is never stripped to nothing.
    assert person_key("Ông") == "ông"
    assert strip_honorifics("Đồng chí Lê Văn Hoà") == "Lê Văn Hoà"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đồng chí", "dong chi"),
        ("đua", "dua"),
        ("Thanh Hoá", "thanh hoa"),
        (nfd("Tổ chức Hội"), "to chuc hoi"),
        ("\u00d0à Nẵng", "da nang"),  # the lookalike Ð typed for Đ
        ("\u00f0ua", "dua"),
        ("Nghệ An, Đắk Lắk — ĐỒNG THÁP", "nghe an, dak lak — dong thap"),  # stacked marks, dash kept
        ("Thủ Đức\n\nQuận 7: 100%", "thu duc\n\nquan 7: 100%"),
        ("e\u0301\u0323\u0302", "e"),  # a run of marks, in any order
        ("\u0483a\u0483", "\u0483a\u0483"),  # a mark outside the Latin block is not ours to drop
    ],
)
def test_search_text_removes_every_mark_and_d_stroke(text: str, folded: str) -> None:
    assert search_text(text) == folded


def plain_fold(text: str) -> str:
    """search_text as its docstring defines it: the d letters, then every mark U+0300–U+036F dropped."""
    text = text.translate(str.maketrans({"đ": "d", "Đ": "D", "\u00d0": "D", "\u00f0": "d"}))
    return re.sub(r"[\u0300-\u036f]", "", unicodedata.normalize("NFD", text)).lower()


@pytest.mark.parametrize(
    "text",
    [
        "Hội nghị ký kết giao ước thi đua Cụm thi đua số 3 tỉnh Thanh Hóa năm 2025",  # marks only
        "Ͱͱ Ͳ ͻ Cụm",  # Greek letters U+0370–U+037F: their UTF-8 lead byte is a mark's
        "Hội nghị « Đà Nẵng » – 5 năm, 30 ℃, 😀, 中文",  # non-ASCII letters kept
        "ÀÉÎÕÜ çñ ß Æ ĳ",  # Latin letters that decompose, and ones that do not
        "ﬁ ¹ ①",  # compatibility forms: NFD leaves them
        "",
    ],
)
def test_search_text_is_its_definition_on_any_text(text: str) -> None:
    assert search_text(text) == plain_fold(text)


def test_variants_land_on_one_row_keeping_the_first_spelling(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    with database.conn:
        first = person_id(database, "Đồng chí Lê Văn Hoà")
        ids = {person_id(database, v) for v in ("ông Lê Văn Hòa", nfd("LÊ VĂN HÒA"), "Lê  Văn Hoà")}
        units = {unit_id(database, v) for v in ("Huyện Hoà Vang", "huyện Hòa Vang", nfd("HUYỆN HOÀ VANG"))}
        other = person_id(database, "Lê Văn Hoa")
    assert ids == {first} and other != first
    assert database.execute("SELECT name FROM people ORDER BY id").fetchall() == [
        ("Lê Văn Hoà",),
        ("Lê Văn Hoa",),
    ]
    assert len(units) == 1
    assert database.execute("SELECT name FROM units").fetchall() == [("Huyện Hoà Vang",)]


def test_clusters_are_keyed_by_system_kind_and_number_or_label(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    with database.conn:
        a = cluster_id(database, "cụm", 3, "Cụm thi đua số 3", "tỉnh Thanh Hoá")
        b = cluster_id(database, "cụm", 3, "Cụm thi đua 3", "Tỉnh Thanh Hóa")
        khoi = cluster_id(database, "khối", 3, "Khối thi đua số 3", "tỉnh Thanh Hóa")
        elsewhere = cluster_id(database, "cụm", 3, "Cụm thi đua số 3", "tỉnh Nghệ An")
        unnumbered = cluster_id(database, "cụm", None, "Cụm thi đua các trường đại học", None)
        same_label = cluster_id(database, "cụm", None, "cụm thi đua các trường Đại học", None)
    assert a == b
    assert len({a, khoi, elsewhere, unnumbered}) == 4
    assert unnumbered == same_label
    assert cluster_identity("cụm", 3, "x", "Tỉnh Thanh Hoá") == "cụm|tỉnh thanh hóa|3"
    # The label is shown as first written; the system in its one spelling (extract.systems).
    assert database.execute("SELECT label, system FROM clusters WHERE id = ?", [a]).fetchone() == (
        "Cụm thi đua số 3",
        "tỉnh Thanh Hóa",
    )
    with database.conn:
        ubnd = cluster_id(database, "cụm", 3, "Cụm thi đua số 03", "UBND tỉnh Thanh Hoá")
    assert ubnd == a
