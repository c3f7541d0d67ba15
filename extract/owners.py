"""Whose cluster it is, when the text says so away from the label: "đóng trên địa bàn tỉnh X",
"do Bộ X phân công", "Quyết định … của Bộ X về việc thành lập các Cụm thi đua".

Systems written with commas, dashes or "TP." stay whole ("Bộ Văn hóa, Thể thao và Du lịch").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extract.gazetteer import province_of, provinces_of
from extract.sources import source_body

# A proper name: capitalised words, joined inside by "và", ",", "-"/"–" when a capital follows.
_WORD = r"[A-ZÀ-ỸĐ][\wÀ-ỹ]*\.?"
_NAME = rf"{_WORD}(?:(?:\s+|\s*,\s+|\s+[-–]\s+|\s+và\s+){_WORD})*"
# A body's name has lower-case words ("Bộ Tài chính", "Bộ Văn hóa, Thể thao và Du lịch"): it runs
# lazily up to the verb of its cue, never across a sentence mark.
_HEAD = r"(?:Bộ|Ban|Ủy\s+ban|Uỷ\s+ban|UBND|Tổng\s+cục|Cục|Sở|Hội|Liên\s+đoàn|Tổng\s+Liên\s+đoàn)"
_BODY = _HEAD + r"\s+[^.;:()]{2,70}?"
_PLACE = rf"(?:tỉnh|thành\s+phố|TP\.?)\s*{_NAME}"
_CUES = (
    # "các cơ quan đóng trên địa bàn tỉnh Hòa Bình"
    re.compile(rf"đóng\s+trên\s+địa\s+bàn\s+(?P<b>{_PLACE})"),
    # "do Bộ Tài chính phân công", "được Bộ Tài chính phân công làm Cụm trưởng"
    re.compile(rf"(?:do|được)\s+(?P<b>{_BODY})\s+phân\s+công"),
    # "Quyết định số 01/QĐ-BTC của Bộ Tài chính về việc thành lập các Cụm thi đua …"
    re.compile(
        rf"của\s+(?P<b>{_BODY})\s+(?:về\s+)?(?:việc\s+)?(?:thành\s+lập|phân\s+chia|chia|kiện\s+toàn|phê\s+duyệt)\s+"
        r"[^.;:()]{0,60}?(?:Cụm|Khối|cụm|khối)"
    ),
)
# A trailing word that ends a name but is not part of it ("… tỉnh Hòa Bình Năm").
_TAIL = re.compile(r"(?:\s*,)?\s+(?:Năm|Ngày|Sáng|Chiều|Tại|Theo|Trong|Hội)$")


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


def resolve_system(
    sentences: Iterable[str],
    members: list[str],
    venue: str | None,
    source: str | None,
    site_system: str | None = None,
) -> str | None:
    """The system of an event whose label names no owner, in a fixed order, else None.

    An owner cue in the text; the one province the members lie in; the site's body (its own
    ``site_system`` from sites.toml, else the host table's body for ``source``, the URL); the
    venue's province. The venue comes after the site (the dev-reports README puts it
    with the members) because national clusters meet in turn in their members' provinces: on the dev
    reports the venue before the site turned right ministry and court systems into the host
    province. Members spread over several provinces (a cluster of provinces) make the venue only the
    host of the turn, so it is not used then.
    ``resolve_system(["Cụm họp tại huyện Đức Trọng."], [], "huyện Đức Trọng", None)`` → "tỉnh Lâm Đồng".
    """
    spread = provinces_of(members)
    return (
        owner_in_text(sentences)
        or (spread.pop() if len(spread) == 1 else None)
        or site_system
        or source_body(source)
        or (province_of((), venue) if venue and not spread else None)
    )
