"""One meaning, one definition: the helpers that used to be written twice stay written once (issue 8)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("db", "scraper")


def sources() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for package in PACKAGES
        for path in sorted((ROOT / package).glob("*.py"))
    }


@pytest.mark.parametrize(
    ("pattern", "home"),
    [
        (r"timezone\(\s*timedelta\(\s*hours\s*=\s*7", "scraper/timezone.py"),  # VN_TZ
        (r'^\w+ = \("cụm thi đua"', "scraper/relevance.py"),  # SEARCH_TERMS
        (r"^def \w*_hash\(", "scraper/article.py"),  # content_hash (db/store.text_hash was its twin)
        (r"^def ascii_words\(", "scraper/text.py"),
    ],
)
def test_a_definition_lives_in_one_module(pattern: str, home: str) -> None:
    found = [name for name, text in sources().items() if re.search(pattern, text, re.MULTILINE)]
    assert found == [home]


@pytest.mark.parametrize("name", ["fold", "tone_normalize", "text_hash", "cluster_key", "host_of"])
def test_the_ambiguous_names_are_gone(name: str) -> None:
    defined = [n for n, text in sources().items() if re.search(rf"^def {name}\(", text, re.MULTILINE)]
    assert defined == []
