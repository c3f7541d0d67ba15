"""Benchmark the database: store 100,000 synthetic events, then time every canned query.

    python bench/db_bench.py [--events 100000] [--repeat 30] [--pages 5] [--keep PATH | --only-read PATH]

Events are fixture-shaped (``db_synthetic``). Prints the insert rate (events per CPU-second of this
process and per wall second: bulk through ``db.store_articles``, then nightly through
``db.store_article``, one transaction per article; ``bench/db_write_bench.py`` compares checkouts), the
file size, and median / p95 per canned query (taken from ``db.datasette.metadata()``, or the built-in
list when that module is missing) twice: on SQLite with the project's SQL functions, then as the
canned-query page through Datasette (its own client, in-process, the queries alternating within each
round); then the median and slowest time of Datasette pages: ``members_by_year``,
``officials_appearances``, ``events_view`` browsed whole, and filtered.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from db_synthetic import synthetic_articles

from db import RunError, finish_run, open_database, start_run, store_article, store_articles

# The canned queries, for when db/datasette.py is not there.
FALLBACK_QUERIES: dict[str, str] = {
    "events_by_year_and_cluster": "SELECT * FROM events_view WHERE year = :year AND cluster_id = :cluster "
    "ORDER BY event_date",
    "cluster_timeline": "SELECT year, unit, role FROM members_by_year WHERE cluster_id = :cluster "
    "ORDER BY year, role IS NULL, unit",
    "official_appearances": "SELECT * FROM officials_appearances WHERE person_id = "
    "(SELECT id FROM people WHERE name = :name) ORDER BY event_date",
    "events_in_date_range": "SELECT * FROM events_view WHERE event_date BETWEEN :start AND :end "
    "ORDER BY event_date",
    "latest_runs": "SELECT r.*, (SELECT group_concat(message, '; ') FROM run_errors WHERE run_id = r.id) "
    "AS errs FROM runs r ORDER BY started_at DESC LIMIT 20",
    "articles_missing_dates": "SELECT DISTINCT a.id, a.canonical_url, a.title FROM events e "
    "JOIN event_reports r ON r.event_id = e.id JOIN articles a ON a.id = r.article_id "
    "WHERE e.event_date IS NULL ORDER BY a.published DESC LIMIT 100",
}


def canned_queries() -> tuple[str, dict[str, str]]:
    """(where they come from, name → SQL) of the canned queries to time."""
    try:
        from db.datasette import metadata
    except ImportError:
        return "built-in list (db/datasette.py missing)", FALLBACK_QUERIES
    databases = metadata().get("databases", {})
    queries = next(iter(databases.values()), {}).get("queries", {})
    return "db.datasette.metadata()", {name: q["sql"] for name, q in queries.items()}


#: How a cluster is named in a canned query: by id, or by kind, number and part of the system typed
#: without accents, as an analyst would ("cum", "3", "thanh hoa").
CLUSTER_PARAMS = ("cluster_id", "kind", "number", "system", "label")


def param_picker(conn: Any, rng: random.Random) -> Callable[[list[str]], dict[str, str]]:
    """A function giving realistic values for the named parameters of a canned query."""
    from db.sql_functions import thidua_fold

    clusters = conn.execute("SELECT id, kind, number, system FROM clusters").fetchall()
    names = [r[0] for r in conn.execute("SELECT name FROM people")]
    run_ids = [r[0] for r in conn.execute("SELECT id FROM runs ORDER BY id DESC LIMIT 30")]

    def one(name: str) -> str:
        if name == "year":
            return str(rng.randint(2018, 2026))
        if name in {"name", "person", "official"}:
            return str(thidua_fold(rng.choice(names)))
        if name == "activity":
            return rng.choice(["", "signing", "review"])
        if name in {"run", "run_id"}:
            return str(rng.choice(run_ids))
        return ""

    def pick(params: list[str]) -> dict[str, str]:
        values = {p: one(p) for p in params}
        if set(CLUSTER_PARAMS) & set(params):
            cluster_id, kind, number, system = rng.choice(clusters)
            if rng.random() < 0.5:
                values["cluster_id"] = str(cluster_id)
            else:
                values.update(kind=str(thidua_fold(kind)), number=str(number or ""))
                values["system"] = str(thidua_fold(system or "")).removeprefix("tinh ")
        if "start" in values or "end" in values:
            begin = dt.date(rng.randint(2018, 2026), rng.randint(1, 12), 1)
            values["start"], values["end"] = begin.isoformat(), (begin + dt.timedelta(days=30)).isoformat()
        return values

    return pick


def query_parameters(sql: str) -> list[str]:
    """The parameters an analyst gives a canned query: its ``:names`` less Datasette's magic ``:_…``."""
    return sorted({p for p in re.findall(r"(?<!:):(\w+)", sql) if not p.startswith("_")})


def whole_result() -> dict[str, int]:
    """The magic parameters an export gives (every row: ``:_page_rows`` is ``LIMIT -1``), or none."""
    try:
        from db.datasette import ALL_ROWS, PAGE_ROWS_PARAMETER
    except ImportError:
        return {}
    return {PAGE_ROWS_PARAMETER: ALL_ROWS}


