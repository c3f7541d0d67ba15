"""Word scanners that find where a name ends: an organisation or place (:func:`scan_org`), the naming
words of an unnumbered label (:func:`naming_words`), the owning body right after a label
(:func:`system_at`). They stop at the lexicon's verbs and function words (``extract/data/lexicon.toml``).
"""

from __future__ import annotations

import re

from extract.lexicon import DASH_JOIN, LOWER, STOP_PHRASES, STOP_WORDS, UPPER, alternation, words

# "Cụm thi đua", "Khối thi đua", typos "Cụm khi đua"/"Cụm thi dua", "Khối giao ước thi đua".
KINDS_ALT = alternation("kinds")
#: A head's "thi đua", typos included, and the covenant word before it (data: clusters.toml).
EMULATION_WORDS = (
    rf"(?:(?:{alternation('head_covenant_words')})\s+)?"
    rf"(?:{alternation('head_thi_spellings')})\s+(?:{alternation('head_dua_spellings')})"
)
FULL_HEAD = re.compile(
    rf"(?<![\wÀ-ỹ])(?P<kind>{KINDS_ALT})\s+{EMULATION_WORDS}(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
# Short references: "Cụm 3", "cụm số 1", "Khối số IV" (a number is required).
SHORT_HEAD = re.compile(
    rf"(?<![\wÀ-ỹ])(?P<kind>{KINDS_ALT})\s+(?=(?:số\s+)?(?:\d{{1,3}}|[IVXLC]{{1,6}})(?![\wÀ-ỹ/]))",
    re.IGNORECASE,
)
# What the word scanners read after a position: a label, an owner or a stop phrase is far shorter, and
# copying the whole rest of a long sentence at every word made a sentence of n labels cost n².
REST = 400
# "các cơ quan Đảng - Mặt trận - đoàn thể": a dash between the kinds a label lists.
_NAMING_DASH = re.compile(
    rf"\s*-\s*(?=[{LOWER}]|(?:[{UPPER}][^\s,.;:()-]*\s+){{0,2}}[{UPPER}]?[^\s,.;:()-]*\s+-\s)"
)
# Owning bodies start with one of these (capitalised), or with an admin noun before a proper name.
_SYSTEM_HEAD = re.compile(
    rf"(?:{alternation('owner_heads')}|(?:{alternation('owner_admin_words')})\s+(?=[{UPPER}]))(?![\wÀ-ỹ])?"
)
ADMIN_BEFORE_NAME = re.compile(rf"(?:{alternation('admin_before_name')})\s+(?=[{UPPER}\d])")
_CONNECTOR = re.compile(rf"\s*(?:-|,\s*)?\s*(?:(?:{alternation('owner_connectors')})\s+)?")
_OWNED_BY = re.compile(rf"(?:{alternation('owner_of_words')})\s+$")
_LABEL_END_WORDS = frozenset(words("label_end_words"))
_PLURAL_WORDS = words("plural_words")


# Kinds of bloc whose name opens with an owner's head word: "Khối thi đua Mặt trận - Đoàn thể tỉnh"
# names the Front and the mass organisations, it is not owned by "Mặt trận".
def _dash_name(name: str) -> str:
    """A case-sensitive pattern of a name whose parts a dash joins, a part after the dash in either
    case: "Mặt trận - Đoàn thể" → ``Mặt\\s+trận\\s*-\\s*[Đđ]oàn\\s+thể``."""
    parts = [re.escape(p).replace(r"\ ", r"\s+") for p in name.split(" - ")]
    parts[1:] = [f"[{p[0].upper()}{p[0].lower()}]{p[1:]}" for p in parts[1:]]
    return r"\s*-\s*".join(parts)


_KIND_NAME = re.compile("|".join(_dash_name(n) for n in words("bloc_kind_names")))
# "Bộ" not before a proper name nor a force's name ("Bộ đội Biên phòng"): the end of a region name.
_NOT_MINISTRY = re.compile(
    rf"(?:{alternation('ministry_words')})"
    rf"(?!\s+[{UPPER}]|\s+(?:{alternation('force_words_after_ministry')})\s+[{UPPER}])"
)
_TOKEN = re.compile(r"[^\s,.;:()\"?!]+")


def is_stop(rest: str) -> bool:
    """True when ``rest`` starts with a verb/function word that ends a name."""
    match = _TOKEN.match(rest)
    if not match:
        return True
    word = match.group(0)
    if word in STOP_WORDS:
        return True
    low = rest[:20]
    return any(low.startswith(p) and not low[len(p) : len(p) + 1].isalpha() for p in STOP_PHRASES)


def scan_org(text: str, pos: int, max_words: int = 14) -> int:
    """End offset of an organisation/place phrase starting at ``pos`` (capitalised words and their
    lower-case syllables, "và", "các"…), stopping before verbs, punctuation and connectors.

    ``scan_org("Ban Tuyên giáo Thành ủy TPHCM gồm các quận", 0)`` → 29 (end of "TPHCM").
    """
    end = pos
    words = 0
    i = pos
    while words < max_words:
        m = re.compile(r"\s*").match(text, i)
        j = m.end() if m else i
        if j >= len(text):
            break
        rest = text[j : j + REST]
        tok = _TOKEN.match(rest)
        if not tok:
            break
        word = tok.group(0)
        if word in ("-", "–"):
            join = DASH_JOIN.match(text, i)
            if join and words > 0:
                i = join.end()
                continue
            break
        if words > 0 and is_stop(rest):
            break
        if word[0].isdigit() and words > 0 and not re.match(r"\d{1,3}(?![\wÀ-ỹ/])", word):
            break
        if word == "và":
            # "và" joins two parts of one name only when a capitalised word follows.
            after = text[j + 2 : j + 2 + REST].lstrip()
            if not after[:1].isupper() or FULL_HEAD.match(after) or SHORT_HEAD.match(after):
                break  # "… tỉnh Hà Nam và Cụm thi đua số 5": "và" opens the next cluster
        i = j + len(word)
        end = i
        words += 1
    return end


def naming_words(text: str, pos: int) -> int:
    """End of the naming words of an unnumbered label ("các tỉnh Tây Bắc"), stopping at an owner."""
    end = pos
    i = pos
    count = 0
    after_dash = False
    while count < 10:
        m = re.compile(r"[ ]*").match(text, i)
        j = m.end() if m else i
        rest = text[j : j + REST]
        if count > 1 and rest.startswith(",") and text[pos:i].lstrip().lower().startswith("các "):
            # "các trường đại học, cao đẳng": a comma between lower-case kinds stays in the label.
            nxt = re.match(r",\s*(?=[a-zàáâãèéêìíòóôõùúýăđĩũơưạ-ỹ])", rest)
            if nxt and not is_stop(rest[nxt.end() :]) and not ADMIN_BEFORE_NAME.match(rest[nxt.end() :]):
                i = j + nxt.end()
                continue
        tok = _TOKEN.match(rest)
        if not tok or j >= len(text):
            break
        word = tok.group(0)
        if word in ("-", "–"):
            join = DASH_JOIN.match(text, i) or _NAMING_DASH.match(text, i)
            listing = text[pos:i].lstrip().lower().startswith(("các ", "khối "))
            if join and count > 0 and (listing or DASH_JOIN.match(text, i)):
                i = join.end()
                after_dash = True
                continue
            break
        if is_stop(rest):
            break
        before = text[max(0, j - 5) : j].strip().lower()
        # "các tỉnh", "6 tỉnh Nam Sông Hậu": after a plural or a count the admin noun is a naming word
        plural = before in _PLURAL_WORDS or (before.split()[-1:] != [] and before.split()[-1].isdigit())
        owner = ADMIN_BEFORE_NAME.match(rest) or (_system_start(rest) and not after_dash)
        after_dash = False
        if count > 0 and not plural and owner:
            break
        if count == 0 and _system_start(rest) and word.lower() != "khối" and not _KIND_NAME.match(rest):
            break
        if word.lower() in _LABEL_END_WORDS:
            break
        if word == "và" and count == 0:
            break  # "Khối trưởng Khối thi đua và Tổng Biên tập …": no naming word follows
        if word == "và" and FULL_HEAD.match(text, j + len(word) + 1):
            # "Khối thi đua A và Khối thi đua B": "và" joins two labels, it is not part of the first.
            break
        i = j + len(word)
        end = i
        count += 1
    return end


def _system_start(rest: str) -> bool:
    """True when ``rest`` opens an owning body: "Ban Tuyên giáo …", "tỉnh Nghệ An", "Bộ Công an"."""
    m = _SYSTEM_HEAD.match(rest)
    if not m:
        return False
    if _NOT_MINISTRY.match(rest):
        # "… Đông Nam Bộ:" ends a region name; a ministry is "Bộ Công an", a force "Bộ đội Biên phòng"
        return False
    head = m.group(0)
    return head[:1].isupper() or bool(ADMIN_BEFORE_NAME.match(rest))


def system_at(text: str, pos: int) -> tuple[str | None, int]:
    """The owning body written right after a label (after "-", "của", "thuộc") and its end offset."""
    m = _CONNECTOR.match(text, pos)
    j = m.end() if m else pos
    rest = text[j : j + REST]
    # After an explicit "của"/"thuộc" any capitalised body is the owner ("… của Liên minh Hợp tác xã
    # Việt Nam"), not only the heads the lexicon knows.
    owned = m is not None and _OWNED_BY.search(m.group(0)) is not None
    if not (_system_start(rest) or (owned and rest[:1].isupper())):
        return None, pos
    if FULL_HEAD.match(rest):
        return None, pos  # "Khối thi đua A, Khối thi đua B": the next cluster, not an owner
    end = scan_org(text, j)
    system = text[j:end].strip(" ,-")
    if len(system.split()) < 2:
        return None, pos
    return system, end
