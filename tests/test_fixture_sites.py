"""The fixture web server itself: routes, placeholders, conditional GET, faults, the request log."""

from __future__ import annotations

import email.utils
import gzip
import http.client
import re
import socket
import tomllib
import unicodedata
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scraper.sites import parse_sites
from thidua.demo.routeserver import Reply, RouteServer, directory_responder
from thidua.demo.server import SITES_ROOT, FixtureError, FixtureSites, load_site, to_cp1258


@pytest.fixture(scope="module")
def sites() -> Iterator[FixtureSites]:
    with FixtureSites(slow_seconds=1.5) as running:
        yield running


@pytest.fixture(autouse=True)
def _fresh(sites: FixtureSites) -> None:
    sites.clear_log()
    sites.reset_faults()


def get(
    sites: FixtureSites,
    site: str,
    path: str,
    headers: Mapping[str, str] | None = None,
    *,
    host: str = "127.0.0.1",
    timeout: float = 10.0,
    method: str = "GET",
) -> tuple[int, dict[str, str], bytes]:
    """One raw request (no redirects followed, no decompression); returns status, headers, body."""
    conn = http.client.HTTPConnection(host, sites.port(site), timeout=timeout)
    try:
        conn.request(method, path, headers=dict(headers or {}))
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


def routes_of(site: str) -> list[dict[str, object]]:
    data = tomllib.loads((SITES_ROOT / site / "routes.toml").read_text(encoding="utf-8"))
    return list(data["route"])


def route_with(site: str, **match: object) -> dict[str, object]:
    for r in routes_of(site):
        if all(r.get(k) == v for k, v in match.items()):
            return r
    raise AssertionError(f"no route of {site} with {match}")


def test_every_site_is_served_on_its_own_port(sites: FixtureSites) -> None:
    assert {"vcc", "plain"} <= set(sites.sites)
    ports = {sites.port(s) for s in sites.sites}
    assert len(ports) == len(sites.sites)
    for site in sites.sites:
        assert sites.base_url(site) == f"http://127.0.0.1:{sites.port(site)}"
        status, headers, body = get(sites, site, "/robots.txt")
        assert status == 200
        assert headers["content-type"].startswith("text/plain")
        assert b"Disallow:" in body


@pytest.mark.parametrize("site", ["vcc", "plain"])
def test_200_routes_serve_their_file_with_placeholders_filled(sites: FixtureSites, site: str) -> None:
    for route in routes_of(site):
        if route.get("fault") or route.get("status", 200) != 200 or route.get("gzip"):
            continue
        status, headers, body = get(sites, site, str(route["path"]))
        assert status == 200, route["path"]
        assert headers["content-type"] == route["content_type"]
        if "charset" in route:
            continue
        text = body.decode("utf-8")
        assert "{base" not in text and "{host}" not in text, route["path"]
        if "{base}" in (SITES_ROOT / site / "files" / str(route["file"])).read_text(encoding="utf-8"):
            assert sites.base_url(site) in text, route["path"]


def test_unknown_path_is_404(sites: FixtureSites) -> None:
    status, _, _ = get(sites, "vcc", "/khong-co-trang-nay-196260101000000000.htm")
    assert status == 404


def test_declared_404_and_410(sites: FixtureSites) -> None:
    r404 = route_with("vcc", status=404)
    r410 = route_with("vcc", status=410)
    assert get(sites, "vcc", str(r404["path"]))[0] == 404
    assert get(sites, "vcc", str(r410["path"]))[0] == 410


