"""robots.txt: rules, 404 = allow all, 5xx = back off, Crawl-delay, fetched once per host, kept across
runs and asked for conditionally."""

from __future__ import annotations

import httpx
import pytest

from scraper.crawl import DEFAULT_USER_AGENT
from scraper.fetch import Fetcher, FetchFailure
from scraper.frontier import MemoryFrontier
from scraper.robots import HostRules, Robots, parse_robots, robots_url
from tests.conftest import LocalServer, Reply

ROBOTS = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.4\n"


def test_robots_url_is_at_the_host_root() -> None:
    assert robots_url("https://NLD.com.vn/a/b.htm?x=1#y") == "https://nld.com.vn/robots.txt"
    assert robots_url("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/robots.txt"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/tin-tuc/a-1491907111", True), ("/private/x", False), ("/no-thidua/y", True)],
)
def test_parse_robots_for_the_star_group(path: str, allowed: bool) -> None:
    rules = parse_robots("User-agent: *\nDisallow: /private/\n", "h", DEFAULT_USER_AGENT)
    assert rules.allows("http://h" + path, DEFAULT_USER_AGENT) is allowed


def test_our_own_group_wins_over_the_star_group() -> None:
    text = "User-agent: *\nDisallow: /private/\n\nUser-agent: thidua\nDisallow: /no-thidua/\n"
    rules = parse_robots(text, "h", DEFAULT_USER_AGENT)
    assert not rules.allows("http://h/no-thidua/y", DEFAULT_USER_AGENT)
    assert rules.allows("http://h/private/x", DEFAULT_USER_AGENT)  # the most specific group alone applies


def test_crawl_delay_is_read_and_capped() -> None:
    assert parse_robots("User-agent: *\nCrawl-delay: 3\n", "h", DEFAULT_USER_AGENT).crawl_delay == 3.0
    assert parse_robots("User-agent: *\nCrawl-delay: 86400\n", "h", DEFAULT_USER_AGENT).crawl_delay == 60.0
    assert parse_robots("User-agent: *\nDisallow:\n", "h", DEFAULT_USER_AGENT).crawl_delay is None


async def test_rules_fetched_once_per_host_and_crawl_delay_raises_the_pace(local_server: LocalServer) -> None:
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(200, ROBOTS, {"Content-Type": "text/plain"})
    async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0) as f:
        robots = Robots(f, DEFAULT_USER_AGENT)
        await robots.check(local_server.base + "/ok")
        with pytest.raises(FetchFailure) as info:
            await robots.check(local_server.base + "/private/secret")
        assert info.value.kind == "robots"
        await robots.check(local_server.base + "/other")
        host = local_server.base.split("//")[1]
        assert f.delay_of(host) == 0.4
    assert local_server.paths() == ["/robots.txt"]


async def test_missing_robots_allows_everything(local_server: LocalServer) -> None:
    async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0) as f:
        robots = Robots(f, DEFAULT_USER_AGENT)
        await robots.check(local_server.base + "/private/anything")
        rules = await robots.rules(local_server.base + "/")
    assert rules.status == "allow-all"


async def test_server_error_on_robots_backs_off_the_host(local_server: LocalServer) -> None:
    local_server.routes["/robots.txt"] = lambda hit, n: Reply(503, b"busy")
    async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0, retries=1) as f:
        robots = Robots(f, DEFAULT_USER_AGENT)
        with pytest.raises(FetchFailure) as info:
            await robots.check(local_server.base + "/anything")
        with pytest.raises(FetchFailure):
            await robots.check(local_server.base + "/else")
    assert info.value.kind == "unreachable" and "backed off" in info.value.message
    assert local_server.paths() == ["/robots.txt", "/robots.txt"]  # one try + one retry, then no more


