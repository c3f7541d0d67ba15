"""The commands that bring pages in without the nightly crawl: ``ingest`` (saved HTML pages),
``backfill`` (web archives) and ``reparse`` (the crawl's own archive, parsed again). Each calls the
application's jobs and nothing else."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from thidua.console import DATE, DB_OPTION, SITES_OPTION, command_help
from thidua.errors import UsageError

if TYPE_CHECKING:
    from thidua.progress import FileTally

log = logging.getLogger("thidua")

EXAMPLES = {
    "ingest": "thidua ingest saved-pages/ --db thidua.db",
    "reparse": "thidua reparse --archive archive/ --db thidua.db --since 2026-01-01",
    "backfill": "thidua backfill warc.paths.gz --base /data/commoncrawl --db thidua.db --since 2024-03-01",
}


@click.command(
    help=command_help(
        "Store saved HTML pages (files or folders of *.html) without the network: parse, extract, store.",
        EXAMPLES["ingest"],
    )
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@DB_OPTION
@click.option("--url", help="The page's URL, for a single page saved without its canonical link.")
def ingest(paths: Sequence[Path], db_path: Path, url: str | None) -> None:
    from thidua import app

    pages = app.saved_pages(paths)
    if not pages:
        raise UsageError("no *.html or *.htm pages in " + ", ".join(map(str, paths)))
    if url is not None and len(pages) != 1:
        raise UsageError(f"--url names one page, but {len(pages)} pages were given")
    report = app.ingest(db_path, pages, log=log.warning, url=url)
    log.info("ingest of %d page(s) done: %s", len(pages), report.line())


@click.command(
    help=command_help(
        "Read web archives into the database: SOURCE is a WARC file (.warc, .warc.gz), a folder of them "
        "or a Common Crawl warc.paths(.gz) list (its relative paths resolved against --base, default "
        "the list's folder), or an http(s) or s3 URL of a file or list (pip install 'thidua[remote]', "
        "'thidua[s3]'), streamed. Keeps the pages of the configured sites (or any .vn host with --all-vn) "
        "that pass the relevance gate and were published in the window; each file is stored whole "
        "with its row in warc_files, a rerun skips finished files, a damaged file is recorded as "
        "failed and the others proceed. Exits 1 when every file read failed, 2 on bad arguments.",
        EXAMPLES["backfill"],
    )
)
@click.argument("sources", nargs=-1, required=True)  # paths or URLs: checked by the job
@DB_OPTION
@SITES_OPTION
@click.option("--site", "site_names", multiple=True, help="Keep only this site's pages (repeatable).")
@click.option("--all-vn", is_flag=True, help="Keep pages of any .vn host too, configured or not.")
@click.option("--since", type=DATE, help="Skip what was published before this date.")
@click.option("--until", type=DATE, help="Skip what was published after this date.")
@click.option(
    "--base",
    help="Folder or URL the relative paths of a warc.paths list are resolved against (a local mirror, "
    "or https://data.commoncrawl.org/).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Read the files on a local Dask cluster of N processes (pip install 'thidua[dask]').",
)
@click.option("--scheduler", metavar="ADDRESS", help="Read the files on an existing Dask cluster (tcp://…).")
def backfill(
    sources: Sequence[str],
    db_path: Path,
    sites_file: Path | None,
    site_names: Sequence[str],
    all_vn: bool,
    since: dt.date | None,
    until: dt.date | None,
    base: str | None,
    workers: int | None,
    scheduler: str | None,
) -> None:
    from thidua import app

    sites = app.select_sites(app.load_sites(sites_file), site_names)
    with file_progress() as (on_file_done, on_progress):
        report = app.backfill(
            db_path,
            sources,
            sites,
            all_vn=all_vn,
            since=since,
            until=until,
            base=base,
            on_file_done=on_file_done,
            on_progress=on_progress,
            workers=workers,
            scheduler=scheduler,
        )
    log.info("backfill run %s done: %s", report.run_id, report.line())


@contextmanager
def file_progress() -> Iterator[tuple[Callable[[str, str], None], Callable[[FileTally], None]]]:
    """The two callbacks of a run over files: on a terminal a rich bar (the per-file lines only
    with -v), under cron one INFO line per file on stderr."""
    from thidua.progress import files_display  # rich, only for the commands that show it

    enabled = sys.stdout.isatty() and log.isEnabledFor(logging.INFO)
    level = logging.DEBUG if enabled else logging.INFO
    with files_display(enabled=enabled) as show:
        yield (lambda path, line: log.log(level, "%s", line)), show


@click.command(
    help=command_help(
        "Parse the archived pages of `thidua crawl --archive` again with this thidua's parser and the "
        "sites file as it is now, re-extract them and update the stored articles and events: no "
        "request is made. Takes, per article URL the database knows, its latest archived capture "
        "(fetched on or after --since). Each article is its own transaction; a second run changes "
        "nothing. Exits 2 on bad arguments.",
        EXAMPLES["reparse"],
    )
)
@DB_OPTION
@SITES_OPTION
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="The archive folder (default: the sites file's [crawl] archive).",
)
@click.option("--since", type=DATE, help="Only captures fetched on or after this date.")
def reparse(db_path: Path, sites_file: Path | None, archive: Path | None, since: dt.date | None) -> None:
    from thidua import app
    from thidua.archiving import archive_target
    from thidua.reparse import reparse as run

    sites = app.load_sites(sites_file)
    target = archive_target(archive, sites_file)
    if target is None:
        raise UsageError("no archive to reparse: give --archive DIR or set [crawl] archive in the sites file")
    with file_progress() as (on_file_done, on_progress):
        report = run(
            db_path, target.folder, sites, since=since, on_file_done=on_file_done, on_progress=on_progress
        )
    log.info("reparse run %s done: %s", report.run_id, report.line())


COMMANDS = [ingest, backfill, reparse]
