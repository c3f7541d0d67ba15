"""Datasette on a small fixture database, through Datasette's own client: tables, views, canned queries."""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml

from db import open_database, start_run
from db.datasette import (
    SETTINGS,
    make_datasette,
    metadata,
    metadata_path,
    serve_args,
    serves_immutable,
)
from tests import dbfixture as fx


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database, built once for the module (Datasette only reads it)."""
    return fx.build_fixture_db(tmp_path_factory.mktemp("datasette") / "thidua.db")


def _names(path: Path) -> tuple[list[str], list[str]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        views = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]
    return tables, views


def _sqlite_rows(path: Path, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        cursor = conn.execute(f'SELECT * FROM "{name}"')
        columns = [d[0] for d in cursor.description]
        return columns, [tuple(_value(v) for v in row) for row in cursor.fetchall()]


def _value(value: Any) -> Any:
    """A cell in one comparable form: Datasette sends a BLOB as text when it is UTF-8, else as
    {"$base64": true, "encoded": …}; both become the text, or the bytes when not UTF-8."""
    if isinstance(value, dict) and value.get("$base64"):
        value = base64.b64decode(value["encoded"])
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value
    return value


async def _get_json(path: Path, url: str) -> Any:
    response = await make_datasette(path).client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.text[:500]}"
    return response.json()


async def _query(path: Path, query_name: str, /, **params: str) -> list[dict[str, Any]]:
    """Rows of a canned query as a list of dicts."""
    query = urlencode({**params, "_shape": "array"})
    rows = await _get_json(path, f"/thidua/{query_name}.json?{query}")
    assert isinstance(rows, list)
    return rows


# --- metadata --------------------------------------------------------------------------------------


def test_shipped_metadata_file_is_yaml_for_the_thidua_database() -> None:
    data = yaml.safe_load(metadata_path().read_text(encoding="utf-8"))
    assert set(data["databases"]) == {"thidua"}
    assert data["title"]


def test_metadata_is_keyed_by_the_database_name() -> None:
    other = metadata("archive2024")
    assert set(other["databases"]) == {"archive2024"}
    assert other["databases"]["archive2024"]["queries"] == metadata()["databases"]["thidua"]["queries"]


def test_every_table_and_view_is_described_or_hidden(db_path: Path) -> None:
    tables_meta = metadata()["databases"]["thidua"]["tables"]
    tables, views = _names(db_path)
    for name in tables + views:
        entry = tables_meta.get(name, {})
        if entry.get("hidden"):
            continue
        assert entry.get("description"), f"{name} has no description"
        columns, _ = _sqlite_rows(db_path, name)
        undescribed = [c for c in columns if not entry.get("columns", {}).get(c)]
        assert not undescribed, f"{name}: columns without a description: {undescribed}"


def test_internal_tables_are_hidden(db_path: Path) -> None:
    tables_meta = metadata()["databases"]["thidua"]["tables"]
    tables, _ = _names(db_path)
    internal = [t for t in tables if t.startswith("articles_fts") or t in {"schema_version", "_columns"}]
    assert "articles_fts" in internal and "schema_version" in internal
    for name in internal:
        assert tables_meta[name].get("hidden") is True, name


@pytest.mark.parametrize(
    ("table", "label"), [("clusters", "label"), ("units", "name"), ("people", "name"), ("articles", "title")]
)
def test_label_columns(table: str, label: str) -> None:
    assert metadata()["databases"]["thidua"]["tables"][table]["label_column"] == label


# --- every table and view ----------------------------------------------------------------------------


def _schema_relations() -> list[str]:
    """Every table and view a new thidua database has (read from a scratch file, not from a list)."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe.db"
        open_database(probe).close()
        tables, views = _names(probe)
    return sorted(tables + views)


@pytest.mark.parametrize("relation", _schema_relations())
async def test_every_table_and_view_serves_exactly_the_file_rows(db_path: Path, relation: str) -> None:
    columns, expected = _sqlite_rows(db_path, relation)
    data = await _get_json(db_path, f"/thidua/{relation}.json?_shape=objects&_size=max")
    got = [tuple(_value(row[c]) for c in columns) for row in data["rows"]]
    assert sorted(map(repr, got)) == sorted(map(repr, expected))
    html = await make_datasette(db_path).client.get(f"/thidua/{relation}")
    assert html.status_code == 200


