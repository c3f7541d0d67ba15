"""The crawl's one writer: a task that runs every article's storage step, one after another, in the
order they were handed in.

Sites fetch and parse in parallel, but an article's storage (its duplicate check, the caller's store,
the frontier marks that say it is done) runs here, whole, before the next one starts: two articles
never interleave their writes, and an article URL is marked fetched only after its own store returned.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple[Callable[[], Any], "asyncio.Future[Any]"]


class Writer:
    """Runs storage jobs in order on one task. Use as ``async with Writer() as writer``.

    A job that raises an ``Exception`` fails only its own article (the caller records it). One that
    raises anything else (the process is being stopped) stops the writer: no later job runs, so
    nothing is stored after the point the run was stopped at, and every waiting caller gets it.
    """

    def __init__(self) -> None:
        self._queue: asyncio.Queue[_Job | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._stopped: BaseException | None = None
        self.written = 0  # jobs run

    async def __aenter__(self) -> Writer:
        self._task = asyncio.create_task(self._run(), name="thidua-writer")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._queue.put_nowait(None)
        if self._task is not None:
            await self._task

    async def write(self, job: Callable[[], T]) -> T:
        """Queue ``job`` (synchronous, it does the writes) and return its result once it ran; what it
        raises is raised here."""
        if self._stopped is not None:
            raise self._stopped
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((job, future))
        return await future

    async def _run(self) -> None:
        while (item := await self._queue.get()) is not None:
            job, future = item
            if future.cancelled():  # its article's task was cancelled while it waited
                continue
            if self._stopped is not None:
                future.set_exception(self._stopped)
                continue
            try:
                result = job()
            except Exception as exc:
                future.set_exception(exc)
            except BaseException as exc:  # handed to the caller, who re-raises it
                self._stopped = exc
                future.set_exception(exc)
            else:
                future.set_result(result)
            self.written += 1
