"""Discover, fetch and parse news pages into clean articles.

The public names below are imported on first use (PEP 562), not with the package: a crawl's pool
worker unpickles ``scraper.article_pool``'s tasks, and importing ``scraper`` must not pull in the
crawler (httpx, feedparser, rich …) that a worker never runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from scraper.httpx_lean import lean

# httpx's command-line client (click, rich, pygments: ~6-9 MB in the crawl) is imported only when run.
lean()

if TYPE_CHECKING:
    from scraper.article import Article as Article
    from scraper.article import Listing as Listing
    from scraper.crawl import DEFAULT_USER_AGENT as DEFAULT_USER_AGENT
    from scraper.crawl import CrawlOptions as CrawlOptions
    from scraper.crawl import CrawlReport as CrawlReport
    from scraper.crawl import OnArticle as OnArticle
    from scraper.crawl import OnProgress as OnProgress
    from scraper.crawl import PageError as PageError
    from scraper.crawl import SiteReport as SiteReport
    from scraper.crawl import crawl as crawl
    from scraper.crawl import crawl_sync as crawl_sync
    from scraper.errors import FetchError as FetchError
    from scraper.errors import ParseError as ParseError
    from scraper.errors import ScraperError as ScraperError
    from scraper.errors import SitesError as SitesError
    from scraper.frontier import Frontier as Frontier
    from scraper.frontier import MemoryFrontier as MemoryFrontier
    from scraper.frontier import UrlRecord as UrlRecord
    from scraper.parse import parse_article as parse_article
    from scraper.parse import parse_listing as parse_listing
    from scraper.relevance import SEARCH_TERMS as SEARCH_TERMS
    from scraper.sites import Site as Site
    from scraper.sites import load_sites as load_sites
    from scraper.sites import site_for_url as site_for_url

_HOMES = {
    "Article": "scraper.article",
    "CrawlOptions": "scraper.crawl",
    "CrawlReport": "scraper.crawl",
    "DEFAULT_USER_AGENT": "scraper.crawl",
    "FetchError": "scraper.errors",
    "Frontier": "scraper.frontier",
    "Listing": "scraper.article",
    "MemoryFrontier": "scraper.frontier",
    "OnArticle": "scraper.crawl",
    "OnProgress": "scraper.crawl",
    "PageError": "scraper.crawl",
    "ParseError": "scraper.errors",
    "SEARCH_TERMS": "scraper.relevance",
    "ScraperError": "scraper.errors",
    "Site": "scraper.sites",
    "SiteReport": "scraper.crawl",
    "SitesError": "scraper.errors",
    "UrlRecord": "scraper.frontier",
    "crawl": "scraper.crawl",
    "crawl_sync": "scraper.crawl",
    "load_sites": "scraper.sites",
    "parse_article": "scraper.parse",
    "parse_listing": "scraper.parse",
    "site_for_url": "scraper.sites",
}

__all__ = [
    "DEFAULT_USER_AGENT",
    "SEARCH_TERMS",
    "Article",
    "CrawlOptions",
    "CrawlReport",
    "FetchError",
    "Frontier",
    "Listing",
    "MemoryFrontier",
    "OnArticle",
    "OnProgress",
    "PageError",
    "ParseError",
    "ScraperError",
    "Site",
    "SiteReport",
    "SitesError",
    "UrlRecord",
    "crawl",
    "crawl_sync",
    "load_sites",
    "parse_article",
    "parse_listing",
    "site_for_url",
]


def __getattr__(name: str) -> Any:
    """A public name of the package, imported from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'scraper' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
