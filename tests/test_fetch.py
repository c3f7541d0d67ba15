"""The polite fetcher: pace, retries, Retry-After, redirects, caps, timeouts.

The unit tests run on ``httpx.MockTransport`` with a virtual clock (tests/mock_http.py): the pace and
the backoff are asserted on virtual time, so a loaded machine cannot make them flake and nothing
waits for real. A few end-to-end tests at the bottom use a real socket on 127.0.0.1, with margins
that only ever grow on a slow machine (lower bounds on gaps, a server far slower than the timeout).
"""

from __future__ import annotations

import asyncio
import gzip
import itertools
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from scraper.crawl import DEFAULT_USER_AGENT
from scraper.fetch import Fetcher, FetchFailure, gunzip_capped, parse_retry_after
from tests.conftest import LocalServer, Reply
from tests.mock_http import (
    MockWeb,
    Streamed,
    failing,
    never_answers,
    redirect,
    reply,
    sequence,
)

A = "http://a.test"
B = "http://b.test"
EPSILON = 1e-6  # float rounding of virtual time; the real-socket tests use a wider one


def fetcher(web: MockWeb, **kw: object) -> Fetcher:
    """A fetcher on ``web``'s transport and virtual clock (no delay unless the test sets one)."""
    args: dict[str, object] = {"user_agent": DEFAULT_USER_AGENT, "timeout": 10.0, "default_delay": 0.0}
    args.update(kw)
    return Fetcher(transport=web.transport(), clock=web.clock, sleep=web.clock.sleep, **args)  # type: ignore[arg-type]


# -- pace -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("delay", [0.25, 1.0, 7.5])
async def test_gap_between_requests_to_one_host_is_at_least_the_delay(delay: float) -> None:
    web = MockWeb()
    web.routes[A + "/a"] = reply("ok")
    async with fetcher(web, default_delay=delay) as f:
        for _ in range(4):
            await f.get(A + "/a")
    times = web.times("a.test")
    assert len(times) == 4
    assert all(b - a >= delay - EPSILON for a, b in itertools.pairwise(times))
    assert web.clock.sleeps == pytest.approx([delay] * 3)  # it waited, and only through the clock


async def test_set_and_raised_delay_pace_one_host_only() -> None:
    web = MockWeb()
    web.routes[A + "/a"] = reply("ok")
    web.routes[B + "/b"] = reply("ok")
    async with fetcher(web, default_delay=0.5) as f:
        f.set_delay("a.test", 2.0)
        f.raise_delay("a.test", 1.0)  # a lower Crawl-delay does not lower the pace
        f.raise_delay("b.test", 3.0)
        assert (f.delay_of("a.test"), f.delay_of("b.test"), f.delay_of("c.test")) == (2.0, 3.0, 0.5)
        for _ in range(2):
            await f.get(A + "/a")
            await f.get(B + "/b")
    for host, pace in (("a.test", 2.0), ("b.test", 3.0)):
        first, second = web.times(host)
        assert second - first >= pace - EPSILON


async def test_different_hosts_proceed_in_parallel() -> None:
    web = MockWeb()
    web.routes[A + "/a"] = reply("ok")
    web.routes[B + "/a"] = reply("ok")
    start = web.clock()
    async with fetcher(web, default_delay=1.0) as f:

        async def three(base: str) -> None:
            for _ in range(3):
                await f.get(base + "/a")

        await asyncio.gather(three(A), three(B))
    order = [s.host for s in web.seen]
    # Each host waits for its own pace only: the hosts interleave, and six requests take two delays.
    assert order[:2] in (["a.test", "b.test"], ["b.test", "a.test"])
    assert sorted(order) == ["a.test"] * 3 + ["b.test"] * 3
    assert web.clock() - start == pytest.approx(2.0)


async def test_honest_user_agent_with_contact_url() -> None:
    web = MockWeb()
    web.routes[A + "/a"] = reply("ok")
    async with fetcher(web) as f:
        await f.get(A + "/a")
    ua = web.seen[0].request.headers["user-agent"]
    assert ua == DEFAULT_USER_AGENT and "https://" in ua


