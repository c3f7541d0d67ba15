"""scraper.netbackend against real 127.0.0.1 servers (``RouteServer``): connect, read, the end of a
stream, timeouts, connection reuse, a server closing mid-body, a huge body under the cap, flow
control, TLS (our own throwaway certificate in tests/tls, valid until 2126)."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpcore
import httpx
import pytest

from scraper.fetch import MAX_CONNECTIONS, Fetcher, FetchFailure
from scraper.netbackend import HIGH_WATER, AsyncioBackend, AsyncioStream, asyncio_transport
from tests.conftest import LocalServer, Reply

TLS = Path(__file__).parent / "tls"
LIMITS = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS)


def client(timeout: float = 5.0, verify: bool | ssl.SSLContext = True) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=asyncio_transport(LIMITS, verify=verify), timeout=timeout)


@pytest.fixture
def tls_server() -> Iterator[LocalServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "localhost.pem", TLS / "localhost.key")
    with LocalServer(name="tls", tls=context) as server:
        yield server


def trusting() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(TLS / "localhost.pem"))


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b"<p>cum thi dua</p>" * 5000),  # Content-Length, several reads
        Reply(200, b"khoi thi dua " * 9000, chunks=7),  # no length: the body ends with the connection
        Reply(200, b""),
    ],
)
async def test_a_get_reads_the_whole_body_through_the_asyncio_stream(
    local_server: LocalServer, reply: Reply
) -> None:
    local_server.routes["/a"] = lambda hit, n: reply
    async with client() as c:
        r = await c.get(local_server.base + "/a")
        assert isinstance(r.extensions["network_stream"], AsyncioStream)
    assert (r.status_code, r.content) == (200, reply.body)


async def test_a_kept_alive_connection_is_reused(local_server: LocalServer) -> None:
    local_server.routes["/a"] = lambda hit, n: Reply(200, f"trang {n}".encode())
    async with client() as c:
        answers = [await c.get(local_server.base + "/a") for _ in range(5)]
    ports = {r.extensions["network_stream"].get_extra_info("client_addr")[1] for r in answers}
    assert [r.text for r in answers] == [f"trang {n}" for n in range(5)]
    assert len(ports) == 1
    assert answers[0].extensions["network_stream"].get_extra_info("server_addr")[1] == local_server.port


async def test_a_connection_the_server_closed_is_not_reused(local_server: LocalServer) -> None:
    local_server.routes["/a"] = lambda hit, n: Reply(200, b"het", {"Connection": "close"})
    async with client() as c:
        first = await c.get(local_server.base + "/a")
        stream = first.extensions["network_stream"]
        for _ in range(1000):  # the loop sees the server's FIN within a few turns (up to 10 s if loaded)
            if stream.get_extra_info("is_readable"):
                break
            await asyncio.sleep(0.01)
        assert stream.get_extra_info("is_readable")
        second = await c.get(local_server.base + "/a")
    assert second.text == "het"
    assert second.extensions["network_stream"] is not stream


async def test_no_data_within_the_timeout_is_a_read_timeout(local_server: LocalServer) -> None:
    local_server.routes["/slow"] = lambda hit, n: Reply(200, b"muon", sleep=2.0)
    async with client(timeout=0.2) as c:
        with pytest.raises(httpx.ReadTimeout):
            await c.get(local_server.base + "/slow")


async def test_a_server_closing_mid_body_is_an_error_not_a_short_page(local_server: LocalServer) -> None:
    local_server.routes["/cut"] = lambda hit, n: Reply(
        200, b"x" * 1000, {"Content-Length": "100000", "Connection": "close"}
    )
    async with client() as c:
        with pytest.raises(httpx.RemoteProtocolError):
            await c.get(local_server.base + "/cut")
    async with Fetcher(user_agent="t", default_delay=0.0, retries=1) as fetcher:
        with pytest.raises(FetchFailure) as failure:
            await fetcher.get(local_server.base + "/cut")
    assert failure.value.kind == "network"
    assert [h.path for h in local_server.hits].count("/cut") == 3  # once by httpx, twice by the fetcher


async def test_a_huge_streamed_body_stops_at_the_fetchers_cap(local_server: LocalServer) -> None:
    local_server.routes["/huge"] = lambda hit, n: Reply(200, b"y" * 40_000_000, stream=True)
    async with Fetcher(user_agent="t", default_delay=0.0, max_bytes=2_000_000) as fetcher:
        with pytest.raises(FetchFailure) as failure:
            await fetcher.get(local_server.base + "/huge")
        assert failure.value.kind == "too-large"
        local_server.routes["/ok"] = lambda hit, n: Reply(200, b"van chay")
        assert (await fetcher.get(local_server.base + "/ok")).content == b"van chay"


async def test_a_stream_not_read_stops_reading_the_socket_past_the_high_water_mark(
    local_server: LocalServer,
) -> None:
    body = b"z" * (8 * HIGH_WATER)
    local_server.routes["/big"] = lambda hit, n: Reply(200, body, stream=True)
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", local_server.port, timeout=5)
    await stream.write(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n", timeout=5)
    protocol = stream._protocol
    for _ in range(1000):
        if protocol.reading_paused:
            break
        await asyncio.sleep(0.01)
    assert protocol.reading_paused
    await asyncio.sleep(0.2)  # what the socket would still deliver if it were read
    assert protocol.buffered <= HIGH_WATER + 256 * 1024  # one socket read past the mark at most
    received = bytearray()
    while chunk := await stream.read(64 * 1024, timeout=5):
        assert len(chunk) <= 64 * 1024
        received += chunk
    await stream.aclose()
    assert received.endswith(body) and b"200 OK" in received[:100]


async def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(httpcore.ConnectError):
            await AsyncioBackend().connect_tcp("127.0.0.1", port, timeout=5)
        async with Fetcher(user_agent="t", default_delay=0.0, retries=0) as fetcher:
            with pytest.raises(FetchFailure) as failure:
                await fetcher.get(f"http://127.0.0.1:{port}/x")
    assert failure.value.kind == "connect"


async def test_writing_to_a_closed_stream_is_a_write_error(local_server: LocalServer) -> None:
    stream = await AsyncioBackend().connect_tcp("127.0.0.1", local_server.port, timeout=5)
    await stream.aclose()
    with pytest.raises(httpcore.WriteError):
        await stream.write(b"GET / HTTP/1.1\r\n\r\n")


async def test_https_is_read_through_start_tls(tls_server: LocalServer) -> None:
    tls_server.routes["/a"] = lambda hit, n: Reply(200, b"cum thi dua so 3" * 8000)
    async with client(verify=trusting()) as c:
        answers = [await c.get(tls_server.base + "/a") for _ in range(3)]
    stream = answers[0].extensions["network_stream"]
    assert [r.content for r in answers] == [b"cum thi dua so 3" * 8000] * 3
    assert stream.get_extra_info("ssl_object").version().startswith("TLS")
    assert len({r.extensions["network_stream"].get_extra_info("client_addr") for r in answers}) == 1


async def test_a_certificate_nobody_vouches_for_is_a_connect_error(tls_server: LocalServer) -> None:
    tls_server.routes["/a"] = lambda hit, n: Reply(200, b"khong tin")
    async with client() as c:  # certifi's authorities, which never signed the test certificate
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await c.get(tls_server.base + "/a")
    async with Fetcher(user_agent="t", default_delay=0.0, retries=0) as fetcher:
        with pytest.raises(FetchFailure) as failure:
            await fetcher.get(tls_server.base + "/a")
    assert failure.value.kind == "connect"
