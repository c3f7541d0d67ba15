"""Pages saved to disk: find the URL a saved page came from, so ``thidua ingest`` can key it."""

from __future__ import annotations

from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scraper.decode import to_text
from scraper.fields import meta_map
from scraper.parse import canonical_href


def saved_page_url(html: bytes | str) -> str | None:
    """Return the absolute http(s) URL a saved page names for itself (canonical link, then og:url).

    ``<link rel="canonical" href="https://nld.com.vn/cum-thi-dua-17-196260306.htm">`` → that URL;
    a page without one (or with a relative one) → None.
    """
    tree = LexborHTMLParser(to_text(html, None))
    href = canonical_href(tree, meta_map(tree))
    if not href:
        return None
    try:
        parts = urlsplit(href)
    except ValueError:  # "https://[[site_url]]/a": a template left unfilled names no page
        return None
    return href if parts.scheme in ("http", "https") and parts.netloc else None
