"""Tell article lines from page furniture: date banners, bylines, credits, captions, trailing widgets.

Input lines are already normalised (see :mod:`extract.normalize`). Each line gets a kind; the
pipeline reads "text" and "title" lines for facts, "caption" lines only for officials, and never
reads the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.lexicon import ADDRESS_ALT, UPPER, alternation, words

TEXT = "text"
TITLE = "title"
CAPTION = "caption"
BANNER = "banner"
BYLINE = "byline"
CREDIT = "credit"

_WEEKDAY = rf"(?:thứ\s*(?:{alternation('weekday_names')}|2|3|4|5|6|7)|chủ\s*nhật|cn|t[2-7])"
_DATE = r"\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?"
_DATE_WORDS = r"(?:ngày\s*)?\d{1,2}\s+tháng\s+\d{1,2}(?:\s*(?:năm|,)\s*\d{4})?"
_TIME = r"\d{1,2}\s*[:hg]\s*\d{2}(?:\s*(?:gmt|utc)\s*[+\-]?\s*\d{1,2})?(?:\s*(?:am|pm|sa|ch))?"
# Page labels lose their spaces ("Ngàyđăng"): any run of whitespace, or none, between the words.
_STAMP_WORDS = "(?:" + alternation("stamp_words", space=r"\s*") + ")"
_STAMP_PIECE = re.compile(
    rf"(?:{_WEEKDAY}|{_DATE_WORDS}|{_DATE}|{_TIME}|{_STAMP_WORDS}|gmt\s*[+\-]?\s*\d{{1,2}}|[,|:\-–()\s])",
    re.IGNORECASE,
)
_HAS_DIGIT = re.compile(r"\d")

# Whole-line widgets after which nothing belongs to the article.
_TAIL_MARKERS = frozenset(words("tail_markers"))
# Single lines that are never article text.
_NOISE_LINES = frozenset(words("noise_lines"))


def _widget(key: str) -> str:
    return alternation(key, space=r"\s*")


# Only asked yes or no, so the order of the alternatives does not matter.
_NOISE_PATTERNS = re.compile(
    rf"^(?:{_widget('view_counters')}|\d+\s*(?:{_widget('counted_widgets')}))\b.*$"
    r"|^[\d\s.,:/|-]*$"
    rf"|^(?:{_widget('error_words')})\b.*$"
    rf"|^(?:{_widget('error_pages')}).*$"
    rf"|^(?:{_widget('tag_labels')})\s*:.*$",
    re.IGNORECASE,
)
# A space in a credit opener matches no space too, as the credit pattern always allowed ("nhóm pv").
_CREDIT_OPENERS = alternation("credit_openers", space=r"\s*")
_CREDIT_START = re.compile(
    rf"^\(?\s*(?:tin(?:\s*(?:,|và)\s*ảnh)?|bài(?:\s*(?:,|và)\s*ảnh)?|{_CREDIT_OPENERS})\s*:",
    re.IGNORECASE,
)
_PHOTO = alternation("photo_words")
_PHOTO_OPENERS = tuple(w + " " for w in words("photo_words"))
# "(Ảnh minh họa)" with its spaces as written; "Ảnh minh họa" or "Ảnhminhhọa" anywhere, spaces or none.
_ILLUSTRATION_BRACKETED = alternation("illustration_words", space=" ")
_ILLUSTRATION = alternation("illustration_words", space=r"\s*")
_CAPTION_END = re.compile(rf"(?:^|[\s\-(])(?:{_PHOTO})\s*\d+\s*\.?\s*\)?$", re.IGNORECASE)
_CAPTION_MARK = re.compile(
    rf"\((?:{_PHOTO}|{_ILLUSTRATION_BRACKETED})\s*[:)]"
    rf"|\b(?:{_ILLUSTRATION})\b|\(\s*(?:{_PHOTO})\s*:"
    # a credit closing the line: "Các đại biểu tham dự hội nghị. Ảnh: Hải Yến."
    rf"|[.\-–]\s*(?:{_PHOTO})\s*:\s*[^.:;]{{1,40}}\.?\s*$",
    re.IGNORECASE,
)
# Every caption pattern holds a photo or illustration word, whose first word (any case) is then in
# the lower-cased line: "ảnh" (its letters have no other case-insensitive match in re).
_CAPTION_HINTS = tuple(
    sorted({w.split()[0].lower() for w in (*words("photo_words"), *words("illustration_words"))})
)
_SOURCE_TAG = re.compile(r"^\(\s*[\w.\-]+\s*\)$")
_INITIALS = re.compile(
    rf"^\(?[A-ZĐ]{{1,3}}(?:\s*\.\s*[A-ZĐ]{{1,3}})+\.?\)?$|^\((?:{alternation('reporter_initials')})\)$"
)
_CAP_WORD = re.compile(rf"^[{UPPER}][^\s]*$")
_NAME_DASH_ORG = re.compile(
    rf"^(?:[{UPPER}][\wÀ-ỹ]*\s+){{1,3}}[{UPPER}][\wÀ-ỹ]*\s*-\s*"
    rf"(?:{alternation('byline_bodies')})\b"
)
_TERMINAL = re.compile(r"[.!?…:;\"')\]]$")


@dataclass(frozen=True)
class Line:
    """One normalised line of the article with its kind (``TEXT``, ``TITLE``, ``CAPTION`` …)."""

    text: str
    kind: str
    index: int


def _is_stamp(line: str) -> bool:
    """True for a line that is only a date/time stamp or the site's "today" banner."""
    if not _HAS_DIGIT.search(line) or len(line) > 60:
        return False
    return _STAMP_PIECE.sub("", line).strip() == ""


