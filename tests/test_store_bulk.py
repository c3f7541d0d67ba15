"""store_articles writes batches as batches (db.bulk) and stores exactly what store_article would.

Real SQLite files: a ~1,400-article synthetic load (bench/db_synthetic's shapes, made up by us) with
every case the bulk path must hand to the usual one mixed in, stored one by one and in batches of
1, 7 and 500, compared table by table.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
import sqlite_utils

import db.store
from db import InvalidEventError, open_database
from db.store import StoreResult, store_article, store_articles
from extract.model import Event, Member, Official
from scraper.article import Article, content_hash

ICT = dt.timezone(dt.timedelta(hours=7))
Item = tuple[Article, Sequence[Event]]


def synthetic() -> ModuleType:
    """bench/db_synthetic.py, the bench's generator (bench/ is not a package)."""
    path = Path(__file__).resolve().parent.parent / "bench" / "db_synthetic.py"
    spec = importlib.util.spec_from_file_location("db_synthetic", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def url(n: int) -> str:
    """The URL of made-up article number ``n``."""
    return f"https://tinbulk{n % 3}.vn/bai-{n}.htm"


def news(n: int, published: dt.date | None, title: str = "Hội nghị cụm thi đua", body: str = "") -> Article:
    """A made-up article number ``n`` (its own URL), published at 15:00 on ``published``."""
    link = url(n)
    lead = f"Sáng nay, {title.lower()} diễn ra tại hội trường."
    body = body or f"Bài số {n}: các đơn vị thống nhất nội dung thi đua."
    when = dt.datetime.combine(published, dt.time(15), ICT) if published else None
    fetched = dt.datetime(2026, 1, 1, 8, tzinfo=ICT)
    return Article(link, link, f"tinbulk{n % 3}.vn", title, lead, body, "PV", when, None, fetched,
                   content_hash=content_hash(title, lead, body), site=f"tinbulk{n % 3}")  # fmt: skip


def meeting(
    day: dt.date | None,
    members: Sequence[str],
    *,
    number: int = 9,
    system: str | None = "tỉnh Yên Bái",
    activities: tuple[str, ...] = ("signing",),
    role: str | None = "cụm trưởng",
) -> Event:
    """A meeting of Cụm thi đua số ``number`` of ``system`` on ``day`` with these member units."""
    return Event(
        activities=activities,
        unit_kind="cụm",
        cluster_number=number,
        cluster_label=f"Cụm thi đua số {number}",
        system=system,
        event_date=day,
        date_text=f"Sáng {day.day}/{day.month}" if day else None,
        covenant_year=(day or dt.date(2025, 1, 1)).year,
        location="Hội trường huyện",
        members=(Member(members[0], role), *(Member(m) for m in members[1:])),
        officials=(Official("Hoàng Văn Bình", "Phó Chủ tịch UBND tỉnh"), Official("Lê Thị Mai")),
    )


def special_cases() -> list[tuple[int, Item]]:
    """(position in the load, item): every case the bulk path must not write as pending rows."""
    d = dt.date(2025, 4, 10)
    a, b, c, e = "Huyện Lục Yên", "Huyện Văn Chấn", "Huyện Trấn Yên", "Thị xã Nghĩa Lộ"
    same = meeting(d, [a, b])
    first = news(9001, d)
    cases: list[tuple[int, Item]] = [
        (3, (first, [same])),
        (4, (news(9002, d), [same])),  # the same meeting again, next article
        (650, (news(9003, d), [meeting(d, [b, a])])),  # and in a later batch
        (
            5,
            (news(9004, d + dt.timedelta(days=1)), [meeting(d + dt.timedelta(days=1), [b, c])]),
        ),  # ±1, shares b
        (6, (news(9005, d + dt.timedelta(days=2)), [meeting(d + dt.timedelta(days=2), [e])])),  # shares none
        # Undated, published within the window before its dated event is stored, and after it.
        (20, (news(9006, dt.date(2025, 6, 3)), [meeting(None, [a], number=10)])),
        (21, (news(9007, dt.date(2025, 6, 1)), [meeting(dt.date(2025, 6, 1), [a, b], number=10)])),
        (22, (news(9008, dt.date(2025, 6, 4)), [meeting(None, [c], number=10)])),
        (700, (news(9009, dt.date(2025, 6, 5)), [meeting(None, [c], number=10, activities=("review",))])),
        (23, (news(9010, None), [meeting(None, [a], number=11)])),  # undated, unknown publication
        # One article, two days of one cluster a day apart (its own first report is within reach).
        (
            30,
            (
                news(9011, d),
                [meeting(d, [a, b], number=12), meeting(d + dt.timedelta(days=1), [a], number=12)],
            ),
        ),
        (
            31,
            (news(9012, d), [meeting(d, [a], number=13), meeting(d, [b], number=13, role=None)]),
        ),  # one event
        (32, (news(9013, d), [meeting(d, [a], number=14, system=None)])),  # systemless: per site
        (33, (news(9014, d), [])),  # no events
        # The same, each right after an article whose rows are still pending.
        (50, (news(9015, d), [meeting(d, [a, b], number=15)])),
        (51, (news(9016, d), [meeting(d - dt.timedelta(days=1), [b, c], number=15)])),  # −1 day, shares b
        (60, (news(9017, dt.date(2025, 6, 1)), [meeting(dt.date(2025, 6, 1), [a], number=16)])),
        (61, (news(9018, dt.date(2025, 6, 7)), [meeting(None, [c], number=16)])),  # undated after
        (70, (news(9019, dt.date(2025, 6, 8)), [meeting(None, [a], number=17)])),
        (
            71,
            (news(9020, dt.date(2025, 6, 1)), [meeting(dt.date(2025, 6, 1), [b], number=17)]),
        ),  # dated after
        (80, (news(9021, d), [meeting(None, [a], number=18), meeting(d, [b], number=18)])),
        # The same day again while pending, saying more: the event is the union of both reports.
        (90, (news(9022, d), [meeting(d, [a, b], number=19)])),
        (91, (news(9023, d), [replace(meeting(d, [c, a], number=19, role=None), location=None)])),
        (92, (news(9024, d), [meeting(d, [e], number=19, activities=("review",))])),
        # Stored in an earlier batch, then joined or taken in while other rows are pending.
        (100, (news(9025, d), [meeting(d, [a, b], number=20)])),
        (101, (news(9026, dt.date(2025, 7, 3)), [meeting(None, [c], number=21)])),
        (102, (news(9027, dt.date(2025, 8, 3)), [meeting(None, [c], number=23)])),
        (103, (news(9028, dt.date(2025, 9, 3)), [meeting(None, [c], number=24)])),
        (720, (news(9029, d + dt.timedelta(days=2)), [meeting(None, [e], number=20)])),  # joins 9025
        (
            721,
            (news(9030, dt.date(2025, 7, 1)), [meeting(dt.date(2025, 7, 1), [a], number=21)]),
        ),  # takes 9026
        # One article: a new event, then one taking in a stored undated event, then one joining a
        # stored event (two reports touching stored events: the usual path).
        (
            722,
            (
                news(9031, dt.date(2025, 8, 1)),
                [meeting(d, [a], number=25), meeting(dt.date(2025, 8, 1), [a], number=23)],
            ),
        ),
        (
            723,
            (
                news(9032, dt.date(2025, 9, 1)),
                [meeting(dt.date(2025, 9, 1), [a], number=24), meeting(d, [b], number=20)],
            ),
        ),
        # One article reporting a stored event twice (its day, and the next with a member in
        # common): one report of it, as store_article's INSERT OR IGNORE keeps.
        (
            724,
            (news(9033, d), [meeting(d, [c], number=20), meeting(d + dt.timedelta(days=1), [a], number=20)]),
        ),
        # Stored twice: the same article (unchanged), then edited (its events replaced).
        (40, (first, [same])),
        (41, (replace(first, body="Bài đã sửa.", content_hash="edited-1"), [meeting(d, [a, b, c])])),
        (900, (replace(first, body="Sửa lần hai.", content_hash="edited-2"), [meeting(d, [c])])),
    ]
    return cases


def load(events: int = 1400) -> list[Item]:
    """The synthetic articles with the special cases put in at their positions."""
    items: list[Item] = list(synthetic().synthetic_articles(events))
    for position, item in sorted(special_cases(), key=lambda case: case[0]):
        items.insert(position, item)
    return items


def rows_of(database: sqlite_utils.Database) -> list[str]:
    """Every row of the file as SQL (the FTS index's internal segments aside)."""
    return sorted(line for line in database.conn.iterdump() if "articles_fts" not in line)


def fts_checked(database: sqlite_utils.Database) -> list[tuple[int]]:
    """Run FTS5's integrity check (raises on a bad index); return the rows matching a folded word."""
    database.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    return database.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'sua' ORDER BY 1"
    ).fetchall()


