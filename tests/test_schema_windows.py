"""undated_windows (schema v9): always what the matching query computed from the reports, whoever writes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest
import sqlite_utils

from db import open_database, store_article, store_articles
from db.matching import WINDOW_BEFORE
from db.reextract import articles_to_reextract, replace_article_events
from db.schema_windows import V9_DROP
from db.transaction import transaction
from extract.model import Event, Member
from tests.test_views import article

UNITS = ("Huyện Như Thanh", "Huyện Nông Cống", "Huyện Triệu Sơn", "Huyện Thọ Xuân")

#: What the matching query of schema v8 computed for every undated event of a cluster.
PLAIN = """
SELECT e.cluster_id, e.id, (SELECT min(substr(a.published, 1, 10)) || ' ' || max(substr(a.published, 1, 10))
    FROM event_reports r JOIN articles a ON a.id = r.article_id WHERE r.event_id = e.id) AS days
FROM events e WHERE e.event_date IS NULL"""


def plain(database: sqlite_utils.Database) -> list[tuple[int, str, int, str]]:
    """The windows as the v8 query saw them: (cluster, first day, event, last day), those it could use."""
    rows = database.execute(PLAIN).fetchall()
    return sorted((c, d[:10], e, d[-10:]) for c, e, d in rows if d)


def stored(database: sqlite_utils.Database) -> list[tuple[int, str, int, str]]:
    sql = "SELECT cluster_id, first_day, event_id, last_day FROM undated_windows ORDER BY 1, 2, 3"
    return [tuple(r) for r in database.execute(sql).fetchall()]


def meetings(rng: random.Random, published: dt.date) -> list[Event]:
    """One or two meetings of two clusters around the publication day; a third of them undated."""
    out = []
    for _ in range(rng.choice((1, 2))):
        number = rng.choice((1, 2))
        day = published - dt.timedelta(days=rng.randrange(-1, WINDOW_BEFORE + 2))
        out.append(
            Event(
                activities=(rng.choice(("signing", "review")),),
                unit_kind="cụm",
                cluster_number=number,
                cluster_label=f"Cụm thi đua số {number}",
                system="tỉnh Thanh Hóa",
                event_date=None if rng.random() < 0.35 else day,
                date_text=None,
                covenant_year=2025,
                location=None,
                members=tuple(Member(u) for u in rng.sample(UNITS, 2)),
                officials=(),
            )
        )
    return out


def work(seed: int, n: int = 80) -> list[tuple[object, list[Event]]]:
    rng = random.Random(seed)
    items = []
    for k in range(n):
        published = dt.date(2025, 1, 1) + dt.timedelta(days=k // 3)
        items.append((article(f"tin-{k}", published), meetings(rng, published)))
    return items


def build(path: Path, *, batch: int | None = 9) -> sqlite_utils.Database:
    database = open_database(path)
    if batch is None:
        for item, found in work(3):
            store_article(database, item, found, extractor_version="1")  # type: ignore[arg-type]
    else:
        store_articles(database, work(3), extractor_version="1", batch=batch)  # type: ignore[arg-type]
    return database


@pytest.mark.parametrize("batch", [None, 1, 9, 500])
def test_stored_windows_are_the_plain_ones_and_undated_events_were_taken_in(
    tmp_path: Path, batch: int | None
) -> None:
    database = build(tmp_path / "t.db", batch=batch)
    assert stored(database) == plain(database) and stored(database)
    # Some undated reports were attached or taken in by a dated meeting: the windows were read.
    (attached,) = database.execute(
        "SELECT count(*) FROM event_reports r JOIN events e ON e.id = r.event_id "
        "WHERE r.event_date IS NULL AND e.event_date IS NOT NULL"
    ).fetchone()
    assert attached > 0


def test_the_windows_follow_reextraction_edits_moves_and_deletes(tmp_path: Path) -> None:
    database = build(tmp_path / "t.db")
    rng = random.Random(5)
    for item in list(articles_to_reextract(database, version="2", force=True)):
        day = item.published.date() if item.published else dt.date(2025, 1, 1)
        replace_article_events(database, item, meetings(rng, day), version="2")
    assert stored(database) == plain(database)
    # Articles edited: published later, a new text (hence new events), or no publication time at all.
    edits = []
    for k, (item, found) in enumerate(work(3)[:30]):
        when = None if k % 5 == 0 else item.published + dt.timedelta(days=k % 4)  # type: ignore[attr-defined]
        edits.append((dataclasses.replace(item, published=when, content_hash=f"v{k}"), found))  # type: ignore[type-var]
    store_articles(database, edits, extractor_version="2", batch=7)  # type: ignore[arg-type]
    assert stored(database) == plain(database)
    with transaction(database):
        database.execute("UPDATE events SET event_date = NULL WHERE id % 4 = 0")
        database.execute(
            "UPDATE events SET event_date = '2025-01-05' WHERE id % 7 = 0 AND event_date IS NULL"
        )
        other = database.execute("SELECT min(id) FROM clusters").fetchone()[0]
        database.execute("UPDATE events SET cluster_id = ? WHERE id % 3 = 0", [other])
        database.execute("UPDATE articles SET published = NULL WHERE id % 6 = 0")
    assert stored(database) == plain(database)
    with transaction(database):
        database.execute("DELETE FROM event_reports WHERE article_id % 5 = 0")
        database.execute("DELETE FROM events WHERE id % 9 = 0")
        database.execute("DELETE FROM articles WHERE id % 8 = 0")
    assert stored(database) == plain(database)


def test_storing_the_same_input_twice_gives_the_same_windows(tmp_path: Path) -> None:
    database = build(tmp_path / "t.db")
    before = stored(database)
    store_articles(database, work(3), extractor_version="1", batch=9)  # type: ignore[arg-type]
    assert stored(database) == before


def test_a_version_8_file_gets_its_windows(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    database = build(path)
    expected = stored(database)
    with transaction(database):
        for statement in V9_DROP:
            database.execute(statement)
        database.execute("DELETE FROM schema_version WHERE version = 9")
    database.close()
    upgraded = open_database(path)
    assert upgraded.execute("SELECT max(version) FROM schema_version").fetchone() == (9,)
    assert stored(upgraded) == expected == plain(upgraded)


def test_matching_reads_a_range_of_the_windows(tmp_path: Path) -> None:
    database = build(tmp_path / "t.db")
    plan = " ".join(
        r[-1]
        for r in database.execute(
            "EXPLAIN QUERY PLAN SELECT w.event_id FROM undated_windows w JOIN events e ON e.id = w.event_id "
            "WHERE w.cluster_id = 1 AND w.first_day BETWEEN '2025-01-01' AND '2025-01-09' "
            "AND w.last_day <= '2025-01-09'"
        )
    )
    assert "SEARCH w USING PRIMARY KEY (cluster_id=? AND first_day>? AND first_day<?)" in plan