@pytest.mark.parametrize(
    ("location", "status", "asked"),
    [
        # Off the host (a link-local metadata address, another site): never asked, rules unusable.
        ("http://169.254.169.254/latest/meta-data", "allow-all", ["http://a.vn/robots.txt"]),
        ("http://10.0.0.7/robots.txt", "allow-all", ["http://a.vn/robots.txt"]),
        ("https://other.vn/robots.txt", "allow-all", ["http://a.vn/robots.txt"]),
        # The same site (scheme upgrade, www.): followed, its rules read.
        ("https://www.a.vn/robots.txt", "rules", ["http://a.vn/robots.txt", "https://www.a.vn/robots.txt"]),
    ],
)
async def test_a_redirecting_robots_txt_is_followed_only_on_its_own_host(
    location: str, status: str, asked: list[str]
) -> None:
    import httpx

    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "a.vn":
            return httpx.Response(301, headers={"Location": location})
        return httpx.Response(200, stream=httpx.ByteStream(b"User-agent: *\nDisallow: /private/\n"))

    transport = httpx.MockTransport(answer)
    async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0, transport=transport) as f:
        rules = await Robots(f, DEFAULT_USER_AGENT).rules("http://a.vn/tin-tuc/x")
    assert rules.status == status
    assert seen == asked


@pytest.mark.parametrize(
    ("rules_first", "private_allowed"),
    [(True, False), (False, True)],  # rules within the first 500 KiB count; rules after the cut do not
)
async def test_a_robots_txt_over_500_kib_is_parsed_up_to_the_cut(
    rules_first: bool, private_allowed: bool
) -> None:
    import httpx

    from scraper.robots import ROBOTS_MAX_BYTES

    rules = b"User-agent: *\nDisallow: /private/\n"
    filler = b"# " + b"x" * 98 + b"\n"
    padding = filler * (ROBOTS_MAX_BYTES // len(filler) + 100)  # 10 KB past the cap
    body = rules + padding if rules_first else b"User-agent: *\n" + padding + b"Disallow: /private/\n"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(body), headers={"Content-Length": str(len(body))})

    transport = httpx.MockTransport(answer)
    async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0, transport=transport) as f:
        rules_found = await Robots(f, DEFAULT_USER_AGENT).rules("http://a.vn/x")
    assert rules_found.status == "rules"
    assert rules_found.allows("http://a.vn/private/page", DEFAULT_USER_AGENT) is private_allowed


# Across runs: the robots.txt kept in the frontier is asked for conditionally on the next night.

NIGHT_1 = "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.4\nSitemap: http://a.vn/sitemap.xml\n"


class RobotsSite:
    """a.vn's robots.txt over ``httpx.MockTransport``: answers 304 to a matching validator, else
    ``status`` with ``body``; every request is logged."""

    def __init__(self, body: str, *, etag: str | None = '"v1"', last_modified: str | None = None) -> None:
        self.body = body
        self.etag = etag
        self.last_modified = last_modified
        self.status = 200
        self.seen: list[dict[str, str]] = []

    def answer(self, request: httpx.Request) -> httpx.Response:
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.seen.append(headers)
        if self.status != 200:
            return httpx.Response(self.status, stream=httpx.ByteStream(b"no"))
        validators = {"ETag": self.etag, "Last-Modified": self.last_modified}
        sent = {k: v for k, v in validators.items() if v}
        if (self.etag and headers.get("if-none-match") == self.etag) or (
            self.last_modified and headers.get("if-modified-since") == self.last_modified
        ):
            return httpx.Response(304, headers=sent)
        return httpx.Response(200, headers=sent, stream=httpx.ByteStream(self.body.encode()))

    def conditional(self, night: int = -1) -> dict[str, str]:
        """The validator headers of a logged request."""
        return {k: v for k, v in self.seen[night].items() if k in ("if-none-match", "if-modified-since")}


async def night(site: RobotsSite, store: MemoryFrontier, url: str = "http://a.vn/tin-tuc/x") -> HostRules:
    """One run's rules for a.vn, through a fresh Fetcher and Robots sharing ``store`` with other runs."""
    transport = httpx.MockTransport(site.answer)
    async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0, retries=0, transport=transport) as f:
        return await Robots(f, DEFAULT_USER_AGENT, store=store).rules(url)


