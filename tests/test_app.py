"""thidua.app, the jobs as a library: a crawl run from Python, and the one derivation of what
extraction gets (text, local publication day, source URL) through crawl, ingest and reextract."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from scraper.article import Article
from scraper.sites import Site
from thidua import app

# Published 2025-01-14T20:00Z: 03:00 on the 15th in Vietnam, the day "Sáng 15/1" means.
EVENING_UTC = "2025-01-14T20:00:00Z"
TITLE = "Cụm thi đua số 4 ký kết giao ước thi đua năm 2025"
BODY = (
    "Sáng 15/1, tại Hội trường UBND huyện Nông Cống, Cụm thi đua số 4 tỉnh Thanh Hóa tổ chức hội nghị "
    "ký kết giao ước thi đua năm 2025."
)


def evening_page(url: str) -> bytes:
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title>
<link rel="canonical" href="{url}">
<meta property="article:published_time" content="{EVENING_UTC}"></head><body>
<article><h1>{TITLE}</h1><p class="sapo">{BODY}</p>
<p>Các đơn vị trong cụm thống nhất nhiều chỉ tiêu thi đua trọng tâm, chú trọng chuyển đổi số.</p>
<p>Hội nghị cũng thống nhất lịch kiểm tra chéo giữa các đơn vị trong cụm vào cuối năm.</p>
</article></body></html>""".encode()


