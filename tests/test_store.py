"""store_article on real files: idempotent, atomic, shared events, changed articles, bad input."""

from __future__ import annotations

import datetime as dt
import sqlite3
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
import sqlite_utils

import db.entities
from db import InvalidEventError, open_database
from db.store import store_article
from extract.model import Event, Member, Official
from scraper.article import Article, content_hash
from tests.dbfixture import FixtureArticle

ICT = dt.timezone(dt.timedelta(hours=7))


def article(url: str, title: str, body: str, *, fetched_hour: int = 8) -> Article:
    """A stored-shaped article with its real content hash."""
    lead = "Các đơn vị trong cụm thống nhất nội dung giao ước thi đua năm 2025."
    return Article(
        url=url,
        canonical_url=url,
        source="baothanhhoa.vn",
        title=title,
        lead=lead,
        body=body,
        author="Minh Hiếu",
        published=dt.datetime(2025, 3, 7, 9, 30, tzinfo=ICT),
        modified=None,
        fetched_at=dt.datetime(2025, 3, 7, fetched_hour, tzinfo=ICT),
        content_hash=content_hash(title, lead, body),
        captions=("Quang cảnh hội nghị.",),
        site="baothanhhoa",
    )


def cum3(**changes: object) -> Event:
    """Cụm thi đua số 3 of tỉnh Thanh Hóa signing its 2025 covenant on 6 March."""
    event = Event(
        activities=("signing",),
        unit_kind="cụm",
        cluster_number=3,
        cluster_label="Cụm thi đua số 3",
        system="tỉnh Thanh Hóa",
        event_date=dt.date(2025, 3, 6),
        date_text="Sáng 6-3",
        covenant_year=2025,
        location="huyện Như Thanh",
        members=(
            Member("Huyện Như Thanh", "cụm trưởng"),
            Member("Huyện Nông Cống"),
            Member("Huyện Triệu Sơn"),
        ),
        officials=(Official("Lê Văn Hòa", "Phó Chủ tịch UBND tỉnh"),),
    )
    return replace(event, **changes)  # type: ignore[arg-type]


A1 = article("https://baothanhhoa.vn/cum-3-ky-ket.htm", "Cụm thi đua số 3 ký kết giao ước", "Sáng 6-3, …")
A2 = article("https://vhds.vn/cum-thi-dua-3.htm", "Ký kết giao ước thi đua Cụm 3", "Ngày 6/3, …")


def dump(database: sqlite_utils.Database) -> list[str]:
    return list(database.conn.iterdump())


