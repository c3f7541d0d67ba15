"""Which province a unit or a venue belongs to, from the province and district tables in ``data/``.

``provinces.toml`` (63 old provinces, each with its post-July-2025 province) and ``districts.toml``
(old districts → province) are read once. Used for an event's ``system`` when the text does not
name the cluster's owner: the province all its members, else its venue, belong to.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from extract.lexicon import alternation, words
from extract.sources import provinces

# Admin words before a district's name, as the tables write them (lower case) and texts abbreviate.
_DISTRICT_WORDS = words("district_words")
_PLACE = re.compile(
    rf"(?<![\wÀ-ỹ])(?P<word>{alternation('owner_admin_words')})\s+(?P<name>[A-ZÀ-ỸĐ][\wÀ-ỹ]*(?:\s+[A-ZÀ-ỸĐ0-9][\wÀ-ỹ]*)*)",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(province short name → province, district "huyện X" → province), built once."""
    text = resources.files("extract").joinpath("data", "districts.toml").read_text(encoding="utf-8")
    districts = dict(tomllib.loads(text)["districts"])
    by_short = {p.short: p.name for p in provinces()}
    return by_short, districts


def _province_in(phrase: str) -> str | None:
    """The province a phrase names or lies in: "Công an huyện Đức Trọng" → "tỉnh Lâm Đồng"."""
    by_short, districts = _tables()
    bare = phrase.strip()
    if bare in by_short:  # a bare list item: "Đồng Nai"
        return by_short[bare]
    for m in _PLACE.finditer(phrase):
        word = " ".join(m.group("word").lower().split())
        word = "thành phố" if word.startswith("tp") else word
        name = m.group("name")
        city = by_short.get(name, "").startswith("thành phố")
        if name in by_short and (word == "tỉnh" or (word == "thành phố" and city)):
            return by_short[name]
        if f"{word} {name}" in districts:
            return districts[f"{word} {name}"]
    for word in _DISTRICT_WORDS:  # a bare district: "Đức Trọng"
        if f"{word} {bare}" in districts:
            return districts[f"{word} {bare}"]
    words = bare.split()
    for n in (3, 2):  # a unit named after its province: "Công ty Yến sào Khánh Hòa", "Báo Quảng Ngãi"
        tail = " ".join(words[-n:])
        if len(words) > n and tail in by_short:
            return by_short[tail]
    return None


def provinces_of(units: Iterable[str]) -> set[str]:
    """Every province the units name or lie in: ``provinces_of(["Sơn La", "Điện Biên"])`` → both."""
    return {p for p in (_province_in(u) for u in units) if p}


def province_of(units: Iterable[str], venue: str | None = None) -> str | None:
    """The one province every unit that names a place lies in, else the venue's province, else None.

    ``province_of(["Đức Trọng", "Di Linh"])`` → ``"tỉnh Lâm Đồng"``;
    ``province_of(["Đồng Nai", "Bình Dương"])`` → None (a cluster of provinces has no one province);
    ``province_of([], "huyện Đức Trọng")`` → ``"tỉnh Lâm Đồng"``.
    """
    found = provinces_of(units)
    if len(found) == 1:
        return found.pop()
    if found:
        return None
    return _province_in(venue) if venue else None
