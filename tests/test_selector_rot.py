"""Article-selector rot (issue 11, scraper.selector_rot): the parse says which configured title/body
selectors matched nothing; a site's run records one ``article-selector-nothing`` error when they miss
on enough of its articles; the run summary, ``run_errors`` and ``thidua stats`` (``--json``) name the
site until a run parses its articles with matching selectors again. End to end on 127.0.0.1 servers."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from scraper.article import Article
from scraper.crawl import CrawlOptions
from scraper.parse import parse_article
from scraper.selector_rot import ROT_KIND, SelectorTally, is_rot, unmatched_selectors
from scraper.sites import Site
from thidua import app
from thidua.cli import cli
from thidua.demo.routeserver import Reply, RouteServer

SELECTORS = {"title": "h1.tieu-de", "body": "div.noi-dung"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def article_html(title: str, *, body_class: str = "noi-dung", title_class: str = "tieu-de") -> str:
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2026-03-01T09:00:00+07:00"></head><body>
<article><h1 class="{title_class}">{title}</h1><div class="{body_class}">
<p>Sáng 1/3, {title} tổ chức hội nghị ký kết giao ước thi đua năm 2026 tại hội trường tỉnh.</p>
<p>Các đơn vị trong cụm thống nhất nhiều chỉ tiêu thi đua trọng tâm, chú trọng chuyển đổi số.</p>
</div></article></body></html>"""


@pytest.mark.parametrize(
    ("html", "selectors", "missed"),
    [
        (article_html("Cụm thi đua số 1"), SELECTORS, ()),
        (article_html("Cụm thi đua số 1", body_class="bai-viet"), SELECTORS, ("body",)),
        (article_html("Cụm thi đua số 1", title_class="ten-bai"), SELECTORS, ("title",)),
        (article_html("Cụm", body_class="x", title_class="y"), SELECTORS, ("title", "body")),
        (article_html("Cụm", body_class="bai-viet"), {"body": "div.noi-dung, div.bai-viet"}, ()),
        (article_html("Cụm"), {"body": "div.noi-dung p.khong-co"}, ("body",)),
        (article_html("Cụm"), {}, ()),  # nothing configured: nothing to miss
        (article_html("Cụm"), {"lead": "p.sapo"}, ()),  # only title and body are watched
        ('<h1 class="tieu-de"> </h1><div class="noi-dung"></div>', SELECTORS, ("title", "body")),  # empty
    ],
)
def test_unmatched_selectors(html: str, selectors: dict[str, str], missed: tuple[str, ...]) -> None:
    assert unmatched_selectors(LexborHTMLParser(html), selectors) == missed


@pytest.mark.parametrize("body_class", ["noi-dung", "bai-viet"])
def test_the_parse_says_which_configured_selectors_missed(body_class: str) -> None:
    site = Site("tinh", ("baotinh.test",), ("http://baotinh.test/",), selectors=SELECTORS)
    html = article_html("Cụm thi đua số 2 ký kết", body_class=body_class)
    article = parse_article(html, "http://baotinh.test/tin/a-1.html", site=site)
    assert article.selectors_missed == (() if body_class == "noi-dung" else ("body",))
    assert "chuyển đổi số" in article.body  # the generic extractor still found the text


@pytest.mark.parametrize(
    ("misses", "parsed", "rot"),
    [
        (0, 0, False),
        (1, 1, True),  # the one article of the night missed: a redesign shows on one page too
        (2, 2, True),
        (2, 3, False),
        (3, 3, True),
        (3, 4, True),
        (1, 10, False),  # one odd page
        (3, 10, False),  # under half
        (5, 10, True),
        (2, 4, False),
        (0, 5, False),
    ],
)
def test_is_rot(misses: int, parsed: int, rot: bool) -> None:
    assert is_rot(misses, parsed) is rot


def parsed(missed: tuple[str, ...]) -> Article:
    return Article("u", "u", "h", "t", "", "b", None, None, None, None, selectors_missed=missed)


def test_the_tally_gives_one_error_naming_the_selectors_and_one_url() -> None:
    tally = SelectorTally(SELECTORS)
    assert tally.error() is None
    for i in range(4):
        tally.saw(f"http://h/tin/{i}", parsed(("body",) if i else ("title", "body")))
    error = tally.error()
    assert error is not None
    url, message = error
    assert url == "http://h/tin/0"
    assert "'div.noi-dung' on 4 of 4" in message and "title" not in message  # one title miss: no rot


# -- end to end -------------------------------------------------------------------------------------

OPTIONS = CrawlOptions(delay=0.0, timeout=3.0, retries=0, workers=0)
NIGHT_1 = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)


