"""Officials: persons named as taking part, with their title as written.

Names come from rules, not from NER: a run of capitalised syllables that starts with a known
surname, introduced by an honorific or rank ("ông", "bà", "đồng chí", "Đ/c", "Đại tá" …, which are
stripped) or by a title before it ("Bí thư Huyện ủy Trần Văn An") or after it ("Nguyễn Thị Hoa, Phó
Trưởng Ban …", "Phạm Văn Bình - Chủ tịch …"). Bylines and credits never reach this module (see
:mod:`extract.noise`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.lexicon import (
    ADDRESS_BEFORE_RE,
    COMMON_SURNAMES,
    DASH_JOIN,
    HONORIFIC_RE,
    MIDDLE_NAMES,
    NOT_NAME_WORDS,
    NOT_PERSON,
    STOP_PHRASES,
    SURNAMES,
    TITLE_END_WORDS,
    TITLE_START_RE,
    TITLE_STOPS,
    TITLE_WORDS,
    UNIT_HEAD_RE,
    alternation,
)
from extract.lexicon import words as lexicon_words
from extract.normalize import window_before
from extract.places import is_place

_UP = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
_LO = "a-zàáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
# A title-case word; highland names keep their apostrophe ("H'Bleo", "Y'Jut").
_CAP_TOKEN = re.compile(rf"[{_UP}](?:'[{_UP}])?[{_LO}]*(?![\wÀ-ỹ'])")
# How far back an honorific or an address cue ("ông ", "Đại tá ", "thay mặt") is looked for before a
# name, and how far back the title of a name is read: both are far shorter, and searching the whole
# prefix made every name cost the sentence's length.
_BEFORE = 120
_TITLE_BEFORE = 400
_CLAUSE = re.compile(r"[^,;.()]*")
_WORD = re.compile(r"[^\s,.;:()\"!?]+")
_MIDDLE = frozenset(MIDDLE_NAMES)
_COMMON_SURNAMES = frozenset(COMMON_SURNAMES)
_NOT_NAME_WORDS = frozenset(NOT_NAME_WORDS)
_COMMA_ORG = re.compile(rf",\s+(?={alternation('comma_name_second_halves')})")
_HONORIFIC_AT_END = re.compile(HONORIFIC_RE.pattern + r"$", re.IGNORECASE)
# Phrases by their first character (and title words by offset too): a phrase can only start where
# its first character is, so a position asks a handful of phrases, not all of them.
_TITLE_STOP_PHRASES: dict[str, list[str]] = {}
for _phrase in (*STOP_PHRASES, *TITLE_STOPS):
    _TITLE_STOP_PHRASES.setdefault(_phrase[:1], []).append(_phrase)


@dataclass(frozen=True)
class PersonMention:
    """A person named in a sentence: ``PersonMention("Lê Văn Quyết", "Tỉnh ủy viên, Bí thư", 40)``."""

    name: str
    title: str | None
    start: int


def _cap_runs(text: str) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Runs of consecutive title-case words: (start, end, [(word_start, word_end), …])."""
    runs: list[tuple[int, int, list[tuple[int, int]]]] = []
    current: list[tuple[int, int]] = []
    for m in _CAP_TOKEN.finditer(text):
        if current and text[current[-1][1] : m.start()] == " ":
            current.append((m.start(), m.end()))
        else:
            if current:
                runs.append((current[0][0], current[-1][1], current))
            current = [(m.start(), m.end())]
    if current:
        runs.append((current[0][0], current[-1][1], current))
    return runs


