"""The crawl's pool of article workers (``ArticleReader``): started interpreters
(``python -m scraper.pool_worker``), each serving one page at a time over its stdin and stdout.

Why the parts are as they are:
- ``subprocess.Popen`` with its pipes handed to the event loop (``connect_read_pipe``), not
  ``asyncio.create_subprocess_exec``: on Python 3.11 the latter reaps each child with a thread of the
  default ``ThreadedChildWatcher``, and the crawling process is to run no thread (each one is also a
  glibc malloc arena that keeps freed memory). A worker is reaped when it is replaced or closed, after
  SIGKILL, so that wait is short. ``close_fds`` (Popen's default) keeps the crawl's SQLite files and
  sockets out of the workers.
- An asyncio queue of idle workers: a page waits for a free worker there, and its time limit starts
  when a worker takes it (as pebble's did), not while it waits.
- One worker boots at a time (``_turns``): it starts, warms up and says so before the next one starts,
  so warm-ups' transient peaks do not add up and the first worker is serving while the next warms.
- A worker that cannot start three times in a row breaks the pool: every page is then
  ``Unread("internal-worker", …)`` with the reason, rather than waiting for a worker that never comes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from scraper.article_pool import (
    DEFAULT_START_METHOD,
    DEFAULT_TIME_LIMIT,
    Analyse,
    Page,
    Read,
    Unread,
    machine_cores,
)
from scraper.article_pool import read_page as read_page
from scraper.pool_frames import framed, read_frame

BOOT_LIMIT = 120.0  # seconds for a worker to start and warm up (~0.5 s of CPU on an idle machine)
BOOT_FAILURES = 3  # workers failing to start in a row before the pool gives up
START_METHODS = ("spawn", "forkserver")  # the names multiprocessing knew; both mean a started interpreter
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)  # where ``scraper`` is found by a worker


class _Worker:
    """One worker process and the two ends of its channel."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.inlet: asyncio.ReadTransport | None = None

    @classmethod
    def start(cls) -> _Worker:
        """Start a worker process (blocks for the fork and exec only)."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        command = [sys.executable, "-m", "scraper.pool_worker", str(os.getpid())]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        return cls(process)

    async def connect(self) -> None:
        """Hand the worker's pipes to the running event loop."""
        loop = asyncio.get_running_loop()
        assert self.process.stdin is not None and self.process.stdout is not None
        self.reader = reader = asyncio.StreamReader()
        self.inlet, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), self.process.stdout
        )
        transport, protocol = await loop.connect_write_pipe(
            asyncio.streams.FlowControlMixin, self.process.stdin
        )
        self.writer = asyncio.StreamWriter(transport, protocol, None, loop)

    async def send(self, payload: bytes) -> None:
        """Write one frame to the worker; ConnectionError if it is gone."""
        assert self.writer is not None
        self.writer.write(framed(payload))
        await self.writer.drain()

    async def receive(self) -> bytes:
        """The worker's next frame; ``asyncio.IncompleteReadError`` if it died first."""
        assert self.reader is not None
        return await read_frame(self.reader)

    async def call(self, payload: bytes) -> bytes:
        """Send one task and return its answer."""
        await self.send(payload)
        return await self.receive()

    def kill(self, grace: float = 0.0) -> None:
        """Kill the worker (after ``grace`` seconds for one that is already ending), close its pipes and
        reap it (no zombie left)."""
        if grace:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace)
        if self.process.poll() is None:
            self.process.kill()
        # The transports are aborted before the pipes close: that takes the fds off the event loop's
        # selector, where a closed fd would stay registered, and the next worker's pipe, given the same
        # number, would never be read.
        if self.writer is not None and not self.writer.transport.is_closing():
            self.writer.transport.abort()  # close() would wait to flush to a dead worker
        if self.inlet is not None:
            self.inlet.close()  # a page still waiting for its answer sees the end of the stream
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        # A worker in uninterruptible sleep may outlast the wait: the kill is then still pending.
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def died(self) -> str:
        """How the worker ended, for the page's message."""
        code = self.process.poll()
        if code is None:
            return "its channel closed"
        return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


