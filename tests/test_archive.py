"""``crawl --archive``: every response the crawl fetched, in size-rotated .warc.gz files that warcio
(an independent reader) and the backfill reader both read, a killed writer included."""

from __future__ import annotations

import base64
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
import zlib
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.archive import ArchiveError, Exchange, WarcArchive
from scraper.sites import parse_sites
from scraper.warc import ReadCounts, WarcError, read_warc
from thidua import app
from thidua.archiving import ArchiveTarget

ROOT = Path(__file__).resolve().parent.parent
EVENT_COLUMNS = (
    "cluster, system, kind, number, event_date, year, activities, location, members, officials, source_urls"
)


def fixture_site_list(fixture_sites: Any) -> Any:
    return parse_sites(tomllib.loads(fixture_sites.sites_toml(delay=0.05))["site"], origin="fixture sites")


def crawl_archived(fixture_sites: Any, database: Path, folder: Path, max_bytes: int = 10**9) -> app.RunReport:
    fixture_sites.reset_faults()
    return app.crawl(
        database,
        fixture_site_list(fixture_sites),
        app.CrawlOptions(delay=0.05, timeout=0.8, retries=2),
        archive=ArchiveTarget(folder, max_bytes),
    )


def warc_records(folder: Path) -> list[Any]:
    """Every record of every file, through warcio with its digests checked."""
    out = []
    for path in sorted(folder.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for rec in ArchiveIterator(stream, check_digests="raise"):
                out.append((path.name, rec.rec_type, dict(rec.rec_headers.headers), rec.http_headers,
                            rec.content_stream().read()))  # fmt: skip
    return out


def events(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return sorted(map(repr, raw.execute(f"SELECT {EVENT_COLUMNS} FROM events_view")))


def articles(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return [r[0] for r in raw.execute("SELECT canonical_url FROM articles ORDER BY canonical_url")]


def test_every_response_is_archived_as_request_and_response(tmp_path: Path, fixture_sites: Any) -> None:
    folder = tmp_path / "archive"
    fixture_sites.clear_log()
    crawl_archived(fixture_sites, tmp_path / "t.db", folder, max_bytes=20_000)
    files = sorted(folder.glob("*.warc.gz"))
    assert len(files) >= 3, "20 kB files: the archive must have rotated"
    assert all(p.stat().st_size >= 20_000 for p in files[:-1])  # rotated past the size, not before
    records = warc_records(folder)
    # Each file starts with its warcinfo; then pairs, the response first, the request pointing to it.
    assert {name for name, kind, *_ in records if kind == "warcinfo"} == {p.name for p in files}
    responses = [r for r in records if r[1] in ("response", "revisit")]
    requests = [r for r in records if r[1] == "request"]
    assert len(requests) == len(responses) > 10
    ids = {r[2]["WARC-Record-ID"] for r in responses}
    assert {r[2]["WARC-Concurrent-To"] for r in requests} == ids
    for _, _, head, http, payload in responses:
        assert head["WARC-Date"].endswith("Z") and "." in head["WARC-Date"]  # microseconds, UTC
        digest = "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()
        assert head["WARC-Payload-Digest"] == digest
        assert http.get_header("Content-Length") == str(len(payload))
        assert http.get_header("Content-Encoding") is None  # the payload is stored decoded
    uris = {r[2]["WARC-Target-URI"] for r in responses}
    ports = {fixture_sites.port(s) for s in fixture_sites.sites}
    asked = {f"http://{host}:{port}/" for port in ports for host in ("127.0.0.1", "localhost")}
    assert all(any(u.startswith(a) for a in asked) for u in uris)
    kinds = {u.rsplit("/", 1)[-1] for u in uris}
    assert "robots.txt" in kinds and any(k.endswith(".rss") for k in kinds)  # robots and feeds too
    statuses = {r[3].get_statuscode() for r in responses}
    assert "200" in statuses and statuses & {"301", "302"}  # redirect hops are kept too
    with sqlite3.connect(tmp_path / "t.db") as raw:
        stored = {r[0] for r in raw.execute("SELECT url FROM articles")}
    ok = {r[2]["WARC-Target-URI"] for r in responses if r[3].get_statuscode() == "200"}
    assert stored and stored <= ok
    request_line = requests[0][3].protocol + " " + requests[0][3].statusline
    assert request_line.startswith("GET /") and requests[0][3].get_header("User-Agent")


def test_a_not_modified_answer_is_a_revisit_record(tmp_path: Path, fixture_sites: Any) -> None:
    database = tmp_path / "t.db"
    crawl_archived(fixture_sites, database, tmp_path / "first")
    crawl_archived(fixture_sites, database, tmp_path / "second")  # conditional GETs now
    revisits = [r for r in warc_records(tmp_path / "second") if r[1] == "revisit"]
    assert revisits, "the second night's entry points answer 304"
    for _, _, head, http, payload in revisits:
        assert head["WARC-Profile"] == "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
        assert http.get_statuscode() == "304" and payload == b""


def test_backfill_of_a_crawl_archive_gives_the_crawl_s_events(tmp_path: Path, fixture_sites: Any) -> None:
    crawled = tmp_path / "crawled.db"
    crawl_archived(fixture_sites, crawled, tmp_path / "archive", max_bytes=50_000)
    backfilled = tmp_path / "backfilled.db"
    report = app.backfill(backfilled, [tmp_path / "archive"], fixture_site_list(fixture_sites))
    assert report.errors.get("warc", 0) == 0
    # Listings, feeds and sitemaps are in the archive too: only the article pages become articles.
    assert articles(backfilled) == articles(crawled) != []
    assert events(backfilled) == events(crawled) != []


def exchange(n: int) -> Exchange:
    body = (f"<html><body><h1>Cụm thi đua số {n}</h1>" + "<p>Nội dung trang tin.</p>" * 200).encode()
    return Exchange(
        f"https://baotinh.vn/tin-{n}.html",
        {"User-Agent": "thidua-test"},
        200,
        {"content-type": "text/html; charset=utf-8", "content-encoding": "gzip"},
        body,
        time_of(n),
    )


def time_of(n: int) -> Any:
    import datetime as dt

    return dt.datetime(2026, 3, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n)


def member_starts(data: bytes) -> list[int]:
    """Where each gzip member of a .warc.gz begins."""
    starts, pos = [], 0
    while pos < len(data):
        starts.append(pos)
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        inflate.decompress(data[pos:])
        pos = len(data) - len(inflate.unused_data)
    return starts


def test_a_cut_last_record_is_skipped_in_thidua_s_own_files_only(tmp_path: Path) -> None:
    with WarcArchive(tmp_path / "a") as archive:
        for n in range(5):
            archive.observe(exchange(n))
    (path,) = (tmp_path / "a").glob("*.warc.gz")
    whole = path.read_bytes()
    counts = ReadCounts()
    assert len(list(read_warc(path, lambda uri: True, counts))) == 5 and not counts.tail_cut
    # The bytes of a kill in mid-record: the file ends inside the gzip member of the last response
    # (its gzip head, its middle) or of the last request.
    starts = member_starts(whole)
    assert len(starts) == 1 + 2 * 5  # warcinfo, then response + request per exchange
    last_response, last_request = starts[-2], starts[-1]
    cut = tmp_path / "cut.warc.gz"
    for end, read, noticed in [
        (last_response + 5, 4, False),  # fastwarc reads a gzip head cut short as the end of the file
        ((last_response + last_request) // 2, 4, True),
        ((last_request + len(whole)) // 2, 5, True),
    ]:
        cut.write_bytes(whole[:end])
        counts = ReadCounts()
        uris = [r.uri for r in read_warc(cut, lambda uri: True, counts)]
        assert uris == [f"https://baotinh.vn/tin-{n}.html" for n in range(read)]
        assert counts.tail_cut == noticed
        if not noticed:
            continue
        # The same damage in a file thidua did not write fails the file, as before.
        foreign = tmp_path / "foreign.warc.gz"
        foreign.write_bytes(whole[starts[1] : end])
        with pytest.raises(WarcError):
            list(read_warc(foreign, lambda uri: True, ReadCounts()))
    assert next(iter(read_warc(path, lambda uri: True, ReadCounts()))).fetched_at == time_of(0)


def test_a_killed_writer_leaves_files_the_backfill_reads(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    script = (
        "import sys, itertools\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from tests.test_archive import exchange\n"
        "from scraper.archive import WarcArchive\n"
        "archive = WarcArchive(sys.argv[1], max_bytes=40_000)\n"
        "for n in itertools.count():\n"
        "    archive.observe(exchange(n))\n"
        "    if n % 50 == 0: print(n, flush=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(folder), str(ROOT)], env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(folder.glob("*.warc.gz"))) < 4:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL
    files = sorted(folder.glob("*.warc.gz"))
    assert len(files) >= 4
    counts = ReadCounts()
    for path in files:
        list(read_warc(path, lambda uri: True, counts))  # never raises: at worst the tail is cut
    assert counts.kept >= 3 * 4  # the full files hold about 10 pages each
    database = tmp_path / "t.db"
    from scraper.sites import Site

    report = app.backfill(database, [folder], [Site(name="tinh", hosts=("baotinh.vn",), start=())])
    assert report.errors.get("warc", 0) == 0
    with sqlite3.connect(database) as raw:
        rows = raw.execute("SELECT count(*), sum(finished_at IS NOT NULL) FROM warc_files").fetchone()
    assert rows == (len(files), len(files))


def test_an_unwritable_archive_folder_is_refused_at_once(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ArchiveError, match="cannot write the archive in"):
        WarcArchive(blocker / "archive")
    with pytest.raises(ArchiveError, match="> 0 bytes"):
        WarcArchive(tmp_path / "b", max_bytes=0)


def test_the_fetcher_shows_its_observer_every_answer_it_returns_and_none_it_raises() -> None:
    import asyncio

    import httpx

    from scraper.fetch import Fetcher, FetchFailure
    from tests.mock_http import MockWeb, redirect, reply

    def page(request: httpx.Request, n: int) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return reply("Cụm thi đua", ETag='"v1"')(request, n)

    web = MockWeb()
    web.routes["https://baotinh.vn/old"] = redirect("/new", 301)
    web.routes["https://baotinh.vn/new"] = page
    seen: list[tuple[str, int, bytes, str, bool]] = []

    async def run() -> None:
        async with Fetcher(
            user_agent="thidua-test",
            default_delay=0,
            transport=web.transport(),
            on_response=lambda url, sent, r, at: seen.append(
                (
                    url,
                    r.status,
                    r.content,
                    {k.lower(): v for k, v in sent.items()}.get("if-none-match", ""),
                    at.tzinfo is not None,
                )
            ),
        ) as fetcher:
            await fetcher.get("https://baotinh.vn/old")
            await fetcher.get("https://baotinh.vn/new", etag='"v1"')
            with pytest.raises(FetchFailure):
                await fetcher.get("https://baotinh.vn/gone")  # a 404 raises: nothing to archive

    asyncio.run(run())
    assert seen == [
        ("https://baotinh.vn/old", 301, b"", "", True),
        ("https://baotinh.vn/new", 200, "Cụm thi đua".encode(), "", True),
        ("https://baotinh.vn/new", 304, b"", '"v1"', True),
    ]


def test_a_full_disk_mid_run_is_reported_when_the_archive_closes(tmp_path: Path) -> None:
    import errno

    class FullDisk:
        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def flush(self) -> None: ...
        def tell(self) -> int:
            return 0

        def close(self) -> None: ...

    archive = WarcArchive(tmp_path / "a")
    real = archive._out
    archive._out = FullDisk()  # type: ignore[assignment]
    archive._writer.out = archive._out  # type: ignore[union-attr]
    assert real is not None
    for n in range(4):
        archive.observe(exchange(n))  # returns at once, whatever the disk does
    with pytest.raises(ArchiveError, match=r"stopped after \d+ records: No space left on device"):
        archive.close()
    real.close()


def test_without_warcio_archive_is_one_clear_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from thidua.archiving import archiving
    from thidua.errors import UsageError

    monkeypatch.setitem(sys.modules, "scraper.archive", None)  # as if warcio were not installed
    with (
        pytest.raises(UsageError, match=r"pip install 'thidua\[archive\]'"),
        archiving(ArchiveTarget(tmp_path)),
    ):
        pass
    with archiving(None) as observer:  # no archive asked: nothing needed
        assert observer is None


def test_an_exchange_the_writer_refuses_is_skipped_and_the_others_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scraper.archive as module

    real = module._response_record

    def picky(writer: Any, item: Exchange, date: str) -> Any:
        if item.url.endswith("tin-1.html"):
            raise ValueError("a header warcio cannot write")
        return real(writer, item, date)

    monkeypatch.setattr(module, "_response_record", picky)
    with WarcArchive(tmp_path / "a") as archive:
        for n in range(3):
            archive.observe(exchange(n))
    assert archive.skipped == ["https://baotinh.vn/tin-1.html: ValueError: a header warcio cannot write"]
    (path,) = (tmp_path / "a").glob("*.warc.gz")
    assert [r.uri for r in read_warc(path, lambda uri: True, ReadCounts())] == [
        "https://baotinh.vn/tin-0.html",
        "https://baotinh.vn/tin-2.html",
    ]


def test_a_crawl_killed_mid_run_leaves_an_archive_the_readers_take(
    tmp_path: Path, fixture_sites: Any
) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text(fixture_sites.sites_toml(delay=0.2), encoding="utf-8")
    folder = tmp_path / "archive"
    command = [sys.executable, "-m", "thidua", "-q", "crawl", "--db", str(tmp_path / "t.db"),
               "--sites", str(sites), "--archive", str(folder), "--timeout", "0.8"]  # fmt: skip
    fixture_sites.reset_faults()
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        files = list(folder.glob("*.warc.gz"))
        if files and files[0].stat().st_size > 8_000:  # some pages in, the crawl far from done
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL, "the crawl ended before it could be killed"
    (path,) = folder.glob("*.warc.gz")
    counts = ReadCounts()
    pages = list(read_warc(path, lambda uri: True, counts))  # never raises
    assert len(pages) >= 3
    report = app.backfill(tmp_path / "b.db", [folder], fixture_site_list(fixture_sites))
    assert report.errors.get("warc", 0) == 0
