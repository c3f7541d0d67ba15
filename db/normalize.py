"""How stored names are shown, and the accent-free text for search.

``display_name(" Quận  Gò Vấp. ")`` is ``"Quận Gò Vấp"``; ``strip_honorifics("Đồng chí Lê Văn Hoà")`` is
``"Lê Văn Hoà"``; ``search_text("Đồng chí thi đua")`` is ``"dong chi thi dua"``. The keys that make
spelling variants one entity are extract's (``extract.identity``): one function for both packages.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from extract.identity import EDGE_PUNCT, person_key

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in NFC: one code point per Vietnamese letter."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def display_name(name: str) -> str:
    """The name to show: NFC, spaces collapsed, stray punctuation trimmed, spelling otherwise kept."""
    return _SPACES.sub(" ", nfc(name).replace("\u00a0", " ")).strip(EDGE_PUNCT)


@lru_cache(maxsize=65536)
def strip_honorifics(name: str) -> str:
    """Return the display name without leading honorifics: "Đồng chí Lê Văn Hoà" → "Lê Văn Hoà"."""
    shown = display_name(name)
    key_words = len(person_key(shown).split())
    words = shown.split()
    return " ".join(words[len(words) - key_words :]) if key_words else shown


# đ has no combining form to drop; its lookalike Ð (U+00D0, Icelandic eth), typed for Đ on some
# sites, folds the same way so "Ðà Nẵng" is found as "da nang". Four ``str.replace`` calls, not
# ``str.translate``: translate looks every character of an article up in a dict (half of folding it).
_D_FOLD = (("đ", "d"), ("Đ", "D"), ("\u00d0", "D"), ("\u00f0", "d"))
# A run of marks removed at once: Vietnamese stacks two on one vowel ("ệ" is e + ̣ + ̂).
_COMBINING_RUN = re.compile(r"[\u0300-\u036f]+")
_GREEK_START = re.compile(r"[\u0370-\u037f]")


def search_text(text: str) -> str:
    """The accent-free, lower-case form of ``text`` the full-text index holds (đ, Đ and the lookalike
    Ð → d, punctuation kept).

    ``search_text("Đồng chí Hoà đua")`` → ``"dong chi hoa dua"``; ``search_text("Ðà Nẵng")`` → ``"da nang"``.
    """
    for letter, plain in _D_FOLD:
        if letter in text:
            text = text.replace(letter, plain)
    decomposed = unicodedata.normalize("NFD", text)
    ascii_only = decomposed.encode("ascii", "ignore")
    # Most text (Vietnamese prose, once decomposed) is ASCII but for its marks: then dropping every
    # non-ASCII character is dropping the marks, at a fraction of the regex's cost. The marks U+0300–
    # U+036F are the two-byte UTF-8 sequences led by 0xCC or 0xCD (0xCD also leads U+0370–U+037F,
    # Greek letters to keep: those go the long way).
    utf8 = decomposed.encode()
    marks = utf8.count(0xCC) + utf8.count(0xCD)
    if len(decomposed) - len(ascii_only) == marks and not _GREEK_START.search(decomposed):
        return ascii_only.decode("ascii").lower()
    return _COMBINING_RUN.sub("", decomposed).lower()
