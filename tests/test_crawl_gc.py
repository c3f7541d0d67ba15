"""scraper.crawl.crawl leaves what was alive as it started out of the collector's full scans while it
runs (``gc.freeze``), and gives it back when it ends, however it ends."""

from __future__ import annotations

import gc

import pytest

from scraper.article import Article
from scraper.crawl import CrawlOptions, crawl
from scraper.frontier import MemoryFrontier, StorageFull
from tests.mock_http import MockWeb
from tests.test_breaker import A, articles, serve


@pytest.mark.parametrize("fails", [False, True], ids=["ends", "stopped-by-a-full-disk"])
async def test_the_objects_alive_at_the_start_are_frozen_while_it_runs_only(fails: bool) -> None:
    gc.unfreeze()
    web = MockWeb()
    site = serve(web, A, articles(A, 3))
    frozen: list[int] = []

    def keep(article: Article) -> None:
        frozen.append(gc.get_freeze_count())
        if fails:
            raise StorageFull(article.canonical_url, "database or disk is full")

    try:
        await crawl(
            [site],
            MemoryFrontier(),
            keep,
            CrawlOptions(retries=0, workers=0),
            transport=web.transport(),
            clock=web.clock,
            sleep=web.clock.sleep,
        )
    except StorageFull:
        assert fails
    assert frozen and all(count > 1000 for count in frozen)  # the imported modules, at least
    assert gc.get_freeze_count() == 0
