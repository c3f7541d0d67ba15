"""What a meeting did: signing (ký kết), review (tổng kết / sơ kết), launch (phát động), other.

Reads normalised sentences. Plans mentioned in the body ("dự kiến tổ chức tập huấn", "sẽ phát
động") are not activities of the meeting being reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extract.lexicon import alternation
from extract.model import ACTIVITIES  # the one order of activities (db checks stored values against it)

SIGNING = "signing"
REVIEW = "review"
LAUNCH = "launch"
OTHER = "other"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        SIGNING,
        re.compile(
            rf"\bký\s+(?:kết\s+)?(?:{alternation('signing_objects')})|(?<!đăng\s)\bký\s+(?:kết\s+)?thi\s+đua"
            rf"|\bký\s+kết(?!\s+(?:{alternation('not_covenant_signed')}))",
            re.IGNORECASE,
        ),
    ),
    (
        REVIEW,
        re.compile(
            rf"\b(?:{alternation('review_words')})\b|\bđánh\s+giá\s+kết\s+quả\s+(?:[^\s,;.:]+\s+){{0,4}}?thi\s+đua"
            # "tổ chức đánh giá thi đua", "họp đánh giá công tác thi đua": a review without either word
            rf"|\b(?:{alternation('review_conveners')})\s+đánh\s+giá\s+(?:[^\s,;.:]+\s+){{0,3}}?thi\s+đua"
            # the year's titles voted: "bình xét các danh hiệu thi đua", "suy tôn danh hiệu thi đua"
            rf"|\b(?:{alternation('title_vote_verbs')})\s+(?:các\s+)?danh\s+hiệu\s+thi\s+đua",
            re.IGNORECASE,
        ),
    ),
    (LAUNCH, re.compile(r"\bphát\s+động\b", re.IGNORECASE)),
    (
        OTHER,
        re.compile(rf"\b(?:{alternation('other_activities')})\b", re.IGNORECASE),
    ),
)
# A plan, a wish or somebody else's campaign, not what this meeting did.
_NOT_NOW_BEFORE = re.compile(
    # only asked yes or no, so the order of the alternatives does not matter
    rf"(?:\bsẽ|{alternation('not_now_before')}|\bdo\b[^,;]{{0,40}})[^,;.:]{{0,40}}$",
    re.IGNORECASE,
)
# A separate programme item the meeting also held: "other" stands beside signing / review / launch
# (dev-reports conventions). Only a held item counts ("tổ chức Hội thao", "giao lưu văn nghệ"), not
# the talk of a meeting ("họp", "bình xét", "góp ý").
_PROGRAMME = re.compile(
    rf"\b(?:{alternation('programme_items')})\b",
    re.IGNORECASE,
)
# The item must be told as held beside the meeting ("Sau phần ký kết, các đơn vị giao lưu …", "Cũng
# nhân dịp này, … đã tổ chức Hội thao …"); a programme listed for later is not ("Cụ thể, tổ chức …").
_HELD = re.compile(
    rf"\b(?:{alternation('held_cues')})\b",
    re.IGNORECASE,
)
_CONTENTS = re.compile(rf"{alternation('contents_cues')}|\bgồm\b", re.IGNORECASE)
# The marker ``activities_in`` adds beside "other" for a programme item; ``combine`` drops it.
PROGRAMME = "programme"
# A sentence looking back on the period's work ("Trong năm, các đơn vị đã phát động phong trào …")
# tells what the members did, not what this meeting did.
_MONTHS = rf"(?:{alternation('month_count_words')}|\d+)\s+tháng"
_PERIOD_WORK = re.compile(
    rf"^\W*(?:trong\s+(?:{alternation('period_after_trong')}|{_MONTHS})"
    rf"|{_MONTHS}\s+đầu\s+năm|{alternation('period_openers')})\b",
    re.IGNORECASE,
)
# The members' own campaigns: "các tổ chức thành viên phát động nhiều phong trào".
_MANY_CAMPAIGNS = re.compile(rf"^\s+(?:nhiều|các)\s+(?:{alternation('many_campaigns')})", re.IGNORECASE)
# "Hội nghị triển khai kế hoạch phát động phong trào thi đua": the meeting launches it.
_LAUNCH_PLAN = re.compile(r"triển\s+khai\s+kế\s+hoạch\s+$", re.IGNORECASE)
# "tổng kết (thực hiện) ký kết giao ước": a review of the covenant, not a signing.
_REVIEW_OF = re.compile(
    rf"(?:{alternation('review_words')})\s+(?:việc\s+)?(?:thực\s+hiện\s+)?$", re.IGNORECASE
)
_SIGN_PLAN = re.compile(r"\bký\s+(?:kết\s+)?kế\s+hoạch\b", re.IGNORECASE)


def activities_in(sentence: str) -> set[str]:
    """Activities a sentence reports as done: ``"… tổ chức hội nghị tổng kết năm 2024 và ký kết giao
    ước thi đua năm 2025"`` → ``{"review", "signing"}``; ``"dự kiến tổ chức tập huấn"`` → ``set()``.
    """
    found: set[str] = set()
    if _SIGN_PLAN.search(sentence) and not re.search(r"giao\s+ước", sentence, re.IGNORECASE):
        return found
    if _PERIOD_WORK.search(sentence):
        return found
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            before = sentence[: m.start()]
            if _NOT_NOW_BEFORE.search(before) and not (name == LAUNCH and _LAUNCH_PLAN.search(before)):
                continue
            if name == SIGNING and _REVIEW_OF.search(before):
                continue
            if name == LAUNCH and _MANY_CAMPAIGNS.match(sentence[m.end() :]):
                continue
            found.add(name)
            break
    if OTHER in found:
        for m in _PROGRAMME.finditer(sentence):
            before = sentence[: m.start()]
            # an item in the covenant's contents ("nội dung …, gồm: …, giao lưu …") is not held here
            if _HELD.search(before) and not _NOT_NOW_BEFORE.search(before) and not _CONTENTS.search(before):
                found.add(PROGRAMME)
                break
    return found


def combine(found: Iterable[set[str]]) -> tuple[str, ...]:
    """Merge per-sentence activities into the event's tuple: "other" beside the others only when the
    meeting also held a programme item (``PROGRAMME``), else only when nothing else applies."""
    union: set[str] = set()
    for item in found:
        union |= item
    if union - {OTHER, PROGRAMME} and PROGRAMME not in union:
        union.discard(OTHER)
    return tuple(a for a in ACTIVITIES if a in union)


_YEAR_AFTER = re.compile(
    rf"^(?:[^.;:]{{0,70}}?)(?:{alternation('year_openers')})\s+(?:\d{{4}}\s*-\s*)?(?P<y>\d{{4}})"
    r"|^\s*(?P<y2>\d{4})\b",
    re.IGNORECASE,
)


_SPAN = re.compile(rf"(?:{alternation('span_words')})\s+\d{{4}}\s*-\s*\d{{4}}$", re.IGNORECASE)


def activity_years(sentence: str) -> list[tuple[str, int]]:
    """(activity, year) pairs for years written right after an activity word, in order.

    ``"tổng kết công tác thi đua năm 2024, ký kết giao ước thi đua năm 2025"`` →
    ``[("review", 2024), ("signing", 2025)]``. Plans ("sẽ ký kết … năm 2026") are skipped.
    """
    hits: list[tuple[int, int, str]] = []
    for name, pattern in _PATTERNS[:3]:
        for m in pattern.finditer(sentence):
            if _NOT_NOW_BEFORE.search(sentence[: m.start()]):
                continue
            hits.append((m.start(), m.end(), name))
    hits.sort()
    out: list[tuple[str, int]] = []
    for i, (_, end, name) in enumerate(hits):
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(sentence)
        ym = _YEAR_AFTER.match(sentence[end:stop])
        if ym and _SPAN.search(ym.group(0)):
            continue  # "tổng kết … giai đoạn 2020-2025": a period's review names no one year
        if ym:
            out.append((name, int(ym.group("y") or ym.group("y2"))))
    return out


_PERIOD_YEAR = re.compile(
    rf"(?<![\wÀ-ỹ])(?:(?:{alternation('review_period_months')})\s+tháng\s+(?:(?:{alternation('half_year_words')})\s+)?năm"
    rf"|(?:{alternation('quarter_words')})\s+(?:I{{1,3}}|IV|[1-4])\s+năm)"
    r"\s+(?P<y>\d{4})(?!\s*-\s*\d)|^\W*(?:Trong\s+)?[Nn]ăm\s+(?P<y2>\d{4})\s*,",
    re.IGNORECASE,
)


def review_period_year(sentence: str) -> int | None:
    """The year of the period a review covers, when a sentence names it: ``"6 tháng cuối năm 2019"``
    → 2019, ``"quý II năm 2025"`` → 2025, ``"Năm 2024, các đơn vị …"`` and ``"Trong năm 2024, …"`` →
    2024; else None."""
    m = _PERIOD_YEAR.search(sentence)
    return int(m.group("y") or m.group("y2")) if m else None


# Only "giai đoạn": a "nhiệm kỳ 2022-2027" is a term of office to come, not a period under review.
_SPAN_END = re.compile(r"giai\s+đoạn\s+\d{4}\s*-\s*(?P<y>\d{4})", re.IGNORECASE)


def period_end_year(sentence: str) -> int | None:
    """The last year of a period a sentence names: ``"giai đoạn 2020-2025"`` → 2025, else None."""
    m = _SPAN_END.search(sentence)
    return int(m.group("y")) if m else None


def covenant_year(body: list[tuple[str, int]], title: list[tuple[str, int]]) -> int | None:
    """The year the emulation is for, from (activity, year) pairs; the body wins over the headline.

    Signing for N → N (so review N + signing N+1 → N+1); review of N only → N; launch for N → N.
    """
    for pairs in (body, title):
        for wanted in (SIGNING, REVIEW, LAUNCH):
            years = [y for name, y in pairs if name == wanted]
            if years:
                return max(years) if wanted == SIGNING else years[0]
    return None
