from datetime import UTC, datetime, timedelta

from scraper.frontier import MemoryFrontier, UrlRecord

NOW = datetime(2026, 3, 6, 12, tzinfo=UTC)


def test_pending_returns_new_and_due_failures_in_discovery_order() -> None:
    f = MemoryFrontier()
    f.put(UrlRecord("https://a.vn/2", "a", "article", discovered_at=NOW))
    f.put(UrlRecord("https://a.vn/1", "a", "article", discovered_at=NOW - timedelta(hours=1)))
    f.put(UrlRecord("https://a.vn/3", "a", "article", state="fetched", content_hash="h"))
    f.put(UrlRecord("https://a.vn/4", "a", "article", state="failed", next_check=NOW))
    f.put(UrlRecord("https://a.vn/5", "a", "article", state="failed", next_check=NOW + timedelta(hours=1)))
    f.put(UrlRecord("https://a.vn/feed", "a", "feed"))
    got = [r.url for r in f.pending("a", "article", NOW)]
    assert got == ["https://a.vn/4", "https://a.vn/1", "https://a.vn/2"]
    assert f.url_for_hash("h") == "https://a.vn/3"
    assert f.url_for_hash("x") is None
