"""db.validation: a storable event passes, each value the schema would reject is named in the error."""

from __future__ import annotations

import dataclasses

import pytest

from db.errors import InvalidEventError
from db.validation import validate_event
from extract.model import Event, Member, Official

GOOD = Event(
    activities=("signing",),
    unit_kind="cụm",
    cluster_number=3,
    cluster_label="Cụm thi đua số 3",
    system="tỉnh Thanh Hóa",
    event_date=None,
    date_text=None,
    covenant_year=2025,
    location=None,
    members=(Member("Huyện Như Thanh", "cụm trưởng"), Member("Huyện Nông Cống")),
    officials=(Official("Lê Văn Hòa", "Phó Chủ tịch UBND tỉnh"),),
)


def test_a_storable_event_passes() -> None:
    assert validate_event(GOOD, "https://a.vn/1") is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit_kind": "nhóm"}, "unit_kind 'nhóm' is not one of"),
        ({"activities": ("signing", "party")}, "activity 'party' is not one of"),
        ({"members": (Member("Huyện Như Thanh", "trưởng nhóm"),)}, "member role 'trưởng nhóm'"),
        ({"members": (Member(" . "),)}, "a member has no name"),
        ({"officials": (Official("  ", None),)}, "an official has no name"),
        ({"cluster_label": " "}, "cluster_label is empty"),
    ],
)
def test_each_rejected_value_is_named(change: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidEventError, match=message) as raised:
        validate_event(dataclasses.replace(GOOD, **change), "https://a.vn/1")  # type: ignore[arg-type]
    assert "https://a.vn/1" in str(raised.value) and "nothing was stored" in str(raised.value)
