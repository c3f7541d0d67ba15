"""Opening files of other versions: an older one is upgraded with its data, a newer one is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from db import DatabaseError, NotADatabaseError, SchemaTooNewError, open_database
from db.migrations import MIGRATIONS, migrate, schema_version
from db.schema import SCHEMA_VERSION


def v1_file(path: Path) -> None:
    """A file as thidua with schema version 1 left it, holding one article and one event."""
    database = sqlite_utils.Database(path)
    migrate(database, target=1)
    database.execute(
        "INSERT INTO articles (url, canonical_url, source, title, lead, body, content_hash, "
        "extractor_version) "
        "VALUES ('https://a.vn/1', 'https://a.vn/1', 'a.vn', 'Đồng chí Bí thư dự lễ ký kết', "
        "'Cụm thi đua số 2 đua sức', 'Nội dung', 'h1', '0')"
    )
    database.execute(
        "INSERT INTO clusters (key, kind, number, label) VALUES ('cụm||2', 'cụm', 2, 'Cụm thi đua số 2')"
    )
    database.execute(
        "INSERT INTO events (key, cluster_id, event_date, year, activities) "
        "VALUES ('1|2025-03-06', 1, '2025-03-06', 2025, '[\"signing\"]')"
    )
    database.execute(
        "INSERT INTO event_reports (event_id, article_id, position, cluster_label) VALUES (1, 1, 0, 'Cụm 2')"
    )
    database.conn.commit()
    database.close()


def test_the_migration_list_matches_the_version() -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION >= 2


def test_a_version_1_file_is_upgraded_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    v1_file(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
        assert "folded" not in [r[1] for r in raw.execute("PRAGMA table_info(articles)")]
    database = open_database(path)
    assert schema_version(database) == SCHEMA_VERSION
    assert database.execute("SELECT title FROM articles").fetchone()[0] == "Đồng chí Bí thư dự lễ ký kết"
    assert (
        database.execute("SELECT folded FROM articles")
        .fetchone()[0]
        .startswith("dong chi bi thu du le ky ket")
    )
    found = database.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'dua'").fetchall()
    assert found == [(1,)]
    view = database.execute("SELECT cluster, event_date, activities, source_urls FROM events_view").fetchall()
    assert view == [("Cụm thi đua số 2", "2025-03-06", "signing", "https://a.vn/1")]
    documented = database.execute(
        "SELECT count(*) FROM _columns WHERE table_name = 'events_view'"
    ).fetchone()[0]
    assert documented > 0


def test_a_failing_migration_leaves_the_old_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    v1_file(path)
    with sqlite3.connect(path) as raw:
        before = list(raw.iterdump())

    real = MIGRATIONS[1]

    def broken(database: sqlite_utils.Database) -> None:
        real(database)  # every v2 change is made, then the step fails
        raise RuntimeError("migration bug")

    monkeypatch.setattr("db.migrations.MIGRATIONS", [MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError, match="migration bug"):
        open_database(path)
    with sqlite3.connect(path) as raw:
        assert list(raw.iterdump()) == before


def test_a_newer_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "thidua.db"
    open_database(path).execute(
        "INSERT INTO schema_version VALUES (?, 'from the future')", [SCHEMA_VERSION + 3]
    )
    with pytest.raises(SchemaTooNewError) as caught:
        open_database(path)
    message = str(caught.value)
    assert f"schema version {SCHEMA_VERSION + 3}" in message
    assert f"knows up to {SCHEMA_VERSION}" in message and "upgrade thidua" in message
    with pytest.raises(SchemaTooNewError):
        open_database(path, readonly=True)


def test_a_file_that_is_not_sqlite_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Cụm thi đua số 3 — ghi chú, không phải cơ sở dữ liệu\n" * 20, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError, match="not a SQLite database"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE notes (x)")
    with pytest.raises(DatabaseError, match="not a thidua one"):
        open_database(path)


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(DatabaseError, match=r"folder .* does not exist"):
        open_database(tmp_path / "no" / "such" / "thidua.db")


def test_readonly_reads_a_current_file_and_refuses_to_upgrade_an_old_one(tmp_path: Path) -> None:
    current, old = tmp_path / "current.db", tmp_path / "old.db"
    open_database(current).close()
    reader = open_database(current, readonly=True)
    assert schema_version(reader) == SCHEMA_VERSION
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("INSERT INTO units (key, name) VALUES ('a', 'A')")
    v1_file(old)
    with pytest.raises(DatabaseError, match="needs an upgrade"):
        open_database(old, readonly=True)


def test_a_corrupt_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    open_database(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page: header intact, content garbage
    path.write_bytes(bytes(data))
    for name in ("broken.db-wal", "broken.db-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    with pytest.raises(NotADatabaseError, match="not a SQLite database"):
        open_database(path)


def test_a_version_2_file_keeps_its_runs_and_learns_the_killed_status(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    database = sqlite_utils.Database(path)
    migrate(database, target=2)
    insert = "INSERT INTO runs (command, sites, started_at, status) VALUES (?, ?, ?, ?)"
    database.execute(insert, ["crawl", '["nld"]', "2026-03-01", "ok"])
    database.execute(insert, ["crawl", "[]", "2026-03-02", "running"])
    database.conn.commit()
    with pytest.raises(sqlite3.IntegrityError):
        database.execute("UPDATE runs SET status = 'killed' WHERE id = 2")
    database.close()

    upgraded = open_database(path)
    assert schema_version(upgraded) == SCHEMA_VERSION
    rows = upgraded.execute("SELECT id, command, started_at, status FROM runs ORDER BY id").fetchall()
    assert rows == [(1, "crawl", "2026-03-01", "ok"), (2, "crawl", "2026-03-02", "running")]
    upgraded.execute("UPDATE runs SET status = 'killed' WHERE id = 2")
    with pytest.raises(sqlite3.IntegrityError):
        upgraded.execute("UPDATE runs SET status = 'lost' WHERE id = 2")
    assert upgraded.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_version_2_file_gains_warc_files_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    v1_file(path)
    database = sqlite_utils.Database(path)
    migrate(database, target=2)
    database.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 2
        assert "warc_files" not in {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    database = open_database(path)
    assert schema_version(database) == SCHEMA_VERSION >= 3
    assert database.execute("SELECT title FROM articles").fetchone()[0] == "Đồng chí Bí thư dự lễ ký kết"
    assert database.execute("SELECT count(*) FROM warc_files").fetchone()[0] == 0
    documented = {
        r[0] for r in database.execute("SELECT column_name FROM _columns WHERE table_name = 'warc_files'")
    }
    assert documented == {c.name for c in database["warc_files"].columns}
    # A row is either finished or failed, never both nor neither.
    with pytest.raises(sqlite3.IntegrityError):
        database.execute("INSERT INTO warc_files (path) VALUES ('/a.warc.gz')")


def test_a_version_7_file_gains_robots_txt_and_keeps_its_frontier(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    database = sqlite_utils.Database(path)
    migrate(database, target=7)
    database.execute(
        "INSERT INTO urls (url, site, kind, state, etag) "
        "VALUES ('http://a.vn/sitemap.xml', 'a', 'sitemap', 'fetched', '\"s1\"')"
    )
    database.conn.commit()
    database.close()
    with sqlite3.connect(path) as raw:
        assert "robots_txt" not in {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    database = open_database(path)
    assert schema_version(database) == SCHEMA_VERSION >= 8
    assert database.execute("SELECT url, etag FROM urls").fetchall() == [("http://a.vn/sitemap.xml", '"s1"')]
    assert database.execute("SELECT count(*) FROM robots_txt").fetchone()[0] == 0
    documented = {
        r[0] for r in database.execute("SELECT column_name FROM _columns WHERE table_name = 'robots_txt'")
    }
    assert documented == {c.name for c in database["robots_txt"].columns}


def test_a_version_4_file_gains_province_and_month_for_its_events(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    database = sqlite_utils.Database(path)
    migrate(database, target=4)
    database.execute(
        "INSERT INTO clusters (key, kind, number, label, system) "
        "VALUES ('cụm|tỉnh nghệ an|3', 'cụm', 3, 'Cụm thi đua số 3', 'tỉnh Nghệ An')"
    )
    database.execute(
        "INSERT INTO clusters (key, kind, number, label) VALUES ('khối||1', 'khối', 1, 'Khối thi đua 1')"
    )
    database.execute("INSERT INTO units (key, name) VALUES ('huyện đức trọng', 'Huyện Đức Trọng')")
    database.execute(
        "INSERT INTO events (key, cluster_id, event_date, year) "
        "VALUES ('1|2025-03-06', 1, '2025-03-06', 2025)"
    )
    database.execute("INSERT INTO events (key, cluster_id, year) VALUES ('2|https://a.vn/2', 2, 2024)")
    database.execute("INSERT INTO event_members (event_id, unit_id, position) VALUES (2, 1, 0)")
    for article in (1, 2):
        database.execute(
            "INSERT INTO articles (url, canonical_url, source, title, content_hash, extractor_version, "
            "published) VALUES (?, ?, 'a.vn', 'Tin', ?, '1', '2025-03-06T10:00:00+07:00')",
            [f"https://a.vn/{article}", f"https://a.vn/{article}", f"h{article}"],
        )
    database.execute(
        "INSERT INTO event_reports (event_id, article_id, position, cluster_label, system, event_date) "
        "VALUES (1, 1, 0, 'Cụm thi đua số 3', 'tỉnh Nghệ An', '2025-03-06')"
    )
    database.execute(
        "INSERT INTO event_reports (event_id, article_id, position, cluster_label, members) "
        "VALUES (2, 2, 0, 'Khối thi đua 1', '[[\"Huyện Đức Trọng\", null]]')"
    )
    database.conn.commit()
    database.close()
    upgraded = open_database(path)
    got = upgraded.execute(
        "SELECT event_id, cluster_title, province, province_named, month FROM events_view ORDER BY event_id"
    ).fetchall()
    assert got == [
        (1, "Cụm thi đua số 3 — tỉnh Nghệ An", "tỉnh Nghệ An", "tỉnh Nghệ An", "2025-03"),
        (2, "Khối thi đua 1 — (a.vn)", "tỉnh Lâm Đồng", "tỉnh Lâm Đồng", None),
    ]


def v2_file_with_entities(path: Path) -> None:
    """A file as thidua with schema version 2 left it: keys of that time, one pooled and one split cluster.

    Cụm 3 of Nghệ An and of Lâm Đồng (both systemless) pooled in ``cụm||3``; Cụm 5 of Lâm Đồng split
    in two rows by the way two sites wrote its system, its one meeting in two events.
    """
    database = sqlite_utils.Database(path)
    migrate(database, target=2)
    articles = [
        ("https://baonghean.vn/a.html", "2025-03-06T09:00:00+07:00"),
        ("https://baolamdong.vn/b.html", "2025-03-06T10:00:00+07:00"),
        ("https://baolamdong.vn/c.html", "2025-04-02T10:00:00+07:00"),
        ("https://lamdong.gov.vn/d.html", "2025-04-02T11:00:00+07:00"),
    ]
    for n, (url, published) in enumerate(articles, 1):
        database.execute(
            "INSERT INTO articles (url, canonical_url, source, title, body, content_hash, extractor_version, "
            "published, events_count) VALUES (?, ?, ?, ?, 'Nội dung', ?, '1', ?, 1)",
            [url, url, url.split("/")[2], f"Tin {n}", f"h{n}", published],
        )
    clusters = [
        ("cụm||3", 3, "Cụm thi đua số 3", None),
        ("cụm|tỉnh lâm đồng|5", 5, "Cụm thi đua số 5", "tỉnh Lâm Đồng"),
        ("cụm|ubnd tỉnh lâm đồng|5", 5, "Cụm thi đua số 05", "UBND tỉnh Lâm Đồng"),
    ]
    for key, number, label, system in clusters:
        database.execute(
            "INSERT INTO clusters (key, kind, number, label, system) VALUES (?, 'cụm', ?, ?, ?)",
            [key, number, label, system],
        )
    events = [(1, "1|2025-03-06", 1, "2025-03-06"), (2, "2|2025-04-01", 2, "2025-04-01"),
              (3, "3|2025-04-01", 3, "2025-04-01")]  # fmt: skip
    for event_id, key, cluster, day in events:
        database.execute(
            "INSERT INTO events (id, key, cluster_id, event_date, year, activities) "
            "VALUES (?, ?, ?, ?, 2025, '[\"signing\"]')",
            [event_id, key, cluster, day],
        )
    reports = [
        (1, 1, "Cụm thi đua số 3", None, "2025-03-06",
         '[["Huyện Yên Thành","cụm trưởng"],["Huyện Đô Lương",null]]'),
        (1, 2, "Cụm thi đua số 3", None, "2025-03-06",
         '[["Huyện Đức Trọng","cụm trưởng"],["Huyện Di Linh",null]]'),
        (2, 3, "Cụm thi đua số 5", "tỉnh Lâm Đồng", "2025-04-01", '[["Huyện Lâm Hà",null]]'),
        (3, 4, "Cụm thi đua số 05", "UBND tỉnh Lâm Đồng", "2025-04-01", '[["huyện Lâm Hà",null]]'),
    ]  # fmt: skip
    units = {"huyện yên thành", "huyện đô lương", "huyện đức trọng", "huyện di linh", "huyện lâm hà"}
    for key in sorted(units):
        database.execute("INSERT INTO units (key, name) VALUES (?, ?)", [key, key.title()])
    for event_id, article_id, label, system, day, members in reports:
        database.execute(
            "INSERT INTO event_reports (event_id, article_id, position, cluster_label, system, event_date, "
            "activities, members) VALUES (?, ?, 0, ?, ?, ?, '[\"signing\"]', ?)",
            [event_id, article_id, label, system, day, members],
        )
    database.conn.commit()
    database.close()


def test_a_version_2_file_is_re_keyed_to_the_current_version_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    v2_file_with_entities(path)
    database = open_database(path)
    assert schema_version(database) == SCHEMA_VERSION
    assert database.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    reports = database.execute(
        "SELECT a.canonical_url, r.cluster_label, r.system FROM event_reports r "
        "JOIN articles a ON a.id = r.article_id ORDER BY a.id"
    ).fetchall()
    assert reports == [
        ("https://baonghean.vn/a.html", "Cụm thi đua số 3", None),
        ("https://baolamdong.vn/b.html", "Cụm thi đua số 3", None),
        ("https://baolamdong.vn/c.html", "Cụm thi đua số 5", "tỉnh Lâm Đồng"),
        ("https://lamdong.gov.vn/d.html", "Cụm thi đua số 05", "UBND tỉnh Lâm Đồng"),
    ]
    clusters = database.execute("SELECT key, label, system, site FROM clusters ORDER BY key").fetchall()
    assert clusters == [
        ("cụm|@baolamdong.vn|3", "Cụm thi đua số 3", None, "baolamdong.vn"),
        ("cụm|@baonghean.vn|3", "Cụm thi đua số 3", None, "baonghean.vn"),
        ("cụm|tỉnh lâm đồng|5", "Cụm thi đua số 5", "tỉnh Lâm Đồng", None),
    ]
    view = database.execute(
        "SELECT cluster_title, province, event_date, members, article_count FROM events_view ORDER BY 1"
    ).fetchall()
    assert view == [
        ("Cụm thi đua số 3 — (baolamdong.vn)", "tỉnh Lâm Đồng", "2025-03-06",
         "Huyện Đức Trọng (cụm trưởng); Huyện Di Linh", 1),
        ("Cụm thi đua số 3 — (baonghean.vn)", "tỉnh Nghệ An", "2025-03-06",
         "Huyện Yên Thành (cụm trưởng); Huyện Đô Lương", 1),
        ("Cụm thi đua số 5 — tỉnh Lâm Đồng", "tỉnh Lâm Đồng", "2025-04-01", "Huyện Lâm Hà", 2),
    ]  # fmt: skip
    unit_keys = sorted(r[0] for r in database.execute("SELECT key FROM units"))
    assert unit_keys == [
        "tỉnh lâm đồng|huyện di linh", "tỉnh lâm đồng|huyện lâm hà", "tỉnh lâm đồng|huyện đức trọng",
        "tỉnh nghệ an|huyện yên thành", "tỉnh nghệ an|huyện đô lương",
    ]  # fmt: skip
    assert [r[0] for r in database.execute("SELECT events_count FROM articles ORDER BY id")] == [1, 1, 1, 1]
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    # Opening it again changes nothing: the migration ran once.
    before = list(database.conn.iterdump())
    database.close()
    assert list(open_database(path).conn.iterdump()) == before
