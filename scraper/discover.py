"""Discovery: tell feeds, sitemaps and listing/search pages apart and list the article URLs they give.

Each fetched entry point becomes a ``Discovery``: article URLs with hints (title, lead, publication
date: what the relevance gate and ``--since`` judge by), child sitemaps of an index, and the next page
of a listing. What a page *is* is read from its bytes (an RSS root, a urlset, HTML), not trusted from
its URL; the URL only gives a first guess for the frontier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote_plus, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.decode import to_text
from scraper.errors import ParseError
from scraper.feeds import parse_feed
from scraper.parse import parse_listing
from scraper.sitemaps import is_gzip, parse_sitemap
from scraper.sites import Site
from scraper.urls import canonical_url, join_url

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF|RDF)[\s>]", re.IGNORECASE)
_SITEMAP_ROOT = re.compile(rb"<(?:[a-z0-9]+:)?(?:urlset|sitemapindex)[\s>]", re.IGNORECASE)
_MONTH_TEMPLATE = re.compile(r"\{(?:YYYY|MM)\}")


@dataclass(frozen=True)
class Hint:
    """A URL found by discovery and what the page that listed it said about it.

    ``published`` is the best date the page gave (a news sitemap's publication date, else the
    entry's ``lastmod``, else a feed item's date); ``lastmod`` a sitemap entry's own ``lastmod``,
    kept apart so an article updated since it was fetched is seen (``scraper.freshness``).
    """

    url: str
    title: str | None = None
    lead: str | None = None
    published: datetime | None = None
    lastmod: datetime | None = None


@dataclass(frozen=True)
class Discovery:
    """What one feed, sitemap or listing page yields. ``kind`` is "feed", "sitemap" or "listing"."""

    url: str
    kind: str
    articles: tuple[Hint, ...] = ()
    sitemaps: tuple[Hint, ...] = ()  # children of a sitemap index
    next_page: str | None = None
    feeds: tuple[str, ...] = ()  # a page's <link rel="alternate"> RSS/Atom feeds (autodiscovery)


_IMS_ID = re.compile(r"-(\d{17,18})\.(?:htm|html|chn)(?:$|[?#])")


def id_date(url: str) -> date | None:
    """The publication day a VCCorp-style article id embeds, or None: a hint for ``--since`` only.

    18 digits: a 3-digit prefix, then YYMMDDhhmmss (``…-196260307071308923.htm`` → 2026-03-07);
    17 digits: YYYYMMDDhhmmss then 3 more (``…-20260307080153123.htm`` → 2026-03-07).
    """
    match = _IMS_ID.search(url)
    if match is None:
        return None
    digits = match.group(1)
    try:
        if len(digits) == 18:
            return date(2000 + int(digits[3:5]), int(digits[5:7]), int(digits[7:9]))
        if digits.startswith("20"):
            return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return None


def guess_kind(url: str) -> str:
    """A first guess of what an entry URL is, from its shape: "feed", "sitemap" or "listing".

    ``guess_kind("https://nld.com.vn/rss/thoi-su.rss")`` → "feed";
    ``guess_kind("https://plo.vn/sitemaps/news-2026-03.xml")`` → "sitemap".
    """
    low = url.lower().split("?", 1)[0]
    if "sitemap" in low or low.endswith((".xml.gz", ".gz")) or "googlenews" in low:
        return "sitemap"
    if low.endswith((".rss", ".atom", "/rss", "/feed", "/feed/")) or "/rss/" in low or "/feed/" in low:
        return "feed"
    if low.endswith(".xml"):
        return "sitemap"
    return "listing"


def sniff_kind(content: bytes, headers: Mapping[str, str] | None = None) -> str:
    """What fetched bytes are: "sitemap" (urlset/sitemapindex, gzipped or not), "feed" or "listing".

    Only the first 2 KB are looked at (after gunzipping the start of a ``.gz``).
    """
    head = content[:2048]
    if is_gzip(content):
        return "sitemap"
    if _SITEMAP_ROOT.search(head):
        return "sitemap"
    if _FEED_ROOT.search(head):
        return "feed"
    ctype = (headers or {}).get("content-type", "").lower()
    if "rss" in ctype or "atom" in ctype:
        return "feed"
    return "listing"


def discover_page(
    content: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    site: Site | None = None,
    max_bytes: int = 5_000_000,
) -> Discovery:
    """Parse a fetched entry page into a ``Discovery`` according to what its bytes are.

    Raises ``ParseError`` for malformed feeds/sitemaps, ``FetchFailure("too-large")`` for a ``.gz``
    sitemap that inflates past ``max_bytes``.
    """
    kind = sniff_kind(content, headers)
    if kind == "sitemap":
        sitemap = parse_sitemap(content, url, max_bytes=max_bytes)
        entries = tuple(
            Hint(e.url, e.title, None, e.date, e.lastmod) for e in sitemap.entries if _splits(e.url)
        )
        if sitemap.is_index:
            return Discovery(url, "sitemap", sitemaps=entries)
        return Discovery(url, "sitemap", articles=entries)
    if kind == "feed":
        items = parse_feed(content, url)
        return Discovery(
            url,
            "feed",
            articles=tuple(Hint(e.url, e.title, e.lead, e.published) for e in items if _splits(e.url)),
        )
    text = to_text(content, headers)
    listing = parse_listing(text, url, headers, site=site)
    links = link_hints(text, url)
    return Discovery(
        url,
        "listing",
        articles=tuple(
            Hint(u, links.get(u, ("", ""))[0] or None, links.get(u, ("", ""))[1] or None)
            for u in listing.article_urls
        ),
        next_page=listing.next_page,
        # Feeds are followed for sites configured by their home page alone (listed starts win).
        feeds=feed_links(text, url) if site is None or not site.start else (),
    )


_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/xml")


def feed_links(html: str, base: str) -> tuple[str, ...]:
    """The feeds a page announces in its head (``<link rel="alternate" type="application/rss+xml"
    href="/rss/home.rss">``), absolute, in page order; unparsable hrefs are dropped."""
    from selectolax.lexbor import LexborHTMLParser

    found: list[str] = []
    for node in LexborHTMLParser(html).css("link[rel][href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").lower().strip()
        if "alternate" not in rel or kind not in _FEED_TYPES:
            continue
        url = join_url(base, (node.attributes.get("href") or "").strip())
        if url is not None and url not in found:
            found.append(url)
    return tuple(found)


def _splits(url: str) -> bool:
    """False for a ``<loc>`` or feed link that is not a URL ("http://[x", "https://[[site_url]]/a"):
    urlsplit raises ValueError on it, which must drop the entry, not stop the site."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def link_hints(html: str, base: str) -> dict[str, tuple[str, str]]:
    """Map each canonical link target of a page to (its longest anchor text, the text of its item box).

    The item box is the largest ancestor (up to 4 levels) that links to this target only: on a listing
    it holds the title and the sapo, so a report titled without "cụm thi đua" is still recognised by
    its lead: ``<div class=item><h3><a href=/a-1>Nhân rộng điển hình</a></h3><p>Cụm thi đua 6 …</p></div>``.
    """
    tree = LexborHTMLParser(html)
    found: dict[str, tuple[str, str]] = {}
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        joined = join_url(base, href)
        if joined is None:
            continue
        try:
            canon = canonical_url(joined)
        except ParseError:
            continue
        text = " ".join(anchor.text(separator=" ").split()) or (anchor.attributes.get("title") or "").strip()
        title, box = found.get(canon, ("", ""))
        if len(text) > len(title):
            title = text
        if not box:
            box = _item_box_text(anchor, href)
        found[canon] = (title, box)
    return found


