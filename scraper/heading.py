"""The head of an article page: its title, its sapo (lead) and its author, from markup or metadata.

Each reader tries the site's own selector first, then JSON-LD, then ``<meta>``, then the selectors of
the Vietnamese CMSs we know: ``page_title`` gives "Cụm thi đua số 3 ký kết giao ước"; ``page_lead`` the
sapo; ``page_author`` "Minh Hiếu" (never the outlet's own name, "Báo Thanh Hóa").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.blocks import Block
from scraper.breadcrumb import lead_node
from scraper.fields import (
    alternatives,
    clean,
    ld_authors,
    ld_text,
    looks_like_site_name,
    strip_lead_prefix,
    unescape,
)
from scraper.markup import AUTHOR_SELECTORS, LEAD_SELECTORS, TITLE_SELECTORS
from scraper.text import ascii_skeleton

_VI_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
_TITLE_SUFFIX = re.compile(r"\s+[-|–—:»]\s+[^-|–—:»]{2,60}$")


def first_node(tree: LexborHTMLParser | LexborNode, selectors: tuple[str, ...]) -> LexborNode | None:
    """The first node matching the selectors, tried in order, that holds some text; None if none does."""
    for selector in selectors:
        for node in tree.css(selector):
            if clean(node.text(separator=" ")):
                return node
    return None


def page_title(
    tree: LexborHTMLParser, selectors: Mapping[str, str], ld: list[dict[str, Any]], meta: Mapping[str, str]
) -> str:
    """The article's title: site selector, JSON-LD headline, og/twitter/meta title, known h1s, <title>."""
    if "title" in selectors:
        node = first_node(tree, alternatives(selectors["title"]))
        if node is not None:
            return clean(node.text(separator=" "))
    for obj in ld:
        headline = ld_text(obj, "headline") or ld_text(obj, "name")
        if headline:
            return headline
    for key in ("og:title", "twitter:title", "title"):
        value = meta.get(key)
        if value:
            return clean(unescape(value))
    node = first_node(tree, TITLE_SELECTORS)
    if node is not None:
        return clean(node.text(separator=" "))
    node = tree.css_first("title")
    if node is not None:
        return _TITLE_SUFFIX.sub("", clean(node.text()))
    return ""


def page_lead(
    tree: LexborHTMLParser, selectors: Mapping[str, str], ld: list[dict[str, Any]], meta: Mapping[str, str]
) -> tuple[str, bool]:
    """The sapo and whether it came from the page's own sapo element (True) or from metadata."""
    candidates = alternatives(selectors.get("lead")) + LEAD_SELECTORS
    node = lead_node(tree, candidates)  # a breadcrumb's "Tài chính" may carry a *sapo* class too
    if node is not None:
        lead = clean(node.text(separator=" "))
        node.decompose()  # the sapo sometimes sits inside the body container
        return strip_lead_prefix(lead), True
    for obj in ld:
        description = ld_text(obj, "description")
        if description:
            return strip_lead_prefix(description), False
    for key in ("og:description", "description", "twitter:description"):
        value = meta.get(key)
        if value:
            return strip_lead_prefix(clean(unescape(value))), False
    return "", False


def bold_sapo(found: list[Block], paras: list[str]) -> bool:
    """Vietnamese sites without a sapo element print it as a bold first paragraph of the body."""
    if not found or not paras or len(paras) < 2 or found[0].text != paras[0] or not found[0].bold:
        return False
    first = paras[0]
    return 60 <= len(first) <= 800 and len(_VI_LETTERS.findall(first)) >= 3


def repeats_body(lead: str, paras: list[str]) -> bool:
    """True when the lead is only the start of the body (a meta description copied from paragraph 1)."""
    key = ascii_skeleton(lead.rstrip(" .…")[:300])
    return bool(key) and ascii_skeleton(" ".join(paras[:3])[:600]).startswith(key[: max(20, len(key) - 3)])


