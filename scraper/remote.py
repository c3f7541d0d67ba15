"""Sources at a URL (``https://…``, ``s3://…``) for ``scraper.warc``, streamed through fsspec.

fsspec is imported only when a URL is read, so local paths work without it installed (it is the
optional extra ``thidua[remote]``; s3 needs ``thidua[s3]``, which adds s3fs). An http(s) WARC is
opened as a stream (``block_size=0``: one GET read as it arrives, no Range requests and never the
whole file in memory); an s3 one through s3fs's buffered reads of a few MB at a time.
"""

from __future__ import annotations

import gzip
import io
import re
from typing import IO, Any

from scraper.errors import ScraperError

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# scheme → (the fsspec driver it needs, the extra that installs it)
_DRIVERS = {
    "s3": ("s3fs", "thidua[s3]"),
    "s3a": ("s3fs", "thidua[s3]"),
    "http": ("aiohttp", "thidua[remote]"),
    "https": ("aiohttp", "thidua[remote]"),
}


class RemoteError(ScraperError):
    """A URL source cannot be read: fsspec (or s3fs) missing, not found, unreachable."""


def is_url(source: str) -> bool:
    """True for ``scheme://…`` sources (``https://data.example.org/x.warc.gz``, ``s3://bucket/k``)."""
    return bool(_URL.match(source)) and not source.lower().startswith("file://")


def scheme_of(url: str) -> str:
    """``"HTTPS://x/y"`` → ``"https"``."""
    return url.split("://", 1)[0].lower()


def join_url(base: str, relative: str) -> str:
    """A paths-list line against a base URL: ``("https://h/", "crawl-data/a.warc.gz")`` → ``https://h/crawl-data/a.warc.gz``."""
    return base.rstrip("/") + "/" + relative.lstrip("/")


def _fsspec(url: str) -> Any:
    try:
        import fsspec
    except ImportError:
        raise RemoteError(f"{url}: URL sources need fsspec: pip install 'thidua[remote]'") from None
    return fsspec


def open_stream(url: str) -> IO[bytes]:
    """Open ``url`` for reading as a stream of bytes; raises ``RemoteError`` with what to do."""
    fsspec = _fsspec(url)
    scheme = scheme_of(url)
    options: dict[str, Any] = {"block_size": 0} if scheme in ("http", "https") else {}
    try:
        handle = fsspec.open(url, "rb", **options).open()
    except ImportError as exc:
        driver, extra = _DRIVERS.get(scheme, (exc.name or "a driver", "thidua[remote]"))
        raise RemoteError(f"{url}: {scheme}:// sources need {driver}: pip install '{extra}'") from None
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise RemoteError(f"{url}: cannot open ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # aiohttp's and botocore's own errors: not found, refused, denied
        raise RemoteError(f"{url}: cannot open ({type(exc).__name__}: {exc})") from None
    return handle


def read_lines(url: str) -> list[str]:
    """The non-empty, non-comment lines of a text file at ``url`` (gunzipped when it ends in .gz)."""
    with open_stream(url) as raw:
        stream: IO[bytes] = (
            gzip.GzipFile(fileobj=raw) if url.lower().endswith(".gz") else raw  # type: ignore[assignment]
        )
        try:
            text = io.TextIOWrapper(stream, encoding="utf-8")
            return [line.strip() for line in text if line.strip() and not line.startswith("#")]
        except (OSError, UnicodeDecodeError, EOFError) as exc:
            raise RemoteError(f"{url}: cannot read the paths list ({exc})") from None
        except Exception as exc:  # the connection broke half way
            raise RemoteError(f"{url}: cannot read the paths list ({type(exc).__name__}: {exc})") from None
