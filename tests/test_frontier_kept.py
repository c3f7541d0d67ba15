"""What SqliteFrontier keeps in memory (the last records, the site's article ids) never changes an
answer: it is kept in step by ``put``, forgets what a rolled-back transaction wrote, and spares the
queries it is there to spare (counted with SQLite's statement trace)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db import open_database
from db.frontier import RECORDS_KEPT, SqliteFrontier
from db.transaction import transaction
from scraper.frontier import UrlRecord

NOW = datetime(2026, 3, 6, 12, tzinfo=UTC)
KNOWN = "https://a.vn/tin/cum-thi-dua-so-3-1234567.html"
NEW_SLUG = "https://a.vn/thoi-su/ten-moi-1234567.html"


@pytest.fixture
def frontier(tmp_path: Path) -> SqliteFrontier:
    return SqliteFrontier(open_database(tmp_path / "f.db"))


@contextmanager
def statements(frontier: SqliteFrontier) -> Iterator[list[str]]:
    """The SQL statements the frontier's connection runs inside the block."""
    seen: list[str] = []
    frontier.database.conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        frontier.database.conn.set_trace_callback(None)


def test_a_twin_put_after_the_ids_were_read_is_found(frontier: SqliteFrontier) -> None:
    assert frontier.article_twin("a", NEW_SLUG) is None  # reads the site's ids: none yet
    frontier.put(UrlRecord(KNOWN, "a", "article", state="fetched"))
    twin = frontier.article_twin("a", NEW_SLUG)
    assert twin is not None and twin.url == KNOWN


def test_a_twin_stored_by_an_earlier_run_is_found(tmp_path: Path) -> None:
    SqliteFrontier(open_database(tmp_path / "f.db")).put(UrlRecord(KNOWN, "a", "article", state="new"))
    later = SqliteFrontier(open_database(tmp_path / "f.db"))
    twin = later.article_twin("a", NEW_SLUG)
    assert twin is not None and twin.url == KNOWN
    assert later.article_twin("b", NEW_SLUG) is None


def test_a_record_that_became_skipped_is_no_twin(frontier: SqliteFrontier) -> None:
    frontier.put(UrlRecord(KNOWN, "a", "article", state="fetched"))
    assert frontier.article_twin("a", NEW_SLUG) is not None
    frontier.put(UrlRecord(KNOWN, "a", "article", state="skipped"))
    assert frontier.article_twin("a", NEW_SLUG) is None


@pytest.mark.parametrize(
    ("asked", "searches"),
    [
        ("https://a.vn/tin/bai-moi-7777777.html", 0),  # an id the site never had: no table search
        (NEW_SLUG, 1),  # a known id under a new slug: searched, found
    ],
)
def test_only_a_known_id_is_searched_in_the_table(
    frontier: SqliteFrontier, asked: str, searches: int
) -> None:
    for n in range(50):
        frontier.put(
            UrlRecord(f"https://a.vn/tin/bai-{n}-{1000000 + n}.html", "a", "article", state="fetched")
        )
    frontier.put(UrlRecord(KNOWN, "a", "article", state="fetched"))
    frontier.article_twin("a", "https://a.vn/tin/x-5555555.html")  # the ids are read once, here
    with statements(frontier) as seen:
        twin = frontier.article_twin("a", asked)
    assert (twin is not None) is bool(searches)
    assert sum("LIKE" in s for s in seen) == searches


def test_get_after_put_sees_the_put_and_asks_no_query(frontier: SqliteFrontier, tmp_path: Path) -> None:
    first = UrlRecord(KNOWN, "a", "article", discovered_at=NOW)
    frontier.put(first)
    fetched = replace(first, state="fetched", fetched_at=NOW, content_hash="c" * 64)
    frontier.put(fetched)
    with statements(frontier) as seen:
        assert frontier.get(KNOWN) == fetched
        assert frontier.get(KNOWN) == fetched
    assert seen == []
    reopened = SqliteFrontier(open_database(tmp_path / "f.db"))
    assert reopened.get(KNOWN) == fetched  # what was kept is what was written


def test_what_a_rolled_back_transaction_wrote_is_not_kept(frontier: SqliteFrontier) -> None:
    before = UrlRecord(KNOWN, "a", "article", discovered_at=NOW)
    frontier.put(before)
    with pytest.raises(RuntimeError), transaction(frontier.database):
        frontier.put(replace(before, state="fetched"))
        assert frontier.get(KNOWN) == replace(before, state="fetched")  # seen inside the transaction
        raise RuntimeError("the article's storage failed")
    assert frontier.get(KNOWN) == before


def test_only_the_last_records_are_kept(frontier: SqliteFrontier) -> None:
    urls = [f"https://a.vn/{n}" for n in range(RECORDS_KEPT + 1)]
    for url in urls:
        frontier.put(UrlRecord(url, "a", "listing"))
    with statements(frontier) as seen:
        assert frontier.get(urls[-1]) is not None  # kept
        assert frontier.get(urls[0]) == UrlRecord(urls[0], "a", "listing")  # forgotten, read again
    assert len(seen) == 1
