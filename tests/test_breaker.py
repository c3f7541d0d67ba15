"""The circuit breaker per host (issue 11): a host answering 5xx/429 in a row, or asking for a long
Retry-After, is left alone for the rest of the run; other hosts go on; the next run knows.

Every crawl here runs on ``httpx.MockTransport`` and the virtual clock of ``tests.mock_http``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from scraper.article import Article
from scraper.breaker import PAUSE_AFTER, HostBreaker
from scraper.crawl import CrawlOptions, CrawlReport, crawl
from scraper.fetch import FetchFailure
from scraper.frontier import MemoryFrontier
from scraper.sites import Site
from tests.mock_http import Handler, MockWeb, reply

A, B = "http://a.test", "http://b.test"
RETRIES = 1
PARAGRAPH = (
    "Sáng 6-3, Cụm thi đua số 3 tổ chức hội nghị ký kết giao ước thi đua năm 2026, với sự tham dự "
    "của lãnh đạo các đơn vị trong cụm, cùng nhau bàn cách nhân rộng điển hình tiên tiến."
)


def articles(base: str, n: int) -> list[str]:
    return [f"{base}/tin/bai-{i}-{1_491_900_000 + i}" for i in range(n)]


def page(url: str) -> bytes:
    title = f"Cụm thi đua ký kết giao ước {url.rsplit('-', 1)[-1]}"
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f'<div class="article-content"><p>{PARAGRAPH} ({url})</p></div></body></html>'
    ).encode()


def sitemap(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()


def serve(web: MockWeb, base: str, urls: list[str], article: Handler | None = None) -> Site:
    """Route robots.txt, a sitemap of ``urls`` and the articles (``article`` answers them, if given)."""
    web.routes[base + "/robots.txt"] = reply("User-agent: *\nAllow: /\n", content_type="text/plain")
    web.routes[base + "/sitemap.xml"] = reply(sitemap(urls), content_type="application/xml")
    for url in urls:
        web.routes[url] = article or reply(page(url))
    host = base.split("//", 1)[1]
    return Site(host.split(".")[0], (host,), (base + "/sitemap.xml",), delay=0.5, gate=False)


async def run(
    web: MockWeb, sites: tuple[Site, ...], frontier: MemoryFrontier, options: CrawlOptions | None = None
) -> tuple[CrawlReport, set[str]]:
    """Crawl ``sites`` over the mock web on its virtual clock; return the report and stored URLs."""
    stored: set[str] = set()

    def keep(article: Article) -> None:
        stored.add(article.canonical_url)

    options = options or CrawlOptions(retries=RETRIES, max_bytes=100_000)
    if options.workers is None:
        # Pages are read in this process: the virtual clock moves only while every task sleeps, and a
        # task waiting for a pool worker waits on real time, so virtual time would run ahead.
        options = replace(options, workers=0)
    report = await crawl(
        sites,
        frontier,
        keep,
        options,
        transport=web.transport(),
        clock=web.clock,
        sleep=web.clock.sleep,
    )
    return report, stored


def article_hits(web: MockWeb, urls: list[str]) -> dict[str, int]:
    return {u: len(web.hits(u)) for u in urls if web.hits(u)}


@dataclass(frozen=True)
class Overload:
    """How a.test's articles answer, and what the breaker must make of it."""

    name: str
    handler: Handler
    requested: int  # a.test article URLs requested before the pause
    max_requests: int  # requests to a.test articles, retries included
    reason: str  # in the host-paused error's message
    until: timedelta | None  # the skipped URLs' next_check, from now; None: left for the next run


OVERLOADS = [
    Overload("503 in a row", reply("down", 503), PAUSE_AFTER, PAUSE_AFTER * (1 + RETRIES), "in a row", None),
    Overload("429 in a row", reply("slow", 429, Retry_After="2"), PAUSE_AFTER, PAUSE_AFTER * 2, "429", None),
    Overload("Retry-After a day", reply("later", 503, Retry_After="86400"), 1, 1, "86400", timedelta(days=1)),
    Overload(
        "Retry-After a month, clamped to a week",
        reply("later", 429, Retry_After=str(30 * 86400)),
        1,
        1,
        "2.592e+06",
        timedelta(days=7),
    ),
]


