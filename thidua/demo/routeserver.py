"""One small HTTP server on 127.0.0.1 for the demo, the tests and the crawl bench.

``RouteServer`` listens on an ephemeral port of 127.0.0.1 in a daemon thread, logs every request and
answers through one function ``respond(request) -> Reply``. The function is either given (the fixture
sites build theirs from ``routes.toml``; ``directory_responder`` serves files with validators), or the
server answers from its ``routes`` mapping (path → ``(request, previous_hits) -> Reply``), which a test
fills with small functions for behaviours nothing else scripts::

    with RouteServer() as server:
        server.routes["/robots.txt"] = lambda req, n: Reply(200, b"User-agent: *\\n")
        httpx.get(server.base + "/robots.txt")
        assert server.paths() == ["/robots.txt"]
"""

from __future__ import annotations

import email.utils
import hashlib
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any
from urllib.parse import unquote


@dataclass
class LoggedRequest:
    """One request as the server received it (logged on arrival; ``status`` is set before the body)."""

    server: str  # the server's name (a fixture site's name)
    host: str  # Host header as received, e.g. "127.0.0.1:40123" or "localhost:40123"
    method: str
    path: str  # path + query as requested
    headers: Mapping[str, str]  # keys lower-cased
    time: float  # time.monotonic() when the request arrived
    status: int = 0  # 0 until the answer is sent (or when the client hung up first)

    @property
    def site(self) -> str:
        """The fixture site's name (the server's name)."""
        return self.server

    @property
    def start(self) -> float:
        """Arrival time, ``time.monotonic()``."""
        return self.time