async def test_fixture_has_the_rows_the_tests_rely_on(db_path: Path) -> None:
    clusters = await _get_json(db_path, "/thidua/clusters.json?_shape=array")
    assert sorted(c["label"] for c in clusters) == sorted([fx.CUM_3, fx.KHOI_DANG, fx.CUM_9])
    people = await _get_json(db_path, "/thidua/people.json?_shape=array")
    assert sorted(p["name"] for p in people) == sorted(
        ["Nguyễn Thị Lan", "Trần Văn Hùng", "Phạm Minh Tuấn", "Lê Văn Minh", "Đỗ Thị Hoà", "Phạm Quốc Bảo"]
    )
    events = await _get_json(db_path, "/thidua/events.json?_shape=array")
    assert len(events) == 5  # the meeting of 12/3/2025 reported twice is one event
    reports = await _get_json(db_path, "/thidua/event_reports.json?_shape=array")
    assert len(reports) == 6


async def test_events_show_cluster_labels_and_newest_first(db_path: Path) -> None:
    data = await _get_json(db_path, "/thidua/events.json?_shape=objects&_labels=on")
    rows = data["rows"]
    assert [r["event_date"] for r in rows] == ["2025-04-15", "2025-03-12", "2024-12-20", "2024-03-06", None]
    labels = [r["cluster_id"]["label"] for r in rows]
    assert labels == [fx.KHOI_DANG, fx.CUM_3, fx.KHOI_DANG, fx.CUM_3, fx.CUM_9]
    page = await make_datasette(db_path).client.get("/thidua/events")
    assert page.status_code == 200
    assert fx.CUM_3 in page.text and fx.KHOI_DANG in page.text


async def test_events_view_rows_and_default_facets(db_path: Path) -> None:
    data = await _get_json(db_path, "/thidua/events_view.json?_shape=objects")
    rows = data["rows"]
    assert rows[0]["event_date"] == "2025-04-15"
    shared = next(r for r in rows if r["event_date"] == "2025-03-12")
    assert shared["cluster"] == fx.CUM_3
    assert shared["article_count"] == 2
    assert shared["members"].startswith("Quận 12 (cụm trưởng); Huyện Hóc Môn (cụm phó)")
    assert "Nguyễn Thị Lan (Trưởng Ban Tuyên giáo Thành ủy TPHCM)" in shared["officials"]
    facets = data["facet_results"]
    assert set(facets) >= {"kind", "year", "activities", "system"}
    years = {f["value"]: f["count"] for f in facets["year"]["results"]}
    assert years == {2024: 3, 2025: 2}
    kinds = {f["value"]: f["count"] for f in facets["kind"]["results"]}
    assert kinds == {"cụm": 3, "khối": 2}


async def test_events_table_facets_activities_as_an_array(db_path: Path) -> None:
    data = await _get_json(db_path, "/thidua/events.json")
    activities = {f["value"]: f["count"] for f in data["facet_results"]["activities"]["results"]}
    assert activities == {"review": 3, "signing": 2, "launch": 1}


async def test_members_by_year_and_officials_appearances_views(db_path: Path) -> None:
    members = await _get_json(db_path, "/thidua/members_by_year.json?_shape=array&_size=max")
    leaders = {
        (m["year"], m["cluster"]): m["unit"] for m in members if m["role"] in ("cụm trưởng", "khối trưởng")
    }
    assert leaders == {
        (2024, fx.CUM_3): "Quận Gò Vấp",
        (2025, fx.CUM_3): "Quận 12",
        (2024, fx.KHOI_DANG): "Văn phòng Tỉnh ủy",
        (2025, fx.KHOI_DANG): "Ban Tổ chức Tỉnh ủy",
        (2024, fx.CUM_9): "Liên hiệp Hội tỉnh Nghệ An",
    }
    appearances = await _get_json(db_path, "/thidua/officials_appearances.json?_shape=array&_size=max")
    per_person: dict[str, int] = {}
    for row in appearances:
        per_person[row["person"]] = per_person.get(row["person"], 0) + 1
    assert per_person == {
        "Nguyễn Thị Lan": 2,
        "Trần Văn Hùng": 1,
        "Phạm Minh Tuấn": 1,
        "Lê Văn Minh": 2,
        "Đỗ Thị Hoà": 1,
        "Phạm Quốc Bảo": 1,
    }


