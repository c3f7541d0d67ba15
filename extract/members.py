"""Member units of a cluster, read only from explicit membership statements.

"Cụm thi đua 3 gồm các quận Tân Phú, Gò Vấp, Quận 7" → Quận Tân Phú, Quận Gò Vấp, Quận 7. A shared
prefix ("các quận", "Hội LHPN các huyện", "Ban Tuyên giáo các Đảng ủy:") is distributed to every
item. Guests ("(khách mời)", "đơn vị khách mời là …") are not members. Attendance alone ("Tham dự
có …") never makes a member.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.lexicon import STOP_PHRASES, STOP_WORDS, UNIT_HEAD_RE, UNIT_NOUNS, UPPER, alternation, words
from extract.member_items import (
    ADMIN_IN,
    clean_item,
    compose,
    distribute_first,
    distribute_suffix,
    split_bare_and,
    split_items,
)
from extract.places import is_place

_LIST_START = re.compile(
    rf"(?:(?<![\wÀ-ỹ])(?:{alternation('list_openers')})(?![\wÀ-ỹ])|(?:các\s+)?đơn\s+vị\s+thành\s+viên"
    rf"(?:\s+(?:trong|của)\s+(?:{alternation('kinds')})(?:\s+thi\s+đua)?)?\s*(?:gồm|là)?\s*:"
    r"|(?<![\wÀ-ỹ])\d+\s+đơn\s+vị\s+thành\s+viên(?=\s*\())"
    # "các thành viên của Cụm Hiệp hội …, Hội …": the units named as the cluster's members
    rf"|(?P<of>(?<![\wÀ-ỹ])các\s+thành\s+viên\s+(?:của|trong)\s+(?:{alternation('kinds')})(?:\s+thi\s+đua)?\s*:?\s+)",
    re.IGNORECASE,
)
_NOUN_ALT = "|".join(re.escape(n) for n in sorted(UNIT_NOUNS, key=len, reverse=True))
# Two admin nouns at once ("Hội Luật gia các tỉnh, thành phố: Đồng Nai, Tp.HCM"): no one noun fits
# every item, so the prefix alone is distributed ("Hội Luật gia Đồng Nai").
_MIXED = r"(?i:tỉnh\s*[,/]\s*thành(?:\s+phố)?(?=\s*:))"
_GENERIC_NOUNS = frozenset(words("generic_member_nouns"))
_LEAD_IN = re.compile(
    rf"\s*(?:có\s+)?:?\s*(?:(?:các|những)\s+(?:{alternation('lead_in_nouns')})(?:\s+thành\s+viên)?\s*(?:là|sau)?\s*:?\s*"
    rf"|\d+\s+(?:{alternation('lead_in_nouns')})\s*(?:là)?\s*:?\s*)?",
    re.IGNORECASE,
)
# An upper-case qualifier right before the colon belongs to the unit word: "các trường THPT: A, B"
# → "Trường THPT A" (THCS, ĐH … alike).
_PREFIX = re.compile(
    rf"^(?P<prefix>[^:,;()]{{0,70}}\s)?(?:(?i:các)|\d+)\s+(?P<noun>{_MIXED}|(?i:{_NOUN_ALT})(?:\s+[A-ZĐ]{{2,}}(?=\s*:))?)"
    r"(?![\wÀ-ỹ])\s*(?::\s*|\s+(?=\S))",
)
# After ";" a time adverbial or a connective opens a new clause, not another list item:
# "gồm VKSND các tỉnh: A, B; năm 2025, VKSND tỉnh A giữ vai trò Cụm trưởng".
_NEW_CLAUSE = re.compile(
    rf";\s*(?:năm\s+\d{{4}}|{alternation('new_clause_openers')})(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
# "gồm" introducing contents, not units: "bản giao ước gồm 8 chỉ tiêu: …", "chương trình gồm …".
_CONTENTS_BEFORE = re.compile(
    rf"(?:{alternation('contents_nouns_before')})"
    r"(?:\s+[^\s,;:]+){0,3}\s*$",
    re.IGNORECASE,
)
_CONTENTS_AFTER = re.compile(
    rf"^\s*(?:có\s+)?(?:\d+|{alternation('contents_counts')})\s+"
    rf"(?:{alternation('contents_nouns_after')})"
    r"(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
# "Nội dung phát động thi đua năm 2018 của Khối … gồm: …": the subject is the contents (or the guests).
_CONTENTS_OPEN = re.compile(
    # who attended is no membership: "Tham dự hội nghị tại mỗi cụm gồm: Ban Thường trực …"
    rf"^\W*(?:{alternation('contents_subjects')}|{alternation('attendance_subjects')})[^;:.]*$",
    re.IGNORECASE,
)
# The body of every member when the items are bare places, written before them with a plural or a count.
_PLACE_BODY = (
    rf"(?P<body>(?:{alternation('place_body_heads')})"
    r"(?:\s+[^\s,.;:()]+){0,3}?)"
)
_BODY_OF_PLACES_BEFORE = re.compile(
    _PLACE_BODY + rf"\s+(?:các|\d+)\s+(?:{alternation('place_body_nouns')})(?:\s*,\s*thành(?:\s+phố)?)?"
    r"(?:\s+[^\s,.;:()]+){0,3}\s*$"
)
_BODY_OF_PLACES_INNER = re.compile(
    r"^(?:các\s+)?"
    + _PLACE_BODY
    + rf"\s+(?:{alternation('owner_of_words')})\s+(?:\d+\s+|các\s+)?"
    + rf"(?:{alternation('province_nouns')})[^:;.]{{0,40}}:\s*"
)


@dataclass(frozen=True)
class MemberList:
    """A membership statement: where it starts in the sentence and its (name, role) items in order."""

    start: int
    items: tuple[tuple[str, str | None], ...]


def _list_end(text: str, start: int, in_paren: bool) -> int:
    """End of a member list: the sentence end, the closing bracket of "(gồm …)", or a verb."""
    depth = 0
    i = start
    n = len(text)
    # Items separated by ";" carry their own verbs and function words ("Cục Cảnh sát Quản lý hành
    # chính về trật tự xã hội; Cục …"): up to the last ";" of the sentence only its end closes the list.
    stop_at = text.find(". ", start)
    semis = text.count(";", start, stop_at if stop_at >= 0 else n)
    open_until = text.rfind(";", start, stop_at if stop_at >= 0 else n) if semis >= 2 else -1
    while i < n:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and _ends_list(text, i, ch):
            return i
        elif depth == 0 and not in_paren and ch == " " and i > max(start, open_until):
            rest = text[i + 1 : i + 24]
            word = re.match(r"[^\s,.;:()]+", rest)
            stop = word is not None and word.group(0) in STOP_WORDS
            stop = stop and word is not None and word.group(0) not in ("của", "các", "năm")
            # "Cục Đăng ký …", "Phòng Đăng ký …": "ký" inside the compound "Đăng ký" names the unit
            stop = stop and not (word is not None and word.group(0) == "ký" and text[i - 4 : i] == "Đăng")
            if stop and not _names_place(text, i + 1):
                return i
            if any(rest.startswith(p + " ") or rest == p for p in STOP_PHRASES):
                return i
        i += 1
    return n


# "Tòa án nhân dân cấp cao tại Hà Nội", "Văn phòng đại diện tại Thành phố Hồ Chí Minh": "tại" + a
# known place that ends the item is part of the unit's name, not the place of the meeting.
_PLACE_IN_NAME = re.compile(
    rf"tại\s+(?P<place>(?:(?:{alternation('venue_place_words')})\s+)?[{UPPER}][\wÀ-ỹ]*(?:\s+[{UPPER}][\wÀ-ỹ]*){{0,3}})"
    r"(?=\s*(?:[,;().]|\s+và\s|$))"
)


def _names_place(text: str, at: int) -> bool:
    m = _PLACE_IN_NAME.match(text, at)
    return m is not None and is_place(m.group("place"))


_ABBREVIATION = re.compile(rf"(?<![\wÀ-ỹ])(?:{alternation('admin_abbreviations')})$")


def _ends_list(text: str, i: int, ch: str) -> bool:
    """True at a sentence-final "." or at a ";" that opens a new clause (see ``_NEW_CLAUSE``)."""
    if ch == ".":
        if _ABBREVIATION.search(text[max(0, i - 3) : i]):
            return False  # "TP. Hồ Chí Minh": the dot of an abbreviation
        return i + 1 == len(text) or text[i + 1] == " "
    return ch == ";" and _NEW_CLAUSE.match(text, i) is not None


def find_member_lists(sentence: str) -> list[MemberList]:
    """Membership statements in one sentence with their items.

    ``"Cụm thi đua số 2 gồm các huyện: Đông Sơn, Nông Cống và Triệu Sơn."`` →
    one list ``(("Huyện Đông Sơn", None), ("Huyện Nông Cống", None), ("Huyện Triệu Sơn", None))``.
    """
    out: list[MemberList] = []
    low = sentence.lower()
    if "gồm" not in low and "thành" not in low:
        # every opener holds "gồm" or "thành viên", and ignoring case their letters match only
        # what lower() folds to them (not so "i": İ, ı): most sentences hold neither
        return out
    for m in _LIST_START.finditer(sentence):
        if m.group("of") and not sentence[m.end() : m.end() + 1].isupper():
            continue  # "các thành viên trong Cụm đã …": no list follows
        before = sentence[max(0, m.start() - 3) : m.start()]
        in_paren = before.rstrip().endswith("(")
        if (
            _CONTENTS_BEFORE.search(sentence[max(0, m.start() - 50) : m.start()])
            or _CONTENTS_AFTER.match(sentence, m.end())
            or (_CONTENTS_OPEN.match(sentence[: m.start()]) and not m.group("of"))
        ):
            continue
        rest_start = m.end()
        lead = _LEAD_IN.match(sentence, rest_start)
        if lead:
            rest_start = lead.end()
        # "gồm 7 đơn vị (A, B và C) tổ chức …": the list is the bracket, which ends it.
        opening = sentence[rest_start:].lstrip()
        if not in_paren and opening.startswith("("):
            rest_start = len(sentence) - len(opening) + 1
            in_paren = True
        # "bao gồm các TAND của 6 thành phố trực thuộc Trung ương: Hà Nội, …" → "TAND Hà Nội"
        inner = _BODY_OF_PLACES_INNER.match(sentence[rest_start:].lstrip())
        place_body = inner.group("body") if inner else ""
        if inner:
            rest_start = len(sentence) - len(sentence[rest_start:].lstrip()) + inner.end()
        end = _list_end(sentence, rest_start, in_paren)
        body = sentence[rest_start:end].strip()
        if not body:
            continue
        prefix = ""
        noun = ""
        lead_item = ""
        pm = None if place_body or m.group("of") else _PREFIX.match(body)
        distributed = False
        # A prefix written out again in the list ("Liên hiệp các Hội …; Liên hiệp các Hội …") is a name.
        # A generic noun distributes only under a named body: "Công đoàn các ngành: Giáo dục, Y tế" →
        # "Công đoàn ngành Giáo dục"; "các đơn vị: A, B" alone keeps the names.
        generic = pm is not None and pm.group("noun").lower() in _GENERIC_NOUNS
        named_prefix = pm is not None and (pm.group("prefix") or "")[:1].isupper()
        if pm and (not generic or named_prefix) and body.count(pm.group(0).strip()) == 1:
            prefix = (pm.group("prefix") or "").strip()
            noun = pm.group("noun")
            capitalised = prefix[:1].upper() + prefix[1:]
            if prefix and not prefix[:1].isupper() and not UNIT_HEAD_RE.match(capitalised):
                prefix = ""
            body = body[pm.end() :]
            distributed = True
            # "thành phố Kon Tum và các huyện A, B": the unit before "và" is an item of its own.
            # "VKSND thành phố A và các huyện: B, C": "VKSND thành phố A", then "VKSND huyện B" …
            head = re.match(r"^(?P<unit>.+?)\s+và$", prefix)
            admin = ADMIN_IN.search(head.group("unit")) if head else None
            if head and admin:
                lead_item = head.group("unit")
                prefix = lead_item[: admin.start()].strip()
        if not distributed and not place_body:
            # "lãnh đạo Hội Nhà báo các tỉnh Nam Bộ gồm: Tây Ninh, Vĩnh Long" → "Hội Nhà báo Tây Ninh"
            outer = _BODY_OF_PLACES_BEFORE.search(sentence[max(0, m.start() - 90) : m.start()])
            place_body = outer.group("body") if outer else ""
        items: list[tuple[str, str | None]] = []
        if lead_item:
            items.append((lead_item[:1].upper() + lead_item[1:], None))
        raws = split_items(body, distributed)
        if not distributed:
            raws = split_bare_and(distribute_first(distribute_suffix(raws)))
        if place_body:  # "…, Cần Thơ và Huế": two places
            raws = [
                p for r in raws for p in (r.split(" và ") if all(map(is_place, r.split(" và "))) else [r])
            ]
        if place_body and not all(is_place(clean_item(r)[0]) for r in raws):
            place_body = ""  # the body distributes over bare place names only
        for raw in raws:
            name, role, guest = clean_item(raw)
            if guest or not name:
                continue
            if place_body:
                name = f"{place_body} {name}"
            name = compose(prefix, noun, name) if distributed else name[:1].upper() + name[1:]
            items.append((name, role))
        if items:
            out.append(MemberList(m.start(), tuple(items)))
    return out
