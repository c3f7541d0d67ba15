"""db.events: the site that stands for an unknown system."""

from __future__ import annotations

import json

import pytest

from db.events import activities_json, site_of
from db.values import compact_json
from extract.sources import host_of


@pytest.mark.parametrize(
    "url",
    [
        "https://baolamdong.vn/tin-1.htm",
        "https://www.baolamdong.vn/tin-1.htm?x=1#y",
        "http://m.baonghean.vn",
        "https://m.www.example.vn/",
        "https://www.m.example.vn/a",
        "https://BaoNgheAn.vn/tin",
        "HTTPS://baonghean.vn/tin",
        "https://baonghean.vn:8080/tin",
        "https://user@baonghean.vn/tin",
        "https://bao\tnghean.vn/tin",
        "https://baonghean.vn\t/tin",
        " https://baonghean.vn/tin",
        "https://[::1]:8000/tin",
        "https://thanhhoa.gov.vn.",
        "baonghean.vn/tin",
        "https://127.0.0.1:8765/tin-3.htm",
        "https://xn--bo-ngh-an-xyz.vn/tin",
    ],
)
def test_the_site_of_a_url_is_host_of_s(url: str) -> None:
    # site_of reads plain URLs itself (the common case) and hands the others to host_of: same answer.
    assert site_of(url) == host_of(url)


@pytest.mark.parametrize("activities", [(), ("signing",), ("review", "signing"), ("launch", "other")])
def test_activities_are_written_as_compact_json(activities: tuple[str, ...]) -> None:
    assert activities_json(activities) == compact_json(list(activities))
    assert json.loads(activities_json(activities)) == list(activities)