class Outlet:
    """A site on its own 127.0.0.1 server: a listing of its articles, in markup that may change."""

    def __init__(self, name: str, server: RouteServer) -> None:
        self.name = name
        self.server = server
        self.body_class = "noi-dung"
        self.paths: list[str] = []
        server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nAllow: /\n")
        server.routes["/chuyen-muc/thi-dua"] = lambda hit, n: Reply(200, self.listing(), HTML)

    def add(self, count: int) -> None:
        for _ in range(count):
            i = len(self.paths) + 1
            path = f"/tin/cum-thi-dua-so-{i}-ky-ket-14910000{i:02d}.html"
            page = article_html(
                f"Cụm thi đua số {i} tỉnh {self.name} ký kết", body_class=self.body_class
            ).encode()
            self.server.routes[path] = lambda hit, n, page=page: Reply(200, page, HTML)
            self.paths.append(path)

    def listing(self) -> bytes:
        items = "".join(
            f'<li><a href="{p}">Cụm thi đua số {i} ký kết</a></li>' for i, p in enumerate(self.paths, 1)
        )
        return f"<html><body><main><ul class='news'>{items}</ul></main></body></html>".encode()

    def site(self) -> Site:
        host = self.server.base.split("//", 1)[1]  # host:port: each outlet owns its own server
        return Site(
            self.name, (host,), (f"{self.server.base}/chuyen-muc/thi-dua",), delay=0.0, selectors=SELECTORS
        )


@pytest.fixture
def outlets() -> Iterator[tuple[Outlet, Outlet]]:
    with RouteServer(name="doi") as changed, RouteServer(name="giu") as same:
        yield Outlet("doi", changed), Outlet("giu", same)


def night(db: Path, outlets: tuple[Outlet, ...], n: int) -> app.RunReport:
    return app.crawl(db, [o.site() for o in outlets], OPTIONS, now=NIGHT_1 + timedelta(days=n - 1))


def rot_rows(db: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(db) as conn:
        return [
            (int(r[0]), str(r[1]), str(r[2]))
            for r in conn.execute("SELECT run_id, site, url FROM run_errors WHERE kind = ?", [ROT_KIND])
        ]


def test_a_site_whose_body_selector_stops_matching_is_named(
    tmp_path: Path, outlets: tuple[Outlet, Outlet]
) -> None:
    changed, same = outlets
    db = tmp_path / "t.db"
    for outlet in outlets:
        outlet.add(2)
    first = night(db, outlets, 1)
    assert first.new_articles == 4
    assert rot_rows(db) == [] and first.attention == []

    # Night 2: "doi" moved its text out of div.noi-dung; "giu" kept its markup. Both publish 3 more.
    changed.body_class = "bai-viet"
    for outlet in outlets:
        outlet.add(3)
    second = night(db, outlets, 2)
    assert second.new_articles == 6
    assert "doi: article selector matched nothing (parsed generically)" in second.attention
    assert not any(line.startswith("giu") for line in second.attention)
    assert "needs attention" in second.line()
    rows = rot_rows(db)
    assert [site for _, site, _ in rows] == ["doi"]  # once for the run, not once per page
    assert rows[0][2].removeprefix(changed.server.base) in changed.paths[2:]  # one of tonight's
    assert {e.message for e in second.error_list if e.kind == ROT_KIND} == {
        "the site's article selectors matched nothing: body 'div.noi-dung' on 3 of 3 articles (e.g. this "
        "one); the parse fell back to the generic extractor: fix [site.selectors] in the sites file"
    }
    with sqlite3.connect(db) as conn:  # the text was still stored, by the generic extractor
        bodies = [str(r[0]) for r in conn.execute("SELECT body FROM articles WHERE url LIKE '%so-5-%'")]
    assert len(bodies) == 2 and all("chuyển đổi số" in b for b in bodies)

    # Night 3: nothing new to parse, so nothing says the markup was fixed: still named, in stats too.
    third = night(db, outlets, 3)
    assert "doi: article selector matched nothing (parsed generically)" in third.attention
    health = app.stats(db, [o.site() for o in outlets])["health"]
    assert health["article_selectors_matched_nothing"] == ["doi"]
    assert health["selectors_matched_nothing"] == []

    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        "".join(
            f'[[site]]\nname = "{s.name}"\nhosts = ["{s.hosts[0]}"]\nstart = ["{s.start[0]}"]\ndelay = 0.0\n'
            f'[site.selectors]\ntitle = "h1.tieu-de"\nbody = "div.noi-dung"\n'
            for s in (o.site() for o in outlets)
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["stats", "--db", str(db), "--sites", str(sites_file), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["health"]["article_selectors_matched_nothing"] == ["doi"]
    result = CliRunner().invoke(cli, ["stats", "--db", str(db), "--sites", str(sites_file)])
    assert "article selectors matched nothing: doi" in result.output

    # Night 4: the sites file follows the new markup; a new article parses with it: no longer named.
    changed.add(1)
    fixed = Site(
        changed.name,
        changed.site().hosts,
        changed.site().start,
        delay=0.0,
        selectors={**SELECTORS, "body": "div.bai-viet"},
    )
    report = app.crawl(db, [fixed, same.site()], OPTIONS, now=NIGHT_1 + timedelta(days=3))
    assert report.new_articles == 1 and report.attention == []
    assert len(rot_rows(db)) == 1  # only night 2's
