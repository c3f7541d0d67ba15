"""The exceptions of db/: every message says what is wrong and what to do about it."""

from __future__ import annotations


class DatabaseError(Exception):
    """Base of every db/ error; the message is meant for the user who runs thidua."""


class SchemaTooNewError(DatabaseError):
    """The file was written by a newer thidua.

    ``thidua.db has schema version 5, this thidua knows up to 3: upgrade thidua``
    """


class NotADatabaseError(DatabaseError):
    """The file is not a SQLite database (or is corrupt)."""


class InvalidEventError(DatabaseError):
    """An event (or article) carries a value outside the vocabulary the schema accepts."""


#: What SQLite's operational errors mean for someone running thidua, and what to do about them.
_SQLITE_ADVICE = (
    (
        "database is locked",
        "the database is locked by another program writing to it (thidua runs take the lock file "
        "instead, so this is a tool outside thidua); close it or wait, then run again",
    ),
    (
        "readonly database",
        "the database file or its folder cannot be written (permissions, read-only media, or it was "
        "opened immutable); fix the permissions or use another --db",
    ),
    (
        "disk is full",
        "the disk holding the database is full: free some space and run again (the article being "
        "written was rolled back, nothing else is lost)",
    ),
    (
        "unable to open database file",
        "SQLite cannot open the file or create its -wal/-shm files beside it: check the folder exists "
        "and is writable",
    ),
)


def explain_sqlite_error(error: Exception) -> str | None:
    """One line a user can act on for an ``sqlite3.OperationalError``, or None if it is not one we
    know: ``explain_sqlite_error(OperationalError("database is locked"))`` says who holds it."""
    text = str(error)
    for needle, advice in _SQLITE_ADVICE:
        if needle in text:
            return f"{advice} (SQLite: {text})"
    return None


class OverrideError(DatabaseError):
    """An analyst's merge or correction names an id, kind, field or value that does not exist."""
