"""Generic main-content finder for pages of sites with no configuration.

``find_main(tree)`` scores block containers readability-style: navigation, forms and boxes whose
class says menu/share/related are removed first (unless they hold most of the page's paragraph text,
as ASP.NET ``<form>`` wrappers do); each paragraph gives its parent full points, its grandparent half
and its great-grandparent a sixth, by length and commas; class/id hints add or remove weight; link
density scales the score down. The best container wins, widened to a shared ancestor when several
near-best candidates sit under it (one paragraph per "card"), joined by siblings that score near it
or by chunks that repeat its class (articles cut by ads).

The block walker and the pruning of the blocks found live in ``scraper.blocks`` (re-exported here
for callers written before the split).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.blocks import Block, blocks, paragraphs, prune

__all__ = ["Block", "blocks", "find_main", "paragraphs", "prune"]


# Always removed from a generic page before scoring.
GENERIC_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "input",
)
# Removed unless they hold much of the page's text (ASP.NET pages wrap everything in one <form>).
GENERIC_SOFT_DROP = (
    "form",
    "nav",
    "footer",
    "aside",
    "[hidden]",
    "[aria-hidden=true]",
    "[role=navigation]",
    "[role=complementary]",
    "[role=contentinfo]",
    "[role=banner]",
    "[role=dialog]",
)
_UNLIKELY = re.compile(
    r"combx|comment|community|cover-wrap|disqus|extra|foot|gdpr|header|legends|menu|related|remark|"
    r"replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|"
    r"pager|popup|yom-remote|share|sharing|newsletter|subscribe|signup|cookie|consent|breadcrumb|"
    r"promo|banner|widget|tags?\b|toolbar|outbrain|taboola|recommend|most-?read|trending|paywall|"
    r"author-?bio|byline|nav|masthead|login|print-only|hidden|modal|overlay|sticky|more-stories|"
    r"read-?more|see-?also|tin-?lien-?quan|box-?lien-?quan|tinlienquan|lienquan",
)
_MAYBE = re.compile(r"and|article|body|column|content|main|shadow|story|entry|post|text|detail")
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|detail|"
    r"fck|cms-body|sapo|chitiet|noidung|news-content",
)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|"
    r"shopping|tags|tool|widget|social|recommend|newsletter|subscribe|byline|caption|credit|author",
)
_PARA_SELECTOR = "p, pre, blockquote, h2, h3, h4, li, td, div"


def find_main(tree: LexborHTMLParser) -> list[LexborNode]:
    """Return the node(s) holding a generic page's main text, best first; empty when nothing scores.

    The tree is modified: navigation, scripts and forms are removed before scoring.
    """
    body = tree.body
    if body is None:
        return []
    for selector in GENERIC_DROP:
        for node in body.css(selector):
            node.decompose()
    _drop_unlikely(body)

    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for para in body.css(_PARA_SELECTOR):
        tag = para.tag
        # A div counts as a paragraph only for its own loose text (text split by <br>s).
        text = para.text(deep=False) if tag == "div" else para.text()
        length = len(text.strip())
        if length < 25:
            continue
        score = 1.0 + text.count(",") + min(length / 100.0, 3.0)
        parent = para.parent
        if tag == "div":
            parent = para
        level = 0
        while parent is not None and level < 3 and parent.tag not in ("html", None):
            key = parent.mem_id
            if key not in nodes:
                nodes[key] = parent
                scores[key] = _class_weight(parent) + _tag_weight(parent.tag)
            divider = 1.0 if level == 0 else (2.0 if level == 1 else 6.0)
            scores[key] += score / divider
            parent = parent.parent
            level += 1

    if not scores:
        return []
    final = {k: scores[k] * (1.0 - _link_density(nodes[k])) for k in scores}
    ranked = sorted(final, key=final.__getitem__, reverse=True)
    top_key = ranked[0]
    top = nodes[top_key]
    top_score = final[top_key]
    # Readability: when several near-best candidates (one per paragraph "card") share an ancestor,
    # the article is that ancestor.
    near = [nodes[k] for k in ranked[1:6] if final[k] >= 0.75 * top_score]
    if len(near) >= 3:
        lineages = [_ancestor_ids(n) for n in near]
        parent = top.parent
        while parent is not None and parent.tag not in ("html", "body"):
            if sum(1 for lineage in lineages if parent.mem_id in lineage) >= 3:
                top = parent
                top_score = final.get(parent.mem_id, top_score)
                break
            parent = parent.parent
    # Readability: when a parent holds almost the same score, the content is spread over siblings.
    parent = top.parent
    while parent is not None and parent.tag not in ("html", "body") and parent.mem_id in scores:
        parent_score = scores[parent.mem_id] * (1.0 - _link_density(parent))
        if parent_score < top_score * 0.8:
            break
        top, top_score = parent, parent_score
        parent = parent.parent

    chosen = [top]
    parent = top.parent
    if parent is not None:
        threshold = max(10.0, top_score * 0.2)
        for sibling in _element_children(parent):
            if sibling.mem_id == top.mem_id:
                continue
            key = sibling.mem_id
            if key in scores and scores[key] * (1.0 - _link_density(sibling)) >= threshold:
                chosen.append(sibling)
            elif sibling.tag == "p":
                text = sibling.text()
                density = _link_density(sibling)
                if (len(text) > 80 and density < 0.25) or (
                    0 < len(text) <= 80 and density == 0 and re.search(r"\.( |$)", text)
                ):
                    chosen.append(sibling)
        if len(chosen) > 1:
            order = {n.mem_id: i for i, n in enumerate(_element_children(parent))}
            chosen.sort(key=lambda n: order.get(n.mem_id, 0))
    if len(chosen) == 1:
        chosen = _same_class_chunks(body, top, final, top_score) or chosen
    return chosen


def _same_class_chunks(
    body: LexborNode, top: LexborNode, final: dict[int, float], top_score: float
) -> list[LexborNode]:
    """Articles cut into chunks between ads ("article__chunks" > "grid--item body" ×N) repeat the
    class of the best container: take every such chunk that carries text, in document order."""
    cls = top.attributes.get("class")
    if not cls or not top.tag:
        return []
    same = [n for n in body.css(f"{top.tag}[class]") if n.attributes.get("class") == cls]
    if len(same) < 2:
        return []
    kept = [
        n
        for n in same
        if n.mem_id == top.mem_id or (final.get(n.mem_id, 0.0) >= 0.1 * top_score and _link_density(n) < 0.3)
    ]
    # A nested chunk is already inside its outer one.
    kept_ids = {n.mem_id for n in kept}
    return [n for n in kept if not (_ancestor_ids(n) & kept_ids)]


def _ancestor_ids(node: LexborNode) -> set[int]:
    ids = set()
    current = node.parent
    while current is not None:
        ids.add(current.mem_id)
        current = current.parent
    return ids


def _element_children(node: LexborNode) -> Iterable[LexborNode]:
    for child in node.iter(include_text=False):
        if child.tag and not child.tag.startswith("-"):
            yield child


def _drop_unlikely(body: LexborNode) -> None:
    """Remove boxes whose class/id says menu, share, related … unless they hold much of the page's
    text (a wrapper named "widget-wrap" or "hidden-xs" can hold the whole article)."""
    total = len(body.text())
    doomed = list(body.css(", ".join(GENERIC_SOFT_DROP)))
    for node in body.css("[class], [id]"):
        if node.tag in _NEVER_UNLIKELY:
            continue
        attrs = node.attributes
        if _unlikely_hint(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
            doomed.append(node)
    total_p = _paragraph_text(body)
    if total_p >= 200:
        # Judge by paragraph text: a sidebar of links has none, an article wrapper has most of it.
        limit = 0.4 * total_p
        # Raw text bounds paragraph text: only big boxes need the paragraph count.
        chosen = {
            node.mem_id: node
            for node in doomed
            if len(node.text()) <= limit or _paragraph_text(node) <= limit
        }
    else:
        chosen = {node.mem_id: node for node in doomed if len(node.text()) <= 0.3 * total}
    # Decompose only the outermost of nested boxes: a freed descendant must not be touched again.
    outermost = []
    for node in chosen.values():
        current = node.parent
        while current is not None and current.mem_id not in chosen:
            current = current.parent
        if current is None:
            outermost.append(node)
    for node in outermost:
        node.decompose()


def _paragraph_text(node: LexborNode) -> int:
    return sum(len(p.text()) for p in node.css("p"))


_NEVER_UNLIKELY = frozenset({"body", "html", "article", "main", "a", "table", "tbody", "tr", "td", "p"})
_HINT_CACHE: dict[str, bool] = {}


def _unlikely_hint(hint: str) -> bool:
    """Class/id hints repeat a lot within and across pages: remember the verdicts."""
    verdict = _HINT_CACHE.get(hint)
    if verdict is None:
        low = hint.lower()
        verdict = bool(_UNLIKELY.search(low)) and not _MAYBE.search(low)
        if len(_HINT_CACHE) > 20000:
            _HINT_CACHE.clear()
        _HINT_CACHE[hint] = verdict
    return verdict


def _class_weight(node: LexborNode) -> float:
    attrs = node.attributes
    weight = 0.0
    for value in (attrs.get("class"), attrs.get("id")):
        if not value:
            continue
        value = value.lower()
        if _NEGATIVE.search(value):
            weight -= 25.0
        if _POSITIVE.search(value):
            weight += 25.0
    return weight


def _tag_weight(tag: str | None) -> float:
    if tag in ("div", "article", "main", "section"):
        return 5.0
    if tag in ("pre", "td", "blockquote"):
        return 3.0
    if tag in ("ol", "ul", "dl", "dd", "dt", "li", "form", "address"):
        return -3.0
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th"):
        return -5.0
    return 0.0


def _link_density(node: LexborNode) -> float:
    text_length = len(node.text())
    if text_length == 0:
        return 1.0
    linked = sum(len(a.text()) for a in node.css("a"))
    return min(1.0, linked / text_length)
