"""Keys that make spelling variants of one name equal, and the accent-free text for search.

``name_key("Quận  Gò vấp")`` and ``name_key("quận gò vấp")`` are one unit; ``person_key("Đồng chí Lê
Văn Hoà")`` and ``person_key("ông Lê Văn Hòa")`` are one person. ``search_text("Đồng chí thi đua")`` is
``"dong chi thi dua"``.

Tone placement ("Hoà"/"Hòa", "Uỷ"/"Ủy") and lookalike letters ("Ð" → "Đ") are settled by
``extract.normalize.normalize_text``, the normalisation the extractor applies to the article text, so
a name taken from the normalised text and the same name typed in the old style get one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from extract.lexicon import KEY_HONORIFICS
from extract.normalize import normalize_text

_SPACES = re.compile(r"\s+")
_EDGE_PUNCT = " \t\n.,;:!?\"'“”‘’()[]-–—"

# Honorifics and ranks written before a person's name (compared on the casefolded, NFC key): the
# extractor's one list, with the forms of address typed names carry (extract.lexicon.KEY_HONORIFICS).
_HONORIFICS = tuple(sorted({h.casefold() for h in KEY_HONORIFICS}))

_HONORIFIC = re.compile(
    r"^(?:(?:"
    + "|".join(re.escape(h) for h in sorted(_HONORIFICS, key=len, reverse=True))
    + r")(?:\s+|(?<=\.)))+"
)
_COMBINING = re.compile(r"[\u0300-\u036f]")


def nfc(text: str) -> str:
    """Return ``text`` in NFC: one code point per Vietnamese letter."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The identity of a unit, cluster or system name: extract's normalisation, casefolded, spaces collapsed.

    ``name_key("  UBND  Huyện Như Thanh. ")`` == ``name_key("ubnd huyện như thanh")``.
    """
    text = nfc(normalize_text(name).casefold())  # casefold may decompose some letters: NFC again
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


def search_text(text: str) -> str:
    """The accent-free, lower-case form of ``text`` the full-text index holds (đ → d, punctuation kept).

    ``search_text("Đồng chí Hoà đua")`` → ``"dong chi hoa dua"``.
    """
    return _COMBINING.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))).lower()
