"""Shared fixtures of the crawler tests: the fixture news sites, and a scriptable local server.

Both are the demo's own server (``thidua.demo``), so the tests exercise the code ``thidua demo`` runs.
``fixture_sites`` is the session-wide ``thidua.demo.server.FixtureSites`` (real HTTP on 127.0.0.1).
``local_server`` is a per-test ``thidua.demo.routeserver.RouteServer`` whose routes a test writes as
small functions, for fetcher behaviours the fixture sites do not script (exact status sequences,
header echoes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from thidua.demo.routeserver import LoggedRequest, Reply, Route, RouteServer

__all__ = ["Hit", "LocalServer", "Reply", "Route"]

SLOW_SECONDS = 1.5  # the fixture "slow" fault; crawler tests use a timeout under this

#: One request the local server received: ``.path``, ``.headers`` (lower-cased keys), ``.start``.
Hit = LoggedRequest


@pytest.fixture(scope="session")
def fixture_sites() -> Iterator[Any]:
    """The fixture news sites, started once for the session."""
    from thidua.demo.server import FixtureSites

    with FixtureSites(slow_seconds=SLOW_SECONDS) as sites:
        yield sites


class LocalServer(RouteServer):
    """A ``RouteServer`` answering from ``routes`` (path → ``(hit, previous hits) -> Reply``)."""

    @property
    def hits(self) -> list[LoggedRequest]:
        """The live request log, in arrival order (``hits.clear()`` forgets it)."""
        return self.requests


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A fresh scriptable server for one test."""
    with LocalServer(name="local") as server:
        yield server
