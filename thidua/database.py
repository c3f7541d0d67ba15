"""Opening the database for a job: locked for writing, or read-only and unlocked for reading."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

import db
from thidua.lock import database_lock


@contextmanager
def opened(database: Database | str | Path, *, create: bool = True, cache_mb: int = 64) -> Iterator[Database]:
    """Yield an open database: the one given, or the file at a path, locked, then closed after.

    With ``create=False`` a missing file raises ``db.DatabaseError`` instead of being created;
    ``cache_mb`` is the connection's SQLite page cache (``db.open_database``).
    """
    if isinstance(database, Database):
        yield database
        return
    path = Path(database)
    with database_lock(path):
        handle = db.open_database(path, create=create, cache_mb=cache_mb)
        try:
            yield handle
        finally:
            handle.conn.close()


@contextmanager
def read_only(database: Database | str | Path) -> Iterator[Database]:
    """Yield an open database for reading: the one given, or the file at a path opened read-only
    and unlocked (readers never write), closed after."""
    if isinstance(database, Database):
        yield database
        return
    handle = db.open_database(database, create=False, readonly=True)
    try:
        yield handle
    finally:
        handle.conn.close()
