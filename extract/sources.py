"""Where a text came from: the body a site speaks for, from the host of the article's URL.

Reads ``extract/data/sources.toml`` and ``extract/data/provinces.toml`` once (packaged data, no
network). The body is the last resort for an event's ``system``: the text and the gazetteer come
first (docs/extraction.md).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Province:
    """A pre-July-2025 province: ``name`` with its admin word, host ``slugs``, and the new province."""

    name: str
    slugs: tuple[str, ...]
    merged_into: str

    @property
    def short(self) -> str:
        """The name without its admin word: "tỉnh Lâm Đồng" → "Lâm Đồng"."""
        return self.name.removeprefix("thành phố ").removeprefix("tỉnh ")


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("extract").joinpath("data", name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """The 63 provinces before the July 2025 merger, each with the province it merged into.

    ``provinces()[0].name`` → ``"thành phố Hà Nội"``.
    """
    return tuple(
        Province(p["name"], tuple(p["slugs"]), p["merged_into"]) for p in _load("provinces.toml")["province"]
    )


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, Province]]]:
    """(exact hosts, subdomain labels, host → (template, province)) built once from the data."""
    data = _load("sources.toml")
    by_host: dict[str, tuple[str, Province]] = {}
    for p in provinces():
        for slug in p.slugs:
            for pattern, body in data["templates"].items():
                by_host.setdefault(pattern.replace("{slug}", slug), (body, p))
    return dict(data["hosts"]), dict(data["subdomains"]), by_host


def _fill(body: str, p: Province) -> str:
    return body.replace("{p}", p.name).replace("{n}", p.short)


def host_of(url: str) -> str:
    """The host without "www." / "m." and port: ``"https://www.baolamdong.vn/a"`` → ``"baolamdong.vn"``."""
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    for prefix in ("www.", "m."):
        host = host.removeprefix(prefix)
    return host


def source_body(url: str | None) -> str | None:
    """The body a site speaks for, or None when the host is not in the table.

    ``source_body("https://baolamdong.vn/x")`` → ``"tỉnh Lâm Đồng"``;
    ``source_body("http://conganquangbinh.gov.vn/x")`` → ``"Công an tỉnh Quảng Bình"``;
    ``source_body("https://vks.angiang.gov.vn/x")`` → ``"Viện kiểm sát nhân dân tỉnh An Giang"``.
    """
    if not url:
        return None
    host = host_of(url)
    hosts, subdomains, by_host = _tables()
    if host in hosts:
        return hosts[host]
    if host in by_host:
        body, p = by_host[host]
        return _fill(body, p)
    labels = host.split(".")
    # "<label>.<slug>.gov.vn" (departments of a provincial portal) or "<slug>.<national portal>"
    for i in range(1, len(labels) - 1):
        rest = ".".join(labels[i:])
        if rest in by_host:
            body, p = by_host[rest]
            if body == "{p}" and i == 1 and labels[0] in subdomains:
                body = subdomains[labels[0]]
            return _fill(body, p)
    return None
