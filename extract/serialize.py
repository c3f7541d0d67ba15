"""Events to and from JSON-ready dicts (dates ISO), and a readable summary for people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from extract.model import Event, Member, Official


class EventFormatError(ValueError):
    """A dict does not describe an Event (missing key, wrong type or bad ISO date)."""


def event_to_dict(event: Event) -> dict[str, Any]:
    """A JSON-ready dict of an event: tuples become lists, dates ISO strings, members/officials dicts."""
    return {
        "activities": list(event.activities),
        "unit_kind": event.unit_kind,
        "cluster_number": event.cluster_number,
        "cluster_label": event.cluster_label,
        "system": event.system,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "date_text": event.date_text,
        "covenant_year": event.covenant_year,
        "location": event.location,
        "members": [{"name": m.name, "role": m.role} for m in event.members],
        "officials": [{"name": o.name, "title": o.title} for o in event.officials],
    }


def event_from_dict(d: dict[str, Any]) -> Event:
    """The Event a dict from :func:`event_to_dict` (or a corpus JSON file) describes.

    Raises :class:`EventFormatError` naming the offending key when the dict is malformed.
    """
    try:
        raw_date = d.get("event_date")
        return Event(
            activities=tuple(d["activities"]),
            unit_kind=d["unit_kind"],
            cluster_number=d.get("cluster_number"),
            cluster_label=d["cluster_label"],
            system=d.get("system"),
            event_date=dt.date.fromisoformat(raw_date) if raw_date else None,
            date_text=d.get("date_text"),
            covenant_year=d.get("covenant_year"),
            location=d.get("location"),
            members=tuple(Member(m["name"], m.get("role")) for m in d.get("members", [])),
            officials=tuple(Official(o["name"], o.get("title")) for o in d.get("officials", [])),
        )
    except KeyError as exc:
        raise EventFormatError(f"event dict lacks the key {exc.args[0]!r}: {sorted(d)}") from exc
    except (TypeError, ValueError) as exc:
        raise EventFormatError(f"event dict has a malformed value ({exc}): {d!r}") from exc


def format_events(events: Iterable[Event]) -> str:
    """A readable multi-line summary of events, one block per event ("no event" when empty)."""
    blocks: list[str] = []
    for n, e in enumerate(events, 1):
        lines = [
            f"Event {n}: {e.cluster_label}" + (f" ({e.system})" if e.system else ""),
            f"  kind: {e.unit_kind}   number: {e.cluster_number if e.cluster_number is not None else '-'}",
            f"  activities: {', '.join(e.activities) or '-'}",
            f"  date: {e.event_date.isoformat() if e.event_date else '-'}"
            + (f"  [{e.date_text}]" if e.date_text else ""),
            f"  covenant year: {e.covenant_year if e.covenant_year is not None else '-'}",
            f"  location: {e.location or '-'}",
        ]
        if e.members:
            lines.append("  members:")
            lines += [f"    - {m.name}" + (f" ({m.role})" if m.role else "") for m in e.members]
        if e.officials:
            lines.append("  officials:")
            lines += [f"    - {o.name}" + (f", {o.title}" if o.title else "") for o in e.officials]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) if blocks else "no cluster or bloc meeting reported"
