"""The database file under stress: one lock per real file, corrupt files refused before any write,
a bounded write-ahead log, and SQLite's operational errors told in one line a user can act on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from db import open_database
from db.connection import WAL_LIMIT_BYTES
from db.errors import NotADatabaseError, explain_sqlite_error
from thidua.cli import cli
from thidua.errors import LockedError
from thidua.lock import database_lock, lock_path


def test_two_paths_to_one_file_share_one_lock(tmp_path: Path) -> None:
    real = tmp_path / "data" / "thidua.db"
    real.parent.mkdir()
    open_database(real).conn.close()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    assert lock_path(link) == lock_path(real) == real.with_name("thidua.db.lock")
    with database_lock(real), pytest.raises(LockedError, match="another thidua run"), database_lock(link):
        pass
    dotted = tmp_path / "data" / ".." / "data" / "thidua.db"
    with database_lock(dotted), pytest.raises(LockedError), database_lock(link):
        pass


def damaged_database(path: Path) -> bytes:
    """A real thidua file whose table pages were overwritten in the middle: header intact."""
    database = open_database(path)
    database.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)")
    database.conn.executemany("INSERT INTO filler (text) VALUES (?)", [("x" * 500,) for _ in range(400)])
    database.conn.commit()
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 3, len(data) - page, page * 7):
        data[start : start + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_corrupt_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "thidua.db"
    before = damaged_database(path)
    with pytest.raises(NotADatabaseError, match=r"is damaged .*restore it from a backup"):
        open_database(path)
    assert path.read_bytes() == before

    result = CliRunner().invoke(cli, ["reextract", "--db", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("thidua: error: ") and "damaged" in lines[0]
    assert path.read_bytes() == before


def test_the_write_ahead_log_is_cut_back_after_checkpoints(tmp_path: Path) -> None:
    database = open_database(tmp_path / "thidua.db")
    assert database.execute("PRAGMA journal_size_limit").fetchone()[0] == WAL_LIMIT_BYTES
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    ("message", "says"),
    [
        ("database is locked", "locked by another program"),
        ("attempt to write a readonly database", "cannot be written"),
        ("database or disk is full", "disk holding the database is full"),
        ("unable to open database file", "cannot open the file"),
        ("no such table: frobs", None),
    ],
)
def test_sqlite_errors_are_explained(message: str, says: str | None) -> None:
    advice = explain_sqlite_error(sqlite3.OperationalError(message))
    if says is None:
        assert advice is None
    else:
        assert advice is not None and says in advice and message in advice


def test_a_locked_database_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "thidua.db"
    open_database(path).conn.close()

    def locked(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr("thidua.app.reextract", locked)
    result = CliRunner().invoke(cli, ["reextract", "--db", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "thidua: error: " + str(explain_sqlite_error(sqlite3.OperationalError("database is locked")))
    ]