def time_queries(path: Path, repeat: int, seed: int = 4) -> list[tuple[str, float, float, int]]:
    """(query, median ms, p95 ms, rows of the last run) for every canned query, on a fresh connection,
    fetching the whole result (as an export does, not the HTML page's first rows)."""
    import sqlite3

    source, queries = canned_queries()
    print(f"canned queries from {source}: {len(queries)}")
    from db.sql_functions import prepare

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    prepare(conn)  # thidua_fold, as Datasette's connections have it through the plugin
    rng = random.Random(seed)
    pick = param_picker(conn, rng)
    results = []
    for name, sql in queries.items():
        params = query_parameters(sql)
        timings, rows = [], 0
        for _ in range(repeat):
            values: dict[str, Any] = {**pick(params), **whole_result()}
            t0 = time.perf_counter()
            rows = len(conn.execute(sql, values).fetchall())
            timings.append((time.perf_counter() - t0) * 1000)
        results.append((name, statistics.median(timings), p95(timings), rows))
    conn.close()
    return results


#: Pages timed through Datasette (its own client, in-process, on a read-only connection): the three
#: the issue names browsed whole, as an analyst opens them, then filtered.
PAGES = (
    "/thidua/members_by_year",
    "/thidua/officials_appearances",
    "/thidua/events_view",
    "/thidua/events",
    "/thidua/members_by_year?year=2025",
    "/thidua/officials_appearances?person_id=7",
)


#: A canned query's figures through Datasette: name, median ms, p95 ms, median CPU ms, HTTP status, kB.
PageFigures = tuple[str, float, float, float, int, int]


def time_canned_pages(path: Path, repeat: int, seed: int = 4) -> list[PageFigures]:
    """(query, median ms, p95 ms, median CPU ms, HTTP status, kB of the last answer) of each canned
    query through Datasette, as JSON (the query and its rows) and as the HTML page (the same, every
    cell rendered by the plugins), with the parameters an analyst gives; queries and formats alternate
    within each of ``repeat`` rounds. CPU is the process's (every thread), which another job on a
    shared machine does not inflate the way it inflates the wall-clock times."""
    import asyncio
    import sqlite3
    from urllib.parse import urlencode

    from db.datasette import make_datasette

    _, queries = canned_queries()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    pick = param_picker(conn, random.Random(seed))
    params = {name: query_parameters(sql) for name, sql in queries.items()}
    rounds = [{name: pick(params[name]) for name in queries} for _ in range(repeat)]
    conn.close()

    async def run() -> list[PageFigures]:
        ds = make_datasette(path, immutable=False)
        shown = [(f"{name}.json", f"{name}.json") for name in queries]
        shown += [(f"{name} (HTML)", name) for name in queries]
        timings: dict[str, list[float]] = {label: [] for label, _ in shown}
        cpu: dict[str, list[float]] = {label: [] for label, _ in shown}
        status: dict[str, int] = {}
        size: dict[str, int] = {}
        for _, page in shown:  # warm-up
            await ds.client.get(f"/{path.stem}/{page}?{urlencode(rounds[0][page.removesuffix('.json')])}")
        for values in rounds:
            for label, page in shown:
                query = urlencode(values[page.removesuffix(".json")])
                c0, t0 = time.process_time(), time.perf_counter()
                response = await ds.client.get(f"/{path.stem}/{page}?{query}")
                timings[label].append((time.perf_counter() - t0) * 1000)
                cpu[label].append((time.process_time() - c0) * 1000)
                status[label] = max(status.get(label, 0), response.status_code)
                size[label] = len(response.content) // 1000
        return [
            (name, statistics.median(t), p95(t), statistics.median(cpu[name]), status[name], size[name])
            for name, t in timings.items()
        ]

    return asyncio.run(run())


def page_cut() -> str:
    """What the HTML pages show against the JSON exports, for the figures' heading."""
    try:
        from db.datasette import PAGE_ROWS
    except ImportError:
        return "HTML shows up to Datasette's 1,000 rows, JSON streams every row"
    return f"HTML shows the first {PAGE_ROWS} rows, JSON streams every row"


def p95(timings: list[float]) -> float:
    """The 95th percentile (nearest rank) of ``timings``."""
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_pages(path: Path, repeat: int) -> list[tuple[str, float, float, int]]:
    """(page, median s, max s, HTTP status) through Datasette; pages alternate within each round."""
    import asyncio

    from db.datasette import make_datasette

    async def run() -> list[tuple[str, float, float, int]]:
        ds = make_datasette(path, immutable=False)
        name = path.stem
        pages = [p.replace("/thidua", f"/{name}", 1) for p in PAGES]
        timings: dict[str, list[float]] = {p: [] for p in pages}
        status: dict[str, int] = {}
        for p in pages:  # warm-up: schema, first page reads
            await ds.client.get(p)
        for _ in range(repeat):
            for p in pages:
                t0 = time.perf_counter()
                response = await ds.client.get(p)
                timings[p].append(time.perf_counter() - t0)
                status[p] = response.status_code
        return [(p, statistics.median(t), max(t), status[p]) for p, t in timings.items()]

    return asyncio.run(run())


