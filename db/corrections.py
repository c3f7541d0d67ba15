"""Analysts' corrections of events: a value checked before it is stored, and laid over every refresh.

``correction_value("event_date", "2025-03-06")`` → ``"2025-03-06"``; ``correction_value("activities",
"signing, review")`` → ``'["signing","review"]'``. ``apply_corrections(conn, event_id)`` writes the
stored corrections onto the event row, after storage merged its reports, so a re-extraction that
recomputes the event keeps what the analyst said.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from db.errors import OverrideError
from db.schema import CORRECTABLE
from db.values import compact_json
from extract.model import ACTIVITIES
from extract.province import event_province
from extract.systems import canonical_system


def correction_value(field: str, value: str) -> str | None:
    """The value stored for a correction of ``field`` (None clears the field); OverrideError if wrong.

    ``correction_value("covenant_year", "2025")`` → ``"2025"``; ``correction_value("province", "Đắk
    Nông")`` → ``"tỉnh Lâm Đồng"`` (the post-2025 province).
    """
    if field not in CORRECTABLE:
        raise OverrideError(f"cannot correct {field!r}: the fields are {', '.join(CORRECTABLE)}")
    text = " ".join(value.split())
    if not text:
        return None
    if field == "event_date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise OverrideError(f"event_date {value!r} is not a date: write it as YYYY-MM-DD") from None
    if field == "covenant_year":
        if not text.isdigit() or not 1945 <= int(text) <= 2100:
            raise OverrideError(f"covenant_year {value!r} is not a year such as 2025")
        return str(int(text))
    if field == "activities":
        named = [a.strip() for a in text.split(",") if a.strip()]
        wrong = [a for a in named if a not in ACTIVITIES]
        if wrong:
            raise OverrideError(f"activities {', '.join(wrong)} unknown: use {', '.join(ACTIVITIES)}")
        return compact_json([a for a in ACTIVITIES if a in named])
    if field == "province":
        whose = event_province(canonical_system(text), (), None)
        if whose is None:
            raise OverrideError(
                f"province {value!r} is not a province: write it as 'tỉnh X' or 'thành phố X'"
            )
        return whose.named
    return text


def apply_corrections(conn: sqlite3.Connection, event_id: int) -> None:
    """Write the analyst's corrections of ``event_id`` onto its row (year and month follow the date)."""
    rows = conn.execute("SELECT field, value FROM corrections WHERE event_id = ?", [event_id]).fetchall()
    for field, value in rows:
        if field == "province":
            whose = event_province(value, (), None) if value else None
            conn.execute(
                "UPDATE events SET province = ?, province_named = ? WHERE id = ?",
                [whose.now if whose else None, whose.named if whose else None, event_id],
            )
        elif field == "activities":
            conn.execute("UPDATE events SET activities = ? WHERE id = ?", [value or "[]", event_id])
        else:
            conn.execute(f"UPDATE events SET {field} = ? WHERE id = ?", [value, event_id])
    if rows:
        conn.execute(
            "UPDATE events SET month = substr(event_date, 1, 7), "
            "year = coalesce(covenant_year, CAST(substr(event_date, 1, 4) AS INTEGER)) WHERE id = ?",
            [event_id],
        )
