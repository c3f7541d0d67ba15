"""HTML → ``Article`` / ``Listing``: the parsing half of the scraper (pure, selectolax).

Order of trust for every field: the site's selectors (sites.toml), then JSON-LD and meta tags, then
the markup of the CMS families in sites-notes.md (VCCorp ``detail-*``, ``cms-title``/``zce``,
VnExpress, Dantri, VietnamNet, portal pages), then the generic main-content heuristic of
``scraper.content``. Pages of unknown sites therefore parse too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.article import Article, Listing, content_hash
from scraper.breadcrumb import lead_node
from scraper.content import Block, blocks, find_main, prune
from scraper.decode import legacy_font, to_text
from scraper.errors import ParseError, SitesError
from scraper.fields import (
    alternatives,
    article_objects,
    clean,
    fold,
    jsonld_objects,
    ld_authors,
    ld_text,
    looks_like_site_name,
    meta_map,
    strip_lead_prefix,
    unescape,
)
from scraper.listing import listing_links, next_page_url
from scraper.markup import (
    AUTHOR_SELECTORS,
    BODY_SELECTORS,
    CAPTION_SELECTORS,
    DROP_SELECTORS,
    LEAD_SELECTORS,
    TITLE_SELECTORS,
)
from scraper.pagedates import page_dates
from scraper.sites import Site, load_sites, site_for_url
from scraper.urls import canonical_url

log = logging.getLogger(__name__)

_BOILERPLATE = re.compile(
    r"^(?:tải ứng dụng|đọc ngay|đọc tiếp|xem thêm|xem tiếp|tin liên quan|bài liên quan|"
    r"tin cùng chuyên mục|mời quý độc giả|theo dõi .{0,40} trên|chia sẻ|bình luận|quảng cáo|"
    r"advertisement|read more|related)\b",
    re.IGNORECASE,
)
_CHALLENGE = re.compile(
    r"just a moment|attention required|access denied|checking your browser|verify you are human|"
    r"captcha|ddos protection|please wait|one more step|security check",
    re.IGNORECASE,
)
_VI_LETTERS = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
_TITLE_SUFFIX = re.compile(r"\s+[-|–—:»]\s+[^-|–—:»]{2,60}$")


def parse_article(
    html: bytes | str,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    site: Site | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Parse an article page into an ``Article``.

    ``html`` as bytes is decoded by ``scraper.decode`` (``headers`` give the HTTP charset); ``site``
    defaults to the packaged sites.toml entry owning the URL's host (None for unknown sites, which go
    through the generic parser). Dates after ``fetched_at`` are ignored. Every text field is NFC.
    Raises ``ParseError`` for pages with neither title nor body (empty pages, bot challenges), and
    ``SitesError`` when the site's selectors are not valid CSS.
    """
    text = to_text(html, headers, nfc=False)
    tree = LexborHTMLParser(text)
    if site is None:
        site = _packaged_site(url)
    selectors: Mapping[str, str] = site.selectors if site is not None else {}
    if site is not None:
        check_selectors(site)
    meta = meta_map(tree)
    all_ld = jsonld_objects(tree)
    ld = article_objects(all_ld)

    canonical = canonical_url(url, canonical_href(tree, meta))
    host = urlsplit(canonical).netloc

    title = _title(tree, selectors, ld, meta)
    lead, lead_in_markup = _lead(tree, selectors, ld, meta)
    author = _author(tree, selectors, ld, meta, host, all_ld)
    title_node = _first_node(tree, alternatives(selectors.get("title")) + TITLE_SELECTORS)
    scope = _article_scope(title_node)
    published, modified = page_dates(
        tree, ld, fetched_at=fetched_at, selectors=selectors, scope=scope, url=canonical
    )

    body_nodes = _body_nodes(tree, selectors)
    generic = not body_nodes
    if generic:
        # The generic finder rewrites the tree, so everything else was read first.
        body_nodes = find_main(tree)
    captions: list[str] = []
    body_blocks: list[Block] = []
    drop = DROP_SELECTORS + alternatives(selectors.get("drop"))
    caption_selectors = alternatives(selectors.get("captions")) + CAPTION_SELECTORS
    for node in body_nodes:
        for selector in drop:
            for junk in node.css(selector):
                junk.decompose()
        for selector in caption_selectors:
            for cap in node.css(selector):
                caption = clean(cap.text(separator=" "))
                if caption and caption not in captions:
                    captions.append(caption)
                cap.decompose()
        if not author:
            author = _signature(node, host, _site_names(meta, all_ld))
        body_blocks.extend(prune(blocks(node), generic=generic or "body" not in selectors))

    body_paras = _clean_body([b.text for b in body_blocks], title, lead)
    if lead and not lead_in_markup and _repeats_body(lead, body_paras):
        lead = ""  # a meta description that only repeats the first paragraph is not a sapo
    if not lead and "lead" not in selectors and _bold_sapo(body_blocks, body_paras):
        lead = strip_lead_prefix(body_paras.pop(0))
    title = _strip_site_suffix(title, host, _site_names(meta, all_ld))

    body = "\n\n".join(body_paras)
    if not title and not body:
        raise ParseError(f"{url}: no title and no article text (empty page or not an article)")
    if _CHALLENGE.search(title) and len(body) < 500:
        raise ParseError(f"{url}: got a bot-challenge page ({title!r}), not the article; retry later")
    if not body and not lead and len(text) < 200:
        raise ParseError(f"{url}: the page is empty")
    legacy = legacy_font(f"{title}\n{lead}\n{body[:4000]}")
    if legacy:
        # Not a charset: converting needs a font table we do not ship. Keep the text, say so.
        log.warning("%s: text looks like the legacy %s font encoding, not Unicode; stored as is", url, legacy)

    return Article(
        url=url,
        canonical_url=canonical,
        source=host,
        title=title,
        lead=lead,
        body=body,
        author=author,
        published=published,
        modified=modified,
        fetched_at=fetched_at,
        language=_language(tree),
        content_hash=content_hash(title, lead, body),
        captions=tuple(captions),
        site=site.name if site is not None else None,
    )


