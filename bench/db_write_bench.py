"""Bulk insert rate of this checkout against another (main), alternating runs, CPU time beside wall.

    python bench/db_write_bench.py [--events 100000] [--rounds 2] [--against /work/main] [--batch 2000]

Each run is a child process that stores the same synthetic articles (``db_synthetic``) into a fresh
file with ``db.store_articles``, importing ``db`` from one checkout; the runs alternate (A B A B) so
both see the same machine load. Prints per run the events per CPU-second of the process and per
wall-second, and the CPU rate of each slice of ``--slice`` events (whether storing slows as the file
grows); then the best and the median of each checkout and the ratio. On a shared machine wall time
follows the load, CPU time much less: compare within one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def child(root: Path, events: int, batch: int, step: int) -> dict[str, object]:
    """Store ``events`` synthetic events with the ``db`` of ``root``; return the timings."""
    sys.path[:0] = [str(root), str(HERE)]
    import db  # noqa: I001  (this order: db and scraper from ``root``, before db_synthetic's path)
    import scraper.article  # noqa: F401
    from db import open_database, store_articles
    from db_synthetic import synthetic_articles

    work = list(synthetic_articles(events))
    slices: list[tuple[int, float]] = []  # (events stored so far, CPU seconds so far)
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(Path(tmp) / "bench.db")
        wall, cpu = time.perf_counter(), time.process_time()
        done, per_slice = 0, max(1, step * len(work) // max(events, 1))
        while done < len(work):
            end = len(work) if len(work) - done < 3 * per_slice // 2 else done + per_slice
            store_articles(database, work[done:end], extractor_version="bench", batch=batch)
            done = end
            stored = database.execute("SELECT count(*) FROM events").fetchone()[0]
            slices.append((stored, time.process_time() - cpu))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        total = database.execute("SELECT count(*) FROM events").fetchone()[0]
        database.close()
    return {"events": total, "wall": wall, "cpu": cpu, "slices": slices, "db": db.__file__}


def run(root: Path, args: argparse.Namespace) -> dict[str, object]:
    """One child run against ``root``."""
    command = [sys.executable, __file__, "--child", str(root), "--events", str(args.events)]
    command += ["--batch", str(args.batch), "--slice", str(args.slice)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.splitlines()[-1]))


def show(label: str, result: dict[str, object]) -> None:
    """Print one run: CPU and wall rates, and the CPU rate of each slice."""
    events, cpu, wall = int(result["events"]), float(result["cpu"]), float(result["wall"])  # type: ignore[arg-type]
    rates, before = [], (0, 0.0)
    for stored, spent in result["slices"]:  # type: ignore[attr-defined]
        rates.append(f"{(stored - before[0]) / max(spent - before[1], 1e-9):,.0f}")
        before = (stored, spent)
    print(f"  {label:12} {result['db']}")
    print(f"  {'':12} {events:,} events  {events / cpu:7,.0f} events/CPU-s ({cpu:5.1f} s)  "
          f"{events / wall:7,.0f} events/s wall ({wall:5.1f} s)")  # fmt: skip
    print(f"  {'':12} per slice (events/CPU-s, first to last): {' '.join(rates)}")


def main() -> None:
    """Alternate the two checkouts, print each run and the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each checkout, alternating")
    parser.add_argument("--against", type=Path, default=Path("/work/main"), help="the other checkout")
    parser.add_argument("--batch", type=int, default=2000, help="articles per commit (store_articles)")
    parser.add_argument("--slice", type=int, default=10_000, help="events per measured slice")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.events, args.batch, args.slice)))
        return
    with open("/proc/loadavg") as load:
        print(f"load average at start: {load.read().split()[0]}; {args.events:,} events, batch={args.batch}")
    checkouts = {"this": ROOT, "against": args.against.resolve()}
    cpu: dict[str, list[float]] = {name: [] for name in checkouts}
    for round_ in range(args.rounds):
        for name, root in checkouts.items():
            result = run(root, args)
            show(f"{name} #{round_ + 1}", result)
            cpu[name].append(int(result["events"]) / float(result["cpu"]))  # type: ignore[arg-type]
    for name, rates in cpu.items():
        print(f"{name:8} ({checkouts[name]}): best {max(rates):,.0f}, median {statistics.median(rates):,.0f} "
              "events/CPU-s")  # fmt: skip
    ratio = statistics.median(cpu["this"]) / statistics.median(cpu["against"])
    print(f"this / against (median CPU rate): {ratio:.2f}×")


if __name__ == "__main__":
    main()
