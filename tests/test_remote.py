"""Backfill sources at a URL, through fsspec, from the one fixture server on 127.0.0.1: a paths list
with an http --base, a single WARC streamed, a missing file, s3 without s3fs; local paths without
fsspec imported at all."""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from scraper.warc import ReadCounts, WarcError, read_warc, warc_sources
from tests.conftest import LocalServer, Reply
from tests.test_backfill import RELEVANT, SITES, good_file, record, second_file, write_gz
from thidua import app

ROOT = Path(__file__).resolve().parent.parent


def serve_file(server: LocalServer, path: str, data: bytes) -> str:
    server.routes[path] = lambda request, previous: Reply(
        200, data, {"Content-Type": "application/octet-stream"}
    )
    return server.base + path


def urls(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return [r[0] for r in raw.execute("SELECT canonical_url FROM articles ORDER BY canonical_url")]


def test_a_paths_list_at_a_url_with_an_http_base(tmp_path: Path, local_server: LocalServer) -> None:
    one = good_file(tmp_path / "1.warc.gz").read_bytes()
    two = second_file(tmp_path / "2.warc.gz").read_bytes()
    serve_file(local_server, "/bucket/crawl-data/CC-NEWS/2024/03/CC-NEWS-1.warc.gz", one)
    serve_file(local_server, "/bucket/crawl-data/CC-NEWS/2024/03/CC-NEWS-2.warc.gz", two)
    listing = b"crawl-data/CC-NEWS/2024/03/CC-NEWS-1.warc.gz\ncrawl-data/CC-NEWS/2024/03/CC-NEWS-2.warc.gz\n"
    paths = serve_file(local_server, "/lists/2024/03/warc.paths.gz", gzip.compress(listing))
    base = local_server.base + "/bucket/"
    assert warc_sources([paths], base=base) == [
        f"{local_server.base}/bucket/crawl-data/CC-NEWS/2024/03/CC-NEWS-1.warc.gz",
        f"{local_server.base}/bucket/crawl-data/CC-NEWS/2024/03/CC-NEWS-2.warc.gz",
    ]
    remote = tmp_path / "remote.db"
    report = app.backfill(remote, [paths], SITES, base=base)
    assert report.new_articles == 2
    local = tmp_path / "local.db"
    app.backfill(local, [tmp_path / "1.warc.gz", tmp_path / "2.warc.gz"], SITES)
    assert urls(remote) == urls(local) != []
    # A rerun skips the finished files: the list is read again, the WARC files are not.
    local_server.clear_log()
    app.backfill(remote, [paths], SITES, base=base)
    assert set(local_server.paths()) == {"/lists/2024/03/warc.paths.gz"}


def test_a_paths_list_without_base_is_resolved_against_its_own_folder(local_server: LocalServer) -> None:
    list_url = serve_file(local_server, "/cc/warc.paths", b"a/x.warc.gz\n# a comment\n\nb/y.warc\n")
    assert warc_sources([list_url]) == [
        f"{local_server.base}/cc/a/x.warc.gz",
        f"{local_server.base}/cc/b/y.warc",
    ]
    with pytest.raises(WarcError, match="must name a WARC file"):
        warc_sources([local_server.base + "/cc/"])
    with pytest.raises(WarcError, match="cannot open"):
        warc_sources([local_server.base + "/missing/warc.paths.gz"])


def test_a_single_warc_at_a_url_is_streamed(tmp_path: Path, local_server: LocalServer) -> None:
    # 48 MB of records of another host (random bytes: gzip cannot shrink them), the kept page last.
    noise = [record(f"https://other.example.com/{i}", os.urandom(400_000)) for i in range(120)]
    page = record("https://baotinh.vn/cum-thi-dua-so-3.html", RELEVANT)
    data = write_gz(tmp_path / "big.warc.gz", [*noise, page])
    del noise
    size = data.stat().st_size
    url = serve_file(local_server, "/big.warc.gz", data.read_bytes())
    assert size > 45_000_000
    tracemalloc.start()
    try:
        counts = ReadCounts()
        kept = [r.uri for r in read_warc(url, lambda uri: "baotinh.vn" in uri, counts)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept == ["https://baotinh.vn/cum-thi-dua-so-3.html"] and counts.seen == 121
    assert peak < size / 4, f"peak {peak / 1e6:.1f} MB of Python memory for a {size / 1e6:.0f} MB file"
    assert [r.headers["range"] for r in local_server.log if "range" in r.headers] == []  # one plain GET


def test_a_missing_url_fails_that_file_and_the_others_proceed(
    tmp_path: Path, local_server: LocalServer
) -> None:
    good = serve_file(local_server, "/a.warc.gz", good_file(tmp_path / "a.warc.gz").read_bytes())
    database = tmp_path / "t.db"
    report = app.backfill(database, [good, local_server.base + "/gone.warc.gz"], SITES)
    assert report.errors["warc"] == 1 and report.new_articles == 1
    with sqlite3.connect(database) as raw:
        (error,) = raw.execute("SELECT error FROM warc_files WHERE finished_at IS NULL").fetchone()
    assert error.startswith(local_server.base + "/gone.warc.gz: cannot open")


def test_s3_without_s3fs_is_one_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    try:
        import s3fs  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("s3fs is installed: its missing-driver error cannot be seen here (no s3 traffic)")
    with pytest.raises(app.RunFailedError):
        app.backfill(tmp_path / "t.db", ["s3://commoncrawl/crawl-data/CC-NEWS/x.warc.gz"], SITES)
    with sqlite3.connect(tmp_path / "t.db") as raw:
        (error,) = raw.execute("SELECT error FROM warc_files").fetchone()
    assert (
        error
        == "s3://commoncrawl/crawl-data/CC-NEWS/x.warc.gz: s3:// sources need s3fs: pip install 'thidua[s3]'"
    )
    with pytest.raises(app.UsageError, match=r"need s3fs: pip install 'thidua\[s3\]'"):
        app.backfill(tmp_path / "t.db", ["s3://commoncrawl/crawl-data/CC-NEWS/2024/03/warc.paths.gz"], SITES)


def test_local_sources_never_import_fsspec(tmp_path: Path) -> None:
    good_file(tmp_path / "a.warc.gz")
    script = (
        "import sys\n"
        "from scraper.sites import Site\n"
        "from thidua import app\n"
        f"app.backfill({str(tmp_path / 't.db')!r}, [{str(tmp_path)!r}], "
        "[Site(name='tinh', hosts=('baotinh.vn',), start=())])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fsspec', 'aiohttp', 'warcio')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "[]"
