"""Fixture news sites served on 127.0.0.1, for the crawler tests, the end-to-end test and ``thidua demo``.

Each directory ``fixtures/sites/<site>/`` holds a ``routes.toml`` (a ``[site]`` table and one
``[[route]]`` per path) and the page files under ``files/``. One ``ThreadingHTTPServer`` per site
listens on an ephemeral port of 127.0.0.1; the pages carry ``{base}`` (this site's base URL),
``{base:<site>}`` (another site's), ``{base:<site>@localhost}`` (a site's second host) and ``{host}``
(the Host header as received) placeholders, filled at serve time so absolute links and canonicals
work whatever the ports are. ``localhost:P`` reaches the same server as ``127.0.0.1:P``.

Route keys (all optional except ``path``):

- ``file`` (under ``files/``), ``content_type``, ``status`` (default 200), ``headers`` (extra headers,
  placeholders filled), ``charset`` (encode the page in it, e.g. ``"windows-1258"``), ``gzip = true``
  (the body itself is a gzip file, e.g. ``sitemap.xml.gz``; no Content-Encoding), ``to`` (redirect
  target path, or a full URL with placeholders).
- ``fault``: ``"slow"`` (sleeps ``slow_seconds`` before answering), ``"fail-once-500"`` (first request
  gets 500, then 200), ``"retry-after-429"`` (first request gets 429 with ``Retry-After: 1``),
  ``"redirect"`` (301 to ``to``), ``"redirect-loop"`` (302 to ``to``; two routes point at each other),
  ``"offsite-redirect"`` (302 to ``to``, which names another site), ``"oversize"`` (a page > 5 MB built
  at serve time, sent without Content-Length), ``"gzip-bomb"`` (a small gzip body that inflates to
  > 50 MB, always ``Content-Encoding: gzip``), ``"nfd"`` (the UTF-8 page sent in NFD).

Every other text response is sent with ``Content-Encoding: gzip`` when the client accepts gzip.
Every 200 route answers conditional GETs: ETag = sha1 of the (unencoded) body, Last-Modified fixed
per site; a matching ``If-None-Match`` or a not-older ``If-Modified-Since`` gets 304. Unknown paths
get 404. The once-only faults keep their state per ``FixtureSites`` object (``reset_faults()``).
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import io
import json
import re
import threading
import time
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FIXTURE_ROOT: Path = Path(__file__).resolve().parents[2] / "fixtures" / "sites"

_PLACEHOLDER = re.compile(r"\{(base|host)(?::([a-z0-9_-]+))?(?:@([a-z0-9.-]+))?\}")
_TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml", "application/json")
_FAULTS = frozenset(
    {
        "slow",
        "fail-once-500",
        "retry-after-429",
        "redirect",
        "redirect-loop",
        "offsite-redirect",
        "oversize",
        "gzip-bomb",
        "nfd",
    }
)
_ONCE_FAULTS = {"fail-once-500": 500, "retry-after-429": 429}
OVERSIZE_BYTES = 6 * 1024 * 1024
GZIP_BOMB_BYTES = 64 * 1024 * 1024
# Tone marks that windows-1258 keeps as separate combining characters.
_CP1258_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


class FixtureError(Exception):
    """A fixture site's routes.toml or files are unusable; the message names the site and the route."""


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the fixture server received it."""

    site: str  # fixture site name
    host: str  # Host header as received, e.g. "127.0.0.1:40123" or "localhost:40123"
    method: str
    path: str  # path + query as requested
    headers: Mapping[str, str]
    time: float  # time.monotonic() when the request arrived
    status: int


@dataclass(frozen=True)
class Route:
    """One served path of a fixture site (see the module docstring for the keys)."""

    path: str
    file: str | None = None
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    charset: str | None = None
    gzip: bool = False
    fault: str | None = None
    to: str | None = None


@dataclass(frozen=True)
class SiteSpec:
    """A fixture site: its name, configuration for ``sites_toml()`` and its routes keyed by path."""

    name: str
    directory: Path
    configured: bool
    last_modified: float  # epoch seconds, sent as Last-Modified on every 200 response
    config: Mapping[str, Any]
    routes: Mapping[str, Route]


def load_site(directory: Path) -> SiteSpec:
    """Read ``<directory>/routes.toml`` into a ``SiteSpec``; raise ``FixtureError`` naming what is wrong."""
    name = directory.name
    toml_path = directory / "routes.toml"
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FixtureError(f"fixture site {name!r}: cannot read {toml_path}: {exc}") from None
    site = dict(data.get("site", {}))
    stamp = site.pop("last_modified", "Fri, 06 Mar 2026 10:00:00 GMT")
    parsed = email.utils.parsedate_to_datetime(stamp)
    routes: dict[str, Route] = {}
    for entry in data.get("route", []):
        try:
            route = Route(**{k: v for k, v in entry.items()})
        except TypeError as exc:
            raise FixtureError(f"fixture site {name!r}: bad route {entry!r}: {exc}") from None
        if route.fault is not None and route.fault not in _FAULTS:
            raise FixtureError(f"fixture site {name!r}: route {route.path}: unknown fault {route.fault!r}")
        if route.file is not None and not (directory / "files" / route.file).is_file():
            raise FixtureError(f"fixture site {name!r}: route {route.path}: missing file {route.file}")
        if route.path in routes:
            raise FixtureError(f"fixture site {name!r}: route {route.path} is declared twice")
        routes[route.path] = route
    return SiteSpec(
        name=name,
        directory=directory,
        configured=bool(site.pop("configured", True)),
        last_modified=parsed.timestamp(),
        config=MappingProxyType(site),
        routes=MappingProxyType(routes),
    )


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese text in windows-1258: precomposed base letters, tone marks as combining ones.

    ``to_cp1258("Cụm")`` → ``b"Cu\\xf2m"`` (u + combining dot below), as real cp1258 pages store it.
    """
    out = io.BytesIO()
    for char in unicodedata.normalize("NFC", text):
        try:
            out.write(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _CP1258_TONES))
        tones = "".join(c for c in parts if c in _CP1258_TONES)
        out.write((base + tones).encode("cp1258"))
    return out.getvalue()


