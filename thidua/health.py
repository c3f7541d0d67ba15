"""Nightly health: which sites need the operator's attention, derived from what runs recorded.

Every crawl stores its per-site counts in the ``runs`` row (``counts["sites"]``: new articles, entry
points and how many failed, listing selectors that matched nothing) and its errors in ``run_errors``.
From them, over the nights (Vietnamese days of ``runs.started_at``) on which a site was crawled:

- ``no_yield``: sites that handed on no article on each of their last N crawled nights (default 14);
- ``entry_points_failed``: sites whose every entry point failed in their latest run;
- ``selectors_matched_nothing``: sites whose configured listing selector matched nothing on an entry page in
  their latest run (selector rot: the site changed its markup);
- ``article_selectors_matched_nothing``: sites whose configured article ``title``/``body`` selector matched
  nothing on the articles of their latest run that parsed any (``scraper.selector_rot``: on at least 3 of
  them, or all when fewer, and on at least half; the parse fell back to the generic extractor);
- ``gone``: entry points that failed as gone (404, 410, no connection or DNS) on 7 distinct nights with
  no good night since; they are then requested once a week (``rested_entry_points``), not nightly.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

import db
from db.frontier import from_text
from scraper.crawl_records import CrawlOptions, CrawlReport
from scraper.discover import start_urls
from scraper.selector_rot import ROT_KIND as ARTICLE_ROT
from scraper.sites import Site
from scraper.timezone import vn_date
from thidua.report import RunReport

NO_YIELD_NIGHTS = 14
GONE_NIGHTS = 7
#: A gone entry point is requested again this long after its last failed request.
GONE_RECHECK = timedelta(days=7)
#: Failures that say the URL (or its host) is not there any more, as opposed to a bad night; an
#: "unreachable" host (robots.txt could not be had) only when it refused the connection or has no DNS.
GONE_KINDS = ("http-404", "http-410", "connect", "unreachable")
#: The run error of an entry point left alone tonight because it is gone (see ``rested_entry_points``).
RESTED = "entry-rested"
#: Errors at an entry URL that say nothing about the entry point itself.
_NOT_ENTRY_FAILURES = frozenset(
    {"discovery-budget", "site-budget", "sitemap-depth", "selector-nothing", ARTICLE_ROT}
)
#: Runs read, newest first: enough for 7 gone nights checked weekly, and a year of nightly runs.
_HISTORY = 400


@dataclass(frozen=True)
class GoneEntry:
    """An entry point gone for ``nights`` distinct nights; the last failed request on ``last_checked``."""

    site: str
    url: str
    nights: int
    last_checked: date
    last_error: str


@dataclass(frozen=True)
class Health:
    """The sites that need attention (names sorted), and the entry points gone."""

    nights: int = NO_YIELD_NIGHTS
    no_yield: tuple[str, ...] = ()
    home_only_no_yield: tuple[str, ...] = ()
    entry_points_failed: tuple[str, ...] = ()
    selectors_matched_nothing: tuple[str, ...] = ()
    article_selectors_matched_nothing: tuple[str, ...] = ()
    gone: tuple[GoneEntry, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """Plain values for ``stats --json``: dates as ISO text."""
        return {
            "nights": self.nights,
            "no_yield": list(self.no_yield),
            "home_only_no_yield": list(self.home_only_no_yield),
            "entry_points_failed": list(self.entry_points_failed),
            "selectors_matched_nothing": list(self.selectors_matched_nothing),
            "article_selectors_matched_nothing": list(self.article_selectors_matched_nothing),
            "gone_entry_points": [
                {
                    "site": g.site,
                    "url": g.url,
                    "nights": g.nights,
                    "last_checked": g.last_checked.isoformat(),
                    "last_error": g.last_error,
                }
                for g in self.gone
            ],
        }

    def lines(self) -> list[str]:
        """One short phrase per problem, for the run's summary line."""
        out = [f"{s}: no article for {self.nights} nights" for s in self.no_yield]
        out += [f"{s}: every entry point failed" for s in self.entry_points_failed]
        out += [f"{s}: listing selector matched nothing" for s in self.selectors_matched_nothing]
        out += [
            f"{s}: article selector matched nothing (parsed generically)"
            for s in self.article_selectors_matched_nothing
        ]
        out += [f"{g.site}: {g.url} gone for {g.nights} nights" for g in self.gone]
        return out