def one_by_one(path: Path, items: Sequence[Item]) -> tuple[sqlite_utils.Database, list[StoreResult]]:
    """``items`` stored with one store_article each."""
    database = open_database(path)
    return database, [store_article(database, a, e, extractor_version="1") for a, e in items]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Item], list[str], list[StoreResult]]:
    items = load()
    database, results = one_by_one(tmp_path_factory.mktemp("ref") / "one.db", items)
    return items, rows_of(database), results


@pytest.mark.parametrize("batch", [1, 7, 500])
def test_batches_store_what_one_by_one_stores(
    tmp_path: Path,
    reference: tuple[list[Item], list[str], list[StoreResult]],
    batch: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items, expected, results = reference
    database = open_database(tmp_path / "bulk.db")
    replayed: list[str] = []  # the fallback (a failed batch replayed one by one) must not hide a bug
    monkeypatch.setattr(db.store, "store_article", lambda _db, a, *_, **__: replayed.append(a.url))
    assert store_articles(database, items, extractor_version="1", batch=batch) == results
    assert replayed == []
    assert rows_of(database) == expected
    edited = next(
        r.article_id for (a, _), r in zip(items, results, strict=True) if a.url.endswith("9001.htm")
    )
    assert fts_checked(database) == [(edited,)]
    names = database.execute(
        "SELECT group_concat(name) FROM sqlite_master WHERE type = 'trigger'"
    ).fetchone()[0]
    assert "articles_ai" in names and "member_years_member_added" in names
    # Idempotent: the same items again (each URL's last version) change nothing.
    latest = list({a.canonical_url: (a, e) for a, e in items}.values())
    again = store_articles(database, latest, extractor_version="1", batch=batch)
    assert not any(r.changed for r in again)
    assert rows_of(database) == expected


def test_the_load_holds_every_case(reference: tuple[list[Item], list[str], list[StoreResult]]) -> None:
    # The comparison above means something only if the special cases did what they are there for.
    items, expected, results = reference
    by_url = {a.canonical_url: r for (a, _), r in zip(items, results, strict=True)}
    assert by_url[url(9003)].new_events == 0  # joined across batches
    assert by_url[url(9004)].new_events == 0  # ±1 day with a member in common
    assert by_url[url(9005)].new_events == 1  # two days apart: its own event
    # Its own two days a day apart stay two, as in store_article (its members are written last).
    assert by_url[url(9011)].new_events == 2
    # Its undated report's event is made, then emptied into its dated one (store_article counts 2).
    assert by_url[url(9021)].new_events == 2
    for n in (9016, 9018):  # joined the event of the article before
        assert by_url[url(n)].new_events == 0
    assert [by_url[url(n)].new_events for n in (9022, 9023, 9024)] == [1, 0, 0]
    assert [by_url[url(n)].new_events for n in (9029, 9030, 9031, 9032, 9033)] == [0, 1, 2, 1, 0]
    assert by_url[url(9020)].new_events == 1  # took in the undated 9019
    assert sum(1 for r in results if not r.changed) == 1
    shared = [r for r in results if r.created and r.events and not r.new_events]
    assert len(shared) > 100  # the synthetic second reports, most in the same batch as the first
    assert any('INSERT INTO "undated_windows"' in line for line in expected)


@pytest.mark.parametrize("batch", [7, 500])
def test_a_bad_event_mid_batch_stores_those_before_it(tmp_path: Path, batch: int) -> None:
    items = load(300)
    bad = meeting(dt.date(2025, 5, 5), ["Huyện Mù Cang Chải"], activities=("party",))
    items.insert(200, (news(9500, dt.date(2025, 5, 5)), [bad]))
    reference = open_database(tmp_path / "one.db")
    for article, events in items[:200]:
        store_article(reference, article, events, extractor_version="1")
    with pytest.raises(InvalidEventError, match="party"):
        store_article(reference, *items[200], extractor_version="1")
    database = open_database(tmp_path / "bulk.db")
    with pytest.raises(InvalidEventError, match="party"):
        store_articles(database, items, extractor_version="1", batch=batch)
    assert rows_of(database) == rows_of(reference)
    fts_checked(database)
