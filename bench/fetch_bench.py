"""Fetch benchmark: CPU per request of ``scraper.fetch.Fetcher``, httpx's default (anyio) transport
against ``scraper.netbackend``'s asyncio one, alternating A B A B in one run.

Run from the repository root: ``.venv/bin/python bench/fetch_bench.py [--requests N] [--rounds R]
[--size BYTES] [--latency SECONDS] [--concurrency C]``. A ``RouteServer`` in a child process (so its
CPU is not the client's) serves one page of ``--size`` bytes after ``--latency``; the fetcher GETs it
``--requests`` times, ``--concurrency`` at a time on one host with delay 0, as the crawl does. Printed
per run: the client's CPU milliseconds per request (``time.process_time``), wall seconds, requests
per second, and the machine's load beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from scraper.fetch import MAX_CONNECTIONS, Fetcher
from scraper.netbackend import asyncio_transport

SERVER = """
import sys
from thidua.demo.routeserver import Reply, RouteServer
body = b"<p>x</p>" * (int(sys.argv[1]) // 8)
latency = float(sys.argv[2])
server = RouteServer(lambda request: Reply(200, body, {"Content-Type": "text/html"}, sleep=latency))
server.start()
print(server.port, flush=True)
server.serve_forever()
"""


async def run(base: str, transport: str, requests: int, concurrency: int) -> tuple[float, float]:
    """GET ``base`` ``requests`` times through ``transport``; (CPU seconds, wall seconds)."""
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS)
    chosen = asyncio_transport(limits) if transport == "asyncio" else httpx.AsyncHTTPTransport(limits=limits)
    async with Fetcher(user_agent="bench", default_delay=0.0, transport=chosen) as fetcher:
        fetcher.set_concurrency(base.split("//")[1], concurrency)
        await fetcher.get(base + "/warm")  # the connection pool and the imports are not measured
        cpu, wall = time.process_time(), time.perf_counter()
        # As the crawl does: only ``concurrency`` requests exist at once (each worker takes the next).
        pages = iter(range(requests))

        async def worker() -> None:
            for n in pages:
                await fetcher.get(f"{base}/p{n}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", type=int, default=90_000)
    parser.add_argument("--latency", type=float, default=0.020)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--transports", default="anyio,asyncio", help="which to run, in this order")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(args.size), str(args.latency)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert server.stdout is not None
        base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
        ms = args.latency * 1000
        print(f"{args.requests} GETs of {args.size} bytes, {ms:.0f} ms latency, {args.concurrency} at a time")
        for n in range(1, args.rounds + 1):
            for transport in args.transports.split(","):
                cpu, wall = asyncio.run(run(base, transport, args.requests, args.concurrency))
                print(
                    f"#{n} {transport:<8} {1000 * cpu / args.requests:6.3f} ms CPU/request  {wall:6.2f} s  "
                    f"{args.requests / wall:7.1f} requests/s  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
