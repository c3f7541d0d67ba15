"""Group the cluster mentions of an article into clusters, in order of first mention: a label said
again, shortened or extended, or with its bracketed number, is the same cluster.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from extract.clusters import Mention, is_all_caps, mention_key
from extract.labels import LabelIndex
from extract.lexicon import alternation, words
from extract.noise import TEXT, TITLE
from extract.normalize import casefold_key
from extract.relevance import is_award_mention
from extract.sentences import Sentence


@dataclass
class Cluster:
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


def group_clusters(
    sentences: list[Sentence], mentions: Mapping[int, list[Mention]]
) -> tuple[dict[str, Cluster], list[int]]:
    """Group mentions into clusters in order of first mention; also return sentences with bare mentions."""
    clusters: dict[str, Cluster] = {}
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
                c = Cluster(key, m.kind, m.number, m.label, m.full, s.index, caps=is_all_caps(s.text))
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
    return _merge_contained(clusters), bare


def _uncapped_label(caps_label: str, label: str) -> str:
    """An all-caps label runs on into the owner and the verb ("KHỐI THI ĐUA CÔNG ĐOÀN NGÀNH TỈNH YÊN BÁI
    TỔNG KẾT"): a later mixed-case label it begins with ("Khối thi đua Công đoàn ngành") shows where it
    ends. The label stays as first written, only cut there."""
    head = caps_label[: len(label)]
    whole_word = len(caps_label) == len(label) or caps_label[len(label)] == " "
    if casefold_key(head) == casefold_key(label) and whole_word:
        return head
    return caps_label


def _resolve_key(m: Mention, clusters: dict[str, Cluster], labels: LabelIndex) -> str:
    key = mention_key(m)
    if key in clusters or m.number is not None:
        return key
    # An unnumbered label that extends or shortens a known one names the same cluster.
    return labels.related(key) or key


def pick_system(candidates: list[str]) -> str | None:
    """The most complete form: the longest candidate that extends the first one said."""
    best: str | None = None
    for cand in candidates:
        if best is None or (casefold_key(best) in casefold_key(cand) and len(cand) > len(best)):
            best = cand
    return best


# Unnumbered labels compared pairwise at most this many: real reports name one or two, and a page of
# hundreds of distinct labels must stay linear (tests/test_adversarial.py).
_MAX_CONTAINED = 8


def _merge_contained(clusters: dict[str, Cluster]) -> dict[str, Cluster]:
    """One cluster per article unless two are explicitly distinct: an unnumbered label written inside
    another of the same kind ("Cụm thi đua các tỉnh duyên hải miền Trung" in "Cụm thi đua Mặt trận Tổ
    quốc các tỉnh Duyên hải miền Trung") names the same cluster, kept under the one met first."""
    unnumbered = [c for c in clusters.values() if c.number is None]
    numbered = [c for c in clusters.values() if c.number is not None]
    if len(unnumbered) == 1 and len(numbered) == 1 and unnumbered[0].kind == numbered[0].kind:
        # "Cụm thi đua khối Giáo dục, Văn hóa …" and later "Cụm trưởng Cụm thi đua số 6": one cluster
        # named twice, the number said once
        first, other = sorted((unnumbered[0], numbered[0]), key=lambda c: c.first)
        _absorb(first, other)
        first.number = numbered[0].number
        if first is unnumbered[0]:
            first.key = numbered[0].key  # the number is the cluster's identity from here on
        return {first.key: first}
    if not 2 <= len(unnumbered) <= _MAX_CONTAINED:
        return clusters
    merged = dict(clusters)
    for c in unnumbered:
        words = f" {_counted(c.key[2:])} "
        host = next(
            (
                o
                for o in unnumbered
                if o is not c and o.key in merged and o.kind == c.kind and words in f" {_counted(o.key[2:])} "
            ),
            None,
        )
        if host is None or c.key not in merged:
            continue
        first, other = (host, c) if host.first <= c.first else (c, host)
        _absorb(first, other)
        del merged[other.key]
    return merged


_PLURAL = words("plural_words")[0]  # "các", the plural that a count folds into
_COUNT_OR_PLURAL = re.compile(rf"(?<![\wÀ-ỹ])(?:\d{{1,2}}|{alternation('plural_words')})(?![\wÀ-ỹ])")


def _counted(label_key: str) -> str:
    """A label key with its counts folded: "6 tỉnh nam sông hậu" and "các tỉnh nam sông hậu" agree."""
    return _COUNT_OR_PLURAL.sub(_PLURAL, label_key)


def _absorb(first: Cluster, other: Cluster) -> None:
    """Fold ``other``'s mentions into ``first`` (the one named first keeps its label)."""
    first.sentences = sorted(set(first.sentences) | set(other.sentences))
    first.marks = sorted(first.marks + other.marks)
    first.systems = first.systems + other.systems
    if other.full and not first.full:
        first.label, first.full = other.label, True
