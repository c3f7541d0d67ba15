"""Accent-free ASCII forms of Vietnamese text, for the scraper's loose comparisons.

``ascii_words("Cụm Thi Đua số 3")`` → ``"cum thi dua so 3"`` (slugs and titles match on these);
``ascii_skeleton("Dân Trí")`` → ``"dantri"`` (site names written "DANTRI", "Dân trí", "dan-tri").
Not the extractor's key (``extract.normalize``), which keeps đ and the accents.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def ascii_words(text: str) -> str:
    """Lower-case ASCII words of ``text``: no diacritics, đ → d, one space between words.

    ``ascii_words("Cụm Thi Đua số 3")`` → ``"cum thi dua so 3"``; the slug ``"cum-thi-dua-so-3"`` too.
    """
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # "Ð" (U+00D0, Icelandic eth) stands for "Đ" in scraped pages, as extract.normalize settles it.
    bare = bare.replace("đ", "d").replace("Đ", "D").replace("\u00d0", "D").replace("\u00f0", "d").lower()
    return _NON_WORD.sub(" ", bare).strip()


def ascii_skeleton(text: str) -> str:
    """``ascii_words`` without the spaces, so spacing and punctuation never matter.

    ``ascii_skeleton("TUỔI TRẺ Online")`` == ``ascii_skeleton("tuoitre-online")`` == ``"tuoitreonline"``.
    """
    return ascii_words(text).replace(" ", "")
