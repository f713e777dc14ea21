"""Article extraction from HTML: parse once, cut the page into blocks, find the region that holds
the article, then cut the boilerplate inside it.

1. The page is parsed by lexbor (an HTML5 parser) after a linear guard flattens pathological
   nesting. Metadata is read from the tree before anything is removed.
2. A walk over the tree (iterative, depth-bounded) turns every run of text between block-level
   boundaries into a ``Block`` and remembers the chain of elements above it.
3. Every block gets a weight: prose (long, punctuated, few links) counts for its length; link
   lists, short fragments and blocks under a boilerplate-named container (share, related,
   comments...) count against. The element whose blocks weigh the most is the article region.
4. Inside the region, blocks that read as boilerplate are cut; everything removed is kept with a
   label so the cut can be audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from copydesk.clean.blocks import Block, first_occurrences, normalize_space, repeat_key
from copydesk.clean.encoding import decode_html
from copydesk.clean.labels import label_for, text_label
from copydesk.clean.metadata import article_body, json_ld_objects, page_metadata
from copydesk.document import Extraction, PageMetadata, Removed

#: Deeper elements are read as part of their ancestor at this depth (real pages stay under 100).
MAX_DEPTH = 256

#: Never visible, or never article text.
_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
        "select", "option", "button", "input", "textarea", "video", "audio", "map", "head", "title",
        "meta", "link", "-comment", "!comment", "_comment", "dialog",
    }
)
#: Elements that start a new block of text.
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "h1", "h2", "h3",
        "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "thead",
        "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "form", "fieldset",
        "legend", "address", "details", "summary", "hr", "br", "center", "body", "html", "menu",
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements whose whole content is page furniture by definition.
_FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "menu"})
_VOID_TAGS = "area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr|p|li|td|tr|th|option|dt|dd"
_TAG = re.compile(rf"<(/?)(?!(?:{_VOID_TAGS})[\s/>])[a-zA-Z][^>]*>", re.I)

#: Words in class and id tokens that mark boilerplate containers, across CMSes. A word counts
#: when it is a whole part of a token ("social-links", "post_comments", "sidebar2"), never
#: inside another word ("header" has no "ad"); "tag-xyz" is a taxonomy marker, not a tag list.
_BOILERPLATE_WORD = re.compile(
    r"(?:^|[-_])(?:"
    r"share|shares|sharing|social|sociable|related|recommend\w*|more-?stories|readmore|popular|"
    r"trending|outbrain|taboola|comments?|disqus|newsletters?|signup|subscribe|subscription|"
    r"promo\w*|sponsor\w*|ads?|advert\w*|adsense|dfp|banner|widgets?|sidebar|rail|nav|navbar|"
    r"navigation|menu|breadcrumbs?|pagination|pager|footer|masthead|cookies?|consent|gdpr|modal|popup|"
    r"tags|taglist|tagcloud|byline|bio|meta|dateline|timestamp|caption|credits?|toolbar|tools|skip|"
    r"sr-only|visually-hidden|screen-reader-text"
    r")(?:$|[-_\d])"
)
#: Tokens made only of these words name the article container ("entry-content", "post-1234").
_CONTENT_TOKEN = re.compile(
    r"^(?:article|story|post|entry|content|main|body|text|blog|hentry|prose|richtext|rich-text|"
    r"single|page|column|col|area|wrap|wrapper|inner|container|holder|section|block|detail|details|"
    r"full|copy|news|[0-9]+)(?:[-_]+(?:article|story|post|entry|content|main|body|text|blog|prose|"
    r"single|page|column|col|area|wrap|wrapper|inner|container|holder|section|block|detail|details|"
    r"full|copy|news|[0-9]+))*$"
)
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)]\s*$")
_PUNCTUATION = re.compile(r"[.,;:!?…]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

#: A block of at least this many characters with sentence punctuation reads as prose.
_PROSE_CHARS = 60
#: Share of a block's text in links above which it reads as a link list.
_LINK_LIST = 0.5


@dataclass(frozen=True, slots=True)
class _Element:
    tag: str
    hints: str
    #: Named like page furniture (and not like the article).
    boilerplate: bool = False
    #: Named like the article container.
    content: bool = False


def _element(tag: str, hints: str) -> _Element:
    tokens = hints.split()
    content = any(_CONTENT_TOKEN.match(t) for t in tokens)
    boilerplate = tag in _FURNITURE_TAGS or (not content and any(_BOILERPLATE_WORD.search(t) for t in tokens))
    return _Element(tag, hints, boilerplate, content)


@dataclass(frozen=True, slots=True)
class _Piece:
    """A block with the indices of the elements above it, outermost first."""

    block: Block
    path: tuple[int, ...]


def clean_html(html: str | bytes, url: str = "") -> Extraction:
    text = decode_html(html) if isinstance(html, bytes) else html
    tree = LexborHTMLParser(flatten_deep_nesting(text, MAX_DEPTH))
    objects = json_ld_objects(tree)
    metadata = page_metadata(tree, objects)
    root = tree.body
    if root is None:
        return Extraction("html", metadata.title, "", (), metadata=metadata)
    elements, pieces = page_blocks(root)
    sizes = subtree_sizes(elements, pieces)
    region = article_region(elements, pieces, sizes, article_body(objects))
    kept, removed = cut(elements, pieces, sizes, region, metadata)
    dek = _dek(metadata, kept)
    return Extraction("html", metadata.title, dek, tuple(kept), tuple(removed), metadata)


def flatten_deep_nesting(html: str, limit: int) -> str:
    """The page with tags nested deeper than ``limit`` dropped (their text kept).

    HTML5 tree building slows down with the square of the nesting depth, so a page of 100,000
    nested divs would stall a worker; counting tags is linear and real pages never come close.
    """
    depth = peak = 0
    for match in _TAG.finditer(html):
        depth = depth - 1 if match.group(1) else depth + 1
        peak = max(peak, depth)
    if peak <= limit:
        return html
    depth = 0

    def keep_shallow(match: re.Match[str]) -> str:
        nonlocal depth
        closing = bool(match.group(1))
        depth = depth - 1 if closing else depth + 1
        return match.group(0) if depth + closing <= limit else ""

    return _TAG.sub(keep_shallow, html)


def _hints(node: LexborNode) -> tuple[str, bool]:
    """The element's class and id, lower-cased, and whether it is hidden."""
    attrs = node.attributes
    if not attrs:
        return "", False
    hidden = "hidden" in attrs or attrs.get("aria-hidden") == "true" or bool(_HIDDEN_STYLE.search(attrs.get("style") or ""))
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".strip().lower(), hidden


