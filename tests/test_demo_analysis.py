"""`thidua demo` crawls the fixture sites into a database that shows what analysis looks like: a
cluster's leaders changing hands over the years, one meeting reported by two sites, several provinces,
read through Datasette's canned queries and chart queries like an analyst would."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from datasette_dashboards import replace_opts_in_query

from db.datasette import DASHBOARDS_PLUGIN, make_datasette, metadata
from thidua.cli import cli


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--db", str(target)])
    assert result.exit_code == 0, result.output
    return target


async def _rows(path: Path, url: str) -> list[dict[str, Any]]:
    response = await make_datasette(path).client.get(url.replace("/thidua/", f"/{path.stem}/", 1))
    assert response.status_code == 200, response.text[:500]
    rows: list[dict[str, Any]] = response.json()
    return rows


@pytest.mark.parametrize(
    ("params", "leaders"),
    [
        # Liên đoàn Lao động TPHCM, Cụm 5: Công đoàn ngành Giáo dục in 2025, then Khu công nghệ cao.
        (
            {"kind": "cum", "number": "5", "system": "lien doan lao dong"},
            [(2025, "Công đoàn ngành Giáo dục"), (2026, "Công đoàn Khu công nghệ cao TPHCM")],
        ),
        # Ban Dân vận Thành ủy, Cụm 5: Quận 10 in 2023, Quận 11 in 2024.
        ({"kind": "cum", "number": "5", "system": "dan van"}, [(2023, "Quận 10"), (2024, "Quận 11")]),
    ],
)
async def test_a_cluster_leader_changes_hands(
    demo_db: Path, params: dict[str, str], leaders: list[tuple[int, str]]
) -> None:
    rows = await _rows(demo_db, "/thidua/cluster_timeline.json?" + urlencode({**params, "_shape": "array"}))
    assert [(r["year"], r["leader"]) for r in rows] == leaders


async def test_one_meeting_reported_by_two_sites_is_one_event(demo_db: Path) -> None:
    query = {"number": "3", "system": "dan van", "year": "2025", "_shape": "array"}
    rows = await _rows(demo_db, "/thidua/events_by_year_and_cluster.json?" + urlencode(query))
    assert [(r["event_date"], r["article_count"]) for r in rows] == [("2025-10-25", 2)]
    assert len(rows[0]["source_urls"].split()) == 2


async def test_the_demo_charts_count_meetings_of_several_provinces(demo_db: Path) -> None:
    chart = metadata(demo_db.stem)["plugins"][DASHBOARDS_PLUGIN]["overview"]["charts"]["events-province"]
    sql = replace_opts_in_query(chart["query"], {})
    rows = await _rows(demo_db, f"/{chart['db']}.json?" + urlencode({"sql": sql, "_shape": "array"}))
    provinces = {r["province"] for r in rows} - {"(not known)"}
    assert len(provinces) >= 3, provinces
    assert any("Lâm Đồng" in p for p in provinces)
    sql = "SELECT DISTINCT year FROM events WHERE year IS NOT NULL ORDER BY year"
    years = await _rows(demo_db, f"/{demo_db.stem}.json?" + urlencode({"sql": sql, "_shape": "array"}))
    assert [r["year"] for r in years] == [2023, 2024, 2025, 2026]
