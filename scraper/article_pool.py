"""Article pages read off the event loop: decode, parse and the caller's analysis (the application's
extraction) in a process pool over the machine's cores, each page under a time limit.

The pool is pebble's ``ProcessPool``: it runs each task with its own timeout, kills a worker whose task
outlives it and starts a fresh one, so one page whose extraction never returns costs its time limit and
one worker, never the crawl. ``workers=0`` reads pages in the crawling process instead (no time limit
can be kept there: a function running on the event loop cannot be interrupted). The pool starts as
the crawl does (``async with``): a started worker takes a while to boot (an interpreter, extraction's
imports and warm-up: ~0.5 s of CPU), and that time now passes while robots.txt, feeds and sitemaps are
fetched rather than in front of the first article.

The workers are *started*, not forked from the crawl (multiprocessing's "spawn"; "forkserver" on
request): a forked worker would carry the crawling process's whole resident set (httpx, storage, the
frontier …) and count it again. A started worker imports only what it unpickles: this module, decode,
parse and ``analyse``'s module, so that chain must stay light (``scraper`` imports its parts lazily).
``warm_up`` (the application's: extraction's lazily loaded data) runs in each worker as it starts, so
no page's time limit pays for loading and the crawling process never loads it.

Whatever goes to a worker is pickled: ``analyse`` and ``warm_up`` must be module-level functions (the
application passes ``thidua.crawling.crawl_events`` and ``warm_up``), and the result must pickle too.
"""

from __future__ import annotations

import asyncio
import copyreg
import multiprocessing
import os
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.synchronize import Lock
from types import MappingProxyType

from pebble import ProcessExpired, ProcessPool

from scraper.article import Article
from scraper.decode import to_text
from scraper.errors import ParseError
from scraper.parse import parse_article
from scraper.sites import Site

Analyse = Callable[[Article], object]
DEFAULT_TIME_LIMIT = 30.0  # seconds of decode + parse + analysis per article page
DEFAULT_START_METHOD = "spawn"  # "spawn" or "forkserver"; "fork" would copy the crawl into every worker


def _read_only(mapping: dict[str, str]) -> MappingProxyType[str, str]:
    return MappingProxyType(mapping)


# A Site's selectors are a read-only MappingProxyType, which pickle refuses (its class cannot even be
# named): a worker gets a read-only copy, rebuilt by a function pickle can name.
copyreg.pickle(MappingProxyType, lambda proxy: (_read_only, (dict(proxy),)))


@dataclass(frozen=True)
class Page:
    """An article page as fetched: what a worker decodes and parses."""

    content: bytes
    url: str  # the final URL, after redirects
    headers: Mapping[str, str]
    site: Site
    fetched_at: datetime


@dataclass(frozen=True)
class Read:
    """A page read: its article and what ``analyse`` made of it (the application: its events)."""

    article: Article
    result: object = None


@dataclass(frozen=True)
class Unread:
    """A page that could not be read: the PageError kind ("parse", "internal-extract",
    "extract-timeout" …) and why."""

    kind: str
    message: str


def read_page(page: Page, analyse: Analyse | None = None) -> Read | Unread:
    """Decode, parse and analyse one page; every failure comes back as an ``Unread`` named after its
    step (a worker returns it rather than raising, so no exception has to survive pickling)."""
    step = "decode"
    try:
        text = to_text(page.content, page.headers, nfc=False)  # what parse_article would do
        step = "parse"
        try:
            article = parse_article(text, page.url, page.headers, site=page.site, fetched_at=page.fetched_at)
        except ParseError as exc:
            return Unread("parse", str(exc))
        step = "extract"
        return Read(article, analyse(article) if analyse is not None else None)
    except Exception as exc:
        return Unread(f"internal-{step}", f"{type(exc).__name__}: {exc}")


