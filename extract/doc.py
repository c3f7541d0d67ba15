"""One article read once: its sentences and the layers the passes share.

``read_doc(text)`` normalises the text, classifies its lines, splits sentences and lays down, once per
sentence, the cluster mentions and whether the sentence reports a meeting as held; the passes
(``grouping``, ``people``, ``assemble``, ``owners``) read these layers instead of asking each
sentence again. ``None`` means the page's shape alone says it reports no meeting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from extract.clusters import Mention, find_mentions
from extract.lexicon import alternation
from extract.noise import TEXT, TITLE, classify_lines
from extract.normalize import normalize_text
from extract.page import MAX_CHARS, capped, digest_sentences, is_list_page, is_listing
from extract.relevance import is_document_page, is_meeting_sentence, is_qa_page
from extract.sentences import Sentence, split_sentences

# Every cluster kind is written "cụm" or "khối" (any case): without either there is nothing to find.
_NAMES_A_KIND = re.compile(alternation("kinds"), re.IGNORECASE)


@dataclass(frozen=True)
class Doc:
    """The layers of one article: ``facts`` are its title and body sentences (no captions, banners,
    bylines); ``mentions`` the cluster mentions of each fact; ``meeting`` the facts that report a
    meeting as held; ``digest`` the items of a digest of headlines (links, not reports)."""

    sentences: tuple[Sentence, ...]
    by_index: Mapping[int, Sentence]
    facts: tuple[Sentence, ...]
    mentions: Mapping[int, list[Mention]]
    meeting: frozenset[int]
    digest: frozenset[int]


def read_doc(text: str) -> Doc | None:
    """The layers of an article (at most :data:`extract.page.MAX_CHARS` read), or None for a page
    with no "cụm"/"khối", a legal Q&A, an official document, a tag or listing page.

    ``read_doc("Sáng 3/3, Cụm thi đua số 2 tổ chức hội nghị tổng kết.").meeting`` → ``{0}``.
    """
    # NFC before the cap: an NFD text is ~25% longer, and the cap must cut the same words of both.
    # A Vietnamese letter is at most 3 code points in NFD, so 4× the cap always holds enough of it.
    head = capped(unicodedata.normalize("NFC", text[: 4 * MAX_CHARS]))
    if not _NAMES_A_KIND.search(head):
        return None  # most pages of a night's crawl, skipped before any work
    norm = normalize_text(head)
    if is_qa_page(norm) or is_document_page(norm) or is_list_page(norm):
        return None
    lines = classify_lines(norm)
    if is_listing(lines):
        return None
    sentences = split_sentences(lines)
    facts = tuple(s for s in sentences if s.kind in (TITLE, TEXT))
    mentions = {s.index: find_mentions(s.text) for s in facts}
    return Doc(
        sentences=tuple(sentences),
        by_index={s.index: s for s in sentences},
        facts=facts,
        mentions=mentions,
        meeting=frozenset(s.index for s in facts if is_meeting_sentence(s.text)),
        digest=frozenset(digest_sentences(sentences, mentions)),
    )
