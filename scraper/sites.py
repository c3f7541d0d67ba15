"""Sources as data: load ``sites.toml`` (packaged default, or a user's file) into ``Site`` records."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from scraper.errors import SitesError
from scraper.urls import fold_host

SELECTOR_KEYS = (
    "title",
    "published",
    "modified",
    "author",
    "lead",
    "body",
    "drop",
    "captions",
    "listing",
    "next_page",
)
DEFAULT_DELAY = 1.0
SITE_KEYS = ("name", "hosts", "start", "delay", "article_url", "search", "selectors", "gate")


@dataclass(frozen=True)
class Site:
    """One configured news site.

    ``start`` holds feeds, sitemaps and listing pages (the crawler tells them apart); ``search`` holds
    search-page URL templates with ``{query}``; ``selectors`` only where generic parsing fails;
    ``gate=False`` fetches every article the site lists, for sources that list only emulation news
    (the relevance gate would miss reports whose title and lead do not say "cụm thi đua").
    """

    name: str
    hosts: tuple[str, ...]
    start: tuple[str, ...]
    delay: float = DEFAULT_DELAY
    article_url: str | None = None
    search: tuple[str, ...] = ()
    selectors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    gate: bool = True

    def owns(self, url: str) -> bool:
        """True if the URL's host is one of this site's hosts: the one host test of the scraper.

        Names compare lower-cased and without a ``www.``/``m.``/``amp.`` prefix, so ``hosts=["nld.com.vn"]``
        owns ``https://m.nld.com.vn/a``. A host listed without a port owns every port
        (``"127.0.0.1"`` owns ``http://127.0.0.1:8123/x``); one listed with a port owns only that port
        (``"127.0.0.1:8123"`` does not own ``http://127.0.0.1:9000/x``; ``"x.vn:443"`` owns ``https://x.vn/``).
        """
        try:
            parts = urlsplit(url)
            port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
        except ValueError:  # a malformed port ("host:abc") is nobody's
            return False
        name = fold_host(parts.hostname or "")
        return any(
            want_name == name and (want_port is None or want_port == port)
            for want_name, want_port in map(_host_rule, self.hosts)
        )


_DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=4096)
def _host_rule(host: str) -> tuple[str, int | None]:
    """A configured ``host[:port]`` as (folded name, port or None): ``"WWW.x.vn:8080"`` → ("x.vn", 8080)."""
    parts = urlsplit(f"//{host}")
    try:
        port = parts.port
    except ValueError:
        port = -1  # an unusable port in sites.toml matches no URL
    return fold_host(parts.hostname or host), port


def default_sites_path() -> Path:
    """The packaged ``scraper/sites.toml``."""
    return Path(str(resources.files("scraper") / "sites.toml"))


def load_sites(path: str | Path | None = None) -> tuple[Site, ...]:
    """Read a sites file (default: the packaged one) and return its sites in file order.

    Raises ``SitesError`` naming the file and the entry when the file is unusable.
    """
    file = Path(path) if path is not None else default_sites_path()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitesError(f"sites file not found: {file}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SitesError(f"{file} is not valid TOML: {exc}") from None
    return parse_sites(data.get("site", []), origin=str(file))


def parse_sites(entries: Iterable[Mapping[str, object]], origin: str = "sites") -> tuple[Site, ...]:
    """Validate ``[[site]]`` tables (already parsed from TOML) into ``Site`` records."""
    sites: list[Site] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, 1):
        where = f"{origin}: site #{i}"
        name = entry.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
            raise SitesError(f"{where}: 'name' must be a short lower-case word, got {name!r}")
        if name in seen:
            raise SitesError(f"{where}: the name {name!r} is used twice")
        seen.add(name)
        where = f"{origin}: site {name!r}"
        unknown_keys = sorted(set(entry) - set(SITE_KEYS))
        if unknown_keys:
            raise SitesError(f"{where}: unknown key {unknown_keys[0]!r}; known: {', '.join(SITE_KEYS)}")
        hosts = _strings(entry, "hosts", where, required=True)
        start = _strings(entry, "start", where, required=True)
        for url in start:
            if urlsplit(url).scheme not in ("http", "https"):
                raise SitesError(f"{where}: start URL {url!r} is not http(s)")
        delay = entry.get("delay", DEFAULT_DELAY)
        if not isinstance(delay, int | float) or delay < 0:
            raise SitesError(f"{where}: 'delay' must be a number of seconds ≥ 0, got {delay!r}")
        article_url = entry.get("article_url")
        if article_url is not None:
            if not isinstance(article_url, str):
                raise SitesError(f"{where}: 'article_url' must be a regular expression string")
            try:
                re.compile(article_url)
            except re.error as exc:
                raise SitesError(f"{where}: 'article_url' is not a valid regex: {exc}") from None
        selectors = entry.get("selectors", {})
        if not isinstance(selectors, Mapping) or not all(isinstance(v, str) for v in selectors.values()):
            raise SitesError(f"{where}: [site.selectors] must map names to CSS selector strings")
        unknown = set(selectors) - set(SELECTOR_KEYS)
        if unknown:
            raise SitesError(
                f"{where}: unknown selector {sorted(unknown)[0]!r}; known: {', '.join(SELECTOR_KEYS)}"
            )
        gate = entry.get("gate", True)
        if not isinstance(gate, bool):
            raise SitesError(f"{where}: 'gate' must be true or false, got {gate!r}")
        sites.append(
            Site(
                name=name,
                hosts=tuple(h.lower() for h in hosts),
                start=start,
                delay=float(delay),
                article_url=article_url,
                search=_strings(entry, "search", where, required=False),
                selectors=MappingProxyType(dict(selectors)),
                gate=gate,
            )
        )
    return tuple(sites)


def site_for_url(sites: Iterable[Site], url: str) -> Site | None:
    """Return the first configured site that owns this URL (``Site.owns``), or None."""
    return next((s for s in sites if s.owns(url)), None)


def _strings(entry: Mapping[str, object], key: str, where: str, *, required: bool) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SitesError(f"{where}: {key!r} must be a list of strings")
    if required and not value:
        raise SitesError(f"{where}: {key!r} is required and must not be empty")
    return tuple(value)
