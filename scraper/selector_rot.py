"""Article-selector rot: a site's configured ``title``/``body`` selectors that stopped matching.

When a site changes its markup, the selectors of its ``[site.selectors]`` match nothing and the parse
falls back, silently, to metadata and the generic extractor. The parse says which configured keys
matched nothing on a page (``Article.selectors_missed``, from ``unmatched_selectors``); a site's run
counts them (``SelectorTally``) and, at its end, records one ``article-selector-nothing`` error for
the site at most, naming the selectors and one URL, which ``thidua.health`` reports.

The rule (``is_rot``): a selector rots in a run when it matched nothing on at least ``ROT_PAGES`` (3)
of the site's articles parsed in that run — on every one of them when fewer were parsed — and on at
least half of them. One odd page (a video or photo story without the usual body) is not rot; a
redesign, which misses on every page, is, even on a night that parsed a single article.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from scraper.article import Article
from scraper.fields import alternatives, clean

#: The article selectors whose miss sends the parse to a fallback (metadata, the generic extractor).
WATCHED = ("title", "body")
ROT_PAGES = 3
ROT_KIND = "article-selector-nothing"


def unmatched_selectors(tree: LexborHTMLParser, selectors: Mapping[str, str]) -> tuple[str, ...]:
    """The watched keys configured in ``selectors`` none of whose alternatives finds a node with text.

    ``unmatched_selectors(LexborHTMLParser("<h1>Hội nghị</h1>"), {"title": "h1", "body": "div.noi-dung"})``
    → ``("body",)``. Read before the parse rewrites the tree.
    """
    missed: list[str] = []
    for key in WATCHED:
        if key in selectors and not any(
            clean(node.text(separator=" ")) for alt in alternatives(selectors[key]) for node in tree.css(alt)
        ):
            missed.append(key)
    return tuple(missed)


def is_rot(misses: int, parsed: int) -> bool:
    """True when a selector that missed on ``misses`` of ``parsed`` articles of a run has rotted.

    ``is_rot(3, 4)`` → True; ``is_rot(1, 1)`` → True; ``is_rot(1, 10)`` → False; ``is_rot(3, 10)`` → False.
    """
    return parsed > 0 and misses >= min(ROT_PAGES, parsed) and 2 * misses >= parsed


@dataclass
class SelectorTally:
    """A site's run's count of articles parsed and, per watched selector, of those it missed on."""

    selectors: Mapping[str, str]
    parsed: int = 0
    misses: dict[str, int] = field(default_factory=dict)
    example: dict[str, str] = field(default_factory=dict)  # key → the first URL it missed on

    def saw(self, url: str, article: Article) -> None:
        """Count one parsed article of the site (``url``: its URL in the frontier)."""
        self.parsed += 1
        for key in article.selectors_missed:
            self.misses[key] = self.misses.get(key, 0) + 1
            self.example.setdefault(key, url)

    def rotten(self) -> tuple[str, ...]:
        """The watched keys that rotted in this run, in ``WATCHED`` order."""
        return tuple(k for k in WATCHED if is_rot(self.misses.get(k, 0), self.parsed))

    def error(self) -> tuple[str, str] | None:
        """(URL, message) of the run's one ``article-selector-nothing`` error, or None when none rotted.

        ``("https://baotinh.vn/tin/a-1.html", "the site's article selectors matched nothing: body
        'div.noi-dung' on 4 of 4 articles (e.g. this one); the parse fell back to the generic
        extractor: fix [site.selectors] in the sites file")``
        """
        keys = self.rotten()
        if not keys:
            return None
        parts = [f"{k} {self.selectors[k]!r} on {self.misses[k]} of {self.parsed} articles" for k in keys]
        return (
            self.example[keys[0]],
            f"the site's article selectors matched nothing: {', '.join(parts)} (e.g. this one); the parse "
            "fell back to the generic extractor: fix [site.selectors] in the sites file",
        )
