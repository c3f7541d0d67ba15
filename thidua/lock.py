"""One writer at a time: a lock file beside the database, so overlapping cron runs never collide."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from filelock import FileLock, Timeout

from thidua.errors import LockedError


def lock_path(db_path: Path) -> Path:
    """The lock file of a database: ``thidua.db`` → ``thidua.db.lock``, beside the real file.

    The path is resolved first, so two runs reaching one file through a symlink or another relative
    path share one lock instead of writing at once.
    """
    real = db_path.resolve()
    return real.with_name(real.name + ".lock")


@contextmanager
def database_lock(db_path: Path) -> Iterator[None]:
    """Hold the database's write lock for the ``with`` body, or raise ``LockedError`` at once.

    The lock is an OS-level lock (released by the kernel if the process dies), so a killed run never
    leaves a stale lock behind.
    """
    path = lock_path(db_path)
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        holder = _read_holder(path)
        raise LockedError(
            f"another thidua run is writing to {db_path}{holder}; wait for it to finish (lock file {path})"
        ) from None
    try:
        _write_holder(path)
        yield
    finally:
        lock.release()


def _write_holder(path: Path) -> None:
    # The pid is only for the message; the lock itself is the OS lock on the file.
    with suppress(OSError):
        path.with_name(path.name + ".pid").write_text(str(os.getpid()), encoding="ascii")


def _read_holder(path: Path) -> str:
    try:
        pid = path.with_name(path.name + ".pid").read_text(encoding="ascii").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