def test_conditional_get_gives_304(sites: FixtureSites) -> None:
    status, headers, body = get(sites, "vcc", "/rss/thoi-su.rss")
    assert status == 200 and body
    etag, last_modified = headers["etag"], headers["last-modified"]
    status, headers2, body2 = get(sites, "vcc", "/rss/thoi-su.rss", {"If-None-Match": etag})
    assert (status, body2) == (304, b"")
    assert headers2["etag"] == etag
    assert get(sites, "vcc", "/rss/thoi-su.rss", {"If-Modified-Since": last_modified})[0] == 304
    hour_before = email.utils.parsedate_to_datetime(last_modified).timestamp() - 3600
    older = email.utils.formatdate(hour_before, usegmt=True)
    assert get(sites, "vcc", "/rss/thoi-su.rss", {"If-Modified-Since": older})[0] == 200
    assert get(sites, "vcc", "/rss/thoi-su.rss", {"If-None-Match": '"not-the-tag"'})[0] == 200


def test_etag_is_stable_and_differs_between_pages(sites: FixtureSites) -> None:
    a = get(sites, "vcc", "/rss/thoi-su.rss")[1]["etag"]
    b = get(sites, "vcc", "/rss/thoi-su.rss")[1]["etag"]
    c = get(sites, "vcc", "/thoi-su.htm")[1]["etag"]
    assert a == b != c


def test_gzip_content_encoding_only_when_accepted(sites: FixtureSites) -> None:
    _, plain_headers, plain_body = get(sites, "vcc", "/thoi-su.htm")
    assert "content-encoding" not in plain_headers
    _, headers, body = get(sites, "vcc", "/thoi-su.htm", {"Accept-Encoding": "gzip, deflate"})
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == plain_body
    assert len(body) < len(plain_body)


def test_gzipped_sitemap_is_a_gzip_file(sites: FixtureSites) -> None:
    route = route_with("vcc", gzip=True)
    status, headers, body = get(sites, "vcc", str(route["path"]), {"Accept-Encoding": "gzip"})
    assert status == 200 and "content-encoding" not in headers
    root = ET.fromstring(gzip.decompress(body))
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(str(loc).startswith(sites.base_url("vcc")) for loc in locs)


def test_malformed_sitemap_does_not_parse(sites: FixtureSites) -> None:
    status, _, body = get(sites, "vcc", "/sitemaps/sitemaps-2026-02.xml")
    assert status == 200
    with pytest.raises(ET.ParseError):
        ET.fromstring(body)
    index = ET.fromstring(get(sites, "vcc", "/sitemaps.xml")[2])
    locs = [str(e.text) for e in index.iter() if e.tag.endswith("loc")]
    assert any(loc.endswith("/sitemaps/sitemaps-2026-02.xml") for loc in locs)


def test_fail_once_500_then_200_and_reset(sites: FixtureSites) -> None:
    route = route_with("vcc", fault="fail-once-500")
    path = str(route["path"])
    assert get(sites, "vcc", path)[0] == 500
    assert get(sites, "vcc", path)[0] == 200
    assert get(sites, "vcc", path)[0] == 200
    sites.reset_faults()
    assert get(sites, "vcc", path)[0] == 500


def test_redirect_to_canonical_and_offsite(sites: FixtureSites) -> None:
    route = route_with("vcc", fault="redirect")
    status, headers, _ = get(sites, "vcc", str(route["path"]))
    assert status == 301
    assert headers["location"] == sites.base_url("vcc") + str(route["to"])
    route = route_with("vcc", fault="offsite-redirect")
    status, headers, _ = get(sites, "vcc", str(route["path"]))
    assert status == 302
    target = urlsplit(headers["location"])
    assert target.port == sites.port("plain") != sites.port("vcc")
    assert get(sites, "plain", target.path)[0] == 200


def test_oversize_page_is_over_5_mb_without_content_length(sites: FixtureSites) -> None:
    route = route_with("vcc", fault="oversize")
    status, headers, body = get(sites, "vcc", str(route["path"]))
    assert status == 200
    assert "content-length" not in headers
    assert len(body) > 5 * 1024 * 1024
    assert not list((SITES_ROOT / "vcc" / "files").glob("*oversize*"))


