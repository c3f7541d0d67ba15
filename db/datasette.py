"""Datasette for thidua: the shipped metadata (db/metadata.yaml), its settings, and how to serve a file.

The metadata file names the database ``thidua`` (the stem of the default ``thidua.db``). Datasette
names a database after its file's stem, so for any other file the same metadata is re-keyed under that
stem. Table and column descriptions are written once, in ``db.schema`` (``TABLE_DESCRIPTIONS``,
``COLUMN_DESCRIPTIONS``), and merged in here.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from datasette.app import Datasette

#: The database name the shipped metadata file is written for.
SHIPPED_NAME = "thidua"

#: Datasette loads every ``*.py`` here as a plugin: the project's (``thidua_plugin.py``).
PLUGINS_DIR = Path(__file__).with_name("datasette_plugins")

#: Templates that extend Datasette's own (``{% extends "default:query.html" %}``): the page note.
TEMPLATES_DIR = Path(__file__).with_name("datasette_templates")

#: Rows an HTML canned-query page shows. A page renders every cell through the plugins and Jinja
#: (15-40 µs a cell), so 1,000 rows of 8 columns cost 200-400 ms and 200 rows still 50-70 ms of CPU
#: on the 100k bench file, 100 rows 30-45 ms; the page says when it stops here and links the CSV and
#: JSON exports, which stream every row.
PAGE_ROWS = 100

#: The magic parameter (``:_page_rows``, answered by the project plugin) a canned query's SQL is cut
#: with: ``PAGE_ROWS`` on the HTML page, ``ALL_ROWS`` in the exports.
PAGE_ROWS_PARAMETER = "_page_rows"

#: ``LIMIT -1``: SQLite's "no limit", what an export gives ``:_page_rows``.
ALL_ROWS = -1

#: The chart plugin whose dashboards db/metadata.yaml configures (pinned in pyproject.toml).
DASHBOARDS_PLUGIN = "datasette-dashboards"

#: Datasette settings for an analyst browsing up to a few hundred thousand events on a laptop.
SETTINGS: dict[str, Any] = {
    "default_page_size": 50,
    # Facets over 100k events need more than Datasette's 200 ms default; SQL gets a matching margin.
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 1000,
    # Suggested facets scan every column of every page view: too slow to be worth it on big tables.
    "suggest_facets": False,
    # Article bodies are long; the row page still shows them in full.
    "truncate_cells_html": 300,
}


class DatasetteConfigError(Exception):
    """The shipped Datasette metadata is missing or broken (a packaging fault, not a user error)."""


def metadata_path() -> Path:
    """Return the path of the shipped metadata file: ``…/db/metadata.yaml``."""
    return Path(__file__).with_name("metadata.yaml")


@cache
def _shipped() -> dict[str, Any]:
    path = metadata_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DatasetteConfigError(f"{path} is missing: reinstall thidua") from error
    except yaml.YAMLError as error:
        raise DatasetteConfigError(f"{path} is not valid YAML ({error}): fix or reinstall it") from error
    if not isinstance(data, dict) or SHIPPED_NAME not in (data.get("databases") or {}):
        raise DatasetteConfigError(f"{path} has no databases.{SHIPPED_NAME} section")
    return dict(data)


def _schema_descriptions() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Table and column descriptions from ``db.descriptions``, where they are written once."""
    from db import descriptions

    tables = getattr(descriptions, "TABLE_DESCRIPTIONS", {}) or {}
    columns = getattr(descriptions, "COLUMN_DESCRIPTIONS", {}) or {}
    return (
        {str(table): str(text) for table, text in tables.items()},
        {str(table): dict(cols) for table, cols in columns.items()},
    )


def metadata(db_name: str = SHIPPED_NAME) -> dict[str, Any]:
    """Return the complete Datasette metadata for a database called ``db_name``.

    That is db/metadata.yaml with the table and column descriptions of ``db.schema`` merged in (a
    description written in metadata.yaml wins) and its ``databases`` section keyed by ``db_name``:
    ``metadata("thidua")["databases"]["thidua"]["tables"]["events"]["sort_desc"] == "event_date"``.
    """
    data = copy.deepcopy(_shipped())
    database = data["databases"].pop(SHIPPED_NAME)
    tables = database.setdefault("tables", {})
    table_texts, column_texts = _schema_descriptions()
    for table, text in table_texts.items():
        tables.setdefault(table, {}).setdefault("description", text)
    for table, columns in column_texts.items():
        entry = tables.setdefault(table, {})
        entry["columns"] = {**columns, **entry.get("columns", {})}
    data["databases"] = {db_name: database}
    for dashboard in (data.get("plugins") or {}).get(DASHBOARDS_PLUGIN, {}).values():
        _rekey_dashboard(dashboard, db_name)
    return data


