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
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.article import Article, Listing, content_hash
from scraper.blocks import Block, blocks, prune
from scraper.content import find_main
from scraper.decode import legacy_font, to_text
from scraper.errors import ParseError, SitesError
from scraper.fields import (
    alternatives,
    article_objects,
    clean,
    jsonld_objects,
    meta_map,
    scrub,
    strip_lead_prefix,
)
from scraper.heading import (
    bold_sapo,
    first_node,
    outlet_names,
    page_author,
    page_lead,
    page_title,
    repeats_body,
    signature_author,
    strip_site_suffix,
)
from scraper.listing import listing_links, next_page_url
from scraper.markup import (
    BODY_SELECTORS,
    CAPTION_SELECTORS,
    DROP_SELECTORS,
    TITLE_SELECTORS,
)
from scraper.pagedates import page_dates
from scraper.selector_rot import unmatched_selectors
from scraper.sites import Site, packaged_sites, site_for_url
from scraper.text import ascii_skeleton
from scraper.urls import canonical_url

log = logging.getLogger(__name__)

_BOILERPLATE = re.compile(
    r"^(?:tải ứng dụng|đọc ngay|đọc tiếp|xem thêm|xem tiếp|tin liên quan|bài liên quan|"
    r"tin cùng chuyên mục|mời quý độc giả|theo dõi .{0,40} trên|chia sẻ|bình luận|quảng cáo|"
    r"advertisement|read more|related)\b",
    re.IGNORECASE,
)
_DROP_QUERY = ", ".join(DROP_SELECTORS)
_CHALLENGE = re.compile(
    r"just a moment|attention required|access denied|checking your browser|verify you are human|"
    r"captcha|ddos protection|please wait|one more step|security check",
    re.IGNORECASE,
)


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
    missed = unmatched_selectors(tree, selectors)  # read before the generic finder rewrites the tree
    meta = meta_map(tree)
    all_ld = jsonld_objects(tree)
    ld = article_objects(all_ld)

    canonical = canonical_url(url, canonical_href(tree, meta))
    host = urlsplit(canonical).netloc

    title = page_title(tree, selectors, ld, meta)
    lead, lead_in_markup = page_lead(tree, selectors, ld, meta)
    author = page_author(tree, selectors, ld, meta, host, all_ld)
    title_node = first_node(tree, alternatives(selectors.get("title")) + TITLE_SELECTORS)
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
    site_drop = alternatives(selectors.get("drop"))
    caption_selectors = alternatives(selectors.get("captions")) + CAPTION_SELECTORS
    for node in body_nodes:
        # The generic drop list in one query (one walk of the body, not 67): each is a compound
        # selector, so removing what one matches never changes what another does; the site's own
        # come after, one by one, as they may depend on structure.
        for junk in node.css(_DROP_QUERY):
            junk.decompose()
        for selector in site_drop:
            for junk in node.css(selector):
                junk.decompose()
        for selector in caption_selectors:
            for cap in node.css(selector):
                caption = clean(cap.text(separator=" "))
                if caption and caption not in captions:
                    captions.append(caption)
                cap.decompose()
        if not author:
            author = signature_author(node, host, outlet_names(meta, all_ld))
        body_blocks.extend(prune(blocks(node), generic=generic or "body" not in selectors))

    body_paras = _clean_body([b.text for b in body_blocks], title, lead)
    if lead and not lead_in_markup and repeats_body(lead, body_paras):
        lead = ""  # a meta description that only repeats the first paragraph is not a sapo
    if not lead and "lead" not in selectors and bold_sapo(body_blocks, body_paras):
        lead = strip_lead_prefix(body_paras.pop(0))
    title = strip_site_suffix(title, host, outlet_names(meta, all_ld))

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

    # Every field went through clean(); scrub again so no path can hand on a lone surrogate, which
    # neither hashes nor stores (UnicodeEncodeError) and used to stop the whole site.
    title, lead, body = scrub(title), scrub(lead), scrub(body)
    author = scrub(author) if author else author
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
        captions=tuple(scrub(c) for c in captions),
        site=site.name if site is not None else None,
        selectors_missed=missed,
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


def _packaged_site(url: str) -> Site | None:
    return site_for_url(packaged_sites(), url)


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    node = tree.css_first("base[href]")
    href = node.attributes.get("href") if node is not None else None
    if not href:
        return url
    try:
        joined = urljoin(url, href)
        urlsplit(joined)
    except ValueError:  # <base href="http://[x">: not a URL, ignored as browsers do
        return url
    return joined


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
    lead_key = ascii_skeleton(strip_lead_prefix(lead))[:200] if lead else ""
    title_key = ascii_skeleton(title)
    for i, para in enumerate(paras):
        if len(para) < 160 and _BOILERPLATE.match(para):
            continue
        if i < 3:
            key = ascii_skeleton(para[:400])
            if key == title_key or (lead_key and key[:200] == lead_key):
                continue
        out.append(para)
    return out


def _language(tree: LexborHTMLParser) -> str:
    node = tree.css_first("html")
    lang = node.attributes.get("lang") if node is not None else None
    if lang:
        return lang.split("-")[0].strip().lower() or "vi"
    return "vi"
