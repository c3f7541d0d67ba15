"""One GET exchanged with a server, for the fetcher: the request sent, the answer's status and headers,
its body as a stream of raw chunks; the cookies a site sets kept and sent back to it.

httpx stays the HTTP stack (its URL parsing, its cookie jar, httpcore's connection pool and h11), but
the layers a crawl does not use are skipped. httpx's client (merging base URLs, headers, cookies and
auth, its redirect and event-hook loop, a bound stream per response) is not used at all; with the
crawl's own transport (``scraper.netbackend``), the request goes to its httpcore pool directly, without
httpx's request and response objects around httpcore's. At a crawl's thousands of requests those layers
were a tenth of the crawling process's CPU. Any other httpx transport (``httpx.MockTransport`` in tests)
is sent an ``httpx.Request`` and answers an ``httpx.Response``, as httpx's client would.

What goes out is what httpx's client sent: its default headers with ours over them (user agent,
``Accept-Encoding: gzip, deflate``), a Host header, the caller's conditional headers, a Cookie header
when the jar holds cookies for the URL; the client's timeouts. Errors are httpx's (any transport) or
httpcore's (the pool): the fetcher names both.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from scraper.netbackend import AsyncioTransport

# httpcore's exceptions as the fetcher names them (httpx's transport maps them to httpx's own).
CORE_CONNECT_ERRORS = (httpcore.ConnectError, httpcore.ConnectTimeout)
CORE_TIMEOUTS = (httpcore.TimeoutException,)
CORE_ERRORS = (
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    httpcore.ProxyError,
)


@dataclass(frozen=True)
class Answer:
    """A server's answer, its body not read yet: ``close`` it (the connection goes back to the pool)."""

    status: int
    headers: Mapping[str, str]  # lower-cased names
    body: AsyncIterable[bytes]  # raw chunks, as they came (still compressed)
    closing: Any  # what ``close`` closes: the httpx or httpcore response

    async def close(self) -> None:
        """Release the connection (closed, if the body was not read to its end)."""
        await self.closing.aclose()


class Exchange:
    """GETs over ``transport`` with the headers, timeouts and cookies of httpx's client."""

    def __init__(self, transport: httpx.AsyncBaseTransport, *, user_agent: str, timeout: float) -> None:
        self.transport = transport
        # The crawl's own transport: its httpcore pool is sent to directly.
        self._pool = transport.pool if isinstance(transport, AsyncioTransport) else None
        self.jar = _LazyCookies()
        self.headers = {  # what httpx's client sends, ours over its defaults (names and order as its)
            "accept": "*/*",
            "connection": "keep-alive",
            "user-agent": user_agent,
            "accept-encoding": "gzip, deflate",
        }
        self._raw = [(k.encode("ascii"), v.encode("ascii")) for k, v in self.headers.items()]
        self._extensions = {"timeout": httpx.Timeout(timeout).as_dict()}

    async def get(self, url: str, headers: Mapping[str, str]) -> Answer:
        """Send GET ``url`` with ``headers`` (conditional ones) and the jar's cookies; the answer,
        its body still to be read. Raises httpx's or httpcore's errors (``CORE_*``)."""
        if self._pool is None:
            return await self._get_httpx(url, headers)
        parsed = httpx.URL(url)  # httpx's parsing, quoting and IDNA, as its transport would
        raw = [(b"Host", parsed.netloc), *self._raw]
        raw += [(k.encode("ascii"), v.encode("latin-1")) for k, v in headers.items()]
        if self.jar:
            cookie = self._cookie_header(url)
            if cookie is not None:
                raw.append((b"Cookie", cookie.encode("latin-1")))
        target = httpcore.URL(
            scheme=parsed.raw_scheme, host=parsed.raw_host, port=parsed.port, target=parsed.raw_path
        )
        request = httpcore.Request(b"GET", target, headers=raw, extensions=self._extensions)
        response = await self._pool.handle_async_request(request)
        lowered = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
        if "set-cookie" in lowered:
            self._keep_cookies(url, response.status, response.headers)
        stream = response.stream
        assert isinstance(stream, AsyncIterable)  # an async pool's
        return Answer(response.status, lowered, stream, response)

    async def aclose(self) -> None:
        """Close the transport and its connections."""
        await self.transport.aclose()

    async def _get_httpx(self, url: str, headers: Mapping[str, str]) -> Answer:
        request = httpx.Request(
            "GET",
            url,
            headers={**self.headers, **headers} if headers else self.headers,
            extensions=self._extensions,
        )
        if self.jar:  # the cookies this site set, sent back to it (httpx's jar decides which)
            self.jar.set_cookie_header(request)
        response = await self.transport.handle_async_request(request)
        response.request = request
        self.jar.extract_cookies(response)
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)  # an async transport's (httpx checks the same)
        lowered = {k.lower(): v for k, v in response.headers.items()}
        return Answer(response.status_code, lowered, stream, response)

    def _cookie_header(self, url: str) -> str | None:
        probe = httpx.Request("GET", url)
        self.jar.set_cookie_header(probe)
        return probe.headers.get("cookie")

    def _keep_cookies(self, url: str, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        self.jar.extract_cookies(httpx.Response(status, headers=headers, request=httpx.Request("GET", url)))


class _LazyCookies(httpx.Cookies):
    """httpx's cookie jar, read only from answers that set a cookie: httpx builds a urllib request and
    response for every answer to look for Set-Cookie, which most answers of a crawl do not carry."""

    def extract_cookies(self, response: httpx.Response) -> None:
        """Keep the cookies ``response`` sets, as httpx does; nothing to do when it sets none."""
        if "set-cookie" in response.headers:
            super().extract_cookies(response)
