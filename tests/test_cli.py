"""The thidua command: every subcommand's help, happy path and bad input (message, exit code, no writes)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from thidua.cli import cli
from thidua.lock import database_lock

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "fixtures" / "articles"
PAGES = ROOT / "fixtures" / "pages"

COMMANDS = ["crawl", "ingest", "extract", "reextract", "stats", "serve", "demo", "export"]


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def a_relevant_article() -> tuple[Path, dict]:
    for expected in sorted(ARTICLES.glob("*.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        if data["events"] and data.get("published"):
            return expected.with_suffix(".txt"), data
    raise AssertionError("the fixture corpus has no relevant article with a publication date")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_says_what_it_does_with_an_example(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Example:" in out and f"thidua {command}" in out


def test_top_level_help_shows_examples() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "thidua crawl" in out and "thidua demo" in out


def test_extract_prints_json_events_of_a_file() -> None:
    path, data = a_relevant_article()
    code, out, _ = run("extract", str(path), "--published", data["published"], "--json")
    assert code == 0, out
    events = [json.loads(line) for line in out.splitlines()]
    assert [e["cluster_label"] for e in events] == [e["cluster_label"] for e in data["events"]]
    assert all(e["file"] == str(path) for e in events)


def test_extract_reads_standard_input_and_prints_a_summary() -> None:
    path, data = a_relevant_article()
    code, out, _ = run("extract", "-", "--published", data["published"], input=path.read_text("utf-8"))
    assert code == 0
    assert f"-: {len(data['events'])} event(s)" in out
    assert data["events"][0]["cluster_label"].split()[0] in out


SYSTEMLESS = (
    "Cụm thi đua số 2 ký kết giao ước thi đua năm 2026\n\n"
    "Sáng 6/3, Cụm thi đua số 2 tổ chức hội nghị ký kết giao ước thi đua năm 2026.\n\n"
    "Các đơn vị trong cụm đã ký kết giao ước thi đua.\n"
)


@pytest.mark.parametrize(
    ("source", "system"),
    [
        # The site's sites.toml system, which the crawl passes too (not in the host table of extract).
        ("https://tuoitre.vn/cum-thi-dua-so-2-ky-ket-20260306.htm", "Thành đoàn Thành phố Hồ Chí Minh"),
        ("https://baolamdong.vn/cum-thi-dua-so-2-ky-ket-1.html", "tỉnh Lâm Đồng"),
        ("https://example.invalid/cum-thi-dua-so-2.html", None),  # no site owns it: the text alone
    ],
)
def test_extract_of_a_text_with_no_system_takes_its_site_s_as_a_crawl_does(
    source: str, system: str | None
) -> None:
    code, out, _ = run(
        "extract", "-", "--published", "2026-03-06", "--source", source, "--json", input=SYSTEMLESS
    )
    assert code == 0, out
    (event,) = [json.loads(line) for line in out.splitlines()]
    assert event["system"] == system


def test_extract_of_a_negative_prints_no_event() -> None:
    negative = next(
        p for p in sorted(ARTICLES.glob("*.json")) if not json.loads(p.read_text("utf-8"))["events"]
    )
    code, out, _ = run("extract", str(negative.with_suffix(".txt")), "--json")
    assert code == 0 and out == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "nope.txt"], "does not exist"),
        (["extract", "-", "--published", "06/03/2026"], "is not a date like 2026-03-06"),
        (["crawl", "--since", "yesterday"], "is not a date like 2026-03-06"),
        (["ingest", "no-such-folder"], "does not exist"),
        (["crawl", "--max-pages", "0"], "0"),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*args, input="")
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err
    assert list(tmp_path.iterdir()) == []


def test_extract_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "cp1258.txt"
    bad.write_bytes("Cụm thi đua số 3".encode("cp1258", errors="replace") + b"\xff\xfe")
    code, _, err = run("extract", str(bad))
    assert code == 2 and "is not UTF-8 text" in err


def test_crawl_of_an_unknown_site_names_the_known_ones_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    code, _, err = run("crawl", "--db", str(db), "--site", "nosuchsite")
    assert code == 2
    assert "unknown site 'nosuchsite'" in err and "nld" in err
    assert not db.exists()


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    before = db.read_bytes()
    for args in (
        ["crawl", "--db", str(db), "--site", "nld"],
        ["stats", "--db", str(db)],
        ["reextract", "--db", str(db)],
        ["serve", str(db)],
    ):
        code, out, err = run(*args)
        assert code == 1, (args, out, err)
        assert "not a SQLite database" in err
        assert len(err.strip().splitlines()) == 1
    assert db.read_bytes() == before


def test_stats_and_reextract_of_a_missing_database_say_how_to_make_one(tmp_path: Path) -> None:
    for command in ("stats", "reextract"):
        code, _, err = run(command, "--db", str(tmp_path / "none.db"))
        assert code == 2 and "does not exist" in err
    assert list(tmp_path.iterdir()) == []


def test_ingest_then_stats_then_reextract(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    code, _, err = run("ingest", str(PAGES), "--db", str(db))
    assert code == 0, err
    with sqlite3.connect(db) as conn:
        articles = conn.execute("select count(*) from articles").fetchone()[0]
        events = conn.execute("select count(*) from events").fetchone()[0]
        runs = conn.execute("select count(*) from runs").fetchone()[0]
    assert articles > 0 and runs == 1
    code, out, _ = run("stats", "--db", str(db), "--json")
    assert code == 0
    assert json.loads(out)  # a JSON object with the counts
    code, out, _ = run("reextract", "--db", str(db), "--force")
    assert code == 0
    assert f"re-extracted {articles} article(s): {events} event(s) now" in out
    # Ingesting the same pages again changes no article or event.
    code, _, _ = run("ingest", str(PAGES), "--db", str(db))
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == articles
        assert conn.execute("select count(*) from events").fetchone()[0] == events


def test_a_run_while_another_holds_the_lock_exits_with_the_lock_message(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with database_lock(db):
        code, _, err = run("crawl", "--db", str(db), "--site", "nld")
    assert code == 1
    assert "another thidua run is writing to" in err
    assert not db.exists()


def test_serve_opens_the_database_read_only_in_datasette(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert run("ingest", str(PAGES), "--db", str(db))[0] == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "thidua", "serve", str(db), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/t/events_view.json?_shape=array", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert len(response.json()) > 0
        refused = httpx.post(f"http://127.0.0.1:{port}/t/-/query", data={"sql": "delete from events"})
        assert refused.status_code in (403, 405, 400)
    finally:
        server.terminate()
        server.wait(timeout=10)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from events").fetchone()[0] > 0


def test_serve_of_a_missing_database_says_how_to_make_one(tmp_path: Path) -> None:
    code, _, err = run("serve", str(tmp_path / "none.db"))
    assert code == 2 and "does not exist" in err


def dead_site(tmp_path: Path) -> Path:
    """A sites file whose one site listens nowhere: every connection is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again once the block ends
    sites = tmp_path / "sites.toml"
    sites.write_text(
        f'[[site]]\nname = "dead"\nhosts = ["127.0.0.1:{port}"]\n'
        f'start = ["http://127.0.0.1:{port}/rss/home.rss"]\n',
        encoding="utf-8",
    )
    return sites


