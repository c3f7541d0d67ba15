"""A run that a full disk stopped: recorded as failed (as far as the disk lets), and its one line.

SQLite rolls back the transaction that did not fit, so the database stays whole and every article
stored before stays stored; the crawl stops at once (``scraper.frontier.StorageFull``) instead of
failing page after page. What is left is "new" in the frontier, so the next run, with space freed,
resumes there.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

import db
from db.errors import is_storage_full
from scraper.frontier import StorageFull
from thidua.report import RunReport


def close_run_on_full_disk(database: Database, report: RunReport, full: StorageFull) -> str:
    """Close the run as "failed" with a "disk-full" error, and return the line to tell the user.

    When the counters and errors do not fit either, the status alone is written; when not even that
    fits, the line says the run could not be closed (the next run closes it).
    """
    report.status = "failed"
    report.add_error(db.RunError(site="", url=full.url, kind="disk-full", message=full.reason))
    assert report.run_id is not None
    recorded = f"run {report.run_id} is recorded as failed"
    try:
        db.finish_run(
            database, report.run_id, status="failed", counts=report.counts(), errors=report.error_list
        )
    except (sqlite3.Error, OSError) as exc:
        if not is_storage_full(exc):
            raise
        try:  # the counters and the errors did not fit: the status alone may
            db.finish_run(database, report.run_id, status="failed", counts={}, errors=[])
        except (sqlite3.Error, OSError) as again:
            if not is_storage_full(again):
                raise
            recorded = f"run {report.run_id} could not be closed either"
    return (
        f"disk full: {_file_of(database)} takes no more writes ({full.reason}); free space and rerun: "
        f"everything stored before {full.url} is kept and the next run resumes there ({recorded})"
    )


def _file_of(database: Database) -> str:
    """The file of an open database, for messages ("/data/thidua.db"); "the database" without one."""
    row = database.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row and row[2] else "the database"
