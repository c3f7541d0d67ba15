"""Backfill from WARC files written here by hand: kept records, damaged files, reruns."""

from __future__ import annotations

import gzip
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from scraper.sites import Site
from scraper.warc import ReadCounts, WarcError, read_warc, warc_sources
from thidua import app
from thidua.errors import UsageError

TINH = Site(name="tinh", hosts=("baotinh.vn",), start=("https://baotinh.vn/",))
HUYEN = Site(name="huyen", hosts=("huyen.gov.vn",), start=("https://huyen.gov.vn/",))
SITES = (TINH, HUYEN)


def page(url: str, title: str, lead: str, body: str, published: str = "2024-03-05T08:00:00+07:00") -> bytes:
    """An article page in the shape of the fixture sites: canonical link, published time, h1, paragraphs."""
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{title}</title><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published}"></head>
<body><article><h1>{title}</h1><p class="sapo">{lead}</p><div class="content"><p>{body}</p>
<p>Các đơn vị trong cụm cam kết thực hiện tốt các chỉ tiêu đã đề ra trong năm.</p></div></article>
</body></html>""".encode()


def record(
    uri: str,
    payload: bytes,
    *,
    kind: str = "response",
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    declared: int | None = None,
    date: str = "2024-03-06T01:02:03Z",
) -> bytes:
    """One WARC record as bytes: WARC head, an HTTP head + payload block, the two CRLFs."""
    if kind == "response":
        block = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n\r\n".encode() + payload
        ctype = "application/http; msgtype=response"
    else:
        block, ctype = payload, "application/warc-fields"
    length = len(block) if declared is None else declared
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash((uri, kind))):032x}>\r\nContent-Type: {ctype}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def write_gz(path: Path, records: list[bytes]) -> Path:
    """A .warc.gz as archives write it: one gzip member per record."""
    path.write_bytes(b"".join(gzip.compress(r, mtime=0) for r in records))
    return path


RELEVANT = page(
    "https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html",
    "Cụm thi đua số 3 ký kết giao ước thi đua năm 2024",
    "Sáng 5/3, Cụm thi đua số 3 tổ chức hội nghị ký kết giao ước thi đua năm 2024.",
    "Sáng 5/3, tại thành phố, Cụm thi đua số 3 tổ chức hội nghị ký kết giao ước thi đua năm 2024.",
)
RELEVANT_2 = page(
    "https://huyen.gov.vn/khoi-thi-dua-tong-ket.html",
    "Khối thi đua các cơ quan tổng kết công tác năm 2023",
    "Chiều 20/1, Khối thi đua các cơ quan Đảng tổ chức hội nghị tổng kết công tác thi đua năm 2023.",
    "Chiều 20/1, Khối thi đua các cơ quan Đảng tổ chức hội nghị tổng kết công tác thi đua, khen thưởng.",
    published="2024-01-20T15:00:00+07:00",
)
OFF_TOPIC = page(
    "https://baotinh.vn/thoi-tiet.html",
    "Thời tiết đầu tuần nắng ráo",
    "Trời nắng ráo trên toàn tỉnh, nhiệt độ cao nhất 30 độ.",
    "Người dân nên chú ý uống đủ nước khi ra ngoài vào buổi trưa.",
)
OTHER_HOST = page(
    "https://news.example.com/cum-thi-dua.html",
    "Cụm thi đua số 9 ký kết giao ước",
    "Sáng 5/3, Cụm thi đua số 9 tổ chức hội nghị ký kết giao ước thi đua.",
    "Một trang của một trang tin không nằm trong cấu hình.",
)
DOTVN = page(
    "https://tinkhac.vn/cum-thi-dua-so-7.html",
    "Cụm thi đua số 7 ký kết giao ước thi đua năm 2024",
    "Sáng 6/3, Cụm thi đua số 7 tổ chức hội nghị ký kết giao ước thi đua năm 2024.",
    "Sáng 6/3, Cụm thi đua số 7 tổ chức hội nghị ký kết giao ước thi đua năm 2024 tại hội trường.",
)


def good_file(path: Path) -> Path:
    return write_gz(
        path,
        [
            record("https://baotinh.vn/", b"software: test\r\n", kind="warcinfo"),
            record("https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html?utm=x", RELEVANT),
            record("https://baotinh.vn/thoi-tiet.html", OFF_TOPIC),
            record("https://news.example.com/cum-thi-dua.html", OTHER_HOST),
            record("https://tinkhac.vn/cum-thi-dua-so-7.html", DOTVN),
            record("https://baotinh.vn/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
            record("https://baotinh.vn/cu", b"", status="301 Moved Permanently"),
            record("https://baotinh.vn/cum-thi-dua-so-3", b"GET / HTTP/1.1\r\n\r\n", kind="request"),
        ],
    )


def second_file(path: Path) -> Path:
    return write_gz(path, [record("https://huyen.gov.vn/khoi-thi-dua-tong-ket.html", RELEVANT_2)])


def truncated_file(path: Path) -> Path:
    data = b"".join(
        gzip.compress(r, mtime=0)
        for r in [record("https://huyen.gov.vn/a.html", RELEVANT_2), record("https://baotinh.vn/b", RELEVANT)]
    )
    path.write_bytes(data[:-40])  # the last gzip member is cut short
    return path


def wrong_length_file(path: Path) -> Path:
    return write_gz(
        path,
        [
            record("https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html", RELEVANT, declared=99999),
            record("https://huyen.gov.vn/khoi-thi-dua-tong-ket.html", RELEVANT_2),
        ],
    )


def dump(path: Path) -> list[str]:
    """The database as SQL, without the rows that differ between runs by design (the runs log)."""
    with sqlite3.connect(path) as raw:
        return [
            line
            for line in raw.iterdump()
            if not line.startswith(('INSERT INTO "runs"', 'INSERT INTO "run_errors"'))
        ]


def test_the_reader_filters_on_headers_and_counts(tmp_path: Path) -> None:
    counts = ReadCounts()
    kept = list(read_warc(good_file(tmp_path / "a.warc.gz"), lambda uri: "baotinh.vn" in uri, counts))
    assert (counts.seen, counts.kept) == (8, 4)  # warcinfo and request records are seen, never kept
    assert [r.uri for r in kept][:2] == [
        "https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html?utm=x",
        "https://baotinh.vn/thoi-tiet.html",
    ]
    assert kept[0].status == 200 and kept[0].body == RELEVANT
    assert kept[0].header("content-type") == "text/html; charset=utf-8"
    assert kept[0].fetched_at.isoformat() == "2024-03-06T01:02:03+00:00"
    assert kept[3].status == 301


def test_the_reader_never_reads_a_skipped_body(tmp_path: Path) -> None:
    # A skipped record with a bogus body is never decoded: the filter says no before the block is read.
    path = write_gz(
        tmp_path / "a.warc.gz",
        [record("https://x.com/", b"\xff" * 5000), record("https://baotinh.vn/1", RELEVANT)],
    )
    counts = ReadCounts()
    assert [r.uri for r in read_warc(path, lambda uri: "baotinh" in uri, counts)] == ["https://baotinh.vn/1"]
    assert (counts.seen, counts.kept) == (2, 1)


@pytest.mark.parametrize("make", [truncated_file, wrong_length_file])
def test_a_damaged_file_raises_a_clear_error(tmp_path: Path, make: object) -> None:
    path = make(tmp_path / "bad.warc.gz")  # type: ignore[operator]
    with pytest.raises(WarcError, match=r"bad\.warc\.gz: .*(truncated|corrupt)"):
        list(read_warc(path, lambda uri: True, ReadCounts()))


def test_a_plain_warc_with_a_short_content_length_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(
        record("https://baotinh.vn/1", RELEVANT, declared=40) + record("https://baotinh.vn/2", RELEVANT)
    )
    with pytest.raises(WarcError, match="unreadable after record 1"):
        list(read_warc(path, lambda uri: True, ReadCounts()))


def test_a_kept_record_without_a_valid_warc_date_fails_the_file(tmp_path: Path) -> None:
    path = write_gz(tmp_path / "a.warc.gz", [record("https://baotinh.vn/1", RELEVANT, date="hôm qua")])
    with pytest.raises(WarcError, match="no valid WARC-Date"):
        list(read_warc(path, lambda uri: True, ReadCounts()))
    # Bracketed URIs (WARC/0.x writers) are read as the URI inside.
    old = write_gz(tmp_path / "b.warc.gz", [record("<https://baotinh.vn/1>", RELEVANT)])
    assert [r.uri for r in read_warc(old, lambda uri: True, ReadCounts())] == ["https://baotinh.vn/1"]


def test_sources_folders_and_paths_lists(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    month = mirror / "crawl-data" / "CC-NEWS" / "2024" / "03"
    month.mkdir(parents=True)
    one = good_file(month / "CC-NEWS-20240306-00001.warc.gz")
    two = second_file(month / "CC-NEWS-20240306-00002.warc.gz")
    (month / "notes.txt").write_text("không phải WARC", encoding="utf-8")
    listing = tmp_path / "warc.paths.gz"
    listing.write_bytes(
        gzip.compress(
            b"crawl-data/CC-NEWS/2024/03/CC-NEWS-20240306-00002.warc.gz\n"
            b"crawl-data/CC-NEWS/2024/03/CC-NEWS-20240306-00001.warc.gz\n"
        )
    )
    assert warc_sources([month]) == [str(one), str(two)]
    assert warc_sources([listing], base=mirror) == [str(two), str(one)]  # the list's order
    assert warc_sources([one, month]) == [str(one), str(two)]  # each file once
    with pytest.raises(WarcError, match="no such file"):
        warc_sources([tmp_path / "missing.warc.gz"])
    with pytest.raises(WarcError, match="not a WARC file"):
        warc_sources([month / "notes.txt"])


def urls(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return [r[0] for r in raw.execute("SELECT canonical_url FROM articles ORDER BY canonical_url")]


def test_backfill_keeps_exactly_the_relevant_articles_of_the_sites(tmp_path: Path) -> None:
    folder = tmp_path / "warcs"
    folder.mkdir()
    good_file(folder / "a.warc.gz")
    second_file(folder / "b.warc.gz")
    database = tmp_path / "t.db"
    lines: list[str] = []
    report = app.backfill(database, [folder], SITES, on_file_done=lambda path, line: lines.append(line))
    assert urls(database) == [
        "https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html",
        "https://huyen.gov.vn/khoi-thi-dua-tong-ket.html",
    ]
    assert report.new_articles == 2 and report.new_events >= 2
    with sqlite3.connect(database) as raw:
        rows = raw.execute(
            "SELECT path, records_seen, records_kept, articles, events, finished_at IS NOT NULL, error "
            "FROM warc_files ORDER BY path"
        ).fetchall()
        run = raw.execute("SELECT command, status FROM runs").fetchall()
        events = raw.execute("SELECT count(*) FROM events").fetchone()[0]
    assert [(Path(r[0]).name, *r[1:4], r[5], r[6]) for r in rows] == [
        ("a.warc.gz", 8, 4, 1, 1, None),
        ("b.warc.gz", 1, 1, 1, 1, None),
    ]
    assert events == report.new_events == sum(r[4] for r in rows)
    assert run == [("backfill", "ok")]
    # One line per file: files done / total, the file's counts, then the run's records/s and totals.
    assert lines[0].startswith("file 1/2 a.warc.gz: records 8, kept 4, pages 2, articles 1, events 1 · ")
    assert re.search(r"total: 9 records \([\d,]+/s\), articles 2, events 2$", lines[1]), lines[1]


def test_all_vn_and_the_date_window(tmp_path: Path) -> None:
    folder = tmp_path / "warcs"
    folder.mkdir()
    good_file(folder / "a.warc.gz")
    second_file(folder / "b.warc.gz")
    database = tmp_path / "t.db"
    app.backfill(database, [folder], [TINH], all_vn=True, since=dt_date("2024-03-01"))
    # tinkhac.vn is in with --all-vn; huyen's January article is out of the window; example.com never.
    assert urls(database) == [
        "https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html",
        "https://tinkhac.vn/cum-thi-dua-so-7.html",
    ]
    with pytest.raises(UsageError, match="after --until"):
        app.backfill(database, [folder], [TINH], since=dt_date("2024-03-01"), until=dt_date("2024-02-01"))


def dt_date(text: str) -> app.dt.date:
    return app.dt.date.fromisoformat(text)


def test_a_corrupt_file_is_recorded_and_the_rest_proceeds_and_a_rerun_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "warcs"
    folder.mkdir()
    good_file(folder / "a.warc.gz")
    truncated_file(folder / "b.warc.gz")
    wrong_length_file(folder / "c.warc.gz")
    second_file(folder / "d.warc.gz")
    database = tmp_path / "t.db"
    report = app.backfill(database, [folder], SITES)
    assert report.errors["warc"] == 2
    with sqlite3.connect(database) as raw:
        rows = raw.execute(
            "SELECT path, articles, finished_at IS NULL, error FROM warc_files ORDER BY path"
        ).fetchall()
        errors = raw.execute("SELECT kind, url FROM run_errors ORDER BY url").fetchall()
    states = {Path(p).name: (n, failed, bool(e)) for p, n, failed, e in rows}
    assert states == {
        "a.warc.gz": (1, False, False),
        "b.warc.gz": (0, True, True),
        "c.warc.gz": (0, True, True),
        "d.warc.gz": (1, False, False),
    }
    assert "Content-Length 99999" in next(e for p, _, _, e in rows if p.endswith("c.warc.gz"))
    assert [(k, Path(u).name) for k, u in errors] == [("warc", "b.warc.gz"), ("warc", "c.warc.gz")]
    # Nothing of a failed file is stored: c's second record (huyen's article) is only there via d.
    assert urls(database) == [
        "https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html",
        "https://huyen.gov.vn/khoi-thi-dua-tong-ket.html",
    ]
    before = dump(database)

    import thidua.backfill as module

    opened: list[str] = []
    real = module.read_warc

    def spy(path, keep, counts):  # type: ignore[no-untyped-def]
        opened.append(Path(path).name)
        return real(path, keep, counts)

    monkeypatch.setattr(module, "read_warc", spy)
    with pytest.raises(app.RunFailedError):  # all it read again (the two damaged files) failed again
        app.backfill(database, [folder], SITES)
    assert dump(database) == before
    assert opened == ["b.warc.gz", "c.warc.gz"]  # finished files are not read again; failed ones are


def test_a_file_with_only_failures_fails_the_run(tmp_path: Path) -> None:
    bad = truncated_file(tmp_path / "bad.warc.gz")
    with pytest.raises(app.RunFailedError, match="every WARC file failed"):
        app.backfill(tmp_path / "t.db", [bad], SITES)
    with sqlite3.connect(tmp_path / "t.db") as raw:
        assert raw.execute("SELECT status FROM runs").fetchall() == [("failed",)]


def test_crawl_and_archive_share_article_keys(tmp_path: Path) -> None:
    # The same page met first in one archive, then in another (as a crawl would store it): one article.
    database = tmp_path / "t.db"
    app.backfill(database, [good_file(tmp_path / "a.warc.gz")], SITES)
    again = write_gz(
        tmp_path / "z.warc.gz", [record("https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html", RELEVANT)]
    )
    report = app.backfill(database, [again], SITES)
    assert report.new_articles == 0 and report.duplicates == 1
    assert urls(database) == ["https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html"]


def test_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from thidua.cli import cli

    mirror = tmp_path / "mirror"
    month = mirror / "crawl-data" / "CC-NEWS" / "2024" / "03"
    month.mkdir(parents=True)
    good_file(month / "CC-NEWS-1.warc.gz")
    truncated_file(month / "CC-NEWS-2.warc.gz")
    listing = tmp_path / "warc.paths"
    listing.write_text(
        "crawl-data/CC-NEWS/2024/03/CC-NEWS-1.warc.gz\ncrawl-data/CC-NEWS/2024/03/CC-NEWS-2.warc.gz\n",
        encoding="utf-8",
    )
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[[site]]\nname = "tinh"\nhosts = ["baotinh.vn"]\nstart = ["https://baotinh.vn/"]\n', encoding="utf-8"
    )
    database = tmp_path / "t.db"
    runner = CliRunner()
    args = ["backfill", str(listing), "--base", str(mirror), "--db", str(database), "--sites", str(sites)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert urls(database) == ["https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html"]
    assert "thidua backfill warc.paths.gz" in runner.invoke(cli, ["backfill", "--help"]).output
    both = runner.invoke(cli, [*args, "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"])
    assert both.exit_code == 2 and "not both" in both.output
    unknown = runner.invoke(cli, [*args, "--site", "nowhere"])
    assert unknown.exit_code == 2 and "unknown site 'nowhere'" in unknown.output


def comparable(path: Path) -> list[str]:
    """``dump`` with the finish times of warc_files masked: they are the clock's, by design."""
    import re

    return [re.sub(r"'\d{4}-\d\d-\d\dT[\d:]+\+00:00'", "'T'", line) for line in dump(path)]


