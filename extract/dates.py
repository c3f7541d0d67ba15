"""Dates and years: find date phrases, drop those that are not the meeting, resolve missing years.

All functions read normalised sentences (see :mod:`extract.normalize`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from extract.lexicon import alternation
from extract.normalize import window_before

_PREFIX = (
    r"(?P<prefix>"
    rf"(?:trong\s+)?(?:{alternation('day_counts')})\s+ngày"
    rf"|(?:buổi\s+)?(?:{alternation('day_parts')})(?:\s+(?:nay|qua|hôm\s+nay))?\s*(?:,?\s*(?:thứ\s+(?:{alternation('weekday_names')}|\d)|chủ\s+nhật)\s*,?)?(?:\s*ngày)?"
    # a range "Từ ngày 14 đến 16/4" is kept whole like "Trong các ngày 14, 15/4"; a relative day with
    # the date in brackets, "Hôm qua (20/3)", plays the part of a part-of-day word
    r"|từ\s+ngày"
    r"|hôm\s+(?:qua|nay)(?=\s*\()"
    r"|ngày"
    # the typo "Ngay 23/1" (no tone mark) before a day and month
    r"|ngay(?=\s+\d{1,2}\s*[/\-.]\s*\d)"
    r")\s*(?P<paren>\()?\s*"
)
_DAY_MONTH = (
    r"(?:(?P<d>\d{1,2})(?:\s*(?:,|và|-|–|đến)\s*(?P<d2>\d{1,2}))?\s*[/\-.]\s*(?P<m>\d{1,2})(?!\d)"
    r"(?:\s*[/\-.]\s*(?P<y>\d{4}))?(?![\d/])"
    r"|(?P<wd>\d{1,2})(?:\s*(?:,|và|-)\s*(?P<wd2>\d{1,2}))?\s+tháng\s+(?P<wm>\d{1,2})(?!\d)"
    r"(?:\s*(?:năm|,|/)\s*(?P<wy>\d{4}))?)"
)
DATE_RE = re.compile(rf"(?<![\wÀ-ỹ/]){_PREFIX}{_DAY_MONTH}(?(paren)\s*\))", re.IGNORECASE)

_DOCUMENT_BEFORE = re.compile(
    rf"(?:số\s*:?\s*[\w./\-]+|\d+/[\w\-Đ]+|(?:{alternation('document_kinds')})"
    r"(?:\s+[^\s,;.]+){0,6}|ban\s+hành|ký\s+ban\s+hành)\s*(?:của\s+[^,;.]{1,50}?)?\s*$",
    re.IGNORECASE,
)
_FUTURE_BEFORE = re.compile(rf"(?:\bsẽ\b|{alternation('future_before_date')})[^.;]{{0,60}}$", re.IGNORECASE)
_SOON_AFTER = re.compile(rf"^\s*(?:{alternation('soon_after_date')})\b", re.IGNORECASE)
_WILL_AFTER = re.compile(rf"^[^.;]{{0,80}}?\b(?:{alternation('will_after_date')})\b", re.IGNORECASE)
_REPORT_AFTER = re.compile(
    rf"^\s*,?[^.;]{{0,60}}?\b(?:{alternation('report_verbs')})\b",
    re.IGNORECASE,
)
_RANGE_AFTER = re.compile(r"^\s*(?:-|–|đến)\s*\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{4}")
_RANGE_BEFORE = re.compile(r"\d{1,2}\s*[/.]\s*\d{1,2}\s*[/.]\s*\d{4}\s*(?:-|–)\s*$")
# How far before and after a date its context cues are looked for (the longest cue spans ~150 chars).
_WINDOW = 200
_PAST_MARKERS = re.compile(rf"\b(?:{alternation('past_after_date')})\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date phrase in a sentence: ``DateMention(3, 3, None, "Ngày 3/3", 22, 30, True)``.

    ``meeting`` is False when the context shows it is not a meeting date (document, report date,
    future date, anniversary range).
    """

    day: int
    month: int
    year: int | None
    text: str
    start: int
    end: int
    meeting: bool


def _is_future_after(after: str) -> bool:
    """True when the clause after a date says it is still to come ("Ngày 20/3 tới, Cụm sẽ …")."""
    if _SOON_AFTER.match(after):
        return True
    will = _WILL_AFTER.match(after)
    if will is None:
        return False
    return not _PAST_MARKERS.search(after[: will.end() - 3])