@pytest.mark.parametrize("case", OVERLOADS, ids=lambda c: c.name)
async def test_an_overloaded_host_is_paused_and_another_host_goes_on(case: Overload) -> None:
    web = MockWeb()
    a_urls, b_urls = articles(A, 8), articles(B, 3)
    sites = (serve(web, A, a_urls, case.handler), serve(web, B, b_urls))
    frontier = MemoryFrontier()
    before = datetime.now(UTC)
    report, stored = await run(web, sites, frontier)

    hits = article_hits(web, a_urls)
    assert list(hits) == a_urls[: case.requested]  # the rest of a.test is never asked
    assert sum(hits.values()) <= case.max_requests
    paused = [e for e in report.errors if e.kind == "host-paused"]
    assert len(paused) == 1 and paused[0].site == "a"  # one error for the host, not one per URL
    assert "a.test" in paused[0].message and case.reason in paused[0].message
    # b.test is unaffected: every article stored, none of its URLs in an error.
    assert set(b_urls) <= stored and not [e for e in report.errors if e.site == "b"]

    for url in a_urls[case.requested :]:
        rec = frontier.get(url)
        assert rec is not None
        if case.until is None:
            assert rec.state == "new"  # untouched: the next run takes it up
        else:
            assert rec.state == "failed" and rec.last_error and rec.last_error.startswith("host-paused")
            assert rec.next_check is not None
            assert abs(rec.next_check - (before + case.until)) < timedelta(minutes=1)


async def test_a_long_retry_after_on_the_entry_point_is_kept_for_the_next_run() -> None:
    web = MockWeb()
    urls = articles(A, 2)
    site = serve(web, A, urls)
    web.routes[A + "/sitemap.xml"] = reply("later", 503, Retry_After="86400")
    frontier = MemoryFrontier()
    first, _ = await run(web, (site,), frontier)
    assert [e.kind for e in first.errors] == ["http-5xx", "host-paused"]
    rec = frontier.get(A + "/sitemap.xml")
    assert rec is not None and rec.last_error and rec.last_error.startswith("host-paused")
    # The next run (the host still asked for a day) does not ask the sitemap again.
    second, _ = await run(web, (site,), frontier)
    assert len(web.hits(A + "/sitemap.xml")) == 1 and second.errors == []


async def test_a_host_that_recovers_is_crawled_next_run() -> None:
    web = MockWeb()
    urls = articles(A, 6)
    site = serve(web, A, urls, reply("down", 503))
    frontier = MemoryFrontier()
    first, stored = await run(web, (site,), frontier)
    assert stored == set() and [e.kind for e in first.errors].count("host-paused") == 1
    for url in urls:
        web.routes[url] = reply(page(url))  # the host is back
    second, stored = await run(web, (site,), frontier)
    # The URLs never asked in the first run are fetched and stored; the failed ones wait their backoff.
    assert set(urls[PAUSE_AFTER:]) <= stored
    assert not [e for e in second.errors if e.kind == "host-paused"]


def failure(status: int | None, retry_after: float | None = None, kind: str = "http-5xx") -> FetchFailure:
    return FetchFailure("http://h.test/x", kind, "x", status=status, retry_after=retry_after)


@pytest.mark.parametrize(
    ("name", "answers", "paused"),
    [
        ("three 503s", [failure(503)] * 3, True),
        ("two 503s", [failure(503)] * 2, False),
        (
            "a 404 between resets the count",
            [failure(503), failure(503), failure(404, kind="http-404")] + [failure(503)] * 2,
            False,
        ),
        (
            "a timeout neither counts nor resets",
            [failure(503), failure(None, kind="timeout")] + [failure(503)] * 2,
            True,
        ),
        ("a short Retry-After counts as one", [failure(429, 30)], False),
        ("a long Retry-After pauses at once", [failure(429, 3600)], True),
        ("a Retry-After past a year is a broken header", [failure(429, 999999999999)], False),
    ],
)
def test_the_breaker_counts_overload_answers(name: str, answers: list[FetchFailure], paused: bool) -> None:
    breaker = HostBreaker()
    for answer in answers:
        breaker.failed("h.test", answer, datetime.now(UTC))
    assert (breaker.pause_of("h.test") is not None) is paused
    assert breaker.pause_of("other.test") is None


def test_an_answer_resets_the_count() -> None:
    breaker = HostBreaker()
    breaker.failed("h.test", failure(503), datetime.now(UTC))
    breaker.failed("h.test", failure(503), datetime.now(UTC))
    breaker.answered("h.test")
    breaker.failed("h.test", failure(503), datetime.now(UTC))
    assert breaker.pause_of("h.test") is None
