"""Extraction never touches the network: any socket opened during it fails the test."""

from __future__ import annotations

import datetime as dt
import socket
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest

from extract import extract_events

ROOT = Path(__file__).parents[1]
TEXTS = sorted((ROOT / "fixtures" / "articles").glob("*.txt")) + sorted(
    (ROOT.parent / "shared" / "seeds").glob("*.txt")
)


class NetworkUsed(AssertionError):
    """Raised by the guarded socket functions."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # underthesea imports urllib3, whose import probes IPv6 support by binding a socket to ::1.
    # That is a local probe at import time, not network access; import it before the guard so the
    # guard can stay strict (no socket object at all) for everything extraction itself does.
    import urllib3  # noqa: F401

    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        attempts.append(repr(args)[:80])
        raise NetworkUsed(f"extraction opened a socket: {args!r}")

    class GuardedSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            refuse(*args, **kwargs)

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_guard_really_blocks_sockets(no_network: list[str]) -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))
    assert no_network


def test_extraction_opens_no_socket(no_network: list[str]) -> None:
    # Drop cached underthesea state so its first load also happens under the guard.
    from extract import normalize, places, sentences

    normalize._token_normalizer.cache_clear()
    normalize.normalize_word.cache_clear()
    sentences._splitter.cache_clear()
    places.gazetteer.cache_clear()
    for name in [m for m in sys.modules if m.startswith("underthesea")]:  # reload it under the guard
        del sys.modules[name]
    assert TEXTS, "no text to extract from"
    for path in TEXTS:
        extract_events(path.read_text(encoding="utf-8"), dt.date(2025, 6, 1))
    assert no_network == []