def test_windows_1258_page(sites: FixtureSites) -> None:
    route = next((r for r in routes_of("plain") if r.get("charset") == "windows-1258"), None)
    if route is None:
        pytest.skip("no windows-1258 page yet")
    status, headers, body = get(sites, "plain", str(route["path"]))
    assert status == 200
    assert headers["content-type"].endswith("charset=windows-1258")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert b"charset" not in body.lower()
    source = (SITES_ROOT / "plain" / "files" / str(route["file"])).read_text(encoding="utf-8")
    title = source.split("<h1>")[1].split("</h1>")[0]
    assert title in unicodedata.normalize("NFC", body.decode("cp1258"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cụm", b"Cu\xf2m"),
        ("thi đua", b"thi \xf0ua"),
        ("Ủy ban", b"U\xd2y ban"),
        ("Ưu", b"\xddu"),
        ("Lê Thị", b"L\xea Thi\xf2"),
    ],
)
def test_to_cp1258(text: str, expected: bytes) -> None:
    assert to_cp1258(text) == expected
    assert unicodedata.normalize("NFC", expected.decode("cp1258")) == text


def test_log_records_host_headers_time_and_status(sites: FixtureSites) -> None:
    get(sites, "vcc", "/robots.txt", {"User-Agent": "thidua-test/1.0"})
    get(sites, "vcc", "/khong-co.htm", host="localhost")
    log = sites.log
    assert [r.path for r in log] == ["/robots.txt", "/khong-co.htm"]
    first, second = log
    assert first.site == "vcc" and first.method == "GET" and first.status == 200
    assert first.host == f"127.0.0.1:{sites.port('vcc')}"
    assert second.host == f"localhost:{sites.port('vcc')}" and second.status == 404
    assert first.headers["user-agent"] == "thidua-test/1.0"
    assert first.time <= second.time
    sites.clear_log()
    assert sites.log == []


def test_sites_toml_configures_only_the_configured_sites(sites: FixtureSites) -> None:
    parsed = parse_sites(tomllib.loads(sites.sites_toml(delay=0.25))["site"])
    names = {s.name for s in parsed}
    assert "vcc" in names and "plain" not in names
    vcc = next(s for s in parsed if s.name == "vcc")
    assert vcc.delay == 0.25
    assert vcc.hosts[0] == f"127.0.0.1:{sites.port('vcc')}"
    assert vcc.selectors["title"] == "h1.detail-title"
    for url in vcc.start:
        assert vcc.owns(url)
        assert get(sites, "vcc", urlsplit(url).path)[0] == 200
    thanhuy = next(s for s in parsed if s.name == "thanhuy")
    assert set(thanhuy.hosts) == {f"127.0.0.1:{sites.port('thanhuy')}", f"localhost:{sites.port('thanhuy')}"}
    assert thanhuy.article_url is not None
    for url in sites.expected()["articles"]:
        if url.startswith(sites.base_url("thanhuy")):
            assert re.search(thanhuy.article_url, url), url


def test_expected_articles_are_served(sites: FixtureSites) -> None:
    expected = sites.expected()
    assert expected["articles"]
    for url, article in expected["articles"].items():
        parts = urlsplit(url)
        assert parts.port == sites.port(article["site"])
        route = route_with(article["site"], path=parts.path)
        if route.get("charset") or route.get("fault") == "nfd":
            continue
        status, _, body = get(sites, article["site"], parts.path)
        if route.get("fault") == "fail-once-500":
            status, _, body = get(sites, article["site"], parts.path)
        assert status == 200, url
        text = body.decode("utf-8")
        assert article["title"] in text
        for needle in article["body_contains"]:
            assert needle in text, (url, needle)
        assert article["relevant"] == bool(article["events"])


