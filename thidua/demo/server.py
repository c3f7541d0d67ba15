"""The fixture news sites served on 127.0.0.1, for ``thidua demo``, the crawler tests and the end-to-end test.

The sites are package data under ``thidua/demo/sites/`` (``SITES_ROOT``; written by the dev tool
``fixtures/sites/make_sites.py``), one directory per site read by ``thidua.demo.sitespec.load_site``.
Each site is one ``RouteServer`` (``thidua.demo.routeserver``) on an ephemeral port of 127.0.0.1; the
pages carry ``{base}`` (this site's base URL), ``{base:<site>}`` (another site's),
``{base:<site>@localhost}`` (a site's second host) and ``{host}`` (the Host header as received)
placeholders, filled at serve time so absolute links and canonicals work whatever the ports are.
``localhost:P`` reaches the same server as ``127.0.0.1:P``.

Every text response without a fault is sent with ``Content-Encoding: gzip`` when the client accepts
gzip. Every 200 route answers conditional GETs: ETag = sha1 of the (unencoded) body, Last-Modified fixed
per site; a matching ``If-None-Match`` or a not-older ``If-Modified-Since`` gets 304. Unknown paths
get 404. The once-only faults keep their state per ``FixtureSites`` object (``reset_faults()``).
Run ``python -m thidua.demo.server`` to browse the sites.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import re
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from thidua.demo.routeserver import LoggedRequest, Reply, RouteServer, not_modified
from thidua.demo.sitespec import (
    FixtureError,
    Route,
    SiteSpec,
    gzip_bomb,
    gzipped,
    is_text,
    load_site,
    oversize_page,
    to_cp1258,
)

__all__ = [
    "SITES_ROOT",
    "FixtureError",
    "FixtureSites",
    "LoggedRequest",
    "load_site",
    "to_cp1258",
]

#: The served sites, read through this package's own location, so an installed thidua finds them.
SITES_ROOT: Path = Path(__file__).resolve().parent / "sites"

_PLACEHOLDER = re.compile(r"\{(base|host)(?::([a-z0-9_-]+))?(?:@([a-z0-9.-]+))?\}")
_ONCE_FAULTS = {"fail-once-500": 500, "retry-after-429": 429}
_NOT_FOUND = "<html><body><h1>404 - Không tìm thấy trang</h1></body></html>".encode()
_HTML = "text/html; charset=utf-8"


class FixtureSites:
    """The fixture sites as live HTTP servers: ``with FixtureSites() as sites: sites.base_url("vcc")``."""

    def __init__(self, root: Path = SITES_ROOT, *, slow_seconds: float = 5.0) -> None:
        self.root = Path(root)
        self.slow_seconds = slow_seconds
        if not self.root.is_dir():
            # The one way this happens to a user: an install built without the package data.
            raise FixtureError(
                f"no fixture sites: {self.root} is missing (installed without its package data?)"
            )
        self.specs: dict[str, SiteSpec] = {
            d.name: load_site(d) for d in sorted(self.root.iterdir()) if (d / "routes.toml").is_file()
        }
        if not self.specs:
            raise FixtureError(f"no fixture sites (no */routes.toml) under {self.root}")
        self._servers = {
            name: RouteServer(partial(self._respond, spec), name=name) for name, spec in self.specs.items()
        }
        self._running = False
        self._lock = threading.Lock()
        self._hits: set[tuple[str, str]] = set()
        self._bomb_body: bytes | None = None

    def __enter__(self) -> FixtureSites:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start one server per site on 127.0.0.1 (ephemeral ports), each in a daemon thread."""
        for server in self._servers.values():
            server.start()
        self._running = True

    def stop(self) -> None:
        """Stop every server and close its socket; slow responses in flight are cut short."""
        for server in self._servers.values():
            server.stop()
        self._running = False

    @property
    def sites(self) -> tuple[str, ...]:
        """Names of the fixture sites, sorted."""
        return tuple(self.specs)

    def port(self, site: str) -> int:
        """The port the site listens on (the servers must be started)."""
        server = self._servers.get(site)
        if server is None or not self._running:
            known = ", ".join(self.specs)
            raise FixtureError(f"fixture site {site!r} is not being served (known: {known})")
        return server.port

    def base_url(self, site: str, *, host: str = "127.0.0.1") -> str:
        """``"http://127.0.0.1:40123"``: the site's base URL; ``host="localhost"`` gives its second host."""
        return f"http://{host}:{self.port(site)}"

    def sites_toml(self, *, delay: float = 1.0) -> str:
        """A sites file with one ``[[site]]`` per configured fixture site, with the real ports."""
        out: list[str] = ["# Fixture sites (generated by thidua.demo.server with live ports)"]
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
        """Every site's requests, in arrival order."""
        return sorted((r for s in self._servers.values() for r in s.log), key=lambda r: r.time)

    def clear_log(self) -> None:
        """Forget every logged request."""
        for server in self._servers.values():
            server.clear_log()

    def reset_faults(self) -> None:
        """Re-arm the once-only faults (500-then-200, 429-then-200) as if no request had been made."""
        with self._lock:
            self._hits.clear()

    def expected(self) -> dict[str, Any]:
        """``<root>/expected.json`` (hand-written expected articles and events), placeholders filled in."""
        text = (self.root / "expected.json").read_text(encoding="utf-8")

        def one(match: re.Match[str]) -> str:
            if match.group(1) != "base" or match.group(2) is None:
                raise FixtureError(f"expected.json: placeholder {match.group(0)} needs a site name")
            return self.base_url(match.group(2), host=match.group(3) or "127.0.0.1")

        result: dict[str, Any] = json.loads(_PLACEHOLDER.sub(one, text))
        return result

    def _respond(self, spec: SiteSpec, request: LoggedRequest) -> Reply:
        """The answer of fixture site ``spec`` to ``request`` (routes, faults, validators, gzip)."""
        route = spec.find_route(request.path)
        if route is None:
            return Reply(404, _NOT_FOUND, {"Content-Type": _HTML})
        fault = route.fault
        if fault in _ONCE_FAULTS and self._first_hit(spec.name, route.path):
            code = _ONCE_FAULTS[fault]
            extra = {"Retry-After": "1"} if code == 429 else {}
            return Reply(code, f"Error {code}".encode(), {"Content-Type": _HTML, **extra})
        if fault in ("redirect", "redirect-loop", "offsite-redirect"):
            if route.to is None:
                raise FixtureError(f"{spec.name}: route {route.path}: {fault} needs 'to'")
            target = self._fill(spec, route.to, request)
            if target.startswith("/"):
                target = self.base_url(spec.name) + target
            code = 301 if fault == "redirect" else 302
            return Reply(code, b"", {"Content-Type": _HTML, "Location": target})
        if fault == "oversize":
            return Reply(200, oversize_page(), {"Content-Type": route.content_type}, stream=True)
        if fault == "gzip-bomb":
            return Reply(200, self._bomb(), {"Content-Type": route.content_type, "Content-Encoding": "gzip"})
        page = self._page(spec, route, request)
        # A slow page is the page itself, late: the server waits before sending it.
        return replace(page, sleep=self.slow_seconds) if fault == "slow" else page

    def _page(self, spec: SiteSpec, route: Route, request: LoggedRequest) -> Reply:
        body = self._body(spec, route, request)
        if route.status != 200:
            return Reply(route.status, body, {"Content-Type": route.content_type})
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        last_modified = email.utils.formatdate(spec.last_modified, usegmt=True)
        headers = {"Content-Type": route.content_type, "ETag": etag, "Last-Modified": last_modified}
        headers.update({k: self._fill(spec, v, request) for k, v in route.headers.items()})
        if not_modified(request.headers, etag, spec.last_modified):
            return Reply(304, b"", {"ETag": etag, "Last-Modified": last_modified})
        if route.gzip:
            body = gzipped(body)
        elif is_text(route.content_type) and "gzip" in request.headers.get("accept-encoding", "").lower():
            body = gzipped(body)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        return Reply(200, body, headers)

    def _body(self, spec: SiteSpec, route: Route, request: LoggedRequest) -> bytes:
        if route.file is None:
            return b""
        raw = (spec.directory / "files" / route.file).read_bytes()
        if not is_text(route.content_type) and not route.gzip:
            return raw
        text = self._fill(spec, raw.decode("utf-8"), request)
        if route.fault == "nfd":
            return unicodedata.normalize("NFD", text).encode("utf-8")
        if route.charset is not None and route.charset.lower() in ("windows-1258", "cp1258"):
            return to_cp1258(text)
        if route.charset is not None:
            return text.encode(route.charset)
        return unicodedata.normalize("NFC", text).encode("utf-8")

    def _fill(self, spec: SiteSpec, text: str, request: LoggedRequest) -> str:
        def one(match: re.Match[str]) -> str:
            kind, site, on = match.group(1), match.group(2), match.group(3)
            if kind == "host":
                return request.host
            return self.base_url(site or spec.name, host=on or "127.0.0.1")

        return _PLACEHOLDER.sub(one, text)

    def _first_hit(self, site: str, path: str) -> bool:
        with self._lock:
            if (site, path) in self._hits:
                return False
            self._hits.add((site, path))
            return True

    def _bomb(self) -> bytes:
        with self._lock:
            if self._bomb_body is None:
                self._bomb_body = gzip_bomb()
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
