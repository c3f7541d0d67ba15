"""The charts shipped in db/metadata.yaml (datasette-dashboards): every chart's SQL answers on the
fixture database, with and without filters, the plugin is the pinned one and serves its scripts itself.
tests/test_browser.py checks that Chromium draws them."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from datasette_dashboards import replace_opts_in_query

from db.datasette import DASHBOARDS_PLUGIN, make_datasette, metadata
from tests import dbfixture as fx

ROOT = Path(__file__).resolve().parent.parent
DASHBOARDS: dict[str, Any] = metadata()["plugins"][DASHBOARDS_PLUGIN]
CHARTS = [(slug, name) for slug, board in DASHBOARDS.items() for name in board["charts"]]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fx.build_fixture_db(tmp_path_factory.mktemp("dashboards") / "thidua.db")


async def _chart_rows(path: Path, slug: str, name: str, options: dict[str, str]) -> list[dict[str, Any]]:
    """The rows a chart gets, asked for as the plugin's script asks for them."""
    chart = DASHBOARDS[slug]["charts"][name]
    sql = replace_opts_in_query(chart["query"], options)
    response = await make_datasette(path).client.get(
        f"/{chart['db']}.json?" + urlencode({"sql": sql, **options, "_shape": "objects"})
    )
    assert response.status_code == 200, response.text[:500]
    rows: list[dict[str, Any]] = response.json()["rows"]
    return rows


def test_the_pinned_plugin_is_installed() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "datasette-dashboards==0.8.0" in project["dependencies"]
    assert importlib.metadata.version("datasette-dashboards") == "0.8.0"


def test_the_dashboards_the_issue_asks_for() -> None:
    assert set(DASHBOARDS["overview"]["charts"]) == {"events-month", "events-province", "activities-year"}
    assert {"members-year", "leaders"} <= set(DASHBOARDS["cluster"]["charts"])
    for slug, board in DASHBOARDS.items():
        placed = {name for row in board["layout"] for name in row}
        assert placed == set(board["charts"]), slug  # the plugin requires every chart in the layout


@pytest.mark.parametrize(("slug", "name"), CHARTS)
async def test_every_chart_answers_without_filters(db_path: Path, slug: str, name: str) -> None:
    assert await _chart_rows(db_path, slug, name, {})


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, [("2024-03", 1), ("2024-12", 1), ("2025-03", 1), ("2025-04", 1)]),
        ({"province": "tỉnh Thanh Hóa"}, [("2024-12", 1), ("2025-04", 1)]),
        ({"kind": "cụm"}, [("2024-03", 1), ("2025-03", 1)]),
        ({"province": "tỉnh Thanh Hóa", "kind": "cụm"}, []),
    ],
)
async def test_meetings_per_month_follow_the_filters(
    db_path: Path, options: dict[str, str], expected: list[tuple[str, int]]
) -> None:
    rows = await _chart_rows(db_path, "overview", "events-month", options)
    assert [(r["month"], r["meetings"]) for r in rows] == expected


async def test_the_cluster_timeline_follows_the_chosen_cluster(db_path: Path) -> None:
    clusters = (await make_datasette(db_path).client.get("/thidua/clusters.json?_shape=array")).json()
    khoi = next(c["id"] for c in clusters if c["label"] == fx.KHOI_DANG)
    # The filter's own option text ("id · label — system") and a bare id choose the same cluster.
    for chosen in (f"{khoi} · {fx.KHOI_DANG} — {fx.THANH_HOA}", str(khoi)):
        rows = await _chart_rows(db_path, "cluster", "leaders", {"cluster": chosen})
        assert [(r["year"], r["leader"]) for r in rows] == [
            (2024, "Văn phòng Tỉnh ủy"),
            (2025, "Ban Tổ chức Tỉnh ủy"),
        ]
    # None chosen: the most reported cluster (Cụm 3, two meetings and three articles).
    rows = await _chart_rows(db_path, "cluster", "cluster-title", {})
    assert rows[0]["cluster"].startswith(fx.CUM_3)


def test_the_charts_follow_a_file_with_another_name() -> None:
    boards = metadata("archive")["plugins"][DASHBOARDS_PLUGIN]
    parts = [p for board in boards.values() for p in (*board["charts"].values(), *board["filters"].values())]
    assert {p["db"] for p in parts if "db" in p} == {"archive"}


async def test_the_chart_scripts_are_served_by_the_plugin_itself(db_path: Path) -> None:
    ds = make_datasette(db_path)
    page = await ds.client.get("/-/dashboards/overview")
    assert page.status_code == 200
    for script in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "dashboards.js"):
        src = f"/-/static-plugins/datasette_dashboards/{script}"
        assert f'src="{src}"' in page.text
        assert (await ds.client.get(src)).status_code == 200
    assert "cdn" not in page.text.lower()
