"""Article pages read off the event loop: decode, parse and the caller's analysis (the application's
extraction) in worker processes over the machine's cores, each page under a time limit.

This module holds what crosses to a worker and back (``Page``, ``Read``, ``Unread``) and what a worker
runs (``read_page``); the pool itself, ``ArticleReader``, lives in ``scraper.pool_reader`` and is
imported from here on first use, so that a worker, which imports this module, imports no asyncio.
The pool is ours (``scraper.pool_reader``, ``scraper.pool_worker``, ``scraper.pool_frames``): each
worker is a started interpreter (``python -m scraper.pool_worker``) serving one page at a time over
its stdin and stdout. It replaced pebble's ``ProcessPool`` (issue 11), which cost a crawl a
multiprocessing resource-tracker process (~13 MB), manager and feeder threads in the crawling process
(~6 % of its GIL time, and a glibc malloc arena each that keeps freed memory), and multiprocessing's
re-import of the main module in every worker; nothing else used pebble, so it is no dependency now.

A page over ``time_limit`` costs its worker (killed, a fresh one started and warmed) and comes back as
``Unread("extract-timeout", …)``; a worker that dies under a page, or a page or result that does not
pickle, is ``Unread("internal-worker", …)``. ``workers=0`` reads pages in the crawling process
(no time limit can be kept there: a function running on the event loop cannot be interrupted).

The workers start as the crawl does (``async with``), one after the other, each running ``warm_up``
(the application's: extraction's lazily loaded data) before it takes a page: a load's transient peak is
paid by one worker at a time, and no page's time limit pays for it; the crawling process never loads it.
A worker imports only what it unpickles: this module, decode, parse and ``analyse``'s module, so that
chain must stay light (``scraper`` imports its parts lazily). Whatever goes to a worker is pickled:
``analyse`` and ``warm_up`` must be module-level functions (the application passes
``thidua.crawling.crawl_events`` and ``warm_up``), and the result must pickle too.
"""

from __future__ import annotations

import copyreg
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from scraper.article import Article
from scraper.decode import to_text
from scraper.errors import ParseError
from scraper.parse import parse_article
from scraper.sites import Site

Analyse = Callable[[Article], object]
DEFAULT_TIME_LIMIT = 30.0  # seconds of decode + parse + analysis per article page
DEFAULT_START_METHOD = "spawn"  # workers are always started interpreters; see ArticleReader

if TYPE_CHECKING:
    from scraper.pool_reader import ArticleReader as ArticleReader


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


def machine_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it, else the count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def __getattr__(name: str) -> Any:
    """``ArticleReader``, imported from ``scraper.pool_reader`` on first use (see the docstring)."""
    if name == "ArticleReader":
        from scraper.pool_reader import ArticleReader

        return ArticleReader
    raise AttributeError(f"module 'scraper.article_pool' has no attribute {name!r}")
