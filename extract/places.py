"""A gazetteer of Vietnamese provinces and districts, from the list underthesea ships offline.

underthesea 9.5 bundles ``address/data/mapping.json`` (old and new provinces, old districts and
wards). We read the names once, lazily, and keep only sets of short names, so that rules can tell a
place ("Lâm Đồng", "Gò Vấp") from a person's name.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from extract.lexicon import alternation, words

_ADMIN_WORD = re.compile(rf"^(?:{alternation('admin_words_leading', space=' ')})\s+", re.IGNORECASE)


def _mapping_path() -> Path | None:
    # Found without `import underthesea` (~72 MB of pipelines for one JSON file).
    from extract.underthesea_files import address_mapping_path

    try:
        return address_mapping_path()
    except ImportError:  # pragma: no cover - underthesea is a pinned dependency
        return None


def short_name(name: str) -> str:
    """A place name without its administrative word: ``"Huyện Gò Công Đông"`` → ``"Gò Công Đông"``."""
    return _ADMIN_WORD.sub("", name.strip())


@lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    """Short names of every province (old and new) and old district in underthesea's list.

    Reads the bundled file once per process (no network). Empty if the file is missing.
    """
    path = _mapping_path()
    if path is None:
        return frozenset()
    data = json.loads(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for key in ("province_names", "old_province_names"):
        for item in data.get(key, {}).values():
            names.add(item.get("short") or short_name(item.get("name", "")))
    for row in data.get("ward_mapping", []):
        for key in ("old_district", "old_province", "new_province"):
            value = row.get(key)
            if value:
                names.add(short_name(value))
    names.discard("")
    return frozenset(names)


def is_place(name: str) -> bool:
    """True when ``name`` (with or without "tỉnh"/"huyện"…) is a known province or district:
    ``is_place("Lâm Đồng")`` → True, ``is_place("Nguyễn Văn An")`` → False.
    """
    return short_name(name) in gazetteer()


_AT = re.compile(r"(?:^|(?<=[\s,(]))tại\s+", re.IGNORECASE)
_NOT_A_PLACE = re.compile(
    rf"^(?:{alternation('not_a_place_after_at')}|Tòa\s+án(?=\s*[,.;])|"
    # a document, not a place: "(tại Công văn số 969/BTC-TĐKT …)", "tại Quyết định số …"
    rf"(?:{alternation('documents_after_at')})(?![\wÀ-ỹ])|"
    # the clusters themselves: "tổ chức đánh giá thi đua tại 3 cụm thi đua số 1, 2 và 3"
    rf"(?:\d+\s+)?(?:{alternation('kinds')})(?![\wÀ-ỹ]))",
    re.IGNORECASE,
)
_LOC_STOPS = frozenset(words("location_stops"))


def find_location(sentence: str) -> str | None:
    """Where the meeting took place, as written after "tại" (up to the next comma or clause).

    ``"Sáng 14/1, tại Hội trường UBND huyện Yên Thành, Cụm thi đua số 3 …"`` →
    ``"Hội trường UBND huyện Yên Thành"``; "Tại hội nghị, …" is not a place → None.
    """
    for m in _AT.finditer(sentence):
        rest = sentence[m.end() :]
        if _NOT_A_PLACE.match(rest):
            continue
        words: list[str] = []
        for w in re.finditer(r"[^\s]+", rest):
            token = w.group(0)
            clean = token.rstrip(",.;:)")
            if clean in _LOC_STOPS and words:
                break
            if clean.startswith("("):
                break
            words.append(clean)
            if clean != token:
                break
        location = " ".join(words).strip(" ,.;:")
        if location:
            return location
    return None
