"""URL identity: one canonical URL and one key per article, whatever link led to it.

Variants of one article (``www.`` / ``m.`` / ``amp.`` hosts, ``/amp/`` and ``/print/`` paths, ``?amp``,
tracking parameters, fragments) fold to one canonical URL; the site's own article id (VCCorp
``-<17–18 digits>.htm``, thanhuytphcm ``-<10 digits>``, ``-postNNNN.html``) is the key when there is one,
so a changed slug or a second host of the same site does not make a second article. ``slash_twin``
and ``same_article`` say which other forms of a URL the frontier looks up before a page is fetched
(``Frontier.article_twin``): with and without a trailing slash, and the same article id.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from scraper.errors import ParseError

_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "twclid",
        "zarsrc",
        "gidzl",
        "zacc",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "ocid",
        "cmpid",
        "ito",
        "mkt_tok",
        "amp",
        "print",
        "outputtype",
        "fb_action_ids",
        "fb_action_types",
        "fb_ref",
        "fb_source",
        "spm",
        "share",
        "sharetype",
        "zlink",
        "sc_cid",
        "ref_src",
    }
)
_TRACKING_PREFIXES = ("utm_", "vn_", "pk_", "mtm_", "hsa_", "oly_")
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_VARIANT_SEGMENTS = frozenset({"amp", "print"})
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"

# (pattern on the path, label) in order of specificity; group 1 is the article id.
_ID_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"-post(\d{3,})\.(?:html?|vnp)$"), "post"),
    (re.compile(r"-(\d{17,18})\.(?:htm|html|chn)$"), "ims"),
    (re.compile(r"/[^/]*-(\d{10})/?$"), "portal"),
    (re.compile(r"-(\d{5,16})\.(?:html?|vnp|chn|ldo|aspx|vov)$"), "num"),
)


_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY_ONLY = re.compile(rf"(?:19|20)\d\d{_MONTH}{_DAY}|{_DAY}{_MONTH}(?:19|20)\d\d")


def canonical_url(url: str, html_canonical: str | None = None) -> str:
    """Return the one URL that names this page, folding variants and dropping tracking noise.

    ``html_canonical`` is the page's ``<link rel=canonical>`` href (relative allowed); it wins when it
    is an http(s) URL that does not point at the site's home page.
    ``canonical_url("https://m.nld.com.vn/amp/cum-thi-dua-196260307071308923.htm?utm_source=fb#top")``
    → ``"https://nld.com.vn/cum-thi-dua-196260307071308923.htm"``.
    Raises ``ParseError`` when ``url`` is not an absolute http(s) URL.
    """
    return _canonical(url, html_canonical)


# A crawl asks for the same URL's canonical form and key several times (found, fetched, stored,
# duplicate checks): the last few thousand answers are kept (≈1 MB). Errors are not cached.
@lru_cache(maxsize=4096)
def _canonical(url: str, html_canonical: str | None) -> str:
    # urlsplit/urljoin raise ValueError on hosts like "[[site_url]]" or "[x" (read as broken IPv6
    # literals): such a URL is not a URL, the same ParseError every caller already handles.
    try:
        base = urlsplit(url.strip())
    except ValueError as exc:
        raise ParseError(f"not a valid URL: {url!r} ({exc})") from None
    if base.scheme.lower() not in ("http", "https") or not base.netloc:
        raise ParseError(f"not an absolute http(s) URL: {url!r}")
    chosen = url.strip()
    if html_canonical:
        candidate = join_url(chosen, html_canonical.strip())
        parts = urlsplit(candidate) if candidate is not None else None
        if (
            parts is not None
            and parts.scheme in ("http", "https")
            and parts.netloc
            and (parts.path.strip("/") or not base.path.strip("/"))
        ):
            chosen = candidate or chosen
    try:
        return _normalise(chosen)
    except ValueError as exc:
        raise ParseError(f"not a valid URL: {url!r} ({exc})") from None


def join_url(base: str, href: str) -> str | None:
    """``urljoin`` that returns None for an href (or base) that is not a URL, instead of raising.

    ``join_url("https://a.vn/x/", "b")`` → ``"https://a.vn/x/b"``; ``join_url("https://a.vn/",
    "http://[x")`` → None. The result is also checked to split, so callers can ``urlsplit`` it.
    """
    try:
        joined = urljoin(base, href)
        urlsplit(joined)
    except ValueError:
        return None
    return joined


def article_key(url: str) -> str:
    """Return the identity of the article behind a URL: ``<site>:<id>`` when the URL carries the site's
    article id, else the canonical URL.

    The site is the packaged sites.toml entry owning the host (so thanhuytphcm.vn and hcmcpv.org.vn
    agree), else the folded host. ``article_key("https://hcmcpv.org.vn/tin-tuc/abc-1491907111")`` →
    ``"thanhuytphcm:1491907111"``.
    """
    return _article_key(url)


@lru_cache(maxsize=4096)
def _article_key(url: str) -> str:
    canon = canonical_url(url)
    parts = urlsplit(canon)
    found = article_id(parts.path)
    if found is None:
        return canon
    return f"{_site_label(parts.netloc)}:{found}"


def slash_twin(url: str) -> str | None:
    """The same canonical URL with its path's trailing slash added or removed; None for a site root.

    ``slash_twin("https://a.vn/tin/cum-3/")`` → ``"https://a.vn/tin/cum-3"`` and back;
    ``slash_twin("https://a.vn/")`` → ``None``. The query string stays as it is.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    path = parts.path
    if path in ("", "/"):
        return None
    twin = path[:-1] if path.endswith("/") else path + "/"
    return urlunsplit((parts.scheme, parts.netloc, twin, parts.query, parts.fragment))


