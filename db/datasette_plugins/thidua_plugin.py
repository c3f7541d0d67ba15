"""thidua's Datasette plugin: ``thidua_fold`` in SQL, id links, entity page links, full exports.

Datasette loads this file from its plugins directory (``db.datasette.PLUGINS_DIR``, passed by
``serve_args`` and ``make_datasette``), so it needs no installed entry point. The logic lives in
``db.datasette_links`` and ``db.datasette_export``; this module only wires it to Datasette's hooks.
"""

from __future__ import annotations

import asyncio
import gc
import re
import sqlite3
import weakref
from typing import Any
from urllib.parse import urlencode

import markupsafe
from datasette import hookimpl
from datasette.utils import derive_named_parameters, tilde_decode
from datasette.utils.asgi import AsgiStream, NotFound, Response

from db.datasette import ALL_ROWS, PAGE_ROWS, PAGE_ROWS_PARAMETER, query_names
from db.datasette_export import (
    ExportError,
    borrow_readonly,
    csv_text,
    editable_sql,
    give_back,
    json_pieces,
    object_rows,
    page_note,
    query_rows,
    stream_chunks,
)
from db.datasette_links import LINKED_COLUMNS, Link, entity_links, id_link
from db.sql_functions import prepare


@hookimpl
def startup(datasette: Any) -> Any:
    """Once Datasette has started, its modules, templates' code and metadata are kept out of the
    cyclic collector (``gc.freeze``): a full collection walked all of them, 50 ms on a small
    machine, landing in whichever request was running (the p95 of ``bench/db_bench.py``)."""

    async def freeze() -> None:
        gc.collect()
        gc.freeze()

    return freeze


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Every Datasette connection gets ``thidua_fold``."""
    prepare(conn)


def _page_rows(key: str, request: Any) -> int:
    """``:_page_rows`` on a canned query's HTML page (Datasette asks for ``_page_…`` magic parameters)."""
    if key != "rows":
        raise KeyError(f"_page_{key}")
    return PAGE_ROWS


@hookimpl
def register_magic_parameters() -> list[tuple[str, Any]]:
    """``:_page_rows``: how many rows a canned query's HTML page shows (its exports pass ``ALL_ROWS``)."""
    return [("page", _page_rows)]


@hookimpl
def extra_template_vars(database: str | None, request: Any, datasette: Any) -> Any:
    """The query page's note when a canned query stops at the page (``db/datasette_templates``),
    and its "Edit SQL" link, which Datasette leaves out for SQL with a magic parameter."""

    async def values() -> dict[str, Any]:
        found: dict[str, Any] = {"thidua_page_note": _page_note}
        url = await _edit_sql_url(datasette, database, request)
        if url:
            found["edit_sql_url"] = url  # plugins' variables come last: this one is used
        return found

    return values


async def _edit_sql_url(datasette: Any, database: str | None, request: Any) -> str | None:
    """Datasette's "Edit SQL" link of a shipped canned query cut at ``:_page_rows``, with the cut
    written out (``LIMIT 100``) and the parameters filled in as on the page; None for anything else."""
    name = (request.url_vars.get("table") if request is not None else None) or ""
    if database is None or not name:
        return None
    query = await datasette.get_canned_query(database, tilde_decode(name), request.actor)
    sql = editable_sql(query["sql"], PAGE_ROWS) if query else None
    if sql is None or ":_" in sql or query.get("write"):
        return None
    if not await datasette.permission_allowed(request.actor, "execute-sql", database, default=True):
        return None
    params = {p: request.args.get(p) or "" for p in query.get("params") or ()}
    return f"{datasette.urls.database(database)}?{urlencode({'sql': sql, **params})}"


def _page_note(sql: str, shown: int) -> str:
    return page_note(sql, shown, PAGE_ROWS)