def _rekey_dashboard(dashboard: dict[str, Any], db_name: str) -> None:
    """Point a dashboard's charts and filters written for ``thidua`` at the database ``db_name``."""
    for part in (*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()):
        if part.get("db") == SHIPPED_NAME:
            part["db"] = db_name


def query_names() -> tuple[str, ...]:
    """The names of the shipped canned queries (``cluster_timeline``, …)."""
    return tuple(_shipped()["databases"][SHIPPED_NAME].get("queries", {}))


def database_name(db_path: str | Path) -> str:
    """Return the name Datasette gives a database file: its stem (``data/thidua.db`` → ``thidua``)."""
    return Path(db_path).stem


def metadata_file_for(db_path: str | Path) -> Path:
    """Write the complete metadata for ``db_path`` to a new private file and return its path.

    ``datasette serve`` reads metadata from a file. Each call makes its own folder with
    ``mkdtemp`` (mode 0700, a fresh unpredictable name) and creates the file in it exclusively, so
    another local user can neither plant a file for us to serve nor a symlink for us to write through.
    """
    text = json.dumps(metadata(database_name(db_path)), ensure_ascii=False, indent=2, sort_keys=True)
    folder = Path(tempfile.mkdtemp(prefix="thidua-datasette-"))
    target = folder / "metadata.json"
    with open(target, "x", encoding="utf-8") as out:
        out.write(text)
    return target


def serves_immutable(db_path: str | Path) -> bool:
    """Whether ``db_path`` must be opened immutable: only when neither it nor its folder can be
    written (read-only media, someone else's folder), so no crawl can change it under the server and
    SQLite could not make the ``-shm`` file that read-only WAL access needs. A file a crawl may write
    is opened read-only (``mode=ro``), which sees every write as it commits."""
    path = Path(db_path)
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _immutable(path: Path, immutable: bool | None) -> bool:
    return serves_immutable(path) if immutable is None else immutable


def serve_args(
    db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001, immutable: bool | None = None
) -> list[str]:
    """Return the argv (after ``datasette``) that serves ``db_path`` read-only with thidua's metadata.

    ``serve_args("thidua.db")`` → ``["serve", "/abs/thidua.db", "--metadata", "…json",
    "--plugins-dir", "…/db/datasette_plugins", "--template-dir", "…/db/datasette_templates",
    "-h", "127.0.0.1", "-p", "8001", "--setting", "default_page_size", "50", …]``; run it as
    ``datasette *args`` or ``python -m datasette *args``. The file is opened read-only (``mode=ro``),
    which sees a crawl's writes as they commit; immutable (``-i``) only where nothing can write it
    (``serves_immutable``). ``immutable`` forces either mode.
    """
    path = Path(db_path).resolve()
    # Datasette opens a plain file argument with mode=ro and never writes to it without a write plugin.
    args = ["serve", "-i", str(path)] if _immutable(path, immutable) else ["serve", str(path)]
    args += ["--metadata", str(metadata_file_for(path)), "--plugins-dir", str(PLUGINS_DIR)]
    args += ["--template-dir", str(TEMPLATES_DIR)]
    args += ["-h", host, "-p", str(port)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, _setting_text(value)]
    return args


def _setting_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def make_datasette(db_path: str | Path, *, immutable: bool | None = None) -> Datasette:
    """Return a Datasette app for ``db_path`` configured as ``serve_args`` would (for tests, ``serve``).

    ``await make_datasette(path).client.get("/thidua/events.json")`` answers without a server.
    """
    from datasette.app import Datasette

    path = Path(db_path).resolve()
    files = {"immutables": [str(path)]} if _immutable(path, immutable) else {"files": [str(path)]}
    return Datasette(
        metadata=metadata(database_name(path)),
        settings=dict(SETTINGS),
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        **files,
    )
