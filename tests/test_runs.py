"""Sources, runs, run errors and stats on a real file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db import DatabaseError, RunError, finish_run, open_database, start_run, stats, upsert_sources
from scraper.sites import Site

T0 = dt.datetime(2026, 3, 7, 19, tzinfo=dt.UTC)


def test_upsert_sources_inserts_then_updates(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    upsert_sources(database, [Site("nld", ("nld.com.vn",), ("https://nld.com.vn/rss/thoi-su.rss",))])
    upsert_sources(
        database,
        [
            Site("nld", ("nld.com.vn", "www.nld.com.vn"), ("https://nld.com.vn/thoi-su.htm",)),
            Site("baothanhhoa", ("baothanhhoa.vn",), ("https://baothanhhoa.vn/rss/thoi-su.rss",)),
        ],
    )
    rows = database.execute("SELECT name, hosts, start FROM sources ORDER BY name").fetchall()
    assert rows == [
        ("baothanhhoa", '["baothanhhoa.vn"]', '["https://baothanhhoa.vn/rss/thoi-su.rss"]'),
        ("nld", '["nld.com.vn","www.nld.com.vn"]', '["https://nld.com.vn/thoi-su.htm"]'),
    ]


def test_a_run_is_started_finished_and_summarised(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    first = start_run(database, command="crawl", sites=["nld"], now=T0)
    finish_run(
        database, first, status="ok", counts={"fetched": 3}, errors=[], now=T0 + dt.timedelta(minutes=5)
    )
    second = start_run(database, command="crawl", sites=["nld", "baothanhhoa"], now=T0 + dt.timedelta(days=1))
    assert second > first
    running = stats(database).latest_run
    assert running is not None and running["status"] == "running" and running["finished_at"] is None
    errors = [
        RunError("nld", "https://nld.com.vn/a.htm", "http", "HTTP 503 sau 3 lần thử"),
        RunError("baothanhhoa", None, "robots", "robots.txt không đọc được"),
        RunError("nld", "https://nld.com.vn/b.htm", "parse", "không tìm thấy nội dung"),
    ]
    finish_run(
        database,
        second,
        status="ok",
        counts={"fetched": 120, "articles": 14, "events": 3},
        errors=errors,
        now=T0 + dt.timedelta(days=1, minutes=42),
    )
    summary = stats(database)
    assert summary.latest_run is not None
    assert summary.latest_run["id"] == second
    assert summary.latest_run["status"] == "ok"
    assert summary.latest_run["errors"] == 3
    assert summary.latest_run["counts"] == {"articles": 14, "events": 3, "fetched": 120}
    assert summary.latest_run["sites"] == ["nld", "baothanhhoa"]
    assert summary.latest_run["started_at"] == "2026-03-08T19:00:00+00:00"
    assert summary.latest_run["finished_at"] == "2026-03-08T19:42:00+00:00"
    assert summary.sites_with_errors == ("baothanhhoa", "nld")
    assert summary.counts["runs"] == 2 and summary.counts["run_errors"] == 3
    messages = [
        r[0]
        for r in database.execute("SELECT message FROM run_errors WHERE run_id = ? ORDER BY id", [second])
    ]
    assert messages == [e.message for e in errors]


def test_stats_of_an_empty_database(tmp_path: Path) -> None:
    summary = stats(open_database(tmp_path / "t.db"))
    assert summary.latest_run is None
    assert summary.sites_with_errors == ()
    assert set(summary.counts.values()) == {0}
    assert summary.schema_version >= 2


@pytest.mark.parametrize(
    ("run", "status", "message"), [(1, "done", "status 'done'"), (99, "ok", "no run 99")]
)
def test_finish_run_refuses_unknown_runs_and_statuses(
    tmp_path: Path, run: int, status: str, message: str
) -> None:
    database = open_database(tmp_path / "t.db")
    start_run(database, command="crawl", sites=[], now=T0)
    with pytest.raises(DatabaseError, match=message):
        finish_run(database, run, status=status, counts={}, errors=[RunError(None, None, "x", "y")])
    assert stats(database).counts["run_errors"] == 0


def test_a_run_left_running_by_a_killed_process_is_closed_as_killed(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    dead = start_run(database, command="crawl", sites=["nld"], now=T0)
    done = start_run(database, command="crawl", sites=["nld"], now=T0 + dt.timedelta(days=1))
    finish_run(database, done, status="ok", counts={}, errors=[], now=T0 + dt.timedelta(days=1, hours=1))
    rows = database.execute("SELECT id, status, finished_at FROM runs ORDER BY id").fetchall()
    assert rows == [
        (dead, "killed", (T0 + dt.timedelta(days=1)).isoformat()),
        (done, "ok", (T0 + dt.timedelta(days=1, hours=1)).isoformat()),
    ]
    assert stats(database).latest_run is not None