def parse_listing(
    html: bytes | str,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    site: Site | None = None,
) -> Listing:
    """Parse a listing (section, tag, timeline, search) page into its article links and next page.

    ``article_urls`` are absolute, canonical, deduplicated and in page order; only links that look
    like articles are kept (the site's ``listing`` selector / ``article_url`` regex when configured).
    ``next_page`` comes from ``<link rel=next>``, pagination anchors or the VCCorp timeline, or None.
    Raises ``SitesError`` when the site's selectors are not valid CSS.
    """
    text = to_text(html, headers)
    tree = LexborHTMLParser(text)
    if site is None:
        site = _packaged_site(url)
    if site is not None:
        check_selectors(site)
    base = _base_url(tree, url)
    urls = listing_links(tree, base, site)
    next_page = next_page_url(tree, base, site, has_articles=bool(urls))
    return Listing(url=url, article_urls=tuple(urls), next_page=next_page)


_CHECKED: set[tuple[str, tuple[tuple[str, str], ...]]] = set()


def check_selectors(site: Site) -> None:
    """Raise ``SitesError`` naming the site and the key when one of its selectors is not valid CSS.

    Each distinct configuration is checked once: ``check_selectors(Site(..., selectors={"title":
    "h1["}))`` → ``SitesError: site 'x': selector title = 'h1[' is not valid CSS``.
    """
    key = (site.name, tuple(sorted(site.selectors.items())))
    if key in _CHECKED:
        return
    probe = LexborHTMLParser("<p></p>")
    for name, selector in site.selectors.items():
        for alternative in alternatives(selector) or (selector,):
            try:
                probe.css(alternative)
            except Exception:  # selectolax raises its own SelectolaxError
                raise SitesError(
                    f"site {site.name!r}: selector {name} = {selector!r} is not valid CSS "
                    f"(at {alternative!r}); fix it in the sites file"
                ) from None
    _CHECKED.add(key)