@dataclass
class Reply:
    """What the server answers. ``Content-Length`` is added unless the body is streamed."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    sleep: float = 0.0  # wait this long first; a server stopping meanwhile answers 503 instead
    chunks: int = 1  # > 1: send the body in this many writes, no Content-Length, then close
    stream: bool = False  # send in 64 KB writes with no Content-Length (the client must cap the size)


Respond = Callable[[LoggedRequest], Reply]
Route = Callable[[LoggedRequest, int], Reply]  # (request, times this exact path was requested before)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: RouteServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up (timeouts, size caps) are expected here: stay quiet.
        return


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections end instead of holding a thread forever
    server_version = "thidua-fixtures/1.0"
    sys_version = ""
    # Headers and body leave in one write: unbuffered writes plus Nagle and delayed ACKs would add
    # ~40 ms to every keep-alive response and measure the server instead of the client.
    wbufsize = 1 << 16

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, *, head: bool) -> None:
        owner = self.server.owner
        request, previous = owner._arrive(
            LoggedRequest(
                server=owner.name,
                host=self.headers.get("Host", ""),
                method=self.command,
                path=self.path,
                headers=MappingProxyType({k.lower(): v for k, v in self.headers.items()}),
                time=time.monotonic(),
            )
        )
        try:
            try:
                reply = owner._answer(request, previous)
            except Exception as exc:  # a broken route: say so to the client instead of hanging up
                reply = Reply(500, f"route error: {exc}".encode(), {"Content-Type": "text/plain"})
            if reply.sleep and owner._stopping.wait(reply.sleep):
                reply = Reply(503, b"shutting down")
            self._send(request, reply, head=head)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True

    def _send(self, request: LoggedRequest, reply: Reply, *, head: bool) -> None:
        streamed = reply.stream or reply.chunks > 1
        request.status = reply.status  # before the body: a client that has its answer finds it logged
        self.send_response(reply.status)
        headers = dict(reply.headers)
        if streamed:
            headers["Connection"] = "close"
        elif not any(k.lower() == "content-length" for k in headers):
            headers["Content-Length"] = str(len(reply.body))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if head or not reply.body or reply.status == 304:
            return
        if not streamed:
            self.wfile.write(reply.body)
            return
        self.close_connection = True
        step = 64 * 1024 if reply.stream else max(1, len(reply.body) // reply.chunks)
        view = memoryview(reply.body)
        for start in range(0, len(view), step):
            self.wfile.write(view[start : start + step])
            self.wfile.flush()


class RouteServer:
    """An HTTP server on 127.0.0.1 (ephemeral port) answering through ``respond`` or ``routes``."""

    def __init__(
        self, respond: Respond | None = None, *, name: str = "routes", tls: ssl.SSLContext | None = None
    ) -> None:
        """``tls``: a server-side context, to answer HTTPS instead (``base`` says ``https://``)."""
        self.name = name
        self.tls = tls
        self.routes: dict[str, Route] = {}
        self.requests: list[LoggedRequest] = []  # the live log, in arrival order (see ``log``)
        self._respond = respond
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._http: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> RouteServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread (a no-op when running)."""
        if self._http is not None:
            return
        self._stopping.clear()
        http = _HTTPServer(("127.0.0.1", 0), _Handler)
        if self.tls is not None:  # each accepted connection does its handshake before it is served
            http.socket = self.tls.wrap_socket(http.socket, server_side=True)
        http.owner = self
        self._http = http
        self._thread = threading.Thread(
            target=http.serve_forever, kwargs={"poll_interval": 0.05}, name=f"serve-{self.name}", daemon=True
        )
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve in the calling thread until the process ends (for a server in its own process)."""
        self.start()
        assert self._thread is not None
        self._thread.join()

    def stop(self) -> None:
        """Stop serving and close the socket; answers waiting on ``Reply.sleep`` are cut short."""
        self._stopping.set()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._http = None
        self._thread = None

    @property
    def port(self) -> int:
        """The port listened on (the server must be started)."""
        if self._http is None:
            raise RuntimeError(f"server {self.name!r} is not running")
        return int(self._http.server_address[1])

    @property
    def base(self) -> str:
        """``http://127.0.0.1:<port>`` (``https://`` with ``tls``)."""
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def log(self) -> list[LoggedRequest]:
        """A copy of the request log, in arrival order."""
        with self._lock:
            return list(self.requests)

    def paths(self) -> list[str]:
        """Paths requested (with their queries), in arrival order."""
        return [r.path for r in self.log]

    def clear_log(self) -> None:
        """Forget every logged request (the ``previous`` counts of ``routes`` start again too)."""
        with self._lock:
            self.requests.clear()

    def _arrive(self, request: LoggedRequest) -> tuple[LoggedRequest, int]:
        with self._lock:
            # Only ``routes`` functions take the count; a responder (the bench's thousands of requests)
            # does not pay for scanning the log on every request.
            previous = 0 if self._respond else sum(1 for r in self.requests if r.path == request.path)
            self.requests.append(request)
        return request, previous

    def _answer(self, request: LoggedRequest, previous: int) -> Reply:
        if self._respond is not None:
            return self._respond(request)
        route = self.routes.get(request.path.split("?")[0]) or self.routes.get(request.path)
        return route(request, previous) if route else Reply(404, b"not found")


CONTENT_TYPES = {
    ".htm": "text/html; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".rss": "application/rss+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
}


def directory_responder(root: Path, types: Mapping[str, str] = CONTENT_TYPES) -> Respond:
    """Serve the files under ``root`` (read at each request, so a rewritten file is seen at once).

    ETag = sha1 of the file, Last-Modified = its mtime; a matching ``If-None-Match`` or a not-older
    ``If-Modified-Since`` gets 304. Paths outside ``root`` and missing files get 404.
    """
    base = root.resolve()

    def respond(request: LoggedRequest) -> Reply:
        path = (base / unquote(request.path.split("?")[0]).lstrip("/")).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return Reply(404)
        data = path.read_bytes()
        mtime = int(path.stat().st_mtime)
        validators = {
            "ETag": '"' + hashlib.sha1(data).hexdigest() + '"',
            "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
        }
        if not_modified(request.headers, validators["ETag"], mtime):
            return Reply(304, b"", validators)
        ctype = types.get(path.suffix, "application/octet-stream")
        return Reply(200, data, {"Content-Type": ctype, **validators})

    return respond


def not_modified(headers: Mapping[str, str], etag: str, last_modified: float) -> bool:
    """Whether a conditional GET (lower-cased ``headers``) is answered 304 for these validators."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:  # it wins over If-Modified-Since (RFC 9110 13.2.2)
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = headers.get("if-modified-since")
    if since:
        try:
            return email.utils.parsedate_to_datetime(since).timestamp() >= int(last_modified)
        except (TypeError, ValueError):
            return False
    return False
