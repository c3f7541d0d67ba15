"""extract.lexicon: the shared word lists are normalised and the patterns built from them match."""

from __future__ import annotations

import re
import unicodedata

import pytest

from extract.lexicon import (
    DASH_JOIN,
    HONORIFIC_RE,
    LOWER,
    STOP_WORDS,
    SURNAMES,
    TITLE_START_RE,
    UNIT_HEAD_RE,
    UPPER,
)
from extract.normalize import normalize_text


@pytest.mark.parametrize("words", [SURNAMES, STOP_WORDS])
def test_lists_are_normalised(words: frozenset[str]) -> None:
    for word in words:
        assert normalize_text(word) == word == unicodedata.normalize("NFC", word)


def test_case_classes_do_not_mix() -> None:
    assert all(c.isupper() for c in UPPER.replace("A-Z", ""))
    assert all(c.islower() for c in LOWER.replace("a-z", ""))


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (HONORIFIC_RE, "Thượng tá Nguyễn", True),
        (HONORIFIC_RE, "Đ/c Phạm", True),
        (TITLE_START_RE, "Phó Trưởng Ban Dân vận", True),
        (TITLE_START_RE, "Tỉnh ủy viên, Bí thư", True),
        (UNIT_HEAD_RE, "Sở Tài chính", True),
        (UNIT_HEAD_RE, "Xã hội", False),  # "Xã hội" is not a commune
        (DASH_JOIN, " - Khen thưởng", True),
        (DASH_JOIN, " - Ban Tuyên giáo", False),
        (DASH_JOIN, " - Khoáng sản", True),
        (DASH_JOIN, "-Môi trường", True),
        (DASH_JOIN, " - Giám đốc", False),
    ],
)
def test_patterns(pattern: object, text: str, matches: bool) -> None:
    assert bool(pattern.match(text)) is matches  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "every_level", "owner_level"),
    [("thị   xã", True, True), ("thành phố", True, True), ("thị trấn", True, False), ("phường", True, False)],
)
def test_admin_words_come_from_the_data(text: str, every_level: bool, owner_level: bool) -> None:
    from extract.lexicon import ADMIN_ALT, ADMIN_OWNER_ALT

    assert bool(re.fullmatch(ADMIN_ALT, text)) is every_level
    assert bool(re.fullmatch(ADMIN_OWNER_ALT, text)) is owner_level


def _files() -> dict[str, dict[str, object]]:
    import tomllib
    from importlib import resources

    from extract.lexicon import FILES

    data = resources.files("extract").joinpath("data")
    return {name: tomllib.loads(data.joinpath(name).read_text(encoding="utf-8")) for name in FILES}


def test_each_list_is_defined_in_one_file_only() -> None:
    """The lexicon's files are one namespace: a key in two files would silently take the later one."""
    seen: dict[str, str] = {}
    for name, table in _files().items():
        for key in table:
            assert key not in seen, f"{key!r} is in both {seen[key]} and {name}"
            seen[key] = name


def test_every_list_is_normalised_words() -> None:
    """Every list holds non-empty words in the form normalize_text produces, each once, so a pattern
    built from one matches normalised text."""
    for name, table in _files().items():
        for key, value in table.items():
            assert isinstance(value, list) and value, f"{name}: {key} is not a list of words"
            for word in value:
                assert isinstance(word, str) and word.strip() == word and word, f"{name}: {key}: {word!r}"
                if "[" not in word:  # dash_second_halves hold regex classes ("[Xx]ã hội")
                    nfc = unicodedata.normalize("NFC", word)
                    assert normalize_text(word) == word == nfc, f"{key}: {word}"
            assert len(set(value)) == len(value), f"{name}: {key} repeats a word"


def test_every_list_is_read_by_the_extractor() -> None:
    """No dead data: each list's key is named by a module of extract/ (or by lexicon.py)."""
    from pathlib import Path

    import extract

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(extract.__file__).parent.glob("*.py"))
    for name, table in _files().items():
        for key in table:
            assert f'"{key}"' in source or f"'{key}'" in source, f"{name}: {key} is read by no module"


@pytest.mark.parametrize(
    ("key", "space", "text", "matches"),
    [
        ("kinds", r"\s+", "khối", True),
        ("head_thi_spellings", r"\s+", "khi", True),
        ("owner_admin_words", r"\s+", "thị  xã", True),  # a space in the data matches any whitespace
        ("owner_admin_words", r"\s+", "TP.", True),  # the dot is escaped: "TP." is a word, not "TP" + any
        ("owner_admin_words", r"\s+", "TPx", False),
        ("credit_openers", r"\s*", "đồhọa", True),  # a caller may let a data space match none
        ("credit_openers", r"\s+", "đồhọa", False),
        ("count_nouns", r"\s+", "đơn vị", True),
        ("count_nouns", r"\s+", "đơn", False),
    ],
)
def test_alternation_matches_the_data_words(key: str, space: str, text: str, matches: bool) -> None:
    from extract.lexicon import alternation

    assert bool(re.fullmatch(f"(?:{alternation(key, space)})", text)) is matches


def test_alternation_keeps_the_data_order() -> None:
    """Order decides which alternative wins where two fit ("bao gồm" before "gồm")."""
    from extract.lexicon import alternation, words

    assert alternation("kinds") == "cụm|khối"
    assert words("list_openers") == ("bao gồm", "gồm có", "gồm")
    assert re.match(f"(?:{alternation('list_openers')})", "gồm có").group(0) == "gồm có"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("word", "ends_a_title"),
    [
        ("thông", False),
        ("vừa", True),
        ("đã", True),
        ("của", False),
        ("các", False),
        ("và", False),
        ("năm", False),
    ],
)
def test_title_end_words(word: str, ends_a_title: bool) -> None:
    """The stop lists less the words a title runs through ("Chủ tịch Hội … của …", "Trưởng Ban … các …")."""
    from extract.lexicon import TITLE_END_WORDS

    assert (word in TITLE_END_WORDS) is ends_a_title
