"""The one spelling of a cluster's owner ("system"), from the alias table in ``data/system_aliases.toml``.

``canonical_system("UBND tỉnh Lâm Đồng")`` → ``"tỉnh Lâm Đồng"``; ``canonical_system("TPHCM")`` →
``"thành phố Hồ Chí Minh"``; ``canonical_system("Ủy ban Trung ương MTTQ Việt Nam")`` → ``"Ủy ban
Trung ương Mặt trận Tổ quốc Việt Nam"``. ``system_key`` is the identity key of that spelling, which
the cluster identity is built from. ``is_known_system`` says whether a system is a province, a
place in one, or a body of the host table (``data/sources.toml``).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from extract.identity import EDGE_PUNCT, name_key
from extract.normalize import normalize_text
from extract.province import event_province
from extract.sources import provinces


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("extract").joinpath("data", name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern matching every abbreviation as a whole word (longest first), and its expansions."""
    table = {normalize_text(k): v for k, v in _load("system_aliases.toml")["abbreviations"].items()}
    alternatives = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    # "TP." ends in a dot: the word boundary after it is the dot itself; "TP" needs a non-letter.
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?:(?<=\.)|(?![\w&]))"), table


@lru_cache(maxsize=1)
def _prefix() -> re.Pattern[str]:
    """Words dropped before a place: "Ủy ban nhân dân tỉnh X" → "tỉnh X" (case ignored)."""
    data = _load("system_aliases.toml")["prefixes"]
    dropped = "|".join(re.escape(normalize_text(w)) for w in data["dropped"])
    places = "|".join(re.escape(w) for w in data["places"])
    return re.compile(rf"^(?:(?:{dropped})\s+)+(?=(?:{places})\s)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Identity key of every alias → the one spelling, and each spelling's own key to itself."""
    table: dict[str, str] = {}
    for canonical, aliases in _load("system_aliases.toml")["names"].items():
        for alias in (canonical, *aliases):
            table[name_key(_expanded(alias))] = canonical
    return table


@lru_cache(maxsize=1)
def _bare_provinces() -> dict[str, str]:
    """Key of a province's name alone ("lâm đồng") → its name with the admin word ("tỉnh Lâm Đồng")."""
    table = {name_key(p.short): p.name for p in provinces()}
    for new in {p.merged_into for p in provinces()}:
        table.setdefault(name_key(new.removeprefix("thành phố ").removeprefix("tỉnh ")), new)
    return table


@lru_cache(maxsize=1)
def _heads() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern matching a known head at the start of a name (longest first), and its spelling."""
    table: dict[str, str] = {}
    for canonical, variants in _load("system_aliases.toml")["heads"].items():
        for variant in (canonical, *variants):
            table[name_key(variant)] = canonical
    alternatives = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})(?!\w)", re.IGNORECASE), table


def _expanded(text: str) -> str:
    """The system with abbreviations written out, "the authorities of" words dropped, its head spelt once."""
    pattern, table = _abbreviations()
    text = " ".join(normalize_text(text).split()).strip(EDGE_PUNCT)
    text = pattern.sub(lambda m: table[m.group(0)], text)
    text = _prefix().sub("", " ".join(text.split()))
    heads, spelling = _heads()
    found = heads.match(text.casefold())
    if found:  # casefold keeps Vietnamese lengths, so the match's end is an offset in text
        text = spelling[found.group(0)] + text[found.end() :]
    return text


@lru_cache(maxsize=65536)
def canonical_system(system: str) -> str:
    """The one spelling of a system: abbreviations expanded, "UBND" before a place dropped, aliases mapped.

    ``canonical_system("Cụm thi đua thuộc UBND TP.HCM")`` is not a system; ``canonical_system("UBND
    TP.HCM")`` → ``"thành phố Hồ Chí Minh"``; ``canonical_system("Lâm Đồng")`` → ``"tỉnh Lâm Đồng"``.
    """
    text = _expanded(system)
    key = name_key(text)
    if key in _bare_provinces():
        return _bare_provinces()[key]
    return _names().get(key, text)


def system_key(system: str | None) -> str:
    """The identity key of a system's one spelling ("" for none): what cluster identities are built from."""
    return name_key(canonical_system(system)) if system else ""


@lru_cache(maxsize=1)
def _known_bodies() -> frozenset[str]:
    """Keys of every body the host table names, with each province filled into its templates."""
    data = _load("sources.toml")
    bodies = set(data["hosts"].values())
    for body in (*data["templates"].values(), *data["subdomains"].values()):
        for p in provinces():
            bodies.add(body.replace("{p}", p.name).replace("{n}", p.short))
    return frozenset(system_key(b) for b in bodies)


def is_known_system(system: str) -> bool:
    """True when a system is a province or lies in one (gazetteer), or is a body of the host table.

    ``is_known_system("Ủy ban Trung ương MTTQ Việt Nam")`` → True; ``is_known_system("Bộ Lạ")`` → False.
    """
    if event_province(canonical_system(system), (), None) is not None:
        return True
    return system_key(system) in _known_bodies() or system_key(system) in _names()
