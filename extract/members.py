"""Member units of a cluster, read only from explicit membership statements.

"Cụm thi đua 3 gồm các quận Tân Phú, Gò Vấp, Quận 7" → Quận Tân Phú, Quận Gò Vấp, Quận 7. A shared
prefix ("các quận", "Hội LHPN các huyện", "Ban Tuyên giáo các Đảng ủy:") is distributed to every
item. Guests ("(khách mời)", "đơn vị khách mời là …") are not members. Attendance alone ("Tham dự
có …") never makes a member.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.lexicon import STOP_PHRASES, STOP_WORDS, UNIT_HEAD_RE, UNIT_NOUNS, UPPER
from extract.normalize import casefold_key
from extract.places import is_place
from extract.roles import role_in

_LIST_START = re.compile(
    r"(?:(?<![\wÀ-ỹ])(?:bao\s+gồm|gồm\s+có|gồm)(?![\wÀ-ỹ])|(?:các\s+)?đơn\s+vị\s+thành\s+viên"
    r"(?:\s+(?:trong|của)\s+(?:cụm|khối)(?:\s+thi\s+đua)?)?\s*(?:gồm|là)?\s*:"
    r"|(?<![\wÀ-ỹ])\d+\s+đơn\s+vị\s+thành\s+viên(?=\s*\())"
    # "các thành viên của Cụm Hiệp hội …, Hội …": the units named as the cluster's members
    r"|(?P<of>(?<![\wÀ-ỹ])các\s+thành\s+viên\s+(?:của|trong)\s+(?:Cụm|Khối)(?:\s+thi\s+đua)?\s*:?\s+)",
    re.IGNORECASE,
)
_NOUN_ALT = "|".join(re.escape(n) for n in sorted(UNIT_NOUNS, key=len, reverse=True))
# Two admin nouns at once ("Hội Luật gia các tỉnh, thành phố: Đồng Nai, Tp.HCM"): no one noun fits
# every item, so the prefix alone is distributed ("Hội Luật gia Đồng Nai").
_MIXED = r"(?i:tỉnh\s*[,/]\s*thành(?:\s+phố)?(?=\s*:))"
_GENERIC_NOUNS = {"đơn vị", "cơ quan", "ngành", "thành viên"}
_LEAD_IN = re.compile(
    r"\s*(?:có\s+)?:?\s*(?:(?:các|những)\s+(?:đơn\s+vị|cơ\s+quan|thành\s+viên)(?:\s+thành\s+viên)?\s*(?:là|sau)?\s*:?\s*"
    r"|\d+\s+(?:đơn\s+vị|cơ\s+quan|thành\s+viên)\s*(?:là)?\s*:?\s*)?",
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
    r";\s*(?:năm\s+(?:\d{4}|nay)|hiện\s+nay|trong\s+đó|đồng\s+thời|theo\s+đó|ngoài\s+ra)(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
# "gồm" introducing contents, not units: "bản giao ước gồm 8 chỉ tiêu: …", "chương trình gồm …".
_CONTENTS_BEFORE = re.compile(
    r"(?:giao\s+ước|nội\s+dung|chương\s+trình|kế\s+hoạch|tiêu\s+chí|chỉ\s+tiêu|quy\s+chế|văn\s+bản)"
    r"(?:\s+[^\s,;:]+){0,3}\s*$",
    re.IGNORECASE,
)
_CONTENTS_AFTER = re.compile(
    r"^\s*(?:có\s+)?(?:\d+|các|những|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+"
    r"(?:chỉ\s+tiêu|nội\s+dung|tiêu\s+chí|phần|điều|chương|mục|giải\s+pháp|nhiệm\s+vụ|nhóm|tiết\s+mục|môn|hoạt\s+động)"
    r"(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
# "Nội dung phát động thi đua năm 2018 của Khối … gồm: …": the subject is the contents (or the guests).
_CONTENTS_OPEN = re.compile(
    r"^\W*(?:nội\s+dung|chương\s+trình|kế\s+hoạch|tiêu\s+chí|chỉ\s+tiêu|bản\s+giao\s+ước|"
    # who attended is no membership: "Tham dự hội nghị tại mỗi cụm gồm: Ban Thường trực …"
    r"(?:thành\s+phần\s+)?tham\s+dự|(?:các\s+)?đại\s+biểu\s+(?:tham\s+dự|dự)|khách\s+mời)[^;:.]*$",
    re.IGNORECASE,
)
# The body of every member when the items are bare places, written before them with a plural or a count.
_PLACE_BODY = (
    r"(?P<body>(?:Hội|Công\s+an|Tòa\s+án(?:\s+nhân\s+dân)?|TAND|VKSND|Viện\s+kiểm\s+sát(?:\s+nhân\s+dân)?|"
    r"UBMTTQ(?:VN)?|Ủy\s+ban\s+MTTQ(?:\s+Việt\s+Nam)?|Sở|Liên\s+đoàn\s+Lao\s+động|LĐLĐ|Thuế|Kho\s+bạc)"
    r"(?:\s+[^\s,.;:()]+){0,3}?)"
)
_BODY_OF_PLACES_BEFORE = re.compile(
    _PLACE_BODY + r"\s+(?:các|\d+)\s+(?:tỉnh|thành\s+phố|huyện|quận)(?:\s*,\s*thành(?:\s+phố)?)?"
    r"(?:\s+[^\s,.;:()]+){0,3}\s*$"
)
_BODY_OF_PLACES_INNER = re.compile(
    r"^(?:các\s+)?"
    + _PLACE_BODY
    + r"\s+(?:của|thuộc)\s+(?:\d+\s+|các\s+)?(?:tỉnh|thành\s+phố)[^:;.]{0,40}:\s*"
)
_GUEST = re.compile(r"khách\s+mời", re.IGNORECASE)
_AND_HEAD = re.compile(r"\s+và\s+(?=\S)")
_COMMA_NAMES = re.compile(r"Văn\s+hóa,\s+Thể\s+thao|Giống\s+cây\s+trồng,\s+vật\s+nuôi", re.IGNORECASE)


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
    rf"tại\s+(?P<place>(?:(?:Thành\s+phố|TP\.?|tỉnh)\s+)?[{UPPER}][\wÀ-ỹ]*(?:\s+[{UPPER}][\wÀ-ỹ]*){{0,3}})"
    r"(?=\s*(?:[,;().]|\s+và\s|$))"
)


def _names_place(text: str, at: int) -> bool:
    m = _PLACE_IN_NAME.match(text, at)
    return m is not None and is_place(m.group("place"))


def _ends_list(text: str, i: int, ch: str) -> bool:
    """True at a sentence-final "." or at a ";" that opens a new clause (see ``_NEW_CLAUSE``)."""
    if ch == ".":
        if re.search(r"(?<![\wÀ-ỹ])(?:TP|Tp|TX|Q|P|TT)$", text[max(0, i - 3) : i]):
            return False  # "TP. Hồ Chí Minh": the dot of an abbreviation
        return i + 1 == len(text) or text[i + 1] == " "
    return ch == ";" and _NEW_CLAUSE.match(text, i) is not None


def _split_items(body: str, distributed: bool) -> list[str]:
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


def _split_bare_and(items: list[str]) -> list[str]:
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
    r"\s(?P<suffix>(?:huyện|quận|thị\s+xã|thành\s+phố|tỉnh)\s+[A-ZĐ][^\s,;()]*(?:\s+[A-ZĐ][^\s,;()]*){0,3})$"
)
_ADMIN_WORD = re.compile(r"\b(?:huyện|quận|thị\s+xã|thành\s+phố|tỉnh|xã|phường|Huyện|Quận|Tỉnh)\b")


def _distribute_suffix(items: list[str]) -> list[str]:
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


_OWN_ADMIN = re.compile(rf"(?:huyện|quận|thị\s+xã|thành\s+phố|tỉnh|xã|phường|thị\s+trấn)\s+(?=[{UPPER}0-9])")


_ADMIN_IN = re.compile(rf"(?:^|(?<=\s))(?i:huyện|quận|thị\s+xã|thành\s+phố|tỉnh)\s+(?=[{UPPER}0-9])")
# "Hội Chữ thập đỏ quận Gò Vấp, Bình Tân, Quận 7": the first item's body and admin word go to the
# bare names after it ("Hội Chữ thập đỏ quận Bình Tân", "Hội Chữ thập đỏ Quận 7").
_FIRST_HEAD = re.compile(rf"^(?P<body>\S.*?)\s(?P<admin>huyện|quận|thị\s+xã|thành\s+phố|tỉnh)\s+[{UPPER}0-9]")


def _distribute_first(items: list[str]) -> list[str]:
    if len(items) < 2:
        return items
    m = _FIRST_HEAD.match(items[0])
    if not m or not UNIT_HEAD_RE.match(items[0]):
        return items
    rest = items[1:]
    bare = [i for i in rest if not UNIT_HEAD_RE.match(i) and not _ADMIN_IN.match(i)]
    if not bare or any(len(i.split()) > 4 or not i[:1].isupper() for i in rest):
        return items
    if any(UNIT_HEAD_RE.match(i) and not _ADMIN_IN.match(i) for i in rest):
        return items
    out = [items[0]]
    body, admin = m.group("body"), m.group("admin")
    for i in rest:
        out.append(f"{body} {i}" if _ADMIN_IN.match(i) else f"{body} {admin} {i}")
    return out


def _compose(prefix: str, noun: str, item: str) -> str:
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


def _clean_item(item: str) -> tuple[str, str | None, bool]:
    """(name, role, guest) of one list item: roles and brackets are taken off the name."""
    role = role_in(item)
    guest = bool(_GUEST.search(item))
    name = re.sub(r"\([^()]*\)", "", item)
    name = re.sub(
        r"\s*-\s*(?:đơn\s+vị|cơ\s+quan)?\s*(?:đăng\s+cai\s+)?(?:cụm|khối|trưởng|phó)\s+(?:trưởng|phó|cụm|khối).*$",
        "",
        name,
        flags=re.IGNORECASE,
    )
    name = re.sub(r"^(?:và|các\s+đơn\s+vị:?)\s+", "", name.strip(), flags=re.IGNORECASE)
    return " ".join(name.split()).strip(" ,.;:-"), role, guest


def _places_and(item: str) -> list[str]:
    """ "Cần Thơ và Huế" → both places; any other item stays whole."""
    parts = item.split(" và ")
    return parts if len(parts) > 1 and all(is_place(p) for p in parts) else [item]


def find_member_lists(sentence: str) -> list[MemberList]:
    """Membership statements in one sentence with their items.

    ``"Cụm thi đua số 2 gồm các huyện: Đông Sơn, Nông Cống và Triệu Sơn."`` →
    one list ``(("Huyện Đông Sơn", None), ("Huyện Nông Cống", None), ("Huyện Triệu Sơn", None))``.
    """
    out: list[MemberList] = []
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
            admin = _ADMIN_IN.search(head.group("unit")) if head else None
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
        raws = _split_items(body, distributed)
        if not distributed:
            raws = _split_bare_and(_distribute_first(_distribute_suffix(raws)))
        if place_body:  # "…, Cần Thơ và Huế": two places
            raws = [
                p for r in raws for p in (r.split(" và ") if all(map(is_place, r.split(" và "))) else [r])
            ]
        if place_body and not all(is_place(_clean_item(r)[0]) for r in raws):
            place_body = ""  # the body distributes over bare place names only
        for raw in raws:
            name, role, guest = _clean_item(raw)
            if guest or not name:
                continue
            if place_body:
                name = f"{place_body} {name}"
            name = _compose(prefix, noun, name) if distributed else name[:1].upper() + name[1:]
            items.append((name, role))
        if items:
            out.append(MemberList(m.start(), tuple(items)))
    return out
