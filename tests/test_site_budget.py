"""The per-site time budget (issue 10, "Bounded work"): a site whose run takes longer than
``CrawlOptions.site_budget`` stops between pages, recorded once as "site-budget"; what it did not reach
waits, "new", for the next run; other sites are not cut short. Timed on the virtual clock."""

from __future__ import annotations

import pytest

from scraper.crawl import CrawlOptions, CrawlReport
from scraper.errors import ScraperError
from scraper.frontier import MemoryFrontier
from scraper.sites import Site
from tests.mock_http import MockWeb
from tests.test_breaker import A, B, articles, serve
from tests.test_breaker import run as crawl_over

DELAY = 0.5  # serve()'s per-host pause: a.test's 8 articles take 4.5 s of virtual time after robots


async def run(
    web: MockWeb, sites: tuple[Site, ...], frontier: MemoryFrontier, budget: float | None
) -> tuple[CrawlReport, set[str]]:
    options = CrawlOptions(retries=0, max_bytes=100_000, site_budget=budget)
    return await crawl_over(web, sites, frontier, options)


@pytest.mark.parametrize(
    ("budget", "cut", "b_whole"),
    [(None, False, True), (60.0, False, True), (2.0, True, True), (3.2, True, True), (0.1, True, False)],
)
async def test_a_site_over_its_budget_stops_once_and_the_rest_waits(
    budget: float | None, cut: bool, b_whole: bool
) -> None:
    web = MockWeb()
    a_urls, b_urls = articles(A, 8), articles(B, 1)
    sites = (serve(web, A, a_urls), serve(web, B, b_urls))
    frontier = MemoryFrontier()
    start = web.clock()
    report, stored = await run(web, sites, frontier, budget)

    budget_errors = [e for e in report.errors if e.kind == "site-budget" and e.site == "a"]
    b_errors = [e for e in report.errors if e.kind == "site-budget" and e.site == "b"]
    assert len(b_errors) == (0 if b_whole else 1)
    # b.test's run (robots, sitemap, one article: 1 s) is cut only by a budget shorter than that.
    assert (set(b_urls) <= stored) is b_whole
    if not cut:
        assert set(a_urls) <= stored and budget_errors == []
        return
    assert budget is not None
    assert (
        len(budget_errors) == 1
        and budget_errors[0].site == "a"
        and f"{budget:g} s" in budget_errors[0].message
    )
    # The budget is looked at between pages: no request of a.test is sent later than one host pause
    # after it ran out (a page that passed the check still waits its pause before it is sent).
    assert all(at - start < budget + DELAY for at in web.times("a.test"))
    fetched = [u for u in a_urls if web.hits(u)]
    assert len(fetched) < len(a_urls) and set(fetched) <= stored
    left = [u for u in a_urls if not web.hits(u)]
    assert all((rec := frontier.get(u)) is None or rec.state == "new" for u in left)
    # The next run, without a budget, takes up what waited.
    _, later = await run(web, sites, frontier, None)
    assert set(left) <= later | stored


@pytest.mark.parametrize("budget", [0.0, -1.0, float("nan")])
async def test_a_budget_that_is_not_positive_is_refused(budget: float) -> None:
    with pytest.raises(ScraperError, match="site_budget"):
        await run(MockWeb(), (), MemoryFrontier(), budget)
