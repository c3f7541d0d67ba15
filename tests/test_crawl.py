"""The crawl loop end to end against the fixture news sites (real HTTP on 127.0.0.1, MemoryFrontier).

Expectations come from ``thidua/demo/sites/expected.json`` (the fixture helper's contract file): which
articles exist and what their fields are, which paths robots.txt forbids, which URLs carry which fault.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import itertools
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from protego import Protego

from scraper.article import Article
from scraper.crawl import CrawlOptions, CrawlReport, crawl, crawl_sync
from scraper.errors import ScraperError
from scraper.frontier import MemoryFrontier
from scraper.relevance import RelevanceGate
from scraper.sites import Site, parse_sites
from scraper.urls import canonical_url
from tests.mock_http import Handler, MockWeb, Streamed, failing, redirect, reply, sequence
from thidua.demo.sitespec import to_cp1258

DELAY = 0.2
# The timeout must stay under the fixture "slow" fault (1.5 s) so that page times out, which only
# gets surer on a loaded machine. The body cap is 1 MB, not 5 MB: no fixture page comes near it, and
# the oversize fault (6 MB streamed) is then refused after 1 MB, far inside the request's deadline
# (3 × timeout) even 4× slower; at 5 MB that read raced the deadline and once ended in "timeout".
CAP = 1_000_000
OPTIONS = CrawlOptions(delay=DELAY, timeout=0.8, retries=2, max_bytes=CAP)
# The tests that crawl the vcc site many times (kill, resume, store failures) go at a quicker pace;
# the pace itself is asserted on the main runs (and deterministically on a virtual clock below).
QUICK = CrawlOptions(delay=0.05, timeout=0.8, retries=2, max_bytes=CAP)
# Server log times are read on the same monotonic clock the fetcher paces with; the epsilon covers
# the event loop waking a timer up to its clock resolution early. Lower bounds only: load can only
# make gaps longer.
EPSILON = 1e-3


@dataclass
class Run:
    """One crawl: its report, the articles handed on (by canonical URL) and the server log."""

    report: CrawlReport
    stored: dict[str, Article]
    log: list[Any]
    frontier: MemoryFrontier


def configured(fx: Any) -> tuple[Site, ...]:
    return parse_sites(tomllib.loads(fx.sites_toml(delay=DELAY))["site"], origin="fixture sites")


def run_crawl(
    fx: Any,
    sites: tuple[Site, ...],
    frontier: MemoryFrontier,
    options: CrawlOptions = OPTIONS,
    stored: dict[str, Article] | None = None,
) -> Run:
    fx.reset_faults()
    fx.clear_log()
    store: dict[str, Article] = {} if stored is None else stored
    report = crawl_sync(sites, frontier, lambda a: store.__setitem__(a.canonical_url, a), options)
    return Run(report, store, fx.log, frontier)


def expected_articles(fx: Any, sites: tuple[Site, ...]) -> dict[str, dict[str, Any]]:
    names = {s.name for s in sites}
    return {url: exp for url, exp in fx.expected()["articles"].items() if exp["site"] in names}


@pytest.fixture(scope="module")
def sites(fixture_sites: Any) -> tuple[Site, ...]:
    warm_up(fixture_sites)
    return configured(fixture_sites)


def warm_up(fx: Any) -> None:
    """Have the fixture server build its gzip bomb now, outside any crawl's timeout.

    The server compresses 64 MB on the first request for the bomb; on a loaded machine that took
    longer than the crawl's 0.8 s read timeout, so the bomb ended in "timeout", not "too-large".
    Only the headers are read here (reading the body would inflate the 64 MB).
    """
    for url, fault in fault_cases(fx):
        if fault == "gzip-bomb":
            with httpx.stream("GET", url, timeout=120) as response:
                assert response.headers["content-encoding"] == "gzip"


@pytest.fixture(scope="module")
def vcc(sites: tuple[Site, ...]) -> tuple[Site, ...]:
    """The fixture site without a Crawl-delay: the tests that crawl many times use it alone."""
    return tuple(s for s in sites if s.name == "vcc")


def reference_of(gate_runs: Any, site: str) -> set[tuple[str, str]]:
    return {(u, a.content_hash) for u, a in gate_runs[0].stored.items() if a.site == site}


@pytest.fixture(scope="module")
def gate_runs(fixture_sites: Any, sites: tuple[Site, ...]) -> tuple[Run, Run]:
    """A nightly crawl (relevance gate on) and a second one right after, on one frontier."""
    frontier = MemoryFrontier()
    first = run_crawl(fixture_sites, sites, frontier)
    second = run_crawl(fixture_sites, sites, frontier)
    return first, second


@pytest.fixture(scope="module")
def full_run(fixture_sites: Any, sites: tuple[Site, ...]) -> Run:
    """A full crawl (gate off, listings to the end): every fixture page and fault is met."""
    return run_crawl(
        fixture_sites, sites, MemoryFrontier(), dataclasses.replace(OPTIONS, retries=3, full=True)
    )


def find(stored: dict[str, Article], url: str) -> Article | None:
    key = canonical_url(url)
    return stored.get(key) or next((a for a in stored.values() if canonical_url(a.url) == key), None)


def check_fields(article: Article, exp: dict[str, Any]) -> None:
    for text in (article.title, article.lead, article.body, article.author or ""):
        assert unicodedata.is_normalized("NFC", text)
    assert article.title == exp["title"]
    assert article.author == exp["author"]
    published = datetime.fromisoformat(exp["published"]) if exp.get("published") else None
    assert article.published == published
    assert article.lead.startswith(exp["lead_startswith"])
    for needle in exp.get("body_contains", []):
        assert needle in article.body
    for needle in exp.get("body_excludes", []):
        assert needle not in article.body
    assert article.content_hash


# -- what is found ------------------------------------------------------------------------------


def test_every_relevant_article_is_found_and_parsed(fixture_sites: Any, sites: Any, gate_runs: Any) -> None:
    first, _ = gate_runs
    relevant = {u: e for u, e in expected_articles(fixture_sites, sites).items() if e["relevant"]}
    assert relevant, "the fixture sites should have relevant articles"
    for url, exp in relevant.items():
        article = find(first.stored, url)
        assert article is not None, f"relevant article not handed on: {url}"
        check_fields(article, exp)
    assert first.report.new_articles == len(first.stored)


def test_full_crawl_hands_on_every_article_of_the_configured_sites(
    fixture_sites: Any, sites: Any, full_run: Run
) -> None:
    for url, exp in expected_articles(fixture_sites, sites).items():
        article = find(full_run.stored, url)
        assert article is not None, f"article not handed on by a full crawl: {url}"
        check_fields(article, exp)


def test_one_text_reached_by_several_urls_is_handed_on_once(full_run: Run) -> None:
    hashes = [a.content_hash for a in full_run.stored.values()]
    assert len(hashes) == len(set(hashes))
    fetched = [r for r in full_run.frontier.records.values() if r.kind == "article" and r.state == "fetched"]
    # Every canonical URL a page named is recorded too, so it is never fetched again.
    for article in full_run.stored.values():
        record = full_run.frontier.get(article.canonical_url)
        assert record is not None and record.state == "fetched"
        assert record.content_hash == article.content_hash
    assert len(fetched) >= len(full_run.stored)


def test_gate_skips_articles_without_search_terms(
    fixture_sites: Any, sites: Any, gate_runs: Any, full_run: Run
) -> None:
    first, _ = gate_runs
    assert set(first.stored) <= set(full_run.stored)
    gate = RelevanceGate(OPTIONS.search_terms)
    off_topic = [
        url
        for url, exp in expected_articles(fixture_sites, sites).items()
        if not gate.matches(url=url, title=exp["title"], lead=exp["lead_startswith"])
    ]
    assert off_topic, "the fixture sites should have articles without the search terms"
    requested = {(e.host, e.path) for e in first.log}
    for url in off_topic:
        assert find(first.stored, url) is None, f"the gate let through {url}"
        assert (urlsplit(url).netloc, urlsplit(url).path) not in requested
        assert find(full_run.stored, url) is not None, f"a full crawl must fetch {url}"
        record = first.frontier.get(canonical_url(url))
        assert record is not None and record.state == "skipped"
    assert first.report.skipped >= len(off_topic)


# -- politeness ---------------------------------------------------------------------------------


def test_robots_disallowed_paths_are_never_requested(
    fixture_sites: Any, gate_runs: Any, full_run: Run
) -> None:
    expected = fixture_sites.expected()
    disallowed = expected["disallowed_paths"]
    for run in (*gate_runs, full_run):
        for entry in run.log:
            for prefix in disallowed.get(entry.site, []):
                assert not entry.path.startswith(prefix), f"requested a disallowed path: {entry.path}"
    for item in expected["never_fetch"]:
        parts = urlsplit(item["url"])
        assert not any(e.path == parts.path and e.host.endswith(str(parts.port)) for e in full_run.log), (
            f"fetched {item['url']} ({item['why']})"
        )


def crawl_delay(fx: Any, site: str) -> float:
    text = httpx.get(fx.base_url(site) + "/robots.txt").text
    return float(Protego.parse(text).crawl_delay("thidua") or 0.0)


def test_gap_between_two_requests_to_one_host_is_never_under_the_delay(
    fixture_sites: Any, gate_runs: Any, full_run: Run
) -> None:
    for run in (*gate_runs, full_run):
        by_host: dict[tuple[str, str], list[float]] = defaultdict(list)
        for entry in run.log:
            by_host[(entry.site, entry.host)].append(entry.time)
        assert by_host
        for (site, _host), times in by_host.items():
            pace = max(DELAY, crawl_delay(fixture_sites, site))
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert all(g >= pace - EPSILON for g in gaps), f"{site}: gap {min(gaps):.3f} s under {pace} s"


def test_robots_is_fetched_once_per_host_per_run(gate_runs: Any, full_run: Run) -> None:
    for run in (*gate_runs, full_run):
        robots = [(e.site, e.host) for e in run.log if e.path == "/robots.txt"]
        assert len(robots) == len(set(robots))


def test_honest_user_agent(full_run: Run) -> None:
    agents = {e.headers.get("User-Agent") or e.headers.get("user-agent") for e in full_run.log}
    assert agents == {OPTIONS.user_agent}


# -- incremental --------------------------------------------------------------------------------


def test_second_crawl_sends_only_conditional_requests_and_fetches_no_article(
    sites: tuple[Site, ...], gate_runs: Any
) -> None:
    first, second = gate_runs
    assert first.report.requests > 0 and first.report.new_articles > 0
    assert second.report.new_articles == 0 and second.report.pages_fetched == 0
    patterns = [re.compile(s.article_url) for s in sites if s.article_url]
    for entry in second.log:  # robots.txt too: it is kept in the frontier and asked for conditionally
        headers = {k.lower(): v for k, v in entry.headers.items()}
        assert "if-none-match" in headers or "if-modified-since" in headers, f"unconditional: {entry.path}"
        assert entry.status == 304
        assert not any(p.search(entry.path.split("?")[0]) for p in patterns), f"article again: {entry.path}"
    pages = [e for e in second.log if e.path != "/robots.txt"]  # not_modified counts pages, not robots
    assert second.report.not_modified == len([e for e in pages if e.status == 304])


# -- faults -------------------------------------------------------------------------------------


def errors_for(run: Run, url: str) -> set[str]:
    key = canonical_url(url)
    return {e.kind for e in run.report.errors if e.url in (url, key)}


def requests_to(run: Run, url: str) -> list[Any]:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return [e for e in run.log if e.path == target and e.host.endswith(f":{parts.port}")]


def fault_404(run: Run, url: str) -> None:
    assert "http-404" in errors_for(run, url)
    record = run.frontier.get(canonical_url(url))
    assert record is not None and record.state == "gone" and record.last_error


def fault_410(run: Run, url: str) -> None:
    assert "http-410" in errors_for(run, url)
    record = run.frontier.get(canonical_url(url))
    assert record is not None and record.state == "gone"


def fault_too_large(run: Run, url: str) -> None:
    assert "too-large" in errors_for(run, url)


def fault_offsite(run: Run, url: str) -> None:
    assert "offsite" in errors_for(run, url)
    assert len(requests_to(run, url)) == 1


def fault_parse(run: Run, url: str) -> None:
    assert "parse" in errors_for(run, url)
    record = run.frontier.get(url)
    assert record is not None and record.state == "failed" and record.next_check is not None


def fault_retried(run: Run, url: str) -> None:
    hits = requests_to(run, url)
    assert [h.status for h in hits][:2] in ([500, 200], [429, 200])
    if hits[0].status == 429:
        assert hits[1].time - hits[0].time >= 1.0 - EPSILON  # Retry-After: 1
    assert find(run.stored, url) is not None or any(
        canonical_url(url) == (r.url) and r.state == "fetched" for r in run.frontier.records.values()
    )
    assert not errors_for(run, url)


def fault_redirect(run: Run, url: str) -> None:
    record = run.frontier.get(canonical_url(url))
    assert record is not None and record.state == "fetched"
    assert not errors_for(run, url)


def fault_timeout(run: Run, url: str) -> None:
    assert "timeout" in errors_for(run, url)


def fault_loop(run: Run, url: str) -> None:
    assert "redirect" in errors_for(run, url)


def fault_decoded(run: Run, url: str) -> None:
    article = find(run.stored, url)
    assert article is not None
    assert unicodedata.is_normalized("NFC", article.title + article.body)


def fault_duplicate(run: Run, url: str) -> None:
    record = run.frontier.get(canonical_url(url))
    article = find(run.stored, url)
    text_hash = article.content_hash if article else (record.content_hash if record else None)
    assert text_hash is not None, f"the duplicate {url} was never reached"
    assert [a.content_hash for a in run.stored.values()].count(text_hash) == 1


FAULT_CHECKS: dict[str, Callable[[Run, str], None]] = {
    "404": fault_404,
    "410": fault_410,
    "oversize": fault_too_large,
    "gzip-bomb": fault_too_large,
    "offsite-redirect": fault_offsite,
    "malformed-xml": fault_parse,
    "fail-once-500": fault_retried,
    "retry-after-429": fault_retried,
    "redirect": fault_redirect,
    "slow": fault_timeout,
    "redirect-loop": fault_loop,
    "windows-1258": fault_decoded,
    "nfd": fault_decoded,
    "duplicate": fault_duplicate,
}


def fault_cases(fx: Any) -> Iterator[tuple[str, str]]:
    yield from fx.expected().get("faults", {}).items()


def test_each_fault_yields_the_right_behaviour(fixture_sites: Any, sites: Any, full_run: Run) -> None:
    names = {s.name for s in sites}
    faults = [
        (u, f)
        for u, f in fault_cases(fixture_sites)
        if any(u.startswith(fixture_sites.base_url(n)) for n in names)
    ]
    assert faults, "the fixture sites should carry faults"
    for url, fault in faults:
        check = FAULT_CHECKS.get(fault)
        assert check is not None, f"no check written for fixture fault {fault!r}"
        check(full_run, url)
    for error in full_run.report.errors:
        record = full_run.frontier.get(error.url) or full_run.frontier.get(canonical_url(error.url))
        assert record is not None and record.last_error, f"error not recorded in the frontier: {error}"


# -- kill and resume ----------------------------------------------------------------------------


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so the crawler does not catch it."""


