"""A fixture site as data: ``routes.toml`` read into a ``SiteSpec``, and the bodies its faults serve.

Each directory ``<root>/<site>/`` holds a ``routes.toml`` (a ``[site]`` table and one ``[[route]]`` per
path) and the page files under ``files/``. Route keys (all optional except ``path``):

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
"""

from __future__ import annotations

import email.utils
import gzip
import io
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FAULTS = frozenset(
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
OVERSIZE_BYTES = 6 * 1024 * 1024
GZIP_BOMB_BYTES = 64 * 1024 * 1024
_TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml", "application/json")
# Tone marks that windows-1258 keeps as separate combining characters.
_CP1258_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


class FixtureError(Exception):
    """A fixture site's routes.toml or files are unusable; the message names the site and the route."""


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

    def find_route(self, raw_path: str) -> Route | None:
        """The route answering ``raw_path`` (path + query), or None for a 404.

        Exact path+query first; a path without query ignores the query (tracking params), unless the
        query uses a key that another route of the same path declares (``?page=3`` of a 2-page listing).
        """
        routes = self.routes
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
            route = Route(**dict(entry))
        except TypeError as exc:
            raise FixtureError(f"fixture site {name!r}: bad route {entry!r}: {exc}") from None
        if route.fault is not None and route.fault not in FAULTS:
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


def is_text(content_type: str) -> bool:
    """Whether a body of this type is text (placeholders filled, gzip-encoded when accepted)."""
    return content_type.startswith(_TEXT_TYPES) or "+xml" in content_type


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


def gzipped(data: bytes) -> bytes:
    """``data`` gzip-compressed, the same bytes every time (mtime 0)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def oversize_page() -> bytes:
    """An HTML page of more than ``OVERSIZE_BYTES``, built at serve time rather than stored."""
    para = (
        "<p>Trang thử nghiệm quá cỡ: đoạn văn này được lặp lại nhiều lần để trang vượt quá giới hạn "
        "kích thước mà trình thu thập chấp nhận.</p>\n"
    ).encode()
    head = '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang quá cỡ'.encode()
    head += b"</title></head><body><article>\n"
    count = OVERSIZE_BYTES // len(para) + 1
    return head + para * count + b"</article></body></html>\n"


def gzip_bomb() -> bytes:
    """A gzip body of ~64 KB that inflates to ``GZIP_BOMB_BYTES`` (an HTML start, then zeros)."""
    buf = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as zf:
        zf.write(b"<!DOCTYPE html><html><body>")
        for _ in range(GZIP_BOMB_BYTES // len(chunk)):
            zf.write(chunk)
    return buf.getvalue()
