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
