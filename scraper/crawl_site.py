"""One site's run: its entry points (start URLs, robots.txt sitemaps, search pages) walked side by side,
then what an earlier run left pending taken up. Within one entry point's walk, discovery pages are
read one after another; the articles each one lists are fetched up to the site's article slots at once
(``ArticleFetching._fetch_articles``), each host at its own pace (``scraper.fetch``)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from scraper.crawl_discovery import DiscoveryWalk
from scraper.discover import guess_kind, search_urls, start_urls
from scraper.freshness import newest_first
from scraper.selector_rot import ROT_KIND
from scraper.timezone import VN_TZ


class SiteCrawl(DiscoveryWalk):
    """One site's run; ``run`` never raises except on cancellation."""

    async def run(self) -> None:
        """Crawl the site; never raises except on cancellation."""
        try:
            today = datetime.now(VN_TZ).date()
            entries = [
                (u, guess_kind(u)) for u in start_urls(self.site, since=self.options.since, today=today)
            ]
            entries += await self._robots_sitemaps(entries)
            entries += [(u, "search") for u in search_urls(self.site, self.options.search_terms)]
            await self._walk_entries(entries)
            await self._take_up_pending()
        except Exception as exc:  # a bug on one site must not stop the others
            where = self.site.entry_points[0] if self.site.entry_points else self.site.name
            self._error(where, "internal", f"{type(exc).__name__}: {exc}")
            # Per-page failures are caught per page; reaching here means the site's loop itself broke
            # (e.g. the frontier cannot be written): say so, the run must not count as good.
            self.report.aborted = True
        rot = self.selector_tally.error()  # once per site and run, not once per page
        if rot is not None:
            self._error(rot[0], ROT_KIND, rot[1])
        self._progress(
            f"done: {self.report.new_articles} new, {self.report.requests} requests, "
            f"{len(self.report.errors)} errors"
        )

    async def _walk_entries(self, entries: list[tuple[str, str]]) -> None:
        """Walk the entry points side by side, one task each: a listing read page after page does not
        wait for the sitemaps' articles, nor they for it. Politeness is the fetcher's (each host at
        its delay, or up to its concurrency in flight) and the site's article slots are shared, so
        this changes the order of requests, never their pace. A walk that raises (the run stopped,
        the disk full) stops the others and is raised as it was."""
        walks = [
            asyncio.create_task(self._walk_entry(url, kind))
            for url, kind in entries
            if not (self._broke_lately(url) or url in self.options.rest)
        ]
        try:
            await asyncio.gather(*walks)
        finally:
            for walk in walks:
                walk.cancel()
            await asyncio.gather(*walks, return_exceptions=True)

    async def _walk_entry(self, url: str, kind: str) -> None:
        if not self._budget_spent():
            await self._walk(url, kind)
        # A walk cut at its page cap left its next page pending: taken up now, beside the walks
        # still going, rather than alone after the last of them (a chain of listing pages read one
        # by one, with nothing else in flight).
        await self._take_up_pending_pages()

    async def _robots_sitemaps(self, entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The ``Sitemap:`` lines of robots.txt, for a site configured by its home page alone (listed
        start URLs win): the site's own sitemaps, where an operator would have looked them up."""
        if self.site.start or not entries:
            return []
        rules = await self.robots.rules(entries[0][0], on_send=self._sent)
        known = {url for url, _ in entries}
        return [(u, "sitemap") for u in rules.sitemaps if u not in known and self._owns(u)]

    async def _take_up_pending(self) -> None:
        # Pages and articles an earlier (killed or failed) run left to do, and failures now due.
        await self._take_up_pending_pages()
        pending = self.frontier.pending(self.site.name, "article", datetime.now(UTC))
        left = [(rec.published, rec) for rec in pending if rec.url not in self.attempted]
        await self._fetch_articles(newest_first(left))  # newest first, as discovery's (freshness)

    async def _take_up_pending_pages(self) -> None:
        # The discovery pages left to do; a page another walk took meanwhile is in pages_done.
        progress = True
        while progress and not self._budget_spent() and not self._discovery_spent():
            progress = False
            for kind in ("sitemap", "feed", "listing", "search"):
                for rec in self.frontier.pending(self.site.name, kind, datetime.now(UTC)):
                    if rec.url in self.pages_done or self._budget_spent() or self._discovery_spent():
                        continue
                    if rec.url in self.options.rest:  # a gone entry point: asked weekly, not tonight
                        continue
                    progress = True
                    await self._walk(rec.url, kind)

    def _broke_lately(self, url: str) -> bool:
        """True for an entry point whose last read raised in our own code and whose backoff runs: the
        same bytes would break the same way, every night (other failures are retried each run, as an
        entry point must be read). Also for one left under a host pause whose Retry-After runs."""
        rec = self.frontier.get(url)
        return (
            rec is not None
            and rec.state == "failed"
            and (rec.last_error or "").startswith(("internal-", "host-paused"))
            and rec.next_check is not None
            and rec.next_check > datetime.now(UTC)
        )
