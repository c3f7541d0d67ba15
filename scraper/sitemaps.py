"""XML sitemaps (defusedxml): sitemap indexes, plain and Google News sitemaps, gzipped or not.

A sitemap index lists child sitemaps (with ``lastmod``); a urlset lists pages, Google News sitemaps
with ``news:publication_date`` and ``news:title``. Malformed or hostile XML is a ``ParseError`` naming
the URL, never a crash; a ``.gz`` that inflates past the cap is ``FetchFailure(kind="too-large")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XmlParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from scraper.errors import ParseError
from scraper.fetch import gunzip_capped
from scraper.timezone import VN_TZ

_SPACE_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2})$")


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` or ``<sitemap>`` of a sitemap, with what it says about dates and title."""

    url: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date
    title: str | None = None  # news:title

    @property
    def date(self) -> datetime | None:
        """The best date known: the publication date, else lastmod."""
        return self.published or self.lastmod


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: ``is_index`` True when ``entries`` are child sitemaps."""

    url: str
    is_index: bool
    entries: tuple[SitemapEntry, ...]


def is_gzip(data: bytes) -> bool:
    """True if the bytes start with the gzip magic number."""
    return data[:2] == b"\x1f\x8b"


def parse_sitemap(data: bytes, url: str, *, max_bytes: int = 5_000_000) -> Sitemap:
    """Parse sitemap bytes (gunzipped first when gzipped) into a ``Sitemap``.

    Raises ``ParseError`` for malformed XML, entities (defusedxml) or a root that is neither
    ``urlset`` nor ``sitemapindex``.
    """
    if is_gzip(data):
        data = gunzip_capped(data, max_bytes, url)
    try:
        root = fromstring(data)
    except (XmlParseError, DefusedXmlException, ValueError) as exc:
        raise ParseError(f"{url}: malformed sitemap XML ({exc})") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ParseError(f"{url}: not a sitemap (root element <{kind}>)")
    child = "sitemap" if kind == "sitemapindex" else "url"
    entries: list[SitemapEntry] = []
    for node in root:
        if _local(node.tag) != child:
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        news = next((n for n in node if _local(n.tag) == "news"), None)
        entries.append(
            SitemapEntry(
                url=loc,
                lastmod=parse_w3c_date(_child_text(node, "lastmod")),
                published=parse_w3c_date(_child_text(news, "publication_date")) if news is not None else None,
                title=_child_text(news, "title") if news is not None else None,
            )
        )
    return Sitemap(url, kind == "sitemapindex", tuple(entries))


def parse_w3c_date(text: str | None) -> datetime | None:
    """Read a W3C/ISO date of a sitemap into an aware datetime (+07:00 without offset), or None.

    ``parse_w3c_date("2026-03-06")`` → 2026-03-06 00:00+07:00; ``"2026-03-06T10:10:00Z"`` → UTC.
    """
    if not text:
        return None
    candidate = _SPACE_OFFSET.sub(r"\1", text.strip()).replace("Z", "+00:00")
    try:
        found = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=VN_TZ)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _child_text(node: Element | None, name: str) -> str | None:
    if node is None:
        return None
    for child in node:
        if _local(child.tag) == name:
            text = " ".join((child.text or "").split())
            return text or None
    return None
