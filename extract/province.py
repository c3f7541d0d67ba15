"""Whose an event is, as a province: the one the system names, else its members', else its venue's.

An analyst counts events per province, and Vietnam has had two sets of them: 63 until July 2025, 34
after the merger. ``event_province`` returns both, the province as named (old or new) and the
post-2025 province it belongs to now, so a chart over years compares like with like and the
province a report named is still there to read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from extract.gazetteer import provinces_of
from extract.sources import provinces


@dataclass(frozen=True)
class EventProvince:
    """A province as named (``named``, old or new) and the post-July-2025 province it is in (``now``)."""

    named: str
    now: str


@lru_cache(maxsize=1)
def _merged_into() -> dict[str, str]:
    """Old province (with its admin word) → post-2025 province; new provinces map to themselves."""
    table = {p.name: p.merged_into for p in provinces()}
    for new in set(table.values()):
        table.setdefault(new, new)
    return table


@lru_cache(maxsize=1)
def _full_names() -> tuple[tuple[str, str], ...]:
    """(casefolded name with its admin word, name) of every old and new province, longest first."""
    names = set(_merged_into())
    return tuple(sorted(((n.casefold(), n) for n in names), key=lambda item: -len(item[0])))


@lru_cache(maxsize=65536)
def _one_province(phrase: str) -> str | None:
    """The one province a phrase names or lies in (None when none or several).

    The gazetteer reads a capitalised name after the admin word; a name written with a hyphen ("tỉnh
    Bà Rịa - Vũng Tàu") or in lower case is found by its full name instead.
    """
    found = provinces_of([phrase])
    if not found:
        folded = f" {phrase.casefold()} "
        found = {name for key, name in _full_names() if f" {key} " in folded or f" {key}," in folded}
    return next(iter(found)) if len(found) == 1 else None


def province_now(named: str) -> str:
    """The post-2025 province of a province as named: "tỉnh Đắk Nông" → "tỉnh Lâm Đồng"."""
    return _merged_into().get(named, named)


def event_province(system: str | None, members: Iterable[str], venue: str | None) -> EventProvince | None:
    """The province of an event: its system's, else the one all its placed members share, else its venue's.

    ``event_province("Công an tỉnh Đắk Nông", [], None)`` → named "tỉnh Đắk Nông", now "tỉnh Lâm Đồng";
    ``event_province(None, ["Huyện Đức Trọng", "Huyện Di Linh"], None)`` → "tỉnh Lâm Đồng";
    ``event_province(None, ["tỉnh Đồng Nai", "tỉnh Bình Dương"], None)`` → None (a cluster of provinces).
    """
    named = _one_province(system) if system else None
    if named is None and not system:
        found = {p for p in (_one_province(m) for m in members) if p}
        if len(found) == 1:
            named = found.pop()
        elif not found and venue:
            named = _one_province(venue)
    if named is None:
        return None
    return EventProvince(named, province_now(named))


def unit_province(name: str) -> str | None:
    """The post-2025 province a unit's own name places it in, or None.

    ``unit_province("Công an tỉnh Đắk Nông")`` → ``"tỉnh Lâm Đồng"``.

    Units of an event that has no province (a bloc of a national body, a cluster of provinces) are
    keyed within this one.
    """
    named = _one_province(name)
    return province_now(named) if named else None