# -- retries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 429])
async def test_an_error_then_200_is_retried_after_a_backoff(status: int) -> None:
    web = MockWeb()
    web.routes[A + "/a"] = sequence(reply("oops", status), reply("fine"))
    async with fetcher(web, default_delay=0.5) as f:
        response = await f.get(A + "/a")
    assert response.status == 200 and response.content == b"fine"
    assert web.targets() == ["/a", "/a"]
    # Backoff: the host's pace doubled per attempt (0.5 s first), plus up to one pace of jitter.
    [wait] = web.clock.sleeps
    assert 0.5 <= wait <= 1.0
    first, second = web.times("a.test")
    assert second - first >= 0.5 - EPSILON


@pytest.mark.parametrize(("retries", "status"), [(0, 503), (2, 503), (3, 500)])
async def test_persistent_5xx_gives_up_after_the_retries(retries: int, status: int) -> None:
    web = MockWeb()
    web.routes[A + "/a"] = reply("down", status)
    async with fetcher(web, retries=retries, default_delay=1.0) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/a")
    assert info.value.kind == "http-5xx" and info.value.status == status
    assert len(web.seen) == retries + 1
    # Exponential: attempt k waits 2^(k-1) paces plus at most one pace of jitter.
    assert len(web.clock.sleeps) == retries
    for k, wait in enumerate(web.clock.sleeps, start=1):
        assert 2 ** (k - 1) <= wait <= 2 ** (k - 1) + 1.0


@pytest.mark.parametrize("status", [404, 410, 403, 400])
async def test_client_errors_are_not_retried(status: int) -> None:
    web = MockWeb()
    web.routes[A + "/a"] = reply("no", status)
    async with fetcher(web) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/a")
    assert info.value.kind == f"http-{status}" and info.value.status == status
    assert len(web.seen) == 1 and web.clock.sleeps == []


@pytest.mark.parametrize(("status", "after"), [(429, "1"), (429, "45"), (503, "7")])
async def test_retry_after_seconds_is_honoured(status: int, after: str) -> None:
    web = MockWeb()
    web.routes[A + "/a"] = sequence(reply("slow down", status, Retry_After=after), reply("ok"))
    async with fetcher(web, default_delay=0.0) as f:
        response = await f.get(A + "/a")
    assert response.status == 200
    assert web.clock.sleeps == [float(after)]
    first, second = web.times("a.test")
    assert second - first >= float(after) - EPSILON


async def test_retry_after_as_an_http_date_is_honoured() -> None:
    web = MockWeb()
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=50), usegmt=True)
    web.routes[A + "/a"] = sequence(reply("", 429, Retry_After=when), reply("ok"))
    async with fetcher(web) as f:
        await f.get(A + "/a")
    [wait] = web.clock.sleeps
    # The date has a one-second grain, and a stalled test run only shortens the wait: a wide floor.
    assert 20 <= wait <= 50


async def test_retry_after_beyond_the_cap_gives_up_for_this_run() -> None:
    web = MockWeb()
    web.routes[A + "/a"] = reply("", 429, Retry_After="3600")
    async with fetcher(web) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/a")
    assert info.value.kind == "http-429" and info.value.retry_after == 3600
    assert len(web.seen) == 1 and web.clock.sleeps == []


def test_parse_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 3, 6, 12, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# -- network failures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "kind", "retried"),
    [
        (httpx.ReadTimeout, "timeout", False),  # a slow page is not hammered again
        (httpx.WriteTimeout, "timeout", False),
        (httpx.PoolTimeout, "timeout", False),
        (httpx.ConnectTimeout, "connect", True),
        (httpx.ConnectError, "connect", True),
        (httpx.RemoteProtocolError, "network", True),  # a dropped keep-alive connection
        (httpx.ReadError, "network", True),
    ],
)
async def test_network_failures_have_a_kind_and_some_are_retried(
    error: type[httpx.TransportError], kind: str, retried: bool
) -> None:
    web = MockWeb()
    web.routes[A + "/a"] = failing(error)
    async with fetcher(web, retries=2, default_delay=0.5) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/a")
    assert info.value.kind == kind
    assert len(web.seen) == (3 if retried else 1)


async def test_a_connect_error_then_200_is_retried() -> None:
    web = MockWeb()
    web.routes[A + "/a"] = sequence(failing(httpx.ConnectError), reply("back"))
    async with fetcher(web, retries=1) as f:
        response = await f.get(A + "/a")
    assert response.content == b"back" and len(web.seen) == 2


