"""Breadcrumbs and section labels, which must never be taken for an article's lead (sapo).

Sites mark breadcrumbs as ``ul.breadcrumb``, ``nav[aria-label=breadcrumb]``, schema.org
``BreadcrumbList`` microdata or tracking attributes (dantri's ``data-content-name="article-breadcrumb"``),
and some reuse a ``*sapo*`` class on the section link in the breadcrumb: ``[class*=sapo]`` then
matched "Tài chính" before the real sapo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser, LexborNode

_CRUMB = re.compile(r"bread-?crumbs?|breadcrumblist|crumbs?(?:$|[\s_-])", re.IGNORECASE)
_CRUMB_ATTRS = ("class", "id", "aria-label", "itemtype", "data-content-name", "data-role", "role")
# A sapo is a sentence or more; a section name ("Tài chính", "Thời sự") is a few words.
_SHORT_WORDS = 6


def in_breadcrumb(node: LexborNode, depth: int = 8) -> bool:
    """True if the node or one of its nearest ancestors is marked as a breadcrumb."""
    current: LexborNode | None = node
    for _ in range(depth):
        if current is None or current.tag in ("body", "html", "article", "main"):
            return False
        attrs = current.attributes
        if any(_CRUMB.search(attrs.get(key) or "") for key in _CRUMB_ATTRS):
            return True
        current = current.parent
    return False


def looks_like_section_label(node: LexborNode, text: str) -> bool:
    """True for a short text that is all link (a section name), not a sapo sentence."""
    if len(text.split()) > _SHORT_WORDS or text.endswith((".", "…", "!", "?")):
        return False
    if node.tag == "a":
        return True
    linked = " ".join(" ".join(a.text().split()) for a in node.css("a"))
    return bool(linked) and linked == " ".join(text.split())


def lead_node(tree: LexborHTMLParser, selectors: Iterable[str]) -> LexborNode | None:
    """The first node matching the selectors (in order) that is not a breadcrumb or a section label."""
    for selector in selectors:
        for node in tree.css(selector):
            text = " ".join(node.text(separator=" ").split())
            if not text or in_breadcrumb(node) or looks_like_section_label(node, text):
                continue
            return node
    return None