def forbids_private(rules: HostRules) -> bool:
    return not rules.allows("http://a.vn/private/x", DEFAULT_USER_AGENT)


@pytest.mark.parametrize(
    ("etag", "last_modified", "asked"),
    [
        ('"v1"', None, {"if-none-match": '"v1"'}),
        (None, "Thu, 05 Mar 2026 01:00:00 GMT", {"if-modified-since": "Thu, 05 Mar 2026 01:00:00 GMT"}),
        (
            'W/"v1"',
            "Thu, 05 Mar 2026 01:00:00 GMT",
            {"if-none-match": 'W/"v1"', "if-modified-since": "Thu, 05 Mar 2026 01:00:00 GMT"},
        ),
    ],
)
async def test_night_2_asks_conditionally_and_a_304_applies_the_rules_of_night_1(
    etag: str | None, last_modified: str | None, asked: dict[str, str]
) -> None:
    site = RobotsSite(NIGHT_1, etag=etag, last_modified=last_modified)
    store = MemoryFrontier()
    first = await night(site, store)
    assert site.conditional() == {}  # nothing kept yet: a plain request
    assert store.robots_get("a.vn") is not None

    second = await night(site, store)
    assert site.conditional() == asked
    assert second.status == "rules" and forbids_private(second)
    assert second.crawl_delay == first.crawl_delay == 0.4
    assert second.sitemaps == first.sitemaps == ("http://a.vn/sitemap.xml",)


async def test_a_disallow_of_night_1_still_refuses_the_page_on_night_2() -> None:
    site = RobotsSite(NIGHT_1)
    store = MemoryFrontier()
    await night(site, store)
    transport = httpx.MockTransport(site.answer)
    async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0, transport=transport) as f:
        robots = Robots(f, DEFAULT_USER_AGENT, store=store)
        with pytest.raises(FetchFailure) as info:
            await robots.check("http://a.vn/private/bao-cao")
        await robots.check("http://a.vn/tin-tuc/cum-thi-dua-so-1")
        assert f.delay_of("a.vn") == 0.4  # the kept Crawl-delay paces the host as the download did
    assert info.value.kind == "robots"
    assert len(site.seen) == 2 and site.conditional() == {"if-none-match": '"v1"'}


async def test_a_changed_robots_txt_replaces_the_kept_one() -> None:
    site = RobotsSite(NIGHT_1)
    store = MemoryFrontier()
    await night(site, store)
    site.body, site.etag = "User-agent: *\nDisallow: /new/\n", '"v2"'

    second = await night(site, store)
    assert site.conditional() == {"if-none-match": '"v1"'}  # asked with the old validator, got a 200
    assert not forbids_private(second) and not second.allows("http://a.vn/new/x", DEFAULT_USER_AGENT)

    third = await night(site, store)  # the new file is what is kept and validated now
    assert site.conditional() == {"if-none-match": '"v2"'}
    assert not third.allows("http://a.vn/new/x", DEFAULT_USER_AGENT) and not forbids_private(third)


async def test_a_304_with_a_new_etag_keeps_the_new_one() -> None:
    site = RobotsSite(NIGHT_1)
    store = MemoryFrontier()
    await night(site, store)

    def renamed(request: httpx.Request) -> httpx.Response:
        site.seen.append({k.lower(): v for k, v in request.headers.items()})
        return httpx.Response(304, headers={"ETag": '"v1-gzip"'})

    transport = httpx.MockTransport(renamed)
    async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0, transport=transport) as f:
        rules = await Robots(f, DEFAULT_USER_AGENT, store=store).rules("http://a.vn/x")
    kept = store.robots_get("a.vn")
    assert forbids_private(rules)
    assert kept is not None and kept.etag == '"v1-gzip"' and kept.body == NIGHT_1


