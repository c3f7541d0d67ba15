"""The per-site time budget (issue 10, "Bounded work"): a site whose run takes longer than
``CrawlOptions.site_budget`` stops between pages, recorded once as "site-budget"; what it did not reach
waits, "new", for the next run; other sites are not cut short. Timed on the virtual clock."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scraper.crawl import CrawlOptions, CrawlReport
from scraper.errors import ScraperError
from scraper.frontier import MemoryFrontier
from scraper.sites import Site
from tests.mock_http import MockWeb
from tests.test_breaker import A, B, articles, page, serve, sitemap
from tests.test_breaker import run as crawl_over
from thidua.cli import cli
from thidua.demo.routeserver import Reply

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


# Reaching the budget (issue 10): a sites.toml key per site, and `thidua crawl --site-budget` that
# overrides it for every site, as --delay overrides each site's delay.
@pytest.mark.parametrize(
    ("site_budget", "option", "cut"),
    [
        (2.0, None, True),  # the site's own key
        (None, 2.0, True),  # the option alone
        (60.0, 2.0, True),  # the option wins over a generous key …
        (2.0, 60.0, False),  # … and over a tight one
        (None, None, False),
    ],
)
async def test_the_site_key_sets_the_budget_and_the_option_overrides_it(
    site_budget: float | None, option: float | None, cut: bool
) -> None:
    web = MockWeb()
    a_urls = articles(A, 8)
    site = dataclasses.replace(serve(web, A, a_urls), budget=site_budget)
    report, stored = await run(web, (site,), MemoryFrontier(), option)
    budget_errors = [e for e in report.errors if e.kind == "site-budget"]
    assert (len(budget_errors) == 1) is cut
    assert (set(a_urls) <= stored) is not cut
    if cut:
        assert "2 s budget" in budget_errors[0].message


def test_the_cli_option_reaches_the_crawl_and_a_site_over_it_stops(tmp_path: Path, local_server: Any) -> None:
    """End to end on 127.0.0.1: six slow articles, a budget that covers about one of them."""
    base = local_server.base
    urls = [f"{base}/tin/cum-thi-dua-so-{i}-so-ket.html" for i in range(1, 7)]
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nAllow: /\n")
    local_server.routes["/sitemap.xml"] = lambda hit, n: Reply(
        200, sitemap(urls), {"Content-Type": "application/xml"}
    )
    for url in urls:
        local_server.routes[url.removeprefix(base)] = lambda hit, n, url=url: Reply(
            200, page(url), {"Content-Type": "text/html; charset=utf-8"}, sleep=0.4
        )
    sites = tmp_path / "sites.toml"
    sites.write_text(
        f'[[site]]\nname = "slow"\nhosts = ["127.0.0.1"]\nstart = ["{base}/sitemap.xml"]\ngate = false\n'
        "concurrency = 1\n",  # one page at a time, so the budget is looked at between them
        encoding="utf-8",
    )
    db = tmp_path / "t.db"
    args = ["crawl", "--db", str(db), "--sites", str(sites), "--delay", "0", "--site-budget", "0.3"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output  # a budget stop is a page error: the rest waits, no failure
    with sqlite3.connect(db) as conn:
        kinds = [k for (k,) in conn.execute("select kind from run_errors")]
        stored = conn.execute("select count(*) from articles").fetchone()[0]
    assert kinds.count("site-budget") == 1
    assert 1 <= stored < len(urls)  # the budget is looked at between pages: at least one got through


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "86401", "soon"])
def test_a_bad_site_budget_option_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(cli, ["crawl", "--db", str(tmp_path / "t.db"), "--site-budget", value])
    assert result.exit_code == 2 and "--site-budget" in result.output
    assert not (tmp_path / "t.db").exists()


def test_the_help_says_the_option_overrides_each_sites_key() -> None:
    result = CliRunner().invoke(cli, ["crawl", "--help"])
    assert "--site-budget SECONDS" in result.output and "'budget' key" in result.output
