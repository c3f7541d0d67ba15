"""Member matching: equality, then the longest whole-word suffix either way."""

from __future__ import annotations

import pytest

from extract.matching import MemberIndex


@pytest.mark.parametrize(
    ("names", "unit", "expected"),
    [
        (["Sở Tư pháp", "Sở Nội vụ"], "sở nội vụ", 1),  # folded equality
        (["Sở A", "UBND Sở A"], "Sở A", 0),  # equality wins over a longer name it ends
        (["Sở A"], "UBND Sở A", 0),  # a member name ends the phrase
        (["UBND huyện A", "huyện A"], "A", 0),  # the phrase ends names: the longest, the first
        (["Sở Tài chính"], "chính", 0),
        (["Sở Tài chính"], "ài chính", None),  # not a whole word
        (["Sở A", None, ""], "", None),
        (["Sở A", "Sở A"], "UBND Sở A", 0),  # equal lengths: the first
        # names and phrases longer than the indexed suffixes are compared one by one
        (["Sở A", " ".join(["x"] * 30) + " sở a"], "a", 1),
        (["x " * 20 + "sở a"], "y " * 20 + "x " * 20 + "sở a", 0),
        (["sở a"], "y " * 20 + "sở a", 0),
        # typos and admin words aside (issue 9): a role statement spelling its unit differently
        (["Sở Tài chính tỉnh Bình Định", "Sở Tài chính tỉnh Quảng Ngãi"], "Sở Tài chỉnh tỉnh Quãng Ngài", 1),
        (["Công an thành phố Vinh"], "Công an TP Vinh", 0),
        (["Hội Luật gia Đồng Nai"], "Hội Luật gia tỉnh Đồng Nai", 0),
        (["Sở Tài chính tỉnh Bình Định"], "Sở Tư pháp tỉnh Bình Định", None),
    ],
)
def test_match(names: list[str | None], unit: str, expected: int | None) -> None:
    index = MemberIndex()
    for name in names:
        index.add(name)
    assert index.match(unit) == expected