def _item_box_text(anchor: LexborNode, href: str) -> str:
    own = href.split("#", 1)[0].split("?", 1)[0]
    node = anchor.parent
    best = ""
    for _level in range(4):
        if node is None or node.tag in ("body", "html", "main"):
            break
        targets = {
            (a.attributes.get("href") or "").split("#", 1)[0].split("?", 1)[0] for a in node.css("a[href]")
        }
        if targets - {own, ""}:
            break
        best = node.text(separator=" ")
        node = node.parent
    return " ".join(best.split())[:600]


def expand_start(url: str, *, since: date | None, today: date) -> list[str]:
    """Expand a monthly template (``{YYYY}``, ``{MM}``) into one URL per month, newest first.

    Months run from ``since`` (or last month when there is none) to ``today``:
    ``expand_start("https://plo.vn/sitemaps/news-{YYYY}-{MM}.xml", since=date(2026, 1, 5),
    today=date(2026, 3, 6))`` → the 2026-03, 2026-02 and 2026-01 sitemaps. Other URLs come back as is.
    """
    if not _MONTH_TEMPLATE.search(url):
        return [url]
    first = since or date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    months: list[str] = []
    year, month = today.year, today.month
    while (year, month) >= (first.year, first.month):
        months.append(url.replace("{YYYY}", f"{year:04d}").replace("{MM}", f"{month:02d}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def search_urls(site: Site, terms: Iterable[str]) -> list[str]:
    """The search-page URLs of a site: every ``search`` template filled with every term.

    ``{query}`` takes the URL-encoded term: "cụm thi đua" → ``c%E1%BB%A5m+thi+%C4%91ua``.
    """
    urls: list[str] = []
    for template in site.search:
        for term in terms:
            filled = template.replace("{query}", quote_plus(term))
            if filled not in urls:
                urls.append(filled)
    return urls


def start_urls(site: Site, *, since: date | None, today: date) -> Sequence[str]:
    """Every entry point of a site for one run: its start URLs (else its home page) with monthly
    templates expanded."""
    urls: list[str] = []
    for url in site.entry_points:
        for one in expand_start(url, since=since, today=today):
            if one not in urls:
                urls.append(one)
    return urls
