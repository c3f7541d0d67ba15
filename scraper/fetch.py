"""Polite HTTP fetching: per host, one request at a time with a pause between them (or, where the host's
delay is 0, up to its ``concurrency`` in flight), a global cap on connections, retries, size caps.

Every request to a host with a delay waits until ``delay`` seconds have passed since the previous
request to that host *ended*, and is the only one in flight there; a host whose delay is 0 has up to
its concurrency (``set_concurrency``, the site's ``concurrency``) in flight. Different hosts proceed
in parallel, all of them under ``max_connections`` requests in flight at once. Redirects are followed
by hand (at most 5, each hop checked by the caller's ``guard``: robots, configured hosts), bodies are
streamed with a cap on both the bytes on the wire and the decompressed bytes (``scraper.wire``).
Connect errors, 429 and 5xx are retried with exponential backoff and jitter; Retry-After is honoured.
Both waits (the per-host pause and the backoff) read ``clock`` and wait with ``sleep``, which default
to ``time.monotonic`` and ``asyncio.sleep``; tests pass a fake pair to check the pace without waiting.
Requests go through ``scraper.exchange``: httpx's URL and cookie jar, httpcore's pool over
``scraper.netbackend`` (plain asyncio transports, not anyio), without httpx's client. It keeps the
cookies a site sets and sends them back to that site, as a browser (and Scrapy) would: a site that
sets a cookie on a redirect and asks for it on the next hop is still crawled.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from scraper.errors import FetchFailure
from scraper.exchange import CORE_CONNECT_ERRORS, CORE_ERRORS, CORE_TIMEOUTS, Answer, Exchange
from scraper.netbackend import asyncio_transport
from scraper.urls import join_url
from scraper.wire import gunzip_capped, parse_retry_after, read_capped

# Defined where they belong, imported from here by the crawl, the robots and the sitemaps as always.
__all__ = ["FetchFailure", "Fetcher", "Response", "gunzip_capped", "host_key", "parse_retry_after"]

MAX_REDIRECTS = 5
# One request's whole answer must arrive within this many timeouts, however steadily it trickles.
DEADLINE_FACTOR = 3
RETRY_AFTER_CAP = 60.0  # seconds; a longer Retry-After gives up for this run instead of waiting
BACKOFF_CAP = 30.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

DEFAULT_CONCURRENCY = 8  # requests in flight to one host whose delay is 0 (the site's default)
MAX_CONNECTIONS = 32  # requests in flight over every host: the global cap

Guard = Callable[[str], Awaitable[None]]
Admit = Callable[[str], None]  # called just before a request is sent; may raise FetchFailure
OnSend = Callable[[str], None]
OnResponse = Callable[[str, Mapping[str, str], "Response", datetime], None]
Clock = Callable[[], float]  # seconds, monotonic
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Response:
    """A fetched page: ``status`` 200 (``content`` decompressed) or 304 (``content`` empty)."""

    url: str  # the final URL, after redirects
    status: int
    headers: Mapping[str, str]  # lower-cased names
    content: bytes


@dataclass
class _HostGate:
    """One host's pace: with a delay, one request in flight and ``delay`` between the end of one and
    the start of the next; without, up to ``concurrency`` in flight.

    Waiters queue in order and a leaving request hands its slot to the first one directly: no waiter
    is woken only to find the slot taken (a condition's notify-all woke every one of them), and a free
    slot is taken without a wait at all.
    """

    delay: float
    concurrency: int = DEFAULT_CONCURRENCY
    in_flight: int = 0
    waiting: deque[asyncio.Future[None]] = field(default_factory=deque)
    last_end: float = float("-inf")

    @property
    def limit(self) -> int:
        """Requests allowed in flight now: one while a delay is kept (robots Crawl-delay included)."""
        return 1 if self.delay > 0 else self.concurrency

    async def enter(self) -> None:
        """Wait for a free slot of this host and take it (in the order the requests came)."""
        if self.in_flight < self.limit and not self.waiting:
            self.in_flight += 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await turn  # resolved by ``_hand_on``: the slot is counted as ours already
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # handed a slot as we were cancelled: pass it on
                self.in_flight -= 1
                self._hand_on()
            elif turn in self.waiting:  # (a cancelled turn already passed over is gone)
                self.waiting.remove(turn)
            raise

    def leave(self, now: float) -> None:
        """Give the slot back, to the first waiter if any; the next request's pause counts from ``now``."""
        self.in_flight -= 1
        self.last_end = now
        self._hand_on()

    def _hand_on(self) -> None:
        while self.waiting and self.in_flight < self.limit:
            turn = self.waiting.popleft()
            if not turn.done():
                self.in_flight += 1
                turn.set_result(None)


def host_key(url: str) -> str:
    """The ``host[:port]`` a politeness gate is kept for: ``"https://NLD.com.vn/x"`` → ``"nld.com.vn"``."""
    return urlsplit(url).netloc.lower()


class Fetcher:
    """An httpx ``AsyncClient`` with per-host politeness, retries and caps. Use as ``async with``.

    ``clock`` and ``sleep`` pace the per-host pause and the retry backoff (a test passes a fake pair);
    the overall deadline of one request (3 × ``timeout``) stays on the event loop's real clock.
    ``on_response(url, request headers, Response, sent at)`` sees each 200/3xx/304, for the archive.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 10.0,
        max_bytes: int = 5_000_000,
        retries: int = 3,
        default_delay: float = 1.0,
        max_connections: int = MAX_CONNECTIONS,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        on_response: OnResponse | None = None,
    ) -> None:
        self.user_agent = user_agent
        self._on_response = on_response
        self._clock = clock
        self._sleep = sleep
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.default_delay = default_delay
        self._gates: dict[str, _HostGate] = {}
        # The global cap is ours, not only httpx's: a request waiting for httpx's pool would count
        # that wait against its pool timeout and fail "timeout" on a busy night.
        self.max_connections = max_connections
        self._connections = asyncio.Semaphore(max_connections)
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        # httpx's client is not used: a request goes to the transport, to its httpcore pool when
        # it is ours (scraper.exchange says what is skipped and what is sent as httpx would).
        self._exchange = Exchange(
            transport or asyncio_transport(limits), user_agent=user_agent, timeout=timeout
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._exchange.aclose()

    def set_delay(self, host: str, delay: float) -> None:
        """Set the pause between two requests to ``host`` (``host[:port]``)."""
        self._gate(host).delay = delay

    def set_concurrency(self, host: str, concurrency: int) -> None:
        """Set how many requests may be in flight to ``host`` while its delay is 0."""
        self._gate(host).concurrency = max(1, concurrency)

    def raise_delay(self, host: str, delay: float) -> None:
        """Make the pause for ``host`` at least ``delay`` (robots.txt Crawl-delay)."""
        gate = self._gate(host)
        gate.delay = max(gate.delay, delay)

    def delay_of(self, host: str) -> float:
        """The pause currently kept between two requests to ``host``."""
        return self._gate(host).delay

    async def get(
        self,
        url: str,
        *,
        guard: Guard | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        truncate: bool = False,
        on_send: OnSend | None = None,
        admit: Admit | None = None,
    ) -> Response:
        """GET ``url`` politely and return the final 200 or 304 response.

        ``truncate`` keeps the first ``max_bytes`` of a larger body instead of failing "too-large"
        (robots.txt: RFC 9309 lets a crawler parse the first 500 KiB).

        ``guard(url)`` is awaited before every hop and may raise ``FetchFailure`` (robots, off-site);
        ``etag`` / ``last_modified`` make the request conditional; ``on_send(url)`` is called for every
        HTTP request sent (retries and redirect hops included); ``admit(url)`` is called once the host's
        slot is taken, just before each request is sent, and may raise ``FetchFailure`` (a host paused
        by the circuit breaker while this request waited for its turn). Raises ``FetchFailure`` with a kind:
        "http-404", "http-410", "http-5xx", "http-429", "timeout", "connect", "too-large", "redirect",
        "offsite", "scheme", "network"; the robots guard adds "robots" and "unreachable".
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        cap = self.max_bytes if max_bytes is None else max_bytes
        seen = {url}
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            scheme = urlsplit(current).scheme.lower()
            if scheme not in ("http", "https"):
                raise FetchFailure(url, "scheme", f"only http and https are fetched, not {current!r}")
            if guard is not None:
                await guard(current)
            response = await self._with_retries(current, headers, (cap, truncate), on_send, admit)
            if response.status not in REDIRECT_STATUSES:
                return response
            location = response.headers.get("location")
            if not location:
                raise FetchFailure(url, "redirect", f"{current} answered {response.status} without Location")
            target = join_url(current, location.strip())
            if target is None:
                raise FetchFailure(url, "redirect", f"{current} redirected to {location!r}: not a URL")
            if target in seen:
                raise FetchFailure(url, "redirect", f"redirect loop: {current} → {target}")
            seen.add(target)
            current = target
        raise FetchFailure(url, "redirect", f"more than {MAX_REDIRECTS} redirects (last: {current})")

    def _gate(self, host: str) -> _HostGate:
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = _HostGate(self.default_delay)
        return gate

    async def _with_retries(
        self,
        url: str,
        headers: Mapping[str, str],
        cap: tuple[int, bool],
        on_send: OnSend | None,
        admit: Admit | None = None,
    ) -> Response:
        # The host's slot is held over the retries and their backoff: a host in trouble gets no other
        # request of ours meanwhile, so a failing URL is retried before the next one is tried (and
        # the circuit breaker sees the failures URL by URL, as with one request at a time).
        gate = self._gate(host_key(url))
        await gate.enter()
        try:
            attempt = 1
            while True:
                try:
                    return await self._once(url, headers, cap, on_send, admit)
                except FetchFailure as exc:
                    if attempt > self.retries or not _retryable(exc):
                        raise
                    await self._sleep(self._backoff(exc, attempt))
                    attempt += 1
        finally:
            gate.leave(self._clock())

    def _backoff(self, exc: FetchFailure, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1 = the first request)."""
        if exc.retry_after is not None:
            return exc.retry_after
        # Exponential from the host's own pace (at least 0.1 s), doubled per attempt, plus jitter.
        base = max(0.1, self.delay_of(host_key(exc.url)))
        wait = min(BACKOFF_CAP, base * 2 ** (attempt - 1))
        return wait + random.uniform(0, base)

    async def _once(
        self,
        url: str,
        headers: Mapping[str, str],
        cap: tuple[int, bool],
        on_send: OnSend | None,
        admit: Admit | None = None,
    ) -> Response:
        gate = self._gate(host_key(url))  # its slot is held by ``_with_retries``
        pause = gate.last_end + gate.delay - self._clock()
        if pause > 0:
            await self._sleep(pause)
        if admit is not None:
            admit(url)
        try:
            # The host's slot first, the global one only for the request itself: a host waiting out
            # its pause holds no connection another host could use.
            async with self._connections:
                return await self._send_once(url, headers, cap, on_send)
        finally:
            gate.last_end = self._clock()

    async def _send_once(
        self, url: str, headers: Mapping[str, str], cap: tuple[int, bool], on_send: OnSend | None
    ) -> Response:
        # One request, its failures named as the PageError kinds.
        try:
            if on_send is not None:
                on_send(url)
            sent_at = datetime.now(UTC)
            async with asyncio.timeout(self.timeout * DEADLINE_FACTOR):
                response = await self._send(url, headers, *cap)
            if self._on_response is not None:
                self._on_response(url, {**self._exchange.headers, **headers}, response, sent_at)
            return response
        except (httpx.ConnectError, httpx.ConnectTimeout, *CORE_CONNECT_ERRORS) as exc:
            raise FetchFailure(url, "connect", f"cannot connect: {exc}", retryable=True) from None
        except (httpx.TimeoutException, *CORE_TIMEOUTS):
            raise FetchFailure(url, "timeout", f"no data for {self.timeout:g} s") from None
        except TimeoutError:
            # Bytes kept trickling in, each read within the timeout, but the whole answer did not.
            raise FetchFailure(
                url,
                "timeout",
                f"no complete answer within {self.timeout * DEADLINE_FACTOR:g} s, the deadline of one "
                f"request ({DEADLINE_FACTOR}× the {self.timeout:g} s timeout)",
            ) from None
        except (httpx.HTTPError, *CORE_ERRORS) as exc:
            # A dropped keep-alive connection or a broken answer: worth another try, like a connect error.
            raise FetchFailure(url, "network", f"{type(exc).__name__}: {exc}", retryable=True) from None

    async def _send(self, url: str, headers: Mapping[str, str], cap: int, truncate: bool) -> Response:
        answer = await self._exchange.get(url, headers)
        try:
            return await self._answer(url, answer, cap, truncate)
        finally:
            await answer.close()  # the connection goes back to the pool (or is closed, mid-body)

    async def _answer(self, url: str, answer: Answer, cap: int, truncate: bool) -> Response:
        status, lowered = answer.status, answer.headers
        if status in REDIRECT_STATUSES or status == 304:
            return Response(url, status, lowered, b"")
        if status == 429 or status >= 500:
            kind = "http-429" if status == 429 else "http-5xx"
            after = parse_retry_after(lowered.get("retry-after"))
            return _raise(
                FetchFailure(
                    url,
                    kind,
                    f"HTTP {status}" + (f", Retry-After {after:g} s" if after is not None else ""),
                    status=status,
                    retry_after=after,
                    retryable=True,
                )
            )
        if status >= 400:
            return _raise(FetchFailure(url, f"http-{status}", f"HTTP {status}", status=status))
        if status < 200 or status >= 300:
            return _raise(FetchFailure(url, f"http-{status}", f"unexpected HTTP {status}", status=status))
        length = lowered.get("content-length", "")
        if length.isdigit() and int(length) > cap and not truncate:
            raise FetchFailure(url, "too-large", f"Content-Length {length} is over the cap of {cap} bytes")
        body = await read_capped(answer.body, url, cap, lowered.get("content-encoding", ""), truncate)
        return Response(url, status, lowered, body)


def _raise(exc: FetchFailure) -> Response:
    raise exc


def _retryable(exc: BaseException) -> bool:
    if not isinstance(exc, FetchFailure) or not exc.retryable:
        return False
    return exc.retry_after is None or exc.retry_after <= RETRY_AFTER_CAP