def page_blocks(root: LexborNode) -> tuple[list[_Element], list[_Piece]]:
    """Every run of visible text between block boundaries, in reading order."""
    elements: list[_Element] = []
    made: dict[tuple[str, str], _Element] = {}  # pages repeat a few class names many times
    pieces: list[_Piece] = []
    stack: list[tuple[LexborNode, int, bool]] = []  # (node, element index, is a link)
    parts: list[str] = []
    link_chars = 0
    links_open = 0

    def flush() -> None:
        nonlocal link_chars
        text = normalize_space("".join(parts))
        parts.clear()
        if text:
            path = tuple(index for _, index, _ in stack)
            tag = next((elements[i].tag for i in reversed(path) if elements[i].tag in _BLOCK_TAGS), "p")
            block = Block(text, len(pieces), tag, "", min(link_chars, len(text)), tag in _HEADINGS)
            pieces.append(_Piece(block, path))
        link_chars = 0

    node: LexborNode | None = root.child
    while node is not None:
        tag = node.tag
        descend = False
        if tag == "-text":
            value = node.text_content or ""
            parts.append(value)
            if links_open:
                link_chars += len(value.strip())
        elif tag not in _SKIP_TAGS and node.is_element_node:
            hints, hidden = _hints(node)
            if not hidden:
                if tag in _BLOCK_TAGS:
                    flush()
                if node.child is not None and len(stack) < MAX_DEPTH:
                    known = made.get((tag, hints))
                    if known is None:
                        known = made[tag, hints] = _element(tag, hints)
                    elements.append(known)
                    is_link = tag == "a"
                    links_open += is_link
                    stack.append((node, len(elements) - 1, is_link))
                    descend = True
                elif tag == "img":
                    parts.append(" ")
        if descend:
            node = node.child
            continue
        while node is not None and node.next is None:
            if not stack:
                node = None
                break
            node, index, is_link = stack.pop()
            links_open -= is_link
            if elements[index].tag in _BLOCK_TAGS:
                flush()
        if node is not None:
            node = node.next
    flush()
    return elements, pieces