@lru_cache(maxsize=1)
def _packaged() -> tuple[Site, ...]:
    try:
        return load_sites()
    except Exception:  # a broken packaged file must not stop parsing: unknown sites parse generically
        return ()


def _packaged_site(url: str) -> Site | None:
    return site_for_url(_packaged(), url)


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    node = tree.css_first("base[href]")
    href = node.attributes.get("href") if node is not None else None
    return urljoin(url, href) if href else url


def canonical_href(tree: LexborHTMLParser, meta: Mapping[str, str]) -> str | None:
    """The URL a page names for itself, as written: ``<link rel="canonical">``, else ``og:url``.

    Shared by ``parse_article`` and ``scraper.saved`` (pages saved to disk), so both read it alike.
    """
    for node in tree.css("link[rel]"):
        rels = (node.attributes.get("rel") or "").lower().split()
        if "canonical" in rels:
            href = node.attributes.get("href")
            if href and href.strip():
                return href.strip()
    return meta.get("og:url")


def _first_node(tree: LexborHTMLParser | LexborNode, selectors: tuple[str, ...]) -> LexborNode | None:
    for selector in selectors:
        for node in tree.css(selector):
            if clean(node.text(separator=" ")):
                return node
    return None


def _title(
    tree: LexborHTMLParser, selectors: Mapping[str, str], ld: list[dict[str, Any]], meta: Mapping[str, str]
) -> str:
    if "title" in selectors:
        node = _first_node(tree, alternatives(selectors["title"]))
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
    node = _first_node(tree, TITLE_SELECTORS)
    if node is not None:
        return clean(node.text(separator=" "))
    node = tree.css_first("title")
    if node is not None:
        return _TITLE_SUFFIX.sub("", clean(node.text()))
    return ""


