"""Leader roles of member units: cụm trưởng, cụm phó, khối trưởng, khối phó.

Roles are read from annotations on a unit ("A (đơn vị Cụm trưởng)", "A – Cụm phó"), from role
statements ("do A làm Cụm trưởng", "Cụm trưởng là A", "A giữ vai trò Cụm phó") and from a person's
title ("…, Chủ tịch UBND huyện Y, Cụm trưởng Cụm thi đua số 2" → huyện Y). Next year's leader
("bầu huyện Y là đơn vị Cụm trưởng năm 2025", "bàn giao Cụm trưởng cho …") is declined: the Event
has no field for it, and giving it as this year's role would be wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.clusters import scan_org
from extract.lexicon import (
    ADDRESS_ALT,
    SURNAMES,
    TITLE_START_RE,
    TITLE_WORDS,
    UNIT_HEAD_RE,
    UPPER,
    alternation,
)
from extract.places import is_place

_KINDS = alternation("kinds")
_UNIT_PRONOUNS = alternation("unit_pronouns")
_HOST = alternation("host_words")
_ROLE = re.compile(
    rf"(?<![\wÀ-ỹ])(?:(?P<k1>{_KINDS})\s+(?P<r1>{alternation('role_ranks')})"
    rf"|(?P<r2>{alternation('role_ranks_before_kind')})\s+(?P<k2>{_KINDS}))(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
# Statements about another year's leader, or an overseer: not a role of this meeting.
_DECLINED = re.compile(
    # only asked yes or no, so the order of the alternatives does not matter
    rf"{alternation('declined_role_cues')}|\bsẽ\b"
    # an overseer "phụ trách Cụm …"; "Phó Chánh án phụ trách TAND tỉnh A" is a title
    rf"|phụ\s+trách\s+(?:các\s+)?(?:{_KINDS})",
    re.IGNORECASE,
)
# An election or acclamation names the leader of the next period (the conventions' example "bầu huyện
# Y là đơn vị Cụm trưởng năm 2025"): declined whatever year it names.
_ELECTION = re.compile(
    rf"\b(?:{alternation('election_words')})\b|{alternation('election_cues')}", re.IGNORECASE
)
_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
_CLAUSE_START = re.compile(rf"(?:^|[;:.]\s*|,\s*(?=[{UPPER}]))(?:năm\s+\d{{4}}\s*,\s*)?", re.IGNORECASE)
_ROLE_LEAD = re.compile(
    rf"\s*(?:giữ\s+vai\s+trò|là(?:\s+(?:{_UNIT_PRONOUNS}))?(?:\s+(?:{_HOST}))?"
    rf"|-\s*(?:{_UNIT_PRONOUNS})?(?:\s+(?:{_HOST}))?"
    # "Ban Nội chính Tỉnh ủy, đơn vị Trưởng Khối …"
    rf"|,\s*(?:là\s+)?(?:{_UNIT_PRONOUNS})(?:\s+(?:{_HOST}))?)\s*$",
    re.IGNORECASE,
)
# Words before the unit that are not its name: "là", "đơn vị", and the venue's "tại (cơ quan) …" in "Sáng
# 4/3, tại cơ quan Tỉnh đoàn X (đơn vị Trưởng khối)".
_UNIT_PREFIX = re.compile(
    rf"^(?:(?:{alternation('venue_prepositions')})\s+(?:(?:{alternation('venue_places')})\s+)?"
    rf"|(?:{_UNIT_PRONOUNS}|là)\s+)",
    re.IGNORECASE,
)
# A cluster's label is no unit ("… Phạm Văn Lực - Khối trưởng Khối thi đua").
_UNIT_OPENER = re.compile(rf"\b(?:{alternation('role_unit_openers')})\s*:?\s+")
_ASSIGNER = re.compile(rf"(?:^|[\s,;(])(?:{alternation('role_assigners')})\s+")
_BRACKET_OPEN = re.compile(rf"\(\s*(?:{_UNIT_PRONOUNS})?\s*$", re.IGNORECASE)
_CLUSTER_LABEL = re.compile(rf"^(?:{_KINDS})(?![\wÀ-ỹ])", re.IGNORECASE)
_ADDRESS_START = re.compile(rf"^(?:{ADDRESS_ALT})\s", re.IGNORECASE)


@dataclass(frozen=True)
class RoleClaim:
    """A unit named with a role in the text: ``RoleClaim("huyện Diễn Châu", "cụm trưởng")``."""

    unit: str
    role: str


def role_in(text: str) -> str | None:
    """The role a phrase states, lower case: ``"(đơn vị Cụm trưởng)"`` → ``"cụm trưởng"``;
    ``"cơ quan đăng cai Trưởng khối"`` → ``"khối trưởng"``; ``"(Cụm phó thứ hai)"`` → ``"cụm phó"``;
    ``"(Phó Trưởng khối)"`` → ``"khối phó"``.
    """
    m = _ROLE.search(text)
    if not m:
        return None
    kind = (m.group("k1") or m.group("k2")).lower()
    rank = (m.group("r1") or m.group("r2")).lower().split()[0]  # "Phó trưởng khối" is khối phó
    return f"{kind} {rank}"


def is_declined(sentence: str, year: int | None = None) -> bool:
    """True for sentences about the next leader or an overseer: "bầu …", "suy tôn …", "bàn giao Cụm
    trưởng cho …", "phụ trách …", or a role for a year after the covenant ``year``."""
    if _DECLINED.search(sentence):
        return True
    # the years said beside a role ("… làm Cụm trưởng năm 2026"), not the tasks of next year later in
    # the sentence ("… làm Cụm trưởng đã tổ chức tổng kết năm 2025 và triển khai nhiệm vụ năm 2026")
    near = [sentence[max(0, r.start() - 40) : r.end() + 40] for r in _ROLE.finditer(sentence)]
    years = [int(y) for part in (near or [sentence]) for y in _YEAR.findall(part)]
    if _ELECTION.search(sentence):
        # an election names the next period's leader ("bầu A là đơn vị Cụm trưởng năm 2025"); one with
        # no year at all, in an event whose covenant year is known, is that year's leader
        return year is None or bool(years)
    return year is not None and any(y > year for y in years)


