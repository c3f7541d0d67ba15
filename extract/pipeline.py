"""Assemble events: normalise, classify lines, split sentences, find clusters, then fill each field.

Pure: a string and a date in, a list of frozen :class:`extract.model.Event` out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace

from extract.activities import activities_in, activity_years, combine, covenant_year
from extract.clusters import Mention, find_mentions, is_all_caps, mention_key
from extract.dates import DateMention, find_dates, format_date_text, meeting_date
from extract.labels import LabelIndex
from extract.lexicon import TITLE_START_RE, UNIT_HEAD_RE, UPPER
from extract.marks import Mark, owned_sentences, owner_at, owners_at
from extract.matching import MemberIndex
from extract.members import find_member_lists
from extract.model import Event, Member, Official
from extract.noise import BANNER, CAPTION, TEXT, TITLE, Line, classify_lines
from extract.normalize import casefold_key, normalize_text
from extract.officials import find_people
from extract.owners import owner_in_text, resolve_system
from extract.places import find_location
from extract.relevance import is_award_mention, is_meeting_sentence, is_qa_page
from extract.roles import is_declined, role_claims, role_in
from extract.sentences import Sentence, split_sentences

_CLUSTER_WORD = re.compile(r"(?<![\wÀ-ỹ])(?:cụm|khối)(?![\wÀ-ỹ])", re.IGNORECASE)
_SCOPE_CUE = re.compile(
    r"\b(?:hội\s+nghị|dịp\s+này|buổi|sau\s+phần|kết\s+thúc|cũng\s+tại|tại\s+đây|các\s+đơn\s+vị|đại\s+diện)\b",
    re.IGNORECASE,
)
_ADMIN_UNIT = re.compile(
    rf"(?:^|\s)(?P<unit>(?:huyện|quận|thị\s+xã|thành\s+phố|tỉnh|xã|phường)\s+[{UPPER}0-9].*)$", re.IGNORECASE
)
_GOVERNING = re.compile(r"^(?:UBND|HĐND|Ủy\s+ban\s+nhân\s+dân|Hội\s+đồng\s+nhân\s+dân)\s+", re.IGNORECASE)

# Every cluster kind is written "cụm" or "khối" (any case): without either there is nothing to find.
_NAMES_A_KIND = re.compile(r"cụm|khối", re.IGNORECASE)


_EMULATION_YEAR = re.compile(r"\bthi\s+đua\s+(?:năm\s+)?(\d{4})\b", re.IGNORECASE)
_LIST_PAGE = re.compile(
    r"^(?:tags?|từ\s+khóa|chủ\s+đề|kết\s+quả\s+tìm\s+kiếm|tìm\s+kiếm\s+theo|danh\s+sách\s+tin)\b[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)


# A membership statement whose items follow one per line: "Các đơn vị thành viên trong Khối gồm:".
_OPEN_LIST = re.compile(
    r"(?<![\wÀ-ỹ])(?:gồm|gồm\s+có|bao\s+gồm|như\s+sau|thành\s+viên)\s*:\s*$", re.IGNORECASE
)
# A sentence opening with another time of the same or the next day and reporting that some body
# "tổ chức" a meeting, without naming a cluster, reports a second meeting (the province's own
# conference after the cluster's): its participants are not the cluster's officials.
_OTHER_TIME = re.compile(
    r"^\s*(?:(?:buổi\s+)?(?:sáng|chiều|tối|trưa)\s+)?(?:cùng\s+ngày|hôm\s+sau|ngày\s+hôm\s+sau)(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
_HELD = re.compile(r"(?<![\wÀ-ỹ])tổ\s+chức(?![\wÀ-ỹ])", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-•+*]|\d{1,2}[.)])\s*")


def _with_line_lists(scope: list[Sentence]) -> list[Sentence]:
    """Join a list written one unit per line to the statement that opens it, items separated by ";".

    "Khối gồm:" / "Sở Tư pháp - Khối trưởng" / "Sở Nội vụ" → "Khối gồm: Sở Tư pháp - Khối trưởng; Sở
    Nội vụ." (a line is an item when it starts with a unit head word and is short).
    """
    out: list[Sentence] = []
    i = 0
    while i < len(scope):
        s = scope[i]
        items: list[str] = []
        if s.kind == TEXT and _OPEN_LIST.search(s.text):
            j = i + 1
            while j < len(scope) and scope[j].kind == TEXT and scope[j].line != scope[j - 1].line:
                line = _BULLET.sub("", scope[j].text).strip().rstrip(" ;,.")
                if not UNIT_HEAD_RE.match(line) or len(line.split()) > 16:
                    break
                items.append(line)
                j += 1
        if len(items) >= 2:
            out.append(replace(s, text=f"{s.text.rstrip()} {'; '.join(items)}."))
            i += len(items) + 1
            continue
        out.append(s)
        i += 1
    return out


_HEADLINE_BULLET = re.compile(r"^\s*[-•+*»]\s+\S")


def _digest_sentences(sentences: list[Sentence], mentions: dict[int, list[Mention]]) -> set[int]:
    """Sentences that are items of a digest of headlines: a run of at least three bullet lines with no
    final punctuation, most of them about something else than a cluster ("Điểm tin sáng …"). A
    headline in such a list is a link to a report, not the report (like a "Tin xem nhiều" block)."""
    runs: list[list[Sentence]] = []
    current: list[Sentence] = []
    for s in sentences:
        unpunctuated = s.text.rstrip()[-1:] not in ".;:!?"
        if s.kind in (TITLE, TEXT) and _HEADLINE_BULLET.match(s.text) and unpunctuated:
            current.append(s)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    out: set[int] = set()
    for run in runs:
        about_clusters = sum(1 for s in run if mentions.get(s.index))
        if len(run) >= 3 and about_clusters * 2 <= len(run):
            out.update(s.index for s in run)
    return out


def _is_listing(lines: list[Line]) -> bool:
    """True for a list of headlines, each followed by its own date stamp (tag, search or section page)."""
    stamped = 0
    for a, b in itertools.pairwise(lines):
        if a.kind in (TITLE, TEXT) and b.kind == BANNER and find_mentions(a.text):
            stamped += 1
    return stamped >= 2


@dataclass
class _Cluster:
    key: str
    kind: str
    number: int | None
    label: str
    full: bool
    first: int
    systems: list[str] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)  # (sentence, offset) of each mention
    caps: bool = False  # the label was first written in an all-caps line (its end is a guess)


def _group(
    sentences: list[Sentence], mentions: dict[int, list[Mention]]
) -> tuple[dict[str, _Cluster], list[int]]:
    """Group mentions into clusters in order of first mention; also return sentences with bare mentions."""
    clusters: dict[str, _Cluster] = {}
    labels = LabelIndex()
    aliases: dict[str, str] = {}
    bare: list[int] = []
    strong = any(m.named and not m.weak for ms in mentions.values() for m in ms)
    for s in sentences:
        if s.kind not in (TITLE, TEXT):
            continue
        for m in mentions.get(s.index, []):
            if is_award_mention(s.text, m.start) or (m.weak and strong):
                continue
            if not m.named:
                bare.append(s.index)
                continue
            key = _resolve_key(m, clusters, labels)
            key = aliases.get(key, key)
            if m.number is not None and not re.search(r"(?:\d|[IVXLC])$", m.label):
                # "Khối thi đua các cơ quan Nội chính (Khối 2)": the label and the number are one cluster.
                label_key = "L:" + mention_key(m.__class__(m.kind, None, m.label, None, 0, 0, True, True))[2:]
                if label_key in clusters and key not in clusters:
                    aliases[key] = label_key
                    key = label_key
                    clusters[key].number = m.number
                else:
                    aliases[label_key] = key
            c = clusters.get(key)
            if c is None:
                c = _Cluster(key, m.kind, m.number, m.label, m.full, s.index, caps=is_all_caps(s.text))
                clusters[key] = c
                if key.startswith("L:"):
                    labels.add(key)
            elif m.full and not c.full:
                c.kind, c.label, c.full = m.kind, m.label, True
            elif c.caps and m.full and not is_all_caps(s.text):
                c.label = _uncapped_label(c.label, m.label)
                c.caps = False
            if m.system:
                c.systems.append(m.system)
            if not c.sentences or c.sentences[-1] != s.index:  # sentences come in order
                c.sentences.append(s.index)
            c.marks.append((s.index, m.start))
    return clusters, bare


def _uncapped_label(caps_label: str, label: str) -> str:
    """An all-caps label runs on into the owner and the verb ("KHỐI THI ĐUA CÔNG ĐOÀN NGÀNH TỈNH YÊN BÁI
    TỔNG KẾT"): a later mixed-case label it begins with ("Khối thi đua Công đoàn ngành") shows where it
    ends. The label stays as first written, only cut there."""
    head = caps_label[: len(label)]
    whole_word = len(caps_label) == len(label) or caps_label[len(label)] == " "
    if casefold_key(head) == casefold_key(label) and whole_word:
        return head
    return caps_label


def _resolve_key(m: Mention, clusters: dict[str, _Cluster], labels: LabelIndex) -> str:
    key = mention_key(m)
    if key in clusters or m.number is not None:
        return key
    # An unnumbered label that extends or shortens a known one names the same cluster.
    return labels.related(key) or key


def _pick_system(candidates: list[str]) -> str | None:
    """The most complete form: the longest candidate that extends the first one said."""
    best: str | None = None
    for cand in candidates:
        if best is None or (casefold_key(best) in casefold_key(cand) and len(cand) > len(best)):
            best = cand
    return best


def _unit_from_title(title: str) -> str | None:
    """The unit a person heads, from the part of the title before a role: "Chủ tịch UBND huyện Y" →
    "Huyện Y"; "Giám đốc Công an tỉnh Lạng Sơn" → "Công an tỉnh Lạng Sơn"."""
    first = re.split(r",\s*(?=(?:Cụm|Khối|Bí|Phó|Chủ|Giám|Trưởng|Tỉnh|Ủy|Thành|Huyện))|\s+-\s+", title)[0]
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


# Extraction reads at most this many characters of an article (docs/extraction.md, "Bounded work"):
# the longest real report in the dev set is ~1,500 characters and the longest fixture ~3,100, so a
# meeting report is never cut; a hostile or runaway page costs at most this much.
MAX_CHARS = 30_000


def _capped(text: str) -> str:
    """The first :data:`MAX_CHARS` characters, cut at the last line break when one lies in the second half."""
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind("\n", MAX_CHARS // 2, MAX_CHARS)
    return text[: cut if cut > 0 else MAX_CHARS]


def extract_events(text: str, published: dt.date | None = None, *, source: str | None = None) -> list[Event]:
    """Every emulation-cluster or bloc meeting an article reports, in order of first mention.

    ``text`` is the article's title, lead and body joined by blank lines; ``published`` its
    publication date, used only to resolve years; ``source`` the article's URL, whose site's body
    (``"https://baolamdong.vn/…"`` → "tỉnh Lâm Đồng") is the system when the text names none.
    An empty list means no meeting is reported. Only the first :data:`MAX_CHARS` characters are read.
    """
    capped = _capped(text)
    if not _NAMES_A_KIND.search(unicodedata.normalize("NFC", capped)):
        return []  # no "cụm"/"khối" at all: most pages of a night's crawl, skipped before any work
    norm = normalize_text(capped)
    if is_qa_page(norm):
        return []
    if _LIST_PAGE.search(norm[:400]):
        return []
    lines = classify_lines(norm)
    if _is_listing(lines):
        return []
    sentences = split_sentences(lines)
    by_index = {s.index: s for s in sentences}
    facts = [s for s in sentences if s.kind in (TITLE, TEXT)]
    mentions = {s.index: find_mentions(s.text) for s in facts}
    clusters, bare = _group(sentences, mentions)
    digest = _digest_sentences(sentences, mentions)
    evidenced = [
        c
        for c in clusters.values()
        if any(is_meeting_sentence(by_index[i].text) and i not in digest for i in c.sentences)
    ]
    if not evidenced:
        return []
    single = len(evidenced) == 1
    if single:
        for i in bare:
            if i not in evidenced[0].sentences:
                evidenced[0].sentences.append(i)
        evidenced[0].sentences.sort()
    found = _people(sentences)
    found = _without_other_meetings(found, sentences, mentions)
    marks = sorted((mark, c.key) for c in clusters.values() for mark in c.marks)
    # Officials follow the meeting they are reported at: only meeting sentences separate them.
    meeting_marks = [(mark, key) for mark, key in marks if is_meeting_sentence(by_index[mark[0]].text)]
    # Facts asked of every cluster are computed once: per-cluster passes over the whole article
    # made an article of n clusters cost n².
    person_owners = [set() if single else owners_at(meeting_marks, p[2]) for p in found]
    people_of: dict[str, list[int]] = {}  # cluster key → its people, by index into found
    everyone: list[int] = []  # people named before any meeting belong to every cluster
    for i, keys in enumerate(person_owners):
        for key in keys or ():
            people_of.setdefault(key, []).append(i)
        if not keys:
            everyone.append(i)
    listed = _with_line_lists(facts)
    listed_at = {s.index: s for s in listed}
    owned = owned_sentences(marks, [s.index for s in listed]) if not single else {}
    title_facts = [s for s in facts if s.kind == TITLE]
    text_owner: list[str | None] = []  # the owner cue of the text, looked for once when needed
    events = []
    for c in evidenced:
        # Several meetings: a person belongs to the cluster(s) of the meeting sentence last before
        # them (or to all when named before any meeting).
        mine = found if single else [found[i] for i in sorted(people_of.get(c.key, []) + everyone)]
        people = _merge_people(mine)
        member_scope = (
            listed if single else [listed_at[i] for i in sorted(owned.get(c.key, ())) if i in listed_at]
        )
        event = _build(
            c, facts, title_facts, by_index, member_scope, mentions, single, people, published, marks
        )
        if event.system is None:  # the label names no owner
            if not text_owner:
                text_owner.append(owner_in_text(s.text for s in facts))
            system = text_owner[0] or resolve_system(
                (), [m.name for m in event.members], event.location, source
            )
            event = replace(event, system=system)
        events.append(event)
    return events


def _opens_other_meeting(s: Sentence, mentions: dict[int, list[Mention]]) -> bool:
    """True for "Chiều cùng ngày, tại …, Hội Chữ thập đỏ tỉnh tổ chức Hội nghị tổng kết …" (no cluster)."""
    if s.kind != TEXT or mentions.get(s.index) or _CLUSTER_WORD.search(s.text):
        return False
    return bool(_OTHER_TIME.match(s.text) and _HELD.search(s.text) and is_meeting_sentence(s.text))


def _without_other_meetings(
    found: list[tuple[str, str | None, tuple[int, int]]],
    sentences: list[Sentence],
    mentions: dict[int, list[Mention]],
) -> list[tuple[str, str | None, tuple[int, int]]]:
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


def _people(sentences: list[Sentence]) -> list[tuple[str, str | None, tuple[int, int]]]:
    """Every person mention (name, title, (sentence, offset)) in article order, captions included."""
    out: list[tuple[str, str | None, tuple[int, int]]] = []
    for s in sentences:
        if s.kind in (TITLE, TEXT, CAPTION):
            out.extend((p.name, p.title, (s.index, p.start)) for p in find_people(s.text))
    return out


def _merge_people(found: list[tuple[str, str | None, tuple[int, int]]]) -> tuple[Official, ...]:
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


def _build(
    c: _Cluster,
    facts: list[Sentence],
    title_facts: list[Sentence],
    by_index: dict[int, Sentence],
    member_scope: list[Sentence],
    mentions: dict[int, list[Mention]],
    single: bool,
    people: tuple[Official, ...],
    published: dt.date | None,
    marks: list[Mark],
) -> Event:
    """The event of one cluster; ``member_scope`` holds the sentences (lists joined) its members are
    read from: the whole article for a single cluster, else the sentences where it may own a place."""
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

    picked = _pick_date([s for s in evidence if s.kind == TEXT]) or _pick_date(
        [s for s in scope if s.kind == TEXT and is_meeting_sentence(s.text)]
    )
    event_date: dt.date | None = None
    date_text: str | None = None
    location: str | None = None
    if picked:
        dm, ds = picked
        date_text = format_date_text(dm.text)
        event_date = meeting_date(dm, covenant_year=cov, signing="signing" in acts, published=published)
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
        system=_pick_system(c.systems),
        event_date=event_date,
        date_text=date_text,
        covenant_year=cov,
        location=location,
        members=members,
        officials=people,
    )


def _members(
    c: _Cluster,
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
            if not _CLUSTER_WORD.search(s.text[: ml.start + 40]):
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
    for s in scope:
        if not single and owner_at(marks, (s.index, len(s.text))) != c.key:
            continue
        for claim in role_claims(s.text, year):
            idx = index.match(claim.unit)
            if idx is not None:
                members[idx][1] = claim.role
            elif not had_list:
                claimed = claim.unit[:1].upper() + claim.unit[1:]
                members.append([claimed, claim.role])
                index.add(claimed)
    for person in people:
        if not person.title:
            continue
        person_role = role_in(person.title)
        if not person_role or is_declined(person.title, year):
            continue
        number = re.search(r"(?:cụm|khối)\s+thi\s+đua\s+(?:số\s+)?(\d+)", person.title, re.IGNORECASE)
        if number and c.number is not None and int(number.group(1)) != c.number:
            continue
        unit_name = _unit_from_title(person.title)
        if not unit_name:
            continue
        idx = index.match(unit_name)
        if idx is not None:
            members[idx][1] = person_role
        elif not had_list:
            members.append([unit_name, person_role])
            index.add(unit_name)
    return tuple(Member(str(n), r) for n, r in members)
