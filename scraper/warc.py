"""Read web archives (WARC, ``.warc`` / ``.warc.gz``) as a stream of the records thidua wants.

``read_warc`` streams one file with fastwarc — never the whole file in memory — and decides on the
WARC headers alone (record type ``response``, the host of ``WARC-Target-URI``) whether a record is
wanted, before any body is read; only kept records have their block read and their HTTP head parsed.

Files thidua wrote itself (``crawl --archive``, ``scraper.archive``; known by their first record, a
warcinfo with ``software: thidua …``) are appended record by record and flushed after each, so the
only damage they can have is a last record cut short by a killed run: that tail is skipped
(``ReadCounts.tail_cut``) and the records before it are read as usual.

Damaged files (any other): fastwarc reads a truncated record or a Content-Length that runs past the
end as a short block without complaint, so each kept block is checked against its Content-Length;
that, a gzip member that does not decompress or a record head that is not WARC raises ``WarcError``.
A file that raises is failed **as a whole**: the caller stores nothing of it (a half-read file would look
finished), records the error, and goes on with the other files.

``warc_sources`` expands what a user names — a file, a folder, a Common Crawl ``warc.paths(.gz)``
list — into the files to read.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from scraper.errors import ScraperError
from scraper.remote import RemoteError, is_url, join_url, open_stream, read_lines

#: File names read from a folder (ARC files are not read: fastwarc reads WARC only).
WARC_SUFFIXES = (".warc", ".warc.gz")
#: The warcinfo ``software`` value that marks a file as thidua's own archive (``scraper.archive``).
SOFTWARE = "thidua crawl --archive"
#: Suffixes of a Common Crawl paths list.
PATHS_SUFFIXES = (".paths", ".paths.gz")


class WarcError(ScraperError):
    """A WARC file cannot be read to its end (corrupt gzip, truncated record, bad Content-Length)."""


@dataclass(frozen=True)
class WarcRecord:
    """One kept ``response`` record: what parsing needs, nothing of the archive's own bookkeeping."""

    uri: str
    fetched_at: datetime  # WARC-Date, timezone-aware
    status: int | None  # HTTP status, None when the head has no status line
    headers: tuple[tuple[str, str], ...]  # HTTP headers, in order, names as written
    body: bytes  # the HTTP payload, transfer- and content-encoding undone

    def header(self, name: str) -> str | None:
        """The first HTTP header called ``name`` (any case), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


@dataclass
class ReadCounts:
    """How many records a read saw (all types) and kept (passed the header filter)."""

    seen: int = 0
    kept: int = 0
    own_archive: bool = False  # the file is thidua's own (``crawl --archive``): see the module's doc
    tail_cut: bool = False  # a file of thidua's own ended in a record cut short (a killed crawl)


def read_warc(path: str | Path, keep: Callable[[str], bool], counts: ReadCounts) -> Iterator[WarcRecord]:
    """Stream the ``response`` records of one WARC file whose target URI ``keep`` accepts.

    ``counts`` is updated as records go by. Raises ``WarcError`` (after yielding what came before) at
    the first damage; an unreadable file raises it too, with the OS's reason. In a file of thidua's
    own archive, damage ends the read instead (``counts.tail_cut``): it can only be a killed run's
    last record.
    """
    remote = is_url(str(path))
    try:
        stream = open_stream(str(path)) if remote else open(path, "rb")  # noqa: SIM115 — closed below
    except RemoteError as exc:
        raise WarcError(str(exc)) from None
    except OSError as exc:
        raise WarcError(f"{path}: cannot open ({exc.strerror or exc})") from None
    try:
        yield from _kept_records(stream, path, keep, counts)
    except WarcError:
        if not counts.own_archive:
            raise
        counts.tail_cut = True  # thidua's own file: a killed crawl's last record, cut short
    except Exception as exc:
        if not remote:
            raise
        # The connection broke, or the server sent something else: that file fails, not the run.
        raise WarcError(
            f"{path}: reading stopped after record {counts.seen} ({type(exc).__name__}: {exc})"
        ) from None
    finally:
        stream.close()


def _kept_records(
    stream: IO[bytes], path: str | Path, keep: Callable[[str], bool], counts: ReadCounts
) -> Iterator[WarcRecord]:
    """``read_warc`` on an open stream; raises ``WarcError`` at the first damage."""
    # any_type so that ``seen`` counts every record; parse_http off so nothing of a skipped
    # record's body is touched (fastwarc skips it by seeking/consuming its Content-Length).
    records = ArchiveIterator(
        stream, record_types=WarcRecordType.any_type, parse_http=False, fsspec_args=False
    )
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except OSError as exc:
            raise WarcError(
                f"{path}: unreadable after record {counts.seen} ({exc}); the file is corrupt or "
                "truncated — download it again"
            ) from None
        counts.seen += 1
        if record.headers.get("Content-Length") is None:  # a head cut short reads as a record without
            raise WarcError(f"{path}: record {counts.seen} has no Content-Length; the file is truncated")
        if counts.seen == 1 and record.record_type == WarcRecordType.warcinfo:
            counts.own_archive = _is_own_archive(record.reader.read(4096))
        if record.record_type != WarcRecordType.response:
            continue
        # WARC/0.x writers wrapped the URI in angle brackets; 1.0 does not.
        uri = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>")
        if not uri or not keep(uri):
            continue
        expected = record.content_length
        block = record.reader.read()
        if len(block) != expected:
            raise WarcError(
                f"{path}: record {counts.seen} ({uri}) declares Content-Length {expected} but "
                f"{len(block)} bytes follow; the file is truncated or the record is damaged"
            )
        when = _date(record.headers.get("WARC-Date"), path, counts.seen)
        counts.kept += 1
        yield _response(uri, when, block, path, counts.seen)


def _is_own_archive(warcinfo: bytes) -> bool:
    """True for the warcinfo block ``scraper.archive`` writes at the head of each of its files."""
    return any(line.strip() == f"software: {SOFTWARE}".encode() for line in warcinfo.splitlines())


def _date(value: str | None, path: str | Path, number: int) -> datetime:
    """WARC-Date as an aware datetime; a kept record without a valid one damages the file (parsing
    needs the fetch time: it ignores page dates after it)."""
    try:
        when = datetime.fromisoformat((value or "").strip().replace("Z", "+00:00"))
    except ValueError:
        raise WarcError(
            f"{path}: record {number} has no valid WARC-Date ({value!r}); the file is damaged"
        ) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _response(uri: str, fetched_at: datetime, block: bytes, path: str | Path, number: int) -> WarcRecord:
    """Split an ``application/http`` block into status, headers and decoded payload."""
    head, sep, payload = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, payload = block.partition(b"\n\n")
    lines = head.decode("iso-8859-1").splitlines()
    status: int | None = None
    if lines and lines[0].startswith("HTTP/"):
        parts = lines[0].split(None, 2)
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        lines = lines[1:]
    headers = tuple(
        (name.strip(), value.strip()) for name, _, value in (line.partition(":") for line in lines) if name
    )
    record = WarcRecord(uri, fetched_at, status, headers, payload)
    try:
        return WarcRecord(uri, fetched_at, status, headers, _decoded(record))
    except (ValueError, OSError, zlib.error, EOFError) as exc:
        raise WarcError(f"{path}: record {number} ({uri}) has an undecodable payload ({exc})") from None


def _decoded(record: WarcRecord) -> bytes:
    """Undo chunked transfer encoding and gzip/deflate content encoding, as a browser would."""
    body = record.body
    if "chunked" in (record.header("Transfer-Encoding") or "").lower():
        body = _unchunk(body)
    encoding = (record.header("Content-Encoding") or "").lower().strip()
    if encoding in ("gzip", "x-gzip"):
        body = gzip.decompress(body)
    elif encoding == "deflate":
        body = zlib.decompress(body)
    return body


def _unchunk(body: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while True:
        end = body.index(b"\r\n", pos)
        size = int(body[pos:end].split(b";", 1)[0], 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2


def is_warc_name(name: str) -> bool:
    """True for names of WARC files thidua reads (``.warc``, ``.warc.gz``)."""
    return name.lower().endswith(WARC_SUFFIXES)


def warc_sources(sources: Sequence[str | Path], *, base: str | Path | None = None) -> list[str]:
    """The WARC files named by ``sources``: files as given, folders searched (sorted), paths lists read.

    A paths list (``warc.paths`` or ``warc.paths.gz``, one relative path a line, as Common Crawl
    publishes them: ``crawl-data/CC-NEWS/2024/03/CC-NEWS-….warc.gz``) is resolved against ``base``
    (a local mirror of the bucket, or its URL: ``https://data.commoncrawl.org/``) or, without one,
    against the folder holding the list. A source may be an http(s) or s3 URL of a WARC file or of
    a paths list (``scraper.remote``; folders are searched on disk only). Local paths are made
    absolute so that a rerun from elsewhere recognises finished files. Raises ``WarcError`` for a
    source that does not exist or is not a WARC file, folder or paths list.
    """
    found: list[str] = []
    for source in sources:
        text = str(source)
        if is_url(text):
            found.extend(_url_source(text, base))
            continue
        path = Path(source)
        if path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and is_warc_name(p.name))
        elif path.name.lower().endswith(PATHS_SUFFIXES) and path.is_file():
            found.extend(_resolved(base if base is not None else path.parent, _lines(path)))
        elif path.is_file() and is_warc_name(path.name):
            found.append(str(path))
        elif not path.exists():
            raise WarcError(f"{source}: no such file or folder")
        else:
            raise WarcError(f"{source}: not a WARC file (.warc, .warc.gz), a folder or a warc.paths list")
    unique = (f if is_url(f) else str(Path(f).absolute()) for f in found)
    return list(dict.fromkeys(unique))


def _url_source(url: str, base: str | Path | None) -> list[str]:
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1].lower()
    if name.endswith(PATHS_SUFFIXES):
        try:
            lines = read_lines(url)
        except RemoteError as exc:
            raise WarcError(str(exc)) from None
        return _resolved(base if base is not None else url.rsplit("/", 1)[0], lines)
    if is_warc_name(name):
        return [url]
    raise WarcError(f"{url}: a URL source must name a WARC file (.warc, .warc.gz) or a warc.paths list")


def _resolved(root: str | Path, lines: Sequence[str]) -> list[str]:
    """Paths-list lines against a local folder or a URL."""
    if is_url(str(root)):
        return [join_url(str(root), line) for line in lines]
    return [str(Path(root) / line) for line in lines]


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            return [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    except (OSError, UnicodeDecodeError) as exc:
        raise WarcError(f"{path}: cannot read the paths list ({exc})") from None
