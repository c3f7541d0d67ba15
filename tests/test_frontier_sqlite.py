"""SqliteFrontier behaves as MemoryFrontier: one conformance suite run over both implementations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from db import open_database
from db.frontier import SqliteFrontier
from scraper.frontier import Frontier, MemoryFrontier, UrlRecord

NOW = datetime(2026, 3, 6, 12, tzinfo=UTC)
ICT = timezone(timedelta(hours=7))


def memory(tmp_path: Path) -> Frontier:
    return MemoryFrontier()


def sqlite(tmp_path: Path) -> Frontier:
    return SqliteFrontier(open_database(tmp_path / "frontier.db"))


@pytest.fixture(params=[memory, sqlite], ids=["memory", "sqlite"])
def frontier(request: pytest.FixtureRequest, tmp_path: Path) -> Frontier:
    make: Callable[[Path], Frontier] = request.param
    return make(tmp_path)


def test_unknown_url_is_none(frontier: Frontier) -> None:
    assert frontier.get("https://a.vn/none") is None


def test_put_then_get_returns_every_field(frontier: Frontier) -> None:
    record = UrlRecord(
        "https://baothanhhoa.vn/cum-3.htm",
        "baothanhhoa",
        "article",
        state="failed",
        discovered_at=datetime(2026, 3, 6, 8, 15, 30, 123456, tzinfo=ICT),
        fetched_at=NOW,
        next_check=NOW + timedelta(hours=6),
        etag='W/"abc"',
        last_modified="Fri, 06 Mar 2026 01:00:00 GMT",
        http_status=503,
        attempts=2,
        last_error="HTTP 503 Service Unavailable",
        content_hash="f" * 64,
        title="Cụm thi đua số 3 ký kết giao ước",
        published=datetime(2026, 3, 6, 9, tzinfo=ICT),
    )
    frontier.put(record)
    got = frontier.get(record.url)
    assert got == record
    assert got is not None and got.discovered_at is not None and got.discovered_at.tzinfo is not None


def test_put_replaces_the_record(frontier: Frontier) -> None:
    frontier.put(UrlRecord("https://a.vn/1", "a", "article"))
    frontier.put(UrlRecord("https://a.vn/1", "a", "article", state="fetched", attempts=1, http_status=200))
    got = frontier.get("https://a.vn/1")
    assert got is not None and (got.state, got.attempts, got.http_status) == ("fetched", 1, 200)


def test_pending_returns_new_and_due_failures_in_discovery_order(frontier: Frontier) -> None:
    frontier.put(UrlRecord("https://a.vn/2", "a", "article", discovered_at=NOW))
    frontier.put(UrlRecord("https://a.vn/1", "a", "article", discovered_at=NOW - timedelta(hours=1)))
    frontier.put(UrlRecord("https://a.vn/3", "a", "article", state="fetched", content_hash="h"))
    frontier.put(UrlRecord("https://a.vn/4", "a", "article", state="failed", next_check=NOW))
    frontier.put(
        UrlRecord("https://a.vn/5", "a", "article", state="failed", next_check=NOW + timedelta(hours=1))
    )
    frontier.put(UrlRecord("https://a.vn/feed", "a", "feed"))
    got = [r.url for r in frontier.pending("a", "article", NOW)]
    assert got == ["https://a.vn/4", "https://a.vn/1", "https://a.vn/2"]
    assert frontier.url_for_hash("h") == "https://a.vn/3"
    assert frontier.url_for_hash("x") is None


def test_pending_compares_instants_across_offsets(frontier: Frontier) -> None:
    # 18:30 at +07:00 is 11:30 UTC: before NOW; 19:30 at +07:00 is after.
    frontier.put(
        UrlRecord(
            "https://a.vn/due",
            "a",
            "article",
            state="failed",
            next_check=datetime(2026, 3, 6, 18, 30, tzinfo=ICT),
        )
    )
    frontier.put(
        UrlRecord(
            "https://a.vn/later",
            "a",
            "article",
            state="failed",
            next_check=datetime(2026, 3, 6, 19, 30, tzinfo=ICT),
        )
    )
    frontier.put(
        UrlRecord("https://a.vn/b", "a", "article", discovered_at=datetime(2026, 3, 6, 18, tzinfo=ICT))
    )
    frontier.put(
        UrlRecord("https://a.vn/a", "a", "article", discovered_at=datetime(2026, 3, 6, 12, tzinfo=UTC))
    )
    assert [r.url for r in frontier.pending("a", "article", NOW)] == [
        "https://a.vn/due",
        "https://a.vn/b",
        "https://a.vn/a",
    ]


@pytest.mark.parametrize("state", ["fetched", "gone", "skipped"])
def test_pending_skips_settled_states_other_sites_and_kinds(frontier: Frontier, state: str) -> None:
    frontier.put(UrlRecord("https://a.vn/x", "a", "article", state=state))
    frontier.put(UrlRecord("https://b.vn/x", "b", "article"))
    frontier.put(UrlRecord("https://a.vn/rss", "a", "feed"))
    frontier.put(UrlRecord("https://a.vn/failed", "a", "article", state="failed"))
    assert [r.url for r in frontier.pending("a", "article", NOW)] == ["https://a.vn/failed"]


def test_url_for_hash_wants_a_fetched_article(frontier: Frontier) -> None:
    frontier.put(UrlRecord("https://a.vn/feed", "a", "feed", state="fetched", content_hash="h"))
    frontier.put(UrlRecord("https://a.vn/new", "a", "article", content_hash="h"))
    assert frontier.url_for_hash("h") is None
    frontier.put(UrlRecord("https://a.vn/done", "a", "article", state="fetched", content_hash="h"))
    assert frontier.url_for_hash("h") == "https://a.vn/done"


def test_sqlite_frontier_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "frontier.db"
    SqliteFrontier(open_database(path)).put(UrlRecord("https://a.vn/1", "a", "article", discovered_at=NOW))
    # A second connection sees the put without any explicit commit by the writer.
    again = SqliteFrontier(open_database(path))
    assert again.get("https://a.vn/1") == UrlRecord("https://a.vn/1", "a", "article", discovered_at=NOW)
    stored = again.database.execute("SELECT discovered_at FROM urls").fetchone()[0]
    assert stored == "2026-03-06T12:00:00+00:00"


# article_twin (issue 11, "URLs"): the same article under another form of its URL is found, so a new
# link to a known article costs no fetch.
KNOWN = "https://a.vn/tin/cum-thi-dua-so-3-1234567.html"


@pytest.mark.parametrize(
    ("state", "asked", "found"),
    [
        ("fetched", "https://a.vn/tin/cum-thi-dua-so-3-1234567.html?utm=x", True),  # a query it keeps
        ("fetched", "https://a.vn/thoi-su/ten-moi-1234567.html", True),  # a new slug, the same id
        ("new", "https://a.vn/thoi-su/ten-moi-1234567.html", True),
        ("failed", "https://a.vn/thoi-su/ten-moi-1234567.html", True),  # its backoff holds for the twin
        ("skipped", "https://a.vn/thoi-su/ten-moi-1234567.html", False),  # the gate judges it again
        ("fetched", "https://a.vn/tin/cum-thi-dua-so-3-1234568.html", False),  # another id
        ("fetched", "https://a.vn/tin/1234567/khac", False),  # the digits, but not the site's id
        ("fetched", KNOWN, False),  # the record itself is not its own twin
    ],
)
def test_article_twin_by_article_id(frontier: Frontier, state: str, asked: str, found: bool) -> None:
    frontier.put(UrlRecord(KNOWN, "a", "article", state=state))
    frontier.put(UrlRecord("https://a.vn/tin/khac-7654321.html", "a", "article", state="fetched"))
    twin = frontier.article_twin("a", asked)
    assert (twin is not None and twin.url == KNOWN) is found
    assert found or twin is None
    assert frontier.article_twin("b", asked) is None  # another site's records are not its twins


@pytest.mark.parametrize(
    ("known", "asked"),
    [
        ("https://a.vn/tin/cum-3/", "https://a.vn/tin/cum-3"),
        ("https://a.vn/tin/cum-3", "https://a.vn/tin/cum-3/"),
    ],
)
def test_article_twin_by_trailing_slash(frontier: Frontier, known: str, asked: str) -> None:
    frontier.put(UrlRecord(known, "a", "article", state="fetched"))
    twin = frontier.article_twin("a", asked)
    assert twin is not None and twin.url == known
    assert frontier.article_twin("a", "https://a.vn/tin/cum-4") is None