async def test_a_server_that_never_answers_hits_the_overall_deadline() -> None:
    # The transport's own timeouts are not in play here: the fetcher's deadline (3 × timeout) is.
    # The handler never returns, so the only possible outcome is the deadline; no race to lose.
    web = MockWeb()
    web.routes[A + "/hang"] = never_answers()
    async with fetcher(web, timeout=0.02) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/hang")
    assert info.value.kind == "timeout"
    assert len(web.seen) == 1


# -- redirects ------------------------------------------------------------------------------------


async def test_redirects_are_followed_by_hand_up_to_five() -> None:
    web = MockWeb()
    for i in range(5):
        web.routes[f"{A}/r{i}"] = redirect(f"/r{i + 1}", 301 if i % 2 else 308)
    web.routes[A + "/r5"] = reply("end")
    async with fetcher(web) as f:
        response = await f.get(A + "/r0")
    assert response.url == A + "/r5" and response.content == b"end"
    assert web.targets() == [f"/r{i}" for i in range(6)]


async def test_six_redirects_are_too_many() -> None:
    web = MockWeb()
    for i in range(7):
        web.routes[f"{A}/r{i}"] = redirect(f"/r{i + 1}")
    async with fetcher(web) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/r0")
    assert info.value.kind == "redirect"
    assert len(web.seen) == 6


@pytest.mark.parametrize(
    "routes",
    [
        {"/x": "/y", "/y": "/x"},
        {"/x": "/x"},
        {"/x": "/y", "/y": "/z", "/z": "http://a.test/y"},
    ],
)
async def test_redirect_loop_is_detected(routes: dict[str, str]) -> None:
    web = MockWeb()
    for path, to in routes.items():
        web.routes[A + path] = redirect(to)
    async with fetcher(web) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/x")
    assert info.value.kind == "redirect" and "loop" in info.value.message
    assert web.targets() == list(routes)


async def test_redirect_without_location_is_a_redirect_error() -> None:
    web = MockWeb()
    web.routes[A + "/x"] = lambda request, n: httpx.Response(302)
    async with fetcher(web) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/x")
    assert info.value.kind == "redirect" and "Location" in info.value.message


async def test_guard_sees_every_hop_and_can_refuse_it() -> None:
    web = MockWeb()
    web.routes[A + "/go"] = redirect("http://elsewhere.test/x")
    web.routes["http://elsewhere.test/x"] = reply("not ours")
    seen: list[str] = []

    async def guard(url: str) -> None:
        seen.append(url)
        if "elsewhere" in url:
            raise FetchFailure(url, "offsite", "not ours")

    async with fetcher(web) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/go", guard=guard)
    assert info.value.kind == "offsite"
    assert seen == [A + "/go", "http://elsewhere.test/x"]
    assert [s.host for s in web.seen] == ["a.test"]  # the refused hop is never requested


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)"])
async def test_only_http_and_https(url: str) -> None:
    web = MockWeb()
    async with fetcher(web) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(url)
    assert info.value.kind == "scheme"
    assert web.seen == []


async def test_on_send_counts_every_request_retries_and_hops_included() -> None:
    web = MockWeb()
    web.routes[A + "/x"] = redirect("/y")
    web.routes[A + "/y"] = sequence(reply("", 500), reply("ok"))
    sent: list[str] = []
    async with fetcher(web) as f:
        await f.get(A + "/x", on_send=sent.append)
    assert sent == [A + "/x", A + "/y", A + "/y"]


# -- caps and encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize("chunks", [1, 30, 300])
async def test_oversized_streamed_body_stops_at_the_cap(chunks: int) -> None:
    web = MockWeb()
    body = Streamed(b"x" * 300_000, chunks)
    web.routes[A + "/big"] = body.handler
    async with fetcher(web, max_bytes=100_000) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/big")
    assert info.value.kind == "too-large"
    if chunks > 1:
        assert body.sent < chunks  # reading stopped at the cap, the rest was never pulled


async def test_declared_oversized_body_is_refused_before_reading() -> None:
    web = MockWeb()
    web.routes[A + "/big"] = reply(b"x" * 300_000)
    async with fetcher(web, max_bytes=100_000) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/big")
    assert info.value.kind == "too-large" and "Content-Length" in info.value.message


async def test_per_call_cap_overrides_the_fetcher_cap() -> None:
    web = MockWeb()
    web.routes[A + "/a"] = reply(b"x" * 5_000)
    async with fetcher(web, max_bytes=1_000_000) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(A + "/a", max_bytes=1_000)
        assert len((await f.get(A + "/a")).content) == 5_000
    assert info.value.kind == "too-large"