def _lead(
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


def _bold_sapo(found: list[Block], paras: list[str]) -> bool:
    """Vietnamese sites without a sapo element print it as a bold first paragraph of the body."""
    if not found or not paras or len(paras) < 2 or found[0].text != paras[0] or not found[0].bold:
        return False
    first = paras[0]
    return 60 <= len(first) <= 800 and len(_VI_LETTERS.findall(first)) >= 3


def _repeats_body(lead: str, paras: list[str]) -> bool:
    key = fold(lead.rstrip(" .…")[:300])
    return bool(key) and fold(" ".join(paras[:3])[:600]).startswith(key[: max(20, len(key) - 3)])


def _strip_site_suffix(title: str, host: str, site_names: list[str]) -> str:
    """"Cụm thi đua họp - Báo Lâm Đồng" → "Cụm thi đua họp" when the tail names the site."""
    match = _TITLE_SUFFIX.search(title)
    if match and looks_like_site_name(match.group(0).strip(" -|–—:»"), host, site_names):
        return title[: match.start()].strip()
    return title


def _site_names(meta: Mapping[str, str], all_ld: list[dict[str, Any]]) -> list[str]:
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


def _author(
    tree: LexborHTMLParser,
    selectors: Mapping[str, str],
    ld: list[dict[str, Any]],
    meta: Mapping[str, str],
    host: str,
    all_ld: list[dict[str, Any]],
) -> str | None:
    site_names = _site_names(meta, all_ld)
    candidates = alternatives(selectors.get("author")) + AUTHOR_SELECTORS
    for selector in candidates:
        nodes = tree.css(selector)
        names: list[str] = []
        for node in nodes:
            name = _clean_author(node.text(separator=" "))
            if name and not looks_like_site_name(name, host, site_names) and name not in names:
                names.append(name)
        if names:
            return ", ".join(names)
    for obj in ld:
        names = [n for n in ld_authors(obj) if not looks_like_site_name(n, host, site_names)]
        if names:
            return ", ".join(_clean_author(n) for n in names)
    for key in ("dable:author", "author", "article:author", "byl"):
        value = meta.get(key)
        if value:
            parts = [_clean_author(p) for p in re.split(r"\s*[;|]\s*", clean(unescape(value)))]
            names = [p for p in parts if p and not looks_like_site_name(p, host, site_names)]
            if names:
                return ", ".join(names)
    return None


_AUTHOR_NOISE = re.compile(r"^(?:theo|by|tác giả|bài và ảnh|bài, ảnh|bài|ảnh|nhóm phóng viên)\s*[:.]?\s*",
                           re.IGNORECASE)


def _clean_author(text: str) -> str:
    name = clean(text)
    name = _AUTHOR_NOISE.sub("", name).strip(" -–—:|,")
    if len(name) > 80 or len(name.split()) > 10:
        return ""
    return name


def _article_scope(title_node: LexborNode | None) -> LexborNode | None:
    current = title_node
    while current is not None:
        if current.tag in ("article", "main"):
            return current
        current = current.parent
    return title_node.parent if title_node is not None else None


def _body_nodes(tree: LexborHTMLParser, selectors: Mapping[str, str]) -> list[LexborNode]:
    for selector in alternatives(selectors.get("body")):
        node = tree.css_first(selector)
        if node is not None and clean(node.text()):
            return [node]
    for selector in BODY_SELECTORS:
        found = [n for n in tree.css(selector) if len(n.text(strip=True)) >= 80]
        if not found:
            continue
        # Articles cut into chunks between ads repeat the body class: keep the chunks that are text,
        # not one nested in another.
        chunks = [found[0]] + [n for n in found[1:] if len(n.text()) >= 200 and _link_share(n) < 0.3]
        ids = {n.mem_id for n in chunks}
        return [n for n in chunks if not any(a in ids for a in _ancestors(n))]
    return []


def _ancestors(node: LexborNode) -> list[int]:
    ids = []
    current = node.parent
    while current is not None:
        ids.append(current.mem_id)
        current = current.parent
    return ids


def _link_share(node: LexborNode) -> float:
    total = len(node.text())
    return sum(len(a.text()) for a in node.css("a")) / total if total else 1.0


def _clean_body(paras: list[str], title: str, lead: str) -> list[str]:
    out: list[str] = []
    lead_key = fold(strip_lead_prefix(lead))[:200] if lead else ""
    title_key = fold(title)
    for i, para in enumerate(paras):
        if len(para) < 160 and _BOILERPLATE.match(para):
            continue
        if i < 3:
            key = fold(para[:400])
            if key == title_key or (lead_key and key[:200] == lead_key):
                continue
        out.append(para)
    return out


def _signature(node: LexborNode, host: str, site_names: list[str]) -> str | None:
    """VnExpress-style pages sign the article in a last, right-aligned or bold paragraph ("Minh Sơn",
    "Hoài Thu (theo AFP)"); take it as the author and remove it from the body."""
    paras = [p for p in node.css("p") if clean(p.text())]
    if len(paras) < 3:
        return None
    last = paras[-1]
    attrs = last.attributes
    style = (attrs.get("style") or "").replace(" ", "").lower()
    text = clean(last.text())
    right = "text-align:right" in style or (attrs.get("align") or "").lower() == "right" or (
        "author" in (attrs.get("class") or "").lower()
    )
    if not right:
        return None
    name = _clean_author(re.sub(r"\s*\((?:theo|tổng hợp)[^)]*\)$", "", text, flags=re.IGNORECASE))
    words = name.split()
    if not name or len(words) > 6 or re.search(r"[.!?:;]$", name) or looks_like_site_name(
        name, host, site_names
    ):
        return None
    if not all(w[:1].isupper() for w in words):
        return None
    last.decompose()
    return name


def _language(tree: LexborHTMLParser) -> str:
    node = tree.css_first("html")
    lang = node.attributes.get("lang") if node is not None else None
    if lang:
        return lang.split("-")[0].strip().lower() or "vi"
    return "vi"
