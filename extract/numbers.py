"""Cluster numbers: Arabic (zero-padded) or Roman, written back in the style of the first one."""

from __future__ import annotations

import re

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(text: str) -> int | None:
    """Value of an upper-case Roman numeral, or None if it is not one: ``"VIII"`` → 8, ``"XI"`` → 11."""
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        if i + 1 < len(text) and _ROMAN[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total if 0 < total < 200 else None


def parse_number(text: str) -> int | None:
    """A cluster number written in Arabic (zero-padded allowed) or Roman: ``"04"`` → 4, ``"XII"`` → 12."""
    if text.isdigit():
        value = int(text)
        return value if 0 < value < 500 else None
    return roman_to_int(text)


def roman_or_arabic_like(label: str, value: int) -> str:
    """Write a sibling number in the style of the first one (Roman stays Roman)."""
    if re.search(r"[IVXLC]+$", label) and not label[-1].isdigit():
        numerals = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X")]
        numerals += [(9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out = ""
        for v, s in numerals:
            while value >= v:
                out += s
                value -= v
        return out
    return str(value)
