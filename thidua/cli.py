"""The ``thidua`` command line: parses arguments, calls ``thidua.app``, and turns our errors into one
line and an exit code. Nothing here crawls, extracts or stores by itself."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from thidua.console import (
    DATE,
    DB_OPTION,
    SITES_OPTION,
    ThiduaGroup,
    command_help,
    db_option,
    setup_logging,
)
from thidua.errors import PartialRunError, UsageError

log = logging.getLogger("thidua")

EXAMPLES = {
    "crawl": "thidua crawl --db thidua.db --site nld --since 2026-01-01",
    "extract": "thidua extract article.txt --published 2026-03-06 --json",
    "reextract": "thidua reextract --db thidua.db",
    "stats": "thidua stats --db thidua.db",
    "serve": "thidua serve thidua.db --port 8001",
    "demo": "thidua demo && thidua serve demo.db",
    "export": "thidua export --format parquet --since 2025-01-01 events.parquet",
}


@click.group(cls=ThiduaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Every page fetched, on stderr.")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
@click.version_option(package_name="thidua")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool, debug: bool) -> None:
    """Find emulation-cluster meetings ("Cụm thi đua …", "Khối thi đua …") in Vietnamese news and
    keep them as structured events in one SQLite file.

    \b
    Examples:
        thidua crawl --db thidua.db        # the nightly job
        thidua demo                        # offline: local fixture sites, crawled into demo.db
        thidua serve thidua.db             # browse with Datasette
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    setup_logging(level)


def _help(text: str, command: str) -> str:
    return command_help(text, EXAMPLES[command])


@cli.command(
    help=_help(
        "Discover, fetch, parse, extract and store: the nightly job. Fetches only what is new since the "
        "last run. Page errors are logged and stored and the run still exits 0; it exits 3 when a site "
        "failed as a whole (aborted, or every article failed), 1 when no site answered at all or the disk "
        "filled up (free space and rerun: it resumes), 2 on bad arguments.",
        "crawl",
    )
)
@DB_OPTION
@SITES_OPTION
@click.option("--site", "site_names", multiple=True, help="Crawl only this site (repeatable).")
@click.option("--since", type=DATE, help="Skip what was published before this date.")
@click.option("--max-pages", type=click.IntRange(min=1), help="At most this many article pages per site.")
@click.option("--full", is_flag=True, help="Walk listings to the end and fetch every article (backfill).")
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    help="Seconds between two requests to one host, for every site (default: each site's own).",
)
@click.option(
    "--site-budget",
    type=click.FloatRange(min=0, min_open=True, max=86400),
    callback=lambda _ctx, param, value: _finite(param, value),
    metavar="SECONDS",
    help="Seconds each site's run may take, for every site (default: each site's 'budget' key, else no "
    "limit); a site over it stops between pages and the rest waits for the next run.",
)
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds per request."
)
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write every response fetched into size-rotated .warc.gz files in this folder "
    "(default: the sites file's [crawl] archive), for `thidua reparse` and `thidua backfill`.",
)
def crawl(
    db_path: Path,
    sites_file: Path | None,
    site_names: Sequence[str],
    since: dt.date | None,
    max_pages: int | None,
    full: bool,
    delay: float | None,
    site_budget: float | None,
    timeout: float,
    archive: Path | None,
) -> None:
    from thidua import app
    from thidua.archiving import archive_target

    sites = app.select_sites(app.load_sites(sites_file), site_names)
    options = app.CrawlOptions(
        since=since, max_pages=max_pages, full=full, delay=delay, timeout=timeout, site_budget=site_budget
    )
    _crawl(db_path, sites, options, command="crawl", archive=archive_target(archive, sites_file))


def _finite(param: click.Parameter, value: float | None) -> float | None:
    """Refuse ``nan``, which every range check lets through (``nan > 0`` and ``nan <= 0`` are False)."""
    if value is not None and value != value:
        raise click.BadParameter("nan is not a number of seconds", param=param)
    return value


def _crawl(db_path: Path, sites: Sequence[Any], options: Any, *, command: str, archive: Any = None) -> Any:
    from thidua import app
    from thidua.progress import progress_display

    with (
        app.opened(db_path) as database,
        progress_display(
            [s.name for s in sites], enabled=sys.stdout.isatty() and log.isEnabledFor(logging.INFO)
        ) as show,
    ):

        def on_progress(site: str, message: str) -> None:
            show(site, message)
            log.debug("%s: %s", site, message)

        def on_site_done(site: str, message: str) -> None:
            log.info("site %s: %s", site, message)

        log.info("crawl of %d site(s) into %s", len(sites), db_path)
        report = app.crawl(
            database,
            sites,
            options,
            command=command,
            on_progress=on_progress,
            on_site_done=on_site_done,
            archive=archive,
        )
    if archive is not None:
        log.info("responses archived in %s", archive.folder)
    log.info("run %s done: %s", report.run_id, report.line())
    if report.status == "partial":
        raise PartialRunError(
            f"run {report.run_id} completed, but {', '.join(report.failed_sites)} failed as a whole "
            "(the site's crawl was aborted, or every article it had failed); its errors are in "
            f"run_errors (`thidua stats --db {db_path}`)"
        )
    return report


def _require(db_path: Path) -> None:
    if not db_path.exists():
        raise UsageError(f"{db_path} does not exist; run `thidua crawl --db {db_path}` first")


@cli.command(
    "extract",
    help=_help(
        "Print the events an article text reports (title, lead and body separated by blank lines). "
        "FILE may be - for standard input. Nothing is stored.",
        "extract",
    ),
)
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
)
@click.option("--published", type=DATE, help="The article's publication date, for years the text leaves out.")
@click.option(
    "--source",
    metavar="URL",
    help="The article's URL: its site's body (and its sites.toml system) may be the system, as in a crawl.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event and line.")
