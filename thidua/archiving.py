"""``crawl --archive``: where the crawl's WARC archive goes, and the archive open for one run.

The folder comes from ``--archive DIR`` or, failing that, the sites file's ``[crawl] archive``
(``scraper.settings``); ``scraper.archive.WarcArchive`` writes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from scraper.fetch import OnResponse
from scraper.settings import DEFAULT_ARCHIVE_FILE_MB, load_crawl_settings
from thidua.errors import UsageError


@dataclass(frozen=True)
class ArchiveTarget:
    """An archive folder and the size at which its files rotate."""

    folder: Path
    max_bytes: int = int(DEFAULT_ARCHIVE_FILE_MB * 1_000_000)


@contextmanager
def archiving(target: ArchiveTarget | None) -> Iterator[OnResponse | None]:
    """Yield the ``Fetcher`` observer that archives into ``target`` (None without a target).

    The archive is closed when the block ends, after everything queued was written; a write that
    failed on the way raises ``scraper.archive.ArchiveError`` then (the crawl's run is recorded).
    Raises ``UsageError`` when warcio (the extra ``thidua[archive]``) is not installed.
    """
    if target is None:
        yield None
        return
    try:
        from scraper.archive import ArchiveError, WarcArchive
    except ImportError:  # warcio is the optional extra thidua[archive]
        raise UsageError("--archive needs warcio: pip install 'thidua[archive]'") from None
    archive = WarcArchive(target.folder, max_bytes=target.max_bytes)
    try:
        yield archive.on_response
    except BaseException:
        with suppress(ArchiveError):  # the crawl's own error is the one to report
            archive.close()
        raise
    archive.close()
    if archive.skipped:
        logging.getLogger("thidua").warning(
            "%d response(s) could not be archived, the first: %s", len(archive.skipped), archive.skipped[0]
        )


def archive_target(folder: Path | None, sites_file: Path | None) -> ArchiveTarget | None:
    """Where ``thidua crawl`` archives: ``--archive DIR`` when given, else the sites file's
    ``[crawl] archive`` (None: no archive); the file size always comes from ``[crawl]``."""
    settings = load_crawl_settings(sites_file)
    chosen = folder if folder is not None else settings.archive
    return ArchiveTarget(chosen, settings.archive_file_bytes) if chosen is not None else None