@dataclass(frozen=True)
class _Night:
    run_id: int
    night: date
    counts: Mapping[str, Mapping[str, int]]  # site → its counts in this run


def entry_urls(site: Site, *, since: date | None, today: date) -> tuple[str, ...]:
    """The entry points of one run of the site (monthly templates expanded), as the crawl walks them."""
    return tuple(start_urls(site, since=since, today=today))


def site_counts(
    sites: Sequence[Site], crawled: CrawlReport, *, since: date | None, today: date, rested: frozenset[str]
) -> dict[str, dict[str, int]]:
    """Per-site counts of one crawl, as stored in ``runs.counts["sites"]``.

    ``{"tinh": {"new_articles": 0, "requests": 3, "entry_points": 2, "entry_failed": 2,
    "selectors_nothing": 0, "pages_fetched": 1, "article_selectors_nothing": 0}}``: an entry point left
    alone (``rested``) counts as failed.
    """
    by_name = {s.name: s for s in sites}
    counts: dict[str, dict[str, int]] = {}
    for report in crawled.sites:
        site = by_name.get(report.site)
        entries = set(entry_urls(site, since=since, today=today)) if site else set()
        failed = {e.url for e in report.errors if e.url in entries and e.kind not in _NOT_ENTRY_FAILURES}
        counts[report.site] = {
            "new_articles": report.new_articles,
            "requests": report.requests,
            "entry_points": len(entries),
            "entry_failed": len(failed | (entries & rested)),
            "selectors_nothing": sum(e.kind == "selector-nothing" for e in report.errors),
            "pages_fetched": report.pages_fetched,
            "article_selectors_nothing": sum(e.kind == ARTICLE_ROT for e in report.errors),
        }
    return counts


def health(database: Database, sites: Sequence[Site], *, nights: int = NO_YIELD_NIGHTS) -> Health:
    """The health of ``sites`` from the runs the database holds (see the module docstring)."""
    history = _nights(database)
    no_yield, failed, rot, article_rot = [], [], [], []
    for site in sites:
        mine = [n for n in history if site.name in n.counts]
        if not mine:
            continue
        latest = mine[0].counts[site.name]
        if latest.get("entry_points", 0) and latest.get("entry_failed", 0) >= latest["entry_points"]:
            failed.append(site.name)
        if latest.get("selectors_nothing", 0):
            rot.append(site.name)
        if _article_rot(mine, site.name):
            article_rot.append(site.name)
        yields: dict[date, int] = defaultdict(int)
        for n in mine:
            yields[n.night] += n.counts[site.name].get("new_articles", 0)
        last = sorted(yields, reverse=True)[:nights]
        if len(last) >= nights and not any(yields[d] for d in last):
            no_yield.append(site.name)
    home_only = {s.name for s in sites if s.status == "home-only"}
    return Health(
        nights=nights,
        no_yield=tuple(sorted(no_yield)),
        home_only_no_yield=tuple(sorted(set(no_yield) & home_only)),
        entry_points_failed=tuple(sorted(failed)),
        selectors_matched_nothing=tuple(sorted(rot)),
        article_selectors_matched_nothing=tuple(sorted(article_rot)),
        gone=tuple(_gone(database, sites, history)),
    )


def _article_rot(mine: Sequence[_Night], name: str) -> bool:
    """True when the site's latest run that parsed articles found its article selectors rotten: a
    night that fetched none says nothing about its markup, so the rot stays named until one does."""
    for n in mine:  # newest first
        counts = n.counts[name]
        if counts.get("pages_fetched", 1) > 0:  # runs stored before the count existed: as they said
            return bool(counts.get("article_selectors_nothing", 0))
    return False


