"""The crawl's own pool of article workers (scraper/pool_reader.py, scraper/pool_worker.py): each
failure of a task costs that page alone, every page is answered once, and no worker outlives the pool,
closed or killed. The analyses are tests/pool_tasks.py's, run in real worker processes; every wait
polls with a generous limit (a slow machine makes it longer, never wrong).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from scraper.article_pool import ArticleReader, Read, Unread
from scraper.pool_frames import framed, read_frame, read_frame_from, write_frame_to
from tests import pool_tasks
from tests.pool_tasks import probe_page

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 3.0  # per page; the pages that must pass take milliseconds, SLEEPS takes ten minutes
PATIENCE = 60.0  # seconds any wait below may take before the test fails


def gone(pid: int) -> bool:
    """True if ``pid`` is no running process (none, or a zombie its new parent has not reaped yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


async def until(condition: Any, what: str) -> None:
    for _ in range(int(PATIENCE * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {PATIENCE:g} s: {what}")


def reader(**kwargs: Any) -> ArticleReader:
    options: dict[str, Any] = {"workers": 1, "time_limit": LIMIT, "warm_up": pool_tasks.warm, **kwargs}
    return ArticleReader(pool_tasks.probe, **options)


@pytest.mark.parametrize(
    ("mark", "kind", "says", "replaced"),
    [
        (pool_tasks.SLEEPS, "extract-timeout", "per-article time limit", True),
        (pool_tasks.EXITS, "internal-worker", f"exit code {pool_tasks.EXIT_CODE}", True),
        (pool_tasks.UNPICKLABLE, "internal-worker", "did not pickle", False),
    ],
    ids=["sleeps-past-the-limit", "worker-exits", "result-does-not-pickle"],
)
async def test_a_failing_task_is_one_unread_and_the_next_page_is_read(
    mark: str, kind: str, says: str, replaced: bool
) -> None:
    async with reader() as pool:
        before = await pool.read(probe_page(1))
        failed = await pool.read(probe_page(2, mark))
        after = await pool.read(probe_page(3))
        assert len(pool.worker_pids) == 1
    assert isinstance(failed, Unread) and failed.kind == kind and says in failed.message
    assert isinstance(before, Read) and isinstance(after, Read)
    assert before.result[0] == 1 and after.result[0] == 3  # type: ignore[index]
    assert (before.result[1] != after.result[1]) is replaced  # type: ignore[index]  # the pids


async def test_many_concurrent_reads_over_two_workers_are_each_answered_once() -> None:
    async with reader(workers=2) as pool:
        results = await asyncio.gather(*(pool.read(probe_page(n)) for n in range(40)))
    assert all(isinstance(r, Read) for r in results)
    numbers = [r.result[0] for r in results]  # type: ignore[union-attr]
    assert numbers == list(range(40))  # each read got its own page's answer
    counts: dict[int, list[int]] = defaultdict(list)
    for r in results:
        counts[r.result[1]].append(r.result[2])  # type: ignore[union-attr]
    # Each worker's pages are numbered 1..k with no repeat: no page was read twice.
    assert all(sorted(c) == list(range(1, len(c) + 1)) for c in counts.values())
    assert sum(len(c) for c in counts.values()) == 40 and len(counts) <= 2


async def test_close_with_pages_in_flight_answers_them_all_and_leaves_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pool_tasks.PROBE_DIR, str(tmp_path))  # the workers inherit it
    pool = reader(workers=2, time_limit=600.0)
    async with pool:
        reads = [asyncio.ensure_future(pool.read(probe_page(n, pool_tasks.BLOCKS))) for n in range(5)]
        await until(lambda: len(list(tmp_path.iterdir())) == 2, "both workers busy")
        pids = pool.worker_pids
    results = await asyncio.wait_for(asyncio.gather(*reads), PATIENCE)
    assert [r.kind for r in results] == ["internal-worker"] * 5  # type: ignore[union-attr]
    assert len(pids) == 2 and all(gone(pid) for pid in pids) and not pool.started


@pytest.mark.parametrize("when", ["never-entered", "while-booting", "twice"])
async def test_close_before_any_task_leaves_no_worker(when: str) -> None:
    pool = reader(workers=2)
    pids: tuple[int, ...] = ()
    if when != "never-entered":
        async with pool:
            await until(lambda: pool.worker_pids, "a worker booting")
            pids = pool.worker_pids
    pool.close()
    assert not pool.started and pool.worker_pids == () and all(gone(pid) for pid in pids)
    assert pids or when == "never-entered"


async def test_a_pool_whose_workers_cannot_start_says_so_instead_of_waiting() -> None:
    async with reader(warm_up=pool_tasks.fails_to_warm) as pool:
        result = await asyncio.wait_for(pool.read(probe_page(1)), PATIENCE * 3)
    assert isinstance(result, Unread) and result.kind == "internal-worker"
    assert "no worker could start" in result.message and f"exit code {pool_tasks.EXIT_CODE}" in result.message


CRAWL = """
import asyncio, json, os, sys
from scraper.article_pool import ArticleReader
from tests import pool_tasks
from tests.pool_tasks import probe_page

async def main(busy):
    pool = ArticleReader(pool_tasks.probe, workers=2, time_limit=600.0, warm_up=pool_tasks.warm)
    async with pool:
        if busy:
            reads = [asyncio.ensure_future(pool.read(probe_page(n, pool_tasks.BLOCKS))) for n in range(2)]
            while len(os.listdir(os.environ[pool_tasks.PROBE_DIR])) < 2:
                await asyncio.sleep(0.1)
        else:
            while len(pool.worker_pids) < 2 or pool._idle.qsize() < 2:
                await pool.read(probe_page(1))
        print(json.dumps(pool.worker_pids), flush=True)
        await asyncio.sleep(3600)

asyncio.run(main(sys.argv[1] == "busy"))
"""


@pytest.mark.parametrize("state", ["idle", "busy"])
async def test_a_sigkilled_crawl_leaves_no_worker(tmp_path: Path, state: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), pool_tasks.PROBE_DIR: str(tmp_path)}
    crawl = subprocess.Popen([sys.executable, "-c", CRAWL, state], stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        assert crawl.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(crawl.stdout.readline), PATIENCE * 2)
        pids = json.loads(line)
        assert len(pids) == 2 and not any(gone(pid) for pid in pids)
    finally:
        crawl.send_signal(signal.SIGKILL)
        crawl.wait()
        if crawl.stdout is not None:
            crawl.stdout.close()
    await until(lambda: all(gone(pid) for pid in pids), f"the {state} workers exit")


@pytest.mark.parametrize("payload", [b"", b"x", bytes(range(256)) * 400], ids=["empty", "one", "100k"])
async def test_frames_come_back_whole_over_a_pipe_and_a_stream(payload: bytes) -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb", buffering=0) as inlet:
        writer = asyncio.ensure_future(asyncio.to_thread(write_frame_to, write_end, payload))
        assert await asyncio.to_thread(read_frame_from, inlet.fileno()) == payload
        await writer
        os.close(write_end)
        assert read_frame_from(inlet.fileno()) is None  # end of file: the crawl is gone
    stream = asyncio.StreamReader()
    stream.feed_data(framed(payload) + framed(b"next"))
    assert await read_frame(stream) == payload and await read_frame(stream) == b"next"
