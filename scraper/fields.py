"""Small readers for article fields: JSON-LD, meta tags, text cleaning, lead prefixes, bylines."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scraper.text import ascii_skeleton

ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "liveblogposting",
        "scholarlyarticle",
        "techarticle",
        "report",
        "socialmediaposting",
        "posting",
    }
)
_ENTITY = re.compile(r"&(?:#\d{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")
# "(NLĐO)- ", "(Chinhphu.vn) - ", "(Dân trí) - ", "(Thanhuytphcm.vn) – ": a short source tag in
# brackets at the very start, followed by a dash or colon.
_LEAD_PREFIX = re.compile(r"^\s*[(\[]\s*([^()\[\]]{2,30}?)\s*[)\]]\s*[-–—:]+\s*")
_TRAILING_COMMAS = re.compile(r",\s*([}\]])")
# Spaces str.split() does not split on, which pages use between words: the zero-width space and the
# BOM. (NBSP, thin and narrow no-break spaces, tabs … are str.isspace(): split() takes them.)
_UNSPLIT_SPACES = ("\u200b", "\ufeff")
# A str holds a surrogate only when it is lone (JSON's "\\ud800" escape, a paired one is joined into
# one code point): it cannot be encoded to UTF-8, so hashing or storing the text would fail.
_SURROGATE = re.compile("[\ud800-\udfff]")
# JSON-LD blocks past this size are not article metadata; nesting past this depth is hostile (and
# json.loads would raise RecursionError on it).
MAX_JSONLD_BYTES = 1_000_000
MAX_JSONLD_DEPTH = 64


def nfc(text: str) -> str:
    """NFC-normalise text (tone marks composed), so NFD and cp1258 input compare equal to NFC."""
    return unicodedata.normalize("NFC", text)


def clean(text: str | None) -> str:
    """Collapse whitespace (NBSP, zero-width spaces included) to single spaces, strip, NFC; lone
    surrogates become U+FFFD."""
    if not text:
        return ""
    text = scrub(text)
    for space in _UNSPLIT_SPACES:
        if space in text:
            text = text.replace(space, " ")
    # split() rather than a regex substitution of every space: 8 µs of a 130-character paragraph
    return nfc(" ".join(text.split()))


def scrub(text: str) -> str:
    """Replace lone surrogates (unencodable in UTF-8) with U+FFFD.

    ``scrub("a\\ud800b")`` → ``"a\\ufffdb"``; text without surrogates comes back as is.
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def unescape(text: str) -> str:
    """Unescape HTML entities, twice when the text was double-escaped ("Chi&amp;#7871;n" → "Chiến")."""
    once = html.unescape(text)
    if _ENTITY.search(once):
        once = html.unescape(once)
    return once


def strip_lead_prefix(lead: str) -> str:
    """Drop the source tag that opens a sapo: "(NLĐO)- Sáng 6-3, …" → "Sáng 6-3, …"."""
    match = _LEAD_PREFIX.match(lead)
    if match and len(match.group(1).split()) <= 3:
        return lead[match.end() :]
    return lead


def alternatives(selector: str | None) -> tuple[str, ...]:
    """Split a selector group from sites.toml into alternatives tried in order of preference:
    ``".article__body.zce-content-body, .cms-body"`` → ``(".article__body.zce-content-body", ".cms-body")``.
    Commas inside ``[...]`` or ``(...)`` do not split."""
    if not selector:
        return ()
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(selector):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            parts.append(selector[start:i])
            start = i + 1
    parts.append(selector[start:])
    return tuple(p.strip() for p in parts if p.strip())


def meta_map(tree: LexborHTMLParser) -> dict[str, str]:
    """Return the first non-empty ``content`` of every meta ``name``/``property``/``itemprop`` (lower-cased
    keys), e.g. ``{"og:title": "…", "article:published_time": "2026-03-07T08:06:00+07:00"}``."""
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        content = attrs.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = attrs.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content.strip())
    return found


def jsonld_objects(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """Return every JSON-LD object of the page (``@graph`` and nested lists flattened), tolerating the
    raw newlines and trailing commas of hand-written CMS templates. Unreadable blocks are skipped."""
    objects: list[dict[str, Any]] = []
    for node in tree.css('script[type="application/ld+json"]'):
        raw = node.text(deep=True).strip()
        if not raw or len(raw) > MAX_JSONLD_BYTES or _too_deep(raw):
            continue
        data = _loads(raw)
        if data is not None:
            objects.extend(_flatten(data))
    return objects


def article_objects(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The JSON-LD objects that describe an article (NewsArticle, Article, BlogPosting …)."""
    chosen = []
    for obj in objects:
        types = obj.get("@type")
        names = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and t.lower() in ARTICLE_TYPES for t in names):
            chosen.append(obj)
    return chosen


def ld_text(obj: Mapping[str, Any], key: str) -> str:
    """A JSON-LD string field, entities unescaped (twice where needed), whitespace-cleaned, NFC."""
    value = obj.get(key)
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return clean(unescape(value)) if isinstance(value, str) else ""


def ld_authors(obj: Mapping[str, Any]) -> list[str]:
    """Person names of a JSON-LD ``author`` (string, object or list); organisations are skipped."""
    value = obj.get("author")
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, str):
            name = item
        elif isinstance(item, Mapping):
            kind = item.get("@type")
            if isinstance(kind, str) and kind.lower() in ("organization", "newsmediaorganization"):
                continue
            raw = item.get("name")
            name = raw if isinstance(raw, str) else ""
        else:
            continue
        name = clean(unescape(name))
        if name:
            names.append(name)
    return names


def looks_like_site_name(name: str, host: str, site_names: list[str]) -> bool:
    """True when a would-be author is really the outlet ("NLD.COM.VN", "TUOI TRE ONLINE", "Dân Trí")."""
    folded = ascii_skeleton(name)
    if not folded or "http" in name or "/" in name or "@" in name:
        return True
    labels = [p for p in host.lower().split(".") if p not in ("www", "m", "com", "vn", "org", "net", "gov")]
    for label in labels:
        label = ascii_skeleton(label)
        if len(label) >= 3 and (label in folded or folded in label):
            return True
    for site_name in site_names:
        other = ascii_skeleton(site_name)
        if len(other) >= 3 and (folded == other or folded in other or other in folded):
            return True
    return False


def _loads(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.strip().rstrip(";")
    for attempt in (raw, _TRAILING_COMMAS.sub(r"\1", raw)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):  # RecursionError: a last guard behind _too_deep
            continue
    return None


def _too_deep(raw: str) -> bool:
    """True when brackets nest deeper than ``MAX_JSONLD_DEPTH`` (brackets inside strings count too:
    an over-estimate only skips a block no real page writes)."""
    depth = 0
    for match in _BRACKETS.finditer(raw):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_JSONLD_DEPTH:
                return True
        else:
            depth -= 1
    return False


_BRACKETS = re.compile(r"[\[\]{}]")


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    # Depth-first with an explicit stack, in document order: nested lists must not recurse.
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.append(graph)
