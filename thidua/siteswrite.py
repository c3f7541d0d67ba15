"""Write what ``thidua sites check`` found as a sites file an operator reviews before using it.

The TOML itself is written by tomli-w (the writer half of tomli, whose reader is the standard
library's ``tomllib``): selectors and regexes hold quotes and backslashes, which hand-made escaping
gets wrong; what tomli-w writes, ``tomllib`` (and so ``scraper.sites.load_sites``) reads back. This
module only arranges the file: sites that answered first, then those that need review, each entry
under a comment saying what was found and when. Discovered entry points replace ``start``; every other
key is kept from the site's entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import tomli_w

from scraper.sites import DEFAULT_DELAY, Site
from thidua.sitescheck import CheckReport, SiteCheck


def site_table(site: Site, start: Sequence[str] | None = None) -> dict[str, Any]:
    """The ``[[site]]`` table of a site, keys in the packaged file's order, defaults left out."""
    table: dict[str, Any] = {"name": site.name, "hosts": list(site.hosts)}
    if site.home:
        table["home"] = site.home
    chosen = list(start) if start is not None else list(site.start)
    if chosen:
        table["start"] = chosen
    for key in ("system", "status", "article_url"):
        if getattr(site, key) is not None:
            table[key] = getattr(site, key)
    if site.delay != DEFAULT_DELAY:
        table["delay"] = site.delay
    if site.search:
        table["search"] = list(site.search)
    if not site.gate:
        table["gate"] = False
    if site.selectors:
        table["selectors"] = dict(site.selectors)
    return table


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _comment(check: SiteCheck) -> list[str]:
    day = check.checked_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# {check.site}: checked {day}, {check.state}" + (f": {check.problem}" if check.problem else "")
    ]
    if check.moved_to:
        lines.append(f"#   the home page redirects to {check.moved_to}: update hosts and home")
    if check.state in ("ok", "empty"):
        lines.append(
            f"#   robots {check.robots or '-'}; CMS {check.cms or 'unknown'}; feeds {len(check.feeds)}, "
            f"sitemaps {len(check.sitemaps)}, listings {len(check.listings)}"
        )
    if check.article is not None:
        a = check.article
        found = f"title {_yes(a.title)}, date {_yes(a.published)}, body {_yes(a.body)}"
        lines.append(f"#   generic parsing of {a.url}: {found}" + (f" ({a.error})" if a.error else ""))
    return lines


def sites_file_text(sites: Sequence[Site], report: CheckReport, *, now: datetime | None = None) -> str:
    """The text of the reviewed sites file for ``sites`` as ``report`` found them."""
    by_name = {c.site: c for c in report.sites}
    when = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    good = [s for s in sites if s.name in by_name and by_name[s.name].state == "ok"]
    review = [s for s in sites if s not in good]
    out = [
        f"# Sites file written by `thidua sites check` on {when}: review it, then crawl with --sites.",
        "# For each site that answered, the entry points found (feeds, sitemaps, listing pages) are its",
        '# `start`; the sites under "Needs review" keep their entry as it was.',
    ]
    for title, group in (
        ("Sites that answered", good),
        ("Needs review: dead, moved or nothing found", review),
    ):
        if not group:
            continue
        out += ["", f"# ── {title} ({len(group)}) ──"]
        for site in group:
            check = by_name.get(site.name)
            start = check.entry_points if check is not None and check.state == "ok" else None
            out.append("")
            if check is not None:
                out += _comment(check)
            out.append(tomli_w.dumps({"site": [site_table(site, start)]}).rstrip("\n"))
    return "\n".join(out) + "\n"