def _gzip(data: bytes) -> bytes:
    # mtime=0 so the same body always gives the same bytes.
    return gzip.compress(data, compresslevel=6, mtime=0)


def _oversize_page() -> bytes:
    para = (
        "<p>Trang thử nghiệm quá cỡ: đoạn văn này được lặp lại nhiều lần để trang vượt quá giới hạn "
        "kích thước mà trình thu thập chấp nhận.</p>\n"
    ).encode()
    head = '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang quá cỡ'.encode()
    head += b"</title></head><body><article>\n"
    count = OVERSIZE_BYTES // len(para) + 1
    return head + para * count + b"</article></body></html>\n"


def _gzip_bomb() -> bytes:
    buf = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as zf:
        zf.write(b"<!DOCTYPE html><html><body>")
        for _ in range(GZIP_BOMB_BYTES // len(chunk)):
            zf.write(chunk)
    return buf.getvalue()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: FixtureSites, spec: SiteSpec) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner = owner
        self.spec = spec

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up (timeouts, size caps) are expected here: stay quiet.
        return


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    _arrived: float = 0.0
    _logged: bool = False
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections end instead of holding a thread forever
    server_version = "thidua-fixtures/1.0"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, *, head: bool) -> None:
        self._arrived = time.monotonic()
        self._logged = False
        try:
            self._respond(head=head)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except Exception as exc:  # a broken fixture: say so to the client instead of hanging up
            if not self._logged:
                self._send_simple(
                    500, f"fixture error: {exc}".encode(), head=head, content_type="text/plain; charset=utf-8"
                )
        finally:
            if not self._logged:
                self._record(0)

    def _record(self, status: int) -> None:
        # Logged before the body is written, so a client that has its answer finds it in the log.
        self._logged = True
        self.server.owner._record(
            LoggedRequest(
                site=self.server.spec.name,
                host=self.headers.get("Host", ""),
                method=self.command,
                path=self.path,
                headers=MappingProxyType(dict(self.headers.items())),
                time=self._arrived,
                status=status,
            )
        )

    def _respond(self, *, head: bool) -> int:
        owner = self.server.owner
        spec = self.server.spec
        route = _find_route(spec, self.path)
        if route is None:
            page = "<html><body><h1>404 - Không tìm thấy trang</h1></body></html>".encode()
            return self._send_simple(404, page, head=head)
        fault = route.fault
        if fault == "slow" and owner._stop.wait(owner.slow_seconds):
            return self._send_simple(503, b"shutting down", head=head)
        if fault in _ONCE_FAULTS and owner._first_hit(spec.name, route.path):
            code = _ONCE_FAULTS[fault]
            extra = {"Retry-After": "1"} if code == 429 else {}
            return self._send_simple(code, f"Error {code}".encode(), head=head, extra=extra)
        if fault in ("redirect", "redirect-loop", "offsite-redirect"):
            if route.to is None:
                raise FixtureError(f"{spec.name}: route {route.path}: {fault} needs 'to'")
            target = self._fill(route.to)
            if target.startswith("/"):
                target = owner.base_url(spec.name) + target
            code = 301 if fault == "redirect" else 302
            return self._send_simple(code, b"", head=head, extra={"Location": target})
        if fault == "oversize":
            return self._send_stream(_oversize_page(), route.content_type, head=head)
        if fault == "gzip-bomb":
            body = owner._bomb()
            headers = {
                "Content-Type": route.content_type,
                "Content-Encoding": "gzip",
                "Content-Length": str(len(body)),
            }
            return self._send(200, body, headers, head=head)

        body = self._body(route)
        if route.status != 200:
            return self._send_simple(route.status, body, head=head, content_type=route.content_type)
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        last_modified = email.utils.formatdate(spec.last_modified, usegmt=True)
        headers = {"Content-Type": route.content_type, "ETag": etag, "Last-Modified": last_modified}
        headers.update({k: self._fill(v) for k, v in route.headers.items()})
        if self._not_modified(etag, spec.last_modified):
            return self._send(304, b"", {"ETag": etag, "Last-Modified": last_modified}, head=True)
        if route.gzip:
            body = _gzip(body)
        elif _is_text(route.content_type) and "gzip" in self.headers.get("Accept-Encoding", "").lower():
            body = _gzip(body)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        headers["Content-Length"] = str(len(body))
        return self._send(200, body, headers, head=head)

    def _body(self, route: Route) -> bytes:
        spec = self.server.spec
        if route.file is None:
            return b""
        raw = (spec.directory / "files" / route.file).read_bytes()
        if not _is_text(route.content_type) and not route.gzip:
            return raw
        text = self._fill(raw.decode("utf-8"))
        if route.fault == "nfd":
            return unicodedata.normalize("NFD", text).encode("utf-8")
        if route.charset is not None and route.charset.lower() in ("windows-1258", "cp1258"):
            return to_cp1258(text)
        if route.charset is not None:
            return text.encode(route.charset)
        return unicodedata.normalize("NFC", text).encode("utf-8")

    def _fill(self, text: str) -> str:
        owner = self.server.owner
        host = self.headers.get("Host", "")

        def one(match: re.Match[str]) -> str:
            kind, site, on = match.group(1), match.group(2), match.group(3)
            if kind == "host":
                return host
            return owner.base_url(site or self.server.spec.name, host=on or "127.0.0.1")

        return _PLACEHOLDER.sub(one, text)

    def _not_modified(self, etag: str, last_modified: float) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return etag in tags or "*" in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return since >= int(last_modified)
        return False

    def _send_simple(
        self,
        code: int,
        body: bytes,
        *,
        head: bool,
        extra: Mapping[str, str] | None = None,
        content_type: str = "text/html; charset=utf-8",
    ) -> int:
        headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        headers.update(extra or {})
        return self._send(code, body, headers, head=head)

    def _send(self, code: int, body: bytes, headers: Mapping[str, str], *, head: bool) -> int:
        self._record(code)
        self.send_response(code)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if not head and body:
            self.wfile.write(body)
        return code

    def _send_stream(self, body: bytes, content_type: str, *, head: bool) -> int:
        # No Content-Length: the client must cap the size while streaming, not trust a header.
        self._record(200)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if not head:
            view = memoryview(body)
            for start in range(0, len(view), 64 * 1024):
                self.wfile.write(view[start : start + 64 * 1024])
        return 200


