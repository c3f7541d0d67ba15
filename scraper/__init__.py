"""Discover, fetch and parse news pages into clean articles."""

from scraper.article import Article, Listing
from scraper.crawl import (
    DEFAULT_USER_AGENT,
    CrawlOptions,
    CrawlReport,
    OnArticle,
    OnProgress,
    PageError,
    SiteReport,
    crawl,
    crawl_sync,
)
from scraper.errors import FetchError, ParseError, ScraperError, SitesError
from scraper.frontier import Frontier, MemoryFrontier, UrlRecord
from scraper.parse import parse_article, parse_listing
from scraper.relevance import SEARCH_TERMS
from scraper.sites import Site, load_sites, site_for_url

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
