"""Does a title, slug or lead name a cluster the extractor could find? The crawl's relevance gate.

The application hands ``names_a_cluster`` to the crawler (scraper never imports extract), so the
gate and extraction share one idea of what a cluster mention is. It works on folded text (no
accents, đ → d, lower case), so a URL slug is read like a title:
``names_a_cluster("cum-thi-dua-so-3-tong-ket")`` and ``names_a_cluster("Cụm Hội LHPN ký kết")`` are
True; ``names_a_cluster("Khối phố 5 ra quân dọn vệ sinh")`` is False. The words are data
(``extract/data/gate.toml``), loaded once.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources

_NON_WORD = re.compile(r"[^0-9a-z]+")
# "Cụm 3", "khối số IV", "cụm số 02": a kind word and a number.
_NUMBERED = re.compile(r"\b(?:cum|khoi) (?:so )?(?:\d{1,3}|[ivxlc]{1,6})\b")


def fold_for_matching(text: str) -> str:
    """Text without accents, đ → d, lower case, words separated by one space: the fold of
    ``scraper.text.ascii_words``, written again because the two packages may not import each other
    (tests/test_gate.py keeps them equal).

    ``fold_for_matching("Cụm Thi Đua số 3")`` → ``"cum thi dua so 3"``; a slug
    ``"cum-thi-dua-so-3.htm"`` → ``"cum thi dua so 3 htm"``.
    """
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D").replace("\u00d0", "D").replace("\u00f0", "d").lower()
    return _NON_WORD.sub(" ", bare).strip()


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = tomllib.loads((resources.files("extract") / "data" / "gate.toml").read_text(encoding="utf-8"))

    def words(key: str) -> str:
        return "|".join(re.escape(w) for w in sorted(data[key], key=len, reverse=True))

    phrase = re.compile(rf"\b(?:{words('phrases')})\b")
    body = re.compile(rf"\b(?:cum|khoi) (?:{words('bodies')})\b")
    meeting = re.compile(rf"\b(?:{words('meeting')})\b")
    return phrase, body, meeting


def names_a_cluster(text: str) -> bool:
    """True when ``text`` (a title, lead, slug, or all three) may name an emulation cluster.

    Numbered mentions ("Cụm 3") and the cluster phrases ("cụm thi đua", "giao ước thi đua") are
    enough; an unnumbered "cụm"/"khối" + a body ("Khối ANND", "Cụm Hội Nông dân 6 tỉnh") needs a
    meeting word too ("tổng kết", "ký kết", "hội nghị" …).
    """
    folded = f" {fold_for_matching(text)} "
    phrase, body, meeting = _patterns()
    if phrase.search(folded) or _NUMBERED.search(folded):
        return True
    return body.search(folded) is not None and meeting.search(folded) is not None