@pytest.mark.parametrize("words", ["dong chi", "đồng chí", "Đồng chí"])
async def test_article_search_with_and_without_diacritics(db_path: Path, words: str) -> None:
    query = urlencode({"_search": words, "_shape": "array"})
    data = await _get_json(db_path, f"/thidua/articles.json?{query}")
    # "đồng chí" is written in four of the six bodies; the other two say "Ông", "Bà".
    assert len(data) == 4
    assert all("đồng chí" in (a["lead"] + a["body"]).lower() for a in data)


# --- configuration ----------------------------------------------------------------------------------


async def test_the_metadata_follows_a_file_with_another_name(db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "archive.db"
    shutil.copy(db_path, other)
    query = urlencode({"kind": "cụm", "number": "3", "_shape": "array"})
    rows = await _get_json(other, f"/archive/cluster_timeline.json?{query}")
    assert [r["leader"] for r in rows] == ["Quận Gò Vấp", "Quận 12"]
    page = await make_datasette(other).client.get("/archive/events")
    assert fx.CUM_3 in page.text


async def test_the_database_is_served_read_only(db_path: Path) -> None:
    ds = make_datasette(db_path)
    # mode=ro, not immutable: it sees a crawl's writes, and still refuses any of its own.
    assert ds.get_database("thidua").is_mutable is True
    response = await ds.client.get(
        "/thidua.json?" + urlencode({"sql": "DELETE FROM events", "_shape": "array"})
    )
    assert response.status_code == 400
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 5


async def test_a_running_server_sees_what_a_crawl_writes_after_it_started(tmp_path: Path) -> None:
    path = fx.build_fixture_db(tmp_path / "thidua.db")
    ds = make_datasette(path)  # the file is writable: mode=ro, never immutable
    assert ds.get_database("thidua").is_mutable is True
    before = await _query(path, "latest_runs")
    writer = open_database(path)
    try:
        start_run(writer, command="crawl", sites=["tinhcm"])
        for _ in range(3):  # more writes and a checkpoint, as a night's crawl does
            writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        response = await ds.client.get("/thidua/latest_runs.json?_shape=array")
        assert response.status_code == 200
        assert [r["status"] for r in response.json()] == ["running", *[r["status"] for r in before]]
    finally:
        writer.close()


def test_only_a_file_nothing_can_write_is_served_immutable(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not serves_immutable(db_path)
    assert serve_args(db_path)[:2] == ["serve", str(db_path.resolve())]
    # A folder this user cannot write (read-only media): mode=ro would need a -shm file there.
    folder = str(db_path.resolve().parent)
    real_access = os.access
    monkeypatch.setattr(
        "db.datasette.os.access", lambda p, mode: False if str(p) == folder else real_access(p, mode)
    )
    assert serves_immutable(db_path.resolve())
    assert serve_args(db_path)[:2] == ["serve", "-i"]


def test_each_serve_writes_its_metadata_to_a_fresh_private_folder(db_path: Path) -> None:
    first = Path(serve_args(db_path)[serve_args(db_path).index("--metadata") + 1])
    args = serve_args(db_path)
    second = Path(args[args.index("--metadata") + 1])
    assert first.parent != second.parent  # never a predictable, reusable name
    assert stat.S_IMODE(second.parent.stat().st_mode) == 0o700
    assert json.loads(second.read_text(encoding="utf-8")) == metadata("thidua")


def test_serve_args_shape(db_path: Path) -> None:
    args = serve_args(db_path, host="127.0.0.1", port=8123)
    assert args[:2] == ["serve", str(db_path.resolve())]
    assert args[args.index("-h") + 1] == "127.0.0.1"
    assert args[args.index("-p") + 1] == "8123"
    written = json.loads(Path(args[args.index("--metadata") + 1]).read_text(encoding="utf-8"))
    assert written == metadata("thidua")
    settings = {args[i + 1]: args[i + 2] for i, a in enumerate(args) if a == "--setting"}
    assert set(settings) == set(SETTINGS)
    assert serve_args(db_path, immutable=False)[:2] == ["serve", str(db_path.resolve())]
    assert serve_args(db_path, immutable=True)[:2] == ["serve", "-i"]


def test_serve_args_run_the_real_datasette_command(db_path: Path) -> None:
    """`datasette serve` accepts the argv (settings, metadata) and answers a canned query with it."""
    query = "/thidua/appearances_of_official.json?" + urlencode({"name": "le van minh", "_shape": "array"})
    result = subprocess.run(
        [sys.executable, "-m", "datasette", *serve_args(db_path), "--get", query],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["event_date"] for r in rows] == ["2025-04-15", "2024-12-20"]