def count(database: sqlite_utils.Database, table: str) -> int:
    return int(database.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_store_writes_article_event_members_officials(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    result = store_article(database, A1, [cum3()], extractor_version="1")
    assert (result.created, result.changed, result.events, result.new_events) == (True, True, 1, 1)
    row = database.execute(
        "SELECT extractor_version, events_count, stored_at, published, captions FROM articles"
    ).fetchone()
    assert row == (
        "1",
        1,
        "2025-03-07T08:00:00+07:00",
        "2025-03-07T09:30:00+07:00",
        '["Quang cảnh hội nghị."]',
    )
    event = database.execute("SELECT event_date, year, activities, location FROM events").fetchone()
    assert event == ("2025-03-06", 2025, '["signing"]', "huyện Như Thanh")
    members = database.execute(
        "SELECT u.name, m.role FROM event_members m JOIN units u ON u.id = m.unit_id ORDER BY m.position"
    ).fetchall()
    assert members == [
        ("Huyện Như Thanh", "cụm trưởng"),
        ("Huyện Nông Cống", None),
        ("Huyện Triệu Sơn", None),
    ]
    assert count(database, "event_officials") == 1


# The digest of one fixed text, pinned: a change here would mark every stored article as edited.
PINNED = "e60502da7b6bc75c98c4a4e19a3c24afc147d64ec2c8d92d21c2f448ead3c360"


@pytest.mark.parametrize(
    ("title", "lead", "body"),
    [
        ("Hội nghị Cụm thi đua số 3", "Ký kết giao ước.", "Sáng 6-3, các đơn vị ký kết."),
        (  # NFD input and stray edge spaces hash like the NFC text
            unicodedata.normalize("NFD", " Hội nghị Cụm thi đua số 3"),
            "Ký kết giao ước. ",
            unicodedata.normalize("NFD", "Sáng 6-3, các đơn vị ký kết."),
        ),
    ],
)
def test_the_stored_hash_is_the_articles_own(tmp_path: Path, title: str, lead: str, body: str) -> None:
    url = "https://baothanhhoa.vn/hoi-nghi-cum-3.htm"
    unhashed = replace(A1, url=url, canonical_url=url, title=title, lead=lead, body=body, content_hash="")
    assert unhashed.content_hash == content_hash(title, lead, body) == PINNED
    database = open_database(tmp_path / "t.db")
    store_article(database, unhashed, [], extractor_version="1")
    assert database.execute("SELECT content_hash FROM articles").fetchone() == (PINNED,)


def test_an_article_like_without_a_hash_is_refused(tmp_path: Path) -> None:
    bare = FixtureArticle(A1.url, A1.url, A1.source, A1.title, A1.lead, A1.body, None, None, None, None)
    database = open_database(tmp_path / "t.db")
    with pytest.raises(InvalidEventError, match="no content_hash"):
        store_article(database, bare, [], extractor_version="1")
    assert count(database, "articles") == 0


def test_storing_the_same_article_twice_changes_nothing(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    store_article(database, A1, [cum3()], extractor_version="1")
    store_article(database, A2, [cum3(members=(Member("Huyện Thọ Xuân"),))], extractor_version="1")
    before = dump(database)
    again = store_article(database, A1, [cum3()], extractor_version="1")
    assert (again.created, again.changed, again.new_events) == (False, False, 0)
    assert dump(database) == before


def test_the_same_meeting_from_two_articles_is_one_event_with_two_reports(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    store_article(database, A1, [cum3()], extractor_version="1")
    second = cum3(
        activities=("signing", "launch"),
        cluster_label="Cụm thi đua 3",
        members=(Member("huyện Nông Cống"), Member("Huyện Thọ Xuân", "cụm phó")),
        officials=(
            Official("Lê Văn Hoà", None),
            Official("Trần Thị Mai", "Trưởng ban Thi đua - Khen thưởng"),
        ),
    )
    result = store_article(database, A2, [second], extractor_version="1")
    assert (result.events, result.new_events) == (1, 0)
    assert count(database, "events") == 1
    assert count(database, "event_reports") == 2
    members = database.execute(
        "SELECT u.name, m.role FROM event_members m JOIN units u ON u.id = m.unit_id ORDER BY m.position"
    ).fetchall()
    assert members == [
        ("Huyện Như Thanh", "cụm trưởng"),
        ("Huyện Nông Cống", None),
        ("Huyện Triệu Sơn", None),
        ("Huyện Thọ Xuân", "cụm phó"),
    ]
    officials = database.execute(
        "SELECT p.name, o.title FROM event_officials o JOIN people p ON p.id = o.person_id "
        "ORDER BY o.position"
    ).fetchall()
    assert officials == [
        ("Lê Văn Hòa", "Phó Chủ tịch UBND tỉnh"),
        ("Trần Thị Mai", "Trưởng ban Thi đua - Khen thưởng"),
    ]
    assert database.execute("SELECT activities FROM events").fetchone()[0] == '["signing","launch"]'


def test_undated_meetings_of_one_cluster_in_two_articles_stay_two_events(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    store_article(
        database,
        A1,
        [cum3(event_date=None), cum3(event_date=None, activities=("review",))],
        extractor_version="1",
    )
    store_article(database, A2, [cum3(event_date=None)], extractor_version="1")
    # Within one article the same undated cluster is one meeting; across articles they cannot be told apart.
    assert count(database, "events") == 2
    assert count(database, "clusters") == 1
    assert database.execute("SELECT events_count FROM articles ORDER BY id").fetchall() == [(1,), (1,)]
    rows = database.execute("SELECT year, activities FROM events ORDER BY id").fetchall()
    assert rows == [(2025, '["signing","review"]'), (2025, '["signing"]')]


def test_a_changed_article_replaces_its_events_and_drops_orphans(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    store_article(
        database,
        A1,
        [cum3(), cum3(cluster_number=5, cluster_label="Cụm thi đua số 5")],
        extractor_version="1",
    )
    store_article(database, A2, [cum3(members=(Member("Huyện Thọ Xuân"),))], extractor_version="1")
    edited = replace(A1, body="Sáng 6-3 (đã cập nhật), …", fetched_at=dt.datetime(2025, 3, 8, 8, tzinfo=ICT))
    edited = replace(edited, content_hash=content_hash(edited.title, edited.lead, edited.body))
    result = store_article(
        database, edited, [cum3(members=(Member("Huyện Hà Trung"),), officials=())], extractor_version="1"
    )
    assert (result.created, result.changed, result.events, result.new_events) == (False, True, 1, 0)
    # Cụm 5 was reported only by the old text: gone. Cụm 3 is the union of the new text and A2.
    assert database.execute("SELECT count(*), min(cluster_id) FROM events").fetchone() == (1, 1)
    units = [
        r[0]
        for r in database.execute(
            "SELECT u.name FROM event_members m JOIN units u ON u.id = m.unit_id ORDER BY m.position"
        )
    ]
    assert units == ["Huyện Hà Trung", "Huyện Thọ Xuân"]
    assert count(database, "event_officials") == 1  # named by A2 only, now
    row = database.execute(
        "SELECT body, stored_at, updated_at FROM articles WHERE id = ?", [result.article_id]
    )
    assert row.fetchone() == (
        "Sáng 6-3 (đã cập nhật), …",
        "2025-03-07T08:00:00+07:00",
        "2025-03-08T08:00:00+07:00",
    )


def test_an_article_that_no_longer_reports_events_leaves_none(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    store_article(database, A1, [cum3()], extractor_version="1")
    edited = replace(A1, body="Bài đã được gỡ nội dung.", content_hash="other")
    result = store_article(database, edited, [], extractor_version="1")
    assert result.events == 0
    assert [count(database, t) for t in ("events", "event_reports", "event_members", "event_officials")] == [
        0,
        0,
        0,
        0,
    ]


def test_an_exception_in_the_middle_leaves_no_partial_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(tmp_path / "t.db")
    store_article(database, A2, [cum3(members=(Member("Huyện Thọ Xuân"),))], extractor_version="1")
    before = dump(database)
    calls = 0
    real = db.entities.person_id

    def failing_person_id(
        database: sqlite_utils.Database, name: str, cache: object = None, province: str | None = None
    ) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:  # after the article, its events, reports and units are written
            raise RuntimeError("disk on fire")
        return real(database, name, province=province)

    monkeypatch.setattr("db.events.person_id", failing_person_id)
    # Two people not stored before: ids already known (cached by name) are not looked up again.
    two = cum3(officials=(Official("Phan Văn Tâm"), Official("Trần Thị Mai")))
    with pytest.raises(RuntimeError, match="disk on fire"):
        store_article(database, A1, [two], extractor_version="1")
    assert calls == 2
    assert dump(database) == before
    assert not database.conn.in_transaction


def test_a_trigger_failure_rolls_the_article_back(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    database.execute(
        "CREATE TRIGGER no_officials BEFORE INSERT ON event_officials "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    before = dump(database)
    with pytest.raises(sqlite3.IntegrityError, match="refused"):
        store_article(database, A1, [cum3()], extractor_version="1")
    assert dump(database) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit_kind": "tổ"}, "unit_kind"),
        ({"activities": ("signing", "party")}, "activity 'party'"),
        ({"members": (Member("Huyện Như Thanh", "trưởng nhóm"),)}, "role 'trưởng nhóm'"),
        ({"cluster_label": "  "}, "cluster_label is empty"),
        ({"officials": (Official(" "),)}, "official has no name"),
    ],
)
def test_values_outside_the_vocabulary_are_refused_before_writing(
    tmp_path: Path, changes: dict, message: str
) -> None:
    database = open_database(tmp_path / "t.db")
    before = dump(database)
    with pytest.raises(InvalidEventError, match=message):
        store_article(database, A1, [cum3(**changes)], extractor_version="1")
    assert dump(database) == before


def test_a_new_extractor_version_recomputes_an_unchanged_article(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    store_article(database, A1, [cum3()], extractor_version="1")
    result = store_article(database, A1, [cum3(location="UBND huyện Như Thanh")], extractor_version="2")
    assert result.changed and not result.created
    assert database.execute("SELECT location FROM events").fetchone()[0] == "UBND huyện Như Thanh"
    assert database.execute("SELECT extractor_version FROM articles").fetchone()[0] == "2"


def test_the_same_stores_give_the_same_file_whatever_the_clock(tmp_path: Path) -> None:
    dumps = []
    for name in ("one.db", "two.db"):
        database = open_database(tmp_path / name)
        store_article(database, A1, [cum3()], extractor_version="1")
        store_article(database, A2, [cum3(members=(Member("Huyện Thọ Xuân"),))], extractor_version="1")
        store_article(database, A1, [cum3(location="Nhà văn hóa huyện")], extractor_version="2")
        dumps.append(dump(database))
    assert dumps[0] == dumps[1]


def test_ids_of_a_rolled_back_article_are_not_reused_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(tmp_path / "t.db")
    real = db.entities.person_id

    def failing_person_id(
        database: sqlite_utils.Database, name: str, cache: object = None, province: str | None = None
    ) -> int:
        raise RuntimeError("stop after the units")

    monkeypatch.setattr("db.events.person_id", failing_person_id)
    with pytest.raises(RuntimeError):
        store_article(database, A1, [cum3(members=(Member("Huyện Hậu Lộc"),))], extractor_version="1")
    monkeypatch.setattr("db.events.person_id", real)
    # The rolled-back "Huyện Hậu Lộc" had id 1; "Huyện Hoằng Hóa" now takes it, and "Huyện Hậu Lộc"
    # must be inserted afresh rather than found in a stale cache.
    store_article(
        database,
        A1,
        [cum3(members=(Member("Huyện Hoằng Hóa"), Member("Huyện Hậu Lộc")))],
        extractor_version="1",
    )
    store_article(database, A2, [cum3(members=(Member("Huyện Hậu Lộc"),))], extractor_version="1")
    units = database.execute(
        "SELECT u.name FROM event_members m JOIN units u ON u.id = m.unit_id ORDER BY m.position"
    ).fetchall()
    assert units == [("Huyện Hoằng Hóa",), ("Huyện Hậu Lộc",)]
    assert database.execute("SELECT count(*) FROM units").fetchone()[0] == 2
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []


def test_many_articles_in_one_transaction_each_stay_all_or_nothing(tmp_path: Path) -> None:
    from db.transaction import transaction

    database = open_database(tmp_path / "t.db")
    with transaction(database):
        store_article(database, A1, [cum3()], extractor_version="1")
        with pytest.raises(InvalidEventError):
            store_article(database, A2, [cum3(unit_kind="tổ")], extractor_version="1")
        database.execute(
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON event_officials BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
        with pytest.raises(sqlite3.IntegrityError):
            store_article(database, A2, [cum3(event_date=None)], extractor_version="1")
    assert database.execute("SELECT canonical_url FROM articles").fetchall() == [(A1.canonical_url,)]
    assert count(database, "events") == 1 and count(database, "event_reports") == 1


def test_store_articles_in_batches_matches_one_by_one(tmp_path: Path) -> None:
    from db.store import store_articles

    edited = replace(A1, body="Sáng 6-3, hội nghị đã điều chỉnh nội dung.", content_hash="edited")
    items = [(A1, [cum3()]), (A2, [cum3(members=(Member("Huyện Thọ Xuân"),))]), (edited, [cum3()])]
    one_by_one = open_database(tmp_path / "one.db")
    for item, events in items:
        store_article(one_by_one, item, events, extractor_version="1")
    batched = open_database(tmp_path / "batched.db")
    results = store_articles(batched, items, extractor_version="1", batch=10)
    assert [(r.created, r.changed) for r in results] == [(True, True), (True, True), (False, True)]
    # The same rows; only the FTS index's internal segment layout and the schema's order may differ.
    assert rows_of(batched) == rows_of(one_by_one)
    for database in (batched, one_by_one):
        database.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        found = database.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'dieu chinh'")
        assert found.fetchall() == [(1,)]
        assert database.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Ngày'"
        ).fetchall() == [(2,)]
    # The FTS totals (row count, tokens per column: the record bm25 ranks with) agree as well.
    averages = "SELECT block FROM articles_fts_data WHERE id = 1"
    assert batched.execute(averages).fetchone() == one_by_one.execute(averages).fetchone()
    assert "articles_ai" in batched.execute("SELECT group_concat(name) FROM sqlite_master").fetchone()[0]


def rows_of(database: sqlite_utils.Database) -> list[str]:
    return sorted(line for line in database.conn.iterdump() if "articles_fts" not in line)


def test_store_articles_stores_those_before_a_bad_one_and_raises(tmp_path: Path) -> None:
    from db.store import store_articles

    a3 = replace(A2, url="https://a.vn/3", canonical_url="https://a.vn/3")
    items = [(A1, [cum3()]), (A2, [cum3(activities=("party",))]), (a3, [cum3()])]
    database = open_database(tmp_path / "t.db")
    with pytest.raises(InvalidEventError, match="party"):
        store_articles(database, items, extractor_version="1", batch=10)
    assert database.execute("SELECT canonical_url FROM articles").fetchall() == [(A1.canonical_url,)]
    assert count(database, "event_reports") == 1


def test_a_batch_indexes_an_article_before_writing_it_again(tmp_path: Path) -> None:
    # Without this, the update trigger would delete search terms that were never indexed, which FTS5
    # refuses ("database disk image is malformed") and store_articles would fall back to one by one.
    from db.store import _SearchIndexBatch, _write
    from db.transaction import transaction

    edited = replace(A1, body="Sáng 6-3, hội nghị đã điều chỉnh nội dung.", content_hash="edited")
    database = open_database(tmp_path / "t.db")
    with transaction(database), _SearchIndexBatch(database) as index:
        for item in (A1, edited):
            index.before_write(item.canonical_url)
            result = _write(database, item, [cum3()], "1")
            if result.created:
                index.add(item.canonical_url, result.article_id)
    database.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    assert database.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'dieu'").fetchall() == [
        (1,)
    ]
