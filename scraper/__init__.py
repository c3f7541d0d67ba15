"""Discover, fetch and parse news pages into clean articles."""

from scraper.article import Article, Listing
from scraper.errors import FetchError, ParseError, ScraperError, SitesError
from scraper.frontier import Frontier, MemoryFrontier, UrlRecord
from scraper.sites import Site, load_sites, site_for_url

__all__ = [
    "Article",
    "FetchError",
    "Frontier",
    "Listing",
    "MemoryFrontier",
    "ParseError",
    "ScraperError",
    "Site",
    "SitesError",
    "UrlRecord",
    "load_sites",
    "site_for_url",
]
