"""Text normalisation done once, before any matching: NFC, one tone placement, lookalikes, spaces.

underthesea's ``text_normalize`` re-tokenises (``"TPHCM,"`` → ``"TPHCM ,"``), which would move every
offset and break the phrases we return "as written". We therefore call its per-token normaliser on
each run of letters only, so the text keeps its spacing and punctuation and only the tone placement
of words changes ("Uỷ" → "Ủy", "hoà" → "hòa").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# Lookalike letters seen in scraped pages: Icelandic eth for the Vietnamese D-with-stroke.
_LOOKALIKES = str.maketrans(
    {
        "\u00d0": "\u0110",  # Ð → Đ
        "\u00f0": "\u0111",  # ð → đ
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u3000": " ",
        "\t": " ",
        "\r": "",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
        "\u00ad": "",
    }
)

# The same mapping as a regex: str.translate with a dict looks every character of the text up (80 µs
# for an article of 1,500 characters); the regex finds the few lookalikes in ~5 µs.
_LOOKALIKE_OF = {chr(code): value for code, value in _LOOKALIKES.items()}
_A_LOOKALIKE = re.compile("[" + "".join(map(re.escape, _LOOKALIKE_OF)) + "]")
_LETTERS = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r"[ ]{2,}")


@lru_cache(maxsize=1)
def _token_normalizer() -> Callable[[str], str]:
    # Loaded lazily: `import extract` should stay cheap; and only underthesea's token_normalize
    # module and its table, without the ~72 MB `import underthesea` costs (extract.underthesea_files).
    from extract.underthesea_files import token_normalize_module

    return token_normalize_module().token_normalize


@lru_cache(maxsize=50_000)
def normalize_word(word: str) -> str:
    """Return one word with the new-style tone placement: ``"Uỷ"`` → ``"Ủy"``, ``"hoà"`` → ``"hòa"``.

    The input is a run of letters (NFC). Words underthesea does not know come back unchanged.
    """
    fixed = _token_normalizer()(word)
    # The normaliser only moves tone marks; never accept a change of length or letters count.
    if not isinstance(fixed, str) or len(fixed) != len(word):
        return word
    return fixed


def normalize_text(text: str) -> str:
    """Normalise a whole article: NFC, lookalike letters, dashes, quotes, spaces, tone placement.

    Line breaks are kept (lines matter for banners, bylines and captions); runs of spaces become one
    and every line is stripped. ``"Uỷ ban  nhân dân – Ðà Nẵng"`` → ``"Ủy ban nhân dân - Đà Nẵng"``.
    """
    text = _A_LOOKALIKE.sub(_lookalike, unicodedata.normalize("NFC", text))
    # Most articles have no word to re-tone: the distinct words are asked first (each answer cached),
    # and only a text with one is rewritten word by word (the rewrite cost 220 µs an article).
    if any(normalize_word(word) != word for word in set(_LETTERS.findall(text))):
        text = _LETTERS.sub(lambda m: normalize_word(m.group(0)), text)
    lines = [line.strip() for line in _SPACES.sub(" ", text).split("\n")]  # one pass, not one a line
    return "\n".join(lines)


def _lookalike(match: re.Match[str]) -> str:
    """What ``_LOOKALIKES`` maps the matched character to (as ``str.translate`` reads the table)."""
    value = _LOOKALIKE_OF[match.group(0)]
    if value is None:
        return ""
    return value if isinstance(value, str) else chr(value)


def collapse(text: str) -> str:
    """Collapse whitespace runs to single spaces and strip: ``" Quận  7\\n"`` → ``"Quận 7"``."""
    return " ".join(text.split())


def casefold_key(text: str) -> str:
    """Key for loose comparisons: NFC, casefold, collapsed whitespace (keeps đ and the accents)."""
    return collapse(unicodedata.normalize("NFC", text)).casefold()


_SPACE = re.compile(r"\s")


def window_before(text: str, pos: int, width: int) -> str:
    """The text before ``pos``, at most ``width`` characters, starting right after a whitespace.

    Cues written just before a mention are looked for in this window, not in the whole prefix, so
    that a sentence of n mentions costs n, not n². The window opens on a word boundary, so that ``^``
    and ``\\b`` at its start mean what they mean in the full text: ``window_before("a bc de", 7, 4)``
    → ``"de"``.
    """
    start = pos - width
    if start <= 0:
        return text[:pos]
    m = _SPACE.search(text, start - 1, pos)
    return text[m.end() : pos] if m else ""
