"""Clusters, units and people: one row per identity key, the first spelling seen kept for display.

``cluster_id(db, "cụm", 3, "Cụm thi đua số 3", "tỉnh Thanh Hoá")`` and the same with "UBND tỉnh Thanh
Hóa" are one row (the system in its one spelling, ``extract.systems``); a cluster whose system is
unknown is kept apart per site, never pooled nationwide. Units and people are keyed within their
province: ``unit_id(db, "Huyện Châu Thành", province="tỉnh Tiền Giang")`` and the same name in tỉnh
An Giang are two units. An analyst's merge (table ``aliases``, ``db.overrides``) sends a key to the
row it was merged into.
"""

from __future__ import annotations

import sqlite_utils

from db.normalize import display_name, strip_honorifics
from db.transaction import IdCache, id_cache
from extract.identity import name_key, person_key
from extract.systems import canonical_system, system_key


def cluster_identity(
    kind: str, number: int | None, label: str, system: str | None, site: str | None = None
) -> str:
    """The identity of a cluster: ``kind|system key|number``, or the label key when unnumbered.

    The system is its one spelling: ``cluster_identity("cụm", 3, "Cụm thi đua số 3", "UBND tỉnh Thanh
    Hoá")`` → ``"cụm|tỉnh thanh hóa|3"``. Without a system, the site (host) that reported it stands
    in its place, so two provinces' "Cụm thi đua số 3" stay two: ``cluster_identity("cụm", 3, "Cụm 3",
    None, "baonghean.vn")`` → ``"cụm|@baonghean.vn|3"``.
    """
    ident = str(number) if number is not None else name_key(label)
    owner = system_key(system) if system else (f"@{site}" if site else "")
    return f"{kind}|{owner}|{ident}"


def cluster_id(
    db: sqlite_utils.Database,
    kind: str,
    number: int | None,
    label: str,
    system: str | None,
    site: str | None = None,
) -> int:
    """Return the id of the cluster, inserting it (with this label and system as display) if new."""
    key = cluster_identity(kind, number, label, system, site)
    cache = id_cache(db)
    found = cache.get("clusters", key)
    if found is not None:
        return found
    found = _known(db, "clusters", "cluster", key)
    if found is None:
        cursor = db.conn.execute(
            "INSERT INTO clusters (key, kind, number, label, system, site) VALUES (?, ?, ?, ?, ?, ?)",
            [
                key,
                kind,
                number,
                display_name(label),
                canonical_system(system) if system else None,
                None if system else site,
            ],
        )
        found = int(cursor.lastrowid or 0)
    cache.put("clusters", key, found)
    return found


def unit_key(name: str, province: str | None) -> str:
    """The identity of a unit within its province: ``"tỉnh tiền giang|huyện châu thành"``."""
    return f"{name_key(province or '')}|{name_key(name)}"


def person_identity(name: str, province: str | None) -> str:
    """The identity of a person within the province of the event: ``"tỉnh nghệ an|lê văn hòa"``."""
    return f"{name_key(province or '')}|{person_key(name)}"


def unit_id(
    db: sqlite_utils.Database, name: str, cache: IdCache | None = None, *, province: str | None = None
) -> int:
    """Return the id of the unit called ``name`` in ``province`` (any spelling), inserting it if new."""
    return _entity_id(db, cache or id_cache(db), "units", unit_key(name, province), name)


def person_id(
    db: sqlite_utils.Database, name: str, cache: IdCache | None = None, *, province: str | None = None
) -> int:
    """Return the id of the person called ``name`` in ``province`` (honorifics and variants ignored)."""
    return _entity_id(db, cache or id_cache(db), "people", person_identity(name, province), name)


_KIND = {"clusters": "cluster", "units": "unit", "people": "person"}


def _known(db: sqlite_utils.Database, table: str, kind: str, key: str) -> int | None:
    """The row of ``key`` in ``table``, or the row an analyst merged that key into, or None."""
    row = db.conn.execute(f"SELECT id FROM {table} WHERE key = ?", [key]).fetchone()
    if row:
        return int(row[0])
    merged = db.conn.execute(
        "SELECT into_id FROM aliases WHERE kind = ? AND from_key = ?", [kind, key]
    ).fetchone()
    return int(merged[0]) if merged else None


def _entity_id(db: sqlite_utils.Database, cache: IdCache, table: str, key: str, name: str) -> int:
    """Look ``key`` up in ``table`` (units or people); insert it, named ``name`` as shown, when missing."""
    found = cache.get(table, key)
    if found is not None:
        return found
    found = _known(db, table, _KIND[table], key)
    if found is None:
        shown = strip_honorifics(name) if table == "people" else display_name(name)
        cursor = db.conn.execute(f"INSERT INTO {table} (key, name) VALUES (?, ?)", [key, shown])
        found = int(cursor.lastrowid or 0)
    cache.put(table, key, found)
    return found
