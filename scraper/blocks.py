"""The block-text walker: any container → clean paragraphs, and the pruning of boilerplate blocks.

``blocks(node)`` / ``paragraphs(node)`` turn any container into clean paragraphs (one per block
element, ``<br><br>`` splits), each block knowing how much of it is link text.

``prune(blocks, generic=…)`` then drops link-dense blocks, and on unknown sites the short
non-sentences at the edges of the body and short date/byline lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from scraper.fields import clean

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
    }
)
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "canvas",
        "button",
        "input",
        "select",
        "textarea",
        "option",
        "form",
        "object",
        "embed",
        "video",
        "audio",
        "map",
        "head",
        "link",
        "meta",
        "title",
        "img",
        "picture",
        "source",
        "math",
    }
)
# Always removed from a generic page before scoring.


@dataclass(frozen=True)
class Block:
    """One paragraph of text, how much of it sits inside links and how much is bold."""

    text: str
    linked: int  # characters of the text inside <a>
    bold: bool = False  # the whole block is <strong>/<b> (a sapo printed at the top of the body)

    @property
    def link_density(self) -> float:
        """Share of the text inside links, 0.0 to 1.0."""
        return self.linked / len(self.text) if self.text else 0.0


@dataclass
class _Frame:
    """One open element of the block walk (see ``blocks``)."""

    children: Iterator[LexborNode]
    in_link: bool
    in_bold: bool
    block: bool
    previous_br: bool = False


def paragraphs(node: LexborNode) -> list[str]:
    """Return the clean text of each block of a container, in document order.

    Inline markup joins into its block ("Cụm thi đua <b>số 3</b>" → "Cụm thi đua số 3"); scripts,
    forms and media are skipped; ``<br><br>`` starts a new paragraph, a single ``<br>`` is a space.
    """
    return [block.text for block in blocks(node)]


def blocks(node: LexborNode) -> list[Block]:
    """Like ``paragraphs`` but each block also counts its linked characters."""
    out: list[Block] = []
    buf: list[str] = []
    counts = [0, 0, 0]  # characters: linked, bold, all (stripped text pieces)

    def flush() -> None:
        text = clean("".join(buf))
        buf.clear()
        if text:
            linked, bold, total = counts
            out.append(Block(text, min(linked, len(text)), bold=total > 0 and bold >= 0.95 * total))
        counts[:] = [0, 0, 0]

    # An explicit stack, not recursion: a page of ~1,000 nested inline elements (7 KB) must not
    # raise RecursionError. Each frame: the children still to read, whether they sit inside a link
    # and inside bold, whether the previous sibling was a <br>, and whether the frame is a block
    # (a block ends its paragraph when it closes).
    stack: list[_Frame] = [_Frame(node.iter(include_text=True), False, False, False)]
    while stack:
        frame = stack[-1]
        child = next(frame.children, None)
        if child is None:
            stack.pop()
            if frame.block:
                flush()
            continue
        tag = child.tag
        if tag == "-text":
            content = child.text_content or ""
            buf.append(content)
            size = len(content.strip())
            if size:
                frame.previous_br = False
                counts[0] += size if frame.in_link else 0
                counts[1] += size if frame.in_bold else 0
                counts[2] += size
            continue
        if tag == "br":
            if frame.previous_br:
                flush()
            else:
                buf.append(" ")
            frame.previous_br = True
            continue
        frame.previous_br = False
        if tag is None or tag.startswith("-") or tag in SKIP_TAGS:
            continue
        if tag in BLOCK_TAGS:
            flush()
            # A block restarts bold tracking, as the recursive walk did (``walk(child, in_link)``).
            stack.append(_Frame(child.iter(include_text=True), frame.in_link, False, True))
        else:
            stack.append(
                _Frame(
                    child.iter(include_text=True),
                    frame.in_link or tag == "a",
                    frame.in_bold or tag in ("strong", "b"),
                    False,
                )
            )
    flush()
    return out


_SENTENCE_END = re.compile(r"[.!?…:;\"”»)’']$")
_DATELINE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2} "
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bmin read\b|\bupdated\b|\bpublished\b|cập nhật|ngày đăng",
    re.IGNORECASE,
)


def _is_dateline(text: str) -> bool:
    return len(text) < 100 and len(text.split()) < 15 and _DATELINE.search(text) is not None


def prune(found: list[Block], *, generic: bool) -> list[Block]:
    """Drop boilerplate blocks from an article body and return the texts.

    Everywhere: blocks that are mostly links ("SEE MORE: …", lists of other stories). On pages of
    unknown sites also: short non-sentences at the start and end of the body (section names, "Save",
    "Follow the author"), and short date/byline lines ("Nov 18, 2019 at 9:24 pm ET • 2 min read").
    Returns the blocks kept, in order.
    """
    kept = [b for b in found if not (b.link_density > 0.5 and len(b.text) < 400)]
    if not generic:
        return kept
    kept = [b for b in kept if not _is_dateline(b.text)]

    def weak(block: Block) -> bool:
        return len(block.text) < 60 and not _SENTENCE_END.search(block.text)

    while kept and weak(kept[0]):
        kept.pop(0)
    while kept and weak(kept[-1]):
        kept.pop()
    return kept
