"""Schema v7 (db/schema_browse.py): member_years and the faster analyst views give exactly the rows
of the plain definitions (db.schema.V2_VIEWS, which group or join everything), on real SQLite files,
after stores, re-extraction, moved events and deleted ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest
import sqlite_utils

from db import open_database, store_article, store_articles
from db.errors import InvalidEventError
from db.reextract import articles_to_reextract, replace_article_events
from db.schema import V2_VIEWS
from db.schema_browse import V7_VIEWS
from db.transaction import transaction
from extract.model import Event, Member, Official
from tests.test_views import article

UNITS = ("Huyện Như Thanh", "Huyện Nông Cống", "Huyện Triệu Sơn", "Huyện Thọ Xuân", "Thị xã Nghi Sơn")
ROLES = ("cụm trưởng", "cụm phó", None, None)
PEOPLE = ("Lê Văn Hòa", "Trần Thị Mai", "Nguyễn Hữu Dũng")


def events(rng: random.Random, n: int) -> list[Event]:
    """``n`` made-up meetings of three clusters over three years, some with no year at all."""
    out = []
    for _ in range(n):
        number = rng.choice((1, 2, 3))
        day = dt.date(2023 + rng.randrange(3), rng.randrange(1, 13), rng.randrange(1, 28))
        dated = rng.random() < 0.8
        members = rng.sample(UNITS, 3)
        out.append(
            Event(
                activities=(rng.choice(("signing", "review", "launch")),),
                unit_kind="cụm",
                cluster_number=number,
                cluster_label=f"Cụm thi đua số {number}",
                system="tỉnh Thanh Hóa",
                event_date=day if dated else None,
                date_text=None,
                covenant_year=day.year if dated or rng.random() < 0.5 else None,
                location=None,
                members=tuple(
                    Member(u, rng.choice(ROLES) if i == 0 else None) for i, u in enumerate(members)
                ),
                officials=tuple(Official(p, "Phó Chủ tịch UBND tỉnh") for p in rng.sample(PEOPLE, 2)),
            )
        )
    return out


def build(path: Path, seed: int = 7) -> sqlite_utils.Database:
    rng = random.Random(seed)
    database = open_database(path)
    work = [
        (article(f"tin-{n}", dt.date(2025, 1, 1) + dt.timedelta(days=n)), events(rng, rng.choice((1, 2))))
        for n in range(60)
    ]
    store_articles(database, work, extractor_version="1", batch=7)
    return database


def same_rows(database: sqlite_utils.Database, name: str) -> None:
    """The v7 view and the plain definition list the same rows (as multisets)."""
    ours = sorted(map(tuple, database.execute(f"SELECT * FROM {name}").fetchall()), key=repr)
    plain = sorted(map(tuple, database.execute(V2_VIEWS[name]).fetchall()), key=repr)
    assert ours == plain and ours, name


@pytest.mark.parametrize("name", sorted(V7_VIEWS))
def test_the_views_give_the_plain_rows_on_a_new_file(tmp_path: Path, name: str) -> None:
    database = build(tmp_path / "t.db")
    same_rows(database, name)


def test_the_view_columns_are_the_plain_ones(tmp_path: Path) -> None:
    database = build(tmp_path / "t.db")
    for name in V7_VIEWS:
        ours = [c.name for c in database[name].columns]
        cursor = database.execute(V2_VIEWS[name] + " LIMIT 0")
        assert ours == [d[0] for d in cursor.description], name


def test_member_years_follow_reextraction_and_moved_events(tmp_path: Path) -> None:
    database = build(tmp_path / "t.db")
    rng = random.Random(11)
    # Re-extraction replaces every article's events (deleted, then stored anew, often different).
    for stored in list(articles_to_reextract(database, version="2", force=True)):
        replace_article_events(database, stored, events(rng, rng.choice((0, 1, 2))), version="2")
    same_rows(database, "members_by_year")
    # An analyst's correction moves events to another year and another cluster.
    with transaction(database):
        database.execute("UPDATE events SET year = 2031 WHERE id % 3 = 0")
        database.execute("UPDATE events SET year = NULL WHERE id % 7 = 0")
        other = database.execute("SELECT min(id) FROM clusters").fetchone()[0]
        database.execute("UPDATE events SET cluster_id = ? WHERE id % 5 = 0", [other])
    same_rows(database, "members_by_year")
    # A unit merged into another, members removed, events deleted.
    with transaction(database):
        keep = database.execute("SELECT min(id) FROM units").fetchone()[0]
        database.execute(
            "UPDATE OR IGNORE event_members SET unit_id = ? WHERE unit_id = (SELECT max(id) FROM units)",
            [keep],
        )
        database.execute("DELETE FROM event_members WHERE position = 2")
        database.execute("DELETE FROM events WHERE id % 4 = 1")
    same_rows(database, "members_by_year")
    same_rows(database, "officials_appearances")


def test_storing_the_same_input_twice_gives_the_same_member_years(tmp_path: Path) -> None:
    once = build(tmp_path / "a.db")
    twice = build(tmp_path / "b.db")
    rng = random.Random(7)
    again = [
        (article(f"tin-{n}", dt.date(2025, 1, 1) + dt.timedelta(days=n)), events(rng, rng.choice((1, 2))))
        for n in range(60)
    ]
    store_articles(twice, again, extractor_version="1", batch=7)
    query = "SELECT cluster_id, year, unit_id FROM member_years ORDER BY 1, 2, 3"
    assert once.execute(query).fetchall() == twice.execute(query).fetchall()
    keys = once.execute("SELECT count(*), count(DISTINCT cluster_id || '|' || year || '|' || unit_id) "
                        "FROM member_years WHERE year IS NOT NULL").fetchone()  # fmt: skip
    assert keys[0] == keys[1]  # no key twice


def test_the_views_read_only_the_rows_shown(tmp_path: Path) -> None:
    """The query plans: no temporary b-tree grouping all members; officials scanned from events."""
    database = build(tmp_path / "t.db")
    plan = " ".join(
        r[-1] for r in database.execute("EXPLAIN QUERY PLAN SELECT * FROM members_by_year LIMIT 51")
    )
    assert "GROUP BY" not in plan and "SCAN k" in plan
    plan = " ".join(
        r[-1] for r in database.execute("EXPLAIN QUERY PLAN SELECT count(*) FROM officials_appearances")
    )
    assert plan.index("SCAN e") < plan.index("SEARCH o")


def work(seed: int = 7) -> list[tuple[object, list[Event]]]:
    rng = random.Random(seed)
    return [
        (article(f"tin-{n}", dt.date(2025, 1, 1) + dt.timedelta(days=n)), events(rng, rng.choice((1, 2))))
        for n in range(60)
    ]


def dump(database: sqlite_utils.Database) -> list[str]:
    """The file's SQL text, in an order that does not depend on when a trigger was re-created, less
    the full-text index's segments (a batch indexes its articles at once: same terms, other segments)."""
    return sorted(
        line for line in database.conn.iterdump() if not line.startswith('INSERT INTO "articles_fts_')
    )