def _is_prose(block: Block) -> bool:
    return (
        len(block.text) >= _PROSE_CHARS
        and block.link_density < _LINK_LIST
        and len(_PUNCTUATION.findall(block.text)) >= 1
    )


def _weight(block: Block, flagged: bool) -> float:
    """How much a block argues for the region holding it being the article."""
    if flagged or block.link_density >= _LINK_LIST:
        return -len(block.text)
    if _is_prose(block):
        return len(block.text) - block.link_chars + 25 * block.text.count(",")
    return -min(len(block.text), 30)


def subtree_sizes(elements: list[_Element], pieces: list[_Piece]) -> list[int]:
    """Characters of text under each element."""
    sizes = [0] * len(elements)
    for piece in pieces:
        length = len(piece.block.text)
        for index in piece.path:
            sizes[index] += length
    return sizes


def _furniture(elements: list[_Element], sizes: list[int], within: int) -> list[bool]:
    """Elements named like boilerplate that hold less than half of the text ``within`` an
    ancestor: a boilerplate-looking name on the container of most of the text is a layout or
    script hook ("js-breadcrumb", "has-sidebar"), not a verdict."""
    return [e.boilerplate and sizes[i] * 2 < within for i, e in enumerate(elements)]


def article_region(elements: list[_Element], pieces: list[_Piece], sizes: list[int], body: str = "") -> int:
    """The index of the element whose blocks weigh most as an article, or -1 for none."""
    furniture = _furniture(elements, sizes, sum(len(p.block.text) for p in pieces))
    body_keys = _body_keys(body)
    scores = [0.0] * len(elements)
    for piece in pieces:
        weight = _weight(piece.block, any(furniture[i] for i in piece.path))
        if body_keys and repeat_key(piece.block.text) in body_keys:
            weight = abs(weight) + len(piece.block.text)
        for index in piece.path:
            scores[index] += weight
    for index, element in enumerate(elements):
        if element.content and scores[index] > 0:
            scores[index] *= 1.1
    if not scores or max(scores) <= 0:
        return -1
    best = max(scores)
    # The deepest element within a hair of the best: an outer wrapper adds nothing but risk.
    return max(i for i, s in enumerate(scores) if s >= best * 0.98)


def _body_keys(body: str) -> set[str]:
    return {repeat_key(line) for line in body.splitlines() if len(line.strip()) >= _PROSE_CHARS}


def cut(
    elements: list[_Element], pieces: list[_Piece], sizes: list[int], region: int, metadata: PageMetadata
) -> tuple[list[str], list[Removed]]:
    """The region's article paragraphs, and every other block with why it was removed."""
    kept: list[str] = []
    removed: list[Removed] = []
    title_key = repeat_key(metadata.title)
    furniture = _furniture(elements, sizes, sizes[region]) if region >= 0 else []
    blocks = [p.block for p in pieces]
    for (block, repeated), piece in zip(first_occurrences(blocks), pieces, strict=True):
        if repeated:
            removed.append(Removed("duplicate", block.text))
        elif region in piece.path and _keep_in_region(piece, region, furniture, title_key):
            kept.append(block.text)
        else:
            hints = " ".join(f"{elements[i].tag} {elements[i].hints}" for i in piece.path)
            removed.append(Removed(label_for(block.text, hints), block.text))
    return kept, removed


def _keep_in_region(piece: _Piece, region: int, furniture: list[bool], title_key: str) -> bool:
    block = piece.block
    below = piece.path[piece.path.index(region) + 1 :]
    if any(furniture[i] for i in below):
        return False
    if block.link_density >= _LINK_LIST:
        return False
    if block.heading and repeat_key(block.text) == title_key:
        return False
    if len(block.text) < _PROSE_CHARS * 2 and text_label(block.text):
        return False
    return True


def _dek(metadata: PageMetadata, kept: list[str]) -> str:
    """The standfirst: the page's description unless it merely repeats the body's opening."""
    description = metadata.description
    if not description or not kept:
        return description
    opening = repeat_key(kept[0])
    key = repeat_key(description).removesuffix(" ")
    return "" if opening.startswith(key[: max(len(key) - 10, 20)]) else description
