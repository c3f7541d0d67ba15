"""The nightly job end to end: `thidua crawl` as a subprocess against the fixture web sites."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from db.datasette import make_datasette
from tests.corpus_compare import differences
from thidua.demo.server import FixtureSites
from thidua.lock import lock_path

ROOT = Path(__file__).resolve().parents[1]


def thidua(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "thidua", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def stored_events(db: Path) -> dict[str, list[dict[str, Any]]]:
    """The events each stored article reports, by canonical URL, in the form of expected.json."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    out: dict[str, list[dict[str, Any]]] = {}
    for a in conn.execute("select id, canonical_url from articles"):
        out[a["canonical_url"]] = [
            {
                "activities": json.loads(r["activities"]),
                "unit_kind": r["kind"],
                "cluster_number": r["number"],
                "cluster_label": r["cluster_label"],
                "system": r["system"],
                "event_date": r["event_date"],
                "date_text": r["date_text"],
                "covenant_year": r["covenant_year"],
                "location": r["location"],
                "members": [{"name": n, "role": role} for n, role in json.loads(r["members"])],
                "officials": [{"name": n, "title": t} for n, t in json.loads(r["officials"])],
            }
            for r in conn.execute(
                "select r.*, c.kind, c.number from event_reports r join events e on e.id = r.event_id "
                "join clusters c on c.id = e.cluster_id where r.article_id = ? order by r.position",
                [a["id"]],
            )
        ]
    conn.close()
    return out


def table_dump(db: Path, skip: tuple[str, ...] = ("runs", "run_errors", "urls", "robots_txt")) -> list[str]:
    """The database as SQL, less the tables a repeat crawl rightly updates (its run, check times)."""
    conn = sqlite3.connect(db)
    lines = [line for line in conn.iterdump() if not any(line.startswith(f'INSERT INTO "{t}"') for t in skip)]
    conn.close()
    return lines


def url_states(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    states = dict(conn.execute("select url, state from urls").fetchall())
    conn.close()
    return states


@pytest.fixture()
def sites(tmp_path: Path) -> Any:
    with FixtureSites(slow_seconds=3.0) as served:
        yield served


def expected_events(sites: FixtureSites, configured: set[str]) -> dict[str, list[dict[str, Any]]]:
    """The hand-written events of every relevant article of the configured fixture sites."""
    return {
        url: article["events"]
        for url, article in sites.expected()["articles"].items()
        if article["site"] in configured and article["relevant"]
    }


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
    assert set(want) <= set(got), "relevant articles missing from the database"
    for url, events in want.items():
        assert differences(events, got[url]) == [], url
    # Every other stored article (passed the relevance gate, reports no meeting) has no event.
    assert {url for url, events in got.items() if events} == set(want)
    dump_after_first = table_dump(db)
    states_after_first = url_states(db)

    sites.clear_log()
    second = crawl(db, sites_file)
    assert second.returncode == 0, second.stderr
    assert table_dump(db) == dump_after_first  # adds nothing
    assert url_states(db) == states_after_first  # no new URL, none changed state
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
            "import sys, time; from thidua.lock import database_lock; from pathlib import Path\n"
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


async def test_demo_builds_a_database_that_serve_accepts(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = thidua("demo", "--db", db, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"thidua serve {db}" in result.stdout
    conn = sqlite3.connect(db)
    events = conn.execute("select count(*) from events").fetchone()[0]
    conn.close()
    assert events > 0
    # The demo database opens in Datasette with thidua's metadata, as `thidua serve` opens it.
    datasette = make_datasette(db)
    response = await datasette.client.get("/demo/events_view.json?_shape=array")
    assert response.status_code == 200
    assert len(response.json()) == events


def article_rows(db: Path) -> set[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    rows = set(conn.execute("select canonical_url, content_hash, extractor_version from articles"))
    conn.close()
    return rows


def test_a_crawl_killed_midway_and_started_again_ends_like_an_uninterrupted_one(
    sites: FixtureSites, tmp_path: Path
) -> None:
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(sites.sites_toml(delay=0.05), encoding="utf-8")
    clean = tmp_path / "clean.db"
    assert crawl(clean, sites_file).returncode == 0

    killed = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["crawl", "--db", str(killed), "--sites", str(sites_file), "--timeout", "1.5"]
    process = subprocess.Popen(
        [sys.executable, "-m", "thidua", *args], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    stored = 0
    while process.poll() is None and time.monotonic() < deadline:
        if killed.exists():
            try:
                with sqlite3.connect(killed, timeout=0.1) as conn:
                    stored = conn.execute("select count(*) from articles").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0  # schema not there yet
        if stored >= 3:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the crawl ended before it could be killed"
    assert 3 <= len(article_rows(killed)) < len(article_rows(clean))

    again = crawl(killed, sites_file)
    assert again.returncode == 0, again.stderr
    assert article_rows(killed) == article_rows(clean)
    assert stored_events(killed) == stored_events(clean)
