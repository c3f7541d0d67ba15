"""Progress: the crawl's live per-site display, and the file-by-file tally of backfill and reparse.

On a terminal both show a rich display on stdout that disappears when the run ends; under cron there
is nothing on stdout, and the log on stderr has one line per site (crawl) or per file (``FileTally``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


@contextmanager
def progress_display(sites: Sequence[str], *, enabled: bool) -> Iterator[Callable[[str, str], None]]:
    """Yield ``show(site, message)``: one updating line per site on a terminal, a no-op otherwise.

    The display goes to stdout and disappears when the crawl ends, so what remains on screen (and in
    cron mail) is the log on stderr.
    """
    if not enabled:
        yield lambda site, message: None
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[site]:<14}"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(),
        transient=True,
    )
    tasks = {site: progress.add_task("waiting", site=site, total=None) for site in sites}
    with progress:

        def show(site: str, message: str) -> None:
            task = tasks.get(site)
            if task is None:
                task = tasks[site] = progress.add_task(message, site=site, total=None)
            progress.update(task, description=message[:80])

        yield show


@dataclass
class FileTally:
    """Running totals of a run over files (backfill, reparse): files done of ``total``, records
    read and their rate, articles and events kept so far. ``clock`` is monotonic seconds."""

    total: int
    done: int = 0
    records: int = 0
    articles: int = 0
    events: int = 0
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def add(self, records: int, articles: int, events: int) -> None:
        """Count one more file done, with what it gave."""
        self.done += 1
        self.records += records
        self.articles += articles
        self.events += events

    def rate(self) -> float:
        """Records read per second since the run began (0 before any time has passed)."""
        seconds = self.clock() - self.started
        return self.records / seconds if seconds > 0 else 0.0

    def line(self, path: str, detail: str) -> str:
        """The log line of the file just added: ``file 3/10 CC-NEWS-….warc.gz: records 2000, … ·
        total: 6000 records (5,200/s), articles 12, events 9``."""
        name = PurePosixPath(str(path).replace("\\", "/")).name or str(path)
        return (
            f"file {self.done}/{self.total} {name}: {detail} · total: {self.records:,} records "
            f"({self.rate():,.0f}/s), articles {self.articles}, events {self.events}"
        )


@contextmanager
def files_display(*, enabled: bool) -> Iterator[Callable[[FileTally], None]]:
    """Yield ``show(tally)``: a bar of files done / total with the rate and the kept counts on a
    terminal, a no-op otherwise (the per-file log lines are the progress under cron)."""
    if not enabled:
        yield lambda tally: None
        return
    progress = Progress(
        SpinnerColumn(),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(),
        transient=True,
    )
    task = progress.add_task("starting", total=None)
    with progress:

        def show(tally: FileTally) -> None:
            progress.update(
                task,
                completed=tally.done,
                total=tally.total,
                description=(
                    f"{tally.rate():,.0f} records/s, articles {tally.articles}, events {tally.events}"
                ),
            )

        yield show