class ArticleReader:
    """Reads article pages for a crawl: in a pool of ``workers`` started processes (None: the machine's
    cores), or in process for ``workers=0``. ``close`` stops the pool; use as ``async with``.
    ``start_method`` is kept from the multiprocessing days: "spawn" and "forkserver" both start a fresh
    interpreter per worker, which imports only what it is sent (never a fork of the crawl)."""

    def __init__(
        self,
        analyse: Analyse | None = None,
        *,
        workers: int | None = None,
        time_limit: float = DEFAULT_TIME_LIMIT,
        warm_up: Callable[[], object] | None = None,
        start_method: str = DEFAULT_START_METHOD,
    ) -> None:
        if start_method not in START_METHODS:
            raise ValueError(f"start_method must be one of {', '.join(START_METHODS)}, not {start_method!r}")
        self.analyse = analyse
        self.warm_up = warm_up
        self.start_method = start_method
        self.workers = machine_cores() if workers is None else workers
        self.time_limit = time_limit
        self._idle: asyncio.Queue[_Worker | None] | None = None
        self._live: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._turns: asyncio.Lock | None = None
        self._failures = 0
        self._broken: str | None = None

    async def __aenter__(self) -> ArticleReader:
        if self.workers > 0:  # the workers boot while the crawl discovers its first articles
            self._start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    @property
    def started(self) -> bool:
        """True once the pool's start was begun (as the reader is entered, or by a page), until closed."""
        return self._idle is not None

    @property
    def worker_pids(self) -> tuple[int, ...]:
        """The pids of the worker processes running now (booting, idle or busy)."""
        return tuple(sorted(w.process.pid for w in self._live))

    async def read(self, page: Page) -> Read | Unread:
        """Read one page; a page over the time limit is ``Unread("extract-timeout", …)`` and its worker
        is replaced; a worker that died under a page is ``Unread("internal-worker", …)``."""
        if self.workers == 0:
            return read_page(page, self.analyse)
        idle = self._idle if self._idle is not None else self._start()
        try:
            task = pickle.dumps((page, self.analyse), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # e.g. a lambda as the analysis
            return Unread(
                "internal-worker", f"the page did not pickle for a worker: {type(exc).__name__}: {exc}"
            )
        worker = await idle.get()
        if worker is None:  # the pool is closed or broken; the next page is told too
            idle.put_nowait(None)
            return Unread("internal-worker", self._broken or "the article reader is closed")
        try:
            async with asyncio.timeout(self.time_limit):
                answer = await worker.call(task)
        except TimeoutError:
            self._replace(worker)
            return Unread(
                "extract-timeout",
                f"parsing and extraction took over {self.time_limit:g} s (the per-article time limit); "
                "stopped, and the worker replaced",
            )
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            self._replace(worker, grace=1.0)  # it is ending: its exit status says how
            return Unread("internal-worker", f"the worker reading the page died: {worker.died()}")
        except BaseException:  # cancelled under a page: its answer may still come, so the worker goes
            self._replace(worker)
            raise
        idle.put_nowait(worker)
        try:
            result = pickle.loads(answer)
        except Exception as exc:
            return Unread(
                "internal-worker", f"the worker's answer did not unpickle: {type(exc).__name__}: {exc}"
            )
        assert isinstance(result, Read | Unread)
        return result

    def _start(self) -> asyncio.Queue[_Worker | None]:
        self._idle = asyncio.Queue()
        self._turns = asyncio.Lock()
        for _ in range(self.workers):
            self._spawn_soon()
        return self._idle

    def _spawn_soon(self) -> None:
        self._background(self._boot())

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _replace(self, worker: _Worker, grace: float = 0.0) -> None:
        worker.kill(grace)
        self._live.discard(worker)
        if self._idle is not None:  # still open: a fresh worker takes its place
            self._spawn_soon()

    async def _boot(self) -> None:
        assert self._turns is not None
        async with self._turns:  # one worker starts and warms up at a time
            if self._idle is None:
                return
            worker: _Worker | None = None
            try:
                worker = _Worker.start()
                self._live.add(worker)  # before any await: a close from now on kills it
                async with asyncio.timeout(BOOT_LIMIT):
                    await self._warm(worker)
            except (asyncio.IncompleteReadError, OSError, TimeoutError) as exc:
                self._boot_failed(worker, exc)
                return
        self._failures = 0
        if self._idle is not None:
            self._idle.put_nowait(worker)

    async def _warm(self, worker: _Worker) -> None:
        try:
            warm_up = pickle.dumps(self.warm_up) if self.warm_up is not None else None
        except Exception:  # not picklable: the worker serves cold, as one whose warm-up failed
            warm_up = None
        await worker.connect()
        await worker.send(pickle.dumps((list(sys.path), warm_up)))
        await worker.receive()  # its pid: the worker is warm

    def _boot_failed(self, worker: _Worker | None, exc: BaseException) -> None:
        if worker is not None:
            worker.kill(grace=1.0)
            self._live.discard(worker)
        if self._idle is None:
            return
        self._failures += 1
        if self._failures < BOOT_FAILURES:
            self._spawn_soon()
            return
        if isinstance(exc, TimeoutError):
            why = f"did not warm up within {BOOT_LIMIT:g} s"
        else:
            why = f"died ({worker.died()})" if worker is not None else f"did not start ({exc})"
        self._broken = f"no worker could start: the last one {why}"
        self._idle.put_nowait(None)

    def close(self) -> None:
        """Stop the pool: kill and reap every worker; pages still waiting or running come back as
        ``Unread("internal-worker", …)`` (their URLs are not marked read)."""
        idle, self._idle = self._idle, None
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._live):
            worker.kill()
        self._live.clear()
        if idle is not None:
            idle.put_nowait(None)  # wakes the pages waiting for a worker
