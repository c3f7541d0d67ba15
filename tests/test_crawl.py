"""The crawl loop end to end against the fixture news sites (real HTTP on 127.0.0.1, MemoryFrontier).

Expectations come from ``fixtures/sites/expected.json`` (the fixture helper's contract file): which
articles exist and what their fields are, which paths robots.txt forbids, which URLs carry which fault.
"""

from __future__ import annotations

import asyncio
import dataclasses
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

DELAY = 0.2
OPTIONS = CrawlOptions(delay=DELAY, timeout=0.8, retries=2)
# The tests that crawl the vcc site many times (kill, resume, store failures) go at a quicker pace;
# the pace itself is asserted on the main runs.
QUICK = CrawlOptions(delay=0.05, timeout=0.8, retries=2)


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
    return configured(fixture_sites)


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
        fixture_sites, sites, MemoryFrontier(), CrawlOptions(delay=DELAY, timeout=0.8, full=True)
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
            assert all(g >= pace for g in gaps), f"{site}: gap {min(gaps):.3f} s under {pace} s"


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
    for entry in second.log:
        if entry.path == "/robots.txt":
            continue
        headers = {k.lower(): v for k, v in entry.headers.items()}
        assert "if-none-match" in headers or "if-modified-since" in headers, f"unconditional: {entry.path}"
        assert entry.status == 304
        assert not any(p.search(entry.path.split("?")[0]) for p in patterns), f"article again: {entry.path}"
    assert second.report.not_modified == len([e for e in second.log if e.status == 304])


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
        assert hits[1].time - hits[0].time >= 1.0  # Retry-After: 1
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
        record = frontier.get(url)
        assert record is not None and record.state == "failed" and "disk full" in (record.last_error or "")
    again = run_crawl(fixture_sites, vcc, frontier, QUICK)
    assert {(u, a.content_hash) for u, a in again.stored.items()} == reference


# -- a site with no configuration, and bad options ----------------------------------------------


def test_unconfigured_site_crawled_with_an_ad_hoc_site(fixture_sites: Any) -> None:
    expected = {u: e for u, e in fixture_sites.expected()["articles"].items() if e["site"] == "plain"}
    base = fixture_sites.base_url("plain")
    site = Site("plain", (urlsplit(base).netloc,), (base + "/",), delay=DELAY)
    run = run_crawl(
        fixture_sites, (site,), MemoryFrontier(), CrawlOptions(delay=DELAY, timeout=0.8, full=True)
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
    run = run_crawl(
        fixture_sites, sites, MemoryFrontier(), CrawlOptions(delay=DELAY, timeout=0.8, max_pages=2)
    )
    for site_report in run.report.sites:
        assert site_report.pages_fetched <= 2


def test_since_skips_older_entries_and_stops_listings(fixture_sites: Any, vcc: tuple[Site, ...]) -> None:
    since = date(2026, 2, 1)
    options = CrawlOptions(delay=0.05, timeout=0.8, full=True, since=since)
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
    searches = [p for p in local_server.paths() if p.startswith("/tim-kiem")]
    assert searches == [
        "/tim-kiem?q=c%E1%BB%A5m+thi+%C4%91ua",
        "/tim-kiem?q=kh%E1%BB%91i+thi+%C4%91ua",
        "/tim-kiem?q=giao+%C6%B0%E1%BB%9Bc+thi+%C4%91ua",
    ]
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
