"""The records extraction hands to the rest of thidua (the contract of design.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ACTIVITIES = ("signing", "review", "launch", "other")
UNIT_KINDS = ("cụm", "khối")
ROLES = ("cụm trưởng", "cụm phó", "khối trưởng", "khối phó")


@dataclass(frozen=True)
class Member:
    """A member unit of a cluster: ``Member("Quận Gò Vấp", None)``, ``Member("Huyện A", "cụm trưởng")``."""

    name: str
    role: str | None = None


@dataclass(frozen=True)
class Official:
    """A person who took part: full name without honorifics, title as written."""

    name: str
    title: str | None = None


@dataclass(frozen=True)
class Event:
    """One meeting of one emulation cluster (cụm) or bloc (khối) reported by an article."""

    activities: tuple[str, ...]
    unit_kind: str
    cluster_number: int | None
    cluster_label: str
    system: str | None
    event_date: dt.date | None
    date_text: str | None
    covenant_year: int | None
    location: str | None
    members: tuple[Member, ...]
    officials: tuple[Official, ...]
