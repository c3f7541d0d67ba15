"""The records the scraper hands to the rest of thidua (the contract of design.md)."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime


def content_hash(title: str, lead: str, body: str) -> str:
    """Return the sha256 hex digest of an article's NFC text, so one text reached by two URLs is one.

    Parts are stripped, NFC-normalised and joined by blank lines before hashing:
    ``content_hash("Hội nghị", "", "Sáng 6-3 ...")`` is 64 hex characters, the same for NFC and NFD input.
    """
    text = "\n\n".join(unicodedata.normalize("NFC", part).strip() for part in (title, lead, body))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    """A clean news article: every text field NFC, datetimes timezone-aware (+07:00 when unknown)."""

    url: str
    canonical_url: str
    source: str  # host of the canonical URL, e.g. "nld.com.vn"
    title: str
    lead: str
    body: str  # paragraphs joined by blank lines; captions and boxes removed
    author: str | None
    published: datetime | None
    modified: datetime | None
    fetched_at: datetime | None
    language: str = "vi"
    content_hash: str = ""
    captions: tuple[str, ...] = ()
    site: str | None = None  # name of the sites.toml entry, None for unknown sites
    # The site's configured selectors ("title", "body") that matched nothing on this page, so the
    # parse fell back (scraper.selector_rot: selector rot); () for unknown sites.
    selectors_missed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # An Article always carries its digest: left empty, it is derived from the text here, the one
        # place it is computed (db stores this field as it is).
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.title, self.lead, self.body))

    @property
    def text(self) -> str:
        """Title, lead and body joined by blank lines: the input of ``extract.extract_events``."""
        return "\n\n".join(part for part in (self.title, self.lead, self.body) if part)


@dataclass(frozen=True)
class Listing:
    """What a listing page links to: article URLs (absolute, canonical, page order) and the next page."""

    url: str
    article_urls: tuple[str, ...]
    next_page: str | None
