"""The people of an article: every person mention in order, without those of a second, cluster-less
meeting, merged into officials (title from the first mention that has one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from extract.clusters import Mention
from extract.lexicon import alternation
from extract.model import Official
from extract.noise import CAPTION, TEXT, TITLE
from extract.officials import find_people
from extract.relevance import is_meeting_sentence
from extract.sentences import Sentence

#: A person mention: (name, title, (sentence index, offset)).
Found = tuple[str, str | None, tuple[int, int]]

_CLUSTER_WORD = re.compile(rf"(?<![\wÀ-ỹ])(?:{alternation('kinds')})(?![\wÀ-ỹ])", re.IGNORECASE)
# A sentence opening with another time of the same or the next day and reporting that some body
# "tổ chức" a meeting, without naming a cluster, reports a second meeting (the province's own
# conference after the cluster's): its participants are not the cluster's officials.
_OTHER_TIME = re.compile(
    rf"^\s*(?:(?:buổi\s+)?(?:{alternation('day_parts')})\s+)?(?:{alternation('other_day_words')})(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
_HELD = re.compile(rf"(?<![\wÀ-ỹ])(?:{alternation('convener_verbs')})(?![\wÀ-ỹ])", re.IGNORECASE)


def _opens_other_meeting(s: Sentence, mentions: Mapping[int, list[Mention]]) -> bool:
    """True for "Chiều cùng ngày, tại …, Hội Chữ thập đỏ tỉnh tổ chức Hội nghị tổng kết …" (no cluster)."""
    if s.kind != TEXT or mentions.get(s.index) or _CLUSTER_WORD.search(s.text):
        return False
    return bool(_OTHER_TIME.match(s.text) and _HELD.search(s.text) and is_meeting_sentence(s.text))


def without_other_meetings(
    found: list[Found],
    sentences: list[Sentence],
    mentions: Mapping[int, list[Mention]],
) -> list[Found]:
    """Drop the people named from a second, cluster-less meeting up to the next sentence naming a cluster."""
    cut: list[tuple[int, int]] = []  # sentence-index ranges [start, end) of other meetings
    start: int | None = None
    for s in sentences:
        if start is None and _opens_other_meeting(s, mentions):
            start = s.index
        elif start is not None and s.kind in (TITLE, TEXT) and _CLUSTER_WORD.search(s.text):
            cut.append((start, s.index))
            start = None
    if start is not None:
        cut.append((start, sentences[-1].index + 1))
    if not cut:
        return found
    return [p for p in found if not any(a <= p[2][0] < b for a, b in cut)]


def people_in(sentences: list[Sentence]) -> list[Found]:
    """Every person mention (name, title, (sentence, offset)) in article order, captions included."""
    out: list[Found] = []
    for s in sentences:
        if s.kind in (TITLE, TEXT, CAPTION):
            out.extend((p.name, p.title, (s.index, p.start)) for p in find_people(s.text))
    return out


def merge_people(found: list[Found]) -> tuple[Official, ...]:
    """Officials in order of first mention; the title is the first one given."""
    order: list[str] = []
    titles: dict[str, str | None] = {}
    for name, title, _ in found:
        if name not in titles:
            order.append(name)
            titles[name] = title
        elif titles[name] is None and title:
            titles[name] = title
    return tuple(Official(n, titles[n]) for n in order)
