"""robots.txt: rules, 404 = allow all, 5xx = back off, Crawl-delay, fetched once per host."""

from __future__ import annotations

import pytest

from scraper.crawl import DEFAULT_USER_AGENT
from scraper.fetch import Fetcher, FetchFailure
from scraper.robots import Robots, parse_robots, robots_url
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
