"""The one identity key of a name, shared by extract and db: spelling variants of one name are equal.

``name_key("Quận  Gò vấp")`` and ``name_key("quận gò vấp")`` are one unit; ``person_key("Đồng chí Lê
Văn Hoà")`` and ``person_key("ông Lê Văn Hòa")`` are one person. Tone placement ("Hoà"/"Hòa",
"Uỷ"/"Ủy") and lookalike letters ("Ð" → "Đ") are settled by ``normalize_text``, the normalisation the
extractor applies to the article text, so a name taken from the normalised text and the same name
typed in the old style get one key. (``casefold_key`` compares pieces of one already normalised
text inside the extractor; it is not an identity.)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from extract.lexicon import KEY_HONORIFICS
from extract.normalize import normalize_text

_SPACES = re.compile(r"\s+")
#: Punctuation trimmed from both ends of a name (a list item's comma, a quote, a dash).
EDGE_PUNCT = " \t\n.,;:!?\"'“”‘’()[]-–—"

# Honorifics and ranks written before a person's name (compared on the casefolded, NFC key): the
# extractor's one list, with the forms of address typed names carry (extract.lexicon.KEY_HONORIFICS).
_HONORIFICS = tuple(sorted({h.casefold() for h in KEY_HONORIFICS}))

_HONORIFIC = re.compile(
    r"^(?:(?:"
    + "|".join(re.escape(h) for h in sorted(_HONORIFICS, key=len, reverse=True))
    + r")(?:\s+|(?<=\.)))+"
)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The identity of a unit, cluster or system name: extract's normalisation, casefolded, spaces collapsed.

    ``name_key("  UBND  Huyện Như Thanh. ")`` == ``name_key("ubnd huyện như thanh")``.
    """
    # casefold may decompose some letters: NFC again
    text = unicodedata.normalize("NFC", normalize_text(name).casefold())
    return _SPACES.sub(" ", text).strip(EDGE_PUNCT)


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """The identity of a person: ``name_key`` without leading honorifics or ranks.

    ``person_key("Đồng chí Lê Văn Hoà")`` == ``person_key("ông lê văn hòa")`` == ``"lê văn hòa"``.
    """
    key = name_key(name)
    rest = _HONORIFIC.sub("", key).strip(EDGE_PUNCT)
    return rest or key