def same_article(url: str, other: str) -> bool:
    """True when two canonical article URLs name one article: the same URL, the same URL with and
    without a trailing slash, or the same site article id (``article_key``).

    ``same_article("https://a.vn/x/cum-3-1491907111", "https://a.vn/y/doi-ten-1491907111")`` → True.
    """
    if url == other or slash_twin(url) == other:
        return True
    try:
        key = article_key(url)
        return key != canonical_url(url) and key == article_key(other)
    except ParseError:
        return False


def article_id(path: str) -> str | None:
    """Return the site's article id embedded in a URL path, or None.

    ``article_id("/tin-tuc/nhan-rong-1491907111")`` → ``"1491907111"``;
    ``article_id("/a-b-post812345.html")`` → ``"812345"``; ``article_id("/thoi-su.htm")`` → ``None``;
    a bare date is no id: ``article_id("/hoi-nghi-20250314.html")`` → ``None``.
    """
    for pattern, _label in _ID_PATTERNS:
        match = pattern.search(path)
        if match:
            # "…-20250314.html" / "…-14032025.html" name a day, which many articles share: not an id.
            return None if _DAY_ONLY.fullmatch(match.group(1)) else match.group(1)
    return None


def fold_host(netloc: str) -> str:
    """Lower-case a ``host[:port]``, drop default ports and ``www.``/``m.``/``amp.`` prefixes."""
    host = netloc.lower().rsplit("@", 1)[-1]
    if host.endswith(":80") or host.endswith(":443"):
        host = host.rsplit(":", 1)[0]
    host = host.rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    return host


def is_tracking_param(name: str) -> bool:
    """True for query parameters that only track the click (utm_*, fbclid, zarsrc …) or pick a variant."""
    low = name.lower()
    return low in _TRACKING_EXACT or low.startswith(_TRACKING_PREFIXES)


def _normalise(url: str) -> str:
    # One Unicode form before percent-encoding: an NFD and an NFC slug must give one URL.
    parts = urlsplit(unicodedata.normalize("NFC", url))
    scheme = parts.scheme.lower()
    host = fold_host(parts.netloc)
    path = _fold_path(parts.path or "/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    query.sort()
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


def _fold_path(path: str) -> str:
    path = quote(path, safe=_PATH_SAFE)
    path = re.sub(r"/{2,}", "/", path)
    segments = path.split("/")
    # "/amp/slug.htm", "/print/slug.htm", "/slug.htm/amp" all name "/slug.htm".
    if len(segments) > 2 and segments[1].lower() in _VARIANT_SEGMENTS:
        segments.pop(1)
    if len(segments) > 2 and segments[-1].lower() in ("amp", "print") and segments[-2]:
        segments.pop()
    path = "/".join(segments) or "/"
    path = re.sub(r"\.amp(\.html?)$", r"\1", path, flags=re.IGNORECASE)
    return path


@lru_cache(maxsize=1)
def _host_sites() -> dict[str, str]:
    from scraper.sites import load_sites

    mapping: dict[str, str] = {}
    try:
        sites = load_sites()
    except Exception:  # a broken packaged file must not break URL identity
        return mapping
    for site in sites:
        for host in site.hosts:
            mapping[fold_host(host)] = site.name
    return mapping


def _site_label(host: str) -> str:
    return _host_sites().get(host, host)
