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
