"""Items of a member list: split at ";", "," and "và" where a new unit starts, shared prefixes and
suffixes distributed, roles and guests read off each item. Names keep their internal commas and "và"
("Sở Văn hóa, Thể thao và Du lịch"); see docs/extraction.md, members.
"""

from __future__ import annotations

import re

from extract.lexicon import ADMIN_ALT, ADMIN_OWNER_ALT, UNIT_HEAD_RE, UPPER, alternation
from extract.normalize import casefold_key
from extract.places import is_place
from extract.roles import role_in

_GUEST = re.compile(alternation("guest_words"), re.IGNORECASE)
_AND_HEAD = re.compile(r"\s+và\s+(?=\S)")
_COMMA_NAMES = re.compile(alternation("comma_names"), re.IGNORECASE)


def split_items(body: str, distributed: bool) -> list[str]:
    """Split a list into items; names keep their internal commas and "và" (see module doc)."""
    protected = _COMMA_NAMES.sub(lambda m: m.group(0).replace(",", "\x00"), body)
    parts = [p for p in re.split(r"\s*;\s*", protected)] if ";" in protected else [protected]
    items: list[str] = []
    for part in parts:
        depth = 0
        pieces: list[str] = []
        buf = ""
        for ch in part:
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                pieces.append(buf)
                buf = ""
            else:
                buf += ch
        pieces.append(buf)
        merged: list[str] = []
        for piece in pieces:
            piece = piece.strip()
            if not piece:
                continue
            starts_unit = _starts_unit(piece) or piece[:1].isdigit()
            # In a ";" list a lower-case piece after a comma is inside the item ("Cục Cảnh sát Phòng
            # cháy, chữa cháy và cứu nạn, cứu hộ; …"); a unit word or a capital still opens a new one.
            joins = not distributed and not starts_unit and (";" not in body or piece[:1].islower())
            if merged and joins and not _is_short_name(piece):
                merged[-1] = merged[-1] + ", " + piece
            else:
                merged.append(piece)
        # The last item after "và" is separate when distributed, or when "và" opens a new unit.
        final: list[str] = []
        for pos, item in enumerate(merged):
            pieces2 = _AND_HEAD.split(item)
            # Only the last item's "và" joins the list ("A, B và C"); an earlier one is inside a name
            # ("các ngành: Nông nghiệp và Phát triển nông thôn, Giao thông vận tải").
            if distributed and len(pieces2) > 1 and pos == len(merged) - 1:
                final.extend([" và ".join(pieces2[:-1]), pieces2[-1]])
                continue
            # "A và B": split only where "và" opens a new unit ("… Quốc gia và Trung tâm …").
            current = pieces2[0]
            for piece in pieces2[1:]:
                if _starts_unit(piece) or _same_head(current, piece):
                    final.append(current)
                    current = piece
                else:
                    current = f"{current} và {piece}"
            final.append(current)
        items.extend(final)
    return [i.replace("\x00", ",").strip() for i in items if i.strip()]


def _same_head(item: str, piece: str) -> bool:
    """ "Trung đoàn 892 và Trung đoàn 893": the piece after "và" repeats the item's head words."""
    a, b = item.split(), piece.split()
    return len(a) >= 2 and len(b) >= 2 and a[:2] == b[:2] and a[0][:1].isupper()


_PROPER = re.compile(rf"[{UPPER}0-9][^\s]*(?:\s+[{UPPER}0-9][^\s]*){{0,3}}")


def split_bare_and(items: list[str]) -> list[str]:
    """A bare list of proper names ends "A, B và C" with C its own item ("Bình Cơ và Vĩnh Tân")."""
    if len(items) < 3 or not all(_PROPER.fullmatch(i) for i in items[:-1]):
        return items
    if any(_starts_unit(i) for i in items):
        return items
    halves = items[-1].split(" và ")
    if len(halves) != 2 or not all(_PROPER.fullmatch(h) for h in halves):
        return items
    return items[:-1] + halves


def _starts_unit(piece: str) -> bool:
    """A unit word opens the piece, in lower case too ("gồm: huyện A, huyện B", "sở Tư pháp")."""
    if UNIT_HEAD_RE.match(piece) or _OWN_ADMIN.match(piece):
        return True
    lowered = piece[:1].islower() and len(piece.split()) > 1 and piece.split()[1][:1].isupper()
    return lowered and bool(UNIT_HEAD_RE.match(piece[:1].upper() + piece[1:]))


def _is_short_name(piece: str) -> bool:
    # A capitalised proper name ("Gò Vấp") after a comma is a new item even without a unit word.
    return piece[:1].isupper() and not _COMMA_NAMES.search(piece)


_ADMIN_SUFFIX = re.compile(
    rf"\s(?P<suffix>(?:{ADMIN_OWNER_ALT})\s+[A-ZĐ][^\s,;()]*(?:\s+[A-ZĐ][^\s,;()]*){{0,3}})$"
)
_ADMIN_WORD = re.compile(rf"\b(?:{alternation('admin_words_in_names')})\b")


