"""``reparse``: a selector changed in the sites file reaches the stored articles and their events
from the crawl's archive, without one HTTP request; a second reparse changes nothing."""

from __future__ import annotations

import re
import sqlite3
import tomllib
from pathlib import Path
from typing import Any

import pytest

from scraper.sites import parse_sites
from scraper.timezone import vn_date
from thidua import app
from thidua.archiving import ArchiveTarget
from thidua.errors import UsageError
from thidua.reparse import reparse

# thanhuy's articles: the change drops every paragraph of the body but the first.
DROP = 'drop = ".box-tags, .comment-box, .other-news"'
DROP_MORE = 'drop = ".box-tags, .comment-box, .other-news, .content-detail p:nth-of-type(n+2)"'


def sites_of(text: str) -> Any:
    return parse_sites(tomllib.loads(text)["site"], origin="fixture sites")


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as raw:
        return [tuple(r) for r in raw.execute(sql)]


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return [
            line
            for line in raw.iterdump()
            if not line.startswith(('INSERT INTO "runs"', 'INSERT INTO "run_errors"'))
        ]


BODIES = (
    "SELECT canonical_url, body, content_hash FROM articles WHERE site = 'thanhuy' ORDER BY canonical_url"
)
EVENTS = (
    "SELECT cluster, kind, number, event_date, activities, location, members, officials, source_urls "
    "FROM events_view ORDER BY source_urls, cluster"
)


@pytest.fixture
def crawled(tmp_path: Path, fixture_sites: Any) -> tuple[Path, Path, str]:
    """A crawl of the fixture sites with its archive: (database, archive folder, sites text)."""
    text = fixture_sites.sites_toml(delay=0.05)
    assert DROP in text
    database, folder = tmp_path / "t.db", tmp_path / "archive"
    fixture_sites.reset_faults()
    app.crawl(
        database,
        sites_of(text),
        app.CrawlOptions(delay=0.05, timeout=0.8, retries=2),
        archive=ArchiveTarget(folder, 30_000),
    )
    return database, folder, text


def test_a_changed_selector_reaches_stored_articles_and_events_without_a_request(
    crawled: tuple[Path, Path, str], fixture_sites: Any
) -> None:
    database, folder, text = crawled
    bodies, events = rows(database, BODIES), rows(database, EVENTS)
    assert bodies and all(body.count("\n\n") >= 1 for _, body, _ in bodies)
    fixture_sites.clear_log()

    lines: list[str] = []
    changed = sites_of(text.replace(DROP, DROP_MORE))
    report = reparse(database, folder, changed, on_file_done=lambda path, line: lines.append(line))
    assert fixture_sites.log == []  # not one request: everything came from the archive
    after = rows(database, BODIES)
    assert [u for u, *_ in after] == [u for u, *_ in bodies]  # same article keys, no new article
    for (_, old, old_hash), (_, new, new_hash) in zip(bodies, after, strict=True):
        assert new == old.split("\n\n")[0] and new_hash != old_hash  # only the first paragraph is left
    assert rows(database, EVENTS) != events  # re-extracted from the shorter text
    assert report.new_articles == len(bodies)  # the other sites' articles are re-parsed, unchanged
    assert report.duplicates >= 1 and report.pages_fetched == report.new_articles + report.duplicates
    assert rows(database, "SELECT command, status FROM runs ORDER BY id")[-1] == ("reparse", "ok")
    assert lines and all(
        re.match(r"file \d+/\d+ thidua-.*: re-parsed \d+, changed \d+ · total: ", line) for line in lines
    )

    # Idempotent: the same archive and sites again change nothing.
    before = dump(database)
    again = reparse(database, folder, sites_of(text.replace(DROP, DROP_MORE)))
    assert again.new_articles == 0 and dump(database) == before

    # And the selector put back brings the first texts and events back.
    reparse(database, folder, sites_of(text))
    assert rows(database, BODIES) == bodies and rows(database, EVENTS) == events
    assert fixture_sites.log == []


def test_since_and_the_latest_capture(crawled: tuple[Path, Path, str]) -> None:
    import datetime as dt

    from scraper.archive import Exchange, WarcArchive
    from scraper.warc import ReadCounts, read_warc

    database, folder, text = crawled
    url, body, _ = rows(database, BODIES)[0]
    (page,) = [
        r
        for p in sorted(folder.glob("*.warc.gz"))
        for r in read_warc(p, lambda uri: uri == url, ReadCounts())
        if r.status == 200
    ]
    html = page.body.decode()
    first = body.split("\n\n")[0]
    assert first in html

    def capture(folder: Path, when: dt.datetime, words: str, prefix: str) -> None:
        headers = {"content-type": "text/html; charset=utf-8"}
        changed = html.replace(first, f"{first} {words}").encode()
        with WarcArchive(folder, prefix=prefix) as archive:
            archive.observe(Exchange(url, {}, 200, headers, changed, when))

    later = page.fetched_at + dt.timedelta(days=1)
    capture(folder, later, "Bản cập nhật hôm sau.", "a-later")  # newer, in a file named before
    capture(folder, page.fetched_at - dt.timedelta(days=3), "Bản cũ hơn.", "z-older")  # older, named last
    # ``since`` is a day in Vietnam (UTC+7): from 17:00 UTC, a UTC date would be the day before.
    day_after = vn_date(later) + dt.timedelta(days=1)
    assert reparse(database, folder, sites_of(text), since=day_after).pages_fetched == 0
    report = reparse(database, folder, sites_of(text), since=vn_date(later))
    assert report.pages_fetched == 1 and report.new_articles == 1  # only the newer capture is that late
    stored = dict((u, b) for u, b, _ in rows(database, BODIES))[url]
    assert "Bản cập nhật hôm sau." in stored and "Bản cũ hơn." not in stored
    reparse(database, folder, sites_of(text))  # all captures: each URL's latest one still wins
    assert dict((u, b) for u, b, _ in rows(database, BODIES))[url] == stored


def test_the_command_line(crawled: tuple[Path, Path, str], tmp_path: Path, fixture_sites: Any) -> None:
    from click.testing import CliRunner

    from thidua.cli import cli

    database, folder, text = crawled
    sites = tmp_path / "sites.toml"
    sites.write_text(
        f'[crawl]\narchive = "{folder.name}"\n' + text.replace(DROP, DROP_MORE), encoding="utf-8"
    )
    runner = CliRunner()
    fixture_sites.clear_log()
    result = runner.invoke(cli, ["reparse", "--db", str(database), "--sites", str(sites)])
    assert result.exit_code == 0, result.output
    assert fixture_sites.log == []
    assert all(body.count("\n\n") == 0 for _, body, _ in rows(database, BODIES))
    missing = runner.invoke(cli, ["reparse", "--db", str(tmp_path / "none.db"), "--archive", str(folder)])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    no_archive = runner.invoke(cli, ["reparse", "--db", str(database)])
    assert no_archive.exit_code == 2 and "no archive to reparse" in no_archive.output
    with pytest.raises(UsageError, match="no such file or folder"):
        reparse(database, tmp_path / "nowhere", sites_of(text))