def _best_name(text: str, words: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The person's name inside a capitalised run: 2–4 words ending the run, starting at a surname."""
    tokens = [text[a:b] for a, b in words]
    best: tuple[float, int] | None = None
    for i, tok in enumerate(tokens):
        length = len(tokens) - i
        if not 2 <= length <= 4 or tok not in SURNAMES:
            continue
        if any(t in _NOT_NAME_WORDS and t not in SURNAMES for t in tokens[i:]):
            continue
        score = 1.0
        score += 2 if tok in _COMMON_SURNAMES else 0
        score += 2 if tokens[i + 1] in _MIDDLE else 0
        score += 1 if length == 3 else 0.5 if length == 4 else 0
        if best is None or score > best[0]:
            best = (score, i)
    if best is None:
        return None
    i = best[1]
    return words[i][0], words[-1][1]


# Each title word under the offsets of its words (the word at a position may be any of them) and its
# first character: {offset: {first character: [title words]}}.
_TITLE_WORD_OFFSETS: dict[int, dict[str, list[str]]] = {}
for _phrase in TITLE_WORDS:
    for _off in [0] + [i + 1 for i, ch in enumerate(_phrase) if ch == " "]:
        _TITLE_WORD_OFFSETS.setdefault(_off, {}).setdefault(_phrase[:1], []).append(_phrase)


def _inside_title_word(text: str, pos: int) -> bool:
    """True when the word at ``pos`` belongs to a lexicon title word ("dự khuyết", "thư ký")."""
    for off, by_first in _TITLE_WORD_OFFSETS.items():
        at = pos - off
        if at < 0:
            continue
        for phrase in by_first.get(text[at : at + 1], ()):
            end = at + len(phrase)
            if text.startswith(phrase, at) and not text[end : end + 1].isalpha():
                return True
    return False


def _is_stop_at(text: str, pos: int) -> bool:
    rest = text[pos : pos + 24]
    word = _WORD.match(rest)
    if not word:
        return True
    if _inside_title_word(text, pos):
        return False  # "Ủy viên dự khuyết", "Tổng thư ký": inside a title "dự", "ký" are no verbs
    w = word.group(0)
    if w in TITLE_END_WORDS:
        return True
    phrases = _TITLE_STOP_PHRASES.get(rest[:1], ())
    return any(rest.startswith(p) and not rest[len(p) : len(p) + 1].isalpha() for p in phrases)


def scan_title(text: str, pos: int) -> int:
    """End of a title that starts at ``pos``, following comma chains of titles:
    ``"Tỉnh ủy viên, Bí thư Huyện ủy, Chủ tịch HĐND huyện Diễn Châu cùng …"`` → end before " cùng".
    """
    end = pos
    i = pos
    words = 0
    while i < len(text) and words < 30:
        ws = re.match(r"[ ]*", text[i:])
        j = i + (ws.end() if ws else 0)
        if j >= len(text):
            break
        ch = text[j]
        if ch == "-" or ch == "–":
            join = DASH_JOIN.match(text, i)
            if join and join.end() > i:
                i = join.end()
                continue
            # "… Quận ủy Quận 3 - Cụm trưởng": a dash before another title continues the title.
            nxt = re.compile(r"[-–]\s*").match(text, j)
            if nxt and TITLE_START_RE.match(text, nxt.end()) and text[nxt.end() : nxt.end() + 1].isupper():
                i = nxt.end()
                continue
            break
        if ch == ",":
            org = _COMMA_ORG.match(text, j)
            if org:
                i = org.end()
                continue
            nxt = re.match(r",\s*", text[j:])
            k = j + (nxt.end() if nxt else 1)
            if TITLE_START_RE.match(text, k) and text[k : k + 1].isupper():
                i = k
                continue
            if _qualifying_org(text, k):
                i = k
                continue
            if (
                _LOWER_NAME_PART.match(text, k)
                and not _is_stop_at(text, k)
                and _UNIT_BEFORE.search(text, pos, j)
            ):
                # "Cục Phổ biến, giáo dục pháp luật và Trợ giúp pháp lý": a lower-case part of the name
                i = k
                continue
            break
        if ch in '.;:()!?"':
            glued = j + 1 < len(text) and text[j + 1] != " "
            if ch == "." and glued and re.match(r"\.\s*[A-ZĐ]{1,4}\b", text[j:]):
                i = j + 1
                continue
            break
        # "Trưởng ban tổ chức giải": "ban tổ chức" is the organising committee, not the verb.
        committee = re.search(r"(?<![\wÀ-ỹ])[Bb]an\s*$", text[:j]) and text.startswith("tổ chức", j)
        if words > 0 and not committee and _is_stop_at(text, j):
            break
        if words > 0 and _honorific_at(text, j):
            break
        w = _WORD.match(text, j)
        if not w:
            break
        if w.group(0) == "và":
            # "… đảng và công tác chính trị" continues a lower-case name; "… Quan Hóa và lãnh đạo" ends.
            prev = text[:j].split()[-1] if text[:j].split() else ""
            nxt = _WORD.match(text, w.end() + 1)
            recent = set(text[max(0, j - 40) : j].split()[-4:])
            parallel = nxt is not None and nxt.group(0) in recent
            # "Cục công tác Đảng và công tác chính trị": the words after "và" repeat the name's own
            if not nxt or (nxt.group(0)[:1].islower() and prev[:1].isupper() and not parallel):
                break
            if _title_then_person(text, nxt.start()):
                # "bà A, Phó Trưởng Ban … và Phó Chủ tịch UBND huyện Trần Văn B": a second official.
                break
        i = w.end()
        end = i
        words += 1
    return end


# A comma inside a unit's name: lower-case words, then "và" and a capital, before the next mark.
_LOWER_NAME_PART = re.compile(rf"[{_LO}][^,.;:()]{{0,40}}?\s+và\s+[{_UP}]")
_UNIT_BEFORE = re.compile(rf"(?<![\wÀ-ỹ])(?:{alternation('unit_before_name_heads')})\s+[A-ZĐ][^,.;:()]*$")


def _qualifying_org(text: str, pos: int) -> bool:
    """True when the comma before ``pos`` opens the body a title belongs to and the clause ends with it:
    "Phó Vụ trưởng Vụ Thi đua - Khen thưởng, Bộ Giáo dục và Đào tạo;" (not a list of several bodies)."""
    head = UNIT_HEAD_RE.match(text, pos)
    if not head or not text[pos : pos + 1].isupper():
        return False
    boundary = re.compile(r"[^,;.()]*").match(text, pos)
    end = boundary.end() if boundary else pos
    if end < len(text) and text[end] not in ";.)":
        return False
    if end < len(text) and text[end] == "." and re.match(r"\.\w", text[end : end + 2]):
        return False
    segment = text[pos:end]
    return not any(_is_stop_at(segment, w.start()) for w in list(_WORD.finditer(segment))[1:])


def _title_then_person(text: str, pos: int) -> bool:
    """True when a title opens at ``pos`` and a person's name follows it in the same clause."""
    if not (TITLE_START_RE.match(text, pos) and text[pos : pos + 1].isupper()):
        return False
    clause = _CLAUSE.match(text, pos)
    end = clause.end() if clause else pos
    return any(_starts_person(text, m.start()) for m in _CAP_TOKEN.finditer(text, pos, end))


def _after_honorific(text: str, pos: int) -> bool:
    """True when ``text`` right before ``pos`` ends with an honorific or rank ("bà ", "Đại tá ")."""
    before = window_before(text, pos, _BEFORE)
    return bool(_HONORIFIC_AT_END.search(before) or ADDRESS_BEFORE_RE.search(before))


def _honorific_at(text: str, pos: int) -> bool:
    """True when an honorific opens at ``pos``, alone or after "và"/"cùng" ("và ông Lò Văn Hiền")."""
    m = re.compile(r"(?:và|cùng)\s+").match(text, pos)
    at = m.end() if m else pos
    h = HONORIFIC_RE.match(text, at)
    return bool(h) and h.end() > at  # type: ignore[union-attr]


def _starts_person(text: str, pos: int) -> bool:
    """True when a person's name (after an optional honorific) starts at ``pos``."""
    h = HONORIFIC_RE.match(text, pos)
    if h and h.end() > pos:
        return True
    m = _CAP_TOKEN.match(text, pos)
    if not m or m.group(0) not in SURNAMES:
        return False
    run = [r for r in _cap_runs(text[pos : pos + 60]) if r[0] == 0]
    return bool(run) and _best_name(text[pos : pos + 60], run[0][2]) == (0, run[0][1])


def _title_before(text: str, name_start: int, floor: int = 0) -> str | None:
    """The title written right before a name in the same clause: "Bí thư Quận ủy Lê …" → "Bí thư Quận ủy"."""
    # The clause is read back at most _TITLE_BEFORE characters: a title is far shorter, and the whole
    # prefix made each name cost the sentence's length.
    head = text[:name_start]
    if name_start > _TITLE_BEFORE:
        head = window_before(text, name_start, _TITLE_BEFORE)
        floor -= name_start - len(head)
        name_start = len(head)
    if floor > name_start - 2:
        return None
    cut = max(head.rfind(";"), head.rfind(":"), head.rfind("("), head.rfind(". "), head.rfind(","))
    clause_start = cut + 1
    clause = head[clause_start:]
    # "… Huyện ủy Đông Anh và Phó Chủ tịch UBND huyện Trần Văn B": the title after the last "và"
    # that opens one is this person's; what comes before belongs to the previous official.
    for joint in reversed(list(re.finditer(r"\svà\s+", clause))):
        if TITLE_START_RE.match(clause, joint.end()) and clause[joint.end() : joint.end() + 1].isupper():
            clause = clause[joint.end() :]
            break
    if cut >= 0 and head[cut] == "," and HONORIFIC_RE.fullmatch(clause.strip() + " "):
        # "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, đồng chí Lê Văn A": the title chain before the comma.
        return _title_chain_before(head[:cut])
    for m in TITLE_START_RE.finditer(clause):
        if not m.group(0)[:1].isupper():
            continue
        title = clause[m.start() :].strip()
        title = HONORIFIC_RE.sub(" ", title).strip(" ,-")
        title = re.sub(r"\s+(?:là|có|gồm)$", "", title).strip()
        if title and not re.search(r"\b(?:cùng|và|với|của)\s*$", title):
            # Never swallow a verb phrase: the title must not hold a stop phrase.
            if any(_is_stop_at(title, w.start()) for w in list(_WORD.finditer(title))[1:]):
                return None
            return " ".join(title.split())
        return None
    return None


def _title_chain_before(head: str) -> str | None:
    """A comma chain of titles ending ``head``: "…, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"."""
    parts = head.split(",")
    chain: list[str] = []
    for part in reversed(parts):
        seg = part.strip()
        m = TITLE_START_RE.search(seg)
        if not m or not m.group(0)[:1].isupper():
            break
        if m.start() > 0:
            chain.insert(0, seg[m.start() :])
            break
        chain.insert(0, seg)
    if not chain:
        return None
    title = ", ".join(chain)
    if any(_is_stop_at(title, w.start()) for w in list(_WORD.finditer(title))[1:]):
        return None
    return title


def _title_after(text: str, name_end: int) -> tuple[str | None, int]:
    """The title written right after a name and its end: ", Phó Trưởng Ban …", " - Chủ tịch …",
    " Chủ tịch …" (the title head right after the name)."""
    # ", Phó Trưởng Ban …", " - Chủ tịch …", or with no mark at all: "Phí Văn Toàn Chủ tịch Hội …"
    m = re.compile(r"\s*(?:,|-|–)\s*|\s+(?=[A-ZĐ])").match(text, name_end)
    if not m:
        return None, name_end
    start = m.end()
    tm = TITLE_START_RE.match(text, start)
    if not tm or not text[start : start + 1].isupper():
        return None, name_end
    end = scan_title(text, start)
    title = " ".join(text[start:end].strip(" ,-").split())
    return (title or None), end


_RUN_OPENERS = frozenset(w.capitalize() for w in lexicon_words("run_opening_address_forms"))


def find_people(sentence: str) -> list[PersonMention]:
    """Persons named in one sentence with the title given there (or None), in order.

    ``"Dự có bà Nguyễn Thị Hoa, Phó Trưởng Ban Dân vận Tỉnh ủy."`` →
    ``[PersonMention("Nguyễn Thị Hoa", "Phó Trưởng Ban Dân vận Tỉnh ủy", 10)]``.
    """
    out: list[PersonMention] = []
    consumed = 0  # end of the last title read after a name: names inside it are not persons
    for _, _, words in _cap_runs(sentence):
        if len(words) > 2 and sentence[words[0][0] : words[0][1]] in _RUN_OPENERS:
            words = words[1:]  # "Bà H'Yim Kđoh": the honorific opens the run
        while len(words) > 2 and TITLE_START_RE.match(sentence, words[-1][0]):
            words = words[:-1]  # "Phí Văn Toàn Chủ tịch Hội …": the title's first word is no name
        if TITLE_START_RE.match(sentence, words[0][0]):
            continue  # "đồng chí Trưởng Ban Dân vận Tỉnh ủy": a title without a name
        addressed = _after_honorific(sentence, words[0][0])
        first = sentence[words[0][0] : words[0][1]]
        whole = 2 <= len(words) <= 4 and first in SURNAMES
        whole = whole and not any(sentence[a:b] in _NOT_NAME_WORDS for a, b in words[1:])
        # After a form of address the whole run is the name ("ông Thạch Hoàng Phúc"), not the part
        # that starts at the commonest surname inside it ("Hoàng Phúc").
        span = (words[0][0], words[-1][1]) if addressed and whole else _best_name(sentence, words)
        if span is None and 2 <= len(words) <= 4 and addressed:
            # Names outside the surname list ("bà H'Yim Kđoh") are taken when an honorific opens them.
            span = (words[0][0], words[-1][1])
        if span is None:
            continue
        start, end = span
        if start < consumed:
            continue
        name = sentence[start:end]
        if name in NOT_PERSON or is_place(name) or is_place(sentence[words[0][0] : end]):
            continue
        honorific = _after_honorific(sentence, start)
        title, title_end = _title_after(sentence, end)
        if title is None:
            title = _title_before(sentence, start, consumed)
        else:
            consumed = title_end
        if not (honorific or title):
            continue
        out.append(PersonMention(name, title, start))
    return out
