"""Publication and modification dates of a page, as aware datetimes.

Sources in order of trust: JSON-LD (``datePublished`` / ``dateModified``), meta tags
(``article:published_time``, ``pubdate``, ``itemprop=datePublished`` …), ``<time datetime>`` in the
article, then the byline text read with explicit day-first formats. Never the site's date banner
(today's date in the page header), never HTML comments (US-ordered server timestamps), never a date
after the fetch time. A date without an offset is Vietnam time (+07:00).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.fields import alternatives, nfc
from scraper.timezone import VN_TZ

SKEW = timedelta(minutes=5)

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2}(?!\d))?",
    re.IGNORECASE,
)
_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])")
_VI_LONG = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,|năm)\s*(\d{4})", re.IGNORECASE)
_TIME = re.compile(r"(?<![\d:/.])(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?::(\d{2}))?(?![\d/])(?:\s*([AaPp][Mm]))?")
_OFFSET = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)

PUBLISHED_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]',
    'meta[property="pubdate"]',
    'meta[name="publishdate"]',
    'meta[name="date"]',
    'meta[name="dc.date.issued"]',
    'meta[name="DC.date.issued"]',
    'meta[property="og:published_time"]',
    'meta[name="parsely-pub-date"]',
    'meta[name="sailthru.date"]',
    'meta[itemprop="dateCreated"]',
)
MODIFIED_META = (
    'meta[property="article:modified_time"]',
    'meta[name="article:modified_time"]',
    'meta[itemprop="dateModified"]',
    'meta[property="og:updated_time"]',
    'meta[name="lastmod"]',
    'meta[name="last-modified"]',
)
# Bylines of the families in sites-notes.md plus common generic names. The date banner classes are
# excluded separately (see ``_is_banner``).
BYLINE_SELECTORS = (
    "[data-role=publishdate]",
    ".detail-time",
    ".bread-crumb-detail__time",
    "span.date",
    ".cms-date",
    ".article__meta time",
    "time[datetime]",
    "[itemprop=datePublished]",
    ".publish-date",
    ".post-date",
    ".date-time",
    ".datetime",
    ".time-post",
    ".news-date",
    ".article-date",
    ".entry-date",
    ".date",
    ".time",
    "[class*=date]",
    "[class*=time]",
)
_BANNER_HINT = re.compile(
    r"header|top-?bar|topbar|banner|navbar|menu|today|current|now|weather|clock|calendar|lich",
    re.IGNORECASE,
)
_OTHER_NEWS_HINT = re.compile(
    r"related|relate-|other|lien-?quan|tin-?khac|more-news|list-news|sidebar", re.IGNORECASE
)
_UPDATED_HINT = re.compile(r"cập nhật|updated?|sửa", re.IGNORECASE)


def parse_iso(value: str) -> datetime | None:
    """Read an ISO-8601-like timestamp, tolerating what Vietnamese sites emit.

    ``"2026-03-07T08:52:11.000 +07:00"`` → 2026-03-07 08:52:11+07:00; ``"2026-03-07 08:07"`` →
    08:07+07:00 (no offset means Vietnam time); ``"2026-03-07"`` → midnight +07:00. None if unreadable.
    """
    match = _ISO.search(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    tz = _offset(offset) if offset else VN_TZ
    try:
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=tz
        )
    except ValueError:
        return None


def parse_byline(text: str) -> datetime | None:
    """Read a byline date with explicit day-first formats (never month-first).

    Examples: "07/03/2026 08:06 GMT+7", "Thứ bảy, 7/3/2026, 00:05 (GMT+7)", "15:24 - 26/01/2024",
    "08:04, 15/04/2021", "Ngày đăng: 30.03.2022", "Thứ Năm, ngày 28 tháng 3 năm 2024",
    "2026-03-07 08:07". Returns an aware datetime (+07:00 unless the text says GMT±N), or None.
    """
    text = nfc(" ".join(text.split()))
    match = _DMY.search(text) or _VI_LONG.search(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        date_span = match.span()
    else:
        iso = _ISO.search(text)
        if not iso:
            return None
        return parse_iso(iso.group(0))
    hour = minute = second = 0
    rest = text[: date_span[0]] + " " * (date_span[1] - date_span[0]) + text[date_span[1] :]
    tmatch = _TIME.search(rest)
    if tmatch:
        hour, minute = int(tmatch.group(1)), int(tmatch.group(2))
        second = int(tmatch.group(3) or 0)
        meridiem = (tmatch.group(4) or "").lower()
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    tz = VN_TZ
    omatch = _OFFSET.search(text)
    if omatch:
        sign = 1 if omatch.group(1) == "+" else -1
        tz = timezone(sign * timedelta(hours=int(omatch.group(2)), minutes=int(omatch.group(3) or 0)))
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None


def page_dates(
    tree: LexborHTMLParser,
    ld_objects: Sequence[Mapping[str, object]] = (),
    *,
    fetched_at: datetime | None = None,
    selectors: Mapping[str, str] | None = None,
    scope: LexborNode | None = None,
    url: str | None = None,
) -> tuple[datetime | None, datetime | None]:
    """Return ``(published, modified)`` of a parsed page.

    ``ld_objects`` are the page's JSON-LD article objects; ``selectors`` may hold a site's
    ``published`` / ``modified`` CSS selectors (tried first); ``scope`` is the article node, whose
    bylines are preferred over the rest of the page. With the page ``url``, a page with no date at
    all falls back to the creation time in a VCCorp article id or the date in a thanhuytphcm image
    path (both a little earlier than publication). Dates after ``fetched_at`` (default: now; naive
    means Vietnam time) are discarded, except that up to 5 minutes ahead (a site clock running fast)
    is clamped to ``fetched_at``; ``modified`` is never earlier than ``published``.
    """
    limit = fetched_at or datetime.now(UTC)
    if limit.tzinfo is None:
        limit = limit.replace(tzinfo=VN_TZ)
    sel = selectors or {}

    def ok(value: datetime | None) -> datetime | None:
        if value is None or value.year < 1990:
            return None
        if value > limit:
            # A site clock a few minutes ahead of ours: clamp. Further in the future: not this date.
            return limit if value - limit <= SKEW else None
        return value

    published = ok(_from_selector(tree, sel.get("published")))
    if published is None:
        published = _first(ok(parse_iso(v)) for v in _ld_values(ld_objects, "datePublished"))
    if published is None:
        published = _first(ok(parse_iso(v)) for v in _meta_values(tree, PUBLISHED_META))
    if published is None:
        published = _first(ok(d) for d in _byline_dates(tree, scope, updated=False, today=limit))
    if published is None:
        published = _first(ok(parse_iso(v)) for v in _ld_values(ld_objects, "dateCreated"))
    if published is None and url is not None:
        published = ok(url_date(url)) or ok(_image_path_date(tree))

    modified = ok(_from_selector(tree, sel.get("modified")))
    if modified is None:
        modified = _first(ok(parse_iso(v)) for v in _ld_values(ld_objects, "dateModified"))
    if modified is None:
        modified = _first(ok(parse_iso(v)) for v in _meta_values(tree, MODIFIED_META))
    if modified is None:
        modified = _first(ok(d) for d in _byline_dates(tree, scope, updated=True, today=limit))
    if modified is not None and published is not None and modified < published:
        modified = None
    return published, modified


_VCC_ID = re.compile(r"-(?:\d{3})?(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\d{3}\.(?:htm|chn)$")
_VCC_ID17 = re.compile(r"-20(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\d{3}\.(?:htm|chn)$")
_IMAGE_PATH_DATE = re.compile(r"/res/news/(\d{4})/(\d{2})/(\d{2})-(\d{2})-(\d{4})-")


def url_date(url: str) -> datetime | None:
    """The creation time a VCCorp article id embeds, or None.

    nld ids are "196" + YYMMDDhhmmss + 3 digits, tuoitre/dantri ids "20" + YYMMDDhhmmss + 3 digits:
    ``url_date("https://nld.com.vn/a-196260307071308923.htm")`` → 2026-03-07 07:13:08+07:00.
    """
    path = url.split("?", 1)[0].split("#", 1)[0]
    match = _VCC_ID17.search(path) if re.search(r"-\d{17}\.", path) else _VCC_ID.search(path)
    if not match or not re.search(r"-\d{17,18}\.", path):
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    try:
        return datetime(2000 + year, month, day, hour, minute, second, tzinfo=VN_TZ)
    except ValueError:
        return None


def _image_path_date(tree: LexborHTMLParser) -> datetime | None:
    """thanhuytphcm images live at /res/news/YYYY/MM/DD-MM-YYYY-<slug>: the day the article was made."""
    for node in tree.css('img[src*="/res/news/"]'):
        match = _IMAGE_PATH_DATE.search(node.attributes.get("src") or "")
        if match and match.group(1) == match.group(5) and match.group(2) == match.group(4):
            try:
                return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)), tzinfo=VN_TZ)
            except ValueError:
                return None
    return None


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2]) if len(digits) >= 3 else int(digits)
    minutes = int(digits[2:4]) if len(digits) >= 4 else 0
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _first(values: Iterable[datetime | None]) -> datetime | None:
    for value in values:
        if value is not None:
            return value
    return None


def _ld_values(objects: Sequence[Mapping[str, object]], key: str) -> list[str]:
    return [v for obj in objects if isinstance(v := obj.get(key), str) and v.strip()]


def _meta_values(tree: LexborHTMLParser, selectors: Sequence[str]) -> list[str]:
    values = []
    for selector in selectors:
        for node in tree.css(selector):
            content = node.attributes.get("content")
            if content and content.strip():
                values.append(content)
    return values


def _from_selector(tree: LexborHTMLParser, selector: str | None) -> datetime | None:
    for alternative in alternatives(selector):
        for node in tree.css(alternative):
            value = _node_date(node)
            if value is not None:
                return value
    return None


def _node_date(node: LexborNode) -> datetime | None:
    attrs = node.attributes
    for attr in ("datetime", "content", "data-time", "title"):
        raw = attrs.get(attr)
        if raw:
            value = parse_iso(raw) if _ISO.match(raw.strip()) else parse_byline(raw)
            if value is not None:
                return value
    text = node.text(separator=" ")
    if len(text) > 200:
        return None
    return parse_byline(nfc(text))


def _is_banner(node: LexborNode, scope: LexborNode | None) -> bool:
    """A date in the page header or a 'today' widget is the site's date banner, not the article's;
    a date in a list of other news ("Các tin khác … (10/04/2023)") is another article's. Inside the
    article's own container only the second rule applies (its header holds the real byline)."""
    path: list[LexborNode] = []
    current: LexborNode | None = node
    stop = scope.mem_id if scope is not None else None
    in_scope = False
    while current is not None and current.tag not in ("body", "html") and len(path) < 14:
        if current.mem_id == stop:
            in_scope = True
            break
        path.append(current)
        current = current.parent
    for element in path:
        attrs = element.attributes
        hint = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if _OTHER_NEWS_HINT.search(hint) or (element.tag == "li" and _links_a_headline(element)):
            return True
        if in_scope:
            continue
        if element.tag in ("nav", "footer") or _BANNER_HINT.search(hint):
            return True
        if element.tag == "header":
            return not _inside(element, ("article", "main"))
        if element.tag in ("article", "main"):
            return False
    return False


