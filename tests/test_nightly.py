"""The nightly job end to end: `thidua crawl` as a subprocess against the fixture web sites."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli.fixture_sites import FixtureSites

from cli.lock import lock_path

ROOT = Path(__file__).resolve().parents[1]


def thidua(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def stored_events(db: Path) -> list[dict[str, Any]]:
    """Every stored event with its members and officials, in a form comparable to expected.json."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    out = []
    for e in conn.execute("select * from events_view order by event_id"):
        out.append(dict(e))
    conn.close()
    return out


def table_dump(db: Path, skip: tuple[str, ...] = ("runs", "run_errors")) -> list[str]:
    conn = sqlite3.connect(db)
    lines = [line for line in conn.iterdump() if not any(line.startswith(f'INSERT INTO "{t}"') for t in skip)]
    conn.close()
    return lines


@pytest.fixture()
def sites(tmp_path: Path) -> Any:
    with FixtureSites(slow_seconds=3.0) as served:
        yield served


def expected_events(sites: FixtureSites, configured: set[str]) -> list[dict[str, Any]]:
    expected = sites.expected()["articles"]
    events = []
    for _url, article in expected.items():
        if article["site"] in configured:
            events.extend(article.get("events", []))
    return events


def crawl(db: Path, sites_file: Path) -> subprocess.CompletedProcess[str]:
    return thidua("crawl", "--db", db, "--sites", sites_file, "--timeout", "1.5")


def test_nightly_crawl_twice(sites: FixtureSites, tmp_path: Path) -> None:
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(sites.sites_toml(delay=0.05), encoding="utf-8")
    configured = {
        line.split('"')[1] for line in sites_file.read_text("utf-8").splitlines() if line.startswith("name")
    }
    db = tmp_path / "thidua.db"

    first = crawl(db, sites_file)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    summary = [line for line in first.stderr.splitlines() if " done: " in line]
    assert summary and "new articles" in summary[-1] and "errors" in summary[-1]
    for name in configured:
        assert f"site {name}:" in first.stderr

    got = stored_events(db)
    want = expected_events(sites, configured)
    assert sorted((e["cluster_label"].casefold(), e["event_date"]) for e in got) == sorted(
        (e["cluster_label"].casefold(), e["event_date"]) for e in want
    )
    dump_after_first = table_dump(db)

    sites.clear_log()
    second = crawl(db, sites_file)
    assert second.returncode == 0, second.stderr
    assert table_dump(db) == dump_after_first  # adds nothing
    expected_urls = set(sites.expected()["articles"])
    for request in sites.log:
        url = f"http://{request.host}{request.path}"
        assert url not in expected_urls, f"article fetched again: {url}"
        if request.status == 200 and request.method == "GET" and not request.path.startswith("/robots"):
            assert "if-none-match" in {k.lower() for k in request.headers} or "if-modified-since" in {
                k.lower() for k in request.headers
            }, f"unconditional request on the repeat crawl: {request.path}"

    conn = sqlite3.connect(db)
    runs = conn.execute("select status from runs order by id").fetchall()
    conn.close()
    assert [r[0] for r in runs] == ["ok", "ok"]


def test_a_run_started_while_another_holds_the_lock_exits_and_writes_nothing(
    sites: FixtureSites, tmp_path: Path
) -> None:
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(sites.sites_toml(delay=0.05), encoding="utf-8")
    db = tmp_path / "thidua.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from cli.lock import database_lock; from pathlib import Path\n"
            "with database_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
            str(db),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        second = crawl(db, sites_file)
    finally:
        holder.kill()
        holder.wait()
    assert second.returncode == 1
    assert "another thidua run is writing to" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    assert not db.exists()
    assert lock_path(db).exists()


def test_demo_builds_a_database_that_serve_accepts(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = thidua("demo", "--db", db, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"thidua serve {db}" in result.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from events").fetchone()[0] > 0
    conn.close()
