"""Errors of the scraper, each with a message a user can act on."""


class ScraperError(Exception):
    """Base of every error the scraper raises on purpose."""


class SitesError(ScraperError):
    """The sites file is missing, is not TOML, or has an entry that cannot be used."""


class FetchError(ScraperError):
    """A page could not be fetched: the message says which URL and why."""


class ParseError(ScraperError):
    """A page could not be turned into an article or a listing."""


class FetchFailure(FetchError):
    """A URL could not be fetched. ``kind`` is the PageError kind ("http-404", "timeout", "offsite" …)."""

    def __init__(
        self,
        url: str,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.kind = kind
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.retryable = retryable
