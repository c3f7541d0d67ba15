"""Forward migrations: ``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``.

A file is upgraded in one transaction (all steps or none). To change the schema, append a function
here, bump ``db.schema.SCHEMA_VERSION`` and describe new columns in ``db.descriptions.COLUMN_DESCRIPTIONS``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import closing

import sqlite_utils

from db.descriptions import COLUMN_DESCRIPTIONS
from db.errors import DatabaseError, SchemaTooNewError
from db.normalize import search_text
from db.schema import (
    FTS_COLUMNS,
    FTS_TOKENIZE,
    RUN_STATUSES_V1,
    RUN_STATUSES_V3,
    SCHEMA_VERSION,
    V1_TABLES,
    V2_FOLDED,
    V2_VIEWS,
    V4_WARC_FILES,
    V5_EVENT_COLUMNS,
    V5_EVENTS_VIEW,
    V6_EVENTS_VIEW,
    V6_TABLES,
    V8_ROBOTS_TXT,
)
from db.schema_browse import V7_MEMBER_YEARS, V7_VIEWS
from db.schema_windows import V9_DROP, V9_UNDATED_WINDOWS
from db.transaction import transaction
from extract.province import event_province
from extract.systems import canonical_system

Migration = Callable[[sqlite_utils.Database], None]


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (none of ours holds a ';' inside a literal)."""
    return [s.strip() for s in script.split(";\n") if s.strip()]


def _v1_base_tables(db: sqlite_utils.Database) -> None:
    """Version 1: sources, the frontier, articles, entities, events and their links, runs."""
    for statement in _statements(V1_TABLES):
        db.execute(statement)


def _v2_search_and_views(db: sqlite_utils.Database) -> None:
    """Version 2: ``articles.folded`` (đ→d, no accents) + FTS5 on title/lead/body/folded + analyst views."""
    db.execute(V2_FOLDED)
    db.conn.create_function("thidua_fold", 1, search_text, deterministic=True)
    db.execute(
        "UPDATE articles SET folded = thidua_fold(title || char(10) || char(10) || lead || char(10) "
        "|| char(10) || body)"
    )
    db.table("articles").enable_fts(list(FTS_COLUMNS), create_triggers=True, tokenize=FTS_TOKENIZE)
    # sqlite-utils' update trigger re-indexes on any UPDATE; bookkeeping updates (extractor_version,
    # events_count when reextract runs over every article) should not rewrite the search index.
    (sql,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_au'"
    ).fetchone()
    scoped = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    db.execute("DROP TRIGGER articles_au")
    db.execute(sql.replace("AFTER UPDATE ON", f"AFTER UPDATE OF {scoped} ON", 1))
    for name, sql in V2_VIEWS.items():
        db.create_view(name, sql.strip())


def _v3_killed_runs(db: sqlite_utils.Database) -> None:
    """Version 3: a run that died while "running" is closed as "killed" by the next run."""
    # Widening a CHECK constraint changes no stored row, so SQLite allows it as an edit of the
    # schema text (https://sqlite.org/lang_altertable.html, "making other kinds of table schema
    # changes"), inside this migration's transaction; a table rebuild would have to turn foreign
    # keys off, which cannot be done inside a transaction.
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'runs'").fetchone()
    if RUN_STATUSES_V1 not in sql:
        raise DatabaseError("the runs table does not have the version-2 status constraint: not migrating")
    (version,) = db.execute("PRAGMA schema_version").fetchone()
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'runs'",
            [sql.replace(RUN_STATUSES_V1, RUN_STATUSES_V3)],
        )
        db.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


def _v4_warc_files(db: sqlite_utils.Database) -> None:
    """Version 4: ``warc_files``, the WARC files a backfill read (finished or failed)."""
    db.execute(V4_WARC_FILES)


def _v5_province_and_month(db: sqlite_utils.Database) -> None:
    """Version 5: ``events.province`` (now and as named) and ``month``, and ``events_view`` showing them."""
    for statement in V5_EVENT_COLUMNS:
        db.execute(statement)
    # Filled by the rule storage applies (system, else members, else venue): one function, so a
    # migrated file and a freshly built one agree.
    rows = db.execute(
        "SELECT e.id, c.system, e.location, e.event_date, "
        "(SELECT json_group_array(u.name) FROM event_members m JOIN units u ON u.id = m.unit_id "
        "WHERE m.event_id = e.id) FROM events e JOIN clusters c ON c.id = e.cluster_id"
    ).fetchall()
    for event_id, system, location, event_date, members in rows:
        whose = event_province(canonical_system(system) if system else None, json.loads(members), location)
        db.execute(
            "UPDATE events SET province = ?, province_named = ?, month = ? WHERE id = ?",
            [
                whose.now if whose else None,
                whose.named if whose else None,
                (event_date or "")[:7] or None,
                event_id,
            ],
        )
    db.execute("DROP VIEW IF EXISTS events_view")
    db.create_view("events_view", V5_EVENTS_VIEW.strip())


