"""The frames the crawl and its pool workers exchange over a worker's stdin and stdout: a pickle,
preceded by its length (8 bytes, big-endian), so that each side reads exactly one message.

The worker's side reads and writes raw file descriptors (``read_frame_from``, ``write_frame_to``);
the crawl's side reads an asyncio stream (``read_frame``). This module imports no asyncio: the worker
imports it, and asyncio (with ssl) would cost every worker ~8 MB for nothing.
"""

from __future__ import annotations

import os
import struct
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asyncio import StreamReader

_LENGTH = struct.Struct(">Q")


def framed(payload: bytes) -> bytes:
    """``payload`` with its length in front, ready to write: ``framed(b"ab") == b"\\0" * 7 + b"\\2ab"``."""
    return _LENGTH.pack(len(payload)) + payload


async def read_frame(stream: StreamReader) -> bytes:
    """The next frame's payload from ``stream``; ``asyncio.IncompleteReadError`` if the stream ends
    before it (the worker died)."""
    (length,) = _LENGTH.unpack(await stream.readexactly(_LENGTH.size))
    return await stream.readexactly(length)


def _read_exactly(fd: int, count: int) -> bytes | None:
    parts: list[bytes] = []
    while count:
        part = os.read(fd, min(count, 1 << 20))
        if not part:
            return None
        parts.append(part)
        count -= len(part)
    return b"".join(parts)


def read_frame_from(fd: int) -> bytes | None:
    """The next frame's payload from file descriptor ``fd``, or None at end of file (the crawl closed
    the pipe or died), also when the end cuts a frame short."""
    header = _read_exactly(fd, _LENGTH.size)
    if header is None:
        return None
    return _read_exactly(fd, _LENGTH.unpack(header)[0])


def write_frame_to(fd: int, payload: bytes) -> None:
    """Write ``payload`` as one frame to file descriptor ``fd`` (blocking until all of it is written)."""
    view = memoryview(framed(payload))
    while view:
        view = view[os.write(fd, view) :]
