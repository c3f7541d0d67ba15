"""What a crawl's pool worker has loaded, asked from inside the worker (tests/test_article_pool.py).

A module of its own, importing nothing at the top but the standard library: a worker unpickles these
functions by importing this module, so anything it imported would be counted against the worker.
"""

from __future__ import annotations

import os
import sys

# Modules a pool worker must never import: storage, the CLI and its console, the crawler's network,
# and the crawling side of the pool (asyncio with ssl, multiprocessing: ~8 MB a worker).
HEAVY = (
    *("sqlite_utils", "datasette", "click", "rich", "httpx", "feedparser", "db", "thidua.app"),
    *("asyncio", "ssl", "multiprocessing", "pebble", "scraper.pool_reader"),
)

warmed_in: int | None = None  # the pid of the process whose warm-up ran, once it ran


def warm() -> None:
    """The warm-up the worker runs as it starts: the real one, then note the process it ran in."""
    global warmed_in
    from thidua.crawling import warm_up

    warm_up()
    warmed_in = os.getpid()


def events_and_modules(article: object) -> tuple[int, int, int | None, list[str]]:
    """The real analysis of ``article`` in the worker, and what the worker then holds: (events found,
    the worker's pid, the pid its warm-up ran in, the HEAVY modules it imported)."""
    from thidua.crawling import crawl_events

    events = crawl_events(article)  # type: ignore[arg-type]
    return len(events), os.getpid(), warmed_in, [m for m in HEAVY if m in sys.modules]


def blocks_or_reports(article: object) -> tuple[int, int, int | None, list[str]]:
    """``events_and_modules``, except that an article carrying ``SLOW_MARK`` blocks for ten minutes."""
    import time

    if SLOW_MARK in getattr(article, "text", ""):
        time.sleep(600.0)
    return events_and_modules(article)


SLOW_MARK = "Chậm-rì-rì"  # the mark of tests/test_article_pool.py's slow article
