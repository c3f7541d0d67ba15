"""The cheap relevance gate: is an article URL worth fetching, judged from its title, slug or lead?

Text is NFC-normalised, stripped of diacritics (đ→d included) and lower-cased before matching, so
"CỤM THI ĐUA", "Cụm thi đua" (NFC or NFD) and the slug "cum-thi-dua" all match the term "cụm thi đua".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote, urlsplit

from scraper.text import ascii_words

#: What an article must mention to be fetched, and what the crawl asks each site's search page for.
SEARCH_TERMS = ("cụm thi đua", "khối thi đua", "giao ước thi đua")


def url_words(url: str) -> str:
    """The ASCII words (``ascii_words``) of a URL's path (its slug).

    ``url_words("https://x.vn/cum-thi-dua-so-3-1491.htm")`` → ``"cum thi dua so 3 1491 htm"``.
    """
    return ascii_words(unquote(urlsplit(url).path))


#: A test of one text (a title, a lead, or a slug's words): may it name what we look for?
Relevance = Callable[[str], bool]


def slug_text(url: str) -> str:
    """A URL's path as words, separators turned to spaces, accents kept as written:
    ``slug_text("https://x.vn/cum-thi-dua-so-3.htm")`` → ``"cum thi dua so 3 htm"``."""
    path = unquote(urlsplit(url).path)
    return " ".join("".join(ch if ch.isalnum() else " " for ch in path).split())


@dataclass(frozen=True)
class RelevanceGate:
    """What an article must mention in its title, lead or slug to be fetched.

    ``predicate`` is the application's test of one text — the extractor's own idea of a cluster
    mention (scraper never imports extract: ``thidua.app`` hands it in); without one, the gate
    looks for ``terms``. ``enabled=False`` (a full crawl) lets every URL through.
    """

    terms: tuple[str, ...] = SEARCH_TERMS
    enabled: bool = True
    predicate: Relevance | None = None

    @cached_property
    def folded_terms(self) -> tuple[str, ...]:
        """The terms as ASCII words, padded with spaces, ready for whole-word matching."""
        return tuple(f" {ascii_words(t)} " for t in self.terms if ascii_words(t))

    def matches(self, *, url: str | None = None, title: str | None = None, lead: str | None = None) -> bool:
        """True if the gate is off or any term appears in the title, the lead or the URL slug.

        ``RelevanceGate().matches(url="https://x.vn/hoi-nghi-cum-thi-dua-so-3.htm")`` → True.
        """
        if not self.enabled:
            return True
        if self.predicate is not None:
            texts = [t for t in (title, lead, slug_text(url) if url else None) if t]
            return any(self.predicate(t) for t in texts)
        folded = self.folded_terms
        texts = [ascii_words(t) for t in (title, lead) if t]
        if url:
            texts.append(url_words(url))
        return any(term in f" {text} " for text in texts for term in folded)
