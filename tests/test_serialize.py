"""extract.serialize: JSON-ready dicts both ways and the readable summary."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from extract import Event, EventFormatError, Member, Official, event_from_dict, event_to_dict, format_events

EVENT = Event(
    activities=("review", "signing"),
    unit_kind="cụm",
    cluster_number=2,
    cluster_label="Cụm thi đua số 2",
    system="tỉnh Thanh Hóa",
    event_date=dt.date(2025, 1, 14),
    date_text="Sáng 14/1",
    covenant_year=2025,
    location="Hội trường UBND huyện Hậu Lộc",
    members=(Member("Huyện Hậu Lộc", "cụm trưởng"), Member("Huyện Nga Sơn")),
    officials=(Official("Trần Văn Bình", "Bí thư Huyện ủy Hậu Lộc"), Official("Lê Thị Hoa")),
)


def test_round_trip_through_json() -> None:
    d = event_to_dict(EVENT)
    assert d["event_date"] == "2025-01-14"
    assert event_from_dict(json.loads(json.dumps(d, ensure_ascii=False))) == EVENT


def test_missing_key_is_a_clear_error() -> None:
    d = event_to_dict(EVENT)
    del d["unit_kind"]
    with pytest.raises(EventFormatError, match="unit_kind"):
        event_from_dict(d)


def test_bad_date_is_a_clear_error() -> None:
    with pytest.raises(EventFormatError, match="malformed"):
        event_from_dict({**event_to_dict(EVENT), "event_date": "14/1/2025"})


def test_format_events() -> None:
    text = format_events([EVENT])
    assert "Cụm thi đua số 2 (tỉnh Thanh Hóa)" in text
    assert "2025-01-14  [Sáng 14/1]" in text
    assert "Huyện Hậu Lộc (cụm trưởng)" in text
    assert format_events([]) == "no cluster or bloc meeting reported"
