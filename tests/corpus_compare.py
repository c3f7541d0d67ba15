"""The corpus comparison of the extraction conventions, written once for tests and the bench."""

from __future__ import annotations

import unicodedata
from typing import Any

LOOSE = ("cluster_label", "date_text", "location", "system")


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _loose(value: str | None) -> str | None:
    return None if value is None else _nfc(value).casefold()


def _exact(value: str | None) -> str | None:
    return None if value is None else _nfc(value)


def comparable(event: dict[str, Any]) -> dict[str, Any]:
    """An event dict in the form the conventions compare: loose strings folded, activities a sorted
    set, members and officials ordered lists with names exact (NFC, whitespace collapsed) and
    titles folded."""
    out: dict[str, Any] = {
        "activities": sorted(set(event["activities"])),
        "unit_kind": event["unit_kind"],
        "cluster_number": event["cluster_number"],
        "event_date": event["event_date"],
        "covenant_year": event["covenant_year"],
        "members": [(_exact(m["name"]), m["role"]) for m in event["members"]],
        "officials": [(_exact(o["name"]), _loose(o["title"])) for o in event["officials"]],
    }
    for key in LOOSE:
        out[key] = _loose(event[key])
    return out


def differences(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> list[str]:
    """Human-readable differences between expected and actual event lists (empty when equal)."""
    if len(expected) != len(actual):
        return [f"expected {len(expected)} events, got {len(actual)}: {[a['cluster_label'] for a in actual]}"]
    out: list[str] = []
    for n, (e, a) in enumerate(zip(expected, actual, strict=True)):
        ce, ca = comparable(e), comparable(a)
        for key in ce:
            if ce[key] != ca[key]:
                out.append(f"event {n} {key}: expected {ce[key]!r}, got {ca[key]!r}")
    return out