def event_dates(db_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT event_date, date_text FROM events ORDER BY id").fetchall()


@pytest.mark.parametrize(
    ("published", "day"),
    [
        (dt.datetime(2025, 1, 14, 20, 0, tzinfo=dt.UTC), dt.date(2025, 1, 15)),
        (dt.datetime(2025, 1, 14, 16, 59, tzinfo=dt.UTC), dt.date(2025, 1, 14)),
        (dt.datetime(2025, 1, 15, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), dt.date(2025, 1, 15)),
        (dt.datetime(2025, 1, 15, 1, 0), dt.date(2025, 1, 15)),  # naive: read as Vietnamese time
        (None, None),
    ],
)
def test_article_inputs_take_the_publication_day_in_vietnam(
    published: dt.datetime | None, day: dt.date | None
) -> None:
    article = Article(
        url="https://baothanhhoa.vn/a-1.html",
        canonical_url="https://baothanhhoa.vn/a-1.html",
        source="baothanhhoa.vn",
        title=TITLE,
        lead="",
        body=BODY,
        author=None,
        published=published,
        modified=None,
        fetched_at=None,
        content_hash="x",
    )
    inputs = app.article_inputs(article)
    assert inputs.published == day
    assert inputs.source == "https://baothanhhoa.vn/a-1.html"
    assert inputs.text == f"{TITLE}\n\n{BODY}"


@pytest.mark.parametrize(
    ("url", "site", "system"),
    [
        # a crawled article: its site's entry, by name, whatever the URL's host
        ("https://example.invalid/a-1.html", "moj", "Bộ Tư pháp"),
        # a stored article (no site name): the entry owning the URL
        ("https://www.cand.com.vn/a-1.html", None, "Bộ Công an"),
        ("https://baothanhhoa.vn/a-1.html", None, "tỉnh Thanh Hóa"),
        # no entry at all
        ("https://example.invalid/a-1.html", None, None),
    ],
)
def test_article_inputs_carry_the_site_system(url: str, site: str | None, system: str | None) -> None:
    article = Article(
        url=url,
        canonical_url=url,
        source=urlsplit(url).hostname or "",
        title=TITLE,
        lead="",
        body=BODY,
        author=None,
        published=None,
        modified=None,
        fetched_at=None,
        content_hash="x",
        site=site,
    )
    assert app.article_inputs(article).site_system == system


def test_sites_toml_and_the_source_table_name_the_same_province_for_a_site() -> None:
    # Two tables say whose a site is: sites.toml's ``system`` (passed by the crawl) and extract's host
    # table (``source_body``). Their wording may differ (the branch, the full or short name), never
    # the province: a provincial broadcaster once stood for a neighbouring province in one of them.
    from extract.province import event_province
    from extract.sources import source_body
    from extract.systems import canonical_system
    from scraper.sites import packaged_sites

    def province(system: str) -> str | None:
        found = event_province(canonical_system(system), [], None)
        return found.named if found else None

    checked, disagree = 0, []
    for site in packaged_sites():
        url = (site.entry_points or (f"https://{site.hosts[0]}/",))[0]
        body = source_body(url)
        if site.system and body:
            checked += 1
            if province(site.system) != province(body):
                disagree.append((site.name, site.system, body))
    assert checked >= 50 and disagree == []


def serve_evening_site(local_server: Any) -> Site:
    from tests.conftest import Reply

    base = local_server.base
    url = base + "/tin-tuc/cum-thi-dua-so-4-ky-ket-1490000001.html"
    feed = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title>
<item><title>{TITLE}</title><link>{url}</link><pubDate>Tue, 14 Jan 2025 20:00:00 GMT</pubDate></item>
</channel></rss>""".encode()
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nAllow: /\n")
    local_server.routes["/rss.xml"] = lambda hit, n: Reply(200, feed, {"Content-Type": "application/rss+xml"})
    local_server.routes[urlsplit(url).path] = lambda hit, n: Reply(
        200, evening_page(url), {"Content-Type": "text/html; charset=utf-8"}
    )
    return Site("evening", (urlsplit(base).netloc,), (base + "/rss.xml",), delay=0.0)


def test_a_crawl_runs_from_python_and_reports_the_run(local_server: Any, tmp_path: Path) -> None:
    site = serve_evening_site(local_server)
    db_path = tmp_path / "t.db"
    report = app.crawl(db_path, [site], app.CrawlOptions(delay=0.0, timeout=5.0))
    assert report.status == "ok"
    assert (report.new_articles, report.relevant_articles, report.new_events) == (1, 1, 1)
    assert report.pages_fetched == 1 and report.requests >= 3  # robots, feed, article
    assert sum(report.errors.values()) == 0
    with sqlite3.connect(db_path) as conn:
        row = conn.execute("SELECT id, command, status FROM runs").fetchone()
    assert row == (report.run_id, "crawl", "ok")
    again = app.crawl(db_path, [site], app.CrawlOptions(delay=0.0, timeout=5.0))
    assert (again.new_articles, again.new_events, again.pages_fetched) == (0, 0, 0)


def test_an_evening_article_keeps_its_day_through_crawl_ingest_and_reextract(
    local_server: Any, tmp_path: Path
) -> None:
    # Crawl: the page's time is UTC, the frontier stores UTC.
    crawled = tmp_path / "crawled.db"
    app.crawl(crawled, [serve_evening_site(local_server)], app.CrawlOptions(delay=0.0, timeout=5.0))
    assert event_dates(crawled) == [("2025-01-15", "Sáng 15/1")]
    assert app.reextract(crawled, force=True).events == 1
    assert event_dates(crawled) == [("2025-01-15", "Sáng 15/1")]

    # Ingest: the same page saved to disk.
    page = tmp_path / "saved.html"
    page.write_bytes(evening_page("https://baothanhhoa.vn/cum-thi-dua-so-4-ky-ket-1490000001.html"))
    ingested = tmp_path / "ingested.db"
    report = app.ingest(ingested, [page])
    assert report.new_events == 1
    assert event_dates(ingested) == [("2025-01-15", "Sáng 15/1")]
    assert app.reextract(ingested, force=True).events == 1
    assert event_dates(ingested) == [("2025-01-15", "Sáng 15/1")]


def test_unknown_site_names_are_a_usage_error() -> None:
    sites = [Site("a", ("a.vn",), ("https://a.vn/rss",)), Site("b", ("b.vn",), ("https://b.vn/rss",))]
    assert [s.name for s in app.select_sites(sites, ["b"])] == ["b"]
    assert app.select_sites(sites, []) == sites
    with pytest.raises(app.UsageError, match="unknown site 'c'; known sites: a, b"):
        app.select_sites(sites, ["c"])


def serve_failing_site(local_server: Any) -> Site:
    """A site that answers (robots, feed) while its one article always fails with HTTP 500."""
    from tests.conftest import Reply

    base = local_server.base
    url = base + "/tin-tuc/cum-thi-dua-so-4-ky-ket-1490000002.html"
    feed = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin</title>
<item><title>{TITLE}</title><link>{url}</link></item></channel></rss>""".encode()
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nAllow: /\n")
    local_server.routes["/rss.xml"] = lambda hit, n: Reply(200, feed, {"Content-Type": "application/rss+xml"})
    local_server.routes[urlsplit(url).path] = lambda hit, n: Reply(500, b"broken")
    return Site("failing", (urlsplit(base).netloc,), (base + "/rss.xml",), delay=0.0)


def test_a_site_whose_every_article_failed_makes_the_run_partial(local_server: Any, tmp_path: Path) -> None:
    db_path = tmp_path / "t.db"
    site = serve_failing_site(local_server)
    report = app.crawl(db_path, [site], app.CrawlOptions(delay=0.0, timeout=5.0, retries=0))
    assert (report.status, report.failed_sites) == ("partial", ["failing"])
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("partial",)]


