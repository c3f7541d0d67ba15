"""Unnumbered cluster labels of one article, found by prefix in time linear in the article.

"Khối thi đua các cơ quan Đảng" and "Khối thi đua các cơ quan Đảng tỉnh" name one cluster: a label that
extends or shortens a known one is that one. Comparing each new label with every known one made an
article of n distinct labels cost n² (tests/test_adversarial.py); a sorted list finds the labels that
extend it, and its own prefixes find the labels it extends.
"""

from __future__ import annotations

import bisect


class LabelIndex:
    """The ``L:`` keys of an article's unnumbered clusters, in the order they were first met."""

    def __init__(self) -> None:
        self._sorted: list[str] = []
        self._order: dict[str, int] = {}

    def add(self, key: str) -> None:
        """Remember ``key`` (a no-op when known)."""
        if key not in self._order:
            self._order[key] = len(self._order)
            bisect.insort(self._sorted, key)

    def related(self, key: str) -> str | None:
        """The first-met known key that extends ``key`` or that ``key`` extends, or None.

        ``related("L:khối thi đua các cơ quan")`` finds ``"L:khối thi đua các cơ quan đảng"``.
        """
        best: str | None = None
        i = bisect.bisect_left(self._sorted, key)
        while i < len(self._sorted) and self._sorted[i].startswith(key):
            best = self._earlier(best, self._sorted[i])
            i += 1
        for end in range(1, len(key)):
            if key[:end] in self._order:
                best = self._earlier(best, key[:end])
        return best

    def _earlier(self, best: str | None, other: str) -> str:
        return other if best is None or self._order[other] < self._order[best] else best
