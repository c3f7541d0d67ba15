"""scraper.exchange: a GET sent straight to the crawl's httpcore pool (or any httpx transport) sends what
httpx's client sent, and keeps the cookies a site sets on both paths."""

from __future__ import annotations

import httpx
import pytest

from scraper.exchange import Answer, Exchange
from scraper.netbackend import asyncio_transport
from tests.conftest import LocalServer, Reply

UA = "thidua-test/1.0"
LIMITS = httpx.Limits(max_connections=4, max_keepalive_connections=4)


async def body_of(answer: Answer) -> bytes:
    try:
        return b"".join([chunk async for chunk in answer.body])
    finally:
        await answer.close()


@pytest.mark.parametrize(
    ("path", "conditional"),
    [
        ("/a", {}),
        ("/tin/bai-1.htm?p=2", {"If-None-Match": '"v1"'}),
        ("/thời-sự/cụm thi đua.htm", {"If-Modified-Since": "Tue, 03 Mar 2026 01:00:00 GMT"}),
    ],
)
async def test_the_pool_path_sends_what_httpx_client_sends(
    local_server: LocalServer, path: str, conditional: dict[str, str]
) -> None:
    # The same request through httpx's AsyncClient (as the fetcher sent it before) and straight to the
    # pool: the same request line (quoting a Vietnamese path the same way) and the same headers.
    url = local_server.base + path  # no route: both get the server's 404
    async with httpx.AsyncClient(
        transport=asyncio_transport(LIMITS),
        headers={"User-Agent": UA, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(5.0),
        trust_env=False,
    ) as client:
        assert (await client.get(url, headers=conditional)).status_code == 404
    exchange = Exchange(asyncio_transport(LIMITS), user_agent=UA, timeout=5.0)
    try:
        answer = await exchange.get(url, conditional)
        assert (answer.status, await body_of(answer)) == (404, b"not found")
    finally:
        await exchange.aclose()
    by_client, direct = local_server.hits
    assert direct.path == by_client.path
    assert dict(direct.headers) == dict(by_client.headers)
    assert list(direct.headers) == list(by_client.headers)  # in the same order


@pytest.mark.parametrize("pool", [True, False], ids=["pool", "httpx-transport"])
async def test_a_cookie_a_site_sets_is_sent_back_on_both_paths(local_server: LocalServer, pool: bool) -> None:
    local_server.routes["/set"] = lambda hit, n: Reply(200, b"set", {"Set-Cookie": "phien=xyz; Path=/"})
    local_server.routes["/see"] = lambda hit, n: Reply(200, b"seen")
    transport = asyncio_transport(LIMITS) if pool else httpx.AsyncHTTPTransport(limits=LIMITS)
    exchange = Exchange(transport, user_agent=UA, timeout=5.0)
    try:
        for path in ("/see", "/set", "/see"):
            answer = await exchange.get(local_server.base + path, {})
            assert answer.status == 200
            await body_of(answer)
    finally:
        await exchange.aclose()
    assert [h.headers.get("cookie") for h in local_server.hits] == [None, None, "phien=xyz"]


async def test_a_mock_transport_gets_an_httpx_request_and_its_answer_is_read_raw() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Content-Encoding": "gzip", "X-Kind": "tin"}, content=b"\x1f\x8b")

    exchange = Exchange(httpx.MockTransport(handler), user_agent=UA, timeout=5.0)
    answer = await exchange.get("http://a.test/x", {"If-None-Match": '"e"'})
    # Raw: the fetcher decompresses under its own cap (scraper.wire), httpx must not have.
    assert (answer.status, answer.headers["x-kind"], await body_of(answer)) == (200, "tin", b"\x1f\x8b")
    request = seen[0]
    assert request.headers["user-agent"] == UA and request.headers["if-none-match"] == '"e"'
    assert request.extensions["timeout"] == httpx.Timeout(5.0).as_dict()