def test_killed_crawl_resumed_ends_with_the_same_articles(
    fixture_sites: Any, vcc: Any, gate_runs: Any
) -> None:
    reference = reference_of(gate_runs, "vcc")
    assert len(reference) >= 3
    for kill_after in (1, len(reference) - 1):
        frontier = MemoryFrontier()
        stored: dict[str, Article] = {}

        def dying(article: Article, stored: dict[str, Article] = stored, n: int = kill_after) -> None:
            stored[article.canonical_url] = article
            if len(stored) == n:
                raise Killed  # after storing, before the crawler marks the URL fetched

        fixture_sites.reset_faults()
        with pytest.raises(Killed):
            crawl_sync(vcc, frontier, dying, QUICK)
        assert len(stored) == kill_after
        run_crawl(fixture_sites, vcc, frontier, QUICK, stored=stored)
        assert {(u, a.content_hash) for u, a in stored.items()} == reference


async def test_cancelled_crawl_resumed_ends_with_the_same_articles(
    fixture_sites: Any, vcc: Any, gate_runs: Any
) -> None:
    reference = reference_of(gate_runs, "vcc")
    frontier = MemoryFrontier()
    stored: dict[str, Article] = {}
    two = asyncio.Event()

    def keep(article: Article) -> None:
        stored[article.canonical_url] = article
        if len(stored) >= 2:
            two.set()

    fixture_sites.reset_faults()
    task = asyncio.create_task(crawl(vcc, frontier, keep, QUICK))
    await asyncio.wait_for(two.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert 2 <= len(stored) < len(reference)
    fixture_sites.reset_faults()
    await crawl(vcc, frontier, keep, QUICK)
    assert {(u, a.content_hash) for u, a in stored.items()} == reference


def test_store_failure_is_a_page_error_and_retried_next_run(
    fixture_sites: Any, vcc: Any, gate_runs: Any
) -> None:
    reference = reference_of(gate_runs, "vcc")
    frontier = MemoryFrontier()
    calls: list[str] = []

    def broken(article: Article) -> None:
        calls.append(article.canonical_url)
        raise OSError("disk full")

    fixture_sites.reset_faults()
    report = crawl_sync(vcc, frontier, broken, QUICK)
    assert calls and report.new_articles == 0
    assert {e.kind for e in report.errors} >= {"store"}
    for url in calls:
        # An article reached by two links (a renamed slug, the same id) is one record: the first one's.
        record = frontier.get(url) or frontier.article_twin("vcc", url)
        assert record is not None and record.state == "failed" and "disk full" in (record.last_error or "")
    again = run_crawl(fixture_sites, vcc, frontier, QUICK)
    assert {(u, a.content_hash) for u, a in again.stored.items()} == reference


# -- a site with no configuration, and bad options ----------------------------------------------


def test_unconfigured_site_crawled_with_an_ad_hoc_site(fixture_sites: Any) -> None:
    expected = {u: e for u, e in fixture_sites.expected()["articles"].items() if e["site"] == "plain"}
    base = fixture_sites.base_url("plain")
    site = Site("plain", (urlsplit(base).netloc,), (base + "/",), delay=DELAY)
    run = run_crawl(
        fixture_sites, (site,), MemoryFrontier(), dataclasses.replace(OPTIONS, retries=3, full=True)
    )
    for url, exp in expected.items():
        article = find(run.stored, url)
        assert article is not None, f"not found on the unconfigured site: {url}"
        check_fields(article, exp)
        assert article.site == "plain"
    plain_faults = [(u, f) for u, f in fault_cases(fixture_sites) if u.startswith(base)]
    assert plain_faults, "the plain site should carry the encoding faults"
    for url, fault in plain_faults:
        FAULT_CHECKS[fault](run, url)


@pytest.mark.parametrize(
    "options",
    [
        CrawlOptions(delay=-1),
        CrawlOptions(timeout=0),
        CrawlOptions(max_bytes=0),
        CrawlOptions(user_agent=" "),
    ],
)
def test_bad_options_raise_before_any_request(options: CrawlOptions) -> None:
    with pytest.raises(ScraperError, match="cannot start the crawl"):
        crawl_sync((Site("x", ("127.0.0.1:9",), ("http://127.0.0.1:9/",)),), MemoryFrontier(), print, options)


def test_max_pages_caps_article_fetches_per_site(fixture_sites: Any, sites: tuple[Site, ...]) -> None:
    run = run_crawl(fixture_sites, sites, MemoryFrontier(), dataclasses.replace(OPTIONS, max_pages=2))
    for site_report in run.report.sites:
        assert site_report.pages_fetched <= 2


def test_since_skips_older_entries_and_stops_listings(fixture_sites: Any, vcc: tuple[Site, ...]) -> None:
    since = date(2026, 2, 1)
    options = dataclasses.replace(QUICK, retries=3, full=True, since=since)
    run = run_crawl(fixture_sites, vcc, MemoryFrontier(), options)
    expected = expected_articles(fixture_sites, vcc)
    newer = {u for u, e in expected.items() if datetime.fromisoformat(e["published"]).date() >= since}
    older = set(expected) - newer
    assert newer and older
    for url in newer:
        assert find(run.stored, url) is not None, f"newer than --since but not handed on: {url}"
    requested = {e.path for e in run.log}
    for url in older:
        assert urlsplit(url).path not in requested, f"older than --since but fetched: {url}"
    assert run.report.skipped >= len(older)


# -- search pages and robots trouble, on a scripted local server ---------------------------------

SEARCH_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Tìm kiếm</title></head><body>
<div class="item"><h3><a href="/tin-tuc/hoi-nghi-so-ket-quy-i-1491900001">Hội nghị sơ kết quý I</a></h3></div>
<div class="item"><h3><a href="/tin-tuc/trao-co-dan-dau-1491900002">Trao cờ dẫn đầu</a></h3></div>
</body></html>"""


def local_article(title: str) -> bytes:
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2026-03-05T09:00:00+07:00"></head><body>
<article><h1>{title}</h1><p class="sapo">Sáng 5/3, các đơn vị trong Cụm thi đua số 2 tổ chức hội nghị.</p>
<p>Các đơn vị thống nhất nhiều chỉ tiêu thi đua trọng tâm trong năm 2026, chú trọng chuyển đổi số.</p>
<p>Hội nghị cũng bầu đơn vị cụm trưởng và cụm phó cho năm tiếp theo theo nguyên tắc luân phiên.</p>
</article></body></html>""".encode()


def test_search_pages_are_read_for_every_term_and_their_hits_pass_the_gate(local_server: Any) -> None:
    from tests.conftest import Hit, Reply

    def conditional(body: bytes, ctype: str) -> Callable[[Hit, int], Reply]:
        def route(hit: Hit, n: int) -> Reply:
            if hit.headers.get("if-none-match") == '"s1"':
                return Reply(304, b"", {"ETag": '"s1"'})
            return Reply(200, body, {"Content-Type": ctype, "ETag": '"s1"'})

        return route

    local_server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nDisallow: /private/\n")
    local_server.routes["/tim-kiem"] = conditional(SEARCH_PAGE.encode(), "text/html; charset=utf-8")
    local_server.routes["/tin-tuc/hoi-nghi-so-ket-quy-i-1491900001"] = lambda hit, n: Reply(
        200, local_article("Hội nghị sơ kết quý I"), {"Content-Type": "text/html; charset=utf-8"}
    )
    local_server.routes["/tin-tuc/trao-co-dan-dau-1491900002"] = lambda hit, n: Reply(
        200, local_article("Trao cờ dẫn đầu"), {"Content-Type": "text/html; charset=utf-8"}
    )
    base = local_server.base
    site = Site("local", (urlsplit(base).netloc,), (), delay=0.0, search=(base + "/tim-kiem?q={query}",))
    frontier = MemoryFrontier()
    stored: list[Article] = []
    options = CrawlOptions(delay=0.0, timeout=2.0)
    report = crawl_sync((site,), frontier, stored.append, options)
    # Every term's page, once each; in any order: the entry points are walked side by side, each on
    # its own connection, and the server logs them as its threads read them.
    searches = [p for p in local_server.paths() if p.startswith("/tim-kiem")]
    assert sorted(searches) == sorted(
        [
            "/tim-kiem?q=c%E1%BB%A5m+thi+%C4%91ua",
            "/tim-kiem?q=kh%E1%BB%91i+thi+%C4%91ua",
            "/tim-kiem?q=giao+%C6%B0%E1%BB%9Bc+thi+%C4%91ua",
        ]
    )
    assert sorted(a.title for a in stored) == ["Hội nghị sơ kết quý I", "Trao cờ dẫn đầu"]
    assert report.errors == []
    local_server.hits.clear()
    again = crawl_sync((site,), frontier, stored.append, options)
    assert again.new_articles == 0 and again.not_modified == 3
    assert [p for p in local_server.paths() if p.startswith("/tin-tuc/")] == []


def test_search_path_disallowed_by_robots_is_never_requested(
    fixture_sites: Any, vcc: tuple[Site, ...]
) -> None:
    base = fixture_sites.base_url("vcc")
    site = Site("vcc", vcc[0].hosts, (), delay=DELAY, search=(base + "/tim-kiem.htm?keywords={query}",))
    fixture_sites.clear_log()
    report = crawl_sync((site,), MemoryFrontier(), print, OPTIONS)
    assert [e.path for e in fixture_sites.log] == ["/robots.txt"]
    assert [e.kind for e in report.errors] == ["robots"] * 3
    assert report.skipped == 3


def test_robots_server_error_backs_the_host_off(local_server: Any) -> None:
    from tests.conftest import Reply

    local_server.routes["/robots.txt"] = lambda hit, n: Reply(503, b"busy")
    local_server.routes["/rss.rss"] = lambda hit, n: Reply(200, b"<rss></rss>")
    base = local_server.base
    site = Site("local", (urlsplit(base).netloc,), (base + "/rss.rss", base + "/sitemap.xml"), delay=0.0)
    frontier = MemoryFrontier()
    report = crawl_sync((site,), frontier, print, CrawlOptions(delay=0.0, retries=1))
    assert local_server.paths() == ["/robots.txt", "/robots.txt"]
    assert {e.kind for e in report.errors} == {"unreachable"}  # retried on a later run, unlike "robots"
    record = frontier.get(base + "/rss.rss")
    assert record is not None and record.state == "failed" and record.next_check is not None


def test_a_site_with_the_gate_off_fetches_every_listed_article(
    fixture_sites: Any, vcc: tuple[Site, ...], gate_runs: Any
) -> None:
    ungated = tuple(dataclasses.replace(s, gate=False) for s in vcc)
    run = run_crawl(fixture_sites, ungated, MemoryFrontier())
    gated = {u for u, a in gate_runs[0].stored.items() if a.site == "vcc"}
    assert gated < set(run.stored), "with the gate off the site's off-topic articles are fetched too"
    gate = RelevanceGate(OPTIONS.search_terms)
    assert any(not gate.matches(url=u, title=a.title, lead=a.lead) for u, a in run.stored.items())


# -- faults, pace and retries on httpx.MockTransport and a virtual clock ---------------------------
# The same faults as the fixture sites, one mock site per case: nothing sleeps for real and no
# outcome depends on how busy the machine is (a timeout is a handler raising httpx.ReadTimeout).

M = "http://m.test"
OTHER = "http://other.test"
M_DELAY = 0.5


def mock_article(title: str, body: str = "") -> str:
    return local_article(title).decode().replace("</article>", f"<p>{body}</p></article>")


def sitemap(*urls: str) -> str:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>2026-03-05</lastmod></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


def mock_site(web: MockWeb, *articles: str, robots: str = "User-agent: *\nAllow: /\n") -> Site:
    """Route robots.txt and a sitemap listing ``articles`` on m.test; the site that crawls them."""
    web.routes[M + "/robots.txt"] = reply(robots, content_type="text/plain")
    web.routes[M + "/sitemap.xml"] = reply(sitemap(*articles), content_type="application/xml")
    return Site("m", ("m.test",), (M + "/sitemap.xml",), delay=M_DELAY, gate=False)


async def mock_crawl(
    web: MockWeb, site: Site, frontier: MemoryFrontier | None = None, **options: Any
) -> tuple[CrawlReport, dict[str, Article], MemoryFrontier]:
    frontier = frontier if frontier is not None else MemoryFrontier()
    stored: dict[str, Article] = {}
    report = await crawl(
        (site,),
        frontier,
        lambda a: stored.__setitem__(a.canonical_url, a),
        CrawlOptions(**{"retries": 2, "max_bytes": 100_000, **options}),
        transport=web.transport(),
        clock=web.clock,
        sleep=web.clock.sleep,
    )
    return report, stored, frontier


@dataclass(frozen=True)
class MockFault:
    """A fault case: what the article URL answers, and what the crawl must have made of it."""

    name: str
    handler: Handler
    kind: str | None  # the PageError kind for the URL, or None: no error, the article is handed on
    state: str  # the URL's frontier state after the crawl
    requests: int  # requests sent to the article URL (retries included)
    next_check: bool = False  # a failure worth another try on a later run


TITLE = "Cụm thi đua số 7 ký kết giao ước thi đua"
ARTICLE = mock_article(TITLE)
BIG = Streamed(b"<html><body>" + b"x" * 300_000 + b"</body></html>", chunks=100)
BOMB = gzip.compress(b"<html><body>" + b"\0" * 30_000_000, compresslevel=9)
MOCK_FAULTS = [
    MockFault("404", reply("gone", 404), "http-404", "gone", 1),
    MockFault("410", reply("gone", 410), "http-410", "gone", 1),
    MockFault("fail-once-500", sequence(reply("oops", 500), reply(ARTICLE)), None, "fetched", 2),
    MockFault("persistent-503", reply("down", 503), "http-5xx", "failed", 3, next_check=True),
    MockFault(
        "retry-after-429", sequence(reply("", 429, Retry_After="3"), reply(ARTICLE)), None, "fetched", 2
    ),
    MockFault("slow", failing(httpx.ReadTimeout), "timeout", "failed", 1, next_check=True),
    MockFault("connect", failing(httpx.ConnectError), "connect", "failed", 3, next_check=True),
    MockFault("redirect", redirect(M + "/tin/moi-1491900009", 301), None, "fetched", 1),
    MockFault("redirect-loop", redirect(M + "/tin/vong-1491900008"), "redirect", "failed", 1, True),
    MockFault("offsite-redirect", redirect(OTHER + "/tin/x"), "offsite", "skipped", 1),
    MockFault("oversize", BIG.handler, "too-large", "skipped", 1),
    MockFault("gzip-bomb", reply(BOMB, Content_Encoding="gzip"), "too-large", "skipped", 1),
    MockFault("not-an-article", reply("<html><body></body></html>"), "parse", "failed", 1, True),
]


@pytest.mark.parametrize("fault", MOCK_FAULTS, ids=lambda f: f.name)
async def test_each_fault_on_a_mock_site(fault: MockFault) -> None:
    web = MockWeb()
    url = M + "/tin/bai-1491900001"
    web.routes[url] = fault.handler
    web.routes[M + "/tin/moi-1491900009"] = reply(ARTICLE)  # the redirect's target
    web.routes[M + "/tin/vong-1491900008"] = redirect(url)  # the loop's other half
    report, stored, frontier = await mock_crawl(web, mock_site(web, url))
    assert {e.kind for e in report.errors if e.url == url} == ({fault.kind} if fault.kind else set())
    assert len(web.hits(url)) == fault.requests
    record = frontier.get(url)
    assert record is not None and record.state == fault.state
    assert (record.next_check is not None) == fault.next_check
    if fault.kind is None:
        assert [a.title for a in stored.values()] == [TITLE]
        assert record.last_error is None
    else:
        assert stored == {} and record.last_error and record.last_error.startswith(fault.kind)
    assert not [s for s in web.seen if s.host == "other.test"]  # an off-site hop is never requested
    # Every request counted, and every gap to the host at least its pace, on the virtual clock.
    assert report.requests == len(web.seen)
    assert all(b - a >= M_DELAY - 1e-6 for a, b in itertools.pairwise(web.times("m.test")))


def test_the_mock_fault_table_covers_every_fixture_fault(fixture_sites: Any) -> None:
    covered = {f.name for f in MOCK_FAULTS} | {"malformed-xml", "windows-1258", "nfd", "duplicate"}
    assert set(fixture_sites.expected()["faults"].values()) <= covered


async def test_retry_after_on_a_mock_site_waits_on_the_clock() -> None:
    web = MockWeb()
    url = M + "/tin/bai-1491900001"
    web.routes[url] = sequence(reply("", 429, Retry_After="30"), reply(ARTICLE))
    report, stored, _ = await mock_crawl(web, mock_site(web, url))
    first, second = web.hits(url)
    assert second.at - first.at >= 30 - 1e-6 and 30.0 in web.clock.sleeps
    assert report.errors == [] and len(stored) == 1


async def test_malformed_sitemap_is_a_parse_error_retried_later() -> None:
    web = MockWeb()
    site = mock_site(web)
    web.routes[M + "/sitemap.xml"] = reply("<urlset><url><loc>http://m.test/a</lo", content_type="text/xml")
    report, stored, frontier = await mock_crawl(web, site)
    assert [e.kind for e in report.errors] == ["parse"]
    record = frontier.get(M + "/sitemap.xml")
    assert record is not None and record.state == "failed" and record.next_check is not None
    assert stored == {}


@pytest.mark.parametrize(
    ("encode", "content_type"),
    [
        (to_cp1258, "text/html; charset=windows-1258"),
        (lambda t: unicodedata.normalize("NFD", t).encode(), "text/html; charset=utf-8"),
    ],
    ids=["windows-1258", "nfd"],
)
async def test_legacy_encodings_and_nfd_are_read_as_nfc(
    encode: Callable[[str], bytes], content_type: str
) -> None:
    web = MockWeb()
    url = M + "/tin/bai-1491900001"
    page = mock_article(TITLE, "Đồng chí Nguyễn Thị Hương phát biểu chỉ đạo hội nghị.")
    if "1258" in content_type:
        page = page.replace('charset="utf-8"', 'charset="windows-1258"')
    web.routes[url] = reply(encode(page), content_type=content_type)
    report, stored, _ = await mock_crawl(web, mock_site(web, url))
    assert report.errors == []
    [article] = stored.values()
    assert article.title == TITLE
    assert "Nguyễn Thị Hương" in article.body
    assert unicodedata.is_normalized("NFC", article.title + article.lead + article.body)


async def test_one_text_at_two_urls_is_handed_on_once() -> None:
    web = MockWeb()
    urls = [M + "/tin/bai-1491900001", M + "/tin/ban-sao-1491900002"]
    for u in urls:
        web.routes[u] = reply(ARTICLE)
    report, stored, frontier = await mock_crawl(web, mock_site(web, *urls))
    assert len(stored) == 1 and report.duplicates == 1
    hashes = {r.content_hash for u in urls if (r := frontier.get(u)) is not None and r.state == "fetched"}
    assert hashes == {next(iter(stored.values())).content_hash}


@pytest.mark.parametrize(
    ("site_delay", "crawl_delay", "pace"), [(0.5, None, 0.5), (0.5, 4, 4.0), (3.0, 1, 3.0)]
)
async def test_crawl_pace_on_the_virtual_clock(
    site_delay: float, crawl_delay: int | None, pace: float
) -> None:
    web = MockWeb()
    urls = [f"{M}/tin/bai-{1491900010 + i}" for i in range(5)]
    for i, u in enumerate(urls):
        web.routes[u] = reply(mock_article(f"{TITLE} lần {i}"))
    robots = "User-agent: *\nAllow: /\n" + (f"Crawl-delay: {crawl_delay}\n" if crawl_delay else "")
    site = dataclasses.replace(mock_site(web, *urls, robots=robots), delay=site_delay)
    start = web.clock()
    report, stored, _ = await mock_crawl(web, site)
    assert len(stored) == 5 and report.requests == 7  # robots, sitemap, five articles
    times = web.times("m.test")
    assert all(b - a >= pace - 1e-6 for a, b in itertools.pairwise(times))
    # The pace was kept by waiting on the clock, not by chance: 6 gaps of (about) the pace.
    assert web.clock() - start >= 6 * pace - 1e-6


async def test_two_mock_sites_proceed_in_parallel() -> None:
    web = MockWeb()
    sites = []
    for name in ("m", "n"):
        base = f"http://{name}.test"
        urls = [f"{base}/tin/bai-{1491900020 + i}" for i in range(3)]
        for i, u in enumerate(urls):
            web.routes[u] = reply(mock_article(f"{TITLE} {name} {i}"))
        web.routes[base + "/robots.txt"] = reply("User-agent: *\nAllow: /\n", content_type="text/plain")
        web.routes[base + "/sitemap.xml"] = reply(sitemap(*urls), content_type="application/xml")
        sites.append(Site(name, (f"{name}.test",), (base + "/sitemap.xml",), delay=1.0, gate=False))
    start = web.clock()
    frontier = MemoryFrontier()
    stored: list[Article] = []
    await crawl(
        sites,
        frontier,
        stored.append,
        CrawlOptions(),
        transport=web.transport(),
        clock=web.clock,
        sleep=web.clock.sleep,
    )
    assert len(stored) == 6
    # Five requests per site at 1 s each: 4 s in parallel, 9 s or more one site after the other.
    assert web.clock() - start == pytest.approx(4.0)
