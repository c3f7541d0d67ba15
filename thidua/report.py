"""What one run did: the counters behind the log line, the ``runs`` row and the exit code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import db
from scraper.crawl import CrawlReport, SiteReport


@dataclass
class RunReport:
    """What one crawl or ingest did, for the log line, the ``runs`` row and the exit code."""

    sites: list[str]
    pages_fetched: int = 0
    requests: int = 0
    not_modified: int = 0
    new_articles: int = 0
    relevant_articles: int = 0
    new_events: int = 0
    duplicates: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    error_list: list[db.RunError] = field(default_factory=list)
    seconds: float = 0.0
    status: str = "ok"
    run_id: int | None = None
    failed_sites: list[str] = field(default_factory=list)  # aborted, or every article failed
    # Per-site counts stored with the run (thidua.health reads them); None for runs of no sites.
    site_counts: dict[str, dict[str, int]] | None = None
    attention: list[str] = field(default_factory=list)  # what nightly health names, one phrase each

    def counts(self) -> dict[str, int]:
        """The numeric counters, as stored in the ``runs`` row."""
        return {
            "pages_fetched": self.pages_fetched,
            "requests": self.requests,
            "not_modified": self.not_modified,
            "new_articles": self.new_articles,
            "relevant_articles": self.relevant_articles,
            "new_events": self.new_events,
            "duplicates": self.duplicates,
            "errors": sum(self.errors.values()),
        }

    def line(self) -> str:
        """One line for the log: ``pages fetched 12, new articles 5, relevant 3, new events 4, …``."""
        errors = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items())) or "none"
        return (
            f"pages fetched {self.pages_fetched}, new articles {self.new_articles}, "
            f"relevant {self.relevant_articles}, new events {self.new_events}, "
            f"errors {sum(self.errors.values())} ({errors}), {self.seconds:.1f} s"
        ) + (f"; needs attention: {'; '.join(self.attention)}" if self.attention else "")

    def add_error(self, error: db.RunError) -> None:
        """Count one error by kind and keep it for ``run_errors``."""
        self.errors[error.kind] += 1
        self.error_list.append(error)

    def add_crawl(self, report: CrawlReport, on_site_done: Callable[[str, str], None] | None = None) -> None:
        """Add the crawler's per-site counts and errors; ``on_site_done(site, line)`` for each site."""
        for site in report.sites:
            self.pages_fetched += site.pages_fetched
            self.requests += site.requests
            self.not_modified += site.not_modified
            self.duplicates += site.duplicates
            for err in site.errors:
                self.add_error(db.RunError(site=err.site, url=err.url, kind=err.kind, message=err.message))
            if on_site_done is not None:
                kinds = Counter(e.kind for e in site.errors)
                errs = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none"
                on_site_done(
                    site.site,
                    f"requests {site.requests}, pages {site.pages_fetched}, new {site.new_articles}, "
                    f"not modified {site.not_modified}, duplicates {site.duplicates}, errors {errs}",
                )


def answered(site: SiteReport) -> bool:
    """True if at least one request of the site got an HTTP answer (any status); False when none did,
    whatever the errors say (DNS, connect, timeout, every URL refused as off the site's hosts)."""
    return site.responses > 0 or site.pages_fetched > 0 or site.not_modified > 0