def test_never_fetch_urls_are_disallowed_or_offsite_targets(sites: FixtureSites) -> None:
    expected = sites.expected()
    offsite_targets = set(expected["offsite_redirects"].values())
    assert expected["never_fetch"] and offsite_targets
    for entry in expected["never_fetch"]:
        url = entry["url"]
        assert entry["why"]
        if url in offsite_targets:
            continue
        parts = urlsplit(url)
        site = next(s for s in sites.sites if sites.port(s) == parts.port)
        robots = get(sites, site, "/robots.txt")[2].decode()
        prefixes = [p for p in expected["disallowed_paths"][site] if parts.path.startswith(p)]
        assert prefixes and all(f"Disallow: {p}" in robots for p in prefixes), url
        linked = any(
            parts.path in get(sites, site, str(r["path"]))[2].decode()
            for r in routes_of(site)
            if "nhom-tin" in str(r["path"]) or "timelinelist" in str(r["path"]) or "thoi-su" in str(r["path"])
            if not r.get("fault")
        )
        assert linked, url


def test_duplicates_serve_the_text_of_their_canonical_article(sites: FixtureSites) -> None:
    expected = sites.expected()
    assert len(expected["duplicates"]) >= 3
    for other, canonical in expected["duplicates"].items():
        assert canonical in expected["articles"]
        one, two = urlsplit(other), urlsplit(canonical)
        site = next(s for s in sites.sites if sites.port(s) == one.port)
        path = one.path + (f"?{one.query}" if one.query else "")
        status, _, body = get(sites, site, path, host=str(one.hostname))
        assert status == 200
        assert body == get(sites, site, two.path)[2]
        assert f'rel="canonical" href="{canonical}"' in body.decode()


def test_faulty_urls_answer_as_declared(sites: FixtureSites) -> None:
    expected = sites.expected()
    codes = {
        "404": {404},
        "410": {410},
        "fail-once-500": {500},
        "retry-after-429": {429},
        "redirect": {301},
        "redirect-loop": {302},
        "offsite-redirect": {302},
    }
    for url, kind in expected["faults"].items():
        if kind not in codes:
            continue
        parts = urlsplit(url)
        site = next(s for s in sites.sites if sites.port(s) == parts.port)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        assert get(sites, site, path, host=str(parts.hostname))[0] in codes[kind], url
    for source, target in expected["offsite_redirects"].items():
        parts = urlsplit(source)
        status, headers, _ = get(sites, "vcc", parts.path)
        assert status == 302 and headers["location"] == target


def test_custom_root_fills_host_and_second_host_placeholders(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name / "files").mkdir(parents=True)
    (tmp_path / "one" / "files" / "p.html").write_text(
        "<a href='{base:two@localhost}/x'>{host}</a> {base} {}", encoding="utf-8"
    )
    (tmp_path / "one" / "routes.toml").write_text(
        '[site]\nconfigured = false\n[[route]]\npath = "/p"\nfile = "p.html"\n'
        'headers = { Link = "<{base}/p>; rel=canonical" }\n',
        encoding="utf-8",
    )
    (tmp_path / "two" / "routes.toml").write_text("[site]\nstart = []\n", encoding="utf-8")
    with FixtureSites(tmp_path) as custom:
        status, headers, body = get(custom, "one", "/p", host="localhost")
        one, two = custom.port("one"), custom.port("two")
        assert status == 200
        assert (
            body.decode()
            == f"<a href='http://localhost:{two}/x'>localhost:{one}</a> http://127.0.0.1:{one} {{}}"
        )
        assert headers["link"] == f"<http://127.0.0.1:{one}/p>; rel=canonical"
        assert get(custom, "one", "/p", method="HEAD")[2] == b""
        assert get(custom, "two", "/p")[0] == 404
        assert "[[site]]" in custom.sites_toml() and '"one"' not in custom.sites_toml()


