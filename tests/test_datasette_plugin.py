"""The project plugin (db/datasette_plugins/thidua_plugin.py) in a real Datasette: thidua_fold in SQL,
id links in views and canned queries, entity pages linking to their timeline and appearances, and
canned-query exports that carry every row, not the first 1,000."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import html
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from db import finish_run, open_database, start_run, store_articles
from db.datasette import ALL_ROWS, PAGE_ROWS, PAGE_ROWS_PARAMETER, make_datasette, metadata, serve_args
from db.datasette_export import open_readonly
from db.datasette_links import ENTITY_TABLES, LINKED_COLUMNS, entity_links, id_link
from db.sql_functions import READ_MMAP_BYTES, prepare
from extract.model import Event, Member, Official
from tests import dbfixture as fx


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fx.build_fixture_db(tmp_path_factory.mktemp("plugin") / "thidua.db")


#: More meetings than Datasette returns (1,000), all attended by one official.
MANY = 1_234


@pytest.fixture(scope="module")
def big_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database plus MANY meetings of one made-up cluster, each with Trần Văn Bình."""
    path = fx.build_fixture_db(tmp_path_factory.mktemp("plugin-big") / "thidua.db")
    start = dt.date(2020, 1, 1)
    work = []
    for n in range(MANY):
        day = start + dt.timedelta(days=3 * n)  # apart: meetings a day apart may be one (db.events)
        event = Event(
            ("review",), "cụm", 12, "Cụm thi đua số 12", "tỉnh Phú Yên", day, f"Sáng {day.day}/{day.month}",
            day.year, "Hội trường huyện Tuy An",
            (Member("Huyện Tuy An", "cụm trưởng"), Member("Huyện Đồng Xuân")),
            (Official("Trần Văn Bình", "Phó Chủ tịch UBND tỉnh"),),
        )  # fmt: skip
        title = f"Cụm thi đua số 12 họp ngày {day.isoformat()}"
        article = fx._article(
            "baothanh", "baothanh.example", f"cum-12/{n}.html", title, "Sáng nay, Cụm thi đua số 12 họp.",
            f"Đồng chí Trần Văn Bình dự (buổi {n}).",
            dt.datetime(day.year, day.month, day.day, 12, tzinfo=fx.VN),
        )  # fmt: skip
        work.append((article, [event]))
    database = open_database(path)
    try:
        store_articles(database, work, extractor_version=fx.EXTRACTOR_VERSION, batch=500)
    finally:
        database.close()
    return path


# --- thidua_fold -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đỗ Thị Hoà", "do thi hoa"),
        ("NGUYỄN THỊ LAN", "nguyen thi lan"),
        ("Cụm thi đua số 3", "cum thi dua so 3"),
        ("Khối", "khoi"),
    ],
)
async def test_thidua_fold_is_an_sql_function(db_path: Path, text: str, folded: str) -> None:
    query = urlencode({"sql": "SELECT thidua_fold(:t) AS f", "t": text, "_shape": "array"})
    response = await make_datasette(db_path).client.get(f"/thidua.json?{query}")
    assert response.status_code == 200, response.text
    assert response.json() == [{"f": folded}]


async def test_started_server_keeps_its_long_lived_objects_out_of_the_collector(db_path: Path) -> None:
    gc.unfreeze()
    try:
        response = await make_datasette(db_path).client.get("/thidua.json")
        assert response.status_code == 200
        assert gc.get_freeze_count() > 0  # the startup hook froze what was alive after starting
    finally:
        gc.unfreeze()


async def test_thidua_fold_of_null_is_null(db_path: Path) -> None:
    query = urlencode({"sql": "SELECT thidua_fold(NULL) AS f", "_shape": "array"})
    response = await make_datasette(db_path).client.get(f"/thidua.json?{query}")
    assert response.json() == [{"f": None}]


async def test_datasette_and_export_connections_map_the_file(db_path: Path) -> None:
    """Both read connections a page uses are prepared alike: SQL functions and memory-mapped reads."""
    ds = make_datasette(db_path)
    mapped = await ds.get_database("thidua").execute_fn(lambda c: c.execute("PRAGMA mmap_size").fetchone()[0])
    export = open_readonly(db_path, immutable=False, prepare=prepare)
    try:
        assert export.execute("PRAGMA mmap_size").fetchone()[0] == mapped == READ_MMAP_BYTES
    finally:
        export.close()


# --- links -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "table", "value", "path"),
    [
        ("cluster_id", "events_view", 5, "clusters/5"),
        ("event_id", None, 12, "events/12"),
        ("person_id", "officials_appearances", 7, "people/7"),
        ("unit_id", "members_by_year", 3, "units/3"),
        ("run", None, 2, "runs/2"),
        ("cluster_id", "events", 5, None),  # a table's foreign key: Datasette links it already
        ("cluster_id", "events_view", None, None),
        ("cluster_id", "events_view", "5", None),
        ("year", "events_view", 2025, None),
    ],
)
def test_id_link(column: str, table: str | None, value: object, path: str | None) -> None:
    link = id_link(column, table, value)
    assert (link.path if link else None) == path


