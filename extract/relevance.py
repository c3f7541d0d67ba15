"""Is this a report of a meeting that happened? Hard negatives that share the words.

Decisions (see docs/extraction.md): an award ("Cờ dẫn đầu cụm thi đua"), a plan signing ("ký kế
hoạch"), a unit's internal covenant, a decision that sets up clusters, a legal Q&A, tag/list pages,
clusters that only group other congresses, a cluster named only in a photo caption, and an announced
future meeting ("sẽ tổ chức", "dự kiến tổ chức vào ngày …") give no event.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.activities import activities_in
from extract.dates import find_dates
from extract.lexicon import alternation, words

_AWARD_BEFORE = re.compile(
    rf"(?:cờ(?:\s+thi\s+đua)?(?:\s+(?:của|do)\s+[^,;.]{{0,40}})?|{alternation('award_before')})\s+(?:\w+\s+){{0,3}}$",
    re.IGNORECASE,
)
# Only asked yes or no, so the order of the alternatives does not matter.
_MEETING_CUE = re.compile(
    rf"\b(?:{alternation('meeting_cues')}|tổ\s+chức\s+(?:{alternation('organised_events')})"
    rf"|bầu\s+(?:ra\s+)?(?:{alternation('kinds')})\s+(?:{alternation('role_ranks')})"
    rf"|buổi\s+(?:{alternation('session_kinds')}))\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    # "triển khai kế hoạch tổ chức phong trào": the plan the meeting rolled out, not a meeting to come
    rf"\b(?:{alternation('future_cues')}|(?<!triển\skhai\s)kế\s+hoạch\s+tổ\s+chức)\b",
    re.IGNORECASE,
)
_PAST = re.compile(rf"\b(?:{alternation('past_cues')})\b", re.IGNORECASE)
_GENERIC = re.compile(
    rf"\b(?:{alternation('generic_cues')}|Điều\s+\d+|"
    rf"(?:{alternation('plural_quantifiers')})\s+(?:{alternation('plural_meetings')}))\b",
    re.IGNORECASE,
)
_QA = re.compile(
    # [^\S\n]* rather than \s*: a \s* crossing newlines re-scanned every following blank line from each
    # newline (n² on a page of blank lines); a "Hỏi:" after blank lines still matches from the last one.
    rf"(?:^|\n)[^\S\n]*(?:{alternation('qa_openers')})\s*:",
    re.IGNORECASE,
)
_CONGRESS = re.compile(rf"\b(?:{alternation('congress_words')})\b", re.IGNORECASE)


def is_award_mention(sentence: str, start: int) -> bool:
    """True when the cluster at ``start`` is named in an award ("Cờ dẫn đầu cụm thi đua …")."""
    return bool(_AWARD_BEFORE.search(sentence[max(0, start - 60) : start]))


def is_future(sentence: str) -> bool:
    """True for an announced meeting not yet held: "… sẽ tổ chức hội nghị ký kết vào ngày 20-3"."""
    return bool(_FUTURE.search(sentence)) and not _PAST.search(sentence)


@lru_cache(maxsize=4096)
def is_meeting_sentence(sentence: str) -> bool:
    """True when a sentence reports a meeting or a cluster activity as done (not planned, not a rule).

    ``"Ngày 3/3, Cụm thi đua 3 tổ chức Hội nghị ký kết thi đua năm 2023."`` → True;
    ``"Hằng năm, các cụm thi đua tổ chức ký kết giao ước thi đua."`` → False (a rule, not a report).
    Cached: the pipeline asks it of the same sentence once per cluster mark, per scope and per field.
    """
    if is_future(sentence):
        return False
    dated = any(d.meeting for d in find_dates(sentence))
    if _GENERIC.search(sentence) and not _PAST.search(sentence) and not dated:
        return False
    if _CONGRESS.search(sentence) and not activities_in(sentence) - {"other"}:
        return False
    return bool(activities_in(sentence) or _MEETING_CUE.search(sentence))


def is_qa_page(text: str) -> bool:
    """True for a legal Q&A ("Hỏi: …", "Trả lời: …"): it may list clusters but reports no meeting."""
    return bool(_QA.search(text))


# The national motto heading an official document: the page reproduces a report or a decision
# ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc / Số: 822/BC"), not news of a meeting.
# The motto's parts, joined by a dash with or without spaces ("Độc lập-Tự do-Hạnh phúc").
_DOCUMENT_HEADER = re.compile(
    r"\s*-\s*".join(re.escape(p).replace(r"\ ", r"\s+") for p in words("document_motto")), re.IGNORECASE
)


def is_document_page(text: str) -> bool:
    """True for the text of an official document (its motto header), which reports no meeting."""
    return bool(_DOCUMENT_HEADER.search(text[:3000]))
