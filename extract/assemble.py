"""Build the event of one cluster from the sentences it owns: activities, covenant year, date and
place, members and roles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from extract.activities import (
    activities_in,
    activity_years,
    combine,
    covenant_year,
    period_end_year,
    review_period_year,
)
from extract.clusters import Mention, mention_key
from extract.dates import DateMention, find_dates, format_date_text, meeting_date
from extract.grouping import Cluster, pick_system
from extract.lexicon import TITLE_START_RE, UPPER, alternation, cased_alternation
from extract.marks import Mark, owner_at
from extract.matching import MemberIndex
from extract.members import find_member_lists
from extract.model import Event, Member, Official
from extract.noise import TEXT
from extract.places import find_location
from extract.relevance import is_meeting_sentence
from extract.roles import is_declined, role_claims, role_in
from extract.sentences import Sentence

_KINDS = alternation("kinds")
_CLUSTER_WORD = re.compile(rf"(?<![\wÀ-ỹ])(?:{_KINDS})(?![\wÀ-ỹ])", re.IGNORECASE)
_SCOPE_CUE = re.compile(
    rf"\b(?:{alternation('meeting_scope_cues')})\b",
    re.IGNORECASE,
)
_ADMIN_UNIT = re.compile(
    rf"(?:^|\s)(?P<unit>(?:{alternation('admin_words_in_names')})\s+[{UPPER}0-9].*)$", re.IGNORECASE
)
_GOVERNING = re.compile(rf"^(?:{alternation('governing_bodies')})\s+", re.IGNORECASE)

_AFTER_BRACKET = re.compile(
    rf"[^()]{{0,40}}\([^()]{{0,400}}\)[^.;]{{0,60}}?(?<![\wÀ-ỹ])(?:{cased_alternation('kinds')})(?![\wÀ-ỹ])"
)
_EMULATION_YEAR = re.compile(r"\bthi\s+đua\s+(?:năm\s+)?(\d{4})\b", re.IGNORECASE)


_CHAIN_SPLIT = re.compile(rf",\s*(?=(?:{alternation('title_chain_openers')}))|\s+-\s+")


def _unit_from_title(title: str) -> str | None:
    """The unit a person heads, from the part of the title before a role: "Chủ tịch UBND huyện Y" →
    "Huyện Y"; "Giám đốc Công an tỉnh Lạng Sơn" → "Công an tỉnh Lạng Sơn"."""
    first = _CHAIN_SPLIT.split(title)[0]
    rest = first
    while True:
        m = TITLE_START_RE.match(rest)
        if not m or m.end() == 0:
            break
        rest = rest[m.end() :].lstrip()
    if not rest or rest == first:
        return None
    if _GOVERNING.match(rest):
        admin = _ADMIN_UNIT.search(rest)
        if admin:
            rest = admin.group("unit")
    rest = rest.strip(" ,")
    return rest[:1].upper() + rest[1:] if rest else None


def _pick_date(sentences: list[Sentence]) -> tuple[DateMention, Sentence] | None:
    for s in sentences:
        for d in find_dates(s.text):
            if d.meeting:
                return d, s
    return None


def article_year(facts: list[Sentence], meeting: frozenset[int]) -> int | None:
    """The first "thi đua năm N" of an article's meeting sentences, or None."""
    for s in facts:
        ym = _EMULATION_YEAR.search(s.text)
        if ym and s.index in meeting:
            return int(ym.group(1))
    return None


