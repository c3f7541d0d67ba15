"""What every job hands to extraction for one article, derived in one place (``article_inputs``) so
crawl, ingest and reextract agree on it, and ``events_of``, extraction over those inputs.

Kept apart from ``thidua.app`` because the crawl's pool workers run ``events_of``
(``thidua.crawling.crawl_events``): importing this module imports extract and the light part of
scraper (sites, the timezone), never storage, the CLI or the crawler's network stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from extract import extract_events
from extract.model import Event
from scraper.sites import packaged_sites, site_for_url
from scraper.timezone import vn_date

Extract = Callable[..., list[Event]]


class HasArticleInputs(Protocol):
    """What ``article_inputs`` reads: a scraped ``Article`` or a ``db.StoredArticle``."""

    @property
    def text(self) -> str: ...
    @property
    def published(self) -> dt.datetime | None: ...
    @property
    def url(self) -> str: ...


@dataclass(frozen=True)
class ExtractionInputs:
    """What extraction gets of an article: its text, its local publication day, its URL, and the
    ``system`` its site's entry in sites.toml gives (None when the site sets none or is unknown)."""

    text: str
    published: dt.date | None
    source: str
    site_system: str | None = None


def article_inputs(article: HasArticleInputs) -> ExtractionInputs:
    """The extractor's inputs for one article: text, publication day in Vietnam (+07:00), source URL.

    The day is taken in Vietnam whatever offset the time was stored with: an article published
    2025-01-14T20:00Z was published on 15/1 there, so its "Sáng 15/1" is that day, not a year back.
    A naive time is read as Vietnamese local time.
    """
    day = vn_date(article.published) if article.published is not None else None
    return ExtractionInputs(article.text, day, article.url, site_system(article))


def site_system(article: HasArticleInputs) -> str | None:
    """The ``system`` of the article's site in the packaged sites.toml: found by the article's site
    name when it has one (a crawled ``Article``), else by its URL (a stored article); None if unset."""
    return system_of_site(article.url, getattr(article, "site", None))


def system_of_site(url: str | None, name: str | None = None) -> str | None:
    """The ``system`` sites.toml gives the site named ``name``, else the site that owns ``url``.

    ``system_of_site("https://baolamdong.vn/a-1.html")`` → ``"tỉnh Lâm Đồng"``; None for a URL no
    packaged site owns, or a site that sets no system.
    """
    sites = packaged_sites()
    site = next((s for s in sites if s.name == name), None) if name else None
    site = site or (site_for_url(sites, url) if url else None)
    return site.system if site is not None else None


def text_events(text: str, published: dt.date | None, source: str | None = None) -> list[Event]:
    """The events of one article text as a crawl of ``source`` would find them: the text, its day,
    the URL and the system its site's sites.toml entry gives (what ``thidua extract`` prints)."""
    return extract_events(text, published, source=source, site_system=system_of_site(source))


def events_of(article: HasArticleInputs, extract: Extract = extract_events) -> list[Event]:
    """Run extraction over one article with the inputs ``article_inputs`` derives."""
    inputs = article_inputs(article)
    return extract(inputs.text, inputs.published, source=inputs.source, site_system=inputs.site_system)
