"""SQLite's own share of a bulk load: the finished rows of the synthetic load inserted with nothing else.

    python bench/db_floor.py [--events 100000] [--batch 2000] [--foreign-keys]

Stores the synthetic events (``db_synthetic``) once with ``db.store_articles`` (not timed), reads
every row of the tables a load writes back into memory, then inserts them into a fresh file of the
same schema (every index and CHECK), a ``--batch``-sized slice of articles' rows per transaction as
the load commits: entities, articles, events, reports, members, officials, the ``member_years`` and
``undated_windows`` rows, the full-text index of the slice's articles, then COMMIT. Triggers are
dropped and foreign keys are off unless ``--foreign-keys`` (the rows are known to be consistent;
storage checks them, which costs ~17 % of this floor at 100k, measured alternating): no matching, no
Python preparation. Prints events per CPU-second and per wall second: what no
storing code on this machine can beat, the yardstick for ``bench/db_write_bench.py``'s figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Tables in insert order, and the column that slices each into the load's batches.
TABLES = (
    ("clusters", None),
    ("units", None),
    ("people", None),
    ("articles", "id"),
    ("events", "id"),
    ("event_reports", "article_id"),
    ("event_members", "event_id"),
    ("event_officials", "event_id"),
    ("member_years", None),
    ("undated_windows", None),
)


def floor(root: Path, events: int, batch: int, foreign_keys: bool = False) -> dict[str, object]:
    """Insert the finished rows of ``events`` synthetic events; return the timings per table.

    ``foreign_keys``: check them as storage does (each member, official and report row looks its
    parents up), instead of leaving them off."""
    sys.path[:0] = [str(root), str(HERE)]
    import scraper.article  # noqa: F401, I001  (this order: db and scraper from ``root``, first)
    from db import open_database, store_articles
    from db.schema import FTS_COLUMNS
    from db_synthetic import synthetic_articles

    work = list(synthetic_articles(events))
    with tempfile.TemporaryDirectory() as tmp:
        source = open_database(Path(tmp) / "source.db")
        store_articles(source, work, extractor_version="bench", batch=batch)
        rows: Rows = {}
        for table, by in TABLES:
            columns = [str(r[1]) for r in source.conn.execute(f"PRAGMA table_info({table})")]
            order = f" ORDER BY {by}" if by else ""
            found = source.conn.execute(f"SELECT {', '.join(columns)} FROM {table}{order}").fetchall()
            rows[table] = (columns, found)
        total = len(rows["events"][1])
        source.close()
        target = open_database(Path(tmp) / "floor.db")
        conn = target.conn
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        slices = _slices(rows, batch)
        spent = {table: 0.0 for table, _ in TABLES} | {"articles_fts": 0.0, "COMMIT": 0.0}
        wall, cpu = time.perf_counter(), time.process_time()
        for (low, high), parts in slices:
            conn.execute("BEGIN")
            for table, part in parts.items():
                if part:
                    columns = rows[table][0]
                    began = time.perf_counter()
                    marks = ", ".join("?" for _ in columns)
                    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", part)
                    spent[table] += time.perf_counter() - began
            began = time.perf_counter()
            conn.execute(
                f"INSERT INTO articles_fts (rowid, {', '.join(FTS_COLUMNS)}) "
                f"SELECT id, {', '.join(FTS_COLUMNS)} FROM articles WHERE id >= ? AND id < ?",
                [low, high],
            )
            spent["articles_fts"] += time.perf_counter() - began
            began = time.perf_counter()
            conn.execute("COMMIT")
            spent["COMMIT"] += time.perf_counter() - began
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        target.close()
    return {"events": total, "wall": wall, "cpu": cpu, "tables": spent}


Rows = dict[str, tuple[list[str], list[tuple[Any, ...]]]]


def _slices(rows: Rows, batch: int) -> list[tuple[tuple[int, int], dict[str, list[tuple[Any, ...]]]]]:
    """Each commit's (article id range, rows by table): ``batch`` articles, their reports, the events
    they reported first with those events' member and official rows; entities in the first slice,
    the derived tables in the last."""
    articles = [int(r[0]) for r in rows["articles"][1]]
    bounds = [articles[i] for i in range(0, len(articles), batch)] + [articles[-1] + 1]
    ranges = list(pairwise(bounds))
    which = {article: n for n, (low, high) in enumerate(ranges) for article in range(low, high)}
    columns, reports = rows["event_reports"]
    event_at, article_at = columns.index("event_id"), columns.index("article_id")
    first: dict[int, int] = {}  # event id → its first article's slice
    for report in reports:
        event, slice_of = int(report[event_at]), which[int(report[article_at])]
        first[event] = min(first.get(event, slice_of), slice_of)
    out: list[dict[str, list[tuple[Any, ...]]]] = [{t: [] for t, _ in TABLES} for _ in ranges]
    for table, by in TABLES:
        columns, found = rows[table]
        if by is None:
            out[0 if table in ("clusters", "units", "people") else -1][table].extend(found)
            continue
        at, slice_of = columns.index(by), which if table in ("articles", "event_reports") else first
        for row in found:
            out[slice_of[int(row[at])]][table].append(row)
    return list(zip(ranges, out, strict=True))


def show(result: dict[str, object]) -> None:
    """Print the floor's rates and its time per table."""
    events, cpu, wall = int(result["events"]), float(result["cpu"]), float(result["wall"])  # type: ignore[arg-type]
    print(f"  floor        {events:,} events  {events / cpu:7,.0f} events/CPU-s ({cpu:5.1f} s)  "
          f"{events / wall:7,.0f} events/s wall ({wall:5.1f} s)")  # fmt: skip
    parts = ", ".join(f"{name} {seconds / events * 1e6:.0f}" for name, seconds in result["tables"].items())  # type: ignore[attr-defined]
    print(f"  {'':12} µs per event: {parts}")


def main() -> None:
    """Run the floor once in this process and print it (``--json``: the raw figures)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000, help="articles per commit, as the load")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose db to use")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    parser.add_argument("--foreign-keys", action="store_true", help="check foreign keys, as storage does")
    args = parser.parse_args()
    result = floor(args.root, args.events, args.batch, args.foreign_keys)
    if args.json:
        print(json.dumps(result))
    else:
        show(result)


if __name__ == "__main__":
    main()
