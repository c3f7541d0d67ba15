"""``thidua sites check``: what each configured site offers, for the operator with network access.

The checking is ``thidua.sitescheck``, the file writing ``thidua.siteswrite``; this module parses
arguments, prints the report and turns it into an exit code (0 all answered, 3 some site is dead or
moved, 2 bad arguments)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import click

from thidua.console import SITES_OPTION, command_help
from thidua.errors import PartialRunError, UsageError
from thidua.sitescheck import CheckReport, SiteCheck

log = logging.getLogger("thidua")

EXAMPLE = "thidua sites check --site baolamdong --write reviewed-sites.toml"


@click.group("sites")
def sites_group() -> None:
    """The sites file: check what its sites offer."""


@sites_group.command(
    "check",
    help=command_help(
        "Fetch each site's robots.txt and home page politely and report what they offer: feeds, "
        "sitemaps, listing pages, the CMS family, whether generic parsing finds title, date and body "
        "on one article; dead or moved hosts are marked. --write writes the discovered entry points "
        "as a sites file to review. Exits 3 when a site is dead or moved.",
        EXAMPLE,
    ),
)
@SITES_OPTION
@click.option("--site", "site_names", multiple=True, help="Check only this site (repeatable).")
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the sites with their discovered entry points to this file.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per site and line.")
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds per request."
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    help="Seconds between two requests to one host (default: the site's).",
)
def check(
    sites_file: Path | None,
    site_names: Sequence[str],
    write_to: Path | None,
    as_json: bool,
    timeout: float,
    delay: float | None,
) -> None:
    from thidua import app
    from thidua.sitescheck import check_sites_sync
    from thidua.siteswrite import sites_file_text

    sites = app.select_sites(app.load_sites(sites_file), site_names)
    if write_to is not None and write_to.exists() and write_to.is_dir():
        raise UsageError(f"--write {write_to} is a directory; give a file name")
    report = check_sites_sync(sites, timeout=timeout, delay=delay)
    for one in report.sites:
        click.echo(json.dumps(one.as_dict(), ensure_ascii=False) if as_json else format_check(one))
    if write_to is not None:
        write_to.write_text(sites_file_text(sites, report), encoding="utf-8")
        log.info(
            "wrote %d site(s) to %s: review it, then crawl with --sites %s", len(sites), write_to, write_to
        )
    _exit(report)


def format_check(check: SiteCheck) -> str:
    """A few lines for one site: its state, then each entry point found."""
    head = f"{check.site}: {check.state}"
    if check.problem:
        head += f" ({check.problem})"
    if check.state in ("ok", "empty"):
        head += f"; CMS {check.cms or 'unknown'}"
        if check.article is not None:
            a = check.article
            head += f"; article: title {_yes(a.title)}, date {_yes(a.published)}, body {_yes(a.body)}"
    lines = [head]
    lines += [f"  feed     {u}" for u in check.feeds]
    lines += [f"  sitemap  {u}" for u in check.sitemaps]
    lines += [f"  listing  {u}" for u in check.listings]
    if check.moved_to:
        lines.append(f"  moved to {check.moved_to}")
    return "\n".join(lines)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _exit(report: CheckReport) -> None:
    gone = report.dead_or_moved
    if gone:
        names = ", ".join(f"{s.site} ({s.state})" for s in gone)
        raise PartialRunError(f"{len(gone)} of {len(report.sites)} site(s) need a new entry: {names}")


COMMANDS = [sites_group]
