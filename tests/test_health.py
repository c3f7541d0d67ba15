"""Nightly health, end to end on a 127.0.0.1 server with runs on simulated nights (``app.crawl(now=…)``):
a start URL gone for 7 nights is named and then asked weekly; a site with no article for 14 nights,
one whose every entry point fails and one whose listing selector matches nothing are named by the
run summary, ``run_errors`` and ``thidua stats``."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scraper.crawl import CrawlOptions
from scraper.sites import Site
from thidua import app
from thidua.cli import cli
from thidua.demo.routeserver import Reply, RouteServer

OPTIONS = CrawlOptions(delay=0.0, timeout=3.0, retries=0)
NIGHT_1 = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)  # 02:00 in Vietnam, the next day
HTML = {"Content-Type": "text/html; charset=utf-8"}


def article_page(title: str) -> bytes:
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2026-03-01T09:00:00+07:00"></head><body>
<article><h1>{title}</h1><p>Sáng 1/3, {title} tổ chức hội nghị ký kết giao ước thi đua năm 2026.</p>
<p>Các đơn vị trong cụm thống nhất nhiều chỉ tiêu thi đua trọng tâm, chú trọng chuyển đổi số.</p>
</article></body></html>""".encode()


def listing_page(paths: list[str]) -> bytes:
    items = "".join(
        f'<li class="item"><a href="{p}">Cụm thi đua số {i} ký kết</a></li>' for i, p in enumerate(paths)
    )
    return f"<!doctype html><html><body><main><ul class='news'>{items}</ul></main></body></html>".encode()


def serve(server: Any) -> str:
    server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nAllow: /\n")
    server.routes["/chuyen-muc/thi-dua"] = lambda hit, n: Reply(
        200, listing_page(["/tin/cum-thi-dua-so-1-ky-ket-1490000001.html"]), HTML
    )
    server.routes["/tin/cum-thi-dua-so-1-ky-ket-1490000001.html"] = lambda hit, n: Reply(
        200, article_page("Cụm thi đua số 1 ký kết"), HTML
    )
    return server.base