def test_load_site_rejects_an_unknown_fault(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    bad = '[[route]]\npath = "/"\nfault = "explode"\n'
    (tmp_path / "bad" / "routes.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(Exception, match="unknown fault 'explode'"):
        load_site(tmp_path / "bad")


def test_servers_stop_cleanly(tmp_path: Path) -> None:
    running = FixtureSites()
    with running:
        port = running.port("vcc")
        assert get(running, "vcc", "/robots.txt")[0] == 200
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_gzip_bomb_inflates_past_50_mb(sites: FixtureSites) -> None:
    route = next((r for s in sites.sites for r in routes_of(s) if r.get("fault") == "gzip-bomb"), None)
    if route is None:
        pytest.skip("no gzip bomb yet")
    site = next(s for s in sites.sites if route in routes_of(s))
    status, headers, body = get(sites, site, str(route["path"]))
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert len(body) < 1024 * 1024
    inflater = zlib.decompressobj(wbits=31)
    total = 0
    chunk = inflater.decompress(body, 1024 * 1024)
    while chunk:
        total += len(chunk)
        chunk = inflater.decompress(inflater.unconsumed_tail, 1024 * 1024)
    assert total > 50 * 1024 * 1024


def test_thanhuy_serves_the_same_pages_on_both_hosts(sites: FixtureSites) -> None:
    assert sites.base_url("thanhuy", host="localhost") == f"http://localhost:{sites.port('thanhuy')}"
    for route in routes_of("thanhuy"):
        if route.get("fault") or not str(route["path"]).startswith("/tin-tuc/"):
            continue
        one = get(sites, "thanhuy", str(route["path"]))
        two = get(sites, "thanhuy", str(route["path"]), host="localhost")
        assert one[0] == two[0] == 200
        assert one[2] == two[2]
        assert one[1]["etag"] == two[1]["etag"]
    hosts = {r.host.split(":")[0] for r in sites.log}
    assert hosts == {"127.0.0.1", "localhost"}


def test_thanhuy_listing_links_the_duplicate_by_tracking_params_and_second_host(sites: FixtureSites) -> None:
    page1 = get(sites, "thanhuy", "/nhom-tin/thi-dua-khen-thuong-1197606001")[2].decode()
    assert "?utm_source=" in page1
    get(sites, "thanhuy", "/nhom-tin/thi-dua-khen-thuong-1197606001?page=2")  # the 429
    page2 = get(sites, "thanhuy", "/nhom-tin/thi-dua-khen-thuong-1197606001?page=2")[2].decode()
    assert sites.base_url("thanhuy", host="localhost") + "/tin-tuc/" in page2
    tracked = "/tin-tuc/cum-thi-dua-5-ban-dan-van-thanh-uy-ky-ket-giao-uoc-thi-dua-nam-2023-1451870236"
    plain = get(sites, "thanhuy", tracked)[2]
    assert get(sites, "thanhuy", tracked + "?utm_source=facebook&fbclid=x")[2] == plain


def test_listing_page_past_the_end_is_404(sites: FixtureSites) -> None:
    assert get(sites, "thanhuy", "/nhom-tin/thi-dua-khen-thuong-1197606001?page=3")[0] == 404


def test_429_with_retry_after_then_200(sites: FixtureSites) -> None:
    route = route_with("thanhuy", fault="retry-after-429")
    status, headers, _ = get(sites, "thanhuy", str(route["path"]))
    assert status == 429 and headers["retry-after"] == "1"
    assert get(sites, "thanhuy", str(route["path"]))[0] == 200


def test_thanhuy_robots_has_crawl_delay_and_disallow(sites: FixtureSites) -> None:
    body = get(sites, "thanhuy", "/robots.txt")[2].decode()
    assert "Crawl-delay: 0.3" in body
    expected = sites.expected()
    for prefix in expected["disallowed_paths"]["thanhuy"]:
        assert f"Disallow: {prefix}" in body
    page1 = get(sites, "thanhuy", "/nhom-tin/thi-dua-khen-thuong-1197606001")[2].decode()
    never = [
        urlsplit(e["url"]).path
        for e in expected["never_fetch"]
        if e["url"].startswith(sites.base_url("thanhuy"))
    ]
    assert never and all(path in page1 for path in never)


def test_slow_route_outlasts_a_short_timeout(sites: FixtureSites) -> None:
    route = route_with("thanhuy", fault="slow")
    with pytest.raises(TimeoutError):
        get(sites, "thanhuy", str(route["path"]), timeout=0.2)
    assert sites.slow_seconds > 0.2


def test_redirect_loop(sites: FixtureSites) -> None:
    route = route_with("thanhuy", fault="redirect-loop")
    path = str(route["path"])
    seen = []
    for _ in range(4):
        status, headers, _ = get(sites, "thanhuy", path)
        assert status == 302
        seen.append(path)
        path = urlsplit(headers["location"]).path
    assert seen[0] == seen[2] != seen[1] == seen[3]


def test_nfd_page_is_decomposed(sites: FixtureSites) -> None:
    route = route_with("plain", fault="nfd")
    status, _, body = get(sites, "plain", str(route["path"]))
    assert status == 200
    text = body.decode("utf-8")
    assert unicodedata.normalize("NFC", text) != text
    assert unicodedata.normalize("NFD", text) == text
    assert "Mùa cà phê" in unicodedata.normalize("NFC", text)


def test_every_expected_event_has_the_contract_fields(sites: FixtureSites) -> None:
    fields = {
        "activities",
        "unit_kind",
        "cluster_number",
        "cluster_label",
        "system",
        "event_date",
        "date_text",
        "covenant_year",
        "location",
        "members",
        "officials",
    }
    articles = sites.expected()["articles"]
    relevant = [a for a in articles.values() if a["relevant"]]
    assert len(relevant) >= 10
    assert {a["site"] for a in relevant} == {"vcc", "thanhuy", "plain"}
    for article in relevant:
        for event in article["events"]:
            assert set(event) == fields
            assert set(event["activities"]) <= {"signing", "review", "launch", "other"}
            assert event["unit_kind"] in ("cụm", "khối")
            for m in event["members"]:
                assert m["role"] in (None, "cụm trưởng", "cụm phó", "khối trưởng", "khối phó")


def test_a_missing_sites_directory_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="missing"):
        FixtureSites(tmp_path / "not-there")


def raw(port: int, path: str, headers: Mapping[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=dict(headers or {}))
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_directory_responder_serves_files_with_validators_and_nothing_outside(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "a.htm").write_text("<p>một</p>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    with RouteServer(directory_responder(root), name="dir") as server:
        status, headers, body = raw(server.port, "/a.htm?x=1")
        assert (status, body) == (200, "<p>một</p>".encode())
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert raw(server.port, "/a.htm", {"If-None-Match": headers["etag"]})[:3:2] == (304, b"")
        (root / "a.htm").write_text("<p>hai</p>", encoding="utf-8")  # a rewritten file is seen at once
        assert raw(server.port, "/a.htm", {"If-None-Match": headers["etag"]})[0] == 200
        assert raw(server.port, "/../secret.txt")[0] == 404
        assert raw(server.port, "/%2e%2e/secret.txt")[0] == 404
        assert server.paths() == ["/a.htm?x=1", "/a.htm", "/a.htm", "/../secret.txt", "/%2e%2e/secret.txt"]
        assert [r.status for r in server.log] == [200, 304, 200, 404, 404]


def test_route_server_routes_get_the_previous_hit_count_and_stream_without_length() -> None:
    with RouteServer() as server:
        server.routes["/n"] = lambda req, n: Reply(200, str(n).encode())
        server.routes["/big"] = lambda req, n: Reply(200, b"x" * 200_000, stream=True)
        assert [raw(server.port, "/n")[2] for _ in range(3)] == [b"0", b"1", b"2"]
        status, headers, body = raw(server.port, "/big")
        assert status == 200 and "content-length" not in headers and len(body) == 200_000
        assert raw(server.port, "/nope")[0] == 404
        server.clear_log()
        assert raw(server.port, "/n")[2] == b"0"
