"""Write transactions (BEGIN IMMEDIATE, nested ones as savepoints) and the id cache they keep valid.

Entity ids (clusters, units, people) never change once committed, so ``store_article`` may remember
them across articles. An id inserted by a transaction that is rolled back must be forgotten: the cache
keeps those as ``pending`` and promotes them only when the outermost transaction commits.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlite_utils

#: What the cache is keyed by: an identity key (``"tỉnh nghệ an|huyện a"``), or what it was derived
#: from (a name and a province), kept beside it with the same lifetime.
CacheKey = str | tuple[str, str | None]


@dataclass
class IdCache:
    """``table → key → id`` of entity rows: committed ones, and those of the open transaction."""

    committed: defaultdict[str, dict[CacheKey, int]] = field(default_factory=lambda: defaultdict(dict))
    pending: defaultdict[str, dict[CacheKey, int]] = field(default_factory=lambda: defaultdict(dict))
    active: bool = False  # True only inside a transaction this module began

    def get(self, table: str, key: CacheKey) -> int | None:
        """The cached id, or None (always None outside our own transactions)."""
        if not self.active:
            return None
        return self.committed[table].get(key) or self.pending[table].get(key)  # ids are never 0

    def levels(self, table: str) -> tuple[dict[CacheKey, int], dict[CacheKey, int]]:
        """The committed and the open transaction's ids of ``table`` (two empty dicts outside our own
        transactions), for loops that look many keys up: ``committed.get(k) or pending.get(k)``."""
        if not self.active:
            return {}, {}
        return self.committed[table], self.pending[table]

    def put(self, table: str, key: CacheKey, row_id: int) -> None:
        """Remember an id seen or inserted in the open transaction."""
        if self.active:
            self.pending[table][key] = row_id

    def promote(self) -> None:
        """The open transaction committed: its ids are now safe to reuse."""
        for table, ids in self.pending.items():
            self.committed[table].update(ids)
        self.pending.clear()


_CACHES: weakref.WeakKeyDictionary[sqlite_utils.Database, IdCache] = weakref.WeakKeyDictionary()


def id_cache(db: sqlite_utils.Database) -> IdCache:
    """The id cache of this open database."""
    cache = _CACHES.get(db)
    if cache is None:
        cache = _CACHES[db] = IdCache()
    return cache


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in one transaction: COMMIT on success, ROLLBACK on any exception.

    Nested use becomes a savepoint, so ``with transaction(db):`` around many ``store_article`` calls
    makes one commit for all while each article stays all-or-nothing. IMMEDIATE so that a
    read-then-write never fails half way with SQLITE_BUSY when another process writes.
    """
    cache = id_cache(db)
    if db.conn.in_transaction:
        try:
            with db.atomic():
                yield db
        except BaseException:
            cache.pending.clear()  # some of them may belong to the rolled-back savepoint
            raise
        return
    db.conn.execute("BEGIN IMMEDIATE")
    cache.pending.clear()
    cache.active = True
    try:
        yield db
    except BaseException:
        cache.active = False
        cache.pending.clear()
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        cache.active = False
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            cache.pending.clear()
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        cache.promote()