def strip_site_suffix(title: str, host: str, site_names: list[str]) -> str:
    """ "Cụm thi đua họp - Báo Lâm Đồng" → "Cụm thi đua họp" when the tail names the site."""
    match = _TITLE_SUFFIX.search(title)
    if match and looks_like_site_name(match.group(0).strip(" -|–—:»"), host, site_names):
        return title[: match.start()].strip()
    return title


def outlet_names(meta: Mapping[str, str], all_ld: list[dict[str, Any]]) -> list[str]:
    """The names the page gives its outlet (og:site_name, JSON-LD organisation/publisher): "Báo Lâm Đồng"."""
    names = [meta[k] for k in ("og:site_name", "application-name", "apple-mobile-web-app-title") if k in meta]
    for obj in all_ld:
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and "organization" in k.lower() for k in kinds):
            name = obj.get("name")
            if isinstance(name, str):
                names.append(unescape(name))
        publisher = obj.get("publisher")
        if isinstance(publisher, Mapping) and isinstance(publisher.get("name"), str):
            names.append(unescape(publisher["name"]))
    return names


def page_author(
    tree: LexborHTMLParser,
    selectors: Mapping[str, str],
    ld: list[dict[str, Any]],
    meta: Mapping[str, str],
    host: str,
    all_ld: list[dict[str, Any]],
) -> str | None:
    """The byline: site selector, author boxes, JSON-LD, then meta; None when only the outlet is named."""
    site_names = outlet_names(meta, all_ld)
    candidates = alternatives(selectors.get("author")) + AUTHOR_SELECTORS
    for selector in candidates:
        nodes = tree.css(selector)
        names: list[str] = []
        for node in nodes:
            name = clean_author(node.text(separator=" "))
            if name and not looks_like_site_name(name, host, site_names) and name not in names:
                names.append(name)
        if names:
            return ", ".join(names)
    for obj in ld:
        names = [n for n in ld_authors(obj) if not looks_like_site_name(n, host, site_names)]
        if names:
            return ", ".join(clean_author(n) for n in names)
    for key in ("dable:author", "author", "article:author", "byl"):
        value = meta.get(key)
        if value:
            parts = [clean_author(p) for p in re.split(r"\s*[;|]\s*", clean(unescape(value)))]
            names = [p for p in parts if p and not looks_like_site_name(p, host, site_names)]
            if names:
                return ", ".join(names)
    return None


_AUTHOR_NOISE = re.compile(
    r"^(?:theo|by|tác giả|bài và ảnh|bài, ảnh|bài|ảnh|nhóm phóng viên)\s*[:.]?\s*", re.IGNORECASE
)


def clean_author(text: str) -> str:
    """A byline without "Theo", "Bài và ảnh" … : "Bài và ảnh: Minh Hiếu" → "Minh Hiếu"; "" if not a name."""
    name = clean(text)
    name = _AUTHOR_NOISE.sub("", name).strip(" -–—:|,")
    if len(name) > 80 or len(name.split()) > 10:
        return ""
    return name


def signature_author(node: LexborNode, host: str, site_names: list[str]) -> str | None:
    """VnExpress-style pages sign the article in a last, right-aligned or bold paragraph ("Minh Sơn",
    "Hoài Thu (theo AFP)"); take it as the author and remove it from the body."""
    paras = [p for p in node.css("p") if clean(p.text())]
    if len(paras) < 3:
        return None
    last = paras[-1]
    attrs = last.attributes
    style = (attrs.get("style") or "").replace(" ", "").lower()
    text = clean(last.text())
    right = (
        "text-align:right" in style
        or (attrs.get("align") or "").lower() == "right"
        or ("author" in (attrs.get("class") or "").lower())
    )
    if not right:
        return None
    name = clean_author(re.sub(r"\s*\((?:theo|tổng hợp)[^)]*\)$", "", text, flags=re.IGNORECASE))
    words = name.split()
    if (
        not name
        or len(words) > 6
        or re.search(r"[.!?:;]$", name)
        or looks_like_site_name(name, host, site_names)
    ):
        return None
    if not all(w[:1].isupper() for w in words):
        return None
    last.decompose()
    return name
