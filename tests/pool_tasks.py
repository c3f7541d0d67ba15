"""Analyses for tests/test_pool_reader.py, run inside the pool's workers: each behaves by a mark in the
article's text (sleep past any limit, exit the worker, return what cannot pickle, block and say so),
else it returns which page it read, in which worker, and how many pages that worker has read.

A module of its own importing only the standard library at the top: a worker imports it to unpickle
these functions. The pages are made here too (``probe_page``), so a subprocess can build them.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

SLEEPS, EXITS, UNPICKLABLE, BLOCKS = "Ngủ-mãi-mãi", "Thoát-ngay", "Không-đóng-gói", "Chờ-mãi"
PROBE_DIR = "THIDUA_POOL_PROBE_DIR"  # where BLOCKS pages note the worker that took them
EXIT_CODE = 3

served = 0  # pages this worker process has read


def warm() -> None:
    """A worker's warm-up: import what reading a page imports, so no page's time limit pays for it."""
    import scraper.article_pool
    import scraper.parse  # noqa: F401


def probe(article: Any) -> tuple[int, int, int]:
    """Behave by the article's mark; unmarked: (the page's number, this worker's pid, pages served)."""
    global served
    text = article.text
    if SLEEPS in text:
        time.sleep(600.0)
    if EXITS in text:
        os._exit(EXIT_CODE)
    if UNPICKLABLE in text:
        return (n for n in ())  # type: ignore[return-value]  # a generator: pickle refuses it
    if BLOCKS in text:
        (Path(os.environ[PROBE_DIR]) / str(os.getpid())).write_text("busy", encoding="utf-8")
        time.sleep(600.0)
    served += 1
    number = re.search(r"số (\d+)", article.title)
    return int(number.group(1)) if number else -1, os.getpid(), served


def fails_to_warm() -> None:
    """A warm-up that kills its worker: the pool can never get a worker ready."""
    os._exit(EXIT_CODE)


def probe_page(n: int, mark: str = "") -> Any:
    """Page ``n`` of a made-up site, its body carrying ``mark``."""
    from datetime import UTC, datetime

    from scraper.article_pool import Page
    from scraper.sites import Site

    title = f"Cụm thi đua số {n} ký kết giao ước thi đua năm 2026"
    html = (
        f'<html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>'
        '<div class="article-content"><p>Sáng 6-3, Cụm thi đua số '
        f"{n} tổ chức hội nghị ký kết giao ước thi đua năm 2026 tại hội trường phường Bến Thành. {mark}</p>"
        "<p>Các đơn vị thống nhất năm nhóm chỉ tiêu chính, chú trọng chăm lo đời sống người lao động "
        "và nhân rộng các điển hình tiên tiến trong phong trào thi đua.</p></div></body></html>"
    ).encode()
    site = Site("a", ("a.vn",), ("https://a.vn/",), selectors={"title": "h1"})
    url = f"https://a.vn/tin/cum-thi-dua-so-{n}-{1_493_000_000 + n}.html"
    return Page(
        html, url, {"content-type": "text/html; charset=utf-8"}, site, datetime(2026, 3, 6, tzinfo=UTC)
    )
