"""The sites file's ``[crawl]`` table: defaults of the crawl that are not about one site.

::

    [crawl]
    archive = "archive/"      # crawl --archive DIR by default (relative to the sites file's folder)
    archive_file_mb = 1000    # start a new .warc.gz file past this size (megabytes, default 1000)

Validated when the sites file is loaded (``scraper.sites.load_sites``), like every ``[[site]]``:
an unknown key or a bad value is refused with the file's name.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scraper.errors import SitesError

CRAWL_KEYS = ("archive", "archive_file_mb")
DEFAULT_ARCHIVE_FILE_MB = 1000.0


@dataclass(frozen=True)
class CrawlSettings:
    """What ``[crawl]`` says: the archive folder (None: no archive by default) and its file size."""

    archive: Path | None = None
    archive_file_bytes: int = int(DEFAULT_ARCHIVE_FILE_MB * 1_000_000)


def parse_crawl_settings(table: object, origin: str, folder: Path) -> CrawlSettings:
    """Validate a ``[crawl]`` table (None when the file has none); relative paths are taken from
    ``folder``, the sites file's own, so the setting means the same from any working directory."""
    if table is None:
        return CrawlSettings()
    where = f"{origin}: [crawl]"
    if not isinstance(table, Mapping):
        raise SitesError(f"{where} must be a table of settings, got {table!r}")
    unknown = sorted(set(table) - set(CRAWL_KEYS))
    if unknown:
        raise SitesError(f"{where}: unknown key {unknown[0]!r}; known: {', '.join(CRAWL_KEYS)}")
    archive = table.get("archive")
    if archive is not None and (not isinstance(archive, str) or not archive.strip()):
        raise SitesError(f"{where}: 'archive' must be a folder path, got {archive!r}")
    size = table.get("archive_file_mb", DEFAULT_ARCHIVE_FILE_MB)
    if isinstance(size, bool) or not isinstance(size, int | float) or not math.isfinite(size) or size <= 0:
        raise SitesError(f"{where}: 'archive_file_mb' must be a number of megabytes > 0, got {size!r}")
    return CrawlSettings(
        archive=(folder / Path(archive).expanduser()) if archive else None,
        archive_file_bytes=max(1, int(size * 1_000_000)),
    )


def load_crawl_settings(path: str | Path | None = None) -> CrawlSettings:
    """The ``[crawl]`` settings of a sites file (default: the packaged one, which has none).

    Raises ``SitesError`` for an unreadable file or a bad table, as ``load_sites`` does.
    """
    from scraper.sites import default_sites_path

    file = Path(path) if path is not None else default_sites_path()
    data = read_sites_toml(file)
    return parse_crawl_settings(data.get("crawl"), str(file), file.parent)


def read_sites_toml(file: Path) -> dict[str, object]:
    """The tables of a sites file, or ``SitesError`` saying why it cannot be read (missing, not
    TOML, not UTF-8, unreadable): the one reader of ``load_sites`` and ``load_crawl_settings``."""
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SitesError(f"sites file not found: {file}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SitesError(f"{file} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise SitesError(f"cannot read sites file {file}: {exc.strerror}") from None
