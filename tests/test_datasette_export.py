"""db/datasette_export.py on its own: the JSON document of an export, whatever its chunks and values."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from db.datasette_export import (
    IDLE_CONNECTIONS,
    ExportError,
    borrow_readonly,
    csv_text,
    editable_sql,
    give_back,
    json_pieces,
    object_rows,
    open_readonly,
    page_note,
    query_rows,
    stream_chunks,
)
from db.sql_functions import prepare

COLUMNS = ["event_date", "cluster", "event_id", "raw"]
ROWS = [
    ("2025-03-12", "Cụm thi đua số 3", 7, b"\x00\xff"),
    (None, "Khối thi đua các cơ quan Đảng", 8, "Đà Lạt".encode()),
    ("2024-12-20", 'tên có "ngoặc" và \\', 9, None),
]
#: What a reader gets for ROWS: a BLOB as its text when UTF-8, else Datasette's base64 object.
OBJECTS = [
    {"event_date": "2025-03-12", "cluster": "Cụm thi đua số 3", "event_id": 7,
     "raw": {"$base64": True, "encoded": "AP8="}},
    {"event_date": None, "cluster": "Khối thi đua các cơ quan Đảng", "event_id": 8, "raw": "Đà Lạt"},
    {"event_date": "2024-12-20", "cluster": 'tên có "ngoặc" và \\', "event_id": 9, "raw": None},
]  # fmt: skip


async def _chunks(chunks: list[list[tuple[Any, ...]]]) -> AsyncIterator[list[tuple[Any, ...]]]:
    for chunk in chunks:
        yield chunk


def _document(shape: str, chunks: list[list[tuple[Any, ...]]]) -> tuple[Any, int]:
    async def run() -> list[str]:
        return [piece async for piece in json_pieces(shape, COLUMNS, _chunks(chunks), {"ok": True})]

    pieces = asyncio.run(run())
    return json.loads("".join(pieces)), len(pieces)


@pytest.mark.parametrize(
    "chunks",
    [[ROWS], [ROWS[:1], ROWS[1:]], [ROWS[:1], [], ROWS[1:2], ROWS[2:]], [[r] for r in ROWS]],
    ids=["one chunk", "two chunks", "an empty chunk between", "a row per chunk"],
)
@pytest.mark.parametrize("shape", ["objects", "array", "arrays"])
def test_json_document_is_the_same_however_the_rows_are_chunked(shape: str, chunks: list) -> None:
    data, _ = _document(shape, chunks)
    if shape == "array":
        assert data == OBJECTS
    elif shape == "objects":
        assert data == {"ok": True, "columns": COLUMNS, "truncated": False, "rows": OBJECTS}
    else:
        assert data["columns"] == COLUMNS and data["truncated"] is False
        assert data["rows"] == [[row[c] for c in COLUMNS] for row in OBJECTS]


@pytest.mark.parametrize("shape", ["objects", "array", "arrays"])
def test_json_document_of_no_rows(shape: str) -> None:
    data, _ = _document(shape, [[], []])
    assert (data if shape == "array" else data["rows"]) == []


def test_json_is_written_a_chunk_at_a_time_not_a_row_at_a_time() -> None:
    """The opening, one piece per non-empty chunk, the closing: 1,000 rows in two chunks are 4 writes."""
    rows = [("2025-01-01", f"Cụm {i}", i, None) for i in range(1000)]
    data, pieces = _document("array", [rows[:500], rows[500:]])
    assert pieces == 4
    assert [r["event_id"] for r in data] == list(range(1000))


def test_an_unknown_shape_names_the_offered_ones() -> None:
    with pytest.raises(ExportError, match="objects, array, arrays"):
        _document("object", [ROWS])


def test_csv_text_writes_null_empty_and_blobs_as_text() -> None:
    assert csv_text([("a,b", None, 3, "Đà Lạt".encode())]) == '"a,b",,3,Đà Lạt\r\n'


def test_query_rows_streams_every_row_of_a_real_file(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (name TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [(f"Nguyễn Văn {i}",) for i in range(1234)])
    conn = open_readonly(path, immutable=False, prepare=prepare)
    columns, chunks = query_rows(conn, "SELECT thidua_fold(name) AS folded FROM t ORDER BY rowid", {})

    async def collect() -> list[tuple[Any, ...]]:
        return [row async for rows in stream_chunks(chunks) for row in rows]

    rows = asyncio.run(collect())
    conn.close()
    assert columns == ["folded"]
    assert [r[0] for r in rows] == [f"nguyen van {i}" for i in range(1234)]


def _both_ways(tmp_path: Path, sql: str, shape: str = "array") -> tuple[Any, Any]:
    """The export of ``sql`` over a table of ROWS (plus a REAL column), encoded by Python from
    ``query_rows`` and from ``object_rows``' SQLite-written objects."""
    path = tmp_path / "t.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (event_date TEXT, cluster TEXT, event_id INTEGER, raw BLOB, share REAL)")
        conn.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?)", [(*r, 1 / (i + 3)) for i, r in enumerate(ROWS)]
        )
    conn = open_readonly(path, immutable=False, prepare=prepare)

    def document(encoded: bool) -> Any:
        found = object_rows(conn, sql, {}) if encoded else query_rows(conn, sql, {})
        assert found is not None
        columns, chunks = found

        async def run() -> str:
            pieces = json_pieces(shape, columns, stream_chunks(chunks), {"ok": True}, encoded=encoded)
            return "".join([piece async for piece in pieces])

        return json.loads(asyncio.run(run()))

    try:
        return document(False), document(True)
    finally:
        conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM t ORDER BY event_id",  # text with quotes and backslashes, NULL, BLOBs, REALs
        'SELECT event_id AS "số ""id""", cluster AS \'tên\'\'s\' FROM t',  # names to quote
        "SELECT json_object('a', event_id) AS made FROM t",  # JSON made by SQL stays a string
        "SELECT event_id, count(*) AS n FROM t GROUP BY event_id ORDER BY event_id DESC;",
        "SELECT cluster FROM t -- a comment at the end\n",
    ],
    ids=["every type", "quoted names", "json text", "grouped, semicolon", "trailing comment"],
)
@pytest.mark.parametrize("shape", ["array", "objects"])
def test_sqlite_written_objects_are_what_python_writes(tmp_path: Path, sql: str, shape: str) -> None:
    python, sqlite = _both_ways(tmp_path, sql, shape)
    assert sqlite == python
    assert sqlite if shape == "array" else sqlite["rows"]  # some rows came back


