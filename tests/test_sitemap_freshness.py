"""Child sitemaps stay fresh: a sitemap index that answers 304 does not hide a child that grew, and a
child the index dates as before costs no request (127.0.0.1 server, SQLite frontier)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from scraper.crawl import CrawlOptions
from scraper.sites import Site
from thidua import app
from thidua.demo.routeserver import Reply, not_modified

OPTIONS = CrawlOptions(delay=0.0, timeout=3.0, retries=0)


def article_page(title: str) -> bytes:
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2026-03-05T09:00:00+07:00"></head><body>
<article><h1>{title}</h1><p>Sáng 5/3, {title} tổ chức hội nghị ký kết giao ước thi đua năm 2026.</p>
<p>Các đơn vị trong cụm thống nhất nhiều chỉ tiêu thi đua trọng tâm, chú trọng chuyển đổi số.</p>
</article></body></html>""".encode()


def urlset(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{items}</urlset>"
    ).encode()


def index(base: str, children: dict[str, str | None]) -> bytes:
    items = "".join(
        f"<sitemap><loc>{base}{p}</loc>{f'<lastmod>{m}</lastmod>' if m else ''}</sitemap>"
        for p, m in children.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    ).encode()


class Pages:
    """Bodies by path, served with an ETag of their bytes (conditional GETs answered 304)."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.bodies: dict[str, bytes] = {}
        server.routes["/robots.txt"] = lambda hit, n: Reply(200, b"User-agent: *\nAllow: /\n")

    def put(self, path: str, body: bytes, ctype: str = "application/xml") -> None:
        self.bodies[path] = body

        def answer(hit: Any, n: int, path: str = path, ctype: str = ctype) -> Reply:
            data = self.bodies[path]
            etag = '"' + hashlib.sha1(data).hexdigest() + '"'
            if not_modified(hit.headers, etag, 0):
                return Reply(304, b"", {"ETag": etag})
            return Reply(200, data, {"Content-Type": ctype, "ETag": etag})

        self.server.routes[path] = answer

    def article(self, path: str, title: str) -> None:
        self.put(path, article_page(title), "text/html; charset=utf-8")


def site(base: str) -> Site:
    return Site(name="tinh", hosts=("127.0.0.1",), start=(f"{base}/sitemap.xml",), delay=0.0)


def night(db: Path, server: Any, base: str) -> tuple[app.RunReport, list[Any]]:
    server.hits.clear()
    report = app.crawl(db, [site(base)], OPTIONS)
    return report, list(server.hits)


def requested(hits: list[Any], path: str) -> list[Any]:
    return [h for h in hits if h.path == path]


def test_a_child_that_grew_under_an_index_answering_304_is_read(local_server: Any, tmp_path: Path) -> None:
    base = local_server.base
    pages = Pages(local_server)
    # A static index file: no lastmod, and its validators never change.
    pages.put("/sitemap.xml", index(base, {"/sitemap-2026-02.xml": None, "/sitemap-2026-03.xml": None}))
    pages.put("/sitemap-2026-02.xml", urlset(base, ["/cum-thi-dua-so-1-ky-ket.html"]))
    pages.put("/sitemap-2026-03.xml", urlset(base, ["/cum-thi-dua-so-2-tong-ket.html"]))
    pages.article("/cum-thi-dua-so-1-ky-ket.html", "Cụm thi đua số 1 ký kết giao ước")
    pages.article("/cum-thi-dua-so-2-tong-ket.html", "Cụm thi đua số 2 tổng kết")
    pages.article("/cum-thi-dua-so-3-so-ket.html", "Cụm thi đua số 3 sơ kết")
    db = tmp_path / "t.db"

    first, _ = night(db, local_server, base)
    assert first.new_articles == 2

    # Night 2: the March sitemap lists a new article; the index and February did not change.
    pages.put(
        "/sitemap-2026-03.xml",
        urlset(base, ["/cum-thi-dua-so-2-tong-ket.html", "/cum-thi-dua-so-3-so-ket.html"]),
    )
    second, hits = night(db, local_server, base)

    assert [h.status for h in requested(hits, "/sitemap.xml")] == [304]
    assert second.new_articles == 1
    assert [h.status for h in requested(hits, "/cum-thi-dua-so-3-so-ket.html")] == [200]
    february = requested(hits, "/sitemap-2026-02.xml")
    assert [h.status for h in february] == [304]  # unchanged: a conditional request only
    assert "if-none-match" in february[0].headers
    # Known articles are not fetched again.
    assert requested(hits, "/cum-thi-dua-so-1-ky-ket.html") == []
    assert requested(hits, "/cum-thi-dua-so-2-tong-ket.html") == []


@pytest.mark.parametrize(
    ("march_lastmod_night_2", "march_read"),
    [("2026-03-05T08:00:00+07:00", [200]), ("2026-03-04T08:00:00+07:00", [])],
)
def test_a_dated_child_is_read_only_when_its_index_dates_it_anew(
    local_server: Any, tmp_path: Path, march_lastmod_night_2: str, march_read: list[int]
) -> None:
    base = local_server.base
    pages = Pages(local_server)
    february = "2026-02-28T23:00:00+07:00"
    pages.put(
        "/sitemap.xml",
        index(base, {"/sitemap-2026-02.xml": february, "/sitemap-2026-03.xml": "2026-03-04T08:00:00+07:00"}),
    )
    pages.put("/sitemap-2026-02.xml", urlset(base, ["/cum-thi-dua-so-1-ky-ket.html"]))
    pages.put("/sitemap-2026-03.xml", urlset(base, ["/cum-thi-dua-so-2-tong-ket.html"]))
    pages.article("/cum-thi-dua-so-1-ky-ket.html", "Cụm thi đua số 1 ký kết giao ước")
    pages.article("/cum-thi-dua-so-2-tong-ket.html", "Cụm thi đua số 2 tổng kết")
    pages.article("/cum-thi-dua-so-3-so-ket.html", "Cụm thi đua số 3 sơ kết")
    db = tmp_path / "t.db"
    night(db, local_server, base)

    # Night 2: March grew; February keeps its lastmod.
    pages.put(
        "/sitemap-2026-03.xml",
        urlset(base, ["/cum-thi-dua-so-2-tong-ket.html", "/cum-thi-dua-so-3-so-ket.html"]),
    )
    pages.put(  # regenerated (new bytes, so 200), whether or not March got a new lastmod
        "/sitemap.xml",
        index(base, {"/sitemap-2026-02.xml": february, "/sitemap-2026-03.xml": march_lastmod_night_2})
        + b"<!-- night 2 -->",
    )
    second, hits = night(db, local_server, base)

    assert [h.status for h in requested(hits, "/sitemap.xml")] == [200]
    assert requested(hits, "/sitemap-2026-02.xml") == []  # dated as before: no request at all
    assert [h.status for h in requested(hits, "/sitemap-2026-03.xml")] == march_read
    assert second.new_articles == len(march_read)
