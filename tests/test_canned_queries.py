"""The canned queries of db/metadata.yaml on the fixture database, through Datasette's own client:
every query answers, with the expected rows for explicit parameters and accent-free text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.datasette import make_datasette, metadata
from tests import dbfixture as fx
from tests.test_datasette import _get_json, _names, _query, db_path

__all__ = ["db_path"]  # the module-scoped fixture database, shared with tests/test_datasette.py


# --- canned queries ---------------------------------------------------------------------------------

QUERIES = sorted(metadata()["databases"]["thidua"]["queries"])


def test_the_canned_queries_the_issue_asks_for() -> None:
    assert set(QUERIES) >= {
        "events_by_year_and_cluster",
        "cluster_timeline",
        "appearances_of_official",
        "events_in_date_range",
        "latest_runs",
        "errors_of_run",
        "articles_missing_dates",
    }
    for name, query in metadata()["databases"]["thidua"]["queries"].items():
        assert query["title"] and query["description"], name


def test_no_canned_query_hides_a_table_or_view(db_path: Path) -> None:
    """Datasette serves a canned query instead of a table of the same name."""
    tables, views = _names(db_path)
    assert not set(QUERIES) & set(tables + views)


@pytest.mark.parametrize("name", QUERIES)
async def test_every_canned_query_answers_with_empty_parameters(db_path: Path, name: str) -> None:
    ds = make_datasette(db_path)
    page = await ds.client.get(f"/thidua/{name}")
    assert page.status_code == 200
    for param in metadata()["databases"]["thidua"]["queries"][name].get("params", []):
        assert f'name="{param}"' in page.text
    response = await ds.client.get(f"/thidua/{name}.json")
    assert response.status_code == 200, response.text[:500]
    assert response.json()["ok"] is True


ALL_EVENTS = [
    ("2025-04-15", fx.KHOI_DANG),
    ("2025-03-12", fx.CUM_3),
    ("2024-12-20", fx.KHOI_DANG),
    ("2024-03-06", fx.CUM_3),
    (None, fx.CUM_9),
]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2025"}, [("2025-04-15", fx.KHOI_DANG), ("2025-03-12", fx.CUM_3)]),
        ({"year": "2024", "system": "Thanh Hóa"}, [("2024-12-20", fx.KHOI_DANG)]),
        # Text parameters ignore accents, đ and case, on both sides (thidua_fold).
        ({"year": "2024", "system": "THANH HOA"}, [("2024-12-20", fx.KHOI_DANG)]),
        ({"kind": "cum", "number": "3"}, [("2025-03-12", fx.CUM_3), ("2024-03-06", fx.CUM_3)]),
        ({"kind": "cụm", "number": " 3 "}, [("2025-03-12", fx.CUM_3), ("2024-03-06", fx.CUM_3)]),
        ({"kind": "khoi"}, [("2025-04-15", fx.KHOI_DANG), ("2024-12-20", fx.KHOI_DANG)]),
        ({"label": "co quan dang"}, [("2025-04-15", fx.KHOI_DANG), ("2024-12-20", fx.KHOI_DANG)]),
        ({"number": "9"}, [(None, fx.CUM_9)]),
        ({"year": "2024", "system": "lien hiep"}, [(None, fx.CUM_9)]),
        # A number is a cluster number, never an id: "3" finds no Cụm 9 and no cluster with id 3.
        ({"number": "3", "system": "lien hiep"}, []),
        ({"kind": "khoi", "number": "3"}, []),
        ({"year": "2023"}, []),
        ({}, ALL_EVENTS),
    ],
)
async def test_events_by_year_and_cluster(
    db_path: Path, params: dict[str, str], expected: list[tuple[str | None, str]]
) -> None:
    rows = await _query(db_path, "events_by_year_and_cluster", **params)
    assert [(r["event_date"], r["cluster"]) for r in rows] == expected


async def test_events_by_year_and_cluster_accepts_a_cluster_id(db_path: Path) -> None:
    clusters = await _get_json(db_path, "/thidua/clusters.json?_shape=array")
    khoi = next(c["id"] for c in clusters if c["label"] == fx.KHOI_DANG)
    rows = await _query(db_path, "events_by_year_and_cluster", cluster_id=str(khoi))
    assert [r["event_date"] for r in rows] == ["2025-04-15", "2024-12-20"]
    shared = await _query(db_path, "events_by_year_and_cluster", year="2025", kind="cụm", number="3")
    assert shared[0]["article_count"] == 2
    assert shared[0]["members"] == "Quận 12 (cụm trưởng); Huyện Hóc Môn (cụm phó); Quận Gò Vấp; Huyện Củ Chi"


async def test_cluster_timeline_gives_the_leader_of_each_year(db_path: Path) -> None:
    rows = await _query(db_path, "cluster_timeline", kind="cum", number="3")
    assert [(r["cluster"], r["year"], r["leader"], r["deputies"]) for r in rows] == [
        (fx.CUM_3, 2024, "Quận Gò Vấp", "Quận 12"),
        (fx.CUM_3, 2025, "Quận 12", "Huyện Hóc Môn"),
    ]
    assert rows[0]["members"] == "Quận Gò Vấp; Quận 12; Huyện Hóc Môn"
    # 2025 adds the unit only the second newspaper named.
    assert rows[1]["members"] == "Quận 12; Huyện Hóc Môn; Quận Gò Vấp; Huyện Củ Chi"
    assert [(r["meetings"], r["member_count"], r["first_meeting"]) for r in rows] == [
        (1, 3, "2024-03-06"),
        (1, 4, "2025-03-12"),
    ]
    by_id = await _query(db_path, "cluster_timeline", cluster_id=str(rows[0]["cluster_id"]))
    assert by_id == rows


async def test_cluster_timeline_of_a_bloc_and_of_nothing(db_path: Path) -> None:
    rows = await _query(db_path, "cluster_timeline", kind="khối", system="thanh hoa")
    assert [(r["year"], r["leader"], r["system"]) for r in rows] == [
        (2024, "Văn phòng Tỉnh ủy", fx.THANH_HOA),
        (2025, "Ban Tổ chức Tỉnh ủy", fx.THANH_HOA),
    ]
    # Nothing said is no cluster, not every cluster.
    assert await _query(db_path, "cluster_timeline") == []
    assert await _query(db_path, "cluster_timeline", kind=" ", number="") == []
    assert await _query(db_path, "cluster_timeline", kind="cụm", number="77") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "nguyen thi lan",
            [
                ("Nguyễn Thị Lan", "2025-03-12", "Trưởng Ban Tuyên giáo Thành ủy TPHCM"),
                ("Nguyễn Thị Lan", "2024-03-06", "Phó Trưởng Ban Tuyên giáo Thành ủy TPHCM"),
            ],
        ),
        (
            "Nguyễn Thị Lan",
            [
                ("Nguyễn Thị Lan", "2025-03-12", "Trưởng Ban Tuyên giáo Thành ủy TPHCM"),
                ("Nguyễn Thị Lan", "2024-03-06", "Phó Trưởng Ban Tuyên giáo Thành ủy TPHCM"),
            ],
        ),
        (
            "NGUYỄN THỊ LAN",
            [
                ("Nguyễn Thị Lan", "2025-03-12", "Trưởng Ban Tuyên giáo Thành ủy TPHCM"),
                ("Nguyễn Thị Lan", "2024-03-06", "Phó Trưởng Ban Tuyên giáo Thành ủy TPHCM"),
            ],
        ),
        ("do thi hoa", [("Đỗ Thị Hoà", "2025-04-15", "Trưởng Ban Tổ chức Tỉnh ủy")]),
        ("Đỗ Thị Hòa", [("Đỗ Thị Hoà", "2025-04-15", "Trưởng Ban Tổ chức Tỉnh ủy")]),
        (
            "le van minh",
            [
                ("Lê Văn Minh", "2025-04-15", "Phó Bí thư Thường trực Tỉnh ủy"),
                ("Lê Văn Minh", "2024-12-20", "Phó Bí thư Thường trực Tỉnh ủy"),
            ],
        ),
        ("pham quoc", [("Phạm Quốc Bảo", None, "Phó Chủ tịch Liên hiệp Hội Việt Nam")]),
        ("", []),
        ("Hoàng Văn Không Có", []),
        ("thanh hoa", []),  # the province in people.key is not part of the name
    ],
)
async def test_official_appearances_without_accents(
    db_path: Path, name: str, expected: list[tuple[str, str | None, str]]
) -> None:
    rows = await _query(db_path, "appearances_of_official", name=name)
    assert [(r["person"], r["event_date"], r["title"]) for r in rows] == expected


async def test_official_appearances_name_part_finds_several_people(db_path: Path) -> None:
    rows = await _query(db_path, "appearances_of_official", name="pham")
    assert sorted({r["person"] for r in rows}) == ["Phạm Minh Tuấn", "Phạm Quốc Bảo"]
    person = rows[0]["person_id"]
    by_id = await _query(db_path, "appearances_of_official", person_id=str(person))
    assert {r["person_id"] for r in by_id} == {person}
    assert [r["event_id"] for r in by_id] == [r["event_id"] for r in rows if r["person_id"] == person]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"start": "2025-03", "end": "2025-03", "activity": "signing"}, [("2025-03-12", fx.CUM_3)]),
        ({"start": "2024-12-20", "end": "2024-12-20", "activity": ""}, [("2024-12-20", fx.KHOI_DANG)]),
        (
            {"start": "2024", "end": "2025", "activity": "signing"},
            [("2024-03-06", fx.CUM_3), ("2025-03-12", fx.CUM_3)],
        ),
        ({"start": "2025-04-01", "end": "", "activity": ""}, [("2025-04-15", fx.KHOI_DANG)]),
        ({"start": "", "end": "2024-06-30", "activity": ""}, [("2024-03-06", fx.CUM_3)]),
        ({"start": "2025-01-01", "end": "2025-12-31", "activity": "launch"}, [("2025-04-15", fx.KHOI_DANG)]),
        ({"start": "2026-01-01", "end": "2026-12-31", "activity": ""}, []),
    ],
)
async def test_events_in_date_range(
    db_path: Path, params: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    rows = await _query(db_path, "events_in_date_range", **params)
    assert [(r["event_date"], r["cluster"]) for r in rows] == expected


async def test_latest_runs_and_their_errors(db_path: Path) -> None:
    runs = await _query(db_path, "latest_runs")
    assert len(runs) == 2
    latest, first = runs
    assert (latest["status"], latest["errors"], latest["errors_by_site"]) == ("ok", 1, "baothanh: 1")
    assert json.loads(latest["sites"]) == ["baothanh"]
    assert (first["errors"], first["errors_by_site"]) == (0, None)
    assert json.loads(first["counts"])["events"] == 5
    errors = await _query(db_path, "errors_of_run", run="")
    assert [(e["run"], e["site"], e["url"], e["kind"], e["message"]) for e in errors] == [
        (latest["run"], "baothanh", fx.ERROR_URL, "http", fx.ERROR_MESSAGE)
    ]
    assert await _query(db_path, "errors_of_run", run=str(first["run"])) == []


async def test_articles_with_undated_events(db_path: Path) -> None:
    rows = await _query(db_path, "articles_missing_dates")
    assert [(r["title"], r["clusters"], r["undated_events"], r["site"]) for r in rows] == [
        ("Cụm thi đua số 9 tổng kết công tác thi đua, khen thưởng", fx.CUM_9, 1, "khoahocvn")
    ]
