"""A circuit breaker per host: a host that says "not now" is left alone for the rest of the run.

A host is paused when one answer carries a Retry-After longer than the fetcher waits inline
(``RETRY_AFTER_CAP``: the server asked for hours, not seconds; up to a credible year), or after
``PAUSE_AFTER`` URLs in a row failed with 5xx or 429 (each already retried by the fetcher, so a host
gets at most ``PAUSE_AFTER`` × (1 + retries) requests). Any other answer from the host (200, 304, even
404) resets the count: the server is up. A run shares one breaker over all its sites, since two sites
may share a host. The pause holds for the run; the next run starts closed, but the URLs skipped under
a Retry-After pause carry its end as their ``next_check`` (see ``SiteState._skip_paused``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from scraper.fetch import RETRY_AFTER_CAP, FetchFailure

PAUSE_AFTER = 3  # URLs in a row answered 5xx/429 before the host is paused for the run
# A Retry-After beyond a year is a broken header, not a plan (issue 10's 999999999999 s): that URL
# backs off (clamped, see ``SiteState._fail``) but the host is not paused on its word.
CREDIBLE_RETRY_AFTER = 365 * 86400.0


@dataclass(frozen=True)
class Pause:
    """Why a host is paused, and until when if the host said (Retry-After); None: for the run."""

    reason: str
    until: datetime | None = None


@dataclass
class HostBreaker:
    """Counts the overload answers of each host (``host[:port]``) and says which hosts are paused."""

    threshold: int = PAUSE_AFTER
    failures: dict[str, int] = field(default_factory=dict)
    paused: dict[str, Pause] = field(default_factory=dict)

    def pause_of(self, host: str) -> Pause | None:
        """The pause of ``host``, or None when it may be asked."""
        return self.paused.get(host)

    def answered(self, host: str) -> None:
        """The host answered something other than 5xx/429: it is up, the count starts again."""
        self.failures.pop(host, None)

    def failed(self, host: str, failure: FetchFailure, now: datetime) -> Pause | None:
        """Note a failed fetch of a URL of ``host``; return the pause it opened, if it opened one."""
        status = failure.status
        if status is None or not (status == 429 or status >= 500):
            # A timeout or a 404 says nothing about overload; a timeout does not reset either.
            if status is not None:
                self.answered(host)
            return None
        if host in self.paused:
            return None
        after = failure.retry_after
        if after is not None and RETRY_AFTER_CAP < after <= CREDIBLE_RETRY_AFTER:
            # Clamped like the frontier's backoff (a week): the next night's run asks again after it.
            seconds = min(after, timedelta(days=7).total_seconds())
            pause = Pause(f"HTTP {status} with Retry-After {after:g} s", now + timedelta(seconds=seconds))
            self.paused[host] = pause
            return pause
        count = self.failures.get(host, 0) + 1
        self.failures[host] = count
        if count < self.threshold:
            return None
        pause = Pause(f"{count} URLs in a row answered HTTP 5xx/429 (last: HTTP {status})")
        self.paused[host] = pause
        return pause