def test_a_blob_and_a_real_read_back_as_python_wrote_them(tmp_path: Path) -> None:
    _, sqlite = _both_ways(tmp_path, "SELECT raw, share FROM t ORDER BY event_id")
    assert [r["raw"] for r in sqlite] == [o["raw"] for o in OBJECTS]
    assert [r["share"] for r in sqlite] == [1 / 3, 1 / 4, 1 / 5]  # every digit, as Python's repr


def test_repeated_column_names_are_left_to_python(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    sqlite3.connect(path).close()
    conn = open_readonly(path, immutable=False, prepare=prepare)
    assert object_rows(conn, "SELECT 1 AS a, 2 AS a", {}) is None
    assert object_rows(conn, "SELECT 1 AS a, 2 AS b", {}) is not None
    conn.close()


@pytest.mark.parametrize(
    ("sql", "shown", "note"),
    [
        ("SELECT 1 LIMIT :_page_rows", 200, "This page stops at the first 200 rows."),
        ("SELECT 1 LIMIT :_page_rows", 199, ""),  # fewer than the cut: the whole result
        ("SELECT 1 LIMIT :_page_rows", 0, ""),
        ("SELECT 1 LIMIT 30", 200, ""),  # not cut by the page
    ],
)
def test_page_note(sql: str, shown: int, note: str) -> None:
    assert page_note(sql, shown, 200) == note


def test_page_note_groups_thousands() -> None:
    assert page_note("… LIMIT :_page_rows", 1500, 1500) == "This page stops at the first 1,500 rows."


def test_a_given_back_connection_is_lent_again_and_the_pool_stays_small(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    sqlite3.connect(path).close()
    lent = [borrow_readonly(path, immutable=False, prepare=prepare) for _ in range(IDLE_CONNECTIONS + 1)]
    assert len({id(c) for c in lent}) == len(lent)  # none idle yet: each is new
    for conn in lent:
        give_back(conn, path, immutable=False)
    again = [borrow_readonly(path, immutable=False, prepare=prepare) for _ in range(IDLE_CONNECTIONS)]
    assert {id(c) for c in again} == {id(c) for c in lent[:IDLE_CONNECTIONS]}
    with pytest.raises(sqlite3.ProgrammingError):  # the one too many was closed
        lent[-1].execute("SELECT 1")
    assert again[0].execute("SELECT thidua_fold('Đà Lạt')").fetchone() == ("da lat",)
    # Another mode of the same file is another pool: an immutable connection is never lent as mode=ro.
    other = borrow_readonly(path, immutable=True, prepare=prepare)
    assert all(other is not c for c in lent)
    for conn in (*again, other):
        conn.close()


@pytest.mark.parametrize(
    ("sql", "edited"),
    [
        ("SELECT 1 LIMIT :_page_rows", "SELECT 1 LIMIT 100"),
        (
            "WITH k AS (SELECT 1 LIMIT :_page_rows)\nSELECT * FROM k",
            "WITH k AS (SELECT 1 LIMIT 100)\nSELECT * FROM k",
        ),
        ("SELECT :_page_rowsx", None),  # another name
        ("SELECT 1 LIMIT 30", None),  # no cut: Datasette's own link stands
    ],
)
def test_editable_sql_writes_the_page_cut_out(sql: str, edited: str | None) -> None:
    assert editable_sql(sql, 100) == edited
