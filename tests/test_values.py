"""db.values: the text SQLite columns hold, the cheaper pair encoder equal to the general one."""

from __future__ import annotations

from typing import Any

import pytest

from db.values import compact_json, pairs_json


@pytest.mark.parametrize(
    "pairs",
    [
        [],
        [["Huyện Như Thanh", "cụm trưởng"], ["Huyện Nông Cống", None]],
        [['Sở "Nội vụ"', "phó\ttrưởng"], ["Lê Văn Hoà\\", "Chủ tịch\n"]],
        [["Đắk Lắk", None], ["Đắk Lắk", None]],
    ],
)
def test_pairs_json_is_compact_json(pairs: list[list[Any]]) -> None:
    assert pairs_json(pairs) == compact_json(pairs)
