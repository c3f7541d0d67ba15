"""Shared fixtures of the crawler tests: the fixture news sites, and a tiny scriptable local server.

``fixture_sites`` is the session-wide ``thidua.demo.server.FixtureSites`` (real HTTP on 127.0.0.1).
``local_server`` is a per-test ``http.server`` whose routes a test writes as small functions, for
fetcher behaviours the fixture sites do not script (exact status sequences, header echoes).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

SLOW_SECONDS = 1.5  # the fixture "slow" fault; crawler tests use a timeout under this


@pytest.fixture(scope="session")
def fixture_sites() -> Iterator[Any]:
    """The fixture news sites, started once for the session (``FixtureSites`` of cli/fixture_sites.py)."""
    from thidua.demo.server import FixtureSites

    with FixtureSites(slow_seconds=SLOW_SECONDS) as sites:
        yield sites


@dataclass(frozen=True)
class Hit:
    """One request the local server received."""

    path: str
    headers: dict[str, str]
    start: float  # time.monotonic() at arrival


@dataclass
class Reply:
    """What a local route answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    sleep: float = 0.0
    chunks: int = 1  # send the body in this many writes (no Content-Length when > 1)


Route = Callable[[Hit, int], Reply]  # (request, how many times this path was hit before) → reply


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 answering from ``routes`` (path → function); logs every hit."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with owner._lock:
                    count = sum(1 for h in owner.hits if h.path == self.path)
                    owner.hits.append(hit)
                route = owner.routes.get(self.path.split("?")[0]) or owner.routes.get(self.path)
                reply = route(hit, count) if route else Reply(404, b"not found")
                if reply.sleep:
                    time.sleep(reply.sleep)
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    if reply.chunks <= 1:
                        self.send_header("Content-Length", str(len(reply.body)))
                    else:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    if reply.chunks <= 1:
                        self.wfile.write(reply.body)
                    else:
                        step = max(1, len(reply.body) // reply.chunks)
                        for i in range(0, len(reply.body), step):
                            self.wfile.write(reply.body[i : i + step])
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A client hanging up mid-body (size caps, timeouts) is expected here, not worth a traceback.
        self.server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def paths(self) -> list[str]:
        """Paths requested, in arrival order."""
        with self._lock:
            return [h.path for h in self.hits]


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A fresh scriptable server for one test."""
    server = LocalServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