def build(path: Path, args: argparse.Namespace) -> None:
    """Store the synthetic events (bulk, then one article at a time) and a year of runs; print rates."""
    database = open_database(path)
    work = list(synthetic_articles(args.events + args.nightly))
    bulk, nightly = work[: len(work) - args.nightly], work[len(work) - args.nightly :]
    reports = sum(len(events) for _, events in bulk)
    t0, c0 = time.perf_counter(), time.process_time()
    store_articles(database, bulk, extractor_version="bench", batch=args.batch)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    stored = database.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"bulk: {stored:,} events ({reports:,} reports), {len(bulk):,} articles in {elapsed:.1f} s "
          f"({cpu:.1f} s CPU), store_articles (batch={args.batch}, each article all-or-nothing)")  # fmt: skip
    print(f"  insert rate: {stored / cpu:,.0f} events/CPU-s, {stored / elapsed:,.0f} events/s wall "
          f"({len(bulk) / elapsed:,.0f} articles/s); target 5,000 events/s")  # fmt: skip
    t0, c0 = time.perf_counter(), time.process_time()
    for item, events in nightly:
        store_article(database, item, events, extractor_version="bench")
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    added = database.execute("SELECT count(*) FROM events").fetchone()[0] - stored
    print(f"nightly: {added:,} more events from {len(nightly):,} articles with store_article "
          f"(one commit per article) in {elapsed:.1f} s ({cpu:.1f} s CPU)")  # fmt: skip
    print(f"  insert rate: {added / cpu:,.0f} events/CPU-s, {added / elapsed:,.0f} events/s wall "
          f"({len(nightly) / elapsed:,.0f} articles/s)")  # fmt: skip
    with open("/proc/loadavg") as load:
        print(f"  load average after storing: {load.read().split()[0]} (the machine's, all processes)")
    base = dt.datetime(2025, 1, 1, 19, tzinfo=dt.UTC)
    for day in range(365):  # a year of nightly runs, a few errors each
        now = base + dt.timedelta(days=day)
        run = start_run(database, command="crawl", sites=["bao0", "bao1"], now=now)
        errors = [
            RunError(f"bao{k}", f"https://bao{k}.vn/x-{day}.htm", "http", "HTTP 503") for k in range(day % 4)
        ]
        finish_run(database, run, status="ok", counts={"fetched": 100}, errors=errors, now=now)
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()


def report_reads(path: Path, args: argparse.Namespace) -> None:
    """Print the file size, the canned queries on SQLite and the pages through Datasette."""
    import sqlite3

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    size = path.stat().st_size
    print(f"file size: {size / 1e6:.1f} MB for {total:,} events ({size / total:,.0f} bytes/event)")
    print(f"{'query':32} {'median ms':>10} {'p95 ms':>10} {'rows':>6}")
    for name, median, slow, rows in time_queries(path, args.repeat):
        flag = "" if slow < 100 else "  ← over the 100 ms target"
        print(f"{name:32} {median:10.2f} {slow:10.2f} {rows:6d}{flag}")
    print(f"canned-query pages through Datasette ({args.repeat} rounds, alternating; {page_cut()}):")
    print(f"{'query':40} {'median ms':>10} {'p95 ms':>10} {'CPU ms':>8} {'HTTP':>5} {'kB':>6}")
    for name, median, slow, cpu, code, kb in time_canned_pages(path, args.repeat):
        flag = "" if slow < 100 and code == 200 else "  ← over the 100 ms target (or not HTTP 200)"
        print(f"{name:40} {median:10.2f} {slow:10.2f} {cpu:8.2f} {code:5d} {kb:6d}{flag}")
    print(f"Datasette pages ({args.pages} rounds, alternating):")
    print(f"{'page':44} {'median s':>9} {'max s':>9} {'HTTP':>5}")
    for page, median_s, max_s, code in time_pages(path, args.pages):
        flag = "" if median_s < 1 else "  ← over the 1 s target"
        print(f"{page:44} {median_s:9.3f} {max_s:9.3f} {code:5d}{flag}")


def main() -> None:
    """Build the database (or take --only-read's), print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="runs of each canned query")
    parser.add_argument("--pages", type=int, default=5, help="rounds of the Datasette pages")
    parser.add_argument("--only-read", type=Path, help="time an existing file (upgraded first) instead")
    parser.add_argument("--keep", type=Path, help="build the database at this path and keep it")
    parser.add_argument("--batch", type=int, default=2000, help="articles per commit in the bulk load")
    parser.add_argument("--nightly", type=int, default=2000, help="events then added one article at a time")
    args = parser.parse_args()
    if args.only_read:
        open_database(args.only_read).close()  # migrated to this code's schema
        report_reads(args.only_read, args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.db"
        if path.exists():
            sys.exit(f"{path} exists: give a new path")
        build(path, args)
        report_reads(path, args)


if __name__ == "__main__":
    main()
