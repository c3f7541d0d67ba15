"""How Python values are written into SQLite text columns: dates as ISO 8601, lists as compact JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import starmap
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def iso(value: dt.date | dt.datetime | None) -> str | None:
    """ISO 8601 text of a date or datetime (with its offset when aware), None for None.

    ``iso(dt.date(2025, 3, 6))`` → ``"2025-03-06"``.
    """
    return value.isoformat() if value is not None else None


def compact_json(value: Any) -> str:
    """Compact JSON keeping Vietnamese letters readable: ``compact_json(["Cụm 3"])`` → ``'["Cụm 3"]'``."""
    return _ENCODER.encode(value)


@lru_cache(maxsize=65536)
def _pair_json(name: str, detail: str | None) -> str:
    return _ENCODER.encode([name, detail])


def pairs_json(pairs: Iterable[Sequence[Any]]) -> str:
    """``compact_json`` of a list of [name, role-or-title] pairs, each pair's text cached: the same
    units and people recur in every report, and the JSON encoder costs more than the row's insert.

    ``pairs_json([["Huyện A", "cụm trưởng"], ["Huyện B", None]])`` →
    ``'[["Huyện A","cụm trưởng"],["Huyện B",null]]'``.
    """
    return "[" + ",".join(starmap(_pair_json, pairs)) + "]"
