"""Backfill on Dask: one task per WARC file on the workers, the results stored here, in order.

Workers run ``thidua.backfill.read_file`` (read, filter, parse, extract → a ``FileResult`` of frozen
dataclasses) and never touch the database. The driver takes results as they complete
(``as_completed``) but stores them in the order the files were given, holding early finishers until
their turn: the article and event ids, hence the database, are then the same as an in-process run's,
and the driver stays the only SQLite writer. Dask is an optional extra (``pip install thidua[dask]``).
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from scraper.sites import Site
from thidua.backfill import BackfillOptions, FileResult, backfill, read_file
from thidua.errors import UsageError
from thidua.report import RunReport


def _client(stack: ExitStack, workers: int | None, scheduler: str | None) -> Any:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(
            "--workers/--scheduler need Dask: pip install 'thidua[dask]' (or run without them, in-process)"
        ) from None
    if scheduler is not None:
        return stack.enter_context(Client(scheduler))
    # One thread per worker process: parsing and extraction are pure Python, threads would share the GIL.
    cluster = stack.enter_context(
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    )
    return stack.enter_context(Client(cluster))


def dask_results(
    paths: Sequence[str], options: BackfillOptions, *, workers: int | None, scheduler: str | None
) -> Iterator[FileResult]:
    """Yield ``read_file(path, options)`` for each path, in the order given, computed on Dask."""
    if not paths:
        return
    with ExitStack() as stack:
        client = _client(stack, workers, scheduler)
        from dask.distributed import as_completed  # importable: _client checked Dask is installed

        # pure=False: a file read twice (a rerun of a failed one) is a new task with a key of its own,
        # also when another backfill shares the scheduler.
        futures = [client.submit(read_file, path, options, pure=False) for path in paths]
        index = {future.key: i for i, future in enumerate(futures)}
        ready: dict[int, FileResult] = {}
        next_index = 0
        for future in as_completed(futures):
            i = index[future.key]
            try:
                ready[i] = future.result()
            except Exception as exc:  # a worker died or ran out of memory: that file fails, not the run
                message = f"{paths[i]}: the Dask task failed ({type(exc).__name__}: {exc})"
                ready[i] = FileResult(paths[i], 0, 0, 0, (), (), message)
            future.release()  # the worker may drop it: the driver holds the result now
            while next_index in ready:
                yield ready.pop(next_index)
                next_index += 1


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_on_local_cluster(
    database: str | Path, sources: Sequence[str | Path], sites: Sequence[Site], workers: int
) -> tuple[RunReport, float, float]:
    """For the benchmark: ``backfill`` on a fresh local cluster; returns the report, the workers' peak
    RSS (MB, max) and the seconds the cluster took to start (a cost paid once per backfill, not per
    file, so the bench shows the speed-up with and without it)."""
    from dask.distributed import Client, LocalCluster

    started = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.wait_for_workers(workers)
        start_seconds = time.perf_counter() - started
        report = backfill(database, sources, sites, scheduler=cluster.scheduler_address)
        peaks = client.run(_peak_rss_mb)
    return report, max(peaks.values()), start_seconds
