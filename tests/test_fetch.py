"""The polite fetcher against a real local HTTP server: pace, retries, Retry-After, redirects, caps."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from scraper.crawl import DEFAULT_USER_AGENT
from scraper.fetch import Fetcher, FetchFailure, gunzip_capped, parse_retry_after
from tests.conftest import Hit, LocalServer, Reply


def fetcher(**kw: object) -> Fetcher:
    args: dict[str, object] = {"user_agent": DEFAULT_USER_AGENT, "timeout": 2.0, "default_delay": 0.0}
    args.update(kw)
    return Fetcher(**args)  # type: ignore[arg-type]


def ok(body: bytes = b"<html>ok</html>", **headers: str) -> Reply:
    return Reply(200, body, {"Content-Type": "text/html; charset=utf-8", **headers})


async def test_gap_between_requests_to_one_host_is_at_least_the_delay(local_server: LocalServer) -> None:
    local_server.routes["/a"] = lambda hit, n: ok()
    async with fetcher(default_delay=0.2) as f:
        for _ in range(4):
            await f.get(local_server.base + "/a")
    starts = [h.start for h in local_server.hits]
    assert len(starts) == 4
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(starts))


async def test_different_hosts_proceed_in_parallel(local_server: LocalServer) -> None:
    local_server.routes["/a"] = lambda hit, n: ok()
    port = local_server.base.rsplit(":", 1)[1]
    hosts = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    async with fetcher(default_delay=0.3) as f:

        async def three(base: str) -> None:
            for _ in range(3):
                await f.get(base + "/a")

        await asyncio.gather(*(three(h) for h in hosts))
    order = [h.headers["host"].split(":")[0] for h in local_server.hits]
    # Each host waits for its own pace only, so the two hosts interleave instead of queueing.
    assert order[:2] in (["127.0.0.1", "localhost"], ["localhost", "127.0.0.1"])
    assert sorted(order) == ["127.0.0.1"] * 3 + ["localhost"] * 3


async def test_honest_user_agent_with_contact_url(local_server: LocalServer) -> None:
    local_server.routes["/a"] = lambda hit, n: ok()
    async with fetcher() as f:
        await f.get(local_server.base + "/a")
    ua = local_server.hits[0].headers["user-agent"]
    assert ua == DEFAULT_USER_AGENT and "https://" in ua


async def test_500_then_200_is_retried(local_server: LocalServer) -> None:
    local_server.routes["/a"] = lambda hit, n: Reply(500, b"oops") if n == 0 else ok(b"fine")
    async with fetcher(default_delay=0.05) as f:
        response = await f.get(local_server.base + "/a")
    assert response.status == 200 and response.content == b"fine"
    assert local_server.paths() == ["/a", "/a"]


async def test_persistent_5xx_gives_up_after_the_retries(local_server: LocalServer) -> None:
    local_server.routes["/a"] = lambda hit, n: Reply(503, b"down")
    async with fetcher(retries=2, default_delay=0.01) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(local_server.base + "/a")
    assert info.value.kind == "http-5xx" and info.value.status == 503
    assert len(local_server.hits) == 3


@pytest.mark.parametrize("status", [404, 410, 403])
async def test_client_errors_are_not_retried(local_server: LocalServer, status: int) -> None:
    local_server.routes["/a"] = lambda hit, n: Reply(status, b"no")
    async with fetcher() as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(local_server.base + "/a")
    assert info.value.kind == f"http-{status}"
    assert len(local_server.hits) == 1


async def test_429_retry_after_seconds_is_honoured(local_server: LocalServer) -> None:
    local_server.routes["/a"] = lambda hit, n: (
        Reply(429, b"slow down", {"Retry-After": "1"}) if n == 0 else ok()
    )
    async with fetcher(default_delay=0.0) as f:
        response = await f.get(local_server.base + "/a")
    assert response.status == 200
    first, second = local_server.hits
    assert second.start - first.start >= 1.0


async def test_retry_after_beyond_the_cap_gives_up_for_this_run(local_server: LocalServer) -> None:
    local_server.routes["/a"] = lambda hit, n: Reply(429, b"", {"Retry-After": "3600"})
    async with fetcher() as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(local_server.base + "/a")
    assert info.value.kind == "http-429" and info.value.retry_after == 3600
    assert len(local_server.hits) == 1


def test_parse_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 3, 6, 12, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


async def test_redirects_are_followed_by_hand_up_to_five(local_server: LocalServer) -> None:
    for i in range(5):
        local_server.routes[f"/r{i}"] = lambda hit, n, i=i: Reply(301, b"", {"Location": f"/r{i + 1}"})
    local_server.routes["/r5"] = lambda hit, n: ok(b"end")
    async with fetcher() as f:
        response = await f.get(local_server.base + "/r0")
    assert response.url == local_server.base + "/r5" and response.content == b"end"


async def test_six_redirects_are_too_many(local_server: LocalServer) -> None:
    for i in range(7):
        local_server.routes[f"/r{i}"] = lambda hit, n, i=i: Reply(302, b"", {"Location": f"/r{i + 1}"})
    async with fetcher() as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(local_server.base + "/r0")
    assert info.value.kind == "redirect"
    assert len(local_server.hits) == 6


async def test_redirect_loop_is_detected(local_server: LocalServer) -> None:
    local_server.routes["/x"] = lambda hit, n: Reply(302, b"", {"Location": "/y"})
    local_server.routes["/y"] = lambda hit, n: Reply(302, b"", {"Location": "/x"})
    async with fetcher() as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(local_server.base + "/x")
    assert info.value.kind == "redirect" and "loop" in info.value.message
    assert local_server.paths() == ["/x", "/y"]


async def test_guard_sees_every_hop_and_can_refuse_it(local_server: LocalServer) -> None:
    local_server.routes["/go"] = lambda hit, n: Reply(302, b"", {"Location": "http://elsewhere.invalid/x"})
    seen: list[str] = []

    async def guard(url: str) -> None:
        seen.append(url)
        if "elsewhere" in url:
            raise FetchFailure(url, "offsite", "not ours")

    async with fetcher() as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(local_server.base + "/go", guard=guard)
    assert info.value.kind == "offsite"
    assert seen == [local_server.base + "/go", "http://elsewhere.invalid/x"]


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)"])
async def test_only_http_and_https(url: str) -> None:
    async with fetcher() as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(url)
    assert info.value.kind == "scheme"


async def test_oversized_streamed_body_stops_at_the_cap(local_server: LocalServer) -> None:
    local_server.routes["/big"] = lambda hit, n: Reply(200, b"x" * 300_000, chunks=30)
    local_server.routes["/big-declared"] = lambda hit, n: ok(b"x" * 300_000)
    async with fetcher(max_bytes=100_000) as f:
        for path in ("/big", "/big-declared"):
            with pytest.raises(FetchFailure) as info:
                await f.get(local_server.base + path)
            assert info.value.kind == "too-large"


async def test_gzip_bomb_is_stopped_without_ballooning(local_server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 64_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    local_server.routes["/bomb"] = lambda hit, n: Reply(200, bomb, {"Content-Encoding": "gzip"})
    async with fetcher(max_bytes=1_000_000) as f:
        tracemalloc.start()
        try:
            with pytest.raises(FetchFailure) as info:
                await f.get(local_server.base + "/bomb")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert info.value.kind == "too-large"
    assert peak < 20_000_000  # a few caps' worth, far from the 64 MB the bomb inflates to


async def test_gzip_content_encoding_is_decoded(local_server: LocalServer) -> None:
    body = "<p>Cụm thi đua</p>".encode()
    local_server.routes["/z"] = lambda hit, n: Reply(200, gzip.compress(body), {"Content-Encoding": "gzip"})
    async with fetcher() as f:
        response = await f.get(local_server.base + "/z")
    assert response.content == body


def test_gunzip_capped_refuses_a_gz_file_past_the_cap() -> None:
    data = gzip.compress(b"a" * 2_000_000)
    assert gunzip_capped(data, 3_000_000) == b"a" * 2_000_000
    with pytest.raises(FetchFailure) as info:
        gunzip_capped(data, 1_000_000)
    assert info.value.kind == "too-large"


async def test_slow_answer_past_the_timeout(local_server: LocalServer) -> None:
    local_server.routes["/slow"] = lambda hit, n: Reply(200, b"late", sleep=1.5)
    async with fetcher(timeout=0.3) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(local_server.base + "/slow")
    assert info.value.kind == "timeout"
    assert len(local_server.hits) == 1  # a slow page is not hammered again


async def test_connect_error_is_retried_then_reported() -> None:
    async with fetcher(retries=1) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get("http://127.0.0.1:9/closed")
    assert info.value.kind == "connect"


async def test_conditional_get_sends_validators_and_reads_304(local_server: LocalServer) -> None:
    def route(hit: Hit, n: int) -> Reply:
        if hit.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"")
        return ok(b"feed", ETag='"v1"', **{"Last-Modified": "Fri, 06 Mar 2026 03:00:00 GMT"})

    local_server.routes["/feed"] = route
    async with fetcher() as f:
        first = await f.get(local_server.base + "/feed")
        again = await f.get(
            local_server.base + "/feed",
            etag=first.headers["etag"],
            last_modified=first.headers["last-modified"],
        )
    assert first.status == 200 and again.status == 304 and again.content == b""
    assert local_server.hits[1].headers["if-modified-since"] == "Fri, 06 Mar 2026 03:00:00 GMT"
    assert "if-none-match" not in local_server.hits[0].headers
