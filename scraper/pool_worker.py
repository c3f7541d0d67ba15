"""A crawl's pool worker: ``python -m scraper.pool_worker``, started by ``scraper.pool_reader``.

It reads frames (``scraper.pool_frames``) on its stdin and answers on its stdout, one task at a time:
1. the setup: the crawl's ``sys.path`` (so the analysis' module is found as the crawl finds it) and
   the warm-up function or None; it runs the warm-up and answers with its pid ("warm");
2. then tasks ``(page, analyse)``, each answered with ``read_page``'s ``Read`` or ``Unread``; a result
   that does not pickle is answered as ``Unread("internal-worker", …)``.
It exits at the end of its stdin (the crawl closed it, or died: the kernel closes a dead process's
pipes), and, while a task runs, within a second of its parent's death (an interval timer checks the
parent pid), so a SIGKILLed crawl leaves no worker behind.

Its stdout is the crawl's channel: whatever the analysis prints goes to stderr instead. It imports
only the standard library until a frame asks for more (no asyncio, no multiprocessing).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable
from types import FrameType

from scraper.pool_frames import read_frame_from, write_frame_to

PARENT_CHECK = 1.0  # seconds between two checks that the crawl is alive


def _private_channel() -> tuple[int, int]:
    """Keep stdin and stdout for the frames, and point fd 0 at /dev/null and fd 1 at stderr, so that
    no print and no child process can write into (or read from) the channel."""
    channel_in, channel_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    return channel_in, channel_out


def _exit_when_orphaned(parent: int) -> None:
    def check(signum: int, frame: FrameType | None) -> None:
        if os.getppid() != parent:  # the crawl died: nobody will read what this worker finishes
            os._exit(0)

    signal.signal(signal.SIGALRM, check)
    signal.setitimer(signal.ITIMER_REAL, PARENT_CHECK, PARENT_CHECK)


def warm(warm_up: Callable[[], object] | None) -> None:
    """Run the warm-up; if it fails the worker still serves: a page then pays for the load itself,
    and a real fault in it comes back as that page's ``Unread``."""
    if warm_up is None:
        return
    try:
        warm_up()
    except Exception:  # the page that needs what failed to load reports it
        return


def answer(task: bytes) -> bytes:
    """One task frame's answer frame: the pickled ``Read``/``Unread`` of ``read_page``."""
    from scraper.article_pool import Unread, read_page

    try:
        page, analyse = pickle.loads(task)
        result: object = read_page(page, analyse)
    except Exception as exc:  # the task did not unpickle here
        result = Unread(
            "internal-worker", f"the task did not unpickle in the worker: {type(exc).__name__}: {exc}"
        )
    try:
        return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        message = f"the result did not pickle: {type(exc).__name__}: {exc}"
        return pickle.dumps(Unread("internal-worker", message), protocol=pickle.HIGHEST_PROTOCOL)


def serve(channel_in: int, channel_out: int) -> None:
    """Set up, warm up, say so, then answer tasks until the end of the input."""
    setup = read_frame_from(channel_in)
    if setup is None:
        return
    path, warm_up_frame = pickle.loads(setup)
    sys.path[:] = path
    try:
        warm_up = pickle.loads(warm_up_frame) if warm_up_frame is not None else None
    except Exception:
        warm_up = None
    warm(warm_up)
    write_frame_to(channel_out, pickle.dumps(os.getpid()))
    while (task := read_frame_from(channel_in)) is not None:
        write_frame_to(channel_out, answer(task))


def main() -> None:
    """The worker's entry: ``python -m scraper.pool_worker PARENT_PID``."""
    # Ctrl-C reaches the whole process group: the crawl stops its workers itself, and a worker
    # interrupted mid-page would only print a traceback and look like a crash.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_when_orphaned(int(sys.argv[1]))
    channel_in, channel_out = _private_channel()
    with contextlib.suppress(BrokenPipeError):  # the crawl closed its end: nothing left to answer
        serve(channel_in, channel_out)


if __name__ == "__main__":
    main()