def _clean_unit(unit: str) -> str:
    unit = _UNIT_PREFIX.sub("", unit.strip(" ,;:-"))
    unit = _UNIT_PREFIX.sub("", unit.strip(" ,;:-"))  # "tại cơ quan" then "cơ quan" stripped
    # "ông X - Chánh án TAND tỉnh Y", "GS. X Chủ tịch Hội Y": the person's title names the unit
    parts = re.split(r"\s+-\s+", unit)
    titled = [p for p in parts if TITLE_START_RE.match(p)]
    if len(parts) > 1 and titled:
        unit = titled[-1]
    elif not UNIT_HEAD_RE.match(unit) and (t := TITLE_START_RE.search(unit)) and t.start() > 0:
        unit = unit[t.start() :]
    unit = re.sub(r"\s*\([^()]*\)$", "", unit)  # "Hội Nhà báo tỉnh A (sau sáp nhập)"
    unit = _person_unit(unit.strip(" ,;:-"))
    # a cluster's label or a person ("Đồng chí Lê Văn An - Khối trưởng") is no unit
    return "" if _CLUSTER_LABEL.match(unit) or _ADDRESS_START.match(unit) else unit


def _person_unit(unit: str) -> str:
    """A role given on a person goes to the unit in the title: "Trưởng Ban Nội chính Tỉnh ủy Lê Văn
    An" → "Ban Nội chính Tỉnh ủy" (title heads and a trailing name taken off)."""
    rest = unit
    while (m := TITLE_START_RE.match(rest)) and m.end() > 0:
        # "Trưởng Ban …" is one title head whose last word opens the unit ("Ban …")
        last = m.group(0).split()[-1]
        after = rest[m.end() :].lstrip()
        for word in TITLE_WORDS:  # "Phó Chánh án phụ trách TAND tỉnh A": the unit follows "phụ trách"
            if after.startswith(word + " "):
                after = after[len(word) :].lstrip()
        rest = after if UNIT_HEAD_RE.match(after) or TITLE_START_RE.match(after) else f"{last} {after}"
        if not TITLE_START_RE.match(rest) or rest.startswith(last):
            break
    if rest == unit or not UNIT_HEAD_RE.match(rest):
        return unit
    words = rest.split()
    for n in (3, 4, 2):  # three-word names first: "Báo Hà Giang Trần Văn Bình"
        tail = words[-n:]
        person = tail[0] in SURNAMES and all(w[:1].isupper() for w in tail) and not is_place(" ".join(tail))
        if len(words) > n + 1 and person:  # "Hội Luật gia tỉnh Đồng Nai": a place, not a name
            return " ".join(words[:-n])
    return rest


