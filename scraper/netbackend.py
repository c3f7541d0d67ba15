"""httpcore's network layer over plain asyncio transports, for the crawl's httpx client.

httpx's default transport reaches the socket through anyio: every read and write opens a cancel scope
(``fail_after``, a ``current_task`` lookup), and every reuse of a kept-alive connection asks anyio for
the raw socket, which computes all of the socket's attributes (``getpeername`` included) to return
one. At a crawl's thousands of requests that was a fifth of the parent process's CPU. Here a stream
is an ``asyncio.Protocol`` with a buffer of received chunks: a read returns what is buffered at once
and waits (with one timer handle for its timeout) only when nothing is; TLS goes through
``loop.start_tls`` on the same protocol. What httpcore sees is the same contract as its anyio
backend: ``b""`` at the end of the stream, its own ``ConnectError``/``ReadTimeout``/… exceptions
(which httpx maps to its own), and ``get_extra_info`` for ``ssl_object``, ``client_addr``,
``server_addr``, ``socket`` and ``is_readable``.

``asyncio_transport(limits)`` is the httpx transport that uses it (HTTP/1.1, certifi's certificates).
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
from httpcore import ConnectError, ConnectTimeout, ReadError, ReadTimeout, WriteError, WriteTimeout
from httpcore._backends.base import SOCKET_OPTION, AsyncNetworkBackend, AsyncNetworkStream
from httpcore._utils import is_socket_readable

# Past this many buffered bytes the socket is not read until the consumer catches up: a body that
# arrives faster than it is read never piles up in memory.
HIGH_WATER = 1 << 20
# anyio's pause before trying the next address of a host (RFC 8305 "happy eyeballs").
HAPPY_EYEBALLS_DELAY = 0.25
# httpcore's names for a connection's details → asyncio's.
_EXTRA_INFO = {
    "ssl_object": "ssl_object",
    "client_addr": "sockname",
    "server_addr": "peername",
    "socket": "socket",
}


class _Protocol(asyncio.Protocol):
    """What arrived on one connection, and who waits for more."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.chunks: deque[bytes] = deque()
        self.buffered = 0
        self.ended = False  # EOF or connection lost: nothing more will arrive
        self.error: BaseException | None = None
        self.reading_paused = False
        self.writing_paused = False
        self._waiter: asyncio.Future[bool] | None = None
        self._drain: asyncio.Future[bool] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.buffered += len(data)
        if self.buffered > HIGH_WATER and self.transport is not None and not self.reading_paused:
            self.reading_paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.ended = True
        self._wake()
        return False  # close the transport: httpcore never writes after the server's EOF

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.error = exc
        self._wake()
        if self._drain is not None and not self._drain.done():
            self._drain.set_result(True)

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        if self._drain is not None and not self._drain.done():
            self._drain.set_result(True)

    def take(self, max_bytes: int) -> bytes:
        """Up to ``max_bytes`` of what is buffered (the first chunk whole when it fits: no copy)."""
        chunk = self.chunks.popleft()
        if len(chunk) > max_bytes:
            self.chunks.appendleft(chunk[max_bytes:])
            chunk = chunk[:max_bytes]
        self.buffered -= len(chunk)
        if self.reading_paused and self.buffered <= HIGH_WATER // 2 and self.transport is not None:
            self.reading_paused = False
            self.transport.resume_reading()
        return chunk

    async def wait_data(self, timeout: float | None) -> bool:
        """Wait until data or the end arrives; False when ``timeout`` seconds passed first."""
        return await _wait(self, "_waiter", timeout)

    async def wait_drained(self, timeout: float | None) -> bool:
        """Wait until the transport takes writes again; False when ``timeout`` passed first."""
        return await _wait(self, "_drain", timeout)

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(True)


async def _wait(protocol: _Protocol, slot: str, timeout: float | None) -> bool:
    # One future and at most one timer handle: far cheaper than a cancel scope or asyncio.timeout,
    # and a cancellation from outside (the fetcher's deadline) passes through untouched.
    loop = asyncio.get_running_loop()
    future: asyncio.Future[bool] = loop.create_future()  # True: woken; False: timed out
    setattr(protocol, slot, future)
    timer = None
    if timeout is not None:
        timer = loop.call_later(timeout, _expire, future)
    try:
        return await future
    finally:
        setattr(protocol, slot, None)
        if timer is not None:
            timer.cancel()


def _expire(future: asyncio.Future[bool]) -> None:
    if not future.done():
        future.set_result(False)


