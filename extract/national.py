"""The national system of a cluster whose members are one kind of body in several provinces.

``national_body(["TAND tỉnh An Giang", "TAND tỉnh Cà Mau"])`` → "Tòa án nhân dân": the body each
member names before its place, looked up in ``data/national.toml`` (read once); an association
("Hội Luật gia Đồng Nai", "Hội Luật gia Tp.HCM") not listed there belongs to "Hội Luật gia Việt Nam".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from extract.gazetteer import provinces_of
from extract.lexicon import alternation

# Where the place starts in a member's name: an admin word, or the province named bare at the end.
_ADMIN = re.compile(rf"\s+(?:{alternation('province_words')}|TP(?=\.?[A-ZĐ]))(?=[\s.A-ZĐ])")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    text = resources.files("extract").joinpath("data", "national.toml").read_text(encoding="utf-8")
    return {k.casefold(): str(v) for k, v in tomllib.loads(text)["national"].items()}


def _body(member: str) -> str | None:
    """The body a member names before its place: "TAND tỉnh Cà Mau" → "TAND", "Hội Luật gia Đồng
    Nai" → "Hội Luật gia" (the province, two or three words, taken off the end)."""
    m = _ADMIN.search(member)
    if m:
        return member[: m.start()].strip() or None
    words = member.split()
    for n in (3, 2, 1):
        if len(words) > n and words[-n][:1].isupper() and provinces_of([" ".join(words[-n:])]):
            return " ".join(words[:-n])
    return None


def national_of(unit: str) -> str | None:
    """The national system of one provincial body: "Hội Luật gia tỉnh Bình Phước" → "Hội Luật gia
    Việt Nam", "TAND tỉnh Cà Mau" → "Tòa án nhân dân"; None for a province or an unknown body."""
    body = _body(unit)
    if not body:
        return None
    known = _table().get(body.casefold())
    if known:
        return known
    if body.startswith("Hội ") and not body.endswith("Việt Nam"):
        return f"{body} Việt Nam"
    return None


def national_body(members: Sequence[str]) -> str | None:
    """The national system when at least two members are the same body in different provinces."""
    if len(members) < 2 or len(provinces_of(members)) < 2:
        return None
    bodies = {b.casefold() for b in map(_body, members) if b}
    named = [_body(m) for m in members]
    if len(bodies) != 1 or any(b is None for b in named):
        return None
    return national_of(members[0])