def build_event(
    c: Cluster,
    facts: list[Sentence],
    title_facts: list[Sentence],
    by_index: Mapping[int, Sentence],
    member_scope: list[Sentence],
    mentions: Mapping[int, list[Mention]],
    single: bool,
    people: tuple[Official, ...],
    published: dt.date | None,
    marks: list[Mark],
    article_year: int | None = None,
) -> Event:
    """The event of one cluster; ``member_scope`` holds the sentences (lists joined) its members are
    read from: the whole article for a single cluster, else the sentences where it may own a place;
    ``article_year`` the first "thi đua năm N" of the article's meeting sentences (:func:`article_year`,
    read once per article), a review's year when nothing nearer says it."""
    own_set = set(c.sentences)
    own = [by_index[i] for i in c.sentences]
    evidence = [s for s in own if is_meeting_sentence(s.text)]
    scope = facts if single else own
    if single:
        other_clusters = {
            s.index for s in facts for m in mentions.get(s.index, []) if m.named and mention_key(m) != c.key
        }
        activity_scope = [
            s
            for s in scope
            if s.index in own_set or (s.index not in other_clusters and _SCOPE_CUE.search(s.text))
        ]
    else:
        activity_scope = scope
    titles = [s for s in title_facts if s.index in own_set or not mentions.get(s.index)]
    acts = combine(activities_in(s.text) for s in [*titles, *activity_scope] if is_meeting_sentence(s.text))
    if not acts:
        acts = ("other",)
    body_pairs = [p for s in activity_scope if s.kind == TEXT for p in activity_years(s.text)]
    title_pairs = [p for s in titles for p in activity_years(s.text)]
    cov = covenant_year(body_pairs, title_pairs)
    if cov is None:
        # Other activities (kiểm tra chéo, giao lưu …) still name the emulation year they serve.
        for s in [*activity_scope, *titles]:
            ym = _EMULATION_YEAR.search(s.text)
            if ym and is_meeting_sentence(s.text):
                cov = int(ym.group(1))
                break
    if cov is None and "review" in acts:
        # A review whose year is said beside it, across the article: "sơ kết 6 tháng đầu năm và triển
        # khai nhiệm vụ 6 tháng cuối năm 2019", "quý II năm 2025", "Năm 2024, các đơn vị trong Cụm …".
        cov = next((y for s in [*titles, *activity_scope] if (y := review_period_year(s.text))), None)
    if cov is None and "review" in acts:
        # the year the review's voting serves, anywhere in the article's meeting sentences ("bỏ phiếu
        # bình xét đánh giá thi đua năm 2022 và bầu Cụm trưởng …"), when the clusters share them
        cov = article_year

    picked = _pick_date([s for s in evidence if s.kind == TEXT]) or _pick_date(
        [s for s in scope if s.kind == TEXT and is_meeting_sentence(s.text)]
    )
    event_date: dt.date | None = None
    date_text: str | None = None
    location: str | None = None
    if picked:
        dm, ds = picked
        date_text = format_date_text(dm.text)
        # a period's review ("giai đoạn 2020-2025") names no covenant year but dates the meeting
        year_hint = cov or next(
            (y for s in [*titles, *activity_scope] if (y := period_end_year(s.text))), None
        )
        event_date = meeting_date(dm, covenant_year=year_hint, signing="signing" in acts, published=published)
        # The place of the meeting follows its date: in "Ngày 15/1, Tòa án … tại Đà Nẵng cho biết, sáng
        # 14/1, tại Hội trường …" the first "tại" belongs to the reporter's name.
        location = find_location(ds.text[dm.start :]) or find_location(ds.text)
    if location is None:
        for s in evidence:
            if s.kind == TEXT:
                location = find_location(s.text)
                if location:
                    break

    members = _members(c, member_scope, single, people, marks, cov)
    return Event(
        activities=acts,
        unit_kind=c.kind,
        cluster_number=c.number,
        cluster_label=c.label,
        system=pick_system(c.systems),
        event_date=event_date,
        date_text=date_text,
        covenant_year=cov,
        location=location,
        members=members,
        officials=people,
    )


def _head3(unit: str) -> tuple[str, ...] | None:
    """The first three words of a unit ("Hội Nhà báo …"), the kind of body it is; None if shorter."""
    words = tuple(unit.split()[:3])
    return words if len(words) == 3 else None


def _members(
    c: Cluster,
    scope: list[Sentence],
    single: bool,
    people: tuple[Official, ...],
    marks: list[Mark],
    year: int | None,
) -> tuple[Member, ...]:
    members: list[list[str | None]] = []
    index = MemberIndex()  # the names of ``members``, in step with it
    had_list = False
    for s in scope:
        for ml in find_member_lists(s.text):
            # the cluster named before the list, or right after a bracketed one ("Với 6 đơn vị thành
            # viên (TAND các tỉnh: A, B), các Tòa án trong Cụm …")
            near = _CLUSTER_WORD.search(s.text[: ml.start + 40]) or _AFTER_BRACKET.match(s.text, ml.start)
            if not near:
                continue
            if not single and owner_at(marks, (s.index, ml.start)) != c.key:
                continue
            had_list = True
            for name, role in ml.items:
                idx = index.match(name)
                if idx is None:
                    members.append([name, role])
                    index.add(name)
                elif role and not members[idx][1]:
                    members[idx][1] = role
    heads = {_head3(str(m[0])) for m in members} - {None}  # the kinds of body the list names
    for s in scope:
        if not single and owner_at(marks, (s.index, len(s.text))) != c.key:
            continue
        for claim in role_claims(s.text, year):
            idx = index.match(claim.unit)
            if idx is not None:
                members[idx][1] = claim.role
            elif not had_list or _head3(claim.unit) in heads:
                # the leader of a listed cluster is a member even when the list leaves it out ("do
                # Hội Nhà báo tỉnh A làm Cụm trưởng" beside "gồm: B, C" of the same body)
                claimed = claim.unit[:1].upper() + claim.unit[1:]
                members.append([claimed, claim.role])
                index.add(claimed)
    for person in people:
        if not person.title:
            continue
        person_role = role_in(person.title)
        if not person_role or is_declined(person.title, year):
            continue
        number = re.search(rf"(?:{_KINDS})\s+thi\s+đua\s+(?:số\s+)?(\d+)", person.title, re.IGNORECASE)
        if number and c.number is not None and int(number.group(1)) != c.number:
            continue
        unit_name = _unit_from_title(person.title)
        if not unit_name or re.match(rf"(?:{_KINDS})(?![\wÀ-ỹ])", unit_name, re.IGNORECASE):
            continue  # "Khối phó Khối thi đua năm 2018" names the cluster, not a unit
        idx = index.match(unit_name)
        if idx is not None:
            members[idx][1] = person_role
        elif not had_list:
            members.append([unit_name, person_role])
            index.add(unit_name)
    return tuple(Member(str(n), r) for n, r in members)
