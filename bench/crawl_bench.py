"""Crawl benchmark: the real ``thidua crawl`` path beside Scrapy on one local site of 2,000 articles.

Run from the repository root: ``.venv/bin/python bench/crawl_bench.py [--articles N] [--rounds R]
[--scrapy PYTHON]`` (or ``THIDUA_SCRAPY_PYTHON``; default ``/work/scrapy-venv/bin/python``; without
it the Scrapy side is skipped with one line).

In a temporary directory it writes a site shaped like the fixture pages (made-up text, ~90 KB article
pages with the inline scripts and menus real pages carry): article pages, a section listing with
timelinelist pagination (20 per page), an RSS feed of the latest 50, a sitemap index with two child
sitemaps, robots.txt. The demo's ``RouteServer`` serves it from this process on 127.0.0.1 with
ETag/Last-Modified, 304s and 20 ms latency per answer.

Each round crawls the site twice from scratch, A B A B: thidua (``thidua.app.crawl`` in a child
process: relevance gate off, delay 0, SQLite frontier, extraction in its process pool, storage in the
database) and Scrapy 2.19 (``bench/scrapy_spider.py``: fetch and parse only). Printed per crawl:
article pages per second and the peak RSS of the whole process tree (the crawler and every child:
thidua's pool workers), sampled every 50 ms; PSS beside it (sampled every second: it is dear to
read), which counts a page shared by forked workers once, and each process's RSS at the peak with its
anonymous part (the heap, not the mapped libraries) and its thread count. Then thidua crawls the
unchanged site again on the same database and the server's log says how many requests were
conditional. CPU seconds per process are printed too: on a machine shared with other work they say
more than the wall time.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.crawl_site_pages import PER_PAGE, make_articles, write_site
from thidua.demo.routeserver import LoggedRequest, RouteServer, directory_responder

ROOT = Path(__file__).resolve().parent.parent
LATENCY = 0.020  # seconds before every answer
SCRAPY_PYTHON = "/work/scrapy-venv/bin/python"


def serve(root: Path) -> RouteServer:
    """Serve ``root`` on 127.0.0.1 from a thread of this process, each answer after ``LATENCY``."""
    files = directory_responder(root)

    def respond(request: LoggedRequest) -> Any:
        return dataclasses.replace(files(request), sleep=LATENCY)

    server = RouteServer(respond, name="bench")
    server.start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# PSS reads every process's /proc/PID/smaps_rollup: ~1.5 ms of CPU per process of ~50 MB, on the
# 2 cores the crawlers share, so it is read every PSS_EVERY-th sample; RSS (statm, ~0.02 ms) every one.
# Sampled every 50 ms with both, a four-process tree (thidua's) cost the bench process ~20 % of a core
# against one process (Scrapy's): the measurement slowed the side it measured most.
SAMPLE_SECONDS = 0.05
PSS_EVERY = 20


def tree_memory(
    proc: psutil.Process, cpu: dict[int, float], *, pss: bool = True
) -> tuple[int, int, list[tuple[int, int, int]]]:
    """RSS and PSS (bytes) summed over ``proc`` and all its descendants, and each one's (RSS, anonymous
    RSS, threads) (``proc`` first; anonymous = RSS less the file-backed and shared pages: the heap);
    gone processes count 0; without ``pss`` the PSS is 0 (only the cheap RSS is read). Each one's CPU
    seconds so far go into ``cpu`` by pid."""
    rss = total_pss = 0
    each: list[tuple[int, int, int]] = []
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0, []
    for member in members:
        try:
            info = member.memory_full_info() if pss else member.memory_info()
            threads = member.num_threads()
            times = member.cpu_times()
        except psutil.Error:
            continue
        cpu[member.pid] = times.user + times.system
        rss += info.rss
        total_pss += getattr(info, "pss", info.rss) if pss else 0
        each.append((info.rss, info.rss - getattr(info, "shared", 0), threads))
    return rss, total_pss, each


def measured(command: list[str]) -> tuple[dict[str, Any], float, float]:
    """Run ``command``; return its JSON line, and the peak tree RSS and PSS in MB while it ran."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    watched = psutil.Process(proc.pid)
    peak_rss = peak_pss = 0
    at_peak: list[tuple[int, int, int]] = []
    cpu: dict[int, float] = {}  # CPU seconds by pid, as last sampled (a 50 ms sample misses little)
    samples = 0
    while proc.poll() is None:
        rss, pss, each = tree_memory(watched, cpu, pss=samples % PSS_EVERY == 0)
        samples += 1
        if rss > peak_rss:
            peak_rss, at_peak = rss, each
        peak_pss = max(peak_pss, pss)
        time.sleep(SAMPLE_SECONDS)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({proc.returncode}): {err.strip()[-2000:]}")
    figures = json.loads(out.strip().splitlines()[-1])
    # MB each at the peak, with its anonymous part and (if more than one) its threads.
    figures["processes"] = " + ".join(
        f"{r / 2**20:.0f} (anon {a / 2**20:.0f}{f', {t} threads' if t > 1 else ''})" for r, a, t in at_peak
    )
    others = sorted((s for pid, s in cpu.items() if pid != proc.pid), reverse=True)
    figures["cpu"] = " + ".join(f"{s:.1f}" for s in [cpu.get(proc.pid, 0.0), *others])
    return figures, peak_rss / 2**20, peak_pss / 2**20