def triggers(database: sqlite_utils.Database) -> list[tuple[str, str]]:
    sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    return [tuple(r) for r in database.execute(sql).fetchall()]


@pytest.mark.parametrize("batch", [1, 7, 500])
def test_a_bulk_load_keeps_member_years_as_the_triggers_do(tmp_path: Path, batch: int) -> None:
    # One article per transaction (store_article: the triggers) against batches (MemberYearsBatch),
    # twice over (the second pass re-stores nothing), then re-extracted in a batch (refresh_event).
    one = open_database(tmp_path / "one.db")
    bulk = open_database(tmp_path / "bulk.db")
    shipped = triggers(one)
    for item, found in work():
        store_article(one, item, found, extractor_version="1")  # type: ignore[arg-type]
    for _ in range(2):
        store_articles(bulk, work(), extractor_version="1", batch=batch)  # type: ignore[arg-type]
    assert triggers(bulk) == shipped
    assert dump(one) == dump(bulk)
    # A new version of each article: the same meetings (found again, hence refreshed) with units
    # never seen, then other meetings altogether (old events emptied, new ones made).
    renamed = [
        (item, [dataclasses.replace(e, members=(Member(f"Xã Mới {n}"), *e.members[1:])) for e in found])
        for n, (item, found) in enumerate(work())
    ]
    for version, items in (("2", renamed), ("3", work(seed=8))):
        for item, found in items:
            store_article(one, item, found, extractor_version=version)  # type: ignore[arg-type]
        store_articles(bulk, items, extractor_version=version, batch=batch)  # type: ignore[arg-type]
        assert dump(one) == dump(bulk), version
    same_rows(bulk, "members_by_year")


def test_a_failed_bulk_load_leaves_the_triggers_and_member_years_whole(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    shipped = triggers(database)
    items = work()
    wrong = dataclasses.replace(items[30][1][0], unit_kind="nhóm")
    items[30] = (items[30][0], [wrong])
    with pytest.raises(InvalidEventError):
        store_articles(database, items, extractor_version="1", batch=500)  # type: ignore[arg-type]
    assert triggers(database) == shipped
    assert database.execute("SELECT count(*) FROM articles").fetchone()[0] == 30
    same_rows(database, "members_by_year")
    # The triggers are back: a member row written afterwards, outside any batch, adds its key.
    for item, found in items[31:]:
        store_article(database, item, found, extractor_version="1")  # type: ignore[arg-type]
    same_rows(database, "members_by_year")
