"""RSS/Atom feeds: links, hints and the date traps (US month-first dates without a zone)."""
# ruff: noqa: E501 - page and feed samples read better unwrapped

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from scraper.errors import ParseError
from scraper.feeds import parse_feed, parse_feed_date

VN = timezone(timedelta(hours=7))

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Thời sự</title><link>https://nld.com.vn</link>
<item><title>Cụm thi đua 17 ký kết giao ước năm 2026</title>
<link>https://nld.com.vn/cum-thi-dua-17-ky-ket-196260306101010123.htm</link>
<description><![CDATA[<a href="x"><img src="a.jpg"></a>(NLĐO) - Sáng 6-3, <b>Cụm thi đua 17</b> tổ chức hội nghị.]]></description>
<pubDate>Fri, 06 Mar 2026 10:10:00 +0700</pubDate></item>
<item><title>Giá vàng hôm nay</title><link>https://nld.com.vn/gia-vang-196260306111111123.htm</link>
<pubDate>3/6/2026 3:42:00 PM</pubDate></item>
<item><title>Không có link</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Tin</title>
<entry><title>Khối thi đua tổng kết</title><link href="/tin-tuc/khoi-thi-dua-1491907111"/>
<id>x</id><updated>2026-03-05T08:00:00+07:00</updated><summary>Chiều 5/3, Khối thi đua …</summary></entry>
</feed>"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fri, 06 Mar 2026 10:10:00 +0700", datetime(2026, 3, 6, 10, 10, tzinfo=VN)),
        ("Fri, 06 Mar 2026 03:10:00 GMT", datetime(2026, 3, 6, 10, 10, tzinfo=VN)),
        ("Fri, 06 Mar 2026 10:10:00", datetime(2026, 3, 6, 10, 10, tzinfo=VN)),
        ("10/5/2026 3:42:00 PM", datetime(2026, 10, 5, 15, 42, tzinfo=VN)),
        ("3/6/2026 8:02:19 AM", datetime(2026, 3, 6, 8, 2, 19, tzinfo=VN)),
        ("2026-03-06T10:10:00+07:00", datetime(2026, 3, 6, 10, 10, tzinfo=VN)),
        ("2026-03-06T03:10:00Z", datetime(2026, 3, 6, 10, 10, tzinfo=VN)),
        ("2026-03-07T08:52:11.000 +07:00", datetime(2026, 3, 7, 8, 52, 11, tzinfo=VN)),
        ("hôm qua", None),
        ("", None),
    ],
)
def test_parse_feed_date(text: str, expected: datetime | None) -> None:
    got = parse_feed_date(text)
    assert got == expected
    if got is not None:
        assert got.tzinfo is not None


def test_rss_entries_with_hints_in_feed_order() -> None:
    entries = parse_feed(RSS.encode(), "https://nld.com.vn/rss/thoi-su.rss")
    assert [e.url for e in entries] == [
        "https://nld.com.vn/cum-thi-dua-17-ky-ket-196260306101010123.htm",
        "https://nld.com.vn/gia-vang-196260306111111123.htm",
    ]
    first, second = entries
    assert first.title == "Cụm thi đua 17 ký kết giao ước năm 2026"
    assert first.lead is not None and first.lead.startswith("(NLĐO) - Sáng 6-3, Cụm thi đua 17")
    assert first.published == datetime(2026, 3, 6, 10, 10, tzinfo=VN)
    assert second.published == datetime(2026, 3, 6, 15, 42, tzinfo=VN)  # M/D/Y, not 3 June


def test_atom_links_are_resolved_against_the_feed_url() -> None:
    (entry,) = parse_feed(ATOM.encode(), "https://thanhuytphcm.vn/rss/tin-tuc.atom")
    assert entry.url == "https://thanhuytphcm.vn/tin-tuc/khoi-thi-dua-1491907111"
    assert entry.published == datetime(2026, 3, 5, 8, tzinfo=VN)
    assert entry.lead == "Chiều 5/3, Khối thi đua …"


@pytest.mark.parametrize("data", [b"<html><body>not a feed</body></html>", b"", b"\x00\x01garbage"])
def test_not_a_feed_is_a_clear_error(data: bytes) -> None:
    with pytest.raises(ParseError, match="not a readable feed"):
        parse_feed(data, "https://x.vn/rss")