def line(label: str, figures: dict[str, Any], rss: float, pss: float) -> float:
    rate = figures["pages"] / figures["seconds"] if figures["seconds"] else 0.0
    extra = f"  {figures['events']:5d} events  errors {figures['errors']}" if "events" in figures else ""
    if "parent_warmed" in figures:
        extra += f"  crawl loaded extraction data: {'yes' if figures['parent_warmed'] else 'no'}"
    extra += f"\n{'':<14} RSS at the peak, MB per process (crawler first): {figures['processes']}"
    extra += f"\n{'':<14} CPU seconds per process (crawler first): {figures['cpu']}"
    print(
        f"{label:<14} {figures['seconds']:6.2f} s  {figures['pages']:5d} article pages  {rate:7.1f} pages/s"
        f"  {figures['requests']:5d} requests  peak RSS {rss:6.0f} MB (tree)  PSS {pss:6.0f} MB{extra}",
        flush=True,
    )
    return rate


def conditional_counts(hits: list[LoggedRequest]) -> tuple[int, int, list[str]]:
    """(requests, conditional requests, paths of the unconditional ones) in a server log."""
    plain = [h.path for h in hits if not ({"if-none-match", "if-modified-since"} & set(h.headers))]
    return len(hits), len(hits) - len(plain), plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2, help="A B rounds (A: thidua, B: Scrapy)")
    parser.add_argument("--scrapy", default=os.environ.get("THIDUA_SCRAPY_PYTHON", SCRAPY_PYTHON))
    parser.add_argument("--workers", type=int, help="thidua's pool size (default: the machine's cores)")
    args = parser.parse_args()
    scrapy = args.scrapy if Path(args.scrapy).exists() else None
    with tempfile.TemporaryDirectory(prefix="thidua-crawl-bench-") as tmp:
        root = Path(tmp) / "site"
        root.mkdir()
        server = serve(root)
        try:
            run_rounds(args, root, Path(tmp), server, scrapy)
        finally:
            server.stop()


def run_rounds(args: Any, root: Path, tmp: Path, server: RouteServer, scrapy: str | None) -> None:
    base = server.base
    articles = make_articles(args.articles)
    write_site(root, articles, base)
    size = sum(len((root / a["path"].lstrip("/")).read_bytes()) for a in articles[:100]) // 100 // 1024
    print(
        f"site: {args.articles} articles of ~{size} KB, {PER_PAGE} per listing page, {LATENCY * 1000:.0f} ms "
        f"latency, at {base}; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    if scrapy is None:
        print(
            f"scrapy: skipped, no Python at {args.scrapy} (make it: python3 -m venv /work/scrapy-venv && "
            "/work/scrapy-venv/bin/pip install scrapy==2.19.0; or pass --scrapy PYTHON)"
        )

    def thidua_cmd(db: Path) -> list[str]:
        workers = [] if args.workers is None else [str(args.workers)]
        child = "from bench.crawl_child import main; main()"  # see bench/crawl_child.py: why -c
        return [sys.executable, "-c", child, str(db), base, *workers]

    rates: dict[str, list[float]] = {"thidua": [], "scrapy": []}
    peaks: dict[str, list[float]] = {"thidua": [], "scrapy": []}
    for n in range(1, args.rounds + 1):
        db = tmp / f"round-{n}.db"
        figures, rss, pss = measured(thidua_cmd(db))
        rates["thidua"].append(line(f"A thidua #{n}", figures, rss, pss))
        peaks["thidua"].append(rss)
        if scrapy is not None:
            out = tmp / f"scrapy-{n}.jsonl"
            figures, rss, pss = measured([scrapy, str(ROOT / "bench" / "scrapy_spider.py"), base, str(out)])
            rates["scrapy"].append(line(f"B scrapy #{n}", figures, rss, pss))
            peaks["scrapy"].append(rss)
    server.requests.clear()
    figures, rss, pss = measured(thidua_cmd(tmp / f"round-{args.rounds}.db"))
    line("unchanged", figures, rss, pss)
    total, conditional, plain = conditional_counts(list(server.requests))
    print(
        f"repeat crawl of the unchanged site: {total} requests, {conditional} conditional, "
        f"{total - conditional} not ({', '.join(plain) or 'none'})"
    )
    if rates["scrapy"]:
        t, s = statistics.median(rates["thidua"]), statistics.median(rates["scrapy"])
        tr, sr = statistics.median(peaks["thidua"]), statistics.median(peaks["scrapy"])
        print(
            f"median: thidua {t:.1f} pages/s at {tr:.0f} MB, scrapy {s:.1f} pages/s at {sr:.0f} MB: "
            f"{t / s:.2f}× the pages/s at {tr / sr:.2f}× the peak RSS"
        )


if __name__ == "__main__":
    main()
