"""Concurrency without impoliteness (issue 11): per host, a delay means one request in flight; a delay
of 0 allows up to the site's ``concurrency``, never more; the hosts of one site proceed in parallel;
the global cap holds over all hosts; the circuit breaker still stops a host with requests in flight.

Every request here is answered by ``httpx.MockTransport`` after a second of virtual time
(``tests.mock_http.VirtualClock``): requests in flight at once overlap in virtual time, and the
counts below are exact, whatever the machine's load.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from scraper.breaker import PAUSE_AFTER
from scraper.crawl import CrawlOptions
from scraper.fetch import Fetcher
from scraper.frontier import MemoryFrontier
from scraper.sites import Site
from tests.mock_http import MockWeb
from tests.test_breaker import articles, page, run, sitemap

ANSWER_AFTER = 1.0  # virtual seconds every answer takes


@dataclass
class InFlight:
    """Counts requests in flight, per host and over all, and keeps the peaks."""

    now: Counter[str] = field(default_factory=Counter)
    peak: Counter[str] = field(default_factory=Counter)
    total: int = 0
    peak_total: int = 0

    def wrap(self, web: MockWeb, body: bytes | None = None, status: int = 200) -> None:
        """Answer every route of ``web`` (or every URL, 404s included) after ANSWER_AFTER, counting."""

        async def answer(request: httpx.Request, n: int, body: bytes | None = body) -> httpx.Response:
            host = request.url.netloc.decode()
            self.now[host] += 1
            self.total += 1
            self.peak[host] = max(self.peak[host], self.now[host])
            self.peak_total = max(self.peak_total, self.total)
            try:
                await web.clock.sleep(ANSWER_AFTER)
            finally:
                self.now[host] -= 1
                self.total -= 1
            return httpx.Response(status, content=body if body is not None else page(str(request.url)))

        self.answer = answer


def counted_fetcher(web: MockWeb, flight: InFlight, urls: list[str], **options: object) -> Fetcher:
    """A fetcher over ``web`` whose ``urls`` answer through ``flight`` (counted, after a virtual second)."""
    flight.wrap(web)
    for url in urls:
        web.routes[url] = flight.answer  # type: ignore[assignment]
    return Fetcher(
        user_agent="t", transport=web.transport(), clock=web.clock, sleep=web.clock.sleep, **options
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("delay", "concurrency", "expected"),
    [(0.0, 3, 3), (0.0, 8, 8), (0.0, 1, 1), (0.5, 8, 1), (2.0, 64, 1)],
)
async def test_requests_in_flight_to_one_host(delay: float, concurrency: int, expected: int) -> None:
    web, flight = MockWeb(), InFlight()
    urls = [f"http://a.test/{i}" for i in range(20)]
    async with counted_fetcher(web, flight, urls, default_delay=delay) as fetcher:
        fetcher.set_concurrency("a.test", concurrency)
        await asyncio.gather(*(fetcher.get(u) for u in urls))
    assert flight.peak["a.test"] == expected


async def test_a_robots_crawl_delay_brings_a_host_back_to_one_request_at_a_time() -> None:
    web, flight = MockWeb(), InFlight()
    urls = [f"http://a.test/{i}" for i in range(10)]
    async with counted_fetcher(web, flight, urls, default_delay=0.0) as fetcher:
        fetcher.set_concurrency("a.test", 8)
        fetcher.raise_delay("a.test", 1.0)
        await asyncio.gather(*(fetcher.get(u) for u in urls))
    assert flight.peak["a.test"] == 1


@pytest.mark.parametrize("cap", [1, 5, 12])
async def test_the_global_cap_holds_over_every_host(cap: int) -> None:
    web, flight = MockWeb(), InFlight()
    hosts = [f"h{k}.test" for k in range(4)]
    urls = [f"http://{h}/{i}" for h in hosts for i in range(10)]
    async with counted_fetcher(web, flight, urls, default_delay=0.0, max_connections=cap) as fetcher:
        for host in hosts:
            fetcher.set_concurrency(host, 8)
        await asyncio.gather(*(fetcher.get(u) for u in urls))
    assert flight.peak_total == min(cap, 32)
    assert all(flight.peak[h] <= min(cap, 8) for h in hosts)


def serve_counted(
    web: MockWeb, flight: InFlight, base: str, n: int, **site: object
) -> tuple[Site, list[str]]:
    urls = articles(base, n)
    host = base.split("//", 1)[1]
    flight.wrap(web)
    web.routes[base + "/robots.txt"] = lambda request, k: httpx.Response(
        200, text="User-agent: *\nAllow: /\n"
    )
    web.routes[base + "/sitemap.xml"] = lambda request, k: httpx.Response(200, content=sitemap(urls))
    for url in urls:
        web.routes[url] = flight.answer  # type: ignore[assignment]
    return Site(host.split(".")[0], (host,), (base + "/sitemap.xml",), gate=False, **site), urls  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("delay", "concurrency", "expected"), [(0.0, 4, 4), (0.0, 8, 8), (0.0, 1, 1), (1.0, 8, 1)]
)
async def test_a_crawl_keeps_each_site_within_its_concurrency(
    delay: float, concurrency: int, expected: int
) -> None:
    web, flight = MockWeb(), InFlight()
    site, urls = serve_counted(web, flight, "http://a.test", 20, delay=delay, concurrency=concurrency)
    report, stored = await run(web, (site,), MemoryFrontier(), CrawlOptions(retries=0, max_bytes=100_000))
    assert set(urls) <= stored and not report.errors
    assert flight.peak["a.test"] == expected


async def test_the_hosts_of_one_site_proceed_in_parallel() -> None:
    web, flight = MockWeb(), InFlight()
    _, a_urls = serve_counted(web, flight, "http://a.test", 6, delay=1.0)
    _, b_urls = serve_counted(web, flight, "http://b.test", 6, delay=1.0)
    web.routes["http://a.test/sitemap.xml"] = lambda request, k: httpx.Response(
        200, content=sitemap(a_urls + b_urls)
    )
    site = Site("a", ("a.test", "b.test"), ("http://a.test/sitemap.xml",), delay=1.0, gate=False)
    report, stored = await run(web, (site,), MemoryFrontier(), CrawlOptions(retries=0, max_bytes=100_000))
    assert set(a_urls + b_urls) <= stored, report.errors
    assert flight.peak["a.test"] == 1 and flight.peak["b.test"] == 1  # each host keeps its delay
    assert flight.peak_total == 2  # …and the two are asked at the same time


async def test_the_breaker_stops_a_host_with_requests_in_flight() -> None:
    web, flight = MockWeb(), InFlight()
    site, urls = serve_counted(web, flight, "http://a.test", 40, delay=0.0, concurrency=8)
    flight.wrap(web, body=b"down", status=503)
    for url in urls:
        web.routes[url] = flight.answer  # type: ignore[assignment]
    retries = 1
    report, stored = await run(
        web, (site,), MemoryFrontier(), CrawlOptions(retries=retries, max_bytes=100_000)
    )
    asked = [u for u in urls if web.hits(u)]
    sent = sum(len(web.hits(u)) for u in urls)
    # At most the URLs in flight when the pause opened were asked (each with its retries); none after.
    assert len(asked) <= PAUSE_AFTER + site.concurrency - 1 < len(urls)
    assert sent <= len(asked) * (1 + retries)
    assert [e.kind for e in report.errors].count("host-paused") == 1 and not stored


async def test_a_sites_entry_points_are_walked_side_by_side() -> None:
    # The sitemap's articles answer only once the listing (the second entry point) was asked for:
    # walked one after the other, the run would wait for ever (here: fail after 60 s of real time);
    # walked side by side, it ends at once. The listing's articles are known from the sitemap, so
    # each article is still fetched once.
    web = MockWeb()
    listing_asked = asyncio.Event()
    urls = articles("http://a.test", 4)
    web.routes["http://a.test/robots.txt"] = lambda request, k: httpx.Response(200, text="User-agent: *\n")
    web.routes["http://a.test/sitemap.xml"] = lambda request, k: httpx.Response(200, content=sitemap(urls))

    def listing(request: httpx.Request, k: int) -> httpx.Response:
        listing_asked.set()
        links = "".join(f'<li><a href="{u}">Cụm thi đua số {i}</a></li>' for i, u in enumerate(urls))
        return httpx.Response(200, text=f"<html><body><ul>{links}</ul></body></html>")

    async def article(request: httpx.Request, k: int) -> httpx.Response:
        await listing_asked.wait()
        return httpx.Response(200, content=page(str(request.url)))

    web.routes["http://a.test/thoi-su"] = listing
    for url in urls:
        web.routes[url] = article
    site = Site(
        "a", ("a.test",), ("http://a.test/sitemap.xml", "http://a.test/thoi-su"), delay=0.0, gate=False
    )
    report, stored = await asyncio.wait_for(
        run(web, (site,), MemoryFrontier(), CrawlOptions(retries=0, max_bytes=100_000)), timeout=60
    )
    assert set(urls) <= stored, report.errors
    assert all(len(web.hits(u)) == 1 for u in urls)