def _is_text(content_type: str) -> bool:
    return content_type.startswith(_TEXT_TYPES) or "+xml" in content_type


def _find_route(spec: SiteSpec, raw_path: str) -> Route | None:
    """Exact path+query first; a path without query ignores the query (tracking params), unless the
    query uses a key that another route of the same path declares (``?page=3`` of a 2-page listing)."""
    routes = spec.routes
    if raw_path in routes:
        return routes[raw_path]
    parts = urlsplit(raw_path)
    if not parts.query:
        return None
    declared = {
        key for p in routes if p.startswith(parts.path + "?") for key, _ in parse_qsl(urlsplit(p).query)
    }
    asked = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if declared & asked:
        return None
    return routes.get(parts.path)


class FixtureSites:
    """The fixture sites as live HTTP servers: ``with FixtureSites() as sites: sites.base_url("vcc")``."""

    def __init__(self, root: Path = FIXTURE_ROOT, *, slow_seconds: float = 5.0) -> None:
        self.root = Path(root)
        self.slow_seconds = slow_seconds
        self.specs: dict[str, SiteSpec] = {
            d.name: load_site(d) for d in sorted(self.root.iterdir()) if (d / "routes.toml").is_file()
        }
        if not self.specs:
            raise FixtureError(f"no fixture sites (no */routes.toml) under {self.root}")
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self._hits: set[tuple[str, str]] = set()
        self._bomb_body: bytes | None = None
        self._stop = threading.Event()

    def __enter__(self) -> FixtureSites:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start one server per site on 127.0.0.1 (ephemeral ports), each in a daemon thread."""
        if self._servers:
            return
        self._stop.clear()
        for name, spec in self.specs.items():
            server = _Server(self, spec)
            self._servers[name] = server
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"fixture-{name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop every server and close its socket; slow responses in flight are cut short."""
        self._stop.set()
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    @property
    def sites(self) -> tuple[str, ...]:
        """Names of the fixture sites, sorted."""
        return tuple(self.specs)

    def port(self, site: str) -> int:
        """The port the site listens on (the servers must be started)."""
        try:
            server = self._servers[site]
        except KeyError:
            known = ", ".join(self.specs)
            raise FixtureError(f"fixture site {site!r} is not being served (known: {known})") from None
        return int(server.server_address[1])

    def base_url(self, site: str, *, host: str = "127.0.0.1") -> str:
        """``"http://127.0.0.1:40123"``: the site's base URL; ``host="localhost"`` gives its second host."""
        return f"http://{host}:{self.port(site)}"

    def sites_toml(self, *, delay: float = 1.0) -> str:
        """A sites file with one ``[[site]]`` per configured fixture site, with the real ports."""
        out: list[str] = ["# Fixture sites (generated by cli.fixture_sites with live ports)"]
        for name, spec in self.specs.items():
            if not spec.configured:
                continue
            cfg = spec.config
            base = self.base_url(name)
            hosts = [f"127.0.0.1:{self.port(name)}"]
            hosts += [f"{h}:{self.port(name)}" for h in cfg.get("extra_hosts", [])]
            start = [base + p for p in cfg.get("start", [])]
            out += [
                "",
                "[[site]]",
                f"name = {_toml_str(name)}",
                f"hosts = {_toml_list(hosts)}",
                f"start = {_toml_list(start)}",
                f"delay = {float(delay)!r}",
            ]
            if "article_url" in cfg:
                out.append(f"article_url = {_toml_str(cfg['article_url'])}")
            if cfg.get("search"):
                out.append(f"search = {_toml_list([base + s for s in cfg['search']])}")
            selectors = cfg.get("selectors", {})
            if selectors:
                out.append("[site.selectors]")
                out += [f"{k} = {_toml_str(v)}" for k, v in selectors.items()]
        return "\n".join(out) + "\n"

    @property
    def log(self) -> list[LoggedRequest]:
        """A copy of the request log, in arrival order (thread-safe)."""
        with self._lock:
            return sorted(self._log, key=lambda r: r.time)

    def clear_log(self) -> None:
        """Forget every logged request."""
        with self._lock:
            self._log.clear()

    def reset_faults(self) -> None:
        """Re-arm the once-only faults (500-then-200, 429-then-200) as if no request had been made."""
        with self._lock:
            self._hits.clear()

    def expected(self) -> dict[str, Any]:
        """``fixtures/sites/expected.json`` parsed, with ``{base:<site>}`` placeholders filled in."""
        text = (self.root / "expected.json").read_text(encoding="utf-8")

        def one(match: re.Match[str]) -> str:
            if match.group(1) != "base" or match.group(2) is None:
                raise FixtureError(f"expected.json: placeholder {match.group(0)} needs a site name")
            return self.base_url(match.group(2), host=match.group(3) or "127.0.0.1")

        result: dict[str, Any] = json.loads(_PLACEHOLDER.sub(one, text))
        return result

    def _record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    def _first_hit(self, site: str, path: str) -> bool:
        with self._lock:
            if (site, path) in self._hits:
                return False
            self._hits.add((site, path))
            return True

    def _bomb(self) -> bytes:
        with self._lock:
            if self._bomb_body is None:
                self._bomb_body = _gzip_bomb()
            return self._bomb_body


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


def _iter_lines(sites: FixtureSites) -> Iterator[str]:
    for name, spec in sites.specs.items():
        kind = "configured" if spec.configured else "not configured"
        yield f"{name:10} {sites.base_url(name)}/  ({kind})"
        for extra in spec.config.get("extra_hosts", []):
            yield f"{'':10} {sites.base_url(name, host=extra)}/  (second host)"


def main() -> None:
    """Serve the fixture sites in the foreground and print their base URLs; Ctrl-C stops."""
    with FixtureSites() as sites:
        for line in _iter_lines(sites):
            print(line, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
