"""How the nightly crawl meets extraction and storage: what runs in the crawl's worker processes
(``crawl_events``: an article's events) and what its one writer does with them (``store_read``).

The crawler (scraper) never imports extract or db: the application passes these in, ``crawl_events``
as ``CrawlOptions.analyse`` (pickled by reference, so it must stay a module-level function) and
``store_read`` as the crawl's ``on_read``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from extract.model import Event
from scraper.article import Article
from scraper.article_pool import Read
from thidua.inputs import events_of

if TYPE_CHECKING:
    from sqlite_utils import Database

    from thidua.report import RunReport


def crawl_events(article: Article) -> list[Event]:
    """The events of one crawled article, with the inputs every job gives extraction
    (``thidua.inputs.article_inputs``); runs in a worker process of the crawl's pool, which imports
    this module to unpickle it: its imports stay light (extract, ``thidua.inputs``; never storage)."""
    return events_of(article)


# A made-up report touching what extraction loads lazily: the sentence splitter, the tone table,
# the gazetteer, dates, members and officials.
_SAMPLE = (
    "Sáng 6-3, tại phường Bến Thành, TP.HCM, Cụm thi đua số 5 tổ chức hội nghị ký kết giao ước thi đua "
    "năm 2026. Dự hội nghị có ông Nguyễn Văn An, Phó Chủ tịch UBND tỉnh Lâm Đồng. Cụm gồm Sở Tư pháp, "
    "Sở Tài chính và Sở Nội vụ. Khối thi đua các trường đại học cũng tham dự."
)


def warm_up() -> None:
    """Load extraction's lazily loaded data in this process: each of the crawl's workers runs it as it
    starts, so no article's time limit pays for the load."""
    from extract import extract_events

    extract_events(_SAMPLE, None, source="thidua:warm-up")


def store_read(database: Database, read: Read, report: RunReport) -> None:
    """Store an article read by the crawl with the events its worker extracted (one transaction)."""
    from thidua.app import store_events

    store_events(database, read.article, cast(list[Event], read.result), report)
