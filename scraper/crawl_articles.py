"""A site's article pages: an article URL found by discovery is recorded (relevance gate, ``--since``,
known or not), then fetched, read (decoded, parsed and analysed, in the crawl's process pool) and
stored by the crawl's one writer; duplicates by content hash or article key are not handed on twice.
Up to the site's ``concurrency`` articles are in flight at once (the fetcher keeps each host's pace)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from scraper.article_pool import Page, Read, Unread
from scraper.crawl_failures import SiteState, Step
from scraper.discover import Hint, id_date
from scraper.errors import ParseError
from scraper.freshness import due_again
from scraper.frontier import UrlRecord
from scraper.selector_rot import SelectorTally
from scraper.timezone import vn_date
from scraper.urls import article_key, canonical_url


@dataclass
class _Slot:
    """The slot an article's task holds: a fetching slot until its page arrived, then a reading one."""

    held: asyncio.Semaphore


class ArticleFetching(SiteState):
    """The article steps of a site's run."""

    selector_tally: SelectorTally  # set by DiscoveryWalk: which configured selectors missed (rot)

    def _note_article(self, hint: Hint, *, via: str) -> tuple[bool, UrlRecord | None, date | None]:
        """Record an article URL found by discovery.

        Returns (known before this run, the record if it should be fetched now, its date if known).
        """
        try:
            key = canonical_url(hint.url)
        except ParseError:
            return False, None, None
        if not (self._owns(key) or self._owns(hint.url)):
            return True, None, None
        if self.article_re is not None and not (
            self.article_re.search(hint.url) or self.article_re.search(key)
        ):
            return True, None, None
        now = datetime.now(UTC)
        rec = self.frontier.get(key)
        if rec is None:  # a new form of a known article (slash, slug, query) costs no fetch
            twin = self.frontier.article_twin(self.site.name, key)
            if twin is not None:
                key, rec = twin.url, twin
        # Known = settled by an earlier run; a URL merely discovered (by a killed run) is still news.
        known = (
            rec is not None
            and rec.state in ("fetched", "gone", "skipped")
            and (rec.discovered_at is None or rec.discovered_at < self.run_started)
        )
        published = hint.published or (rec.published if rec is not None else None)
        when = vn_date(published) if published is not None else id_date(key)
        self.fetch_url.setdefault(key, hint.url)
        rec = due_again(self.frontier, rec, hint, since=self.options.since)  # updated since fetched
        if rec is not None and rec.state in ("fetched", "gone"):
            return known, None, when
        if self.options.since is not None and when is not None and when < self.options.since:
            self.report.skipped += 1
            return known, None, when
        title = hint.title or (rec.title if rec is not None else None)
        passes = (
            via == "search" or not self.site.gate or self.gate.matches(url=key, title=title, lead=hint.lead)
        )
        if rec is not None and rec.state == "skipped":
            robots_skip = (rec.last_error or "").startswith(("robots", "offsite", "too-large"))
            if not passes or (robots_skip and not self.options.full):
                return known, None, when
            rec = replace(rec, state="new", last_error=None, title=title, published=published)
            self.frontier.put(rec)
        elif rec is None:
            rec = UrlRecord(
                key,
                self.site.name,
                "article",
                state="new" if passes else "skipped",
                discovered_at=now,
                title=title,
                published=published,
                last_error=None if passes else "relevance: no search term in title, slug or lead",
            )
            self.frontier.put(rec)
            if not passes:
                self.report.skipped += 1
                return known, None, when
        if rec.state == "failed" and rec.next_check is not None and rec.next_check > now:
            return known, None, when
        return known, rec, when

    async def _fetch_articles(self, recs: Sequence[UrlRecord]) -> list[datetime]:
        """Fetch, read and store ``recs``, up to the site's concurrency at once, within the run's
        budgets; return the publication dates of those read."""
        dates: list[datetime] = []
        broken: list[BaseException] = []  # what a task raised past its page's own handling

        async def one(rec: UrlRecord) -> None:
            slot = _Slot(self.slots)
            try:
                published = await self._fetch_article(rec, slot)
            except BaseException as exc:
                broken.append(exc)
                raise
            finally:
                slot.held.release()
            if published is not None:
                dates.append(published)

        tasks: list[asyncio.Task[None]] = []
        try:
            for rec in recs:
                await self.slots.acquire()  # no task is made before a slot is free: memory stays flat
                if self._budget_spent() or broken:
                    self.slots.release()
                    break
                tasks.append(asyncio.create_task(one(rec)))
            # What a task raised past its page's own handling (the run being stopped) is raised
            # here as it was, for the site's loop to see.
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
        return dates

    async def _fetch_article(self, rec: UrlRecord, slot: _Slot) -> datetime | None:
        """Fetch, parse and hand on one article; return its publication date when it was read.
        ``slot`` is the fetching slot the task holds, traded for a reading slot once the page came."""
        current = self.frontier.get(rec.url) or rec
        if current.state in ("fetched", "gone") or rec.url in self.attempted:
            return current.published
        if self._budget_spent():  # checked here, with no wait before the count: tasks run at once
            return None
        self.attempted.add(rec.url)
        key = rec.url
        same = self.keys_fetched.get(_safe_key(key))
        if same is not None and same != key:
            first = self.frontier.get(same)
            self.report.duplicates += 1
            self.frontier.put(
                replace(
                    current,
                    state="fetched",
                    fetched_at=datetime.now(UTC),
                    last_error=None,
                    content_hash=first.content_hash if first else None,
                )
            )
            return current.published
        self.article_attempts += 1
        step = Step("fetch")
        try:
            return await self._read_article(key, current, step, slot)
        except Exception as exc:
            # Whatever a step raised is this page's error, named after the step; the site goes on.
            self._fail(
                self.frontier.get(key) or current, f"internal-{step.name}", f"{type(exc).__name__}: {exc}"
            )
            return None

    async def _read_article(self, key: str, current: UrlRecord, step: Step, slot: _Slot) -> datetime | None:
        """Fetch, read and store one article; ``step`` names the step running."""
        fetched_at = datetime.now(UTC)
        response = await self._get(self.fetch_url.get(key, key), current)
        if response is None:
            return None
        if response.status != 200:
            self._fail(
                current, f"http-{response.status}", f"unexpected HTTP {response.status} for an article"
            )
            return None
        self.report.pages_fetched += 1
        step.name = "read"
        await self.reading.acquire()  # then the fetching slot goes to the next page (no await between)
        slot.held.release()
        slot.held = self.reading
        page = Page(response.content, response.url, dict(response.headers), self.site, fetched_at)
        read = await self.reader.read(page)
        if isinstance(read, Unread):  # parse, internal-extract, extract-timeout …: the site goes on
            self._fail(current, read.kind, read.message)
            return None
        self.selector_tally.saw(key, read.article)
        step.name = "store"
        if self.writer is None:
            return self._store(key, current, read, response.url, fetched_at)
        return await self.writer.write(lambda: self._store(key, current, read, response.url, fetched_at))

    def _store(
        self, key: str, current: UrlRecord, read: Read, final_url: str, fetched_at: datetime
    ) -> datetime | None:
        """Hand on a read article and mark its URLs fetched, after it was stored (the writer's job)."""
        article = read.article
        current = self.frontier.get(key) or current
        others = {article.canonical_url, _canonical_or_none(final_url)} - {key, None}
        aliases = [u for u in others if u is not None and self._owns(u)]

        def done(base: UrlRecord) -> UrlRecord:
            return replace(
                base,
                state="fetched",
                fetched_at=fetched_at,
                http_status=200,
                attempts=0,
                next_check=None,
                last_error=None,
                content_hash=article.content_hash,
                title=article.title or current.title,
                published=article.published or current.published,
            )

        duplicate_of = self.frontier.url_for_hash(article.content_hash)
        if duplicate_of is None:
            duplicate_of = next(
                (u for u in aliases if (r := self.frontier.get(u)) is not None and r.state == "fetched"), None
            )
        if duplicate_of is not None and duplicate_of != key:
            self.report.duplicates += 1
            self.frontier.put(done(current))
            return article.published
        try:
            self.on_read(read)
        except Exception as exc:  # storage failed: retry this URL on the next run, go on with the others
            self._fail(current, "store", f"{type(exc).__name__}: {exc}", retry_now=True)
            return article.published
        self.frontier.put(done(current))
        self.keys_fetched[_safe_key(key)] = key
        for alias in aliases:
            old = self.frontier.get(alias)
            base = old or UrlRecord(alias, self.site.name, "article", discovered_at=fetched_at)
            self.frontier.put(done(base))
        self.report.new_articles += 1
        self._progress(f"article {key}")
        return article.published


def _safe_key(url: str) -> str:
    try:
        return article_key(url)
    except ParseError:
        return url


def _canonical_or_none(url: str) -> str | None:
    try:
        return canonical_url(url)
    except ParseError:
        return None
