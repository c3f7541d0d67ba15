"""Backfill benchmark: a generated archive of 20,000 WARC records, 5 % from configured hosts.

    /work/main/.venv/bin/python bench/backfill_bench.py [--records 20000] [--files 10] [--workers 2]

In a temporary directory it writes ``--files`` ``.warc.gz`` files (one gzip member per record, as
Common Crawl does): a warcinfo record per file, then response records of about 6 KB of HTML each
(made-up text); 5 % of them are on the configured hosts, half of those about an emulation cluster.
It prints:

- header filtering: records/s of ``scraper.warc.read_warc`` on one core (gunzip + WARC heads + the
  filter; the bodies of skipped records are never parsed);
- end to end: records/s and MB/s of gzipped WARC (and so seconds per GB) of
  ``thidua.backfill.backfill`` in-process (read, filter, parse, gate, extract, store), and with
  ``--workers N`` through a Dask LocalCluster when Dask is installed;
- peak RSS of this process (and of the workers, with Dask).
"""

from __future__ import annotations

import argparse
import gzip
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.sites import Site
from scraper.warc import ReadCounts, read_warc
from thidua.backfill import BackfillOptions, backfill, wanted

SITES = (
    Site(name="tinh", hosts=("baotinh.vn",), start=("https://baotinh.vn/",)),
    Site(name="huyen", hosts=("huyen.gov.vn",), start=("https://huyen.gov.vn/",)),
)
OTHER_HOSTS = [f"news{i}.example.com" for i in range(40)] + [f"tin{i}.example.vn" for i in range(10)]
FILLER = (
    "Người dân trong tỉnh tiếp tục đẩy mạnh sản xuất, kinh doanh và chăm lo đời sống văn hóa tinh thần. "
) * 50


def article(url: str, n: int, relevant: bool) -> bytes:
    topic = f"Cụm thi đua số {n % 12 + 1} ký kết giao ước thi đua" if relevant else f"Tin tức thứ {n}"
    lead = (
        f"Sáng {n % 28 + 1}/3, Cụm thi đua số {n % 12 + 1} tổ chức hội nghị ký kết giao ước thi đua năm 2024."
        if relevant
        else "Một ngày làm việc bình thường ở địa phương."
    )
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{topic}</title>'
        f'<link rel="canonical" href="{url}">'
        '<meta property="article:published_time" content="2024-03-05T08:00:00+07:00"></head>'
        f'<body><article><h1>{topic}</h1><p class="sapo">{lead}</p><div class="content"><p>{lead}</p>'
        f"<p>{FILLER}</p></div></article></body></html>"
    ).encode()


def record(uri: str, payload: bytes, kind: str = "response") -> bytes:
    if kind == "response":
        block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + payload
        ctype = "application/http; msgtype=response"
    else:
        block, ctype = payload, "application/warc-fields"
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-06T01:02:03Z\r\n"
        f"Content-Type: {ctype}\r\nContent-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def generate(folder: Path, records: int, files: int) -> list[Path]:
    rng = random.Random(13)
    per_file = records // files
    paths = []
    n = 0
    for f in range(files):
        path = folder / f"CC-NEWS-202403-{f:05d}.warc.gz"
        with path.open("wb") as out:
            out.write(gzip.compress(record("", b"software: backfill_bench\r\n", kind="warcinfo"), 1))
            for _ in range(per_file - 1):
                n += 1
                if rng.random() < 0.05:
                    host = rng.choice(("baotinh.vn", "huyen.gov.vn"))
                    relevant = rng.random() < 0.5
                else:
                    host, relevant = rng.choice(OTHER_HOSTS), rng.random() < 0.5
                url = f"https://{host}/bai-{n}.html"
                out.write(gzip.compress(record(url, article(url, n, relevant)), 1))
        paths.append(path)
    return paths


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--workers", type=int, default=0, help="Also run through Dask with N workers.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "warcs"
        folder.mkdir()
        started = time.perf_counter()
        paths = generate(folder, args.records, args.files)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"generated {args.records} records in {len(paths)} files, {size:.1f} MB gzipped, "
            f"{time.perf_counter() - started:.1f} s"
        )

        keep = wanted(BackfillOptions(SITES))
        counts = ReadCounts()
        started = time.perf_counter()
        for path in paths:
            for _ in read_warc(path, keep, counts):
                pass
        took = time.perf_counter() - started
        print(
            f"header filter: {counts.seen} records, {counts.kept} kept, {counts.seen / took:,.0f} records/s "
            f"on one core ({size / took:.1f} MB/s gzipped)"
        )

        started = time.perf_counter()
        report = backfill(Path(tmp) / "inproc.db", [folder], SITES)
        took = time.perf_counter() - started
        print(
            f"end to end in-process: {counts.seen / took:,.0f} records/s, {size / took:.1f} MB/s of "
            f"WARC ({took * 1000 / size:.0f} s per GB gzipped), {took:.1f} s, "
            f"{report.new_articles} articles, {report.new_events} events; peak RSS {rss_mb():.0f} MB"
        )

        if args.workers:
            try:
                from thidua.backfill_dask import run_on_local_cluster
            except ImportError as exc:
                print(f"dask: not available ({exc})")
                return
            started = time.perf_counter()
            report, worker_mb, start = run_on_local_cluster(
                Path(tmp) / "dask.db", [folder], SITES, args.workers
            )
            dask_took = time.perf_counter() - started
            run = dask_took - start
            print(
                f"end to end, {args.workers} Dask workers: {counts.seen / dask_took:,.0f} records/s, "
                f"{size / dask_took:.1f} MB/s of WARC ({dask_took * 1000 / size:.0f} s per GB gzipped), "
                f"{dask_took:.1f} s, of which {start:.1f} s starting the cluster (speed-up "
                f"{took / dask_took:.2f}× with the start, {took / run:.2f}× without: "
                f"{counts.seen / run:,.0f} records/s), {report.new_articles} articles; "
                f"peak RSS per worker {worker_mb:.0f} MB"
            )


if __name__ == "__main__":
    main()
