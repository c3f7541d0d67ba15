"""Find the emulation clusters (cụm) and blocs (khối) a sentence names: kind, number, label, owner.

Works on normalised text (see :mod:`extract.normalize`). A *mention* is one place where a cluster is
named; the pipeline groups mentions into clusters with :func:`mention_key`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, replace

from extract.lexicon import ADMIN_ALT, UPPER, alternation, cased_alternation, words
from extract.normalize import casefold_key, window_before
from extract.numbers import parse_number, roman_or_arabic_like, roman_to_int
from extract.places import is_place
from extract.scan import FULL_HEAD, KINDS_ALT, REST, SHORT_HEAD, naming_words, scan_org, system_at

__all__ = [
    "Mention",
    "find_mentions",
    "is_all_caps",
    "mention_key",
    "parse_number",
    "roman_to_int",
    "scan_org",
]

# Short unnumbered names: "Khối ANND Công an tỉnh …", "Cụm kinh tế tỉnh Long An" (weak evidence).
# Capitalised or lower case, not any case: "CỤM" belongs to an all-caps line, read by _caps_mentions.
_BARE_KINDS = cased_alternation("kinds")
_BARE_HEAD = re.compile(
    rf"(?<![\wÀ-ỹ])(?P<kind>{_BARE_KINDS})\s+(?!(?:{alternation('not_cluster_after_head')})(?![\wÀ-ỹ])|\d)"
)
# An elliptical sibling list ("số 1, 2, 3 và 4") is read up to this many numbers: a chain of repeated
# labels ("Cụm thi đua số 1, Cụm thi đua số 1, …") re-read from every head otherwise cost n² mentions.
# Real lists name a few clusters (at most the ~30 of a province or ministry).
_MAX_SIBLINGS = 40
_OWNED_BEFORE = re.compile(rf"(?:{alternation('owned_before_kind')})\s+$")
# "số 1,2 và 3" lists siblings with a bare comma; ",234" or ".5" glued to the number is no cluster number.
_NUMBER = re.compile(r"(?P<so>(?i:số)\s+)?(?P<num>\d{1,3}|[IVXLC]{1,6})(?![\wÀ-ỹ/.]\d|,\d{3}|[\wÀ-ỹ/])")
# Nouns that make a preceding number a count ("6 tỉnh", "09 sở, ngành"), not a cluster number.
_COUNT_NOUNS = re.compile(rf"\s*(?:{alternation('count_nouns')})(?![\wÀ-ỹ])")
# A label naming its members' body and how many of them there are, owner and kind in one: "Cụm thi
# đua Hội LHPN 5 thành phố trực thuộc Trung ương", "Khối thi đua Hội Chữ thập đỏ các huyện", "Cụm Hội
# Nông dân 6 tỉnh miền Đông", "Cụm thi đua Hội Nhà báo các tỉnh Nam Bộ". The body is not the owner.
_BODY_OF_MANY = re.compile(
    rf"\s*(?P<body>(?P<head>{alternation('body_of_many_heads')})"
    r"(?:\s+[^\s,.;:()\d]+){0,4}?)\s+(?:\d{1,2}|các|những)\s+"
    rf"(?P<noun>{ADMIN_ALT})(?![\wÀ-ỹ])"
)
# What may follow the count: ", thị xã", "trực thuộc Trung ương"; else the naming words of a region
# ("miền Đông", "Nam Bộ", "duyên hải miền Trung").
_OF_MANY_TAIL = re.compile(
    rf"(?:\s*,\s*(?:{alternation('of_many_more_admin')})(?![\wÀ-ỹ]))*"
    rf"(?:\s+(?:{alternation('of_many_tail')}))?"
)


# Bodies whose provincial branches answer to one national body of the same name + "Việt Nam".
_NATIONAL_HEADS = words("national_heads")
_KIND_WORDS = words("kinds")
_PROVINCE_NOUNS = words("province_nouns")


_CAPITALISED = re.compile(rf"\s*([{UPPER}][\wÀ-ỹ]*(?:\s+[{UPPER}][\wÀ-ỹ]*){{0,3}})")


def _names_known_place(rest: str) -> bool:
    """True when ``rest`` opens with the name of a known province or district ("Hà Nội")."""
    m = _CAPITALISED.match(rest)
    if not m:
        return False
    words = m.group(1).split()
    return any(is_place(" ".join(words[:n])) for n in range(len(words), 0, -1))


def body_owner(text: str, pos: int) -> str | None:
    """The owner a body-and-count label implies: the national body when its members are provinces
    ("Cụm thi đua Hội LHPN 5 thành phố" → "Hội LHPN Việt Nam"; "Hội Nhà báo Việt Nam các tỉnh Nam Bộ"
    → "Hội Nhà báo Việt Nam"), else None (districts' branches answer to a province not named here)."""
    m = _BODY_OF_MANY.match(text, pos)
    if not m:
        return None
    body = " ".join(m.group("body").split())
    if body.endswith("Việt Nam"):
        return body
    head = " ".join(m.group("head").split())
    if m.group("noun") in _PROVINCE_NOUNS and head in _NATIONAL_HEADS:
        return f"{body} Việt Nam"
    return None


def body_label_end(text: str, pos: int) -> int:
    """End of a label that names its members' body and count right after the head ("Cụm thi đua| Hội
    LHPN 5 thành phố trực thuộc Trung ương"), else 0."""
    m = _BODY_OF_MANY.match(text, pos)
    if not m:
        return 0
    tail = _OF_MANY_TAIL.match(text, m.end())
    if tail and tail.end() > m.end():
        return tail.end()
    return max(m.end(), naming_words(text, m.end()))


_ALIAS = re.compile(
    rf"\s*\(\s*(?P<kind>{KINDS_ALT})\s+(?:số\s+)?(?P<num>\d{{1,3}}|[IVXLC]{{1,6}})\s*\)", re.IGNORECASE
)


@dataclass(frozen=True)
class Mention:
    """One naming of a cluster: ``Mention("cụm", 3, "Cụm thi đua 3", "Ban Tuyên giáo Thành ủy", 0, 27)``.

    ``full`` is False for short references ("Cụm 3") that never start a cluster on their own;
    ``named`` is True when the label carries a number or naming words (not a bare "Cụm thi đua").
    """

    kind: str
    number: int | None
    label: str
    system: str | None
    start: int
    end: int
    full: bool
    named: bool
    weak: bool = False


# Any kind in any case: FULL_HEAD and SHORT_HEAD match KINDS_ALT ignoring case, _BARE_HEAD its cased forms.
_A_KIND = re.compile(KINDS_ALT, re.IGNORECASE)
_ROMAN_WORD = re.compile(r"(?<![\wÀ-ỹ])[IVXLC]{1,6}(?![\wÀ-ỹ])")


def is_all_caps(text: str) -> bool:
    """True for a line written in capitals ("KHỐI THI ĐUA … TỔNG KẾT"), where case cannot end a name."""
    letters = list(filter(str.isalpha, text))  # C-level loops: asked of every sentence
    return len(letters) >= 12 and sum(map(str.isupper, letters)) >= 0.9 * len(letters)


def _caps_mentions(text: str) -> list[Mention] | None:
    """Mentions in an all-caps line ("KHỐI THI ĐUA CÔNG ĐOÀN NGÀNH TỈNH YÊN BÁI TỔNG KẾT …"), where case
    cannot end a name: found in a lower-cased copy (Roman numerals kept) so that verbs stop the label,
    then returned with the line's own letters. None when lower-casing changes the length."""
    low = text.lower()
    if len(low) != len(text):
        return None
    low = _keep_roman(text, low)
    out: list[Mention] = []
    for m in find_mentions(low, caps=False):
        label = text[m.start : m.start + len(m.label)] if m.label else ""
        system = None
        if m.system:
            at = low.find(m.system, m.end)
            system = text[at : at + len(m.system)] if at >= 0 else None
        out.append(replace(m, label=label, system=system))
    return out


def _keep_roman(text: str, low: str) -> str:
    """``low`` with the Roman numerals of ``text`` put back in capitals ("khối thi đua số II")."""
    chars = list(low)
    for m in _ROMAN_WORD.finditer(text):
        chars[m.start() : m.end()] = list(m.group(0))
    return "".join(chars)


class _Spans:
    """Spans of text already read as a label, asked "is this position inside one?" in rising order.

    Spans added since the last :meth:`freeze` start at or before every later question (the heads are
    found left to right), so the largest of their ends answers for them; frozen spans are bisected
    by start with a running maximum of ends. Scanning a list of every span made n heads cost n².
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._max_ends: list[int] = []
        self._spans: list[tuple[int, int]] = []
        self._open_end = -1

    def append(self, span: tuple[int, int]) -> None:
        self._spans.append(span)
        self._open_end = max(self._open_end, span[1])

    def freeze(self) -> None:
        self._spans.sort()
        self._starts = [a for a, _ in self._spans]
        self._max_ends = list(itertools.accumulate((b for _, b in self._spans), max))
        self._open_end = -1

    def __contains__(self, pos: int) -> bool:
        if pos < self._open_end:
            return True
        i = bisect.bisect_right(self._starts, pos)
        return bool(i) and self._max_ends[i - 1] > pos


def find_mentions(text: str, caps: bool = True) -> list[Mention]:
    """Every cluster mention in one sentence, in order, with ``(kind, number, label, system)``.

    ``"Ngày 3/3, Cụm thi đua số 04 tỉnh Nghệ An họp"`` → one mention: cụm, 4, "Cụm thi đua số 04",
    "tỉnh Nghệ An". Counts are not numbers: "Cụm thi đua 6 tỉnh miền Đông" → number None.
    "Cụm thi đua số 1 và số 2" → two mentions. Industrial zones ("Cụm công nghiệp") and contest heats
    ("cụm thi số 2") are not matched.
    """
    if not _A_KIND.search(text):
        return []  # every head below opens with a kind: most sentences of a report name none
    if caps and is_all_caps(text):
        found = _caps_mentions(text)
        if found is not None:
            return found
    out: list[Mention] = []
    taken = _Spans()
    for m in FULL_HEAD.finditer(text):
        found, consumed = _parse_after_head(text, m.start(), m.end(), m.group("kind"), True)
        out.extend(found)
        taken.append((m.start(), consumed))
    taken.freeze()
    for m in SHORT_HEAD.finditer(text):
        if m.start() in taken:
            continue
        found, consumed = _parse_after_head(text, m.start(), m.end(), m.group("kind"), False)
        out.extend(found)
        taken.append((m.start(), consumed))
    taken.freeze()
    for m in _BARE_HEAD.finditer(text):
        owned = _OWNED_BEFORE.search(window_before(text, m.start(), 60))
        if m.start() in taken or owned:
            continue
        end = body_label_end(text, m.end()) or naming_words(text, m.end())
        if end <= m.end():
            # "Khối gồm …", "các đơn vị trong Cụm": a reference to the cluster being reported.
            out.append(Mention(m.group("kind").lower(), None, "", None, m.start(), m.end(), False, False))
            continue
        label = text[m.start() : end].strip()
        label = label[:1].upper() + label[1:]
        system = system_at(text, end)[0] or body_owner(text, m.end())
        out.append(Mention(m.group("kind").lower(), None, label, system, m.start(), end, False, True, True))
        taken.append((m.start(), end))
    out.sort(key=lambda x: x.start)
    return _share_owner(text, out)


_JOINED = re.compile(r"\s*(?:,|và|,\s*và)\s*$")


def _share_owner(text: str, mentions: list[Mention]) -> list[Mention]:
    """An owner written once after labels joined by "và"/"," belongs to each of them: "Khối thi đua A và
    Khối thi đua B thuộc UBND tỉnh X" → both owned by "UBND tỉnh X"."""
    out = list(mentions)
    for k in range(len(out) - 2, -1, -1):
        a, b = out[k], out[k + 1]
        if a.full and b.full and a.system is None and b.system and _JOINED.match(text[a.end : b.start]):
            out[k] = replace(a, system=b.system)
    return out


def _parse_after_head(
    text: str, start: int, head_end: int, kind_word: str, full: bool
) -> tuple[list[Mention], int]:
    kind = kind_word.lower()
    pos = head_end
    number: int | None = None
    label_end = head_end
    extra: list[tuple[int, int, int]] = []  # (number, start, end) of elliptical siblings
    named = False
    rest = text[pos : pos + REST]
    # "Cụm thi đua khối 21": the number comes after the other kind word.
    inner = re.match(rf"\s+(?:{KINDS_ALT})\s+(?:số\s+)?(?=\d|[IVXLC])", rest)
    skip = inner.end() if inner and full else 0
    nm = _NUMBER.match(text, pos + (skip or len(rest) - len(rest.lstrip())))
    if nm and (skip or rest[:1].isspace() or not full):
        value = parse_number(nm.group("num"))
        counted = _COUNT_NOUNS.match(text, nm.end())
        is_count = not nm.group("so") and counted is not None
        if counted is not None and _names_known_place(text[counted.end() : counted.end() + 60]):
            # "khối thi đua XI thành phố Hà Nội": the noun opens the owner; "cụm thi đua 6 tỉnh Nam
            # Sông Hậu" counts the provinces of a region
            is_count = False
        if nm.group("num").isalpha() and not nm.group("so"):
            # A bare Roman numeral must stand alone ("Khối thi đua XI,"), not open a word.
            is_count = is_count or bool(re.match(r"[\wÀ-ỹ]", text[nm.end() : nm.end() + 1]))
        if value is not None and not is_count:
            number = value
            label_end = nm.end()
            named = True
            # Elliptical siblings: "số 1 và số 2", "số 1, 2".
            k = nm.end()
            while len(extra) < _MAX_SIBLINGS:
                sib = re.compile(
                    rf"\s*(?:,|và|,\s*và)\s*(?:(?:{KINDS_ALT})\s+(?:thi\s+đua\s+)?)?(số\s+)?"
                    r"(\d{1,3}|[IVXLC]{1,6})(?![\wÀ-ỹ/])",
                    re.IGNORECASE,
                ).match(text, k)
                if not sib:
                    break
                sv = parse_number(sib.group(2))
                if sv is None or _COUNT_NOUNS.match(text, sib.end()):
                    break
                extra.append((sv, sib.start(), sib.end()))
                k = sib.end()
    if number is None:
        end = body_label_end(text, pos) or naming_words(text, pos)
        if end > pos:
            label_end = end
            named = True
            # Trailing number: "Khối thi đua các cơ quan Trung ương 3".
            tail = re.search(r"\s(\d{1,2}|[IVXLC]{1,5})$", text[pos:end])
            if tail and not _COUNT_NOUNS.match(text, end):
                number = parse_number(tail.group(1))
    label = text[start:label_end].strip()
    label = label[:1].upper() + label[1:]
    after = label_end
    alias = _ALIAS.match(text, after)
    if alias:
        if number is None:
            number = parse_number(alias.group("num"))
        after = alias.end()
    if extra:
        after = extra[-1][2]
    system, system_end = system_at(text, after) if full or number is not None else (None, after)
    system = system or (body_owner(text, pos) if number is None else None)
    alias = _ALIAS.match(text, system_end) if system else None
    if alias and number is None:
        number = parse_number(alias.group("num"))
        after = alias.end()
    mentions = [Mention(kind, number, label, system, start, label_end, full, named)]
    stem = re.sub(r"(\d{1,3}|[IVXLC]{1,6})$", "", label).rstrip()
    if stem.lower().endswith(_KIND_WORDS) and "số" in label.split():
        stem = stem + " số"
    for value, s, e in extra:
        sib_label = f"{stem} {roman_or_arabic_like(label, value)}".strip()
        mentions.append(Mention(kind, value, sib_label, system, s, e, full, True))
    return mentions, max(after, label_end)


_HEAD_WORDS = (
    rf"^(?:{KINDS_ALT})\s+(?:(?:{alternation('head_covenant_words')})\s+)?"
    rf"(?:(?:{alternation('head_thi_spellings')})\s+(?:{alternation('head_dua_spellings')}))?"
)


def mention_key(mention: Mention) -> str:
    """Identity of a cluster inside one article: its number, or its folded label when unnumbered."""
    if mention.number is not None:
        return f"#{mention.number}"
    return "L:" + casefold_key(re.sub(_HEAD_WORDS, "", mention.label, flags=re.I))
