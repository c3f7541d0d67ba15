"""A live per-site progress display for a terminal; nothing at all under cron."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


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