def test_entity_links_name_the_analyst_pages() -> None:
    assert [link.text for link in entity_links("clusters", "id", 5)] == [
        "meetings",
        "timeline",
        "members by year",
        "chart",
    ]
    assert "cluster_timeline?cluster_id=5" in [link.path for link in entity_links("clusters", "id", 5)]
    assert entity_links("people", "id", 7)[0].path == "appearances_of_official?person_id=7"
    assert entity_links("clusters", "label", 5) == ()
    assert entity_links("events", "id", 5) == ()


#: Every column name of the fixture database's tables and views, and of the shipped canned queries.
def _all_column_names() -> list[str]:
    import sqlite3

    from db.datasette import metadata

    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(fx.build_fixture_db(Path(tmp) / "t.db"))
        prepare(conn)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        columns = {r[1] for name in names for r in conn.execute(f'PRAGMA table_info("{name}")')}
        for query in metadata()["databases"]["thidua"]["queries"].values():
            params: dict[str, object] = dict.fromkeys(re.findall(r"(?<!:):(\w+)", query["sql"]), "")
            params[PAGE_ROWS_PARAMETER] = ALL_ROWS
            columns |= {d[0] for d in conn.execute(query["sql"], params).description}
        conn.close()
    return sorted(columns)


@pytest.mark.parametrize("column", [c for c in _all_column_names() if c not in LINKED_COLUMNS])
def test_a_column_outside_linked_columns_never_links(column: str) -> None:
    """The plugin lets such a cell go on its name alone (its fast path): the link functions agree."""
    for table in (None, "events_view", "members_by_year", *ENTITY_TABLES):
        for value in (5, 0, "5", None):
            assert id_link(column, table, value) is None
            assert entity_links(table, column, value) == ()


@pytest.mark.parametrize("value", ["5", 5.0, True, None, b"5"])
@pytest.mark.parametrize("column", sorted(LINKED_COLUMNS))
def test_a_cell_that_is_no_integer_never_links(column: str, value: object) -> None:
    """The fast path's other half: a value that is not an int (bool neither) links nowhere."""
    for table in (None, "events_view", *ENTITY_TABLES):
        assert id_link(column, table, value) is None
        assert entity_links(table, column, value) == ()


def test_the_linked_columns_do_link_somewhere() -> None:
    """No dead entry in LINKED_COLUMNS: each links an integer in a view or on an entity's page."""
    for column in LINKED_COLUMNS:
        linked = id_link(column, "events_view", 5) or any(entity_links(t, column, 5) for t in ENTITY_TABLES)
        assert linked, column


async def test_ids_in_a_view_link_to_their_rows(db_path: Path) -> None:
    page = await make_datasette(db_path).client.get("/thidua/events_view")
    assert page.status_code == 200
    clusters = re.findall(
        r'<td class="col-cluster_id[^"]*"[^>]*><a href="/thidua/clusters/(\d+)">\1</a>', page.text
    )
    events = re.findall(
        r'<td class="col-event_id[^"]*"[^>]*><a href="/thidua/events/(\d+)">\1</a>', page.text
    )
    assert len(events) == 5 and len(clusters) == 5


async def test_ids_in_a_canned_query_link_to_their_rows(db_path: Path) -> None:
    page = await make_datasette(db_path).client.get(
        "/thidua/appearances_of_official?" + urlencode({"name": "le van minh"})
    )
    assert page.status_code == 200
    assert len(re.findall(r'<a href="/thidua/events/(\d+)">\1</a>', page.text)) == 2
    assert len(re.findall(r'<a href="/thidua/people/(\d+)">\1</a>', page.text)) == 2


async def test_cluster_and_person_pages_link_to_their_timeline_and_appearances(db_path: Path) -> None:
    ds = make_datasette(db_path)
    clusters = (await ds.client.get("/thidua/clusters.json?_shape=array")).json()
    cum3 = next(c["id"] for c in clusters if c["label"] == fx.CUM_3)
    page = await ds.client.get(f"/thidua/clusters/{cum3}")
    assert f'href="/thidua/cluster_timeline?cluster_id={cum3}"' in page.text
    assert f'href="/thidua/events_view?cluster_id={cum3}"' in page.text
    assert f'href="/-/dashboards/cluster?cluster={cum3}"' in page.text
    timeline = await ds.client.get(f"/thidua/cluster_timeline.json?cluster_id={cum3}&_shape=array")
    assert [r["leader"] for r in timeline.json()] == ["Quận Gò Vấp", "Quận 12"]
    people = (await ds.client.get("/thidua/people.json?_shape=array")).json()
    lan = next(p["id"] for p in people if p["name"] == "Nguyễn Thị Lan")
    page = await ds.client.get(f"/thidua/people/{lan}")
    assert f'href="/thidua/appearances_of_official?person_id={lan}"' in page.text
    rows = (await ds.client.get(f"/thidua/appearances_of_official.json?person_id={lan}&_shape=array")).json()
    assert [r["event_date"] for r in rows] == ["2025-03-12", "2024-03-06"]