def night(db: Path, sites: list[Site], n: int) -> app.RunReport:
    return app.crawl(db, sites, OPTIONS, now=NIGHT_1 + timedelta(days=n - 1))


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens any more: a refused connection, as a dead host."""
    server = RouteServer(name="closed")
    server.start()
    base = server.base
    server.stop()
    return f"{base}/chuyen-muc/thi-dua"


@pytest.mark.parametrize("how", ["http-404", "connect"])
def test_a_start_url_gone_for_7_nights_is_named_then_asked_weekly(
    local_server: Any, tmp_path: Path, how: str
) -> None:
    base = serve(local_server)
    gone = f"{base}/chuyen-muc/da-xoa" if how == "http-404" else closed_port_url()
    site = Site("tinh", ("127.0.0.1",), (f"{base}/chuyen-muc/thi-dua", gone), delay=0.0)
    db = tmp_path / "t.db"

    def asked(report: app.RunReport) -> bool:
        # A refused host fails its robots.txt first: its URLs are "unreachable" (connect) then.
        kinds = {how, "unreachable"} if how == "connect" else {how}
        return any(e.url == gone and e.kind in kinds for e in report.error_list)

    for n in range(1, 7):
        report = night(db, [site], n)
        assert asked(report) and not any("gone" in line for line in report.attention), n
    report = night(db, [site], 7)
    assert f"tinh: {gone} gone for 7 nights" in report.attention
    assert "needs attention" in report.line()
    data = app.stats(db, [site])
    assert [(g["url"], g["nights"]) for g in data["health"]["gone_entry_points"]] == [(gone, 7)]

    # Nights 8 to 13: not requested, each run says so; night 14, a week after the last try: asked.
    seen = []
    for n in range(8, 15):
        local_server.hits.clear()
        report = night(db, [site], n)
        seen.append(asked(report))
        assert report.errors["entry-rested"] == (0 if seen[-1] else 1)
        if how == "http-404":
            assert any(h.path == "/chuyen-muc/da-xoa" for h in local_server.hits) == seen[-1]
    assert seen == [False] * 6 + [True]
    rows = (
        sqlite3.connect(db).execute("SELECT DISTINCT kind FROM run_errors WHERE url = ?", [gone]).fetchall()
    )
    assert {r[0] for r in rows} & {how, "unreachable"}
    assert {r[0] for r in rows} >= {"entry-rested", "entry-gone"}


def test_a_start_url_that_answers_again_is_no_longer_gone(local_server: Any, tmp_path: Path) -> None:
    base = serve(local_server)
    back = {"yes": False}
    local_server.routes["/chuyen-muc/tam-dung"] = lambda hit, n: (
        Reply(200, listing_page([]), HTML) if back["yes"] else Reply(404, b"")
    )
    site = Site(
        "tinh", ("127.0.0.1",), (f"{base}/chuyen-muc/thi-dua", f"{base}/chuyen-muc/tam-dung"), delay=0.0
    )
    db = tmp_path / "t.db"
    for n in range(1, 7):
        night(db, [site], n)
    back["yes"] = True
    night(db, [site], 7)
    back["yes"] = False
    report = night(db, [site], 8)  # one bad night since it answered: not gone
    assert not any("gone" in line for line in report.attention)
    assert app.stats(db, [site])["health"]["gone_entry_points"] == []


def test_a_site_with_no_article_for_14_nights_is_named(local_server: Any, tmp_path: Path) -> None:
    base = serve(local_server)
    quiet = Site("tinh", ("127.0.0.1",), (f"{base}/chuyen-muc/thi-dua",), delay=0.0, status="home-only")
    db = tmp_path / "t.db"
    first = night(db, [quiet], 1)  # one article, then nothing new
    assert first.new_articles == 1
    for n in range(2, 15):
        assert "tinh: no article for 14 nights" not in night(db, [quiet], n).attention
    report = night(db, [quiet], 15)
    assert "tinh: no article for 14 nights" in report.attention

    health = app.stats(db, [quiet])["health"]
    assert health["no_yield"] == ["tinh"]
    assert health["home_only_no_yield"] == ["tinh"]
    assert app.stats(db, [quiet], nights=20)["health"]["no_yield"] == []

    result = CliRunner().invoke(cli, ["stats", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["health"]["no_yield"] == []  # the packaged sites have no "tinh"


@pytest.mark.parametrize(
    ("start", "selectors", "named"),
    [
        (("/chuyen-muc/khong-co", "/chuyen-muc/cung-khong"), {}, "entry_points_failed"),
        (("/chuyen-muc/thi-dua",), {"listing": "ul.danh-sach a"}, "selectors_matched_nothing"),
        (("/chuyen-muc/thi-dua",), {"listing": "ul.news a"}, None),
    ],
)
def test_sites_whose_entry_points_all_fail_or_whose_selectors_match_nothing_are_named(
    local_server: Any, tmp_path: Path, start: tuple[str, ...], selectors: dict[str, str], named: str | None
) -> None:
    base = serve(local_server)
    site = Site("tinh", ("127.0.0.1",), tuple(base + p for p in start), delay=0.0, selectors=selectors)
    db = tmp_path / "t.db"
    report = night(db, [site], 1)
    health = app.stats(db, [site])["health"]
    for key in ("entry_points_failed", "selectors_matched_nothing"):
        assert health[key] == (["tinh"] if key == named else []), key
    assert bool(report.attention) == (named is not None)


def test_stats_prints_the_health_section(local_server: Any, tmp_path: Path) -> None:
    base = serve(local_server)
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        f'[[site]]\nname = "tinh"\nhosts = ["127.0.0.1"]\n'
        f'start = ["{base}/chuyen-muc/khong-co"]\ndelay = 0.0\n',
        encoding="utf-8",
    )
    db = tmp_path / "t.db"
    night(db, list(app.load_sites(sites_file)), 1)
    result = CliRunner().invoke(cli, ["stats", "--db", str(db), "--sites", str(sites_file)])
    assert result.exit_code == 0, result.output
    assert "entry points failed: tinh" in result.output
