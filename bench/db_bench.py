"""Benchmark the database: store 100,000 synthetic events, then time every canned query.

    python bench/db_bench.py [--events 100000] [--repeat 30] [--pages 5] [--keep PATH | --only-read PATH]

Events are fixture-shaped: ~200 clusters (10 provinces × 15 cụm + 5 khối), 6 member units (leader
rotating yearly), 3 officials, dates over 2018–2026 (5% undated); articles report 1–2 events and one
event in ten is reported by a second article. Prints the insert rate (events/s, through
``db.store_article``: one transaction per article), the file size, and median / p95 per canned query
(taken from ``db.datasette.metadata()``, or the built-in list when that module is missing) on SQLite
with the project's SQL functions, then the median and slowest time of Datasette pages (its own client,
in-process): ``members_by_year``, ``officials_appearances``, ``events_view`` browsed whole, and filtered.
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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db import RunError, finish_run, open_database, start_run, store_article, store_articles
from extract.model import Event, Member, Official
from scraper.article import Article, content_hash
from scraper.timezone import VN_TZ

PROVINCES = ("Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Lâm Đồng", "Đắk Lắk", "Bình Định", "Phú Yên",
             "Khánh Hòa", "Ninh Bình")  # fmt: skip
FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
)
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Công")
GIVEN = (
    "Hòa",
    "Lan",
    "Dũng",
    "Hùng",
    "Mai",
    "Tuấn",
    "Hương",
    "Thắng",
    "Bình",
    "Sơn",
    "Hà",
    "Long",
    "Phúc",
    "Tâm",
)
TITLES = ("Phó Chủ tịch UBND tỉnh", "Trưởng ban Thi đua - Khen thưởng tỉnh", "Phó Giám đốc Sở Nội vụ",
          "Bí thư Huyện ủy", "Chủ tịch UBND huyện")  # fmt: skip
ACTIVITY_SETS = (
    ("signing",),
    ("review",),
    ("review", "signing"),
    ("launch",),
    ("signing", "launch"),
    ("other",),
)


def clusters() -> list[tuple[str, int, str, str, list[str]]]:
    """(kind, number, label, system, member pool) for 200 clusters."""
    out = []
    for p_index, province in enumerate(PROVINCES):
        for kind, count in (("cụm", 15), ("khối", 5)):
            for n in range(1, count + 1):
                label = f"{kind.capitalize()} thi đua số {n}"
                pool = [f"Huyện {province} {p_index}-{kind}-{n}-{k}" for k in range(8)]
                if kind == "khối":
                    pool = [f"Sở {province} {p_index}-{n}-{k}" for k in range(8)]
                out.append((kind, n, label, f"tỉnh {province}", pool))
    return out


def people(rng: random.Random, count: int = 600) -> list[str]:
    """Distinct Vietnamese full names."""
    names: set[str] = set()
    while len(names) < count:
        names.add(f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}")
    return sorted(names)


def synthetic_events(total: int, seed: int = 4) -> Iterator[Event]:
    """``total`` distinct events (distinct cluster + date, or undated), fixture-shaped."""
    rng = random.Random(seed)
    pools = clusters()
    officials = people(rng)
    start, days = dt.date(2018, 1, 1), (dt.date(2026, 12, 31) - dt.date(2018, 1, 1)).days
    seen: set[tuple[int, dt.date]] = set()
    made = 0
    while made < total:
        index = rng.randrange(len(pools))
        kind, number, label, system, pool = pools[index]
        day: dt.date | None = start + dt.timedelta(days=rng.randrange(days + 1))
        if rng.random() < 0.05:
            day = None
        elif any((index, day + dt.timedelta(days=d)) in seen for d in (-1, 0, 1)):  # type: ignore[operator]
            continue  # a day apart, with members in common, is one meeting (db.events): keep them distinct
        else:
            seen.add((index, day))  # type: ignore[arg-type]
        year = day.year if day else 2018 + rng.randrange(9)
        leader = pool[year % len(pool)]
        others = rng.sample([u for u in pool if u != leader], 5)
        role = "cụm trưởng" if kind == "cụm" else "khối trưởng"
        made += 1
        yield Event(
            activities=rng.choice(ACTIVITY_SETS),
            unit_kind=kind,
            cluster_number=number,
            cluster_label=label,
            system=system,
            event_date=day,
            date_text=f"Sáng {day.day}/{day.month}" if day else None,
            covenant_year=year,
            location=f"Hội trường {leader}",
            members=(Member(leader, role), *(Member(u) for u in others)),
            officials=tuple(Official(n, rng.choice(TITLES)) for n in rng.sample(officials, 3)),
        )


def synthetic_articles(total_events: int, seed: int = 4) -> Iterator[tuple[Article, list[Event]]]:
    """Articles reporting the synthetic events: 1–2 events each, one dated event in ten reported twice."""
    rng = random.Random(seed + 1)
    pending: list[Event] = []
    n = 0
    for event in synthetic_events(total_events, seed):
        pending.append(event)
        if len(pending) < (2 if rng.random() < 0.2 else 1):
            continue
        batch, pending = pending, []
        reports = [batch]
        if rng.random() < 0.1 and batch[0].event_date:
            reports.append([batch[0]])  # a second newspaper reports the first meeting
        for events in reports:
            n += 1
            yield article(n, events), events
    if pending:
        yield article(n + 1, pending), pending


def article(n: int, events: list[Event]) -> Article:
    """A short article about ``events``."""
    first = events[0]
    day = first.event_date or dt.date(first.covenant_year or 2020, 6, 1)
    title = f"{first.cluster_label} {first.system} tổ chức hội nghị"
    lead = f"{first.date_text or 'Mới đây'}, {first.cluster_label} {first.system} tổ chức hội nghị thi đua."
    body = " ".join(f"Tham dự có đồng chí {o.name}, {o.title}." for e in events for o in e.officials)
    url = f"https://bao{n % 7}.vn/tin-{n}.htm"
    published = dt.datetime(day.year, day.month, day.day, 15, tzinfo=VN_TZ)
    return Article(url, url, f"bao{n % 7}.vn", title, lead, body, "PV", published, None,
                   published + dt.timedelta(hours=10), content_hash=content_hash(title, lead, body),
                   site=f"bao{n % 7}")  # fmt: skip


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


def time_queries(path: Path, repeat: int, seed: int = 4) -> list[tuple[str, float, float, int]]:
    """(query, median ms, p95 ms, rows of the last run) for every canned query, on a fresh connection."""
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
        params = sorted(set(re.findall(r"(?<!:):(\w+)", sql)))
        timings, rows = [], 0
        for _ in range(repeat):
            values = pick(params)
            t0 = time.perf_counter()
            rows = len(conn.execute(sql, values).fetchall())
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        results.append((name, statistics.median(timings), p95, rows))
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
    t0 = time.perf_counter()
    store_articles(database, bulk, extractor_version="bench", batch=args.batch)
    elapsed = time.perf_counter() - t0
    stored = database.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"bulk: {stored:,} events ({reports:,} reports) from {len(bulk):,} articles in {elapsed:.1f} s "
          f"with store_articles (batch={args.batch}, each article all-or-nothing)")  # fmt: skip
    print(f"  insert rate: {stored / elapsed:,.0f} events/s ({len(bulk) / elapsed:,.0f} articles/s)")
    t0 = time.perf_counter()
    for item, events in nightly:
        store_article(database, item, events, extractor_version="bench")
    elapsed = time.perf_counter() - t0
    added = database.execute("SELECT count(*) FROM events").fetchone()[0] - stored
    print(f"nightly: {added:,} more events from {len(nightly):,} articles with store_article "
          f"(one commit per article) in {elapsed:.1f} s")  # fmt: skip
    print(f"  insert rate: {added / elapsed:,.0f} events/s ({len(nightly) / elapsed:,.0f} articles/s)")
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
    for name, median, p95, rows in time_queries(path, args.repeat):
        flag = "" if p95 < 100 else "  ← over the 100 ms target"
        print(f"{name:32} {median:10.2f} {p95:10.2f} {rows:6d}{flag}")
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
