"""Clusters, units and people: one row per normalised key, the first spelling seen kept for display.

``cluster_id(db, "cụm", 3, "Cụm thi đua số 3", "tỉnh Thanh Hoá")`` and the same with "Thanh Hóa" are
one row; ``person_id(db, "Đồng chí Lê Văn Hoà")`` and ``person_id(db, "ông Lê Văn Hòa")`` too.
"""

from __future__ import annotations

import sqlite_utils

from db.normalize import display_name, strip_honorifics
from db.transaction import IdCache, id_cache
from extract.identity import name_key, person_key
from extract.systems import canonical_system, system_key


def cluster_identity(kind: str, number: int | None, label: str, system: str | None) -> str:
    """The identity of a cluster: ``kind|system key|number``, or the label key when unnumbered.

    The system is its one spelling (``extract.systems``): ``cluster_identity("cụm", 3, "Cụm thi đua
    số 3", "UBND tỉnh Thanh Hoá")`` → ``"cụm|tỉnh thanh hóa|3"``.
    """
    ident = str(number) if number is not None else name_key(label)
    return f"{kind}|{system_key(system)}|{ident}"


def cluster_id(
    db: sqlite_utils.Database, kind: str, number: int | None, label: str, system: str | None
) -> int:
    """Return the id of the cluster, inserting it (with this label and system as display) if new."""
    key = cluster_identity(kind, number, label, system)
    cache = id_cache(db)
    found = cache.get("clusters", key)
    if found is not None:
        return found
    row = db.conn.execute("SELECT id FROM clusters WHERE key = ?", [key]).fetchone()
    if row:
        found = int(row[0])
    else:
        cursor = db.conn.execute(
            "INSERT INTO clusters (key, kind, number, label, system) VALUES (?, ?, ?, ?, ?)",
            [key, kind, number, display_name(label), canonical_system(system) if system else None],
        )
        found = int(cursor.lastrowid or 0)
    cache.put("clusters", key, found)
    return found


def unit_id(db: sqlite_utils.Database, name: str, cache: IdCache | None = None) -> int:
    """Return the id of the unit called ``name`` (any spelling variant), inserting it if new."""
    return _entity_id(db, cache or id_cache(db), "units", name_key(name), name)


def person_id(db: sqlite_utils.Database, name: str, cache: IdCache | None = None) -> int:
    """Return the id of the person called ``name`` (honorifics and spelling variants ignored)."""
    return _entity_id(db, cache or id_cache(db), "people", person_key(name), name)


def _entity_id(db: sqlite_utils.Database, cache: IdCache, table: str, key: str, name: str) -> int:
    """Look ``key`` up in ``table`` (units or people); insert it, named ``name`` as shown, when missing."""
    found = cache.get(table, key)
    if found is not None:
        return found
    row = db.conn.execute(f"SELECT id FROM {table} WHERE key = ?", [key]).fetchone()
    if row:
        found = int(row[0])
    else:
        shown = strip_honorifics(name) if table == "people" else display_name(name)
        cursor = db.conn.execute(f"INSERT INTO {table} (key, name) VALUES (?, ?)", [key, shown])
        found = int(cursor.lastrowid or 0)
    cache.put(table, key, found)
    return found
