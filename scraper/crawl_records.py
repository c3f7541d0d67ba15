"""The records of a crawl: how it behaves (``CrawlOptions``) and what it did (``CrawlReport``, ``SiteReport``,
``PageError``), and the callbacks it hands articles and progress to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from scraper.article import Article
from scraper.article_pool import DEFAULT_TIME_LIMIT, Analyse, Read
from scraper.fetch import MAX_CONNECTIONS
from scraper.relevance import SEARCH_TERMS, Relevance

DEFAULT_USER_AGENT = "thidua/0.1 (+https://github.com/thidua/thidua; emulation-cluster research crawler)"


@dataclass(frozen=True)
class CrawlOptions:
    """How one crawl behaves. Defaults are the nightly job's; tests and benches shorten delays."""

    since: date | None = None  # listings stop when a page is older; sitemaps/feeds skip older
    max_pages: int | None = None  # at most this many article pages fetched per site
    full: bool = False  # relevance gate off; listings walked to the end (backfill)
    delay: float | None = None  # override every site's delay (tests and benches: 0)
    timeout: float = 10.0  # seconds per request
    max_bytes: int = 5_000_000  # streamed body cap; also the cap on decompressed size
    retries: int = 3  # on connect errors, 429 and 5xx; exponential backoff + jitter
    user_agent: str = DEFAULT_USER_AGENT
    search_terms: tuple[str, ...] = SEARCH_TERMS
    # The relevance gate's test of a title, lead or slug; None: the search terms. The application
    # passes the extractor's (extract.gate.names_a_cluster), so the gate keeps what extraction finds.
    relevance: Relevance | None = None
    # Discovery pages per site and run; None: DISCOVERY_BUDGET (FULL_DISCOVERY_BUDGET when full).
    max_discovery_pages: int | None = None
    # Seconds one site's run may take (on the crawl's clock, pauses included); None: no limit. A site
    # over it stops where it is, recorded once as "site-budget"; what is left waits for the next run.
    site_budget: float | None = None
    # Entry points not requested in this run: gone for 7 nights, so the application asks them weekly.
    rest: frozenset[str] = frozenset()
    # Parse + analysis leave the event loop: ``analyse`` (a module-level function, it is pickled; the
    # application passes its extraction) runs after parsing in a pool of ``workers`` processes (None:
    # the machine's cores; 0: in this process, without a time limit), each page within
    # ``article_time_limit`` seconds or recorded as an "extract-timeout" page error.
    analyse: Analyse | None = None
    # Run once before the pool starts (the application: load extraction's data, which the forked
    # workers then share), so no article's time limit pays for loading it.
    warm_up: Callable[[], object] | None = None
    workers: int | None = None
    article_time_limit: float = DEFAULT_TIME_LIMIT
    # Requests in flight over every host at once (per host: the site's ``concurrency`` when its delay
    # is 0, else one).
    max_connections: int = MAX_CONNECTIONS


@dataclass(frozen=True)
class PageError:
    """One failure of a crawl: which site and URL, a kind ("http-404", "timeout", "store" …), why."""

    site: str
    url: str
    kind: str
    message: str


@dataclass
class SiteReport:
    """What a crawl did on one site.

    ``aborted``: an exception escaped the site's loop (not a page's: those are PageErrors), so the
    rest of the site was not crawled. ``all_articles_failed``: the site answered, articles were
    tried and not one was handed on. ``ok`` is False for either: the run must not be called good.
    """

    site: str
    requests: int = 0  # HTTP requests sent (robots, feeds, sitemaps, listings, articles)
    not_modified: int = 0  # 304 answers
    pages_fetched: int = 0  # article pages fetched with 200
    new_articles: int = 0  # handed to on_article
    duplicates: int = 0  # same content hash as a stored article, not handed on
    skipped: int = 0  # failed the relevance gate / robots / since
    errors: list[PageError] = field(default_factory=list)
    responses: int = 0  # HTTP answers (any status) to discovery and article requests
    articles_failed: int = 0  # article URLs marked failed in this run (not 404/410, robots, offsite)
    aborted: bool = False  # an exception escaped the site's loop: the rest of the site was not crawled

    @property
    def all_articles_failed(self) -> bool:
        """True when the site answered, articles were tried, and not one was handed on or known."""
        return (
            self.responses > 0
            and self.articles_failed > 0
            and self.new_articles == 0
            and self.duplicates == 0
        )

    @property
    def ok(self) -> bool:
        """False when this site's run must not count as a good run: aborted, or every article failed."""
        return not self.aborted and not self.all_articles_failed


@dataclass
class CrawlReport:
    """What a crawl did: one ``SiteReport`` per site, and totals."""

    sites: list[SiteReport]

    @property
    def requests(self) -> int:
        """HTTP requests sent over all sites."""
        return sum(s.requests for s in self.sites)

    @property
    def not_modified(self) -> int:
        """304 answers over all sites."""
        return sum(s.not_modified for s in self.sites)

    @property
    def pages_fetched(self) -> int:
        """Article pages fetched with 200 over all sites."""
        return sum(s.pages_fetched for s in self.sites)

    @property
    def new_articles(self) -> int:
        """Articles handed to on_article over all sites."""
        return sum(s.new_articles for s in self.sites)

    @property
    def duplicates(self) -> int:
        """Articles not handed on because their text was already stored."""
        return sum(s.duplicates for s in self.sites)

    @property
    def skipped(self) -> int:
        """URLs not fetched: relevance gate, robots, since."""
        return sum(s.skipped for s in self.sites)

    @property
    def errors(self) -> list[PageError]:
        """Every PageError of every site, site by site."""
        return [e for s in self.sites for e in s.errors]

    @property
    def failed_sites(self) -> list[SiteReport]:
        """The sites whose run was not good (``SiteReport.ok`` False): aborted, or every article failed."""
        return [s for s in self.sites if not s.ok]


OnArticle = Callable[[Article], None]
# Called instead of ``on_article`` when given: the article with what ``CrawlOptions.analyse`` made of it.
OnRead = Callable[[Read], None]
OnProgress = Callable[[str, str], None]
