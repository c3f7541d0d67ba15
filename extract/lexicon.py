"""The words the rules share — surnames, honorifics and ranks, title heads, unit head words, verbs,
cluster heads, owner cues, meeting and activity cues — read once from the lexicon's data files
(``extract/data/lexicon.toml``, ``clusters.toml``, ``activities.toml``) and compiled here, or by the
module that uses them through :func:`words` / :func:`alternation`, into the sets and patterns the
scanners use. Grammar (how the words combine) stays in the modules' patterns; the words are data.

Everything is NFC with new-style tone placement (the form :func:`extract.normalize.normalize_text`
produces), so the lists can be matched against normalised text directly.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Any

# Character classes of Vietnamese letters (a plain "À-Ỹ" range would mix cases).
UPPER = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
LOWER = "a-zàáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text, as a set: ``word_set("đã vừa")`` → {"đã", "vừa"}."""
    return frozenset(text.split())


#: The lexicon's files, one namespace: a key is defined in exactly one of them (tests/test_lexicon.py).
FILES = ("lexicon.toml", "clusters.toml", "activities.toml", "members.toml", "page.toml", "dates.toml")


def _read(name: str) -> dict[str, Any]:
    text = resources.files("extract").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _load() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name in FILES:
        merged.update(_read(name))
    return merged


_DATA = _load()


def words(key: str) -> tuple[str, ...]:
    """The words of one lexicon list, in their data order: ``words("count_nouns")`` → ("tỉnh", …)."""
    return tuple(str(w) for w in _DATA[key])


_words = words


def alternation(key: str, space: str = r"\s+") -> str:
    """A regex alternation of one lexicon list, in data order (order decides which alternative wins),
    each word escaped and any space matching ``space`` (any whitespace; ``r"\\s*"`` where page
    widgets lose their spaces): ``alternation("kinds")`` → "cụm|khối"; "thị xã" becomes
    ``thị\\s+xã``. The caller wraps it in its own group."""
    return "|".join(re.escape(w).replace(r"\ ", space) for w in words(key))


def cased_alternation(key: str) -> str:
    """The alternation of a lower-case list with each word also capitalised, for patterns that
    match case-sensitively: ``cased_alternation("kinds")`` → "Cụm|cụm|Khối|khối" (not "CỤM")."""
    return "|".join(re.escape(c) for w in words(key) for c in (w.capitalize(), w))


SURNAMES = frozenset(_words("surnames"))
NOT_PERSON = frozenset(_words("not_person"))
HONORIFICS = _words("honorifics")
ADDRESS_FORMS = _words("address_forms")
ADDRESS_ALT = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in ADDRESS_FORMS)
ADDRESS_BEFORE_RE = re.compile(
    r"(?:^|[\s,;(])(?:" + ADDRESS_ALT + r")\s*:?\s*$",
    re.IGNORECASE,
)
HONORIFIC_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s,;:(\"]))(?:"
    + "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True))
    + r")(?=[\s:.]|$)\s*:?\s*",
    re.IGNORECASE,
)

TITLE_HEADS = _words("title_heads")
_TITLE_ALT = "|".join(re.escape(t) for t in sorted(set(TITLE_HEADS), key=len, reverse=True) if t[0].isupper())
TITLE_START_RE = re.compile(rf"(?:{_TITLE_ALT})(?![\wÀ-ỹ])", re.IGNORECASE)

UNIT_HEADS = _words("unit_heads")
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(set(UNIT_HEADS), key=len, reverse=True))
UNIT_HEAD_RE = re.compile(rf"(?!{alternation('not_unit_heads')})(?:{_UNIT_ALT})(?![\wÀ-ỹ])")
# A dash inside one name only before a known second half (data: dash_second_halves).
DASH_JOIN = re.compile(
    r"\s*-\s*(?=(?:"
    + "|".join(h.replace(" ", r"\s+") for h in _words("dash_second_halves"))
    + r")(?![\wÀ-ỹ]))"
)

UNIT_NOUNS = _words("unit_nouns")


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(w.replace(" ", r"\s+") for w in words)


#: Regex alternations of the admin words (data: admin_words, admin_owner_words), for patterns that
#: need "huyện|quận|thị xã|…" — spelled once here instead of in every module.
ADMIN_ALT = _alternation(_words("admin_words"))
ADMIN_OWNER_ALT = _alternation(_words("admin_owner_words"))
STOP_WORDS = frozenset(_words("stop_words"))
STOP_PHRASES = _words("stop_phrases")
# Per construct: words that never end a title ("Ủy viên dự khuyết"), verbs that do ("thông qua").
TITLE_WORDS = _words("title_words")
TITLE_STOPS = _words("title_stops")
TITLE_STOP_WORDS = _words("title_stop_words")
#: The words that end a title: the shared stops and the title's own, less those a title runs through.
TITLE_END_WORDS = (STOP_WORDS | frozenset(TITLE_STOP_WORDS)) - frozenset(_words("title_continuing_words"))
# Person names: middle names, the commonest surnames, capitalised words that are never a name.
MIDDLE_NAMES = _words("middle_names")
COMMON_SURNAMES = _words("common_surnames")
NOT_NAME_WORDS = _words("not_name_words")

#: Forms of address and degree titles that extraction never meets before a name it returns, but that
#: names typed by hand or stored by older extractor versions carry ("anh Lê Văn A", "PGS. Trần B"):
#: identity keys (db) strip them together with ``HONORIFICS``, so those names join the same person.
KEY_HONORIFICS = (*HONORIFICS, *_words("key_honorifics"))
