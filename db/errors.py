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
