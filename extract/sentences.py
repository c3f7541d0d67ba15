"""Split classified lines into sentences with underthesea's offline Punkt splitter.

Sentences remember their line kind (title, text, caption) and their order in the article, which
the rest of the extractor uses for "first mention" and for ignoring captions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from extract.lexicon import UPPER
from extract.noise import Line

# "(Thanhuytphcm.vn) - ", "(NLĐO) - ", "HÀ NỘI - ": source tags glued to the first body sentence.
_LEAD_TAG = re.compile(rf"^(?:\([^()]{{2,40}}\)|[{UPPER}][{UPPER} .]{{1,30}}[{UPPER}])\s*-\s*(?=\S)")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, the kind of the line it came from, and its position in the article."""

    text: str
    kind: str
    index: int
    line: int


@lru_cache(maxsize=1)
def _splitter() -> Callable[[str], list[str]]:
    # Lazy, on first use, then kept for the process; underthesea's splitter module alone, without
    # the ~72 MB `import underthesea` costs (extract.underthesea_files).
    from extract.underthesea_files import sent_tokenize_module

    return sent_tokenize_module().sent_tokenize


def strip_lead_tag(text: str) -> str:
    """Drop a source tag that opens a lead: ``"(NLĐO) - Ngày 6-3, …"`` → ``"Ngày 6-3, …"``."""
    return _LEAD_TAG.sub("", text, count=1)


def split_sentences(lines: list[Line]) -> list[Sentence]:
    """Split each line into sentences (a line never joins the next one); keep kinds and order.

    ``[Line("Ngày 3/3, Cụm 3 họp. Cụm trưởng là Quận 7.", "text", 4)]`` → two ``Sentence`` objects.
    """
    split = _splitter()
    out: list[Sentence] = []
    for line in lines:
        text = strip_lead_tag(line.text)
        parts = split(text) if len(text) > 40 and not _one_sentence(text) else [text]
        for part in parts:
            part = part.strip()
            if part:
                out.append(Sentence(part, line.kind, len(out), line.index))
    return out


def _one_sentence(text: str) -> bool:
    """True when underthesea's splitter gives the text back whole: no ".", "?" or "!" but those that
    end it (one run of them, then spaces). Its character loop costs ~10 µs a line, and most lines of
    a report (title, lead, one-sentence paragraphs, captions) are one sentence."""
    body = text.rstrip().rstrip(".?!")
    return "." not in body and "?" not in body and "!" not in body
