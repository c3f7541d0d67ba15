"""The sites file's ``[crawl]`` table (``scraper.settings``) and the crawl command's archive folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scraper.errors import SitesError
from scraper.settings import CrawlSettings, load_crawl_settings
from scraper.sites import load_sites

SITE = '[[site]]\nname = "tinh"\nhosts = ["baotinh.vn"]\nstart = ["https://baotinh.vn/"]\n'


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("", CrawlSettings()),
        ('[crawl]\narchive = "warc"\n', CrawlSettings(Path("HERE/warc"), 1_000_000_000)),
        (
            '[crawl]\narchive = "/data/warc"\narchive_file_mb = 0.5\n',
            CrawlSettings(Path("/data/warc"), 500_000),
        ),
        ("[crawl]\narchive_file_mb = 2\n", CrawlSettings(None, 2_000_000)),
    ],
)
def test_the_crawl_table_of_the_sites_file(tmp_path: Path, table: str, expected: CrawlSettings) -> None:
    file = tmp_path / "sites.toml"
    file.write_text(table + SITE, encoding="utf-8")
    settings = load_crawl_settings(file)
    if expected.archive is not None and str(expected.archive).startswith("HERE"):
        expected = CrawlSettings(tmp_path / "warc", expected.archive_file_bytes)
    assert settings == expected
    assert [s.name for s in load_sites(file)] == ["tinh"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[crawl]\narchiv = "warc"\n', "unknown key 'archiv'"),
        ("[crawl]\narchive = 3\n", "'archive' must be a folder path"),
        ("[crawl]\narchive_file_mb = -1\n", "'archive_file_mb' must be a number of megabytes > 0"),
        ('[crawl]\narchive_file_mb = "big"\n', "'archive_file_mb' must be a number"),
        ('crawl = "x"\n', r"\[crawl\] must be a table"),
    ],
)
def test_a_bad_crawl_table_is_refused_when_the_sites_load(tmp_path: Path, table: str, message: str) -> None:
    file = tmp_path / "sites.toml"
    file.write_text(table + SITE, encoding="utf-8")
    with pytest.raises(SitesError, match=message):
        load_sites(file)


def test_the_command_line_archives_by_option_or_by_the_sites_file(tmp_path: Path, fixture_sites: Any) -> None:
    from click.testing import CliRunner

    from thidua.cli import cli

    sites = tmp_path / "sites.toml"
    sites.write_text('[crawl]\narchive = "night"\n' + fixture_sites.sites_toml(delay=0.05), encoding="utf-8")
    runner = CliRunner()
    fixture_sites.reset_faults()
    base = ["crawl", "--db", str(tmp_path / "t.db"), "--sites", str(sites), "--timeout", "0.8"]
    result = runner.invoke(cli, [*base, "--site", "vcc"])
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "night").glob("thidua-*.warc.gz"))
    result = runner.invoke(cli, [*base, "--site", "vcc", "--archive", str(tmp_path / "given")])
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "given").glob("thidua-*.warc.gz"))
    assert "--archive" in runner.invoke(cli, ["crawl", "--help"]).output