def test_a_partial_run_exits_3_with_one_line(local_server: Any, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from thidua.cli import cli

    site = serve_failing_site(local_server)
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        f"[[site]]\nname = 'failing'\nhosts = [{site.hosts[0]!r}]\nstart = [{site.start[0]!r}]\ndelay = 0\n",
        encoding="utf-8",
    )
    args = ["--quiet", "crawl", "--sites", str(sites_file), "--db", str(tmp_path / "t.db"), "--timeout", "5"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("thidua: error: run 1 completed, but failing failed")


def test_the_crawl_gate_is_the_extractors_test_of_a_cluster_mention(
    local_server: Any, tmp_path: Path
) -> None:
    """A report titled by its body type ("Khối ANND …"), which no search term names, is fetched."""
    from scraper.relevance import RelevanceGate
    from tests.conftest import Reply

    title = "Khối ANND Công an tỉnh tổng kết công tác năm 2025"
    other = "Giá lúa hôm nay tăng nhẹ"
    base = local_server.base
    urls = {t: f"{base}/tin-tuc/bai-{i}-14900000{i}.html" for i, t in enumerate((title, other))}
    items = "".join(f"<item><title>{t}</title><link>{u}</link></item>" for t, u in urls.items())
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{items}</channel></rss>'
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nAllow: /\n")
    rss = {"Content-Type": "application/rss+xml"}
    local_server.routes["/rss.xml"] = lambda hit, n: Reply(200, feed.encode(), rss)
    for t, u in urls.items():
        page = evening_page(u).replace(TITLE.encode(), t.encode())
        local_server.routes[urlsplit(u).path] = lambda hit, n, page=page: Reply(
            200, page, {"Content-Type": "text/html; charset=utf-8"}
        )
    assert not RelevanceGate().matches(title=title, url=urls[title])  # the search terms alone miss it
    site = Site("annd", (urlsplit(base).netloc,), (base + "/rss.xml",), delay=0.0)
    app.crawl(tmp_path / "t.db", [site], app.CrawlOptions(delay=0.0, timeout=5.0))
    fetched = [p for p in local_server.paths() if p.startswith("/tin-tuc/")]
    assert fetched == [urlsplit(urls[title]).path]


@pytest.mark.parametrize(
    ("names", "line"),
    [
        (["a"], "a"),
        (["a", "b", "c", "d", "e"], "a, b, c, d, e"),
        ([f"s{i}" for i in range(134)], "134 sites: s0, s1, s2, s3, s4 and 129 more"),
    ],
)
def test_a_failed_run_names_a_few_sites_and_counts_the_rest(names: list[str], line: str) -> None:
    from thidua.app import _some

    assert _some(names) == line
