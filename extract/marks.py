"""Which cluster a position in the article belongs to: the cluster named last before it.

A mark is ``((sentence, offset), key)``: the position of one cluster mention and the cluster's key,
kept sorted. Lookups bisect the sorted marks, so that asking for every sentence and every person of
a long article costs n log n, not n × marks.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

Mark = tuple[tuple[int, int], str]


def _first(mark: Mark) -> tuple[int, int]:
    return mark[0]


def owner_at(marks: list[Mark], at: tuple[int, int]) -> str | None:
    """Key of the cluster named last at or before position ``at`` (sentence, offset), or None.

    ``owner_at([((0, 5), "#1"), ((2, 0), "#2")], (1, 9))`` → ``"#1"``.
    """
    i = bisect_right(marks, at, key=_first)
    return marks[i - 1][1] if i else None


def owners_at(marks: list[Mark], at: tuple[int, int]) -> set[str]:
    """Clusters named together in the last sentence naming any before ``at`` ("Cụm 1 và 2" → both).

    ``owners_at([((0, 5), "#1"), ((0, 9), "#2")], (3, 0))`` → ``{"#1", "#2"}``.
    """
    i = bisect_right(marks, at, key=_first)
    if not i:
        return set()
    last_sentence = marks[i - 1][0][0]
    out: set[str] = set()
    while i and marks[i - 1][0][0] == last_sentence:
        out.add(marks[i - 1][1])
        i -= 1
    return out


def owned_sentences(marks: list[Mark], sentences: list[int]) -> dict[str, set[int]]:
    """For each cluster key, the sentences (of ``sentences``, ascending) where some position is its.

    A position of sentence ``s`` belongs to the cluster named last before ``s`` or to one named in
    ``s``: these are the only sentences where :func:`owner_at` can answer that cluster.
    """
    out: dict[str, set[int]] = defaultdict(set)
    i = 0
    for s in sentences:
        while i < len(marks) and marks[i][0][0] < s:
            i += 1
        if i:
            out[marks[i - 1][1]].add(s)
        j = i
        while j < len(marks) and marks[j][0][0] == s:
            out[marks[j][1]].add(s)
            j += 1
    return out
