"""What schema v7's member_years triggers cost a bulk insert: the same synthetic articles stored into
two fresh files, one as shipped and one with the triggers dropped, in alternating batches (A B A B),
so both see the same machine load.

    python bench/db_write_bench.py [--events 20000] [--batch 500]

Prints events/s for each and the ratio; bench/db_bench.py prints the absolute figures at 100k events.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from db_synthetic import synthetic_articles

from db import open_database, store_articles

TRIGGERS = ("member_years_member_added", "member_years_member_moved", "member_years_event_added",
            "member_years_event_moved")  # fmt: skip


def main() -> None:
    """Store the same batches into both files, alternating, and print the rates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500, help="articles per batch (one commit each)")
    args = parser.parse_args()
    work = list(synthetic_articles(args.events))
    with tempfile.TemporaryDirectory() as tmp:
        shipped, bare = open_database(Path(tmp) / "a.db"), open_database(Path(tmp) / "b.db")
        for name in TRIGGERS:
            bare.execute(f"DROP TRIGGER {name}")
        spent = {"shipped": 0.0, "without triggers": 0.0}
        for start in range(0, len(work), args.batch):
            chunk = work[start : start + args.batch]
            for label, database in (("shipped", shipped), ("without triggers", bare)):
                t0 = time.perf_counter()
                store_articles(database, chunk, extractor_version="bench", batch=args.batch)
                spent[label] += time.perf_counter() - t0
        events = shipped.execute("SELECT count(*) FROM events").fetchone()[0]
        keys = shipped.execute("SELECT count(*) FROM member_years").fetchone()[0]
        print(f"{events:,} events, {keys:,} member_years keys, batches of {args.batch} articles, alternating")
        for label, seconds in spent.items():
            print(f"  {label:18} {events / seconds:8,.0f} events/s ({seconds:.1f} s)")
        print(
            f"  the triggers cost {spent['shipped'] / spent['without triggers'] - 1:+.1%} of the insert time"
        )


if __name__ == "__main__":
    main()
