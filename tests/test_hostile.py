"""Hostile pages never stop a site (issue 10, "One page never stops a site" and "Bounded work").

Every reproduction of the issue is served through ``httpx.MockTransport`` (no socket at all) to a
real crawl: each asserts that the site goes on (the good articles behind the hostile page are handed
on), what the frontier says of the hostile URL, and that nothing is lost. The isolation of each
step (fetch, decode, parse, store, discovery) is checked by making that step raise, as the bugs of
the issue did, and the parse-level reproductions are unit tests of their own.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from db.connection import open_database
from db.frontier import SqliteFrontier
from db.store import store_article
from scraper.article import Article
from scraper.blocks import blocks
from scraper.crawl import (
    MAX_SITEMAP_DEPTH,
    RETRY_CAP,
    CrawlOptions,
    CrawlReport,
    SiteReport,
    crawl,
)
from scraper.discover import discover_page
from scraper.feeds import parse_feed
from scraper.fields import jsonld_objects, scrub
from scraper.frontier import Frontier, MemoryFrontier, UrlRecord
from scraper.listing import listing_links, next_page_url
from scraper.parse import parse_article, parse_listing
from scraper.sites import Site
from scraper.urls import canonical_url, join_url

# The modules whose steps the tests below make fail (the article and the discovery-page steps).
# The article steps (decode, parse) are scraper.article_pool's; the test that breaks them reads its
# pages in this process (workers=0), since a started pool worker never sees a patch made here.
articles_module = importlib.import_module("scraper.article_pool")
discovery_module = importlib.import_module("scraper.crawl_discovery")

HOST = "tin.test"
BASE = f"http://{HOST}"
LISTING = f"{BASE}/tin-tuc"
SITEMAP = f"{BASE}/sitemap.xml"
SITE = Site(name="tin", hosts=(HOST,), start=(LISTING, SITEMAP), delay=0.0, gate=False)
OPTIONS = CrawlOptions(delay=0.0, retries=1, timeout=5.0)
BAD_URLS = ("https://[[site_url]]/a", "http://[x")
PARAGRAPH = (
    "Sáng 6-3, Cụm thi đua số 3 tổ chức hội nghị ký kết giao ước thi đua năm 2026, với sự tham dự "
    "của lãnh đạo các đơn vị trong cụm, cùng nhau bàn cách nhân rộng điển hình tiên tiến."
)


def article_url(name: str, number: int) -> str:
    """An article URL with a numeric id, the shape listings recognise: ``/bai-<name>-<id>.html``."""
    return f"{BASE}/bai-{name}-{1_000_000 + number}.html"


def page(title: str, body: str = PARAGRAPH, head: str = "") -> bytes:
    """A small article page: the title, extra ``head`` markup, one body paragraph."""
    return (
        f"<html><head><title>{title}</title>{head}</head><body><h1>{title}</h1>"
        f'<div class="article-content"><p>{body}</p></div></body></html>'
    ).encode()


GOOD = [article_url(f"tot-{i}", i) for i in range(10)]


def good_page(url: str) -> bytes:
    return page(f"Cụm thi đua: bài tốt {url.rsplit('-', 1)[-1]}", f"{PARAGRAPH} ({url})")


# The reproductions of the issue, each an article page (or an answer) that stopped the whole site.
NESTED = page("Cụm thi đua lồng nhau", "<span>" * 3000 + PARAGRAPH + "</span>" * 3000)
SURROGATE = page(
    "Cụm thi đua: surrogate",
    head='<script type="application/ld+json">{"@type": "NewsArticle", '
    '"headline": "Cụm thi đua \\ud800 số 1"}</script>',
)
BRACKETS = page(
    "Cụm thi đua: JSON-LD sâu", head='<script type="application/ld+json">' + "[" * 100_000 + "</script>"
)
BAD_CANONICAL = page(
    "Cụm thi đua: canonical hỏng",
    head=f'<link rel="canonical" href="{BAD_URLS[0]}"><meta property="og:url" content="{BAD_URLS[1]}">',
)
HUGE_RETRY_AFTER = httpx.Response(429, headers={"Retry-After": "999999999999"}, content=b"slow down")

HOSTILE: dict[str, bytes | httpx.Response] = {
    article_url("nested", 901): NESTED,
    article_url("surrogate", 902): SURROGATE,
    article_url("brackets", 903): BRACKETS,
    article_url("canonical", 904): BAD_CANONICAL,
    article_url("retry-after", 905): HUGE_RETRY_AFTER,
}
# Pages the fixes make readable: stored like any other. The 429 one fails once, with a bounded wait.
READABLE = [u for u, v in HOSTILE.items() if isinstance(v, bytes)]
RETRY_AFTER_URL = article_url("retry-after", 905)


def listing_html(urls: list[str], next_page: str | None = None) -> bytes:
    links = "".join(f'<li><a href="{u}">Cụm thi đua {u}</a></li>' for u in urls)
    links += "".join(f'<li><a href="{u}">Liên kết hỏng</a></li>' for u in BAD_URLS)
    nxt = f'<link rel="next" href="{next_page}">' if next_page else ""
    return f"<html><head>{nxt}</head><body><ul>{links}</ul></body></html>".encode()


def sitemap_xml(locs: list[str], *, index: bool = False) -> bytes:
    root, child = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    entries = "".join(f"<{child}><loc>{loc}</loc></{child}>" for loc in locs)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{root} '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{root}>'
    ).encode()


def streamed(response: httpx.Response) -> httpx.Response:
    """A fresh response whose body is a stream: the fetcher reads bodies with ``aiter_raw``, which a
    response built with ``content=`` (already read) refuses."""
    return httpx.Response(
        response.status_code, headers=response.headers, stream=httpx.ByteStream(response.content)
    )


@dataclass
class Server:
    """A site behind ``httpx.MockTransport``: URL → bytes (200), an ``httpx.Response`` or a callable."""

    routes: dict[str, bytes | httpx.Response | Callable[[httpx.Request], httpx.Response]]
    log: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.log.append(url)
        found = self.routes.get(url)
        if found is None:
            return streamed(httpx.Response(404, content=b"not here"))
        if isinstance(found, bytes):
            html = {"content-type": "text/html; charset=utf-8"}
            return streamed(httpx.Response(200, headers=html, content=found))
        if isinstance(found, httpx.Response):
            return streamed(found)
        return streamed(found(request))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def hits(self, url: str) -> int:
        return self.log.count(url)


def hostile_site() -> Server:
    """The listing links the 10 good articles with every hostile page among them (hostile first, so
    a page that stopped the site would hide the good ones behind it); the sitemap lists bad locs."""
    routes: dict[str, Any] = {u: good_page(u) for u in GOOD}
    routes.update(HOSTILE)
    routes[LISTING] = listing_html(list(HOSTILE) + GOOD[:8])
    routes[SITEMAP] = sitemap_xml([*BAD_URLS, *GOOD[8:]])
    return Server(routes)


def run(
    server: Server,
    frontier: Frontier,
    on_article: Callable[[Article], None],
    site: Site = SITE,
    options: CrawlOptions = OPTIONS,
) -> CrawlReport:
    return asyncio.run(crawl([site], frontier, on_article, options, transport=server.transport()))


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Any]:
    db = open_database(tmp_path / "hostile.db")
    yield db
    db.conn.close()


# -- the nightly acceptance: each hostile page and 10 good articles, real frontier and store --------


def test_a_site_with_every_hostile_page_stores_the_good_ones_and_backs_off(database: Any) -> None:
    frontier = SqliteFrontier(database)
    stored: dict[str, Article] = {}

    def store(article: Article) -> None:
        store_article(database, article, [], extractor_version="test")  # a lone surrogate would raise
        stored[article.url] = article

    server = hostile_site()
    first = run(server, frontier, store)
    site = first.sites[0]

    assert set(GOOD) <= set(stored), "the good articles behind the hostile pages were not handed on"
    assert set(READABLE) <= set(stored), "a page the fixes make readable was lost"
    assert not site.aborted and site.ok
    assert [(e.url, e.kind) for e in first.errors] == [(RETRY_AFTER_URL, "http-429")]
    record = frontier.get(canonical_url(RETRY_AFTER_URL))
    assert record is not None and record.state == "failed" and record.next_check is not None
    assert (record.last_error or "").startswith("http-429")
    # Retry-After 999999999999 s is clamped to the retry cap (it raised OverflowError).
    assert record.next_check <= datetime.now(UTC) + RETRY_CAP
    assert record.next_check >= datetime.now(UTC) + RETRY_CAP - timedelta(minutes=5)  # honoured up to it
    for url in GOOD + READABLE:
        done = frontier.get(canonical_url(url))
        assert done is not None and done.state == "fetched", url
    assert "\ud800" not in stored[article_url("surrogate", 902)].title
    count = database.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert count == len(GOOD) + len(READABLE)

    server.log.clear()
    second = run(server, frontier, store)
    assert second.errors == [], "a second run added an error"
    assert server.hits(RETRY_AFTER_URL) == 0, "the backed-off page was fetched again"
    assert all(server.hits(u) == 0 for u in GOOD + READABLE), "a stored article was fetched again"
    assert database.execute("SELECT count(*) FROM articles").fetchone()[0] == count


# -- each step of an article page: an exception is that page's error, the site goes on ------------

VICTIM = article_url("victim", 950)


class Boom(Exception):
    """What a buggy step raises."""


def _raise_on_victim(real: Callable[..., Any], exc: BaseException, arg: int = 1) -> Callable[..., Any]:
    """Wrap ``real`` so it raises ``exc`` when called for the victim page (by URL or by content)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        probe = args[arg] if len(args) > arg else None
        content = args[0]
        if probe == VICTIM or (isinstance(content, (bytes, str)) and "VICTIM" in str(content)[:400]):
            raise exc
        return real(*args, **kwargs)

    return wrapper


