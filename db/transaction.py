"""One helper: a write transaction that takes the write lock at once (BEGIN IMMEDIATE)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in one transaction: COMMIT on success, ROLLBACK on any exception.

    Nested use becomes a savepoint. IMMEDIATE so that a read-then-write never fails half way with
    SQLITE_BUSY when another process writes.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")