def distribute_suffix(items: list[str]) -> list[str]:
    """A place written once after the last item belongs to every item: "Hội LHPN, Hội Nông dân và Hội
    Cựu chiến binh huyện Đắk Hà" → each item gets "huyện Đắk Hà" (only when no other item has a place)."""
    if len(items) < 2:
        return items
    m = _ADMIN_SUFFIX.search(items[-1])
    if not m or any(_ADMIN_WORD.search(i) for i in items[:-1]):
        return items
    if not all(UNIT_HEAD_RE.match(i) and len(i.split()) <= 6 for i in items[:-1]):
        return items
    suffix = m.group("suffix")
    return [f"{i} {suffix}" for i in items[:-1]] + [items[-1]]


_OWN_ADMIN = re.compile(rf"(?:{ADMIN_ALT})\s+(?=[{UPPER}0-9])")


ADMIN_IN = re.compile(rf"(?:^|(?<=\s))(?i:{ADMIN_OWNER_ALT})\s+(?=[{UPPER}0-9])")
# "Hội Chữ thập đỏ quận Gò Vấp, Bình Tân, Quận 7": the first item's body and admin word go to the
# bare names after it ("Hội Chữ thập đỏ quận Bình Tân", "Hội Chữ thập đỏ Quận 7").
_FIRST_HEAD = re.compile(rf"^(?P<body>\S.*?)\s(?P<admin>{ADMIN_OWNER_ALT})\s+[{UPPER}0-9]")


def distribute_first(items: list[str]) -> list[str]:
    if len(items) < 2:
        return items
    m = _FIRST_HEAD.match(items[0])
    if not m or not UNIT_HEAD_RE.match(items[0]):
        return items
    rest = items[1:]
    bare = [i for i in rest if not UNIT_HEAD_RE.match(i) and not ADMIN_IN.match(i)]
    if not bare or any(len(i.split()) > 4 or not i[:1].isupper() for i in rest):
        return items
    if any(UNIT_HEAD_RE.match(i) and not ADMIN_IN.match(i) for i in rest):
        return items
    out = [items[0]]
    body, admin = m.group("body"), m.group("admin")
    for i in rest:
        out.append(f"{body} {i}" if ADMIN_IN.match(i) else f"{body} {admin} {i}")
    return out


def compose(prefix: str, noun: str, item: str) -> str:
    """Distribute a shared prefix: ("", "quận", "Tân Phú") → "Quận Tân Phú"."""
    if re.fullmatch(r"(?i:tỉnh\s*[,/]\s*thành(?:\s+phố)?)", noun):
        name = f"{prefix} {item}" if prefix else item
    elif prefix and casefold_key(item).startswith(casefold_key(prefix) + " "):
        name = item  # "LĐLĐ các huyện: A, B và LĐLĐ thành phố C": the last item is written whole
    elif (
        casefold_key(item).startswith(casefold_key(noun) + " ")
        or (UNIT_HEAD_RE.match(item) and not prefix)
        or _OWN_ADMIN.match(item)
    ):
        # "các huyện A, B và thị xã C": an item with its own admin noun keeps it ("Thị xã C").
        name = item if not prefix else f"{prefix} {item}"
    elif item.lower().startswith("các "):
        name = f"{prefix} {noun} {item}" if prefix else item
    else:
        name = f"{prefix} {noun} {item}" if prefix else f"{noun} {item}"
    name = " ".join(name.split())
    return name[:1].upper() + name[1:]


# A role after a dash: "- đơn vị Cụm trưởng", "- Phó trưởng khối" (role words either side).
_ROLE_SUFFIX = (
    rf"\s*-\s*(?:{alternation('unit_pronouns')})?\s*(?:(?:{alternation('host_words')})\s+)?"
    rf"(?:{alternation('role_name_words')})\s+(?:{alternation('role_name_words')}).*$"
)


def clean_item(item: str) -> tuple[str, str | None, bool]:
    """(name, role, guest) of one list item: roles and brackets are taken off the name."""
    role = role_in(item)
    guest = bool(_GUEST.search(item))
    name = re.sub(r"\([^()]*\)", "", item)
    name = re.sub(
        _ROLE_SUFFIX,
        "",
        name,
        flags=re.IGNORECASE,
    )
    name = re.sub(r"^(?:và|các\s+đơn\s+vị:?)\s+", "", name.strip(), flags=re.IGNORECASE)
    return " ".join(name.split()).strip(" ,.;:-"), role, guest


def places_and(item: str) -> list[str]:
    """ "Cần Thơ và Huế" → both places; any other item stays whole."""
    parts = item.split(" và ")
    return parts if len(parts) > 1 and all(is_place(p) for p in parts) else [item]