# --- exports ---------------------------------------------------------------------------------------


async def test_datasette_alone_would_cut_the_export_at_1000_rows(big_path: Path) -> None:
    """Why the plugin answers exports: the same SQL as arbitrary SQL stops at 1,000 rows."""
    sql = (
        "SELECT o.event_id FROM event_officials o JOIN people p ON p.id = o.person_id "
        "WHERE p.name = 'Trần Văn Bình'"
    )
    response = await make_datasette(big_path).client.get("/thidua.json?" + urlencode({"sql": sql}))
    data = response.json()
    assert len(data["rows"]) == 1000 and data["truncated"] is True


async def test_a_canned_query_csv_export_has_every_row(big_path: Path) -> None:
    ds = make_datasette(big_path)
    response = await ds.client.get(
        "/thidua/appearances_of_official.csv?" + urlencode({"name": "tran van binh"})
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == MANY
    assert {r["person"] for r in rows} == {"Trần Văn Bình"}
    assert rows[0]["event_date"] == (dt.date(2020, 1, 1) + dt.timedelta(days=3 * (MANY - 1))).isoformat()
    assert len({r["event_id"] for r in rows}) == MANY
    download = await ds.client.get("/thidua/appearances_of_official.csv?name=tran+van+binh&_dl=1")
    assert download.headers["content-disposition"] == 'attachment; filename="appearances_of_official.csv"'
    assert download.text == response.text


@pytest.mark.parametrize("shape", ["array", "objects", "arrays"])
async def test_a_canned_query_json_export_has_every_row(big_path: Path, shape: str) -> None:
    ds = make_datasette(big_path)
    response = await ds.client.get(
        "/thidua/events_by_year_and_cluster.json?" + urlencode({"number": "12", "_shape": shape})
    )
    assert response.status_code == 200
    data = json.loads(response.text)
    rows = data if shape == "array" else data["rows"]
    # The HTML page stops at PAGE_ROWS (the SQL's :_page_rows); the export gives every meeting.
    assert len(rows) == MANY
    if shape != "array":
        assert data["truncated"] is False and data["query_name"] == "events_by_year_and_cluster"
        assert data["columns"][0] == "event_date"
    first = rows[0] if shape != "arrays" else dict(zip(data["columns"], rows[0], strict=True))
    assert first["cluster"] == "Cụm thi đua số 12"
    assert first["event_date"] == (dt.date(2020, 1, 1) + dt.timedelta(days=3 * (MANY - 1))).isoformat()


def _page_rows(html: str) -> list[str]:
    """The event_id cells of a query page's table, in order (each links its event's row page)."""
    body = html.split('<table class="rows-and-columns">', 1)[1]
    return re.findall(r'<td class="col-event_id[^"]*"><a href="/thidua/events/(\d+)"', body)


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("appearances_of_official", {"name": "tran van binh"}),
        ("events_by_year_and_cluster", {"number": "12"}),
        ("events_in_date_range", {"start": "2020", "end": "2030"}),
    ],
)
async def test_the_page_stops_at_page_rows_says_so_and_links_every_row(
    big_path: Path, query: str, params: dict[str, str]
) -> None:
    ds = make_datasette(big_path)
    page = await ds.client.get(f"/thidua/{query}?" + urlencode(params))
    assert page.status_code == 200
    (note,) = re.findall(r'<p class="message-info thidua-page-cut">(.*?)</p>', page.text, re.S)
    assert f"This page stops at the first {PAGE_ROWS:,} rows." in note
    shown = _page_rows(page.text)
    assert len(shown) == PAGE_ROWS
    csv_link, json_link = (link.replace("&amp;", "&") for link in re.findall(r'<a href="([^"]+)"', note))
    assert csv_link.startswith(f"/thidua/{query}.csv?") and json_link.startswith(f"/thidua/{query}.json?")
    export = list(csv.DictReader(io.StringIO((await ds.client.get(csv_link)).text)))
    assert len(export) > PAGE_ROWS and len({r["event_id"] for r in export}) >= MANY
    # The page is the export's beginning: the same rows in the same order.
    assert shown == [r["event_id"] for r in export[:PAGE_ROWS]]
    rows = json.loads((await ds.client.get(json_link)).text)["rows"]
    assert [str(r["event_id"]) for r in rows] == [r["event_id"] for r in export]


