"""Which parts of a listing page are not its main list: sidebars, "related", "most read", digests.

Measured on real section pages (nld, tuoitre, vnexpress, dantri): besides the main list they carry a
right column ("Tiêu điểm", ``list-box-right``), "related" links under each teaser (nld's
``box-category-item-related``), and digests of sub-sections headed by a link to the sub-section
(dantri's "Tài chính" box on /kinh-doanh.htm). Their links are articles, but not this listing's.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.urls import article_id

# Class/id tokens of boxes beside the main list. "right" only as a whole dash-part ("col-right",
# "list-box-right"), never inside "copyright"; utility classes like "dt-right-0" are position tweaks.
_SIDE = re.compile(
    r"(?:^|[\s_-])(?:sidebar|side-bar|aside|col-right|box-right|right-col|mostread|most-read|"
    r"most-viewed|xem-?nhieu|doc-?nhieu|tieu-?diem|popular|trending|top-?views?|"
    r"tin-?noi-?bat-?sidebar)(?:$|[\s_-])|(?:^|[\s_])[\w-]*-right(?:$|\s)",
    re.IGNORECASE,
)
# "relat(ed|ion)", never "relative" (dantri's utility class "dt-relative" is everywhere).
_RELATED = re.compile(r"relat(?:ed|ion)|relate-|lien-?quan|cung-?chuyen-?muc|recommend|goi-?y", re.IGNORECASE)
# lexbor matches these substrings in C, so the regexes above run on a few dozen nodes, not thousands.
_KEYS = (
    "side",
    "Side",
    "right",
    "most",
    "nhieu",
    "tieu-diem",
    "tieudiem",
    "popular",
    "trending",
    "top-view",
    "relat",
    "Relat",
    "lien-quan",
    "lienquan",
    "chuyen-muc",
    "recommend",
    "goi-y",
    "goiy",
    "noi-bat",
)
_PREFILTER = ", ".join(["aside"] + [f"[{a}*={k}]" for k in _KEYS for a in ("class", "id")])
_SIDE_HEADINGS = re.compile(
    r"^(?:xem nhiều|đọc nhiều|tin đọc nhiều|tin xem nhiều|tiêu điểm|most read|tin liên quan|bài liên quan)$",
    re.IGNORECASE,
)


def side_boxes(tree: LexborHTMLParser, base: str) -> set[int]:
    """The ``mem_id`` of every element whose links are not part of the main list of the page."""
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return set()
    out: set[int] = set()
    for node in root.css(_PREFILTER):
        attrs = node.attributes
        tokens = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if node.tag == "aside" or _SIDE.search(tokens):
            out.add(node.mem_id)
        elif _RELATED.search(tokens) and not node.css_first("img"):
            # Bare text links under a teaser are "related" reading; a group of thumbnailed teasers
            # named "item-related" (tuoitre's top stories) is part of the list itself.
            out.add(node.mem_id)
    stem = _stem(urlsplit(base).path)
    for heading in root.css("h2, h3, h4, .title, .box-title"):
        text = " ".join(heading.text().split())
        box = heading.parent
        if box is None:
            continue
        if _SIDE_HEADINGS.match(text):
            while box.parent is not None and len(box.css("a[href]")) <= 1:
                box = box.parent  # from the title wrapper up to the box it names
            out.add(box.mem_id)
            continue
        link = heading if heading.tag == "a" else heading.css_first("a[href]")
        href = link.attributes.get("href") if link is not None else None
        if not href or not stem:
            continue
        path = urlsplit(urljoin(base, href)).path
        if article_id(path) is not None:
            continue  # dantri's articles live under their section: "/xa-hoi/…-2026….htm" heads a teaser
        path = _stem(path)
        # A box headed by a link to a sub-section of this listing ("/kinh-doanh/tai-chinh") digests
        # that sub-section: its box is the heading's nearest ancestor holding more than the heading.
        if path.startswith(stem + "/"):
            while box is not None and box.parent is not None and len(box.css("a[href]")) <= 1:
                box = box.parent
            # A teaser's own section label ("Tài chính" over one story) is not a digest: a digest
            # holds at least two stories besides its heading, and the heading comes first.
            first = box.css_first("a[href]") if box is not None else None
            if (
                box is not None
                and first is not None
                and first.attributes.get("href") == href
                and len(_hrefs(box) - {href}) >= 2
            ):
                out.add(box.mem_id)
    return out


def inside(node: LexborNode, boxes: set[int], depth: int = 40) -> bool:
    """True if the node sits inside one of the ``boxes`` (by ``mem_id``)."""
    current = node.parent
    for _ in range(depth):
        if current is None or current.tag == "body":
            return False
        if current.mem_id in boxes:
            return True
        current = current.parent
    return False


def _stem(path: str) -> str:
    return re.sub(r"\.(?:html?|aspx?|php)$", "", path.rstrip("/"), flags=re.IGNORECASE)


def _hrefs(node: LexborNode) -> set[str]:
    return {a.attributes.get("href") or "" for a in node.css("a[href]")} - {""}
