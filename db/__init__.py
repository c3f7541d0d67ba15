"""One SQLite file: schema, idempotent storage, the frontier, runs, Datasette metadata.

``open_database`` creates and migrates a file; ``store_article`` writes an article with its events in
one transaction (``store_articles``: many, one commit per batch, each still all-or-nothing);
``SqliteFrontier`` keeps the crawl frontier; ``start_run``/``finish_run`` record runs;
``articles_to_reextract`` and ``replace_article_events`` let the application recompute events when
extraction improves; ``stats`` summarises the file. Schema: docs/schema.md.
"""

from db.connection import open_database
from db.descriptions import COLUMN_DESCRIPTIONS, TABLE_DESCRIPTIONS
from db.errors import DatabaseError, InvalidEventError, NotADatabaseError, SchemaTooNewError
from db.frontier import SqliteFrontier
from db.reextract import StoredArticle, articles_to_reextract, replace_article_events
from db.runs import (
    RunError,
    SourceLike,
    Stats,
    add_run_errors,
    finish_run,
    start_run,
    stats,
    upsert_sources,
)
from db.schema import SCHEMA_VERSION
from db.store import ArticleLike, StoreResult, check_storable, store_article, store_articles
from db.transaction import transaction

__all__ = [
    "COLUMN_DESCRIPTIONS",
    "SCHEMA_VERSION",
    "TABLE_DESCRIPTIONS",
    "ArticleLike",
    "DatabaseError",
    "InvalidEventError",
    "NotADatabaseError",
    "RunError",
    "SchemaTooNewError",
    "SourceLike",
    "SqliteFrontier",
    "Stats",
    "StoreResult",
    "StoredArticle",
    "add_run_errors",
    "articles_to_reextract",
    "check_storable",
    "finish_run",
    "open_database",
    "replace_article_events",
    "start_run",
    "stats",
    "store_article",
    "store_articles",
    "transaction",
    "upsert_sources",
]
