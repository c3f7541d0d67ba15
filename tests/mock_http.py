"""In-process HTTP for the fetcher and crawler unit tests: ``httpx.MockTransport`` and a virtual clock.

Nothing here opens a socket, and nothing waits for real: ``VirtualClock`` is the ``clock``/``sleep``
pair a ``Fetcher`` (or ``crawl``) takes, and ``MockWeb`` answers requests from per-URL route functions
and logs each request with the virtual time it was sent at. A test then asserts the pace ("two
requests to one host are ≥ delay apart") on virtual time, which a loaded machine cannot disturb.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

# Enough turns of the event loop for every runnable task to reach its next wait: with MockTransport
# a request never suspends for real, so a handful of turns is plenty.
_SETTLE_TURNS = 8


@dataclass
class VirtualClock:
    """Time that only moves when every task is asleep: the earliest sleeper wakes first, as in real life.

    ``clock()`` reads it, ``await clock.sleep(s)`` waits ``s`` virtual seconds and returns at once in
    real time; ``sleeps`` records every requested sleep. Only valid while no task waits on real I/O
    (true with ``httpx.MockTransport``).
    """

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)
    _waking: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` of virtual time."""
        self.sleeps.append(seconds)
        wake = self.now + max(0.0, seconds)
        self._waking.append(wake)
        try:
            while True:
                for _ in range(_SETTLE_TURNS):
                    await asyncio.sleep(0)  # let the other tasks run up to their own sleep
                if wake <= min(self._waking):
                    break
        finally:
            self._waking.remove(wake)
        self.now = max(self.now, wake)


@dataclass(frozen=True)
class Seen:
    """One request the mock web received, and when (virtual time)."""

    request: httpx.Request
    at: float

    @property
    def host(self) -> str:
        """``host[:port]`` as requested."""
        return self.request.url.netloc.decode()

    @property
    def target(self) -> str:
        """Path and query, as on the request line."""
        return self.request.url.raw_path.decode()


Handler = Callable[[httpx.Request, int], "httpx.Response | Awaitable[httpx.Response]"]


class MockWeb:
    """Routes keyed by URL (``"http://a.test/x"``; with a query for an exact match) → handler.

    A handler gets the request and how many times this URL was requested before; it returns a
    response (or raises an ``httpx`` error to stand for a network failure). Unknown URLs get 404.
    """

    def __init__(self, clock: VirtualClock | None = None) -> None:
        self.clock = clock or VirtualClock()
        self.routes: dict[str, Handler] = {}
        self.seen: list[Seen] = []

    def transport(self) -> httpx.MockTransport:
        """A transport answering from ``routes``."""
        # httpx types the handler as either sync or async; ours is sync but may hand back a coroutine,
        # which MockTransport awaits (that is how ``never_answers`` hangs).
        return httpx.MockTransport(self._handle)  # type: ignore[arg-type]

    def _handle(self, request: httpx.Request) -> httpx.Response | Coroutine[None, None, httpx.Response]:
        url = str(request.url)
        bare = url.split("?", 1)[0]
        before = sum(1 for s in self.seen if str(s.request.url) == url)
        self.seen.append(Seen(request, self.clock()))
        handler = self.routes.get(url) or self.routes.get(bare)
        if handler is None:
            return _streaming(httpx.Response(404, content=b"not found"))
        answer = handler(request, before)
        if isinstance(answer, httpx.Response):
            return _streaming(answer)

        async def later() -> httpx.Response:
            return _streaming(await answer)

        return later()

    def hits(self, url: str) -> list[Seen]:
        """The requests sent to ``url`` (exact, query included)."""
        return [s for s in self.seen if str(s.request.url) == url]

    def targets(self, host: str | None = None) -> list[str]:
        """Path + query of every request (to ``host`` only, if given), in order."""
        return [s.target for s in self.seen if host is None or s.host == host]

    def times(self, host: str) -> list[float]:
        """Virtual send times of the requests to ``host``."""
        return [s.at for s in self.seen if s.host == host]


class _Once(httpx.AsyncByteStream):
    def __init__(self, data: bytes) -> None:
        self.data = data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.data:
            yield self.data


def _streaming(response: httpx.Response) -> httpx.Response:
    # httpx reads a ``content=bytes`` body at once, so ``aiter_raw`` (what the fetcher streams with)
    # would find it consumed; a real transport hands an unread stream, and so does this.
    if not response.is_stream_consumed:
        return response
    return httpx.Response(response.status_code, headers=response.headers, stream=_Once(response.content))


def reply(
    body: bytes | str = b"", status: int = 200, content_type: str = "text/html; charset=utf-8", **headers: str
) -> Handler:
    """A handler answering the same response every time (``headers`` names use ``_`` for ``-``)."""
    data = body.encode() if isinstance(body, str) else body
    extra = {k.replace("_", "-"): v for k, v in headers.items()}

    def handler(request: httpx.Request, n: int) -> httpx.Response:
        # A stream, not ``content=``: httpx would decode a gzip body itself (or choke on a broken one).
        sent = {"Content-Type": content_type, "Content-Length": str(len(data)), **extra}
        return httpx.Response(status, headers=sent, stream=_Once(data))

    return handler


def redirect(to: str, status: int = 302) -> Handler:
    """A handler answering a redirect to ``to``."""
    return lambda request, n: httpx.Response(status, headers={"Location": to})


def sequence(*handlers: Handler) -> Handler:
    """The n-th request gets the n-th handler's answer; the last one answers every later request."""
    return lambda request, n: handlers[min(n, len(handlers) - 1)](request, n)


def failing(exc: type[httpx.TransportError]) -> Handler:
    """A handler that fails as the network would: ``httpx.ReadTimeout``, ``httpx.ConnectError`` …"""

    def handler(request: httpx.Request, n: int) -> httpx.Response:
        raise exc("simulated", request=request)

    return handler


def never_answers() -> Handler:
    """A handler that never answers (a server that accepted the request and hung)."""

    async def handler(request: httpx.Request, n: int) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")  # pragma: no cover

    return handler


@dataclass
class Streamed:
    """A body sent in ``chunks`` pieces without Content-Length; ``sent`` counts the pieces handed out."""

    body: bytes
    chunks: int
    sent: int = 0

    def handler(self, request: httpx.Request, n: int) -> httpx.Response:
        """Answer 200 with the streamed body."""
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=self._pieces())

    async def _pieces(self) -> AsyncIterator[bytes]:
        step = max(1, len(self.body) // self.chunks)
        for start in range(0, len(self.body), step):
            self.sent += 1
            yield self.body[start : start + step]


def host_of(url: str) -> str:
    """``"http://a.test/x"`` → ``"a.test"``."""
    return urlsplit(url).netloc
