"""RSS and Atom feeds (feedparser): the article links they list, with title, lead and date hints.

Dates: RFC 822 and ISO 8601 as usual; tuoitre-style "10/5/2026 3:42:00 PM" is US month/day/year
without a zone, read as +07:00. A date without an offset is Vietnam time, not UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser
from selectolax.lexbor import LexborHTMLParser

from scraper.errors import ParseError
from scraper.timezone import VN_TZ

_US_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")
_SPACE_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2})$")
# Character references to surrogates (U+D800–U+DFFF, 55296–57343): no character, never valid text.
_CHAR_REF = re.compile(rb"&#([xX][0-9a-fA-F]{1,32}|[0-9]{1,32});?")


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: its link and the hints the relevance gate and ``--since`` use."""

    url: str
    title: str | None
    lead: str | None
    published: datetime | None


def parse_feed_date(text: str | None) -> datetime | None:
    """Read a feed date into an aware datetime (+07:00 when the feed gives no zone), or None.

    ``parse_feed_date("10/5/2026 3:42:00 PM")`` → 2026-10-05 15:42:00+07:00;
    ``parse_feed_date("Fri, 06 Mar 2026 10:10:00 +0700")`` → 2026-03-06 10:10:00+07:00.
    """
    if not text:
        return None
    text = " ".join(text.split())
    for parse in (_rfc822, _iso, _us):
        found = parse(text)
        if found is not None:
            return found if found.tzinfo else found.replace(tzinfo=VN_TZ)
    return None


def parse_feed(data: bytes, url: str) -> tuple[FeedEntry, ...]:
    """Parse RSS/Atom bytes into entries in feed order (links resolved against ``url``).

    Raises ``ParseError`` when the bytes are not a readable feed. Never touches the network.
    """
    # feedparser's loose parser turns "&#55296;" into a lone surrogate and then fails to encode it
    # (UnicodeEncodeError), and "&#99999999999;" overflows chr(): make such references U+FFFD
    # first, and any other failure of feedparser a ParseError.
    data = _CHAR_REF.sub(_no_surrogate, data)
    try:
        parsed: Any = feedparser.parse(data, response_headers={"content-location": url})
    except (ValueError, OverflowError, RecursionError) as exc:  # UnicodeError is a ValueError
        raise ParseError(f"{url}: not a readable feed ({type(exc).__name__}: {exc})") from None
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS/Atom root element"
        raise ParseError(f"{url}: not a readable feed ({reason})")
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            continue
        published = parse_feed_date(item.get("published") or item.get("updated"))
        entries.append(
            FeedEntry(
                url=link.strip(),
                title=_clean(item.get("title")),
                lead=_clean(_text_of(item.get("summary"))),
                published=published,
            )
        )
    return tuple(entries)


def _no_surrogate(match: re.Match[bytes]) -> bytes:
    digits = match.group(1)
    code = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    return b"&#xFFFD;" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else match.group(0)


def _text_of(html: str | None) -> str | None:
    if not html or "<" not in html:
        return html
    tree = LexborHTMLParser(html)
    return tree.text(separator=" ") if tree.body is not None else html


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    return " ".join(text.split()) or None


def _rfc822(text: str) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", text) or "/" in text:
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _iso(text: str) -> datetime | None:
    candidate = _SPACE_OFFSET.sub(r"\1", text).replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _us(text: str) -> datetime | None:
    for fmt in _US_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None