def rested_entry_points(
    database: Database, sites: Sequence[Site], *, now: datetime | None = None
) -> list[GoneEntry]:
    """The gone entry points not to request tonight: their last failed request is under a week old."""
    tonight = vn_date(now or datetime.now(UTC))
    return [g for g in _gone(database, sites, _nights(database)) if tonight - g.last_checked < GONE_RECHECK]


def _gone(database: Database, sites: Sequence[Site], history: list[_Night]) -> list[GoneEntry]:
    """Entry points that failed as gone on ``GONE_NIGHTS`` distinct nights with no good night since."""
    found: list[GoneEntry] = []
    for site in sites:
        urls = [u for u in site.entry_points if "{" not in u]  # a monthly template is a new URL each month
        runs = [n for n in history if site.name in n.counts]
        if not urls or not runs:
            continue
        marks = ", ".join("?" for _ in urls)
        errors: dict[tuple[int, str], str] = {}
        for run_id, url, kind, message in database.execute(
            f"SELECT run_id, url, kind, message FROM run_errors WHERE site = ? AND url IN ({marks}) "
            f"AND kind IN ({', '.join('?' for _ in (*GONE_KINDS, RESTED))})",
            [site.name, *urls, *GONE_KINDS, RESTED],
        ):
            if kind == "unreachable" and "connect" not in str(message):
                continue  # robots.txt answered 5xx or timed out: a bad night, not a gone host
            errors.setdefault((int(run_id), str(url)), f"{kind}: {message}")
        for url in urls:
            bad_nights: set[date] = set()
            last_error = ""
            for n in runs:  # newest first, back to the last night it answered
                error = errors.get((n.run_id, url))
                if error is None:
                    break
                if error.startswith(RESTED):
                    continue
                bad_nights.add(n.night)
                last_error = last_error or error
            if len(bad_nights) >= GONE_NIGHTS:
                found.append(GoneEntry(site.name, url, len(bad_nights), max(bad_nights), last_error))
    return found


def _nights(database: Database) -> list[_Night]:
    """The finished runs that stored per-site counts, newest first."""
    rows = database.execute(
        "SELECT id, started_at, counts FROM runs WHERE status != 'running' "
        "ORDER BY started_at DESC, id DESC LIMIT ?",
        [_HISTORY],
    ).fetchall()
    out: list[_Night] = []
    for run_id, started, counts in rows:
        per_site = json.loads(counts or "{}").get("sites")
        when = from_text(started)
        if isinstance(per_site, dict) and when is not None:
            out.append(_Night(int(run_id), vn_date(when), per_site))
    return out


def rest_gone_entry_points(
    database: Database, sites: Sequence[Site], options: CrawlOptions, report: RunReport, *, now: datetime
) -> CrawlOptions:
    """The options of tonight's crawl with gone entry points left alone (``CrawlOptions.rest``), each
    recorded in the report as an ``entry-rested`` error naming when it is asked again."""
    rested = rested_entry_points(database, sites, now=now)
    for g in rested:
        again = g.last_checked + GONE_RECHECK
        report.add_error(
            db.RunError(
                g.site,
                g.url,
                RESTED,
                f"gone for {g.nights} nights ({g.last_error}); not requested until {again.isoformat()}: "
                "fix or remove this entry point in the sites file",
            )
        )
    return replace(options, rest=options.rest | {g.url for g in rested})


def record_attention(database: Database, run_id: int | None, sites: Sequence[Site]) -> list[str]:
    """Compute the health of the run's sites, add it to the run's ``run_errors`` (``health-*`` and
    ``entry-gone`` rows) and return its phrases for the summary line."""
    found = health(database, sites)
    errors = [
        db.RunError(s, None, "health-no-yield", f"no article for {found.nights} nights")
        for s in found.no_yield
    ]
    errors += [
        db.RunError(s, None, "health-entry-points", "every entry point failed")
        for s in found.entry_points_failed
    ]
    errors += [
        db.RunError(g.site, g.url, "entry-gone", f"gone for {g.nights} nights ({g.last_error}); asked weekly")
        for g in found.gone
    ]
    if run_id is not None:
        db.add_run_errors(database, run_id, errors)
    return found.lines()