async def test_gzip_bomb_is_stopped_without_ballooning() -> None:
    bomb = gzip.compress(b"\0" * 64_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    web = MockWeb()
    web.routes[A + "/bomb"] = reply(bomb, Content_Encoding="gzip")
    async with fetcher(web, max_bytes=1_000_000) as f:
        tracemalloc.start()
        try:
            with pytest.raises(FetchFailure) as info:
                await f.get(A + "/bomb")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert info.value.kind == "too-large"
    assert peak < 20_000_000  # a few caps' worth, far from the 64 MB the bomb inflates to


def deflate(data: bytes) -> bytes:
    return zlib.compress(data)


BODY = "<p>Cụm thi đua</p>".encode()


@pytest.mark.parametrize(
    ("encoding", "wire", "outcome"),
    [
        ("gzip", gzip.compress(BODY), BODY),
        ("x-gzip", gzip.compress(BODY), BODY),
        ("deflate", deflate(BODY), BODY),
        ("identity", BODY, BODY),
        ("", BODY, BODY),
        ("gzip", b"not gzip at all", "decode"),
        ("br", b"\x1b\x00", "decode"),
        ("gzip, deflate", BODY, "decode"),
    ],
)
async def test_content_encoding_is_decoded_or_refused(
    encoding: str, wire: bytes, outcome: bytes | str
) -> None:
    web = MockWeb()
    web.routes[A + "/z"] = reply(wire, 200, **({"Content_Encoding": encoding} if encoding else {}))
    async with fetcher(web) as f:
        if isinstance(outcome, bytes):
            assert (await f.get(A + "/z")).content == outcome
        else:
            with pytest.raises(FetchFailure) as info:
                await f.get(A + "/z")
            assert info.value.kind == outcome


def test_gunzip_capped_refuses_a_gz_file_past_the_cap() -> None:
    data = gzip.compress(b"a" * 2_000_000)
    assert gunzip_capped(data, 3_000_000) == b"a" * 2_000_000
    with pytest.raises(FetchFailure) as info:
        gunzip_capped(data, 1_000_000)
    assert info.value.kind == "too-large"
    with pytest.raises(FetchFailure) as info:
        gunzip_capped(b"corrupt", 1_000_000)
    assert info.value.kind == "decode"


@pytest.mark.parametrize(("status", "kind"), [(204, None), (206, None), (100, "http-100"), (304, None)])
async def test_odd_statuses(status: int, kind: str | None) -> None:
    web = MockWeb()
    web.routes[A + "/a"] = reply("", status)
    async with fetcher(web) as f:
        if kind is None:
            assert (await f.get(A + "/a")).status == status
        else:
            with pytest.raises(FetchFailure) as info:
                await f.get(A + "/a")
            assert info.value.kind == kind


async def test_conditional_get_sends_validators_and_reads_304() -> None:
    def route(request: httpx.Request, n: int) -> httpx.Response:
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(
            200, content=b"feed", headers={"ETag": '"v1"', "Last-Modified": "Fri, 06 Mar 2026 03:00:00 GMT"}
        )

    web = MockWeb()
    web.routes[A + "/feed"] = route
    async with fetcher(web) as f:
        first = await f.get(A + "/feed")
        again = await f.get(
            A + "/feed", etag=first.headers["etag"], last_modified=first.headers["last-modified"]
        )
    assert first.status == 200 and again.status == 304 and again.content == b""
    assert web.seen[1].request.headers["if-modified-since"] == "Fri, 06 Mar 2026 03:00:00 GMT"
    assert "if-none-match" not in web.seen[0].request.headers


# -- end to end, on a real socket (127.0.0.1) -----------------------------------------------------


def real_fetcher(**kw: object) -> Fetcher:
    args: dict[str, object] = {"user_agent": DEFAULT_USER_AGENT, "timeout": 10.0, "default_delay": 0.0}
    args.update(kw)
    return Fetcher(**args)  # type: ignore[arg-type]


async def test_real_socket_pace_retry_and_headers(local_server: LocalServer) -> None:
    # Lower bounds only: a loaded machine makes gaps longer, never shorter. The epsilon covers the
    # event loop waking a timer up to its clock resolution early.
    local_server.routes["/a"] = lambda hit, n: Reply(503, b"busy") if n == 1 else Reply(200, b"ok")
    async with real_fetcher(default_delay=0.1, retries=1) as f:
        for _ in range(3):
            assert (await f.get(local_server.base + "/a")).content == b"ok"
    starts = [h.start for h in local_server.hits]
    assert len(starts) == 4  # the 503 was retried once
    assert all(b - a >= 0.1 - 1e-3 for a, b in itertools.pairwise(starts))
    assert {h.headers["user-agent"] for h in local_server.hits} == {DEFAULT_USER_AGENT}


async def test_real_socket_streamed_body_stops_at_the_cap(local_server: LocalServer) -> None:
    local_server.routes["/big"] = lambda hit, n: Reply(200, b"x" * 300_000, chunks=30)
    local_server.routes["/z"] = lambda hit, n: Reply(200, gzip.compress(BODY), {"Content-Encoding": "gzip"})
    async with real_fetcher(max_bytes=100_000) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(local_server.base + "/big")
        assert (await f.get(local_server.base + "/z")).content == BODY
    assert info.value.kind == "too-large"


async def test_real_socket_read_timeout(local_server: LocalServer) -> None:
    # The server answers 30× later than the timeout: only a stall of seconds could lose this.
    local_server.routes["/slow"] = lambda hit, n: Reply(200, b"late", sleep=6.0)
    async with real_fetcher(timeout=0.2) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get(local_server.base + "/slow")
    assert info.value.kind == "timeout"
    assert len(local_server.hits) == 1


async def test_real_socket_connect_error_is_retried_then_reported() -> None:
    async with real_fetcher(retries=1, default_delay=0.01) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get("http://127.0.0.1:9/closed")
    assert info.value.kind == "connect"


async def test_a_body_trickling_in_is_cut_at_the_overall_deadline_named_in_the_message() -> None:
    """Each byte arrives well within the read timeout, but the whole answer never would."""
    import asyncio

    import httpx

    from scraper.fetch import DEADLINE_FACTOR, Fetcher, FetchFailure

    class Trickle(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            for _ in range(10_000):
                await asyncio.sleep(0.02)
                yield b"x"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Trickle(), headers={"Content-Type": "text/html"})

    async with Fetcher(
        user_agent="t", timeout=0.1, retries=0, default_delay=0.0, transport=httpx.MockTransport(answer)
    ) as f:
        with pytest.raises(FetchFailure) as info:
            await f.get("http://a.vn/slow")
    assert info.value.kind == "timeout"
    deadline = f"{0.1 * DEADLINE_FACTOR:g} s"
    assert f"no complete answer within {deadline}, the deadline of one request" in info.value.message


async def test_real_socket_a_cookie_a_site_sets_is_sent_back_to_it(local_server: LocalServer) -> None:
    # A site that sets a cookie (on a redirect, say) and asks for it on the next request is still
    # crawled; answers without Set-Cookie leave the jar as it was.
    local_server.routes["/a"] = lambda hit, n: Reply(200, b"ok", {"Set-Cookie": "phien=abc; Path=/"})
    local_server.routes["/b"] = lambda hit, n: Reply(200, b"ok", {})
    async with real_fetcher() as f:
        for path in ("/b", "/a", "/b", "/a"):
            await f.get(local_server.base + path)
    assert [h.headers.get("cookie") for h in local_server.hits] == [None, None, "phien=abc", "phien=abc"]


@pytest.mark.parametrize("chunks", [1, 7, 30])
@pytest.mark.parametrize("gzipped", [False, True])
async def test_real_socket_truncate_keeps_exactly_the_first_cap_bytes(
    local_server: LocalServer, chunks: int, gzipped: bool
) -> None:
    body = bytes(range(256)) * 1200  # 307,200 bytes, every offset distinguishable
    wire = gzip.compress(body, compresslevel=1) if gzipped else body
    headers = {"Content-Encoding": "gzip"} if gzipped else {}
    local_server.routes["/r"] = lambda hit, n: Reply(200, wire, headers, chunks=chunks)
    async with real_fetcher(max_bytes=100_000) as f:
        kept = await f.get(local_server.base + "/r", truncate=True)
        whole = await f.get(local_server.base + "/r", max_bytes=len(body))
    assert kept.content == body[:100_000]
    assert whole.content == body