@pytest.mark.parametrize("query", sorted(metadata()["databases"]["thidua"]["queries"]))
async def test_every_canned_page_keeps_its_edit_sql_link(db_path: Path, query: str) -> None:
    """Datasette drops "Edit SQL" for SQL with a magic parameter; the plugin gives it back, the page's
    cut written out, and the edited query answers the page's rows."""
    ds = make_datasette(db_path)
    params = {"start": "2024", "kind": "cum", "name": "nguyen"}
    page = (await ds.client.get(f"/thidua/{query}?" + urlencode(params))).text
    (link,) = re.findall(r'<a href="([^"]+)" class="canned-query-edit-sql"', page)
    link = html.unescape(link)
    sql = parse_qs(urlsplit(link).query)["sql"][0]
    assert ":_" not in sql and (f"LIMIT {PAGE_ROWS}" in sql or "_page_rows" not in _sql_of(query))
    edited = await ds.client.get(link.replace("/thidua?", "/thidua.json?", 1) + "&_shape=array")
    assert edited.status_code == 200, edited.text[:300]
    export = await ds.client.get(f"/thidua/{query}.json?" + urlencode({**params, "_shape": "array"}))
    assert edited.json() == export.json()[:PAGE_ROWS]


def _sql_of(query: str) -> str:
    return str(metadata()["databases"]["thidua"]["queries"][query]["sql"])


async def test_a_page_below_the_cut_has_no_note_and_every_row(db_path: Path) -> None:
    ds = make_datasette(db_path)
    page = await ds.client.get("/thidua/events_in_date_range")
    export = (await ds.client.get("/thidua/events_in_date_range.json?_shape=array")).json()
    assert "thidua-page-cut" not in page.text
    assert _page_rows(page.text) == [str(r["event_id"]) for r in export] and export


async def test_an_export_on_a_reused_connection_sees_what_was_written_since(tmp_path: Path) -> None:
    """Export connections are kept for the next export (db.datasette_export.give_back): one that
    served an export still sees every run a crawl finished after it, and so does the page."""
    path = fx.build_fixture_db(tmp_path / "thidua.db")
    ds = make_datasette(path, immutable=False)
    before = (await ds.client.get("/thidua/latest_runs.json?_shape=array")).json()
    database = open_database(path)
    try:
        now = dt.datetime(2025, 5, 1, 1, 0, tzinfo=dt.UTC)
        run = start_run(database, command="crawl", sites=["baothanh"], now=now)
        finish_run(database, run, status="ok", counts={"fetched": 1}, errors=[], now=now)
    finally:
        database.close()
    for _ in range(3):  # more exports than idle connections: each one, new or reused, is current
        after = (await ds.client.get("/thidua/latest_runs.json?_shape=array")).json()
        assert [r["run"] for r in after] == [run, *[r["run"] for r in before]]
    assert f'href="/thidua/runs/{run}"' in (await ds.client.get("/thidua/latest_runs")).text


async def test_an_export_with_an_unknown_shape_is_refused_with_the_shapes(db_path: Path) -> None:
    response = await make_datasette(db_path).client.get("/thidua/latest_runs.json?_shape=object")
    assert response.status_code == 400
    assert "objects, array, arrays" in response.text


async def test_exports_match_datasettes_own_rows_for_short_results(db_path: Path) -> None:
    """Below 1,000 rows the export and Datasette's HTML-page query give the same rows."""
    ds = make_datasette(db_path)
    ours = (await ds.client.get("/thidua/latest_runs.json?_shape=array")).json()
    sql = (await ds.client.get("/thidua/latest_runs.json")).json()["query"]["sql"]
    theirs = (await ds.client.get("/thidua.json?" + urlencode({"sql": sql, "_shape": "array"}))).json()
    assert ours == theirs and len(ours) == 2


def test_serve_args_load_the_plugin(db_path: Path) -> None:
    """`thidua serve` runs `datasette serve_args…`: the plugin (and thidua_fold) is there."""
    query = "/thidua.json?" + urlencode({"sql": "SELECT thidua_fold('Đỗ Thị Hoà') AS f", "_shape": "array"})
    result = subprocess.run(
        [sys.executable, "-m", "datasette", *serve_args(db_path), "--get", query],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"f": "do thi hoa"}]


def test_serve_args_load_the_template_with_the_page_note(big_path: Path) -> None:
    """`thidua serve` passes the template dir: a served page that stops at PAGE_ROWS says so."""
    page = "/thidua/appearances_of_official?" + urlencode({"name": "tran van binh"})
    result = subprocess.run(
        [sys.executable, "-m", "datasette", *serve_args(big_path), "--get", page],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"This page stops at the first {PAGE_ROWS:,} rows." in result.stdout
    assert len(_page_rows(result.stdout)) == PAGE_ROWS
