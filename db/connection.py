"""Open a thidua database: check the file, set WAL and foreign keys, migrate to the current schema."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from db.errors import DatabaseError, NotADatabaseError
from db.migrations import check_not_newer, migrate
from db.schema import SCHEMA_VERSION

_SQLITE_HEADER = b"SQLite format 3\x00"
#: The size the write-ahead log is truncated back to after a checkpoint.
WAL_LIMIT_BYTES = 64 * 1024 * 1024


def open_database(
    path: str | Path, *, create: bool = True, readonly: bool = False, cache_mb: int = 64
) -> sqlite_utils.Database:
    """Open (and, if ``create``, create) the SQLite file at ``path``, migrated to ``SCHEMA_VERSION``.

    WAL journal, foreign keys on. ``readonly`` opens it for reading only and fails if it needs an
    upgrade. ``cache_mb`` is SQLite's page cache for this connection (the default suits bulk
    loads; the nightly crawl, one article per transaction, asks for less and keeps its memory).
    Raises DatabaseError (missing file with ``create=False``), NotADatabaseError (not SQLite),
    SchemaTooNewError (written by a newer thidua).
    """
    file = Path(path)
    if not file.exists():
        if readonly or not create:
            raise DatabaseError(f"{file} does not exist: run `thidua crawl` (or ingest) to create it")
        if not file.parent.is_dir():
            raise DatabaseError(f"cannot create {file}: the folder {file.parent} does not exist")
    elif file.is_dir():
        raise NotADatabaseError(f"{file} is a directory, not a SQLite database")
    else:
        _check_header(file)
    if readonly:
        # In a folder nobody may write (read-only media), mode=ro cannot make the -shm file WAL
        # readers need; nothing can change the file there either, so immutable is both safe and needed.
        mode = "mode=ro" if os.access(file.resolve().parent, os.W_OK) else "immutable=1"
        conn = sqlite3.connect(f"file:{quote(str(file.resolve()))}?{mode}", uri=True, timeout=30)
    else:
        conn = sqlite3.connect(str(file), timeout=30)
    try:
        db = sqlite_utils.Database(conn, execute_plugins=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 30000")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints are what fsync in WAL mode: every ~40 MB of WAL rather than every 4 MB.
            conn.execute("PRAGMA wal_autocheckpoint = 10000")
            # ... and the WAL file is cut back to 64 MB after each, so a disk that filled up once is
            # not filled again by the next night's log.
            conn.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
        # 64 MB of page cache (the default) instead of 2 MB: a bulk load of 100k events stops
        # re-reading the event and entity indexes from the OS (bench/db_bench.py).
        conn.execute(f"PRAGMA cache_size = {-1024 * max(1, int(cache_mb))}")
        if readonly:
            found = check_not_newer(db)
            if found < SCHEMA_VERSION:
                raise DatabaseError(
                    f"{file} has schema version {found} and needs an upgrade to {SCHEMA_VERSION}: "
                    "open it once without read-only (e.g. `thidua stats`)"
                )
        else:
            _refuse_corrupt(conn, file)
            migrate(db)
    except sqlite3.DatabaseError as error:
        conn.close()
        if "not a database" in str(error) or "malformed" in str(error):
            raise NotADatabaseError(f"{file} is not a SQLite database (or is corrupt): {error}") from error
        raise DatabaseError(f"{file}: {error}") from error
    except BaseException:
        conn.close()
        raise
    return db


def _refuse_corrupt(conn: sqlite3.Connection, file: Path) -> None:
    """Raise NotADatabaseError when SQLite's quick check finds damaged pages: a writing run must not
    add to a corrupt file (it would only spread the damage), whatever it was about to write."""
    problems = [" ".join(str(row[0]).split()) for row in conn.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        raise NotADatabaseError(
            f"{file} is damaged ({'; '.join(problems)}): restore it from a backup, or recover it with "
            f"`sqlite3 {file} .recover | sqlite3 recovered.db`; nothing was written"
        )


def _check_header(file: Path) -> None:
    """Raise NotADatabaseError unless ``file`` is empty or starts with the SQLite header."""
    with file.open("rb") as handle:
        head = handle.read(len(_SQLITE_HEADER))
    if head and head != _SQLITE_HEADER:
        raise NotADatabaseError(f"{file} is not a SQLite database (or is corrupt)")