class AsyncioStream(AsyncNetworkStream):
    """One connection (plain or TLS) as httpcore reads and writes it."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to ``max_bytes`` received bytes, ``b""`` at the end; ``ReadTimeout`` after ``timeout``
        seconds without data, ``ReadError`` when the connection broke."""
        protocol = self._protocol
        if not protocol.chunks and not protocol.ended and not await protocol.wait_data(timeout):
            raise ReadTimeout(f"no data for {timeout} s")
        if protocol.chunks:
            return protocol.take(max_bytes)
        if protocol.error is not None:
            raise ReadError(str(protocol.error) or type(protocol.error).__name__)
        return b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send ``buffer``; ``WriteError`` on a closed connection, ``WriteTimeout`` when the peer takes
        nothing for ``timeout`` seconds."""
        if not buffer:
            return
        protocol = self._protocol
        if protocol.error is not None or self._transport.is_closing():
            raise WriteError("the connection is closed")
        self._transport.write(buffer)
        if protocol.writing_paused and not await protocol.wait_drained(timeout):
            raise WriteTimeout(f"the peer took no data for {timeout} s")
        if protocol.error is not None:
            raise WriteError(str(protocol.error) or type(protocol.error).__name__)

    async def aclose(self) -> None:
        """Close the connection (buffered writes are flushed first)."""
        self._transport.close()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> AsyncNetworkStream:
        """The same connection after a TLS handshake; ``ConnectTimeout`` / ``ConnectError`` if it fails."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                tls = await loop.start_tls(
                    self._transport, self._protocol, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError:
            self._transport.abort()
            raise ConnectTimeout(f"TLS handshake took over {timeout} s") from None
        except (OSError, ssl.SSLError) as exc:  # ssl.SSLError is an OSError; named for the reader
            self._transport.abort()
            raise ConnectError(str(exc)) from exc
        if tls is None:  # pragma: no cover - the loop closed the connection meanwhile
            raise ConnectError("the connection closed during the TLS handshake")
        assert isinstance(tls, asyncio.Transport)
        self._protocol.transport = tls
        return AsyncioStream(tls, self._protocol)

    def get_extra_info(self, info: str) -> Any:
        """``ssl_object``, ``client_addr``, ``server_addr``, ``socket``, ``is_readable`` (data or the
        end waiting: a kept-alive connection the server closed is not reused), else None."""
        transport = self._transport
        if info == "is_readable":
            protocol = self._protocol
            if protocol.chunks or protocol.ended:
                return True
            return is_socket_readable(transport.get_extra_info("socket"))
        key = _EXTRA_INFO.get(info)
        return None if key is None else transport.get_extra_info(key)


class AsyncioBackend(AsyncNetworkBackend):
    """httpcore's ``AsyncNetworkBackend`` on the running asyncio loop."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SOCKET_OPTION] | None = None,
    ) -> AsyncNetworkStream:
        """A TCP connection to ``host:port`` (TCP_NODELAY, as asyncio sets it), within ``timeout``."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_connection(
                    _Protocol,
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                    happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY,
                )
        except TimeoutError:
            raise ConnectTimeout(f"no connection to {host}:{port} within {timeout} s") from None
        except OSError as exc:
            raise ConnectError(str(exc) or type(exc).__name__) from exc
        return _configured(transport, protocol, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[SOCKET_OPTION] | None = None
    ) -> AsyncNetworkStream:
        """A connection to the Unix socket at ``path``, within ``timeout``."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await loop.create_unix_connection(_Protocol, path)
        except TimeoutError:
            raise ConnectTimeout(f"no connection to {path} within {timeout} s") from None
        except OSError as exc:
            raise ConnectError(str(exc) or type(exc).__name__) from exc
        return _configured(transport, protocol, socket_options)

    async def sleep(self, seconds: float) -> None:
        """Sleep on the loop (httpcore's pause between connect retries)."""
        await asyncio.sleep(seconds)


def _configured(
    transport: asyncio.BaseTransport, protocol: _Protocol, socket_options: Iterable[SOCKET_OPTION] | None
) -> AsyncioStream:
    assert isinstance(transport, asyncio.Transport)
    sock = transport.get_extra_info("socket")
    for option in socket_options or ():
        sock.setsockopt(*option)
    return AsyncioStream(transport, protocol)


class AsyncioTransport(httpx.AsyncHTTPTransport):
    """httpx's own HTTP transport (its request and response mapping, its exception mapping) over an
    httpcore pool that uses ``AsyncioBackend``."""

    def __init__(self, limits: httpx.Limits, *, verify: bool | ssl.SSLContext = True) -> None:
        # Not super().__init__: all it does is build the pool (and its SSL context) that this one
        # replaces. httpx's transport keeps it as ``_pool`` (httpx is pinned to 0.28; a test checks
        # that this pool is the one answering).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=AsyncioBackend(),
        )

    @property
    def pool(self) -> httpcore.AsyncConnectionPool:
        """The httpcore pool this transport sends through (``scraper.exchange`` sends to it directly)."""
        return self._pool


def asyncio_transport(limits: httpx.Limits, *, verify: bool | ssl.SSLContext = True) -> AsyncioTransport:
    """The crawl's httpx transport: HTTP/1.1 over ``AsyncioBackend`` with ``limits`` on its pool;
    ``verify`` as httpx takes it (an ``ssl.SSLContext`` for a test's own certificate authority)."""
    return AsyncioTransport(limits, verify=verify)
