"""Keep every response the crawl fetched in size-rotated ``.warc.gz`` files (``crawl --archive DIR``).

``WarcArchive.observe`` is the ``Fetcher``'s response observer: it only puts the exchange on a queue,
so the crawl's event loop never waits for gzip or the disk; one writer thread turns exchanges into
WARC records with warcio (request + response, ``WARC-Date`` = the moment the request was sent,
``WARC-Target-URI``, block and payload digests) and appends them, one gzip member per record, to the
current file. After each exchange the file is flushed, so a run killed at any moment leaves at worst
its last record cut short, which ``scraper.warc.read_warc`` skips in a file thidua wrote (it knows
them by their warcinfo record). A file grown past ``max_bytes`` is closed and the next one begun.

What is archived, and how:

- 200 answers (pages, listings, feeds, sitemaps, robots.txt) as ``response`` records. The payload is
  the body as the crawl read it, content-encoding undone (httpx gives no raw bytes once it has
  inflated them), so ``Content-Encoding``, ``Transfer-Encoding`` and ``Content-Length`` are kept as
  ``X-Archive-Orig-…`` headers and a true ``Content-Length`` is written: any WARC reader decodes the
  record as it stands.
- 3xx answers as ``response`` records without payload (the Location says where the crawl went next).
- 304 answers as ``revisit`` records with the WARC 1.1 profile *server-not-modified*: nothing new was
  fetched, the earlier capture (an earlier file, or before archiving began) holds the page.
- 4xx/5xx and failed requests are not archived: the ``Fetcher`` raises before a response exists, and
  the run's errors (``run_errors``) already say what happened.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.errors import ScraperError
from scraper.fetch import Response
from scraper.warc import SOFTWARE

DEFAULT_MAX_BYTES = 1_000_000_000  # about the size of one CC-NEWS file (sites.toml: [crawl])
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# Headers that described the bytes on the wire, not the payload as archived.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
            307: "Temporary Redirect", 308: "Permanent Redirect"}  # fmt: skip


class ArchiveError(ScraperError):
    """The archive folder cannot be written (missing rights, full disk)."""


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange as the crawl saw it: what was asked, when, and what came back."""

    url: str
    request_headers: Mapping[str, str]
    status: int
    headers: Mapping[str, str]  # the response's, lower-cased names
    content: bytes  # decoded payload ("" for 3xx and 304)
    fetched_at: datetime  # aware: when the request was sent


_STOP = object()


class WarcArchive:
    """An open archive folder: ``observe`` exchanges, then ``close`` (or use it as a context manager).

    Files are named ``{prefix}-{start time}-{pid}-{serial}.warc.gz``, so names sort in the order they
    were written, across runs too. Raises ``ArchiveError`` at once when the folder cannot be written,
    and from ``close`` when writing failed on the way (the crawl itself goes on meanwhile).
    """

    def __init__(
        self, folder: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, prefix: str = "thidua"
    ) -> None:
        if max_bytes <= 0:
            raise ArchiveError(f"archive file size must be > 0 bytes, got {max_bytes}")
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self.files: list[Path] = []
        self.records = 0
        self.skipped: list[str] = []  # exchanges that could not be written, with why
        self._stem = f"{prefix}-{datetime.now(UTC):%Y%m%d%H%M%S}-{os.getpid()}"
        self._queue: queue.Queue[Any] = queue.Queue()
        self._error: str | None = None
        self._out: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._next_file()
        except OSError as exc:
            raise ArchiveError(f"cannot write the archive in {self.folder}: {exc.strerror or exc}") from None
        self._thread = threading.Thread(target=self._run, name="warc-archive", daemon=True)
        self._thread.start()

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def observe(self, exchange: Exchange) -> None:
        """Queue one exchange for the writer thread; returns at once (the ``Fetcher``'s observer)."""
        self._queue.put(exchange)

    def on_response(
        self, url: str, request_headers: Mapping[str, str], response: Response, sent_at: datetime
    ) -> None:
        """The ``Fetcher``'s ``on_response`` observer: queue the exchange (``observe``)."""
        self.observe(
            Exchange(url, dict(request_headers), response.status, response.headers, response.content, sent_at)
        )

    def close(self) -> None:
        """Write what is queued, close the current file; raise ``ArchiveError`` if writing failed."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()
        if self._out is not None:
            self._out.close()
            self._out = None
        if self._error is not None:
            raise ArchiveError(
                f"the archive in {self.folder} stopped after {self.records} records: {self._error}"
            )

    def _run(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            if self._error is not None:
                continue  # drain: the crawl must not block on a dead writer
            try:
                self._write(item)
            except OSError as exc:
                self._error = exc.strerror or str(exc)
            except Exception as exc:  # one exchange warcio refuses: that one is lost, not the archive
                self.skipped.append(f"{item.url}: {type(exc).__name__}: {exc}")

    def _next_file(self) -> None:
        if self._out is not None:
            self._out.close()
        name = f"{self._stem}-{len(self.files) + 1:05d}.warc.gz"
        path = self.folder / name
        self._out = open(path, "xb")  # noqa: SIM115 — kept open across records, closed on rotation/close
        self.files.append(path)
        self._writer = WARCWriter(self._out, gzip=True, warc_version="1.1")
        info = {"software": SOFTWARE, "format": "WARC File Format 1.1", "hostname": os.uname().nodename}
        self._writer.write_record(self._writer.create_warcinfo_record(name, info))

    def _write(self, exchange: Exchange) -> None:
        assert self._writer is not None and self._out is not None
        writer = self._writer
        date = exchange.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        response = _response_record(writer, exchange, date)
        request = writer.create_warc_record(
            exchange.url,
            "request",
            http_headers=_request_head(exchange),
            warc_headers_dict={"WARC-Date": date},
        )
        writer.write_request_response_pair(request, response)
        self._out.flush()  # a kill now loses nothing written so far
        self.records += 2
        if self._out.tell() >= self.max_bytes:
            self._next_file()


def _request_head(exchange: Exchange) -> StatusAndHeaders:
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), *exchange.request_headers.items()]
    return StatusAndHeaders(f"GET {target} HTTP/1.1", headers, protocol="HTTP/1.1", is_http_request=True)


def _response_record(writer: WARCWriter, exchange: Exchange, date: str) -> Any:
    headers = [
        (f"X-Archive-Orig-{name}" if name.lower() in _WIRE_HEADERS else name, value)
        for name, value in exchange.headers.items()
    ]
    headers.append(("Content-Length", str(len(exchange.content))))
    status = f"{exchange.status} {_REASONS.get(exchange.status, '')}".strip()
    head = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    if exchange.status == 304:
        record = writer.create_warc_record(
            exchange.url, "revisit", http_headers=head, warc_headers_dict={"WARC-Date": date}
        )
        record.rec_headers.add_header("WARC-Profile", NOT_MODIFIED_PROFILE)
        return record
    return writer.create_warc_record(
        exchange.url,
        "response",
        payload=BytesIO(exchange.content),
        length=len(exchange.content),
        http_headers=head,
        warc_headers_dict={"WARC-Date": date},
    )
