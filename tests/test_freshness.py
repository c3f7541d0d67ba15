"""Discovery's dates without ``--since`` (issue 11, scraper.freshness): a page's articles are fetched
newest first by their hint date, so a budget-cut crawl got the newest; a known article whose news date
or lastmod is not newer than its fetch costs no request, one updated since is fetched again; an old
entry never fetched is still fetched. Unit tests, then crawls over ``httpx.MockTransport``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from scraper.crawl import CrawlOptions
from scraper.discover import Hint
from scraper.freshness import (
    changed_at,
    due_again,
    hint_date,
    newest_first,
    per_article_dates,
    updated_since_fetch,
)
from scraper.frontier import MemoryFrontier, UrlRecord
from scraper.sites import Site
from tests.mock_http import MockWeb, reply
from tests.test_breaker import page, run

A = "http://a.test"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 8) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hint", "ordered_by", "changed"),
    [
        (Hint("u", published=at(5), lastmod=at(7)), at(5), at(7)),  # the news date orders
        (Hint("u", published=None, lastmod=at(7)), at(7), at(7)),
        (Hint("u", published=at(4)), at(4), at(4)),  # a feed's date
        (Hint("u"), None, None),
    ],
)
def test_the_dates_a_hint_orders_by_and_changes_by(
    hint: Hint, ordered_by: datetime | None, changed: datetime | None
) -> None:
    assert hint_date(hint) == ordered_by
    assert changed_at(hint) == changed


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([(None, "a"), (at(1), "b"), (at(5), "c")], ["c", "b", "a"]),
        ([(at(2), "x"), (at(2), "y"), (at(3), "z")], ["z", "x", "y"]),  # ties keep the page's order
        ([(None, "p"), (None, "q")], ["p", "q"]),
        ([], []),
    ],
)
def test_newest_first(items: list[tuple[datetime | None, str]], expected: list[str]) -> None:
    assert newest_first(items) == expected


@pytest.mark.parametrize(
    ("state", "fetched_at", "hint", "again"),
    [
        ("fetched", at(5), Hint("u", lastmod=at(6)), True),  # updated after our fetch
        ("fetched", at(5), Hint("u", published=at(4), lastmod=at(6)), True),
        ("fetched", at(5), Hint("u", published=at(4)), False),  # news date before the fetch
        ("fetched", at(5), Hint("u", lastmod=at(5)), False),  # not newer: the same moment
        ("fetched", at(5), Hint("u"), False),  # undated: nothing says it changed
        ("fetched", at(5), Hint("u", lastmod=NOW + timedelta(hours=7)), False),  # not yet believed
        ("gone", at(5), Hint("u", lastmod=at(6)), False),
        ("fetched", None, Hint("u", lastmod=at(6)), False),
    ],
)
def test_a_known_article_is_due_again_only_when_updated_since_its_fetch(
    state: str, fetched_at: datetime | None, hint: Hint, again: bool
) -> None:
    rec = UrlRecord("http://a.test/tin/1", "a", "article", state=state, fetched_at=fetched_at)
    assert updated_since_fetch(rec, hint, NOW) is again


@pytest.mark.parametrize(
    ("since", "made_new"), [(None, True), (date(2026, 3, 1), True), (date(2026, 3, 8), False)]
)
def test_due_again_marks_the_record_new_in_the_frontier_within_since(
    since: date | None, made_new: bool
) -> None:
    frontier = MemoryFrontier()
    rec = UrlRecord("http://a.test/tin/1", "a", "article", state="fetched", fetched_at=at(5))
    frontier.put(rec)
    got = due_again(frontier, rec, Hint(rec.url, lastmod=at(6)), since=since)
    assert got is not None
    assert got.state == ("new" if made_new else "fetched")
    stored = frontier.get(rec.url)
    assert stored is not None and stored.state == got.state


STAMP = at(9)


def h(url: str, published: datetime | None = None, lastmod: datetime | None = None) -> Hint:
    return Hint(url, published=published, lastmod=lastmod)


@pytest.mark.parametrize(
    ("hints", "expected"),
    [
        # One lastmod on every entry of the page: a generation stamp, dropped (a news date stays).
        (
            [h("a", STAMP, STAMP), h("b", at(2), STAMP), h("c", STAMP, STAMP)],
            [h("a"), h("b", at(2)), h("c")],
        ),
        # Two entries only, or lastmods that differ, or one undated: dates as the page gave them.
        ([h("a", STAMP, STAMP), h("b", STAMP, STAMP)], None),
        ([h("a", at(1), at(1)), h("b", at(2), at(2)), h("c", STAMP, STAMP)], None),
        ([h("a", STAMP, STAMP), h("b"), h("c", STAMP, STAMP)], None),
        ([h("a", at(1)), h("b", at(2)), h("c", at(3))], None),  # a feed: no lastmod at all
    ],
)
def test_one_lastmod_on_every_entry_is_a_stamp_not_a_date(
    hints: list[Hint], expected: list[Hint] | None
) -> None:
    assert per_article_dates(hints) == tuple(hints if expected is None else expected)


# -- crawls over MockTransport ---------------------------------------------------------------------


def news_sitemap(entries: list[tuple[str, str | None, str | None]]) -> bytes:
    """A Google News urlset: (url, news:publication_date, lastmod) per entry."""
    items = []
    for url, news, lastmod in entries:
        mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        dated = (
            f"<news:news><news:publication_date>{news}</news:publication_date>"
            f"<news:title>Cụm thi đua</news:title></news:news>"
            if news
            else ""
        )
        items.append(f"<url><loc>{url}</loc>{mod}{dated}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{"".join(items)}</urlset>'
    ).encode()


# Listed out of date order: the oldest first, one undated, one dated by lastmod alone.
ENTRIES = [
    (f"{A}/tin/bai-1-1491900001", "2026-03-01T08:00:00+07:00", None),
    (f"{A}/tin/bai-2-1491900002", None, None),
    (f"{A}/tin/bai-3-1491900003", "2026-03-05T08:00:00+07:00", "2026-03-01T00:00:00+07:00"),
    (f"{A}/tin/bai-4-1491900004", None, "2026-03-04T08:00:00+07:00"),
    (f"{A}/tin/bai-5-1491900005", "2026-03-03T08:00:00+07:00", None),
]
NEWEST_FIRST = [ENTRIES[i][0] for i in (2, 3, 4, 0, 1)]


def serve(web: MockWeb, entries: list[tuple[str, str | None, str | None]]) -> Site:
    web.routes[A + "/robots.txt"] = reply("User-agent: *\nAllow: /\n", content_type="text/plain")
    web.routes[A + "/sitemap-news.xml"] = reply(news_sitemap(entries), content_type="application/xml")
    for url, _, _ in entries:
        web.routes[url] = reply(page(url))
    # One request at a time, so the order sent is the order chosen.
    return Site("a", ("a.test",), (A + "/sitemap-news.xml",), delay=0.5, gate=False, concurrency=1)


def articles_requested(web: MockWeb) -> list[str]:
    return [str(s.request.url) for s in web.seen if "/tin/" in str(s.request.url)]


async def test_articles_are_fetched_newest_first_by_news_date_then_lastmod() -> None:
    web = MockWeb()
    site = serve(web, ENTRIES)
    _, stored = await run(web, (site,), MemoryFrontier())
    assert articles_requested(web) == NEWEST_FIRST
    assert stored == set(NEWEST_FIRST)


@pytest.mark.parametrize("budget", [1, 2, 3])
async def test_a_crawl_cut_by_its_budget_got_the_newest(budget: int) -> None:
    web = MockWeb()
    site = serve(web, ENTRIES)
    frontier = MemoryFrontier()
    options = CrawlOptions(retries=0, max_bytes=100_000, max_pages=budget)
    _, stored = await run(web, (site,), frontier, options)
    assert stored == set(NEWEST_FIRST[:budget])
    # What the budget left waits, "new", and the next run takes it up newest first too.
    web.seen.clear()
    _, later = await run(web, (site,), frontier, CrawlOptions(retries=0, max_bytes=100_000))
    assert articles_requested(web) == NEWEST_FIRST[budget:]
    assert later == set(NEWEST_FIRST[budget:])


async def test_pending_articles_are_taken_up_newest_first() -> None:
    web = MockWeb()
    site = serve(web, ENTRIES)
    frontier = MemoryFrontier()
    found = datetime(2026, 3, 6, tzinfo=UTC)
    for url, news, lastmod in reversed(ENTRIES):  # discovered in the reverse order of the page
        when = datetime.fromisoformat(news or lastmod) if (news or lastmod) else None
        frontier.put(UrlRecord(url, "a", "article", discovered_at=found, published=when))
        found += timedelta(minutes=1)
    web.routes[A + "/sitemap-news.xml"] = reply(news_sitemap([]), content_type="application/xml")
    await run(web, (site,), frontier)
    assert articles_requested(web) == NEWEST_FIRST


async def test_an_unchanged_news_date_costs_no_request_and_a_new_lastmod_is_fetched() -> None:
    web = MockWeb()
    site = serve(web, ENTRIES)
    frontier = MemoryFrontier()
    await run(web, (site,), frontier)
    fetched = {u: frontier.get(u) for u, _, _ in ENTRIES}
    assert all(r is not None and r.state == "fetched" for r in fetched.values())

    # That was last night: the fetches are a day old. Night 2: the same sitemap, but bai-4 was
    # updated an hour ago, after we fetched it.
    yesterday = datetime.now(UTC) - timedelta(days=1)
    for rec in fetched.values():
        assert rec is not None
        frontier.put(replace(rec, fetched_at=yesterday))
    updated = ENTRIES[3][0]
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    night_2 = [(u, n, an_hour_ago if u == updated else m) for u, n, m in ENTRIES]
    web.routes[A + "/sitemap-news.xml"] = reply(news_sitemap(night_2), content_type="application/xml")
    web.seen.clear()
    _, stored = await run(web, (site,), frontier)
    assert articles_requested(web) == [updated]
    assert stored == {updated}
    again = frontier.get(updated)
    assert again is not None and again.state == "fetched" and again.fetched_at > yesterday

    # Night 3: nothing changed since that fetch: no article request at all.
    web.seen.clear()
    await run(web, (site,), frontier)
    assert articles_requested(web) == []


async def test_an_old_entry_never_fetched_is_still_fetched_without_since() -> None:
    web = MockWeb()
    site = serve(web, ENTRIES[:2])
    frontier = MemoryFrontier()
    await run(web, (site,), frontier)
    # Night 2: an entry published a year before the first run appears in the news sitemap.
    old = (f"{A}/tin/bai-9-1491900009", "2025-03-01T08:00:00+07:00", "2025-03-01T08:00:00+07:00")
    web.routes[old[0]] = reply(page(old[0]))
    web.routes[A + "/sitemap-news.xml"] = reply(
        news_sitemap([*ENTRIES[:2], old]), content_type="application/xml"
    )
    web.seen.clear()
    _, stored = await run(web, (site,), frontier)
    assert articles_requested(web) == [old[0]]
    assert stored == {old[0]}
    # With --since, a date does skip it: the one rule that skips by date.
    frontier = MemoryFrontier()
    _, stored = await run(
        web, (site,), frontier, CrawlOptions(retries=0, max_bytes=100_000, since=date(2026, 1, 1))
    )
    assert old[0] not in stored and ENTRIES[0][0] in stored


async def test_a_sitemap_stamping_every_entry_with_its_generation_time_costs_no_refetch() -> None:
    web = MockWeb()
    undated = [(u, None, None) for u, _, _ in ENTRIES]
    site = serve(web, undated)
    frontier = MemoryFrontier()
    await run(web, (site,), frontier)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    for url, _, _ in ENTRIES:
        rec = frontier.get(url)
        assert rec is not None and rec.state == "fetched"
        frontier.put(replace(rec, fetched_at=yesterday))
    # Night 2: every entry says lastmod = an hour ago (when the sitemap was generated).
    stamp = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    stamped = [(u, None, stamp) for u, _, _ in ENTRIES]
    web.routes[A + "/sitemap-news.xml"] = reply(news_sitemap(stamped), content_type="application/xml")
    web.seen.clear()
    await run(web, (site,), frontier)
    assert articles_requested(web) == []
    # One entry dated apart from the others is a real date: that article is fetched again.
    stamped[1] = (ENTRIES[1][0], None, (datetime.now(UTC) - timedelta(hours=2)).isoformat())
    web.routes[A + "/sitemap-news.xml"] = reply(news_sitemap(stamped), content_type="application/xml")
    web.seen.clear()
    await run(web, (site,), frontier)
    assert sorted(articles_requested(web)) == sorted(u for u, _, _ in ENTRIES)
