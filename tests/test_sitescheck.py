"""``thidua sites check`` against the fixture sites and scripted servers on 127.0.0.1: it discovers
feeds, sitemaps and listings from a home page, writes a sites file that crawls to the same articles as
the hand-written fixture entries, and marks dead and moved hosts (exit 3)."""

from __future__ import annotations

import json
import sqlite3
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scraper.crawl import CrawlOptions
from scraper.sites import Site, load_sites
from thidua import app
from thidua.cli import cli
from thidua.demo.routeserver import Reply, RouteServer
from thidua.sitescheck import cms_family
from thidua.siteswrite import site_table

# The fixture sites have no page at "/": a section page of each stands in for its home page.
HOMES = {"vcc": "/thoi-su.htm", "thanhuy": "/nhom-tin/thi-dua-khen-thuong-1197606001"}
CRAWL = CrawlOptions(delay=0.0, timeout=1.0, retries=2)


def write_sites(path: Path, sites: list[Site]) -> Path:
    import tomli_w

    path.write_text(tomli_w.dumps({"site": [site_table(s) for s in sites]}), encoding="utf-8")
    return path


def crawled_articles(db: Path, sites: list[Site], fixture_sites: Any) -> set[str]:
    fixture_sites.reset_faults()  # the once-only 500 and 429 meet both crawls alike
    app.crawl(db, sites, CRAWL)
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT canonical_url FROM articles")}


def test_check_discovers_the_fixture_sites_entry_points_and_writes_a_file_that_crawls_the_same(
    fixture_sites: Any, tmp_path: Path
) -> None:
    hand_file = tmp_path / "hand.toml"
    hand_file.write_text(fixture_sites.sites_toml(delay=0.0), encoding="utf-8")
    hand = list(load_sites(hand_file))
    # What an operator writes: name, hosts and home (the selectors stay, they are the site's).
    homes = [replace(s, start=(), home=fixture_sites.base_url(s.name) + HOMES[s.name]) for s in hand]
    given = write_sites(tmp_path / "homes.toml", homes)
    written = tmp_path / "reviewed.toml"

    result = CliRunner().invoke(
        cli,
        ["sites", "check", "--sites", str(given), "--write", str(written), "--timeout", "1", "--delay", "0"],
    )
    assert result.exit_code == 0, result.output
    vcc = fixture_sites.base_url("vcc")
    for line in (
        f"feed     {vcc}/rss/thoi-su.rss",
        f"sitemap  {vcc}/sitemaps.xml",
        f"listing  {vcc}/thoi-su.htm",
    ):
        assert line in result.output
    assert "vcc: ok; CMS vccorp-ims; article: title yes, date yes, body yes" in result.output

    reviewed = {s.name: s for s in load_sites(written)}
    for site in hand:
        assert set(reviewed[site.name].start) == set(site.start), site.name
        assert reviewed[site.name].selectors == site.selectors
    text = written.read_text(encoding="utf-8")
    assert "# ── Sites that answered (2) ──" in text
    assert "# vcc: checked " in text and "feeds 1, sitemaps 1, listings 1" in text

    by_hand = crawled_articles(tmp_path / "hand.db", hand, fixture_sites)
    by_check = crawled_articles(tmp_path / "check.db", list(reviewed.values()), fixture_sites)
    assert by_hand and by_check == by_hand


def test_check_finds_a_home_pages_feed_and_its_section_about_emulation(
    local_server: Any, tmp_path: Path
) -> None:
    base = local_server.base
    html = {"Content-Type": "text/html; charset=utf-8"}
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(
        200, f"User-agent: *\nSitemap: {base}/s.xml\n".encode()
    )
    local_server.routes["/"] = lambda hit, n: Reply(
        200,
        (
            '<html><head><link rel="alternate" type="application/rss+xml" href="/rss/tin-moi.rss"></head>'
            "<body><nav><a href='/chinh-tri'>Chính trị</a> <a href='/thi-dua-khen-thuong'>Thi đua - Khen "
            "thưởng</a></nav></body></html>"
        ).encode(),
        html,
    )
    article = f"{base}/thi-dua-khen-thuong/cum-thi-dua-so-2-ky-ket-giao-uoc-1490000011.html"
    section = (
        f'<html><body><main><h3><a href="{article}">Cụm thi đua số 2 ký kết</a></h3></main></body></html>'
    )
    local_server.routes["/thi-dua-khen-thuong"] = lambda hit, n: Reply(
        200,
        section.encode(),
        html,
    )
    local_server.routes["/rss/tin-moi.rss"] = lambda hit, n: Reply(
        200,
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Cụm thi đua</title>'
        f"<link>{article}</link></item></channel></rss>".encode(),
        {"Content-Type": "application/rss+xml"},
    )
    site = Site("tinh", ("127.0.0.1",), (), home=f"{base}/", delay=0.0)
    result = CliRunner().invoke(
        cli, ["sites", "check", "--sites", str(write_sites(tmp_path / "s.toml", [site])), "--json"]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["feeds"] == [f"{base}/rss/tin-moi.rss"]
    assert found["sitemaps"] == []  # announced in robots.txt but 404: not kept
    assert found["listings"] == [f"{base}/thi-dua-khen-thuong"]
    assert found["article"]["url"] == article
    assert "/chinh-tri" not in [h.path for h in local_server.hits]  # not about emulation: not read


def test_dead_and_moved_hosts_are_marked_and_exit_3(local_server: Any, tmp_path: Path) -> None:
    closed = RouteServer(name="closed")
    closed.start()
    dead_base = closed.base
    closed.stop()  # nothing listens on that port any more
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\n")
    port = local_server.port
    local_server.routes["/"] = lambda hit, n: Reply(301, b"", {"Location": f"http://localhost:{port}/moi"})
    sites = [
        Site("chet", ("127.0.0.1",), (), home=f"{dead_base}/", delay=0.0),
        Site("doi", ("127.0.0.1",), (), home=f"{local_server.base}/", delay=0.0),
    ]
    given = write_sites(tmp_path / "s.toml", sites)
    written = tmp_path / "out.toml"
    result = CliRunner().invoke(
        cli, ["sites", "check", "--sites", str(given), "--json", "--timeout", "1", "--write", str(written)]
    )
    assert result.exit_code == 3, result.output
    states = {d["site"]: d for d in map(json.loads, result.stdout.splitlines())}
    assert states["chet"]["state"] == "dead"
    assert states["doi"]["state"] == "moved"
    assert states["doi"]["moved_to"] == f"http://localhost:{port}/moi"
    text = written.read_text(encoding="utf-8")
    assert "Needs review" in text and "update hosts and home" in text
    assert [s.name for s in load_sites(written)] == ["chet", "doi"]  # kept as they were, to fix
    assert tomllib.loads(text)["site"][0].get("start") is None


def test_an_unknown_site_name_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["sites", "check", "--site", "khong-co-trang-nay"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("html", "family"),
    [
        ('<div class="detail-content afcbc-body"><figcaption class="PhotoCMS_Caption">', "vccorp-ims"),
        ('<h1 class="article__title cms-title"></h1><div class="zce-content-body">', "cms-title-zce"),
        ('<link rel="stylesheet" href="/wp-content/themes/x.css">', "wordpress"),
        ("<html><body><p>Trang chủ</p></body></html>", None),
    ],
)
def test_cms_family(html: str, family: str | None) -> None:
    assert cms_family(html) == family
