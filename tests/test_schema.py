"""The schema of a new file: tables, views, constraints, indexes, column descriptions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import COLUMN_DESCRIPTIONS, SCHEMA_VERSION, TABLE_DESCRIPTIONS, open_database

TABLES = {
    "schema_version",
    "_columns",
    "sources",
    "urls",
    "articles",
    "clusters",
    "units",
    "people",
    "events",
    "event_reports",
    "event_members",
    "event_officials",
    "runs",
    "run_errors",
    "robots_txt",
}
VIEWS = {"events_view", "members_by_year", "officials_appearances"}


def test_new_file_has_every_table_view_and_the_current_version(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    assert set(db.table_names()) >= TABLES | {"articles_fts"}
    assert set(db.view_names()) == VIEWS
    versions = [r["version"] for r in db.query("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_every_column_is_described_and_copied_into_the_file(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    for name in TABLES | VIEWS:
        columns = {c.name for c in db[name].columns}
        assert columns == set(COLUMN_DESCRIPTIONS[name]), name
        assert TABLE_DESCRIPTIONS[name]
    stored = {(r["table_name"], r["column_name"]) for r in db.query("SELECT * FROM _columns")}
    expected = {(t, c) for t, cols in COLUMN_DESCRIPTIONS.items() for c in cols}
    assert stored == expected


@pytest.mark.parametrize(
    ("table", "row"),
    [
        ("clusters", {"key": "k", "kind": "tổ", "label": "Tổ thi đua"}),
        ("urls", {"url": "https://a.vn/x", "site": "a", "kind": "article", "state": "lost"}),
        ("urls", {"url": "https://a.vn/x", "site": "a", "kind": "podcast"}),
        ("runs", {"command": "crawl", "started_at": "2026-03-06T00:00:00+00:00", "status": "meh"}),
        ("units", {"key": "k"}),
        # robots_txt keeps what decided the rules (200 or a 4xx), at most the 500 KiB a crawler reads.
        (
            "robots_txt",
            {"host": "a.vn", "url": "u", "status": 503, "checked_at": "2026-03-06T00:00:00+00:00"},
        ),
        (
            "robots_txt",
            {"host": "a.vn", "url": "u", "status": 200, "checked_at": "t", "body": "#" * 512_001},
        ),
    ],
)
def test_checks_reject_values_outside_the_vocabulary(tmp_path: Path, table: str, row: dict) -> None:
    db = open_database(tmp_path / "t.db")
    with pytest.raises(sqlite3.IntegrityError):
        db[table].insert(row)


@pytest.mark.parametrize(
    ("activities", "ok"),
    [('["signing","review"]', True), ("[]", True), ('["signing","party"]', False), ("signing", False)],
)
def test_event_activities_must_be_a_json_array_of_the_vocabulary(
    tmp_path: Path, activities: str, ok: bool
) -> None:
    db = open_database(tmp_path / "t.db")
    db["clusters"].insert({"id": 1, "key": "cụm||3", "kind": "cụm", "number": 3, "label": "Cụm 3"})
    insert = lambda: db["events"].insert({"key": "1|x", "cluster_id": 1, "activities": activities})  # noqa: E731
    if ok:
        insert()
    else:
        with pytest.raises(sqlite3.IntegrityError):
            insert()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    with pytest.raises(sqlite3.IntegrityError):
        db["events"].insert({"key": "9|x", "cluster_id": 9, "activities": "[]"})


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        ("SELECT * FROM events WHERE year = 2025 AND cluster_id = 1", "events_year_cluster"),
        ("SELECT * FROM events WHERE cluster_id = 1 ORDER BY event_date", "events_cluster_date"),
        ("SELECT * FROM events WHERE event_date BETWEEN '2025-03-01' AND '2025-03-31'", "events_date"),
        ("SELECT * FROM event_members WHERE unit_id = 1", "event_members_unit"),
        ("SELECT * FROM event_officials WHERE person_id = 1", "event_officials_person"),
        ("SELECT * FROM runs ORDER BY started_at DESC LIMIT 5", "runs_started"),
        ("SELECT * FROM run_errors WHERE run_id = 1", "run_errors_run"),
        ("SELECT * FROM event_reports WHERE article_id = 1", "event_reports_article"),
    ],
)
def test_canned_query_filters_use_an_index(tmp_path: Path, sql: str, index: str) -> None:
    db = open_database(tmp_path / "t.db")
    plan = " ".join(str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
    assert index in plan, plan


def test_docs_schema_md_is_current() -> None:
    from db.docs import schema_markdown

    shipped = Path(__file__).parent.parent / "docs" / "schema.md"
    assert shipped.read_text(encoding="utf-8") == schema_markdown(), "run: python -m db.docs > docs/schema.md"
