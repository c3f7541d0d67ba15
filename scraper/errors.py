"""Errors of the scraper, each with a message a user can act on."""


class ScraperError(Exception):
    """Base of every error the scraper raises on purpose."""


class SitesError(ScraperError):
    """The sites file is missing, is not TOML, or has an entry that cannot be used."""


class FetchError(ScraperError):
    """A page could not be fetched: the message says which URL and why."""


class ParseError(ScraperError):
    """A page could not be turned into an article or a listing."""
