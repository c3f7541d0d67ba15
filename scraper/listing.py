"""Listing pages: which links are articles, and where the next page is.

Article links come from the site's ``listing`` selector / ``article_url`` regex when configured, else
from URL shape: same site, an article id in the path (``-<17–18 digits>.htm``, ``-postNNNN.html``,
``-<10 digits>``) or a long slug, and not a category, tag, search or pagination link. The next page
is ``<link rel=next>``, a pagination anchor ("Trang sau", "›", "»", rel=next, page n+1), or for
VCCorp sections the timeline URL built from ``#hdZoneId``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.errors import ParseError
from scraper.listblocks import inside, side_boxes
from scraper.sites import Site
from scraper.urls import article_id, canonical_url, fold_host, join_url

_NOT_ARTICLE_WORDS = (
    r"tag|tags|chu-de|chude|tim-kiem|timkiem|search|tac-gia|author|authors|category|categories|"
    r"danh-muc|su-kien|event|events|topic|topics|video|videos|photo|photos|multimedia|podcast|"
    r"emagazine|login|dang-nhap|dang-ky|register|rss|feed|page|trang|lien-he|contact|gioi-thieu|"
    r"about|nhom-tin|chuyen-muc|timelinelist|timeline"
)
# A directory segment ("/tag/…", "/nhom-tin/…", "/video/…") or the whole last segment ("/lien-he.htm").
_NOT_ARTICLE_PATH = re.compile(rf"/(?:{_NOT_ARTICLE_WORDS})(?:/|(?:\.html?|\.aspx?|\.php)?$)", re.IGNORECASE)
_PAGINATION_PATH = re.compile(r"(?:/trang-\d+|-p\d+|/page/\d+|-page\d+|/p\d+)(?:\.html?)?/?$", re.IGNORECASE)
_NEXT_TEXT = re.compile(
    r"^(?:trang sau|trang tiếp|trang kế|tiếp|tiếp theo|sau|xem tiếp|next|next page|older|older posts)$",
    re.IGNORECASE,
)
_MORE_TEXT = re.compile(r"^(?:xem thêm|xem thêm tin|tải thêm|more|load more)$", re.IGNORECASE)
_ARROWS = re.compile(r"[›»>→❯⟩▶►\u203a\u00bb\s]+")
_NEXT_ARROWS = frozenset({"›", "»", ">", "→", "❯", "⟩", "▶", "►"})
_NEXT_TITLE = re.compile(r"trang (?:tiếp|sau|kế)", re.IGNORECASE)
_NEXT_CLASS = re.compile(r"(?:^|[\s_-])next(?:[\s_-]|$)|next-page|pagination-next|btn-next", re.IGNORECASE)
_PAGE_PATTERNS = (
    re.compile(r"(/timelinelist/\d+/)(\d+)(\.htm)$"),
    re.compile(r"(/timeline/\d+/trang-)(\d+)(\.htm)$"),
    re.compile(r"(/trang-)(\d+)(\.html?)$"),
    re.compile(r"(-p)(\d+)(/?)$"),
    re.compile(r"(-page)(\d+)(/?)$"),
    re.compile(r"(/page/)(\d+)(/?)$"),
    re.compile(r"(/p)(\d+)(/?|\.html?)$"),  # "/thoi-su/p2", "/thoi-su/p2.html"
)
_QUERY_PAGE = re.compile(r"([?&](?:page|p|trang|pageindex|pagenumber|pg)=)(\d+)", re.IGNORECASE)
# VCCorp sections page through a timeline; tuoitre names it differently from nld/baochinhphu/thanhnien.
_TIMELINE_TRANG_HOSTS = frozenset({"tuoitre.vn"})


def listing_links(tree: LexborHTMLParser, base: str, site: Site | None) -> list[str]:
    """Return the canonical article URLs a listing page links to, deduplicated, in page order."""
    anchors = _candidate_anchors(tree, site)
    if site is None or "listing" not in site.selectors:
        # Unconfigured: keep the main list only, not sidebars, "related" or "most read" boxes.
        boxes = side_boxes(tree, base)
        anchors = [a for a in anchors if not inside(a, boxes)]
    listing_canon = _safe_canonical(base)
    pattern = re.compile(site.article_url) if site is not None and site.article_url else None
    own_hosts = {fold_host(h) for h in site.hosts} if site is not None else set()
    own_hosts.add(fold_host(urlsplit(base).netloc))
    found: list[str] = []
    seen: set[str] = set()
    for anchor in anchors:
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        absolute = join_url(base, href)  # None: "http://[x" and the like are dropped
        canon = _safe_canonical(absolute) if absolute is not None else None
        if absolute is None or canon is None or canon == listing_canon or canon in seen:
            continue
        parts = urlsplit(canon)
        if parts.netloc not in own_hosts:
            continue
        if pattern is not None:
            if not (pattern.search(absolute) or pattern.search(canon)):
                continue
        elif not looks_like_article(parts.path):
            continue
        seen.add(canon)
        found.append(canon)
    if pattern is None:
        # Where most article links carry the site's article id, a slug without one is a topic page.
        with_id = [u for u in found if article_id(urlsplit(u).path) is not None]
        if len(with_id) >= 3 and len(with_id) >= 0.75 * len(found):
            found = with_id
    return found


def looks_like_article(path: str) -> bool:
    """Guess from a URL path whether it names an article (and not a section, tag or page of a list).

    ``"/cum-thi-dua-so-3-196260307071308923.htm"`` → True; ``"/thoi-su.htm"`` → False;
    ``"/tag/thi-dua.htm"`` → False; ``"/tin-tuc/nhan-rong-dien-hinh-1491907111"`` → True.
    """
    if _NOT_ARTICLE_PATH.search(path) or _PAGINATION_PATH.search(path):
        return False
    if article_id(path) is not None:
        return True
    last = path.rstrip("/").rsplit("/", 1)[-1]
    stem = re.sub(r"\.(?:html?|php|aspx?|vnp|chn)$", "", last, flags=re.IGNORECASE)
    words = [w for w in re.split(r"[-_]", stem) if w]
    return len(words) >= 5 and len(stem) >= 25


def next_page_url(
    tree: LexborHTMLParser, base: str, site: Site | None, *, has_articles: bool = True
) -> str | None:
    """Return the absolute URL of the listing's next page, or None on the last page.

    A VCCorp timeline fragment (``/timelinelist/{zone}/{n}.htm``) has no links of its own: while it
    still lists articles (``has_articles``) its next page is n+1.
    """
    current = _safe_canonical(base)

    def accept(href: str | None) -> str | None:
        if not href or href.strip().startswith(("#", "javascript:")):
            return None
        absolute = join_url(base, href.strip())
        if absolute is None or urlsplit(absolute).scheme not in ("http", "https"):
            return None
        return absolute if _safe_canonical(absolute) != current else None

    if site is not None and "next_page" in site.selectors:
        for node in tree.css(site.selectors["next_page"]):
            link = node if node.tag == "a" else node.css_first("a[href]")
            found = accept(link.attributes.get("href") if link is not None else None)
            if found:
                return found
    for node in tree.css("link[rel][href]"):
        if "next" in (node.attributes.get("rel") or "").lower().split():
            found = accept(node.attributes.get("href"))
            if found:
                return found
    for anchor in tree.css("a[href]"):
        if "next" in (anchor.attributes.get("rel") or "").lower().split():
            found = accept(anchor.attributes.get("href"))
            if found:
                return found
    for anchor in tree.css("a[href]"):
        raw = " ".join(anchor.text().split())
        words = _ARROWS.sub(" ", raw).strip()  # "Trang sau ›" → "Trang sau"; "»" → ""
        attrs = anchor.attributes
        hint = f"{attrs.get('class') or ''} {attrs.get('id') or ''} {attrs.get('title') or ''}"
        if (
            raw in _NEXT_ARROWS  # one arrow alone; "»»" and ">>" usually mean the last page
            or _NEXT_TEXT.match(words)
            or _NEXT_CLASS.search(hint)
            or _NEXT_TITLE.search(hint)
        ):
            found = accept(attrs.get("href"))
            if found:
                return found
        elif _MORE_TEXT.match(words) and _is_page_of(attrs.get("href"), base):
            # "Xem thêm" also opens sub-sections ("Xem thêm" under a "Tài chính" box): only a link
            # to another page of this same listing is its next page.
            found = accept(attrs.get("href"))
            if found:
                return found
    following = _following_page(base)
    if following is not None:
        want = _safe_canonical(following)
        for anchor in tree.css("a[href]"):
            href = anchor.attributes.get("href")
            joined = join_url(base, href) if href else None
            if joined is not None and _safe_canonical(joined) == want:
                return following
    else:
        second = _second_page_link(tree, base)
        if second is not None:
            return second
    return _timeline_next(tree, base, has_articles)


def _is_page_of(href: str | None, base: str) -> bool:
    """True if ``href`` is a numbered page of the listing at ``base`` ("/xa-hoi/trang-3.htm")."""
    if not href or href.strip().startswith(("#", "javascript:")):
        return False
    joined = join_url(base, href.strip())
    if joined is None:
        return False
    other = urlsplit(joined)
    here = urlsplit(base)
    if fold_host(other.netloc) != fold_host(here.netloc):
        return False
    stem = _page_stem(here.path)
    for pattern in _PAGE_PATTERNS[2:]:
        match = pattern.search(other.path)
        if match and _page_stem(other.path[: match.start()]) == stem:
            return True
    same_path = other.path.rstrip("/") == here.path.rstrip("/")
    return same_path and _QUERY_PAGE.search("?" + other.query) is not None


def _page_stem(path: str) -> str:
    """The listing path without its page number or extension: "/xa-hoi/trang-2.htm" → "/xa-hoi"."""
    for pattern in _PAGE_PATTERNS[2:]:
        match = pattern.search(path)
        if match:
            path = path[: match.start()]
            break
    return re.sub(r"\.(?:html?|aspx?|php)$", "", path.rstrip("/"), flags=re.IGNORECASE)


def _second_page_link(tree: LexborHTMLParser, base: str) -> str | None:
    """On an unnumbered first page, the link to page 2 of the same section: "/xa-hoi.htm" →
    "/xa-hoi/trang-2.htm", "/thoi-su" → "/thoi-su-p2", "/chinh-tri/" → "/chinh-tri/page/2/"."""
    parts = urlsplit(base)
    stem = re.sub(r"\.(?:html?|aspx?|php)$", "", parts.path.rstrip("/"), flags=re.IGNORECASE)
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        absolute = join_url(base, href)
        if absolute is None:
            continue
        other = urlsplit(absolute)
        if fold_host(other.netloc) != fold_host(parts.netloc):
            continue
        for pattern in _PAGE_PATTERNS[2:]:
            match = pattern.search(other.path)
            if match and match.group(2) == "2" and other.path[: match.start()].startswith(stem):
                return absolute
        match = _QUERY_PAGE.search("?" + other.query)
        if match and match.group(2) == "2" and other.path.rstrip("/") == parts.path.rstrip("/"):
            return absolute
    return None


def _candidate_anchors(tree: LexborHTMLParser, site: Site | None) -> list[LexborNode]:
    if site is not None and "listing" in site.selectors:
        anchors: list[LexborNode] = []
        for node in tree.css(site.selectors["listing"]):
            if node.tag == "a":
                anchors.append(node)
            else:
                anchors.extend(node.css("a[href]"))
        return anchors
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return []
    return [a for a in root.css("a[href]") if not _in_chrome(a)]


def _in_chrome(node: LexborNode) -> bool:
    current = node.parent
    depth = 0
    while current is not None and depth < 10:
        if current.tag in ("nav", "footer"):
            return True
        if current.tag in ("body", "main", "article"):
            return False
        current = current.parent
        depth += 1
    return False


def _following_page(url: str) -> str | None:
    parts = urlsplit(url)
    for pattern in _PAGE_PATTERNS:
        match = pattern.search(parts.path)
        if match:
            path = parts.path[: match.start()] + f"{match.group(1)}{int(match.group(2)) + 1}{match.group(3)}"
            return parts._replace(path=path).geturl()
    match = _QUERY_PAGE.search("?" + parts.query)
    if match:
        query = (
            ("?" + parts.query)[: match.start()]
            + f"{match.group(1)}{int(match.group(2)) + 1}"
            + ("?" + parts.query)[match.end() :]
        )
        return parts._replace(query=query[1:]).geturl()
    # Page 1 of a section often has no number: "/kinh-doanh.htm" → "/kinh-doanh/trang-2.htm".
    return None


def _timeline_next(tree: LexborHTMLParser, base: str, has_articles: bool) -> str | None:
    parts = urlsplit(base)
    for pattern in _PAGE_PATTERNS[:2]:
        if pattern.search(parts.path):
            return _following_page(base) if has_articles else None
    node = tree.css_first("#hdZoneId")
    zone = (node.attributes.get("value") or "").strip() if node is not None else ""
    if not zone.isdigit() or not has_articles:
        return None
    host = fold_host(parts.netloc)
    path = f"/timeline/{zone}/trang-2.htm" if host in _TIMELINE_TRANG_HOSTS else f"/timelinelist/{zone}/2.htm"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _safe_canonical(url: str) -> str | None:
    try:
        return canonical_url(url)
    except ParseError:
        return None
