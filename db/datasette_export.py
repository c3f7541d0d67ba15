"""Every row of a canned query as CSV or JSON, streamed: Datasette stops a query at 1,000 rows.

Datasette's own ``/thidua/QUERY.csv`` and ``.json`` run a canned query with ``max_returned_rows``
(1,000) and its ``_stream`` option only pages through tables, so an export of "every appearance of
Nguyễn" ends silently at row 1,000 (``truncated`` is only in the default JSON shape). The project
plugin answers those URLs itself with these functions: the query runs on its own read-only connection
and rows are written as they are fetched, all of them.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import json
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from db.datasette import PAGE_ROWS_PARAMETER

#: Rows fetched from SQLite per step: a step's rows are written before the next are read.
CHUNK_ROWS = 500

#: The JSON shapes Datasette offers (``_shape=``); ``objects`` is ours by default too.
SHAPES = ("objects", "array", "arrays")


class ExportError(Exception):
    """An export that cannot run as asked (an unknown ``_shape``): the message says what to send."""


def open_readonly(
    path: str | Path, *, immutable: bool, prepare: Callable[[sqlite3.Connection], None]
) -> sqlite3.Connection:
    """A read-only connection to ``path`` (``immutable=1`` where Datasette opened it immutable),
    prepared like Datasette's own connections (the plugin's SQL functions)."""
    mode = "immutable=1" if immutable else "mode=ro"
    conn = sqlite3.connect(
        f"file:{quote(str(Path(path).resolve()))}?{mode}", uri=True, check_same_thread=False
    )
    prepare(conn)
    conn.create_function("thidua_json_value", 1, _ENCODER.encode, deterministic=True)
    return conn


#: Idle export connections kept per file and mode for the next export. A connection keeps its page
#: cache and memory map between exports; a new one maps the file again and closing it unmaps every
#: page it touched (50 ms for articles_missing_dates' few thousand, more than its query).
IDLE_CONNECTIONS = 2

_idle: dict[tuple[str, bool], list[sqlite3.Connection]] = {}
_idle_lock = threading.Lock()


def borrow_readonly(
    path: str | Path, *, immutable: bool, prepare: Callable[[sqlite3.Connection], None]
) -> sqlite3.Connection:
    """An idle connection to ``path`` left by ``give_back``, or a new ``open_readonly`` one.

    Only one export uses it until it is given back (it is in no pool meanwhile)."""
    with _idle_lock:
        idle = _idle.get(_pool_key(path, immutable))
        if idle:
            return idle.pop()
    return open_readonly(path, immutable=immutable, prepare=prepare)


def give_back(conn: sqlite3.Connection, path: str | Path, *, immutable: bool) -> None:
    """Keep ``conn``, whose statements have all run to their end, for the next export of ``path``;
    close it when ``IDLE_CONNECTIONS`` already wait. (A statement left half-read would hold its read
    transaction, and with it an old snapshot of the file: close such a connection instead.)"""
    with _idle_lock:
        idle = _idle.setdefault(_pool_key(path, immutable), [])
        if len(idle) < IDLE_CONNECTIONS:
            idle.append(conn)
            return
    conn.close()


def _pool_key(path: str | Path, immutable: bool) -> tuple[str, bool]:
    return str(Path(path).resolve()), immutable


def page_note(sql: str, shown: int, page_rows: int) -> str:
    """What a canned query's HTML page says when it may stop before the end of the result, or ``""``.

    ``sql`` is cut at ``:_page_rows`` (``page_rows`` on the page) and ``shown`` rows came back:
    ``page_note("… LIMIT :_page_rows", 200, 200)`` → ``"This page stops at the first 200 rows."``;
    fewer rows than the cut, or SQL without it, is the whole result: ``""``.
    """
    if f":{PAGE_ROWS_PARAMETER}" not in sql or shown < page_rows:
        return ""
    return f"This page stops at the first {page_rows:,} rows."


def editable_sql(sql: str, page_rows: int) -> str | None:
    """``sql`` with its page cut written out, for Datasette's arbitrary-SQL editor (which has no
    magic parameters): ``editable_sql("… LIMIT :_page_rows", 100)`` → ``"… LIMIT 100"``; None for
    SQL that has no such cut (Datasette's own "Edit SQL" link stands)."""
    cut = re.compile(rf":{PAGE_ROWS_PARAMETER}\b")
    if not cut.search(sql):
        return None
    return cut.sub(str(page_rows), sql)


def query_rows(
    conn: sqlite3.Connection, sql: str, params: Mapping[str, Any]
) -> tuple[list[str], Iterator[list[tuple[Any, ...]]]]:
    """The column names of ``sql`` and an iterator over its rows in chunks of ``CHUNK_ROWS``."""
    cursor = conn.execute(sql, dict(params))
    return [d[0] for d in cursor.description or ()], _chunks(cursor)


def _chunks(cursor: sqlite3.Cursor) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``cursor``, ``CHUNK_ROWS`` at a time."""
    while rows := cursor.fetchmany(CHUNK_ROWS):
        yield rows


def object_rows(
    conn: sqlite3.Connection, sql: str, params: Mapping[str, Any]
) -> tuple[list[str], Iterator[list[tuple[Any, ...]]]] | None:
    """Like ``query_rows``, but each row is one JSON object text that SQLite wrote (``{"event_id":
    7, …}``), for the ``objects`` and ``array`` shapes: building a dict per row and encoding it in
    Python cost as much as the query. Values come out as ``json_pieces`` writes them (a BLOB or a
    REAL through the same encoder; text as text, even when SQL made it JSON). None, having run
    nothing, when the result's column names repeat (a dict keeps the last; JSON would keep both).
    A connection of ``open_readonly`` only (it has the encoder as ``thidua_json_value``).
    """
    body = sql.strip().removesuffix(";")
    # A new line before ")": SQL that ends in a "--" comment would comment it out.
    probe = conn.execute(f"SELECT * FROM ({body}\n) LIMIT 0", dict(params))
    columns = [d[0] for d in probe.description or ()]
    probe.fetchall()
    # A repeated name comes out of the subquery as "name:1": leave such results to query_rows.
    if any((found := _RENAMED.fullmatch(name)) and found.group(1) in columns for name in columns):
        return None
    pairs = ", ".join(f"{_sql_text(name)}, {_json_cell(_sql_name(name))}" for name in columns)
    cursor = conn.execute(f"SELECT json_object({pairs}) FROM ({body}\n)", dict(params))
    return columns, _chunks(cursor)


_RENAMED = re.compile(r"(.*):\d+", re.DOTALL)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _json_cell(column: str) -> str:
    """The SQL of one value for ``json_object``: a BLOB or REAL as Python encodes it, text with no
    JSON subtype (``|| ''``), so it stays a string."""
    return (
        f"CASE typeof({column}) WHEN 'text' THEN {column} || '' WHEN 'integer' THEN {column} "
        f"WHEN 'null' THEN NULL ELSE json(thidua_json_value({column})) END"
    )


async def stream_chunks(chunks: Iterator[list[tuple[Any, ...]]]) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The chunks of ``query_rows``, each read in a worker thread so the server keeps answering."""
    done = object()
    while True:
        rows = await asyncio.to_thread(next, chunks, done)
        if rows is done:
            return
        yield rows  # type: ignore[misc]


def csv_text(rows: list[tuple[Any, ...]]) -> str:
    """CSV lines for ``rows`` (``\\r\\n`` line ends, as Datasette writes them); NULL is empty."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return _blob(value)
    return value


def _blob(value: bytes) -> Any:
    """A BLOB as Datasette shows it: its text when it is UTF-8, else ``{"$base64": true, …}``."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return {"$base64": True, "encoded": base64.b64encode(value).decode("ascii")}


async def json_pieces(
    shape: str,
    columns: list[str],
    chunks: AsyncIterator[list[tuple[Any, ...]]],
    head: Mapping[str, Any],
    *,
    encoded: bool = False,
) -> AsyncIterator[str]:
    """The JSON document of a query result in pieces: ``array`` is a list of objects, ``objects`` and
    ``arrays`` a Datasette-like document (``head`` fields, ``columns``, ``rows``, ``truncated: false``).
    ``encoded``: each row is already its JSON object's text (``object_rows``)."""
    if shape not in SHAPES:
        raise ExportError(f"_shape={shape} is not offered for exports: use one of {', '.join(SHAPES)}")
    as_object = shape in ("objects", "array")
    if shape == "array":
        yield "["
    else:
        opening = {**head, "columns": columns, "truncated": False}
        yield json.dumps(opening, ensure_ascii=False)[:-1] + ', "rows": ['
    first = True
    async for rows in chunks:
        # One piece per chunk, encoded in one call: each piece is one write to the client, and
        # thousands of small writes and encoder calls cost more than the JSON itself.
        if encoded:
            piece = ", ".join([row[0] for row in rows])
        else:
            items = [dict(zip(columns, row, strict=True)) for row in rows] if as_object else rows
            piece = _ENCODER.encode(items)[1:-1]
        if piece:
            yield ("" if first else ", ") + piece
            first = False
    yield "]" if shape == "array" else "]}"


def _unencodable(value: Any) -> Any:
    if isinstance(value, bytes):
        return _blob(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


#: The rows' encoder: a BLOB, the only SQLite value JSON has no type for, is written as ``_blob`` says.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_unencodable)