def _links_a_headline(item: LexborNode) -> bool:
    """A list item that links a headline is another article's teaser, not this article's byline."""
    return any(len(a.text(strip=True)) > 20 for a in item.css("a"))


def _inside(node: LexborNode, tags: tuple[str, ...]) -> bool:
    current = node.parent
    while current is not None:
        if current.tag in tags:
            return True
        current = current.parent
    return False


def _byline_dates(
    tree: LexborHTMLParser, scope: LexborNode | None, *, updated: bool, today: datetime
) -> Iterable[datetime | None]:
    """Byline dates in order of trust: the article's container first, then the page. Outside the
    container, a bare date (no time) equal to the fetch day is the site's "today" banner."""
    today_vn = today.astimezone(VN_TZ).date()
    roots: list[LexborNode | LexborHTMLParser] = [scope] if scope is not None else []
    roots.append(tree)
    seen: set[int] = set()
    for root in roots:
        for selector in BYLINE_SELECTORS:
            for node in root.css(selector):
                key = node.mem_id
                if key in seen:
                    continue
                seen.add(key)
                if node.tag in ("html", "body", "script", "style", "meta", "link"):
                    continue
                if _is_banner(node, scope if root is scope else None):
                    continue
                text = node.text(separator=" ")
                if len(text) > 200:
                    continue
                text = nfc(text)  # the page is not normalised as a whole (cp1258, NFD sites)
                if _UPDATED_HINT.search(text) is None and updated:
                    continue
                if updated:
                    after = _UPDATED_HINT.split(text, maxsplit=1)[-1]
                    yield parse_byline(after)
                elif _UPDATED_HINT.match(text.strip()):
                    yield None
                else:
                    found = _node_date(node)
                    if (
                        found is not None
                        and root is not scope
                        and found.date() == today_vn
                        and (found.hour, found.minute) == (0, 0)
                    ):
                        continue
                    yield found