def _victim_fetch(request: httpx.Request) -> httpx.Response:
    raise Boom("transport bug")  # not an httpx error: the fetcher does not know it


@pytest.mark.parametrize(
    ("step", "kind"),
    [
        ("fetch", "internal-fetch"),
        ("decode", "internal-decode"),
        ("parse", "internal-parse"),
        ("store", "store"),
    ],
)
def test_an_exception_in_one_article_step_is_a_page_error_and_the_site_goes_on(
    step: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    routes: dict[str, Any] = {u: good_page(u) for u in GOOD}
    routes[VICTIM] = page("VICTIM Cụm thi đua")
    routes[LISTING] = listing_html([VICTIM, *GOOD])
    if step == "fetch":
        routes[VICTIM] = _victim_fetch
    elif step == "decode":
        monkeypatch.setattr(
            articles_module, "to_text", _raise_on_victim(articles_module.to_text, LookupError("x"))
        )
    elif step == "parse":
        real = articles_module.parse_article
        monkeypatch.setattr(articles_module, "parse_article", _raise_on_victim(real, RecursionError("deep")))
    server = Server(routes)
    frontier = MemoryFrontier()
    stored: list[str] = []

    def store(article: Article) -> None:
        if step == "store" and article.url == VICTIM:
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        stored.append(article.url)

    site = Site(name="tin", hosts=(HOST,), start=(LISTING,), delay=0.0, gate=False)
    # Pages are read in this process (workers=0): a patch made here does not reach the pool's workers,
    # which are started, not forked. Decode and parse fail the same way in a worker (read_page).
    report = run(server, frontier, store, site, replace(OPTIONS, workers=0))

    assert sorted(stored) == sorted(GOOD), "the articles after the failing page were not handed on"
    assert [(e.url, e.kind) for e in report.errors] == [(VICTIM, kind)]
    record = frontier.get(canonical_url(VICTIM))
    assert record is not None and record.state == "failed", "the URL must not stay new"
    assert (record.last_error or "").startswith(f"{kind}: ")
    assert not report.sites[0].aborted and report.sites[0].ok

    server.log.clear()
    again = run(server, frontier, store, site)
    if step == "store":
        # A store failure (full disk) is retried on the next run once, then backs off.
        assert server.hits(VICTIM) == 1 and [e.kind for e in again.errors] == ["store"]
        server.log.clear()
        again = run(server, frontier, store, site)
    assert server.hits(VICTIM) == 0, "the failed page was fetched again at once"
    assert again.errors == []
    record = frontier.get(canonical_url(VICTIM))
    assert record is not None and record.next_check is not None
    assert record.next_check > datetime.now(UTC)


@pytest.mark.parametrize(
    ("broken", "kind"),
    [("fetch", "internal-fetch"), ("parse", "internal-parse")],
)
def test_an_exception_in_a_discovery_page_is_its_error_and_the_other_entries_go_on(
    broken: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    routes: dict[str, Any] = {u: good_page(u) for u in GOOD}
    routes[LISTING] = listing_html(GOOD[:5])
    routes[SITEMAP] = sitemap_xml(GOOD[5:])
    if broken == "fetch":
        routes[LISTING] = _victim_fetch
    else:
        real = discovery_module.discover_page

        def exploding(content: bytes, url: str, *args: Any, **kwargs: Any) -> Any:
            if url == LISTING:
                raise RecursionError("maximum recursion depth exceeded")
            return real(content, url, *args, **kwargs)

        monkeypatch.setattr(discovery_module, "discover_page", exploding)
    frontier = MemoryFrontier()
    stored: list[str] = []
    server = Server(routes)
    report = run(server, frontier, lambda a: stored.append(a.url))

    assert sorted(stored) == sorted(GOOD[5:])
    assert [(e.url, e.kind) for e in report.errors] == [(LISTING, kind)]
    record = frontier.get(LISTING)
    assert record is not None and record.state == "failed" and record.next_check is not None
    assert not report.sites[0].aborted

    # The broken entry point waits for its backoff instead of breaking again every night.
    server.log.clear()
    again = run(server, frontier, lambda a: stored.append(a.url))
    assert server.hits(LISTING) == 0 and server.hits(SITEMAP) == 1
    assert again.errors == []


# -- the site report: aborted, and every article failed --------------------------------------------


class BrokenFrontier(MemoryFrontier):
    """A frontier whose ``pending`` fails, as a database that cannot be read does."""

    def pending(self, site: str, kind: str, now: datetime) -> list[UrlRecord]:
        raise OSError("database disk image is malformed")


@pytest.mark.parametrize(
    ("frontier_class", "on_article", "aborted", "all_failed"),
    [
        (MemoryFrontier, "stores", False, False),
        (BrokenFrontier, "stores", True, False),
        (MemoryFrontier, "fails", False, True),
    ],
)
def test_the_site_report_says_aborted_and_all_articles_failed(
    frontier_class: type[MemoryFrontier], on_article: str, aborted: bool, all_failed: bool
) -> None:
    routes: dict[str, Any] = {u: good_page(u) for u in GOOD}
    routes[LISTING] = listing_html(GOOD)
    site = Site(name="tin", hosts=(HOST,), start=(LISTING,), delay=0.0, gate=False)

    def store(article: Article) -> None:
        if on_article == "fails":
            raise OSError("No space left on device")

    report = run(Server(routes), frontier_class(), store, site)
    one: SiteReport = report.sites[0]
    assert one.aborted is aborted
    assert one.all_articles_failed is all_failed
    assert one.ok is not (aborted or all_failed)
    assert [s.site for s in report.failed_sites] == ([] if one.ok else ["tin"])
    if aborted:
        assert [e.kind for e in one.errors] == ["internal"]
    if all_failed:
        assert one.responses > 0 and one.articles_failed == len(GOOD)


def test_a_site_that_never_answered_is_not_all_articles_failed() -> None:
    # "Every article failed" means the site answered and its articles broke; a site down is the
    # application's "no site answered", told apart by responses == 0.
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    transport = httpx.MockTransport(down)
    report = asyncio.run(crawl([SITE], MemoryFrontier(), lambda a: None, OPTIONS, transport=transport))
    one = report.sites[0]
    assert one.responses == 0 and not one.all_articles_failed and not one.aborted


# -- the reproductions, parse-level ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "html"),
    [
        ("nested inline elements", NESTED),
        ("lone surrogate in a JSON-LD headline", SURROGATE),
        ("JSON-LD of 100k '['", BRACKETS),
        ("canonical and og:url that are not URLs", BAD_CANONICAL),
        ("<base href> that is not a URL", page("Cụm thi đua", head='<base href="http://[x">')),
    ],
)
def test_hostile_article_pages_parse(name: str, html: bytes) -> None:
    url = article_url("x", 1)
    article = parse_article(html, url)
    assert article.canonical_url == url
    assert PARAGRAPH in article.body
    for text in (article.title, article.lead, article.body):
        text.encode("utf-8")  # no lone surrogate left to break hashing or storing


def test_the_block_walk_is_not_recursive() -> None:
    from selectolax.lexbor import LexborHTMLParser

    depth = 20_000
    tree = LexborHTMLParser("<div>" + "<b><i>" * depth + "sâu" + "</i></b>" * depth + "<p>sau</p></div>")
    node = tree.css_first("div")
    assert node is not None
    found = blocks(node)
    assert [b.text for b in found] == ["sâu", "sau"]
    assert found[0].bold and not found[1].bold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[" * 100_000, []),
        ('{"a": ' * 200 + "1" + "}" * 200, []),  # deeper than MAX_JSONLD_DEPTH: skipped
        ('[[[{"@type": "NewsArticle", "headline": "x"}]]]', [{"@type": "NewsArticle", "headline": "x"}]),
    ],
)
def test_jsonld_is_bounded(raw: str, expected: list[dict[str, Any]]) -> None:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(f'<script type="application/ld+json">{raw}</script>')
    assert jsonld_objects(tree) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a\ud800b", "a\ufffdb"), ("\udfff", "\ufffd"), ("Cụm thi đua 😀", "Cụm thi đua 😀")],
)
def test_scrub_replaces_lone_surrogates(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize("bad", BAD_URLS)
def test_url_helpers_drop_what_is_not_a_url(bad: str) -> None:
    from selectolax.lexbor import LexborHTMLParser

    from scraper.errors import ParseError

    assert join_url(f"{BASE}/", bad) is None
    with pytest.raises(ParseError):
        canonical_url(bad)
    assert canonical_url(f"{BASE}/a-1.html", bad) == f"{BASE}/a-1.html"
    good = article_url("mot-bai-viet-dai", 7)
    html = f'<link rel="next" href="{bad}"><a href="{bad}">x</a><a href="{good}">y</a>'
    tree = LexborHTMLParser(html)
    assert listing_links(tree, LISTING, None) == [good]
    assert next_page_url(tree, LISTING, None) is None
    assert parse_listing(html, LISTING).article_urls == (good,)
    found = discover_page(sitemap_xml([bad, good]), SITEMAP)
    assert [h.url for h in found.articles] == [good]
    index = discover_page(sitemap_xml([bad, SITEMAP + "?n=2"], index=True), SITEMAP)
    assert [h.url for h in index.sitemaps] == [SITEMAP + "?n=2"]


# -- bounded work ---------------------------------------------------------------------------------


def test_a_self_linking_listing_stops_at_the_discovery_budget() -> None:
    # Each page's next page is itself with a new ?p=: it never ends. Pending pages (the 51st page of
    # a walk is saved as pending) must not restart the count.
    budget = 120
    article = GOOD[0]

    def pager(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("p", "1"))
        return httpx.Response(200, content=listing_html([article], f"{LISTING}?p={n + 1}"))

    routes: dict[str, Any] = {LISTING: pager, article: good_page(article)}
    for n in range(1, 10_000):
        routes[f"{LISTING}?p={n}"] = pager
    server = Server(routes)
    site = Site(name="tin", hosts=(HOST,), start=(LISTING,), delay=0.0, gate=False)
    options = CrawlOptions(delay=0.0, retries=0, max_discovery_pages=budget)
    stored: list[str] = []
    report = run(server, MemoryFrontier(), lambda a: stored.append(a.url), site, options)

    listing_requests = [u for u in server.log if u.startswith(LISTING)]
    assert len(listing_requests) == budget  # > 50: pending pages were taken up, within the budget
    assert stored == [article]
    assert [e.kind for e in report.errors] == ["discovery-budget"]


def test_a_sitemap_index_chain_stops_at_the_depth_limit() -> None:
    def chain(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("n", "0"))
        body = sitemap_xml([f"{SITEMAP}?n={n + 1}"], index=True)
        return httpx.Response(200, headers={"content-type": "application/xml"}, content=body)

    routes: dict[str, Any] = {SITEMAP: chain}
    for n in range(1, 1000):
        routes[f"{SITEMAP}?n={n}"] = chain
    server = Server(routes)
    site = Site(name="tin", hosts=(HOST,), start=(SITEMAP,), delay=0.0, gate=False)
    report = run(server, MemoryFrontier(), lambda a: None, site)

    assert [u for u in server.log if u.startswith(SITEMAP)] == [SITEMAP] + [
        f"{SITEMAP}?n={n}" for n in range(1, MAX_SITEMAP_DEPTH + 1)
    ]
    assert [(e.url, e.kind) for e in report.errors] == [
        (f"{SITEMAP}?n={MAX_SITEMAP_DEPTH + 1}", "sitemap-depth")
    ]
    assert not report.sites[0].aborted


@pytest.mark.parametrize("location", BAD_URLS)
def test_a_redirect_to_what_is_not_a_url_is_one_page_error(location: str) -> None:
    routes: dict[str, Any] = {u: good_page(u) for u in GOOD}
    routes[VICTIM] = httpx.Response(302, headers={"Location": location})
    routes[LISTING] = listing_html([VICTIM, *GOOD])
    site = Site(name="tin", hosts=(HOST,), start=(LISTING,), delay=0.0, gate=False)
    frontier = MemoryFrontier()
    stored: list[str] = []
    report = run(Server(routes), frontier, lambda a: stored.append(a.url), site)

    assert sorted(stored) == sorted(GOOD)
    assert [e.url for e in report.errors] == [VICTIM]
    record = frontier.get(canonical_url(VICTIM))
    assert record is not None and record.state in ("failed", "skipped"), "the URL must not stay new"


def rss(title: bytes, link: str) -> bytes:
    return (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>'
        + title
        + b"</title><link>"
        + link.encode()
        + b"</link></item></channel></rss>"
    )


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (b"&#55296;", "A \ufffd b"),  # a surrogate: feedparser raised UnicodeEncodeError
        (b"&#xDFFF;", "A \ufffd b"),
        (b"&#99999999999;", "A \ufffd b"),  # past U+10FFFF: chr() overflowed
        (b"&#7909;", "A \u1ee5 b"),  # a real character is kept: "ụ"
    ],
)
def test_a_feed_with_hostile_character_references_still_lists_its_items(ref: bytes, expected: str) -> None:
    good = GOOD[0]
    items = parse_feed(rss(b"A " + ref + b" b", good), f"{BASE}/rss")
    assert [(e.url, e.title) for e in items] == [(good, expected)]


def test_a_feed_link_that_is_not_a_url_is_dropped() -> None:
    found = discover_page(rss(b"x", BAD_URLS[1]), f"{BASE}/rss")
    assert found.kind == "feed" and found.articles == ()