def test_dask_local_cluster_gives_the_same_database(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    folder = tmp_path / "warcs"
    folder.mkdir()
    good_file(folder / "a.warc.gz")
    truncated_file(folder / "b.warc.gz")
    second_file(folder / "c.warc.gz")
    write_gz(folder / "d.warc.gz", [record("https://tinkhac.vn/cum-thi-dua-so-7.html", DOTVN)])
    app.backfill(tmp_path / "inproc.db", [folder], SITES, all_vn=True)
    report = app.backfill(tmp_path / "dask.db", [folder], SITES, all_vn=True, workers=2)
    assert report.errors["warc"] == 1 and report.new_articles == 3
    assert comparable(tmp_path / "dask.db") == comparable(tmp_path / "inproc.db")


def test_a_kill_9_mid_backfill_and_a_rerun_give_the_uninterrupted_database(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "warcs"
    folder.mkdir()
    for i in range(40):
        pages = [
            record(
                f"https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc-{i}-{j}.html", relevant_variant(i, j)
            )
            for j in range(15)
        ]
        write_gz(folder / f"f{i:02d}.warc.gz", pages)
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[[site]]\nname = "tinh"\nhosts = ["baotinh.vn"]\nstart = ["https://baotinh.vn/"]\n', encoding="utf-8"
    )

    def command(database: Path) -> list[str]:
        return [sys.executable, "-m", "thidua", "-q", "backfill", str(folder), "--db", str(database),
                "--sites", str(sites)]  # fmt: skip

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    whole = tmp_path / "whole.db"
    subprocess.run(command(whole), check=True, cwd=root, env=env, timeout=120)

    killed = tmp_path / "killed.db"
    process = subprocess.Popen(command(killed), cwd=root, env=env)
    deadline = time.monotonic() + 60
    finished = 0
    while time.monotonic() < deadline and process.poll() is None:
        if killed.exists():
            try:
                with sqlite3.connect(killed, timeout=0.1) as raw:
                    finished = raw.execute("SELECT count(*) FROM warc_files").fetchone()[0]
            except sqlite3.OperationalError:
                finished = 0  # not migrated yet, or busy
            if finished >= 3:
                break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL, "the backfill ended before it could be killed"
    with sqlite3.connect(killed) as raw:
        assert 3 <= raw.execute("SELECT count(*) FROM warc_files").fetchone()[0] < 40
        assert raw.execute("SELECT status FROM runs").fetchall() == [("running",)]
    subprocess.run(command(killed), check=True, cwd=root, env=env, timeout=120)
    assert comparable(killed) == comparable(whole)


def relevant_variant(i: int, j: int) -> bytes:
    """RELEVANT under another URL and cluster number, so every file adds its own articles and events."""
    return page(
        f"https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc-{i}-{j}.html",
        f"Cụm thi đua số {j + 1} ký kết giao ước thi đua năm 2024",
        f"Sáng {i % 28 + 1}/3, Cụm thi đua số {j + 1} tổ chức hội nghị ký kết giao ước thi đua năm 2024.",
        f"Sáng {i % 28 + 1}/3, Cụm thi đua số {j + 1} tổ chức hội nghị ký kết giao ước thi đua năm 2024.",
    )


def test_archived_fixture_pages_give_the_events_of_crawling_them(tmp_path: Path, fixture_sites: Any) -> None:
    import tomllib

    import httpx

    from scraper.sites import parse_sites

    sites = parse_sites(tomllib.loads(fixture_sites.sites_toml(delay=0.05))["site"], origin="fixture sites")
    crawled = tmp_path / "crawled.db"
    fixture_sites.reset_faults()
    app.crawl(crawled, sites, app.CrawlOptions(delay=0.05, timeout=0.8, retries=2))
    with sqlite3.connect(crawled) as raw:
        fetched = [r[0] for r in raw.execute("SELECT url FROM articles ORDER BY id")]
    assert fetched
    # The pages as an archive would hold them, among records of other hosts and other types, with
    # the true fetch time (parsing ignores dates after it, so a 2024 WARC-Date would drop 2026 dates).
    import datetime as dt

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    records = [record("https://news.example.com/cum-thi-dua.html", OTHER_HOST)]
    with httpx.Client(headers={"Accept-Encoding": "identity"}, timeout=5) as client:
        for url in fetched:
            response = client.get(url)
            assert response.status_code == 200, url
            content_type = response.headers.get("content-type", "text/html")
            records.append(record(url, response.content, content_type=content_type, date=now))
            records.append(record(url, b"GET / HTTP/1.1\r\n\r\n", kind="request"))
    archive = write_gz(tmp_path / "fixture.warc.gz", records)
    archived = tmp_path / "archived.db"
    app.backfill(archived, [archive], sites)

    def events(path: Path) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path) as raw:
            return sorted(
                raw.execute(
                    "SELECT cluster, system, kind, number, event_date, year, activities, location, members, "
                    "officials, source_urls FROM events_view"
                )
            )

    assert events(archived) == events(crawled) != []
    assert urls(archived) == urls(crawled)