@pytest.mark.parametrize(
    ("status", "night_2", "night_3_asked"),
    [
        # The file is gone: everything allowed; nothing is kept to validate, so night 3 asks plainly
        # (and obeys the file the test site serves again).
        (404, "allow-all", {}),
        (410, "allow-all", {}),
        # The server fails: the host is backed off for the run; the kept copy waits, and night 3's
        # 304 brings the rules of night 1 back.
        (503, "blocked", {"if-none-match": '"v1"'}),
        (429, "blocked", {"if-none-match": '"v1"'}),
    ],
)
async def test_an_error_on_night_2_behaves_as_the_rfc_rules_say(
    status: int, night_2: str, night_3_asked: dict[str, str]
) -> None:
    site = RobotsSite(NIGHT_1)
    store = MemoryFrontier()
    await night(site, store)

    site.status = status
    second = await night(site, store)
    assert second.status == night_2
    assert site.conditional() == {"if-none-match": '"v1"'}

    site.status = 200
    third = await night(site, store)
    assert site.conditional() == night_3_asked
    assert third.status == "rules" and forbids_private(third)


async def test_after_a_404_no_old_copy_comes_back_on_a_misplaced_304() -> None:
    site = RobotsSite(NIGHT_1)
    store = MemoryFrontier()
    await night(site, store)
    site.status = 404
    await night(site, store)

    def stray(request: httpx.Request) -> httpx.Response:
        site.seen.append({k.lower(): v for k, v in request.headers.items()})
        return httpx.Response(304)  # a broken cache answering 304 to a plain request

    transport = httpx.MockTransport(stray)
    async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0, transport=transport) as f:
        rules = await Robots(f, DEFAULT_USER_AGENT, store=store).rules("http://a.vn/x")
    assert site.conditional() == {}
    assert not forbids_private(rules)  # the forgotten Disallow of night 1 does not return


async def test_a_robots_txt_over_500_kib_is_kept_cut_and_its_rules_hold_on_a_304() -> None:
    from scraper.robots import ROBOTS_MAX_BYTES

    filler = "# " + "x" * 98 + "\n"
    site = RobotsSite(
        "User-agent: *\nDisallow: /private/\n" + filler * (ROBOTS_MAX_BYTES // len(filler) + 50)
    )
    store = MemoryFrontier()
    await night(site, store)
    kept = store.robots_get("a.vn")
    assert kept is not None and len(kept.body.encode()) == ROBOTS_MAX_BYTES
    assert forbids_private(await night(site, store))
    assert site.conditional() == {"if-none-match": '"v1"'}


async def test_a_kept_copy_redirected_on_the_same_site_is_validated_where_it_answered() -> None:
    seen: list[tuple[str, str | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers.get("if-none-match")))
        if request.url.scheme == "http":
            return httpx.Response(301, headers={"Location": "https://a.vn/robots.txt"})
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, headers={"ETag": '"v1"'}, stream=httpx.ByteStream(NIGHT_1.encode()))

    store = MemoryFrontier()
    for _ in range(2):
        transport = httpx.MockTransport(answer)
        async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0, transport=transport) as f:
            rules = await Robots(f, DEFAULT_USER_AGENT, store=store).rules("http://a.vn/x")
        assert forbids_private(rules)
    kept = store.robots_get("a.vn")
    assert kept is not None and kept.url == "https://a.vn/robots.txt"
    assert seen[2:] == [("http://a.vn/robots.txt", '"v1"'), ("https://a.vn/robots.txt", '"v1"')]


async def test_without_a_store_each_run_downloads_robots_txt_again() -> None:
    site = RobotsSite(NIGHT_1)
    for _ in range(2):
        transport = httpx.MockTransport(site.answer)
        async with Fetcher(user_agent=DEFAULT_USER_AGENT, default_delay=0.0, transport=transport) as f:
            assert forbids_private(await Robots(f, DEFAULT_USER_AGENT).rules("http://a.vn/x"))
    assert [site.conditional(i) for i in range(2)] == [{}, {}]
