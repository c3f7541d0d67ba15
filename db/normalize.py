"""Keys that make spelling variants of one name equal, and the accent-free text for search.

``name_key("Quận  Gò vấp")`` and ``name_key("quận gò vấp")`` are one unit; ``person_key("Đồng chí Lê
Văn Hoà")`` and ``person_key("ông Lê Văn Hòa")`` are one person. ``fold("Đồng chí thi đua")`` is
``"dong chi thi dua"``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from extract.lexicon import HONORIFICS

# Vietnamese tone marks as combining characters (NFD): grave, acute, tilde, hook above, dot below.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Old style puts the tone on the second vowel of an open "oa", "oe", "uy" ("hoà", "khoẻ", "thuỷ"),
# new style on the first ("hòa", "khỏe", "thủy"). We key on the new style. "qu" + y keeps its tone on
# y in both styles ("quý"), and with a final consonant ("hoàng", "thuyền") both styles agree.
_OLD_TONE = re.compile(rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?!\w)|(?<![qQ])([uU])([yY])([{_TONES}])(?!\w)")
_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = " \t\n.,;:!?\"'“”‘’()[]-–—"

# Honorifics and ranks written before a person's name (compared on the casefolded, NFC key): the
# extractor's list, which strips them from the names it returns, plus the forms of address that only
# matter when names come from elsewhere (typed by hand, older extractor versions).
_HONORIFICS = tuple(
    sorted(
        {h.casefold() for h in HONORIFICS}
        | {
            "anh",
            "chị",
            "ngài",
            "thầy",
            "đc",
            "bs",
            "bs.",
            "gs",
            "gs.",
            "pgs",
            "pgs.",
            "ks.",
            "ls.",
            "nsnd",
            "nsưt",
        }
    )
)

_HONORIFIC = re.compile(
    r"^(?:(?:"
    + "|".join(re.escape(h) for h in sorted(_HONORIFICS, key=len, reverse=True))
    + r")(?:\s+|(?<=\.)))+"
)
_COMBINING = re.compile(r"[\u0300-\u036f]")


def nfc(text: str) -> str:
    """Return ``text`` in NFC: one code point per Vietnamese letter."""
    return unicodedata.normalize("NFC", text)


def _swap_tone(match: re.Match[str]) -> str:
    """Put the tone mark of a matched "oà"/"uỳ" (NFD) after the first vowel."""
    if match.group(1):
        return match.group(1) + match.group(3) + match.group(2)
    return match.group(4) + match.group(6) + match.group(5)


def tone_normalize(text: str) -> str:
    """Move old-style tones of open "oa/oe/uy" to the first vowel, return NFC: "Hoà" → "Hòa", "Uỷ" → "Ủy"."""
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_TONE.sub(_swap_tone, decomposed)
    return nfc(moved)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The identity of a unit, cluster or system name: NFC, one tone placement, casefolded, spaces collapsed.

    ``name_key("  UBND  Huyện Như Thanh. ")`` == ``name_key("ubnd huyện như thanh")``.
    """
    text = tone_normalize(name).casefold()
    text = nfc(text)  # casefold may decompose some letters
    text = text.replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip(_EDGE_PUNCT)


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """The identity of a person: ``name_key`` without leading honorifics or ranks.

    ``person_key("Đồng chí Lê Văn Hoà")`` == ``person_key("ông lê văn hòa")`` == ``"lê văn hòa"``.
    """
    key = name_key(name)
    rest = _HONORIFIC.sub("", key).strip(_EDGE_PUNCT)
    return rest or key


@lru_cache(maxsize=65536)
def display_name(name: str) -> str:
    """The name to show: NFC, spaces collapsed, stray punctuation trimmed, spelling otherwise kept."""
    return _SPACES.sub(" ", nfc(name).replace("\u00a0", " ")).strip(_EDGE_PUNCT)


@lru_cache(maxsize=65536)
def strip_honorifics(name: str) -> str:
    """Return the display name without leading honorifics: "Đồng chí Lê Văn Hoà" → "Lê Văn Hoà"."""
    shown = display_name(name)
    key_words = len(person_key(shown).split())
    words = shown.split()
    return " ".join(words[len(words) - key_words :]) if key_words else shown


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics and with đ → d, for accent-free search.

    ``fold("Đồng chí Hoà đua")`` → ``"dong chi hoa dua"``.
    """
    return _COMBINING.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))).lower()