def _ends_with_name(text: str) -> bool:
    """True when ``text`` ends with a person's name: "… Báo Quảng Ngãi Nguyễn Đức Thắng"."""
    words = text.split()
    for n in (3, 4, 2):  # three-word names first: "Báo Hà Giang Trần Văn Bình"
        tail = words[-n:]
        if len(words) > n and tail[0] in SURNAMES and all(w[:1].isupper() for w in tail):
            return not is_place(" ".join(tail))
    return False


def role_claims(sentence: str, year: int | None = None) -> list[RoleClaim]:
    """Units given a role by a statement in one sentence, in order.

    ``"Năm 2024, Cụm trưởng là huyện Diễn Châu; huyện Yên Thành giữ vai trò Cụm phó."`` →
    ``[RoleClaim("huyện Diễn Châu", "cụm trưởng"), RoleClaim("huyện Yên Thành", "cụm phó")]``.
    """
    if _ROLE.search(sentence) is None or is_declined(sentence, year):
        return []  # claims come from role phrases only: most sentences hold none
    claims: list[tuple[int, RoleClaim]] = []
    for m in _ROLE.finditer(sentence):
        role = role_in(m.group(0))
        if role is None:
            continue
        before = sentence[: m.start()]
        after = sentence[m.end() :]
        unit: str | None = None
        # "Cụm trưởng là A"
        la = re.match(r"\s*(?:năm\s+\d{4}\s+)?là\s+(?:đơn\s+vị\s+)?", after, re.IGNORECASE)
        if la:
            start = m.end() + la.end()
            unit = sentence[start : scan_org(sentence, start)]
        # "do A làm Cụm trưởng", "A làm Cụm trưởng"
        elif re.search(r"\blàm\s+(?:đơn\s+vị\s+)?$", before, re.IGNORECASE):
            head = re.sub(r"\s*\blàm\s+(?:đơn\s+vị\s+)?$", "", before, flags=re.IGNORECASE)
            unit = head[_after_do(head) :]
        # "A (Cụm phó thứ hai)", "A (đơn vị Cụm trưởng)"
        elif _BRACKET_OPEN.search(before):
            head = before[: before.rfind("(")]
            # after a previous unit's bracket: "A (đơn vị Trưởng khối) và B (đơn vị Phó Trưởng khối)"
            cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"), head.rfind(")"))
            if head[cut + 1 :].lstrip().startswith("và "):
                cut = head.index("và ", cut + 1) + 2
            is_ = list(_UNIT_OPENER.finditer(head))
            unit = head[max(cut + 1, is_[-1].end() if is_ else 0) :]
        # "A giữ vai trò Cụm phó", "A – Cụm trưởng", "A – đơn vị trưởng khối"
        elif _ROLE_LEAD.search(before) and not re.search(r"\(\s*[^()]*$", before):
            head = _ROLE_LEAD.sub("", before)
            unit = head[max(_last_clause(head), _after_do(head, clause=False)) :]
        # "Tổng Biên tập Báo Quảng Ngãi Nguyễn Đức Thắng, Khối phó …": a role after a titled person
        elif before.rstrip().endswith(","):
            head = before.rstrip()[:-1]
            start = max(_last_clause(head), head.rfind(" và ") + 4 if " và " in head else 0)
            person = head[start:].strip()
            if TITLE_START_RE.match(person) and _ends_with_name(person):
                unit = person
        if unit:
            unit = _clean_unit(unit)
            if unit and unit[:1].isalpha() and len(unit.split()) <= 16:
                claims.append((m.start(), RoleClaim(unit, role)))
    return [c for _, c in sorted(claims, key=lambda x: x[0])]


def _after_do(head: str, clause: bool = True) -> int:
    """Where the unit of "do A làm Cụm trưởng" starts in ``head``: after the last "do", or after an
    earlier role statement ("do A làm Cụm trưởng, B làm Cụm phó" → B); else the last clause (or 0)."""
    start = 0
    do = list(_ASSIGNER.finditer(head))
    if do:
        start = do[-1].end()
    elif clause:
        start = _last_clause(head)
    prior = [m for m in _ROLE.finditer(head) if m.end() > start]
    if prior:
        comma = re.match(r"[^,;]*[,;]\s*", head[prior[-1].end() :])
        start = prior[-1].end() + (comma.end() if comma else 0)
    return start


def _last_clause(text: str) -> int:
    """Offset where the last clause of ``text`` starts (after ";", ":", "." or "Năm 2024,")."""
    start = 0
    for m in _CLAUSE_START.finditer(text):
        if m.end() < len(text):
            start = m.end()
    return start
