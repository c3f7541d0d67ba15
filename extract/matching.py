"""Which member a unit phrase designates: folded equality, else the longest name that ends the
phrase or that the phrase ends, in whole words ("Sở A" and "UBND Sở A" are one member).

Names of up to :data:`INDEXED_WORDS` words are indexed by their word suffixes as they are added, so
that matching m phrases against n members costs m × words, not m × n; the rare longer names (a
run-on list read as one name) are compared one by one.
"""

from __future__ import annotations

import re
import unicodedata

from extract.lexicon import alternation
from extract.normalize import casefold_key

INDEXED_WORDS = 16


def _word_suffixes(folded: str, most: int) -> list[str]:
    """The suffixes of at most ``most`` whole words, longest first (the text is collapsed).

    ``_word_suffixes("ubnd sở a", 2)`` → ``["sở a", "a"]``.
    """
    words = folded.split(" ")
    return [" ".join(words[k:]) for k in range(max(0, len(words) - most), len(words))]


def _ends_with_words(whole: str, part: str) -> bool:
    """True when ``whole`` ends with ``part`` as whole words: ("ubnd sở a", "sở a") → True."""
    if not part or not whole.endswith(part):
        return False
    cut = len(whole) - len(part)
    return cut == 0 or whole[cut - 1].isspace()


# Typo matching is tried only in lists this short (real lists name a few to some thirty units).
_MAX_NEAR = 40


def _unaccented(text: str) -> str:
    """Letters without tone and vowel marks, đ as d: "quãng ngài" → "quang ngai"."""
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


_ADMIN_WORDS = re.compile(rf"(?<![\w])(?:{alternation('owner_level_words_folded', space=' ')})(?![\w])")


def _loose(name: str) -> str:
    """A folded name without accents and admin words: "công an tp. vinh" → "cong an vinh"."""
    return _unaccented(" ".join(_ADMIN_WORDS.sub(" ", name).split()))


class MemberIndex:
    """Member names in order of addition, looked up by :meth:`match`."""

    def __init__(self) -> None:
        self._lengths: list[int] = []
        self._exact: dict[str, int] = {}  # folded name → first member with it
        self._ending: dict[str, list[int]] = {}  # word suffix → short-named members ending with it
        self._long: list[tuple[int, str]] = []  # members whose names are too long to index

    def add(self, name: str | None) -> None:
        """Index the next member's name (members are numbered in order of addition)."""
        i = len(self._lengths)
        n = casefold_key(name or "")
        self._lengths.append(len(n))
        if not n:
            return
        self._exact.setdefault(n, i)
        if n.count(" ") >= INDEXED_WORDS:
            self._long.append((i, n))
            return
        for suffix in _word_suffixes(n, INDEXED_WORDS):
            self._ending.setdefault(suffix, []).append(i)

    def match(self, unit: str) -> int | None:
        """Index of the member ``unit`` designates, or None: an equal folded name first, else the
        longest name (the first of equal lengths) that ends ``unit`` or that ``unit`` ends."""
        u = casefold_key(unit)
        if not u:
            return None
        if u in self._exact:
            return self._exact[u]
        # Short names ending u are among u's last INDEXED_WORDS word suffixes; short names that u
        # ends are in the suffix index (a u of more words ends no short name); long ones are compared.
        found = [self._exact[s] for s in _word_suffixes(u, INDEXED_WORDS) if s in self._exact]
        found += self._ending.get(u, [])
        found += [i for i, n in self._long if _ends_with_words(u, n) or _ends_with_words(n, u)]
        if not found:
            return self._near(u)
        return min(found, key=lambda i: (-self._lengths[i], i))

    def _near(self, u: str) -> int | None:
        """A member spelled with a typo or two ("Sở Tài chỉnh tỉnh Quãng Ngài" / "Sở Tài chính tỉnh Quãng
        Ngãi") or with its admin word left out or shortened ("Công an TP Vinh" / "Công an thành phố
        Vinh", "Hội Luật gia tỉnh Đồng Nai" / "Hội Luật gia Đồng Nai"): accents and admin words aside
        the same letters, tried only among a real list's few names (bounded work)."""
        if len(self._exact) > _MAX_NEAR:
            return None
        bare = _loose(u)
        for name, i in self._exact.items():
            if _loose(name) == bare:
                return i
        return None