def _valid(day: int, month: int, year: int | None) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    if year is None:
        return day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    return 1900 < year < 2200 and day <= calendar.monthrange(year, month)[1]


def find_dates(sentence: str) -> list[DateMention]:
    """Every day-month(-year) phrase in a sentence, marking which may be the meeting date.

    ``find_dates("Sáng 18-3, Cụm thi đua số 2 tổ chức hội nghị")`` →
    ``[DateMention(18, 3, None, "Sáng 18-3", 0, 9, True)]``; "Kế hoạch số 12/KH-UBND ngày
    30/3/2022" gives a mention with ``meeting=False``.
    """
    out: list[DateMention] = []
    for m in DATE_RE.finditer(sentence):
        if m.group("d"):
            day, month, ytext = int(m.group("d")), int(m.group("m")), m.group("y")
        else:
            day, month, ytext = int(m.group("wd")), int(m.group("wm")), m.group("wy")
        year = int(ytext) if ytext else None
        if not _valid(day, month, year):
            continue
        prefix = m.group("prefix").strip().lower()
        # Context is read in a window around the date: the whole prefix and suffix made every date cost
        # the sentence's length (n² on a sentence of dates); no cue below reaches further than this.
        before = window_before(sentence, m.start(), _WINDOW)
        after = sentence[m.end() : m.end() + _WINDOW]
        meeting = True
        if (
            _DOCUMENT_BEFORE.search(before)
            or _RANGE_AFTER.match(after)
            or _RANGE_BEFORE.search(before)
            or _FUTURE_BEFORE.search(before)
            or _is_future_after(after)
            or _REPORT_AFTER.match(after)
            or (prefix == "" and not before.rstrip().lower().endswith(("vào", "từ")))
        ):
            meeting = False
        text = m.group(0).strip()
        out.append(DateMention(day, month, year, text, m.start(), m.end(), meeting))
    return out


def _latest_not_after(day: int, month: int, published: dt.date) -> dt.date | None:
    for year in range(published.year, published.year - 5, -1):
        if _valid(day, month, year):
            candidate = dt.date(year, month, day)
            if candidate <= published:
                return candidate
    return None


def resolve_year(
    day: int,
    month: int,
    *,
    covenant_year: int | None,
    signing: bool,
    published: dt.date | None,
) -> dt.date | None:
    """The full date of a day/month written without a year, or None when nothing decides the year.

    Order: a leap day fixes it; then the covenant year (signing for N happens Dec N-1 … N; a review
    of N alone happens Nov N … Feb N+1); then the publication date (the latest year that does not put
    the meeting after publication). ``resolve_year(9, 1, covenant_year=2024, signing=False,
    published=None)`` → ``date(2025, 1, 9)``.
    """
    candidates: list[int] = []
    if covenant_year is not None:
        if signing:
            candidates.append(covenant_year - 1 if month == 12 else covenant_year)
        else:
            candidates.append(covenant_year + 1 if month <= 2 else covenant_year)
    if day == 29 and month == 2:
        for year in candidates:
            if calendar.isleap(year):
                return dt.date(year, 2, 29)
        if published is not None:
            return _latest_not_after(day, month, published)
        return None
    if candidates:
        found = dt.date(candidates[0], month, day)
        if published is not None and found > published and dt.date(found.year - 1, month, day) <= published:
            # A meeting is never reported before it happens: "Ngày 28/11 … ký kết giao ước năm 2025"
            # published in December 2024 is 2024-11-28.
            found = dt.date(found.year - 1, month, day)
        return found
    if published is not None:
        return _latest_not_after(day, month, published)
    return None


def meeting_date(
    mention: DateMention,
    *,
    covenant_year: int | None,
    signing: bool,
    published: dt.date | None,
) -> dt.date | None:
    """The date a mention stands for: its own year if written, else :func:`resolve_year`."""
    if mention.year is not None:
        return dt.date(mention.year, mention.month, mention.day)
    return resolve_year(
        mention.day, mention.month, covenant_year=covenant_year, signing=signing, published=published
    )


def format_date_text(text: str) -> str:
    """The date phrase as returned, spaces collapsed, first letter upper-case: "sáng 18-3" → "Sáng 18-3"."""
    text = " ".join(text.split()).rstrip(",")
    return text[:1].upper() + text[1:]
