"""The project's SQL functions, given to every read connection: Datasette's (through the plugin),
the plugin's exports and the db bench (``prepare``, which also maps the file into memory).

``thidua_fold`` is ``db.normalize.search_text``, the fold the articles' search column holds: marks
removed, đ/Đ → d, lower case (``thidua_fold('Nguyễn Thị Đào')`` → ``'nguyen thi dao'``). SQLite's own
``lower`` and ``LIKE`` fold ASCII only, and FTS5's ``remove_diacritics`` never folds đ, so canned
queries compare ``thidua_fold(column)`` with ``thidua_fold(:parameter)``.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Any

from db.normalize import search_text

#: The SQL name of the project's fold.
FOLD_FUNCTION = "thidua_fold"


def thidua_fold(text: Any) -> Any:
    """``thidua_fold('Đỗ Thị Hoà')`` → ``'do thi hoa'``; NULL stays NULL, a number is folded as its text."""
    if text is None:
        return None
    return _fold(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    # A canned query folds the same names and systems on every call (every person's key, every
    # cluster's system): cached, a repeated query costs a dictionary look-up per row.
    return search_text(text)


#: Bytes of the file a read connection maps into memory (SQLite caps it at its build's limit).
#: A canned query looks thousands of rows up by id (articles_missing_dates: every undated event, its
#: reports, articles and clusters); through the map each page is a memory read instead of a read()
#: call into SQLite's 2 MB cache, which a 300 MB file keeps missing: the queries cost a third less CPU.
#: The map is the operating system's file cache, shared, not memory of the process's own.
READ_MMAP_BYTES = 1 << 30


def prepare(conn: sqlite3.Connection) -> None:
    """Ready a read connection: give ``conn`` the project's SQL functions and memory-mapped reads."""
    conn.create_function(FOLD_FUNCTION, 1, thidua_fold, deterministic=True)
    conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
