"""One SQLite file: schema, idempotent storage, the frontier, Datasette metadata.

``open_database`` creates and migrates a file; ``store_article`` writes an article with its events in
one transaction; ``SqliteFrontier`` keeps the crawl frontier; ``start_run``/``finish_run`` record runs.
"""

from db.connection import open_database
from db.errors import DatabaseError, InvalidEventError, NotADatabaseError, SchemaTooNewError
from db.schema import COLUMN_DESCRIPTIONS, SCHEMA_VERSION, TABLE_DESCRIPTIONS

__all__ = [
    "COLUMN_DESCRIPTIONS",
    "SCHEMA_VERSION",
    "TABLE_DESCRIPTIONS",
    "DatabaseError",
    "InvalidEventError",
    "NotADatabaseError",
    "SchemaTooNewError",
    "open_database",
]
