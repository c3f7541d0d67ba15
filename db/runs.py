"""Sources, crawl runs and their errors, and the summary ``thidua stats`` prints."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Protocol

import sqlite_utils

from db.errors import DatabaseError
from db.frontier import to_text
from db.migrations import schema_version
from db.transaction import transaction
from db.values import compact_json

#: Tables ``stats`` counts, in the order it reports them.
COUNTED = (
    "sources",
    "urls",
    "articles",
    "events",
    "event_reports",
    "event_members",
    "event_officials",
    "clusters",
    "units",
    "people",
    "runs",
    "run_errors",
)
FINAL_STATUSES = ("ok", "partial", "failed")
#: The status ``start_run`` gives runs an earlier process left "running" when it died.
KILLED = "killed"


class SourceLike(Protocol):
    """What db reads of ``scraper.sites.Site``."""

    @property
    def name(self) -> str: ...
    @property
    def hosts(self) -> tuple[str, ...]: ...
    @property
    def start(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class RunError:
    """One error met during a run: ``RunError("nld", "https://nld.com.vn/x.htm", "http", "HTTP 503")``."""

    site: str | None
    url: str | None
    kind: str
    message: str


@dataclass(frozen=True)
class Stats:
    """What the database holds: row counts per table, the latest run, the sites with errors in it."""

    counts: Mapping[str, int]
    latest_run: Mapping[str, Any] | None
    sites_with_errors: tuple[str, ...]
    schema_version: int = 0
    events_without_date: int = 0
    extractor_versions: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


def upsert_sources(database: sqlite_utils.Database, sites: Iterable[SourceLike]) -> None:
    """Insert or update one ``sources`` row per site (hosts and start URLs as JSON arrays)."""
    with transaction(database):
        for site in sites:
            database.execute(
                "INSERT INTO sources (name, hosts, start) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET hosts = excluded.hosts, start = excluded.start",
                [site.name, compact_json(list(site.hosts)), compact_json(list(site.start))],
            )


def start_run(
    database: sqlite_utils.Database, *, command: str, sites: Sequence[str], now: datetime | None = None
) -> int:
    """Record that ``command`` started over ``sites`` (now, or at ``now``) and return the run id.

    Runs still "running" are closed as "killed" first: the caller holds the database lock (every
    thidua job does), so no other run can be alive, and a process killed mid-run left its row open.
    """
    with transaction(database):
        database.execute(
            "UPDATE runs SET status = ?, finished_at = ? WHERE status = 'running'",
            [KILLED, to_text(now or datetime.now(UTC))],
        )
        cursor = database.execute(
            "INSERT INTO runs (command, sites, started_at, status) VALUES (?, ?, ?, 'running')",
            [command, compact_json(list(sites)), to_text(now or datetime.now(UTC))],
        )
        return int(cursor.lastrowid or 0)


def finish_run(
    database: sqlite_utils.Database,
    run_id: int,
    *,
    status: str,
    counts: Mapping[str, int],
    errors: Sequence[RunError],
    now: datetime | None = None,
    sites: Mapping[str, Mapping[str, int]] | None = None,
) -> None:
    """Close run ``run_id``: status "ok" (completed, maybe with page errors), "partial" (completed,
    but a site failed as a whole) or "failed", its counters and its errors, in one transaction.
    ``sites`` (per-site counts, what nightly health reads) is stored as ``counts["sites"]``.
    Raises DatabaseError for an unknown run or status."""
    if status not in FINAL_STATUSES:
        raise DatabaseError(f"run status {status!r} is not one of {FINAL_STATUSES}")
    with transaction(database):
        row = database.execute("SELECT errors FROM runs WHERE id = ?", [run_id]).fetchone()
        if row is None:
            raise DatabaseError(f"no run {run_id} in this database: start_run returns the id to finish")
        database.conn.executemany(
            "INSERT INTO run_errors (run_id, site, url, kind, message) VALUES (?, ?, ?, ?, ?)",
            [(run_id, e.site, e.url, e.kind, e.message) for e in errors],
        )
        database.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ?, errors = ? WHERE id = ?",
            [
                to_text(now or datetime.now(UTC)),
                status,
                compact_json(_with_sites(counts, sites)),
                int(row[0]) + len(errors),
                run_id,
            ],
        )


def _with_sites(counts: Mapping[str, int], sites: Mapping[str, Mapping[str, int]] | None) -> dict[str, Any]:
    out: dict[str, Any] = dict(sorted(counts.items()))
    if sites is not None:
        out["sites"] = {name: dict(sorted(c.items())) for name, c in sorted(sites.items())}
    return out


def add_run_errors(database: sqlite_utils.Database, run_id: int, errors: Sequence[RunError]) -> None:
    """Add errors found after run ``run_id`` closed (its health) to ``run_errors``, in one transaction."""
    if not errors:
        return
    with transaction(database):
        database.conn.executemany(
            "INSERT INTO run_errors (run_id, site, url, kind, message) VALUES (?, ?, ?, ?, ?)",
            [(run_id, e.site, e.url, e.kind, e.message) for e in errors],
        )
        database.execute("UPDATE runs SET errors = errors + ? WHERE id = ?", [len(errors), run_id])


def stats(database: sqlite_utils.Database) -> Stats:
    """Summarise the database: rows per table, the latest run (as a dict), sites with errors in it."""
    counts = {t: int(database.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in COUNTED}
    latest = database.execute("SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT 1")
    names = [d[0] for d in latest.description]
    row = latest.fetchone()
    latest_run: dict[str, Any] | None = None
    sites: tuple[str, ...] = ()
    if row:
        latest_run = dict(zip(names, row, strict=True))
        latest_run["sites"] = json.loads(latest_run["sites"])
        # Per-site counts are what nightly health reads (thidua.health); the summary keeps the totals.
        latest_run["counts"] = {k: v for k, v in json.loads(latest_run["counts"]).items() if k != "sites"}
        sites = tuple(
            r[0]
            for r in database.execute(
                "SELECT DISTINCT site FROM run_errors WHERE run_id = ? AND site IS NOT NULL ORDER BY site",
                [latest_run["id"]],
            )
        )
    undated = int(database.execute("SELECT count(*) FROM events WHERE event_date IS NULL").fetchone()[0])
    versions = {
        str(r[0]): int(r[1])
        for r in database.execute(
            "SELECT extractor_version, count(*) FROM articles GROUP BY extractor_version ORDER BY 1"
        )
    }
    return Stats(
        counts=MappingProxyType(counts),
        latest_run=MappingProxyType(latest_run) if latest_run else None,
        sites_with_errors=sites,
        schema_version=schema_version(database),
        events_without_date=undated,
        extractor_versions=MappingProxyType(versions),
    )