def warm_worker(warm_up: Callable[[], object] | None = None, one_at_a_time: Lock | None = None) -> None:
    """A worker's start: run ``warm_up``, holding ``one_at_a_time`` (the pool's workers take turns:
    a load's transient peak, e.g. a data file parsed and then cut down, is then paid by one worker at a
    time, not by all at once). If it fails the worker still serves: a page then pays for the load
    itself, and a real fault in it comes back as that page's ``Unread``."""
    if warm_up is None:
        return
    try:
        with one_at_a_time or nullcontext():
            warm_up()
    except Exception:  # the page that needs what failed to load reports it
        return


def ready() -> None:
    """The pool's first task, scheduled as it starts: nothing, so that pebble starts the workers."""


def machine_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it, else the count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class ArticleReader:
    """Reads article pages for a crawl: in a process pool of ``workers`` (None: the machine's cores),
    or in process for ``workers=0``. ``close`` stops the pool; use as ``async with``."""

    def __init__(
        self,
        analyse: Analyse | None = None,
        *,
        workers: int | None = None,
        time_limit: float = DEFAULT_TIME_LIMIT,
        warm_up: Callable[[], object] | None = None,
        start_method: str = DEFAULT_START_METHOD,
    ) -> None:
        self.analyse = analyse
        self.warm_up = warm_up
        self.start_method = start_method
        self._starting = asyncio.Lock()
        self.workers = machine_cores() if workers is None else workers
        self.time_limit = time_limit
        self._pool: ProcessPool | None = None
        self._booting: asyncio.Future[ProcessPool] | None = None

    async def __aenter__(self) -> ArticleReader:
        if self.workers > 0:  # the workers boot while the crawl discovers its first articles
            self._booting = asyncio.ensure_future(self._start())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._booting is not None:  # a pool still being made is stopped too, not left behind
            await asyncio.gather(self._booting, return_exceptions=True)
            self._booting = None
        self.close()

    @property
    def started(self) -> bool:
        """True once the process pool's start was begun (as the reader is entered, or by a page)."""
        return self._pool is not None or self._booting is not None

    async def read(self, page: Page) -> Read | Unread:
        """Read one page; a page over the time limit is ``Unread("extract-timeout", …)`` and its worker
        is replaced; a worker that died under a page is ``Unread("internal-worker", …)``."""
        if self.workers == 0:
            return read_page(page, self.analyse)
        pool = self._pool or await self._start()
        future = pool.schedule(read_page, args=(page, self.analyse), timeout=self.time_limit)
        try:
            return await asyncio.wrap_future(future)
        except TimeoutError:
            return Unread(
                "extract-timeout",
                f"parsing and extraction took over {self.time_limit:g} s (the per-article time limit); "
                "stopped, and the worker replaced",
            )
        except ProcessExpired as exc:
            return Unread("internal-worker", f"the worker reading the page died: {exc}")
        except CancelledError:
            raise
        except Exception as exc:  # the page or the result did not pickle
            return Unread("internal-worker", f"{type(exc).__name__}: {exc}")

    async def _start(self) -> ProcessPool:
        async with self._starting:  # many pages may ask at once; one pool is started
            if self._pool is None:
                # Starting the workers blocks a moment: in a thread, the other sites' network goes on.
                await asyncio.to_thread(self._boot)
            assert self._pool is not None
            return self._pool

    def _boot(self) -> None:
        pool = self._new_pool()
        pool.schedule(ready)  # pebble starts its workers with its first task: they boot from now on
        self._pool = pool  # set here, so that even a start whose awaiting was cancelled is closed

    def _new_pool(self) -> ProcessPool:
        context = multiprocessing.get_context(self.start_method)
        if self.start_method == "forkserver":  # the server imports what workers need, not __main__
            modules = ["scraper.article_pool", *(f.__module__ for f in (self.analyse, self.warm_up) if f)]
            context.set_forkserver_preload(list(dict.fromkeys(modules)))
        warm = (self.warm_up, context.Lock()) if self.warm_up is not None else ()
        return ProcessPool(max_workers=self.workers, initializer=warm_worker, initargs=warm, context=context)

    def close(self) -> None:
        """Stop the pool's workers (a page still running is abandoned: its URL was not marked)."""
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=10)
            self._pool = None