def _v6_identities_and_overrides(db: sqlite_utils.Database) -> None:
    """Version 6: entities re-keyed (systems, sites, provinces), one event per meeting, aliases, corrections.

    One spelling per system, a systemless cluster kept apart per site, units and people keyed within
    their province, the same meeting from two sites one event; tables for analysts' overrides.
    """
    for statement in _statements(V6_TABLES):
        db.execute(statement)
    db.execute("DROP VIEW IF EXISTS events_view")
    db.create_view("events_view", V6_EVENTS_VIEW.strip())
    # Imported here: db.rekey stores through db.events, which needs the v6 tables made above.
    from db.rekey import rekey_entities

    for statement in V9_UNDATED_WINDOWS:  # db.matching reads it (a version 9 table: dropped after)
        db.execute(statement)
    rekey_entities(db)
    for statement in V9_DROP:
        db.execute(statement)


def _v7_browsing_speed(db: sqlite_utils.Database) -> None:
    """Version 7: member_years (kept by triggers) and faster members_by_year / officials_appearances views."""
    for statement in V7_MEMBER_YEARS:  # one statement each: trigger bodies hold ";" themselves
        db.execute(statement)
    for name, sql in V7_VIEWS.items():
        db.execute(f"DROP VIEW IF EXISTS {name}")
        db.create_view(name, sql.strip())


def _v8_robots_txt(db: sqlite_utils.Database) -> None:
    """Version 8: robots_txt, each host's last robots.txt and its validators, for conditional requests."""
    db.execute(V8_ROBOTS_TXT)


def _v9_undated_windows(db: sqlite_utils.Database) -> None:
    """Version 9: undated_windows (kept by triggers), so matching reads a range instead of a scan."""
    for statement in V9_UNDATED_WINDOWS:  # one statement each: trigger bodies hold ";" themselves
        db.execute(statement)


#: The migration list: its length is ``SCHEMA_VERSION``.
MIGRATIONS: list[Migration] = [
    _v1_base_tables,
    _v2_search_and_views,
    _v3_killed_runs,
    _v4_warc_files,
    _v5_province_and_month,
    _v6_identities_and_overrides,
    _v7_browsing_speed,
    _v8_robots_txt,
    _v9_undated_windows,
]
assert len(MIGRATIONS) == SCHEMA_VERSION


def schema_version(db: sqlite_utils.Database) -> int:
    """Return the schema version of an open database: 0 for an empty file.

    Raises DatabaseError for a SQLite file that has tables but is not a thidua database.
    """
    names = set(db.table_names())
    if "schema_version" not in names:
        if names:
            raise DatabaseError(
                f"{_file_name(db)} is a SQLite database but not a thidua one (no schema_version table): "
                "give thidua its own file"
            )
        return 0
    with closing(db.execute("SELECT max(version) FROM schema_version")) as cursor:
        row = cursor.fetchone()
    return int(row[0] or 0)


def _file_name(db: sqlite_utils.Database) -> str:
    """The file name of the main database, for messages."""
    with closing(db.execute("PRAGMA database_list")) as cursor:
        for _, name, path in cursor.fetchall():
            if name == "main":
                return str(path) or ":memory:"
    return "database"


def check_not_newer(db: sqlite_utils.Database) -> int:
    """Return the file's schema version; raise SchemaTooNewError if a newer thidua wrote it."""
    found = schema_version(db)
    if found > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{_file_name(db)} has schema version {found}, this thidua knows up to {SCHEMA_VERSION}: "
            "upgrade thidua"
        )
    return found


def migrate(db: sqlite_utils.Database, *, target: int = SCHEMA_VERSION) -> int:
    """Upgrade ``db`` to ``target`` in one transaction and return the version it started from.

    A file newer than this code raises SchemaTooNewError; ``target`` below the current version is a
    no-op (only tests build old files on purpose).
    """
    found = check_not_newer(db)
    if found >= target:
        return found
    with transaction(db):
        found = schema_version(db)  # another process may have upgraded it meanwhile
        for version in range(found + 1, target + 1):
            step = MIGRATIONS[version - 1]
            step(db)
            db.execute(
                "INSERT INTO schema_version (version, name) VALUES (?, ?)",
                [version, (step.__doc__ or step.__name__).strip().splitlines()[0]],
            )
        write_column_docs(db)
    return found


def write_column_docs(db: sqlite_utils.Database) -> None:
    """Refresh ``_columns`` from ``COLUMN_DESCRIPTIONS`` for the tables and views the file has."""
    db.execute("DELETE FROM _columns")
    existing = set(db.table_names()) | set(db.view_names())
    for table, columns in COLUMN_DESCRIPTIONS.items():
        if table not in existing:
            continue
        present = {c.name for c in db[table].columns}
        for column, text in columns.items():
            if column in present:
                db.execute(
                    "INSERT INTO _columns (table_name, column_name, description) VALUES (?, ?, ?)",
                    [table, column, text],
                )