def _is_byline(line: str) -> bool:
    """True for a short line of capitalised words with no sentence in it: "KHÁNH HUY", "Quốc Cường"."""
    if _INITIALS.match(line) or _SOURCE_TAG.match(line):
        return True
    words = line.split()
    if not 1 <= len(words) <= 4 or (_TERMINAL.search(line.rstrip(".")) and not line.endswith(".")):
        return False
    core = line.rstrip(".").strip()
    words = core.split()
    if not words or any(ch.isdigit() for ch in core):
        return False
    if all(_CAP_WORD.match(w) for w in words) and len(words) >= 2:
        return True
    # A single all-caps pen name ("HOÀNG"), not an acronym headline word like "UBND".
    return len(words) == 1 and core.isupper() and len(core) >= 4 and core.isalpha() and not core.isascii()


def is_credit(line: str) -> bool:
    """True for credit and source lines: "Tin, ảnh: MINH KHÔI", "Theo: Hải Yến", "Nguồn: Bản tin …"."""
    if _CREDIT_START.match(line):
        return True
    if _SOURCE_TAG.match(line) or _INITIALS.match(line):
        return True
    return bool(_NAME_DASH_ORG.match(line)) and len(line.split()) <= 12 and not line.endswith(".")


def is_caption(line: str) -> bool:
    """True for a photo caption: "… ký kết giao ước thi đua - Ảnh 1.", "(Ảnh: Văn Hà)"."""
    low = line.lower()
    if not any(hint in low for hint in _CAPTION_HINTS):
        return False  # most lines: none of the patterns below can match, and they are not searched
    return bool(_CAPTION_END.search(line) or _CAPTION_MARK.search(line) or low.startswith(_PHOTO_OPENERS))


# A lead, never a headline, opens with the meeting's date and a comma: "Sáng 14/4, tại …",
# "Chiều ngày 5/4/2024, Cụm thi đua …" (dev-reports README: a text may open with its lead).
# Capitalised, as a lead opens: "Sáng", "Chiều" …
_DAY_PARTS = "|".join(w.capitalize() for w in words("day_parts"))
_LEAD_OPENING = re.compile(
    rf"^(?:(?:{_DAY_PARTS})\s+(?:ngày\s+)?|Ngày\s+)\d{{1,2}}\s*[/.\-]\s*\d{{1,2}}(?:\s*[/.\-]\s*\d{{2,4}})?\s*,"
)
# A lead opening inside the first line, after a headline with no line break before it.
_EMBEDDED_LEAD = re.compile(
    rf"(?<=\S)\s+(?=(?:(?:{_DAY_PARTS})\s+(?:ngày\s+)?|Ngày\s+)\d{{1,2}}\s*[/.\-]\s*\d{{1,2}}"
    r"(?:\s*[/.\-]\s*\d{2,4})?\s*,)"
)
# Two sentences in a long line: "… trực thuộc Trung ương. Chiều ngày 05/4/2024, tại …".
_SENTENCE_BREAK = re.compile(r"[.;]\s+[A-ZÀ-ỸĐ]")


