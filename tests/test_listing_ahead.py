"""A listing walk reads its next pages while the articles of the earlier ones are still fetched
(``scraper.crawl_discovery.PAGES_AHEAD``), and a page's validators are still saved only once all its
articles were stored; with ``--since`` still to be decided by the articles' dates it waits for them.

Every crawl here runs on ``httpx.MockTransport`` and the virtual clock of ``tests.mock_http``.
"""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import pytest

from scraper.article import Article
from scraper.crawl import CrawlOptions, crawl
from scraper.crawl_discovery import PAGES_AHEAD
from scraper.frontier import MemoryFrontier
from scraper.sites import Site
from tests.mock_http import MockWeb, reply
from tests.test_breaker import page

L = "http://l.test"
PAGES, PER_PAGE = 5, 3


def listing(n: int) -> bytes:
    cells = "".join(
        f'<div class="box-category-item"><h3><a class="box-category-link-title" href="{url}">'
        f"Cụm thi đua ký kết giao ước {n}-{i}</a></h3></div>"
        for i, url in enumerate(listed(n))
    )
    more = f'<a href="/timelinelist/1/{n + 1}.htm" rel="next">Xem thêm</a>' if n < PAGES else ""
    return f'<html><body><div class="box-category-middle">{cells}</div>{more}</body></html>'.encode()


def listed(n: int) -> list[str]:
    return [f"{L}/tin/cum-{n}-{i}-{1_491_900_000 + 10 * n + i}" for i in range(PER_PAGE)]


def page_url(n: int) -> str:
    return f"{L}/thoi-su.htm" if n == 1 else f"{L}/timelinelist/1/{n}.htm"


def serve(web: MockWeb, held: asyncio.Event) -> Site:
    web.routes[L + "/robots.txt"] = reply("User-agent: *\nAllow: /\n", content_type="text/plain")
    for n in range(1, PAGES + 1):
        web.routes[page_url(n)] = reply(listing(n), ETag=f'"p{n}"')
    # The pager's pattern is followed one page further than the last "next" link: an empty page ends it.
    web.routes[page_url(PAGES + 1)] = reply(b"<html><body><p>Kh\xc3\xb4ng c\xc3\xb3 tin.</p></body></html>")

    async def first_page_article(request: httpx.Request, before: int) -> httpx.Response:
        await held.wait()  # the first page's articles answer only when the test says so
        return httpx.Response(
            200, headers={"Content-Type": "text/html; charset=utf-8"}, content=page(str(request.url))
        )

    for n in range(1, PAGES + 1):
        for url in listed(n):
            web.routes[url] = first_page_article if n == 1 else reply(page(url))
    return Site("l", ("l.test",), (page_url(1),), delay=0.0, gate=False, article_url=r"-\d{10}$")


async def test_the_walk_reads_on_while_a_page_s_articles_are_fetched_and_saves_it_after_them() -> None:
    web, held = MockWeb(), asyncio.Event()
    frontier = MemoryFrontier()
    first = page_url(1)
    validators_when_stored: list[str | None] = []

    def keep(article: Article) -> None:
        if article.canonical_url in listed(1):
            rec = frontier.get(first)
            validators_when_stored.append(rec.etag if rec is not None else None)

    async def release_later() -> None:
        # The first page's articles hang until the walk has read every page it may read ahead.
        while sum(1 for n in range(2, PAGES + 1) if web.hits(page_url(n))) < PAGES_AHEAD:
            await asyncio.sleep(0)
        held.set()

    releaser = asyncio.create_task(release_later())
    report = await crawl(
        [serve(web, held)],
        frontier,
        keep,
        CrawlOptions(retries=0, workers=0),
        transport=web.transport(),
        clock=web.clock,
        sleep=web.clock.sleep,
    )
    await releaser
    assert report.new_articles == PAGES * PER_PAGE and not report.errors
    # Page 1's articles were answered only after pages 2.. were requested, and page 1's validators
    # were not saved before each of its articles was stored; they are saved once all were.
    assert validators_when_stored == [None] * PER_PAGE
    rec = frontier.get(first)
    assert rec is not None and rec.etag == '"p1"' and rec.state == "fetched"
    assert all(
        (r := frontier.get(page_url(n))) is not None and r.etag == f'"p{n}"' for n in range(1, PAGES + 1)
    )


@pytest.mark.parametrize("since", [None, date(2001, 1, 1)], ids=["no-since", "since-undecided"])
async def test_with_since_undecided_by_the_listing_the_walk_waits_for_the_articles(
    since: date | None,
) -> None:
    # The listing gives no dates: with --since, whether to read on hangs on the articles' own dates,
    # so page 2 is asked only after page 1's articles answered; without, it is asked before.
    web, held = MockWeb(), asyncio.Event()
    order: list[str] = []

    async def watch() -> None:
        while not held.is_set():
            if web.hits(page_url(2)):
                order.append("page 2 asked")
                held.set()
            await asyncio.sleep(0)

    async def release_after_a_while() -> None:
        await web.clock.sleep(5.0)
        if not held.is_set():
            order.append("articles answered")
            held.set()

    tasks = [asyncio.create_task(watch()), asyncio.create_task(release_after_a_while())]
    await crawl(
        [serve(web, held)],
        MemoryFrontier(),
        lambda article: None,
        CrawlOptions(retries=0, workers=0, since=since),
        transport=web.transport(),
        clock=web.clock,
        sleep=web.clock.sleep,
    )
    held.set()
    await asyncio.gather(*tasks)
    assert order[0] == ("page 2 asked" if since is None else "articles answered")