def extract_command(
    files: Sequence[Path], published: dt.date | None, source: str | None, as_json: bool
) -> None:
    from extract import event_to_dict, format_events
    from thidua import app

    for file in files:
        text = sys.stdin.read() if str(file) == "-" else _read_text(file)
        events = app.text_events(text, published, source)
        if as_json:
            for event in events:
                click.echo(json.dumps({"file": str(file), **event_to_dict(event)}, ensure_ascii=False))
        else:
            click.echo(f"{file}: {len(events)} event(s)")
            if events:
                click.echo(format_events(events))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


@cli.command(
    help=_help(
        "Recompute the events of stored articles whose extractor version is older than this thidua's.",
        "reextract",
    )
)
@DB_OPTION
@click.option("--force", is_flag=True, help="Recompute every article, whatever its version.")
def reextract(db_path: Path, force: bool) -> None:
    from thidua import app

    _require(db_path)
    result = app.reextract(db_path, force=force)
    click.echo(f"re-extracted {result.articles} article(s): {result.events} event(s) now")


@cli.command(
    help=_help(
        "Counts, the latest run, the sites with errors, and the sites' health: no article for N "
        "nights, every entry point failed, a listing or article selector that matched nothing, "
        "entry points gone.",
        "stats",
    )
)
@DB_OPTION
@SITES_OPTION
@click.option(
    "--nights", type=click.IntRange(min=1), default=14, show_default=True, help="Nights without articles."
)
@click.option("--json", "as_json", is_flag=True, help="The same as one JSON object.")
def stats(db_path: Path, sites_file: Path | None, nights: int, as_json: bool) -> None:
    from thidua import app

    _require(db_path)
    data = app.stats(db_path, app.load_sites(sites_file), nights=nights)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, default=str, indent=2))
        return
    click.echo(_format_stats(data))


def _format_stats(data: dict[str, Any], indent: str = "") -> str:
    lines: list[str] = []
    for key, value in data.items():
        label = key.replace("_", " ")
        if isinstance(value, dict):
            lines.append(f"{indent}{label}:")
            lines.append(_format_stats(value, indent + "  ") if value else f"{indent}  (none)")
        elif isinstance(value, list | tuple) and value and isinstance(value[0], dict):
            lines.append(f"{indent}{label}:")  # records (gone entry points): one line each
            lines += [f"{indent}  - " + ", ".join(f"{k} {v}" for k, v in item.items()) for item in value]
        elif isinstance(value, list | tuple):
            lines.append(f"{indent}{label}: {', '.join(map(str, value)) if value else '(none)'}")
        else:
            lines.append(f"{indent}{label}: {value if value is not None else '-'}")
    return "\n".join(lines)


@cli.command(
    "export",
    help=_help(
        "Write the stored events for pandas, DuckDB or a spreadsheet: JSON lines with members and "
        "officials nested, CSV with them flattened, or typed Parquet. OUT may be - (jsonl, csv).",
        "export",
    ),
)
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@DB_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True
)
@click.option("--since", type=DATE, help="Only events on or after this date.")
def export_command(out: Path, db_path: Path, fmt: str, since: dt.date | None) -> None:
    from thidua import app

    _require(db_path)
    count = app.export(db_path, out, fmt=fmt, since=since)
    log.info("exported %d event(s) to %s", count, out)


@cli.command(
    help=_help(
        "Browse the database with Datasette, read-only, on 127.0.0.1 with thidua's metadata "
        "(facets, labels, canned queries).",
        "serve",
    )
)
@click.argument("database", type=click.Path(dir_okay=False, path_type=Path), default=Path("thidua.db"))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
def serve(database: Path, host: str, port: int) -> None:
    from db.datasette import serve_args
    from thidua import app

    _require(database)
    app.stats(database)  # fails here, with one line, on a foreign or too-new file
    argv = [sys.executable, "-m", "datasette", *serve_args(database, host=host, port=port)]
    log.info("serving %s on http://%s:%d/, charts at /-/dashboards (Ctrl-C to stop)", database, host, port)
    sys.stdout.flush()
    os.execv(sys.executable, argv)


@cli.command(
    help=_help(
        "Serve the bundled fixture sites on 127.0.0.1 and crawl them into demo.db with the real "
        "crawler: the whole pipeline, offline. Replaces an earlier demo database, never another file.",
        "demo",
    )
)
@db_option("demo.db", "Where to write the demo database.")
def demo(db_path: Path) -> None:
    from thidua import app
    from thidua.demo import DEMO_OPTIONS, demo_sites

    if db_path.exists() and not app.is_demo_database(db_path):
        raise UsageError(
            f"{db_path} is not a demo database (it holds runs other than `thidua demo`): "
            "give the demo its own file with --db"
        )
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    with demo_sites() as (sites, server):
        log.info("fixture sites: %s", ", ".join(server.base_url(s.name) for s in sites))
        report = _crawl(db_path, sites, DEMO_OPTIONS, command="demo")
    click.echo(f"demo: {report.line()}")
    click.echo(f"browse it with:  thidua serve {db_path}")


# Commands kept in modules of their own, each listing them in COMMANDS; a new group of commands
# adds its module here and nowhere else in this file.
from thidua import cli_entities, cli_history, cli_sites  # noqa: E402

for _module in (cli_history, cli_sites, cli_entities):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point of the ``thidua`` console script."""
    cli(prog_name="thidua")
