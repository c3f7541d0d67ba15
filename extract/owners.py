"""Whose cluster it is, when the text says so away from the label: "đóng trên địa bàn tỉnh X",
"do Bộ X phân công", "Quyết định … của Bộ X về việc thành lập các Cụm thi đua".

Systems written with commas, dashes or "TP." stay whole ("Bộ Văn hóa, Thể thao và Du lịch").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from extract.gazetteer import province_of, provinces_of
from extract.lexicon import alternation, cased_alternation
from extract.national import national_body, national_of
from extract.sources import source_body

# A proper name: capitalised words, joined inside by "và", ",", "-"/"–" when a capital follows.
_WORD = r"[A-ZÀ-ỸĐ][\wÀ-ỹ]*\.?"
_NAME = rf"{_WORD}(?:(?:\s+|\s*,\s+|\s+[-–]\s+|\s+và\s+){_WORD})*"
# A body's name has lower-case words ("Bộ Tài chính", "Bộ Văn hóa, Thể thao và Du lịch"): it runs
# lazily up to the verb of its cue, never across a sentence mark.
_HEAD = rf"(?:{alternation('owner_cue_heads')})"
_BODY = _HEAD + r"\s+[^.;:()]{2,70}?"
_PLACE = rf"(?:{alternation('owner_place_words')})\s*{_NAME}"
_KINDS = cased_alternation("kinds")
_CUES = (
    # "… Cụm thi đua khối Giáo dục, Văn hóa, Xã hội và Đối ngoại năm 2022 của Ủy ban Trung ương MTTQVN do
    # …": the owner after the label's year (the label ends at the year)
    re.compile(
        rf"(?:{_KINDS})\s+thi\s+đua[^.;]{{0,80}}?\s+năm\s+\d{{4}}\s+(?:của|thuộc)\s+"
        rf"(?P<b>{_HEAD}\s+[^.;:(),]{{2,60}}?)(?=\s+(?:{alternation('owner_after_year_ends')})\s|\s*[,.;(]|$)"
    ),
    # "các cơ quan đóng trên địa bàn tỉnh Hòa Bình"
    re.compile(rf"(?:{alternation('ground_cues')})\s+(?P<b>{_PLACE})"),
    # "do Bộ Tài chính phân công", "được Bộ Tài chính phân công làm Cụm trưởng"
    re.compile(
        rf"(?:{alternation('assigned_by_openers')})\s+(?P<b>{_BODY})\s+(?:{alternation('assigned_cues')})"
    ),
    # "Quyết định số 01/QĐ-BTC của Bộ Tài chính về việc thành lập các Cụm thi đua …"
    re.compile(
        rf"của\s+(?P<b>{_BODY})\s+(?:về\s+)?(?:việc\s+)?(?:{alternation('founding_verbs')})\s+"
        rf"[^.;:()]{{0,60}}?(?:{_KINDS})"
    ),
)
# The body that holds the cluster's meeting, as the sentence's subject: "Ngày 12/12, Ban Thường trực Ủy
# ban Trung ương MTTQ Việt Nam tổ chức Hội nghị tổng kết … Cụm thi đua các tỉnh …" (a body above the
# cluster convenes it). A member hosting its turn ("Công an tỉnh X (Cụm trưởng) tổ chức …") is no
# owner: the caller drops an organiser that is one of the members.
_ORGANISER = re.compile(
    rf"(?:^|,\s+)(?P<b>(?:(?:{alternation('convener_standing')})\s+)?"
    rf"(?:{alternation('convener_heads')})"
    rf"\s+[^.;:()]{{2,70}}?)\s+(?:(?:{alternation('tense_markers')})\s+)?(?:{alternation('convener_verbs')})\s+"
    rf"[^.;]{{0,80}}?(?:{alternation('kinds')})\s+thi\s+đua",
    re.IGNORECASE,
)
_CLUSTER_WORDS = re.compile(rf"(?<![\wÀ-ỹ])(?:{alternation('role_name_words')})(?![\wÀ-ỹ])", re.IGNORECASE)


def organiser_in_text(sentences: Iterable[str]) -> str | None:
    """The body that convened the cluster's meeting, when a sentence says so, or None.

    ``organiser_in_text(["Ngày 9/12, Ủy ban Trung ương MTTQ Việt Nam tổ chức hội nghị tổng kết cụm thi
    đua các tỉnh Tây Bắc."])`` → ``"Ủy ban Trung ương MTTQ Việt Nam"``.
    """
    for sentence in sentences:
        m = _ORGANISER.search(sentence)
        if m and m.group("b")[:1].isupper() and not _CLUSTER_WORDS.search(m.group("b")):
            return m.group("b").strip(" ,")
    return None


# A trailing word that ends a name but is not part of it ("… tỉnh Hòa Bình Năm").
_TAIL = re.compile(rf"(?:\s*,)?\s+(?:{alternation('owner_tail_words')})$")


def owner_in_text(sentences: Iterable[str]) -> str | None:
    """The first owner a cue names in the sentences, whole, or None.

    ``owner_in_text(["Cụm gồm các sở đóng trên địa bàn tỉnh Hòa Bình."])`` → ``"tỉnh Hòa Bình"``;
    ``owner_in_text(["Sở Tài chính do Bộ Tài chính phân công làm Cụm trưởng."])`` → ``"Bộ Tài chính"``.
    """
    for sentence in sentences:
        for cue in _CUES:
            m = cue.search(sentence)
            if m:
                return _TAIL.sub("", m.group("b")).strip(" ,.")
    return None


@dataclass(frozen=True)
class TextOwners:
    """What the text of an article says of whose cluster it is: an owner cue, the meeting's
    convener, and the sentences naming a unit beside a cluster role (to tell a member from an owner)."""

    owner: str | None
    organiser: str | None
    role_sentences: tuple[str, ...]


_ROLE_WORDS = re.compile(
    rf"(?:{alternation('kinds')})\s+(?:{alternation('role_ranks')})|(?:{alternation('role_ranks')})\s+(?:{alternation('kinds')})",
    re.IGNORECASE,
)


def text_owners(sentences: list[str]) -> TextOwners:
    """Read the owner cues of an article's sentences once (``resolve_system`` asks them per event)."""
    roles = tuple(s for s in sentences if _ROLE_WORDS.search(s))
    return TextOwners(owner_in_text(sentences), organiser_in_text(sentences), roles)


def resolve_system(
    cues: TextOwners,
    members: list[str],
    venue: str | None,
    source: str | None,
    site_system: str | None = None,
    many_provinces: bool = False,
) -> str | None:
    """The system of an event whose label names no owner, in a fixed order, else None.

    An owner cue in the text; the body that convened the meeting (unless it is a member); the one
    province the members lie in, or the national system of one kind of body in several provinces
    ("TAND tỉnh A", "TAND tỉnh B" → "Tòa án nhân dân", ``extract.national``); the site's body (its
    own ``site_system`` from sites.toml, else the host table's body for ``source``, the URL) unless
    that body is a member (a member reporting on its own cluster: named in the list or beside a
    cluster role); the venue's province. The venue comes after the site (the dev-reports README puts
    it with the members) because national clusters meet in turn in their members' provinces: on the
    dev reports the venue before the site turned right ministry and court systems into the host
    province. Members spread over several provinces (a cluster of provinces) make the venue only the
    host of the turn, so it is not used then.
    ``many_provinces``: the label names a cluster of provinces ("các tỉnh …"), so a provincial
    site's body stands for its national system.
    ``resolve_system(text_owners([]), [], "huyện Đức Trọng", None)`` → "tỉnh Lâm Đồng".
    """
    spread = provinces_of(members)
    organiser = cues.organiser
    if organiser and any(_same_body(organiser, m) for m in members):
        organiser = None
    site = site_system or source_body(source)
    if site and many_provinces:
        # "Cụm thi đua các tỉnh, thành phố miền Đông Nam Bộ" on a provincial association's site: the
        # cluster spans provinces, so it is the site's national system's ("Hội Luật gia Việt Nam")
        site = national_of(site) or site
    if site and (any(_same_body(site, m) for m in members) or _holds_role(site, cues.role_sentences)):
        site = None
    return (
        cues.owner
        or organiser
        or (spread.pop() if len(spread) == 1 else national_body(members) if spread else None)
        or site
        or (province_of((), venue) if venue and not spread else None)
    )


# A cluster role right after a unit's name: "… Việt Nam - đơn vị Cụm trưởng", "X (Khối trưởng)".
_ROLE_AFTER = re.compile(
    rf"\s*[-–,(]?\s*(?:(?:{alternation('role_after_unit_leads')})\s+)?"
    # before the kind only role_ranks_after_unit ("Trưởng"/"Phó trưởng"): this pattern never read "Phó cụm"
    rf"(?:(?:{alternation('kinds')})\s+(?:{alternation('role_ranks')})"
    rf"|(?:{alternation('role_ranks_after_unit')})\s+(?:{alternation('kinds')}))",
    re.IGNORECASE,
)


def _holds_role(body: str, sentences: tuple[str, ...]) -> bool:
    """True when ``body`` is written as a name of its own (not the tail of a longer one: "Cục X Bộ
    Công an") with a cluster role right after it ("… Kỹ thuật Việt Nam - đơn vị Cụm trưởng")."""
    words = [r"(?:và|&)" if w == "và" else re.escape(w) for w in body.split()]
    name = re.compile(r"\s+".join(words), re.IGNORECASE)
    for sentence in sentences:
        for m in name.finditer(sentence):
            before = sentence[: m.start()].rstrip()
            own_name = not before or before[-1] in ",;:(-" or not before.split()[-1][:1].isupper()
            if own_name and _ROLE_AFTER.match(sentence, m.end()):
                return True
    return False


def _fold(text: str) -> str:
    """Case, spacing and "&"/"và" aside: "Liên hiệp các hội Khoa học & Kỹ thuật" = "… và Kỹ thuật"."""
    return " ".join(text.casefold().replace("&", " và ").split())


def _same_body(a: str, b: str) -> bool:
    """True when one name begins the other, case and spacing aside ("Công an tỉnh X" / "Công an
    tỉnh X (Cụm trưởng)"); "Bộ Công an" is not "Cục A Bộ Công an"."""
    x, y = _fold(a), _fold(b)
    return bool(x and y) and (x.startswith(y) or y.startswith(x))