def _is_paragraph(line: str) -> bool:
    """True for a first line that is body text, not a headline: long, and holding a sentence break."""
    return len(line.split()) > 40 and _SENTENCE_BREAK.search(line) is not None


_BROKEN_NAME = re.compile(
    r"(?:^|\s)(?:" + ADDRESS_ALT + r")\s+(?:\S+\s*){1,3}$",
    re.IGNORECASE,
)
# Navigation menus and breadcrumbs: "Trang chủ | Thời sự | Chính trị", "Tin tức » Địa phương".
# Both menu shapes need one of these separators; a line without any is not matched against them.
_MENU_MARKS = frozenset("|»>/")
_MENU = re.compile(r"^[^.!?]*(?:\s[|»>/]\s[^.!?]*){2,}$|^[^.!?]{0,60}\s[»>]\s[^.!?]{0,60}$")
_PHP_ERROR = re.compile(rf"^(?:{alternation('php_errors')})\s*:", re.IGNORECASE)


def _is_menu(line: str) -> bool:
    return not _MENU_MARKS.isdisjoint(line) and _MENU.match(line) is not None


def join_broken_lines(text: str) -> str:
    """Undo line breaks inside a sentence: a single newline before a lower-case word, or inside a
    person's name after an honorific ("bà Trương Thị\\nBích Hạnh, …")."""
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and not _TERMINAL.search(out[-1]):
            prev = out[-1]
            continues = line[:1].islower() and len(prev.split()) >= 4
            if continues or (_BROKEN_NAME.search(prev) and line[:1].isupper()):
                out[-1] = f"{prev} {line}"
                continue
        out.append(line)
    return "\n".join(out)


def classify_lines(text: str) -> list[Line]:
    """Split normalised text into lines and give each a kind; drop widgets after the article ends.

    The first line that is real text becomes the ``TITLE``. A repeated line (duplicated title or
    lead) is kept once. Everything after a tail widget ("Ý kiến bạn đọc", "Tin khác" …) is dropped
    once the body has started.
    """
    out: list[Line] = []
    seen: set[str] = set()
    body_started = False
    title_done = False
    for index, raw in enumerate(join_broken_lines(text).split("\n")):
        line = raw.strip()
        if not line:
            continue
        low = line.lower().rstrip(" :.")
        if low in _TAIL_MARKERS:
            if body_started:
                break
            continue
        if _is_stamp(line):
            out.append(Line(line, BANNER, index))
            continue
        if low in _NOISE_LINES or _NOISE_PATTERNS.match(line) or _PHP_ERROR.match(line) or _is_menu(line):
            continue
        if is_credit(line):
            out.append(Line(line, CREDIT, index))
            continue
        if _is_byline(line):
            out.append(Line(line, BYLINE, index))
            continue
        if line in seen:
            continue
        seen.add(line)
        if is_caption(line):
            out.append(Line(line, CAPTION, index))
            continue
        if len(line.split()) >= 15:
            body_started = True
        if not title_done and (_LEAD_OPENING.match(line) or _is_paragraph(line)):
            title_done = True  # the text opens with its lead: there is no headline to read
        lead = _EMBEDDED_LEAD.search(line) if not title_done else None
        if lead:
            # "… tổng kết năm 2025 Sáng 17/10, tại Nghệ An, …": the headline runs into the lead
            title_done = True
            out.append(Line(line[: lead.start()].rstrip(), TITLE, index))
            out.append(Line(line[lead.start() :].lstrip(), TEXT, index))
            continue
        if not title_done and len(line.split()) >= 5:
            title_done = True
            out.append(Line(line, TITLE, index))
            continue
        if len(line.split()) >= 15:
            body_started = True
        out.append(Line(line, TEXT, index))
    return out
