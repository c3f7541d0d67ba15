"""Order the passes: normalise, classify lines, split sentences, group clusters, find people, build
each event (`assemble.py`), then resolve its system (`owners.py`).

Pure: a string and a date in, a list of frozen :class:`extract.model.Event` out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from extract.assemble import article_year, build_event
from extract.doc import read_doc
from extract.grouping import group_clusters
from extract.lexicon import alternation
from extract.marks import owned_sentences, owners_at
from extract.model import Event
from extract.noise import TITLE
from extract.owners import TextOwners, resolve_system, text_owners
from extract.page import MAX_CHARS, with_line_lists
from extract.people import merge_people, people_in, without_other_meetings

__all__ = ["MAX_CHARS", "extract_events"]

# A naming of a cluster of provinces: "Cụm thi đua các tỉnh, thành phố miền Đông Nam Bộ", "Cụm 6 tỉnh …".
_MANY_PROVINCES = re.compile(
    rf"(?:{alternation('kinds')})(?:\s+thi\s+đua)?(?:\s+[^\s,.;:()]+){{0,3}}?\s+(?:các|\d+)\s+"
    rf"(?:{alternation('province_nouns')})(?![\wÀ-ỹ])",
    re.IGNORECASE,
)


def extract_events(
    text: str, published: dt.date | None = None, *, source: str | None = None, site_system: str | None = None
) -> list[Event]:
    """Every emulation-cluster or bloc meeting an article reports, in order of first mention.

    ``text`` is the article's title, lead and body joined by blank lines; ``published`` its
    publication date, used only to resolve years; ``source`` the article's URL, whose site's body
    (``"https://baolamdong.vn/…"`` → "tỉnh Lâm Đồng") is the system when the text, the members and
    the venue name none; ``site_system`` the body a site's own entry in sites.toml gives
    (``"Bộ Tư pháp"``), which takes that step before the host table.
    An empty list means no meeting is reported. Only the first :data:`MAX_CHARS` characters of the
    text's NFC form are read.
    """
    doc = read_doc(text)
    if doc is None:
        return []
    sentences, by_index, mentions = list(doc.sentences), doc.by_index, doc.mentions
    facts = list(doc.facts)
    clusters, bare = group_clusters(sentences, mentions)
    # "Cụm"/"Khối" alone after the first mention is the article's one cluster: its meeting sentences
    # ("Tại Hội nghị, các thành viên trong Cụm đã bình xét …") are that cluster's evidence too.
    alone = list(bare) if len(clusters) == 1 and next(iter(clusters.values())).full else []
    evidenced = [
        c
        for c in clusters.values()
        if any(i in doc.meeting and i not in doc.digest for i in [*c.sentences, *alone])
    ]
    if not evidenced:
        return []
    single = len(evidenced) == 1
    if single:
        for i in bare:
            if i not in evidenced[0].sentences:
                evidenced[0].sentences.append(i)
        evidenced[0].sentences.sort()
    found = people_in(sentences)
    found = without_other_meetings(found, sentences, mentions)
    marks = sorted((mark, c.key) for c in clusters.values() for mark in c.marks)
    # Officials follow the meeting they are reported at: only meeting sentences separate them.
    meeting_marks = [(mark, key) for mark, key in marks if mark[0] in doc.meeting]
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
    listed = with_line_lists(facts)
    listed_at = {s.index: s for s in listed}
    owned = owned_sentences(marks, [s.index for s in listed]) if not single else {}
    title_facts = [s for s in facts if s.kind == TITLE]
    cues: TextOwners | None = None  # the text's owner cues, read once when an event needs them
    year = article_year(facts, doc.meeting)  # read once: asked per event it cost n² (adversarial)
    events = []
    for c in evidenced:
        # Several meetings: a person belongs to the cluster(s) of the meeting sentence last before
        # them (or to all when named before any meeting).
        mine = found if single else [found[i] for i in sorted(people_of.get(c.key, []) + everyone)]
        people = merge_people(mine)
        member_scope = (
            listed if single else [listed_at[i] for i in sorted(owned.get(c.key, ())) if i in listed_at]
        )
        event = build_event(
            c, facts, title_facts, by_index, member_scope, mentions, single, people, published, marks, year
        )
        if event.system is None:  # the label names no owner
            if cues is None:
                cues = text_owners([s.text for s in facts])
            # any naming of the cluster: "Cụm thi đua số 4" in the title, "Cụm thi đua các tỉnh, thành
            # phố miền Đông Nam Bộ (Cụm số 4)" in the lead
            many = any(_MANY_PROVINCES.match(by_index[i].text, at) for i, at in c.marks)
            names = [m.name for m in event.members]
            system = resolve_system(cues, names, event.location, source, site_system, many)
            event = replace(event, system=system)
        if not _says_nothing(event):
            events.append(event)
    return events


def _says_nothing(event: Event) -> bool:
    """True for an "event" that is only a cluster's name beside a generic word ("Việc tổ chức, hoạt
    động và bình xét thi đua của cụm thi đua cấp chi cục …" in an article on rules): no review,
    signing or launch, no date, place, member or official. A real meeting report tells one of them."""
    return (
        event.activities == ("other",)
        and event.date_text is None
        and event.location is None
        and not event.members
        and not event.officials
    )