#: Each Datasette's URL of each database (``/thidua``), built once: ``urls.database`` tilde-encodes
#: the name on every call, and an id cell of every row of a page asks for it.
_DATABASE_URLS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def _href(datasette: Any, database: str, link: Link) -> str:
    if link.path.startswith("/"):
        return str(datasette.urls.path(link.path))
    urls = _DATABASE_URLS.setdefault(datasette, {})
    if database not in urls:
        urls[database] = str(datasette.urls.database(database))
    return f"{urls[database]}/{link.path}"


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    """An id in a view or query result links to its row; a cluster/unit/person id to its pages."""
    # Called for every cell of every page (thousands on a canned query): a cell of a column that is
    # never linked, or that holds no integer, is let go after one set look-up and one type check.
    if column not in LINKED_COLUMNS or type(value) is not int:
        return None
    extra = entity_links(table, column, value)
    if extra:
        links = " · ".join(_anchor(_href(datasette, database, link), link.text) for link in extra)
        return markupsafe.Markup(f"{markupsafe.escape(value)} ({links})")
    link = id_link(column, table, value)
    if link is None:
        return None
    return markupsafe.Markup(_anchor(_href(datasette, database, link), link.text))


def _anchor(href: str, text: str) -> str:
    return f'<a href="{markupsafe.escape(href)}">{markupsafe.escape(text)}</a>'


async def export_query(request: Any, datasette: Any) -> Any:
    """``/DB/QUERY.csv`` and ``/DB/QUERY.json`` for a canned query: every row, streamed."""
    database, name, fmt = (request.url_vars[k] for k in ("database", "query", "format"))
    try:
        db = datasette.get_database(database)
    except KeyError as error:
        raise NotFound(f"Database not found: {database}") from error
    query = await datasette.get_canned_query(database, name, request.actor)
    if not query or db.path is None:
        raise NotFound(f"Canned query not found: {name}")
    await datasette.ensure_permissions(
        request.actor, [("view-query", (database, name)), ("view-database", database), "view-instance"]
    )
    sql = query["sql"]
    names = query.get("params") or await derive_named_parameters(db, sql)
    params = {p: request.args.get(p) or "" for p in names}
    shape = request.args.get("_shape") or "objects"
    immutable = not db.is_mutable
    conn = borrow_readonly(db.path, immutable=immutable, prepare=prepare)
    try:
        # The page's cut (:_page_rows) is none: every row. In a thread: a sorted query does all its
        # work in its first step (seconds for a large export), and the server must go on answering.
        every = {**params, PAGE_ROWS_PARAMETER: ALL_ROWS}
        as_objects = fmt == "json" and shape in ("objects", "array")
        found = await asyncio.to_thread(object_rows, conn, sql, every) if as_objects else None
        encoded = found is not None
        if found is None:
            found = await asyncio.to_thread(query_rows, conn, sql, every)
        columns, chunks = found
        if fmt == "json":
            head = {
                "ok": True,
                "database": database,
                "query_name": name,
                "query": {"sql": sql, "params": params},
            }
            pieces = json_pieces(shape, columns, stream_chunks(chunks), head, encoded=encoded)
            first = await anext(pieces)  # a bad _shape fails here, before the status is sent
    except (sqlite3.Error, ExportError) as error:
        conn.close()
        return Response.text(f"{name}: {error}", status=400)

    async def write(out: Any) -> None:
        finished = False
        try:
            if fmt == "csv":
                await out.write(csv_text([tuple(columns)]))
                async for rows in stream_chunks(chunks):
                    await out.write(csv_text(rows))
            else:
                await out.write(first)
                async for piece in pieces:
                    await out.write(piece)
            finished = True
        finally:
            # Every row read: the statement is done and the connection can serve the next export; a
            # client gone mid-way leaves it half-read, holding a snapshot: closed.
            if finished:
                give_back(conn, db.path, immutable=immutable)
            else:
                conn.close()

    headers = {}
    if fmt == "csv" and request.args.get("_dl"):
        headers["content-disposition"] = f'attachment; filename="{name}.csv"'
    if fmt == "csv":
        content_type = "text/csv; charset=utf-8" if request.args.get("_dl") else "text/plain; charset=utf-8"
    else:
        content_type = "application/json; charset=utf-8"
    return AsgiStream(write, headers=headers, content_type=content_type)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    """The export route, for the shipped canned queries only (Datasette answers everything else)."""
    names = "|".join(re.escape(n) for n in sorted(query_names()))
    return [(rf"^/(?P<database>[^/]+)/(?P<query>{names})\.(?P<format>csv|json)$", export_query)]