def test_a_crawl_where_no_site_answers_fails_the_run(tmp_path: Path) -> None:
    sites = dead_site(tmp_path)
    db = tmp_path / "t.db"
    code, _, err = run("crawl", "--db", str(db), "--sites", str(sites), "--timeout", "1", "--delay", "0")
    assert code == 1
    assert "thidua: error: no site answered (dead)" in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("select status from runs").fetchall() == [("failed",)]
        kinds = {k for (k,) in conn.execute("select kind from run_errors")}
    assert kinds <= {"unreachable", "connect"} and kinds


def test_a_sites_file_with_a_mistake_is_a_usage_error(tmp_path: Path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text('[[site]]\nname = "x"\nhosts = []\nstart = ["https://x.vn/"]\n', encoding="utf-8")
    code, _, err = run("crawl", "--db", str(tmp_path / "t.db"), "--sites", str(sites))
    assert code == 2 and "'hosts' is required" in err
    assert not (tmp_path / "t.db").exists()


@pytest.mark.parametrize(
    ("flag", "present", "absent"),
    [
        ("--quiet", [], [" INFO ", " DEBUG "]),
        (None, [" INFO crawl of 1 site(s)", " INFO site dead:"], [" DEBUG "]),
        ("--verbose", [" INFO site dead:", " DEBUG dead: "], []),
    ],
)
def test_quiet_and_verbose_set_how_much_goes_to_stderr(
    tmp_path: Path, flag: str | None, present: list[str], absent: list[str]
) -> None:
    args = [flag] if flag else []
    args += ["crawl", "--db", str(tmp_path / "t.db"), "--sites", str(dead_site(tmp_path))]
    code, _, err = run(*args, "--timeout", "1", "--delay", "0")
    assert code == 1
    assert err.rstrip().splitlines()[-1].startswith("thidua: error: no site answered")
    for text in present:
        assert text in err
    for text in absent:
        assert text not in err


@pytest.mark.parametrize("content", ["thidua-crawl", "not-sqlite"])
def test_demo_refuses_to_overwrite_a_file_that_is_not_a_demo_database(tmp_path: Path, content: str) -> None:
    from db import finish_run, open_database, start_run

    target = tmp_path / "thidua.db"
    if content == "thidua-crawl":
        database = open_database(target)
        run = start_run(database, command="crawl", sites=["nld"])
        finish_run(database, run, status="ok", counts={}, errors=[])
        database.conn.close()
    else:
        target.write_text("my notes, not a database\n", encoding="utf-8")
    before = target.read_bytes()
    result = CliRunner().invoke(cli, ["demo", "--db", str(target)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"thidua: error: {target} is not a demo database (it holds runs other than `thidua demo`): "
        "give the demo its own file with --db"
    ]
    assert target.read_bytes() == before


def test_a_demo_database_may_be_replaced(tmp_path: Path) -> None:
    from db import finish_run, open_database, start_run
    from thidua.app import is_demo_database

    target = tmp_path / "demo.db"
    database = open_database(target)
    run = start_run(database, command="demo", sites=["vcc"])
    finish_run(database, run, status="ok", counts={}, errors=[])
    database.conn.close()
    assert is_demo_database(target)
    (tmp_path / "empty.db").touch()
    assert is_demo_database(tmp_path / "empty.db")