def test_a_file_is_stored_as_one_store_article_per_page_would_store_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """store_file writes through the bulk path (db.store_articles): the same rows, a refused article
    set aside with a "store" error, the file's row counting only what was stored."""
    import dataclasses

    import db
    from db.warcfiles import WarcFileRow, record_warc_file
    from thidua import backfill as backfill_module
    from thidua.report import RunReport

    pages = [(f"https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc-{i}-{j}.html", relevant_variant(i, j))
             for i in range(8) for j in range(3)]  # fmt: skip
    records = [record(url, body) for url, body in pages]
    records.append(record(*pages[0]))  # the archive holds one page twice
    records.append(record("https://baotinh.vn/cum-thi-dua-so-3-ky-ket-giao-uoc.html", RELEVANT))
    path = write_gz(tmp_path / "many.warc.gz", records)
    result = backfill_module.read_file(str(path), backfill_module.BackfillOptions(sites=SITES))
    assert len(result.items) == len(records) and all(found for _, found in result.items)
    # Cụm 3 on 5/3 is reported by pages (4, 2) and the last one: one event, two reports.
    refused = dataclasses.replace(result.items[7][1][0], unit_kind="tổ")
    items = tuple((a, (refused,) if n == 7 else found) for n, (a, found) in enumerate(result.items))
    result = dataclasses.replace(result, items=items)

    report = RunReport(sites=["tinh"])
    bulk = db.open_database(tmp_path / "bulk.db")
    with monkeypatch.context() as patched:  # not an article at a time
        patched.setattr(db, "store_article", lambda *args, **kwargs: pytest.fail("store_article called"))
        backfill_module.store_file(bulk, result, report)
    bulk.close()
    single = db.open_database(tmp_path / "single.db")
    with db.transaction(single):
        for n, (article, found) in enumerate(items):
            if n != 7:
                db.store_article(single, article, found, extractor_version=app.EXTRACTOR_VERSION)
        record_warc_file(single, WarcFileRow(str(path), len(records), len(records), len(items) - 1,
                                                   len(items) - 1, "T", None))  # fmt: skip
    single.close()

    assert [e.kind for e in report.error_list] == ["store"] and "'tổ'" in report.error_list[0].message
    assert (report.new_articles, report.duplicates) == (len(items) - 2, 1)

    # The same rows, in whatever order the schema's triggers were re-created; the search index as
    # different segments, finding the same articles.
    def rows(path: Path) -> list[str]:
        return sorted(line for line in comparable(path) if "articles_fts" not in line)

    def searched(path: Path) -> list[tuple[int]]:
        with sqlite3.connect(path) as raw:
            raw.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
            return raw.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'giao' ORDER BY 1"
            ).fetchall()

    assert rows(tmp_path / "bulk.db") == rows(tmp_path / "single.db")
    assert searched(tmp_path / "bulk.db") == searched(tmp_path / "single.db") != []
    with sqlite3.connect(tmp_path / "bulk.db") as raw:
        assert raw.execute("SELECT articles, events FROM warc_files").fetchone() == (len(items) - 1,) * 2
        most = "SELECT max(n) FROM (SELECT count(*) AS n FROM event_reports GROUP BY event_id)"
        assert raw.execute(most).fetchone() == (2,)
