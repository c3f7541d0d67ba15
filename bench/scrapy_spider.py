"""The Scrapy side of ``bench/crawl_bench.py``: the same local site crawled by Scrapy 2.19.

Run by the Scrapy venv's Python (it imports nothing of thidua):
``scrapy_spider.py BASE OUT.jsonl`` crawls from the site's feed, sitemap index and section listing
(robots.txt obeyed, delay 0, Scrapy's default concurrency), follows every article link and every
next page, and writes one JSON line per article (URL, title, lead, body paragraphs) to OUT.jsonl;
then it prints one JSON line of its stats (article pages, requests, seconds) on stdout.
"""

from __future__ import annotations

import json
import re
import sys
import time

import scrapy
from scrapy.crawler import CrawlerProcess

ARTICLE = re.compile(r"-\d{18}\.htm$")


class BenchSpider(scrapy.Spider):
    """Feed, sitemaps and listing pages in; article pages parsed into items."""

    name = "bench"

    def __init__(self, base: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.base = base
        self.start_urls = [f"{base}/rss.rss", f"{base}/sitemaps.xml", f"{base}/thoi-su.htm"]

    def parse(self, response):  # type: ignore[no-untyped-def]
        if response.url.endswith((".xml", ".rss")):
            response.selector.remove_namespaces()
            for loc in response.xpath("//sitemap/loc/text()").getall():
                yield response.follow(loc, self.parse)
            for link in response.xpath("//url/loc/text() | //item/link/text()").getall():
                if ARTICLE.search(link):
                    yield response.follow(link, self.parse_article)
            return
        for href in response.css("div.box-category-middle a.box-category-link-title::attr(href)").getall():
            if ARTICLE.search(href):
                yield response.follow(href, self.parse_article)
        more = response.css("a.btn-viewmore::attr(href)").get()
        if more:
            yield response.follow(more, self.parse)

    def parse_article(self, response):  # type: ignore[no-untyped-def]
        yield {
            "url": response.url,
            "title": response.css("h1.detail-title::text").get(default="").strip(),
            "lead": response.css("h2.detail-sapo::text").get(default="").strip(),
            "body": [p.strip() for p in response.css("div.detail-content > p::text").getall() if p.strip()],
        }


def main() -> None:
    base, out = sys.argv[1], sys.argv[2]
    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "ERROR",
            "ROBOTSTXT_OBEY": True,
            "DOWNLOAD_DELAY": 0,
            "TELNETCONSOLE_ENABLED": False,
            "FEEDS": {out: {"format": "jsonlines", "encoding": "utf8"}},
            "USER_AGENT": "thidua-bench (scrapy)",
        }
    )
    crawler = process.create_crawler(BenchSpider)
    started = time.perf_counter()
    process.crawl(crawler, base=base)
    process.start()
    seconds = time.perf_counter() - started
    stats = crawler.stats.get_stats() if crawler.stats else {}
    with open(out, encoding="utf8") as items:
        pages = sum(1 for _ in items)
    print(
        json.dumps({"pages": pages, "requests": stats.get("downloader/request_count", 0), "seconds": seconds})
    )


if __name__ == "__main__":
    main()
