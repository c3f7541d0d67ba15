"""Page-level structure the passes read: lists written one unit per line, digests of headlines,
listing and tag pages, and the bound on how much of an article is read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import replace

from extract.clusters import Mention, find_mentions
from extract.lexicon import UNIT_HEAD_RE, alternation
from extract.noise import BANNER, TEXT, TITLE, Line
from extract.sentences import Sentence

_LIST_PAGE = re.compile(
    rf"^(?:{alternation('list_page_openers')})\b[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)


# A membership statement whose items follow one per line: "Các đơn vị thành viên trong Khối gồm:".
_OPEN_LIST = re.compile(rf"(?<![\wÀ-ỹ])(?:{alternation('line_list_openers')})\s*:\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-•+*]|\d{1,2}[.)])\s*")


def with_line_lists(scope: list[Sentence]) -> list[Sentence]:
    """Join a list written one unit per line to the statement that opens it, items separated by ";".

    "Khối gồm:" / "Sở Tư pháp - Khối trưởng" / "Sở Nội vụ" → "Khối gồm: Sở Tư pháp - Khối trưởng; Sở
    Nội vụ." (a line is an item when it starts with a unit head word and is short).
    """
    out: list[Sentence] = []
    i = 0
    while i < len(scope):
        s = scope[i]
        items: list[str] = []
        if s.kind == TEXT and _OPEN_LIST.search(s.text):
            j = i + 1
            while j < len(scope) and scope[j].kind == TEXT and scope[j].line != scope[j - 1].line:
                line = _BULLET.sub("", scope[j].text).strip().rstrip(" ;,.")
                if not UNIT_HEAD_RE.match(line) or len(line.split()) > 16:
                    break
                items.append(line)
                j += 1
        if len(items) >= 2:
            out.append(replace(s, text=f"{s.text.rstrip()} {'; '.join(items)}."))
            i += len(items) + 1
            continue
        out.append(s)
        i += 1
    return out


_HEADLINE_BULLET = re.compile(r"^\s*[-•+*»]\s+\S")


def digest_sentences(sentences: list[Sentence], mentions: Mapping[int, list[Mention]]) -> set[int]:
    """Sentences that are items of a digest of headlines: a run of at least three bullet lines with no
    final punctuation, most of them about something else than a cluster ("Điểm tin sáng …"). A
    headline in such a list is a link to a report, not the report (like a "Tin xem nhiều" block)."""
    runs: list[list[Sentence]] = []
    current: list[Sentence] = []
    for s in sentences:
        unpunctuated = s.text.rstrip()[-1:] not in ".;:!?"
        if s.kind in (TITLE, TEXT) and _HEADLINE_BULLET.match(s.text) and unpunctuated:
            current.append(s)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    out: set[int] = set()
    for run in runs:
        about_clusters = sum(1 for s in run if mentions.get(s.index))
        if len(run) >= 3 and about_clusters * 2 <= len(run):
            out.update(s.index for s in run)
    return out


def is_listing(lines: list[Line]) -> bool:
    """True for a list of headlines, each followed by its own date stamp (tag, search or section page)."""
    stamped = 0
    for a, b in itertools.pairwise(lines):
        if a.kind in (TITLE, TEXT) and b.kind == BANNER and find_mentions(a.text):
            stamped += 1
    return stamped >= 2


# Extraction reads at most this many characters of an article (docs/extraction.md, "Bounded work"):
# the longest real report in the dev set is ~1,500 characters and the longest fixture ~3,100, so a
# meeting report is never cut; a hostile or runaway page costs at most this much.
MAX_CHARS = 30_000


def capped(text: str) -> str:
    """The first :data:`MAX_CHARS` characters, cut at the last line break when one lies in the second half."""
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind("\n", MAX_CHARS // 2, MAX_CHARS)
    return text[: cut if cut > 0 else MAX_CHARS]


def is_list_page(text: str) -> bool:
    """True when the opening of a normalised page is a tag, topic or search page ("Từ khóa: …")."""
    return bool(_LIST_PAGE.search(text[:400]))
