"""The thidua side of ``bench/crawl_bench.py``: one ``thidua.app.crawl`` of the bench site, in a child
process of the bench, printing its figures as one JSON line.

A module of its own, run as ``python -c "from bench.crawl_child import main; main()" DB BASE
[WORKERS]``, so that the crawling process imports what ``thidua crawl`` imports and not the bench's own
modules (psutil, the site generator); the pool workers are ``python -m scraper.pool_worker``
processes and import nothing of either.
"""

from __future__ import annotations

import json
import sys
import time

from scraper.sites import Site


def bench_site(base: str) -> Site:
    """The site as thidua is configured for it: gate off, delay 0."""
    return Site(
        "bench",
        (base.split("//")[1],),
        (f"{base}/rss.rss", f"{base}/sitemaps.xml", f"{base}/thoi-su.htm"),
        delay=0.0,
        article_url=r"-\d{18}\.htm$",
        gate=False,
    )


def child_crawl(db_path: str, base: str, workers: int | None = None) -> dict[str, object]:
    """One ``thidua.app.crawl`` of the bench site; its figures, and what this (the crawling) process
    imported: whether extraction's lazily loaded data came in, and which heavy modules."""
    from thidua import app

    started = time.perf_counter()
    options = app.CrawlOptions(delay=0.0, timeout=10.0, workers=workers)
    report = app.crawl(db_path, [bench_site(base)], options)
    seconds = time.perf_counter() - started
    return {
        "pages": report.pages_fetched,
        "requests": report.requests,
        "seconds": seconds,
        "events": report.new_events,
        "errors": sum(report.errors.values()),
        # Loaded by extraction's warm-up (the tone table): in the workers, never in the crawl.
        "parent_warmed": "extract._underthesea_text_normalize" in sys.modules,
    }


def main() -> None:
    """``DB BASE [WORKERS]`` from the command line; the figures on stdout as one JSON line."""
    db_path, base, *rest = sys.argv[1:]
    print(json.dumps(child_crawl(db_path, base, int(rest[0]) if rest else None)))
