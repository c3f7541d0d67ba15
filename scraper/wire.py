"""What comes over the wire, read safely: a streamed body under a cap on both the bytes on the wire and
the decompressed bytes (a gzip bomb stops at the cap, it never balloons), a ``.gz`` file gunzipped under
the same cap, and a Retry-After header read as seconds."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scraper.errors import FetchFailure


async def read_capped(
    r: AsyncIterable[bytes], url: str, cap: int, encoding: str, truncate: bool = False
) -> bytes:
    """The body streamed by ``r`` (a response's raw stream, as it came over the wire), decompressed,
    at most ``cap`` bytes; past the cap ``FetchFailure("too-large")``,
    or with ``truncate`` the first ``cap`` bytes."""
    decoder = _decoder(url, encoding)
    if decoder is None:
        return await _read_plain(r, url, cap, truncate)
    out = bytearray()
    try:
        return await _read_inflated(out, r, url, cap, decoder)
    except FetchFailure as exc:
        if truncate and exc.kind == "too-large":
            return bytes(out[:cap])
        raise


async def _read_plain(r: AsyncIterable[bytes], url: str, cap: int, truncate: bool) -> bytes:
    # The chunks as they came, joined once at the end: one copy of the body (none for one chunk).
    chunks: list[bytes] = []
    total = 0
    async for chunk in r:
        total += len(chunk)
        if total > cap:
            if not truncate:
                raise FetchFailure(url, "too-large", f"body is over the cap of {cap} bytes")
            chunks.append(chunk[: len(chunk) - (total - cap)])
            break
        chunks.append(chunk)
    return b"".join(chunks)


async def _read_inflated(
    out: bytearray, r: AsyncIterable[bytes], url: str, cap: int, decoder: zlib._Decompress
) -> bytes:
    raw_total = 0
    async for chunk in r:
        raw_total += len(chunk)
        if raw_total > cap:
            raise FetchFailure(url, "too-large", f"body is over the cap of {cap} bytes")
        _inflate_into(out, decoder, chunk, cap, url)
    out += decoder.flush()
    if len(out) > cap:
        raise FetchFailure(url, "too-large", f"decompressed body is over the cap of {cap} bytes")
    return bytes(out)


def _decoder(url: str, encoding: str) -> zlib._Decompress | None:
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return None
    if codings == ["gzip"] or codings == ["x-gzip"]:
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if codings == ["deflate"]:
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise FetchFailure(url, "decode", f"unsupported Content-Encoding {encoding!r}")


def _inflate_into(out: bytearray, decoder: zlib._Decompress, chunk: bytes, cap: int, url: str) -> None:
    # max_length keeps every step bounded: a bomb is stopped one cap's worth in, not after inflating.
    data = chunk
    while data:
        try:
            piece = decoder.decompress(data, cap + 1 - len(out))
        except zlib.error as exc:
            raise FetchFailure(url, "decode", f"corrupt compressed body: {exc}") from None
        out += piece
        if len(out) > cap:
            raise FetchFailure(url, "too-large", f"decompressed body is over the cap of {cap} bytes")
        data = decoder.unconsumed_tail


def gunzip_capped(data: bytes, cap: int, url: str = "") -> bytes:
    """Gunzip ``data`` (a ``.gz`` file, not a Content-Encoding) without ever holding more than ``cap``.

    Raises ``FetchFailure(kind="too-large")`` past the cap, ``kind="decode"`` on corrupt data.
    """
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    _inflate_into(out, decoder, data, cap, url)
    out += decoder.flush()
    if len(out) > cap:
        raise FetchFailure(url, "too-large", f"decompressed file is over the cap of {cap} bytes")
    return bytes(out)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: ``"120"`` → 120.0; an HTTP date → seconds until it.

    Returns None when the header is missing or unreadable; never negative.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
