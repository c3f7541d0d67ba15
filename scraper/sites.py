"""Sources as data: load ``sites.toml`` (packaged default, or a user's file) into ``Site`` records."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from scraper.errors import SitesError
from scraper.fields import alternatives
from scraper.settings import parse_crawl_settings, read_sites_toml
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
MAX_DELAY = 600.0  # seconds; a larger delay is a typo (or inf), and would stall the night
MAX_BUDGET = 86400.0  # seconds; a site's run budget over a day is a typo (or inf): the run is nightly
# Requests in flight to one host of a site whose delay is 0 (with a delay, one at a time).
DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 64
# A bare host name, optionally with a port: "baolamdong.vn", "127.0.0.1:8080" (no scheme, no path).
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*(?::\d{{1,5}})?")
SITE_KEYS = (
    "name",
    "hosts",
    "home",
    "start",
    "system",
    "status",
    "delay",
    "budget",
    "concurrency",
    "article_url",
    "search",
    "selectors",
    "gate",
)
#: How a site's entry was checked: against saved real pages, or only its home page is known.
STATUSES = ("verified", "home-only")


@dataclass(frozen=True)
class Site:
    """One configured news site.

    ``home`` is the site's home page: enough on its own, the crawler starts there when no ``start``
    URL is listed. ``start`` holds feeds, sitemaps and listing pages (the crawler tells them apart);
    ``system`` the province or body the outlet belongs to ("tỉnh Lâm Đồng", "Công an tỉnh Quảng
    Bình"), which extraction uses when a report does not name its owner; ``status`` "verified" or
    "home-only". ``search`` holds search-page URL templates with ``{query}``; ``selectors`` only where
    generic parsing fails;
    ``gate=False`` fetches every article the site lists, for sources that list only emulation news
    (the relevance gate would miss reports whose title and lead do not say "cụm thi đua").
    ``budget``: seconds the site's run may take (pauses included), None for no limit; a site over it
    stops between pages and the rest waits for the next run (``thidua crawl --site-budget`` overrides it).
    """

    name: str
    hosts: tuple[str, ...]
    start: tuple[str, ...]
    delay: float = DEFAULT_DELAY
    budget: float | None = None
    article_url: str | None = None
    search: tuple[str, ...] = ()
    selectors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    gate: bool = True
    home: str | None = None
    system: str | None = None
    status: str | None = None
    # Requests in flight to one of the site's hosts when its delay is 0; with a delay, one at a time.
    concurrency: int = DEFAULT_CONCURRENCY

    @property
    def entry_points(self) -> tuple[str, ...]:
        """Where a run starts: the listed ``start`` URLs, else the home page."""
        return self.start or ((self.home,) if self.home else ())

    def owns(self, url: str) -> bool:
        """True if the URL's host is one of this site's hosts: the one host test of the scraper.

        Names compare lower-cased and without a ``www.``/``m.``/``amp.`` prefix, so ``hosts=["nld.com.vn"]``
        owns ``https://m.nld.com.vn/a``. A host listed without a port owns every port
        (``"127.0.0.1"`` owns ``http://127.0.0.1:8123/x``); one listed with a port owns only that port
        (``"127.0.0.1:8123"`` does not own ``http://127.0.0.1:9000/x``; ``"x.vn:443"`` owns ``https://x.vn/``).
        """
        return hosts_own(self.hosts, url)


def hosts_own(hosts: Iterable[str], url: str) -> bool:
    """True if ``url`` is on one of ``hosts`` (configured ``host[:port]``): the rule of ``Site.owns``,
    also what the loader checks a start URL with, so a URL the file accepts is one the crawl owns.

    ``hosts_own(["baolamdong.vn"], "https://m.baolamdong.vn/a")`` → True;
    ``hosts_own(["127.0.0.1:8123"], "http://127.0.0.1:9000/x")`` → False.
    """
    found = _url_host(url)
    if found is None:  # a malformed port ("host:abc") is nobody's
        return False
    name, port = found
    return any(
        want_name == name and (want_port is None or want_port == port)
        for want_name, want_port in map(_host_rule, hosts)
    )


# Cached: ``site_for_url`` asks every configured site (134 packaged) about the same URL in a row, and
# splitting it anew each time cost ~4 ms per article in a backfill.
@lru_cache(maxsize=4096)
def _url_host(url: str) -> tuple[str, int | None] | None:
    """A URL's (folded host name, port or the scheme's default), or None for a malformed port."""
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    return fold_host(parts.hostname or ""), port


_DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=4096)
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
    data = read_sites_toml(file)
    unknown = sorted(set(data) - {"site", "crawl"})
    if unknown:
        raise SitesError(
            f"{file}: unknown top-level key {unknown[0]!r}; each site is a [[site]] table, "
            "crawl defaults go in [crawl]"
        )
    parse_crawl_settings(data.get("crawl"), str(file), file.parent)  # refused here, like a bad site
    entries = data.get("site", [])
    if not isinstance(entries, list):
        raise SitesError(f"{file}: write each site as [[site]] (an array of tables), not [site]")
    sites = parse_sites(entries, origin=str(file))
    if not sites:
        raise SitesError(f"{file} defines no site: add at least one [[site]] table")
    return sites


def parse_sites(entries: Iterable[Mapping[str, object]], origin: str = "sites") -> tuple[Site, ...]:
    """Validate ``[[site]]`` tables (already parsed from TOML) into ``Site`` records."""
    sites: list[Site] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, 1):
        where = f"{origin}: site #{i}"
        if not isinstance(entry, Mapping):
            raise SitesError(f"{where}: each [[site]] must be a table, got {entry!r}")
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
        hosts = tuple(h.lower() for h in _strings(entry, "hosts", where, required=True))
        for host in hosts:
            if not _HOST.fullmatch(host):
                raise SitesError(
                    f"{where}: host {host!r} must be a bare host name like 'baolamdong.vn' "
                    "(optionally with ':port'), without scheme or path"
                )
        home = entry.get("home")
        if home is not None and not isinstance(home, str):
            raise SitesError(f"{where}: 'home' must be the home page's URL, got {home!r}")
        start = _strings(entry, "start", where, required=home is None)
        search = _strings(entry, "search", where, required=False)
        for url in (*((home,) if home else ()), *start, *search):
            _check_entry_url(url, hosts, where)
        system = entry.get("system")
        if system is not None and (not isinstance(system, str) or not system.strip()):
            raise SitesError(f"{where}: 'system' must name the outlet's province or body, got {system!r}")
        status = entry.get("status")
        if status is not None and status not in STATUSES:
            raise SitesError(f"{where}: 'status' must be one of {', '.join(STATUSES)}, got {status!r}")
        delay = entry.get("delay", DEFAULT_DELAY)
        if (
            isinstance(delay, bool)
            or not isinstance(delay, int | float)
            or not math.isfinite(delay)
            or not 0 <= delay <= MAX_DELAY
        ):
            raise SitesError(
                f"{where}: 'delay' must be a number of seconds from 0 to {MAX_DELAY:g}, got {delay!r}"
            )
        budget = entry.get("budget")
        if budget is not None and (
            isinstance(budget, bool)
            or not isinstance(budget, int | float)
            or not math.isfinite(budget)
            or not 0 < budget <= MAX_BUDGET
        ):
            raise SitesError(
                f"{where}: 'budget' must be a number of seconds above 0 and at most {MAX_BUDGET:g}, "
                f"got {budget!r}"
            )
        concurrency = entry.get("concurrency", DEFAULT_CONCURRENCY)
        if (
            isinstance(concurrency, bool)
            or not isinstance(concurrency, int)
            or not 1 <= concurrency <= MAX_CONCURRENCY
        ):
            raise SitesError(
                f"{where}: 'concurrency' must be a whole number of requests from 1 to {MAX_CONCURRENCY}, "
                f"got {concurrency!r}"
            )
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
        for key, selector in selectors.items():
            _check_selector(selector, f"{where}: selector {key!r}")
        gate = entry.get("gate", True)
        if not isinstance(gate, bool):
            raise SitesError(f"{where}: 'gate' must be true or false, got {gate!r}")
        sites.append(
            Site(
                name=name,
                hosts=hosts,
                start=start,
                delay=float(delay),
                budget=None if budget is None else float(budget),
                article_url=article_url,
                search=search,
                selectors=MappingProxyType(dict(selectors)),
                gate=gate,
                home=home,
                system=system,
                status=status,
                concurrency=concurrency,
            )
        )
    return tuple(sites)


@lru_cache(maxsize=1)
def packaged_sites() -> tuple[Site, ...]:
    """The packaged sites file's sites, read once per process; () when the file is unusable (the crawl
    reports that itself when it loads the file), so parsing and extraction go on without it."""
    try:
        return load_sites()
    except SitesError:
        return ()


def site_for_url(sites: Iterable[Site], url: str) -> Site | None:
    """Return the first configured site that owns this URL (``Site.owns``), or None.

    A tuple of sites (what ``load_sites`` returns) is looked up by the URL's folded host name in an
    index made once per tuple, the same answer as asking every site's ``owns`` in order: a crawl worker
    asked all 134 packaged sites about every page.
    """
    if not isinstance(sites, tuple):
        return next((s for s in sites if s.owns(url)), None)
    found = _url_host(url)
    if found is None:  # a malformed port is nobody's, as in Site.owns
        return None
    name, port = found
    rules = _host_index(sites).get(name, ())
    return next((site for want_port, site in rules if want_port is None or want_port == port), None)


# Host indexes by the id of their sites tuple; each entry holds the tuple itself, so the id cannot be
# reused by another tuple while the entry lives. Few tuples are ever alive (the packaged sites, a run's).
_HOST_INDEXES: dict[int, tuple[tuple[Site, ...], dict[str, tuple[tuple[int | None, Site], ...]]]] = {}


def _host_index(sites: tuple[Site, ...]) -> dict[str, tuple[tuple[int | None, Site], ...]]:
    """Folded host name → (port or None, site) for every host rule, in the sites' order."""
    held = _HOST_INDEXES.get(id(sites))
    if held is not None and held[0] is sites:
        return held[1]
    index: dict[str, list[tuple[int | None, Site]]] = {}
    for site in sites:
        for want_name, want_port in map(_host_rule, site.hosts):
            index.setdefault(want_name, []).append((want_port, site))
    frozen = {name: tuple(rules) for name, rules in index.items()}
    if len(_HOST_INDEXES) >= 16:
        _HOST_INDEXES.clear()
    _HOST_INDEXES[id(sites)] = (sites, frozen)
    return frozen


def _check_entry_url(url: str, hosts: tuple[str, ...], where: str) -> None:
    """Refuse a start or search URL that is not http(s) or is on none of the site's hosts."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError as exc:
        raise SitesError(f"{where}: {url!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise SitesError(f"{where}: {url!r} is not an http(s) URL")
    if not hosts_own(hosts, url):
        raise SitesError(
            f"{where}: {url!r} is on {parts.netloc!r}, which is not among the site's hosts "
            f"({', '.join(hosts)})"
        )


def _check_selector(selector: str, where: str) -> None:
    """Refuse a CSS selector selectolax cannot parse, at load time rather than on the first page."""
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError

    probe = LexborHTMLParser("<p></p>")
    for part in alternatives(selector):
        try:
            probe.css(part)
        except SelectolaxError:
            raise SitesError(f"{where}: {part!r} is not a valid CSS selector") from None


def _strings(entry: Mapping[str, object], key: str, where: str, *, required: bool) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SitesError(f"{where}: {key!r} must be a list of strings")
    if required and not value:
        raise SitesError(f"{where}: {key!r} is required and must not be empty")
    return tuple(value)
