"""Discovery's dates used without ``--since``: which articles to fetch first, and which known ones again.

A sitemap (``news:publication_date``, ``lastmod``) or a feed dates the articles it lists. Those dates
are hints, trusted only this far:

- **Order.** A page's articles are fetched newest first by their best hint date (the news date, else
  the sitemap ``lastmod``, else the feed date; undated ones after, in the order the page gave), and
  so are the articles an earlier run left pending: a crawl cut by its budget (``max_pages``, the
  site's time budget) got the newest.
- **Known articles.** An article fetched before is asked again only when its news date or ``lastmod``
  is later than when we fetched it (the site updated it since); otherwise it costs no request.
- **A stamp is not a date.** A sitemap that gives every entry of a page one and the same ``lastmod``
  (the time it was generated, as some CMSes write it) says nothing about any article: those
  ``lastmod`` are dropped (``per_article_dates``), else every known article would be fetched again
  every night.
- **No silent loss.** Without ``--since`` a date never skips an article that was never fetched: an
  entry dated before the site's last completed run, but not fetched then (new in the sitemap, cut by
  a budget, gated by a killed run), is fetched like any other. Only ``--since`` skips by date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TypeVar

from scraper.discover import Hint
from scraper.frontier import Frontier, UrlRecord
from scraper.timezone import vn_date

T = TypeVar("T")


def hint_date(hint: Hint) -> datetime | None:
    """The date a discovery page gave an article, to order by: news date, else lastmod, else feed date."""
    return hint.published or hint.lastmod


def changed_at(hint: Hint) -> datetime | None:
    """The latest date the page gave an article (news date or lastmod): when the site last changed it."""
    dates = [d for d in (hint.published, hint.lastmod) if d is not None]
    return max(dates) if dates else None


#: Entries of one page sharing one lastmod from which it is read as the page's generation stamp.
STAMP_ENTRIES = 3


def per_article_dates(hints: Sequence[Hint]) -> tuple[Hint, ...]:
    """The hints of one page, without their ``lastmod`` when every entry has the same one (at least
    ``STAMP_ENTRIES`` of them): a generation stamp, not when each article changed. A publication
    date that was only that lastmod goes too; a news date stays."""
    stamps = {h.lastmod for h in hints}
    if len(hints) < STAMP_ENTRIES or len(stamps) != 1 or None in stamps:
        return tuple(hints)
    return tuple(
        replace(h, lastmod=None, published=None if h.published == h.lastmod else h.published) for h in hints
    )


def newest_first(items: Iterable[tuple[datetime | None, T]]) -> list[T]:
    """The items ordered by their date, newest first; undated ones last, in the order given.

    ``newest_first([(None, "a"), (d(3, 1), "b"), (d(3, 5), "c")])`` → ``["c", "b", "a"]``.
    """
    listed = list(items)
    dated = sorted(
        ((when, i, item) for i, (when, item) in enumerate(listed) if when is not None),
        key=lambda t: (-t[0].timestamp(), t[1]),
    )
    return [item for _, _, item in dated] + [item for when, item in listed if when is None]


def updated_since_fetch(rec: UrlRecord, hint: Hint, now: datetime | None = None) -> bool:
    """True for an article fetched before whose news date or lastmod is later than that fetch.

    A date still in the future (``now``: the present) is not believed yet: a site writing its local
    time with a "Z" dates every entry 7 hours ahead, and would be fetched again every night.
    """
    changed = changed_at(hint)
    return (
        rec.state == "fetched"
        and rec.fetched_at is not None
        and changed is not None
        and rec.fetched_at < changed <= (now or datetime.now(UTC))
    )


def due_again(
    frontier: Frontier, rec: UrlRecord | None, hint: Hint, *, since: date | None
) -> UrlRecord | None:
    """``rec`` as it stands, or, for an article the site updated since we fetched it, its record made
    "new" again (kept so: a run killed before the fetch still fetches it); ``--since`` is kept."""
    if rec is None or not updated_since_fetch(rec, hint):
        return rec
    changed = changed_at(hint)
    if since is not None and changed is not None and vn_date(changed) < since:
        return rec
    again = replace(rec, state="new", last_error=None)
    frontier.put(again)
    return again
