"""Article extraction from HTML: parse once, cut the page into blocks, find the region that holds
the article, then cut the boilerplate inside it.

1. The page is parsed by lexbor (an HTML5 parser) after a linear guard flattens pathological
   nesting. Metadata is read from the tree before anything is removed.
2. One walk over the tree (lexbor's, in C) turns every run of text between block-level
   boundaries into a block and remembers the chain of elements above it.
3. Every block gets a weight: prose (long, punctuated, few links) counts for its length; link
   lists, short fragments and blocks under a container named like page furniture (share,
   related, comments...) count against. The element whose blocks weigh the most is the region.
4. Inside the region, blocks that read as boilerplate are cut. Everything removed is kept with a
   label so the cut can be audited.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import compress, count, islice
from operator import attrgetter
from typing import NamedTuple

import numpy as np
from selectolax.lexbor import LexborHTMLParser, LexborNode

from copydesk.clean.blocks import CLOSERS, FULL_STOPS, IDEOGRAPHS, best_effort, first_occurrences, normalize_space, repeat_key, shape_and_key
from copydesk.clean.encoding import decode_html
from copydesk.clean.labels import (
    BYLINE_OPENING,
    LABEL_GROUPS,
    MONTH,
    READER_CALLS,
    SHORT_CALL_CHARS,
    fallback_label,
    hint_label,
    text_label,
)
from copydesk.clean.metadata import read_metadata
from copydesk.clean.context import StagedModel, shipped_staged
from copydesk.clean.model import expected_f1_keeps, feature_rows, following_shares, neighbours, whole_groups
from copydesk.clean.page import page_features, page_type_and_confidence
from copydesk.document import Extraction, PageMetadata, Removed

#: Tags nested deeper than this are dropped before parsing, their text kept (real pages stay
#: under 100; HTML5 tree building slows down with the square of the depth).
MAX_DEPTH = 512
#: A page with fewer opening tags than this cannot nest deeper, and lexbor builds even that
#: deep a tree in a few milliseconds: such pages skip the depth scan. Every '<' not followed
#: by '/' may open one; two counts of the page bound them where the scan would read each tag.
_UNCHECKED_TAGS = 2048
#: A tag longer than this keeps only its first attributes (which keeps a long data URI or JSON
#: value whole: only attributes past the first few are dropped, and real tags have far fewer).
_HEAVY_TAG_CHARS = 16 * 1024
_HEAVY_TAG_KEPT_ATTRIBUTES = 64
#: Pages of the extraction benchmark have at most ~14,000 '='; tags past 2,000 attributes are
#: looked for only on pages with more.
_MANY_EQUALS = 20_000
_TAG_OPEN = re.compile(r"<[a-zA-Z][^\s/<>]*")
_ATTRIBUTE_PATTERN = r"""\s+[^\s=/<>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s<>"']*))?"""
_ATTRIBUTE = re.compile(_ATTRIBUTE_PATTERN)
_HEAVY_TAG = re.compile(rf"(<[a-zA-Z][^\s/<>]*(?:{_ATTRIBUTE_PATTERN}){{{_HEAVY_TAG_KEPT_ATTRIBUTES}}})(?:{_ATTRIBUTE_PATTERN}){{2000,}}")
#: A run of more than _HEAVY_TAG_CHARS characters without '>' holds a whole stretch of this many
#: that starts at a multiple of it, so looking for a '>' in each such stretch finds every run.
_RUN_PROBE = (_HEAVY_TAG_CHARS + 1) // 2
#: The bytes of '<', '/' and '=' in UTF-8.
_LT, _SLASH, _EQUALS = b"</="

#: Never visible, or never article text. A ruby's readings (``rt``, and the brackets ``rp`` puts
#: round them where ruby is not drawn) annotate the text they sit on (Japanese furigana, Chinese
#: pinyin): read inline they would split its every word.
_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
        "select", "option", "button", "input", "textarea", "video", "audio", "map", "dialog", "rt", "rp",
    }
)
#: Cut whole before the walk, with the elements of these roles.
_CUT_TAGS = ("nav", "aside", "footer", "menu", "header")
#: Templates whose content a browser shows, as a shadow root (older pages say "shadowroot").
_SHADOW_ROOTS = "template[shadowrootmode], template[shadowroot]"
_CUT_ROLES = frozenset({"navigation", "complementary", "contentinfo", "banner", "search"})
#: Hidden elements and furniture, and more: every selector costs lexbor a test of every node,
#: so roles and styles are searched for whole and told apart by ``_is_furniture``.
_FURNITURE_SEARCH = ", ".join([*_CUT_TAGS, "[role]", "[hidden]", "[style]", _SHADOW_ROOTS])
_HIDDEN_STYLE = re.compile(r"display:\s?none|visibility:hidden")
_NOSCRIPT = re.compile(r"<noscript", re.IGNORECASE)
#: Elements that start a new block of text.
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "h1", "h2", "h3",
        "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "thead",
        "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption", "form", "fieldset",
        "legend", "address", "details", "summary", "hr", "br", "center", "body", "html", "menu",
    }
)
#: Inline formatting whose class names say nothing about the page's layout: their attributes
#: are not read.
_PLAIN_INLINE_TAGS = frozenset(
    {"b", "i", "em", "strong", "u", "s", "small", "big", "sup", "sub", "abbr", "cite", "code", "mark", "q",
     "br", "wbr", "img", "picture", "source", "font", "time"}
)
#: Block-level elements that hold other blocks rather than being one (a div with text of its
#: own is both).
_CONTAINER_TAGS = frozenset(
    {
        "div", "section", "article", "main", "header", "footer", "nav", "aside", "ul", "ol", "dl", "table",
        "thead", "tbody", "tfoot", "tr", "form", "fieldset", "details", "center", "body", "html", "menu", "figure",
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements whose whole content is page furniture by definition.
_FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "menu", "figure", "figcaption"})

#: area, base, br, col, embed, hr, img, input, link, meta, param, source, track, wbr, p, li, td,
#: tr, th, option, dt and dd, grouped by their first letters: the scan tries a dozen branches
#: at each tag instead of two dozen.
_VOID_TAGS = r"a(?:rea)|b(?:ase|r)|col|d[dt]|embed|hr|i(?:mg|nput)|li(?:nk)?|meta|option|p(?:aram)?|source|t(?:rack|[dhr])|wbr"
#: An opening or closing tag of an element that can hold others (void and self-closing-by-
#: context elements never add depth).
_NESTING_TAG_NAME = rf"<(/?)(?!(?:{_VOID_TAGS})[\s/>])([a-zA-Z][^\s/<>]*)"
# The rest of the tag ends at the next '<' as well as at '>' (with '[^>]*' every '<' of a page
# without '>' would rescan the rest of it); a tag whose attributes hold a '<' has no rest.
_NESTING_TAG = re.compile(rf"{_NESTING_TAG_NAME}([^<>]*>)?", re.I)
#: The opening of a ``_NESTING_TAG``, for the scan that only measures depth: the rest of a tag
#: holds no '<', so it finds the same tags where the rewrite does, without reading attributes
#: (half the time of the scan on pages of long tags).
_NESTING_TAG_START = re.compile(_NESTING_TAG_NAME, re.I)
#: lexbor's tag ids of text and comment nodes.
_TEXT_NODE = 2
_COMMENT_NODE = 4

#: Words in class and id tokens that mark boilerplate containers, across CMSes. A word counts
#: when it is a whole part of a token ("social-links", "post_comments", "sidebar2"), never
#: inside another word ("header" has no "ad"); "tag-xyz" is a taxonomy marker, not a tag list.
_BOILERPLATE_WORD = re.compile(
    r"(?:^|[\s_-])(?:"
    r"share|shares|sharing|social|sociable|related|recommend\w*|more-?stories|readmore|popular|"
    r"trending|outbrain|taboola|comments?|disqus|newsletters?|signup|subscribe|subscription|"
    r"gallery|slideshow|carousel|promo\w*|sponsor\w*|ads?|advert\w*|adsense|dfp|banner|sidebar|rail|nav|navbar|"
    r"navigation|menu|breadcrumbs?|pagination|pager|prev|previous|footer|masthead|cookies?|consent|gdpr|modal|popup|"
    r"tags|taglist|tagcloud|byline|bio|meta|dateline|timestamp|caption|credits?|toolbar|tools|skip|"
    r"sr-only|visually-hidden|screen-reader-text"
    r")(?=$|[\s_\d-])"
)
_NEVER_ARTICLE_WORD = re.compile(
    r"(?:^|[\s_-])(?:footer|comments?|disqus|cookies?|consent|gdpr|newsletters?|signup|masthead)(?=$|[\s_\d-])"
)
#: Tokens that describe the page layout around an element ("content-with-sidebar", "has-ads").
_LAYOUT_WORD = re.compile(r"(?:^|[\s_-])(?:with|has|no|without)[-_]")
#: Class names of a standfirst.
_DEK_WORD = re.compile(r"(?:^|[\s_-])(?:dek|standfirst|teaser|subtitle|subheadline|strapline|summary|excerpt|lede)(?=$|[\s_\d-])")
_CONTAINER_WORDS = (
    r"article|story|post|entry|content|main|body|text|blog|hentry|prose|richtext|rich-text|single|page|"
    r"column|col|area|wrap|wrapper|inner|container|holder|section|block|detail|details|full|copy|news|[0-9]+"
)
#: Tokens made only of these words name the article container ("entry-content", "post-1234",
#: "article__body").
_CONTENT_TOKEN = re.compile(rf"(?:^|\s)(?:{_CONTAINER_WORDS})(?:[-_]+(?:{_CONTAINER_WORDS}))*(?=\s|$)")
#: Dates, times and the words that go with them in datelines; what is left of a dateline once
#: they are gone is at most a few words (a name, a place).
_DATE_PARTS = re.compile(
    rf"\b(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?(?:\s+\d{{4}})?|"
    r"\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|"
    r"(?:19|20)\d{2}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|updated|published|posted|last|modified|"
    r"on|at|am|pm|utc|gmt|[ecmp][sd]t|hst|ist|cet|bst)\b|[|,:/·•–—-]",
    re.I,
)
_DIGIT = re.compile(r"\d")
_BYLINE = re.compile(rf"^{BYLINE_OPENING}\s+\S", re.I)
#: Who else worked on the story, the wire services' closing line: "Jane Roe contributed to
#: this report.", "Reporting by Jane Roe; Editing by John Doe", "Additional reporting by ...".
_CREDIT_LINE = re.compile(
    r"\bcontributed (?:reporting )?to (?:this|the) (?:report|story|article)\b|\badditional reporting by\b|"
    r"^(?:reporting|writing|editing|compiled|edited|written) by\b.{0,200}$",
    re.I,
)
_SENTENCE_END = re.compile(f"[{FULL_STOPS}…][{re.escape(CLOSERS)}]*$")
#: Sentence and clause marks of the scripts that have them: full stops (``blocks.FULL_STOPS``),
#: and the pauses of Latin, CJK (full-width too) and Arabic.
_PUNCTUATION = re.compile(f"[{FULL_STOPS}…,;:、，．；：،؛]")
#: Kana and CJK ideographs: a character says about as much as three of an alphabet.
_IDEOGRAPHIC = re.compile(f"[{IDEOGRAPHS}]")
_IDEOGRAPH_CHARS = 3
#: Thai, Lao and Khmer, written without sentence punctuation: a long run of them is prose.
_UNPUNCTUATED_SCRIPT = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff]")
#: A text cut short: "... may soon...", "… [...]".
_TRUNCATED = re.compile(r"(?:\.\.\.|…|\[(?:…|\.\.\.)\])[\"'”’»)\]]*$")

#: A block of at least this many characters (of an alphabet) with some punctuation reads as prose.
_PROSE_CHARS = 60
#: Share of a block's text in links above which it reads as a link list.
_LINK_LIST = 0.5
#: How many enclosing elements name a removed block's label (outer ones describe the layout).
_LABEL_CONTEXT = 2
#: Notices (cookies, appeals, sign-up boxes) are shorter than this.
_NOTICE_CHARS = 400
#: What a notice at the edge of the body asks for (a closing line on copyright or cookies may
#: still be the article's own).
_NOTICE_LABELS = frozenset({"appeal", "subscription", "newsletter", "share"})
#: How many of the visible paragraphs are looked for in a declared article body.
_OPENING_PARAGRAPHS = 10
#: Labels come from what a block says first; reading further costs time and adds nothing.
_LABEL_CHARS = 100
#: A container with at least this many paragraphs cut short, at least half of its paragraphs,
#: is a list of teasers: excerpts of other pages, however much they read like prose.
_MIN_TEASERS = 3


class _Element(NamedTuple):
    """An element as its tag, class and id describe it. A named tuple, not a dataclass: pages
    bring new class names all the time, and a frozen dataclass is slower to build."""

    tag: str
    hints: str
    #: Named like page furniture (and not like the article).
    boilerplate: bool = False
    #: Named like furniture that never holds the article (footers, comments, cookie notices).
    never_article: bool = False
    #: How the element reads in the hints of a removed block's label: its tag and names.
    context: str = ""
    #: Named like the article's container ("entry-content", "article__body").
    content_named: bool = False


_IS_BOILERPLATE = attrgetter("boilerplate")
_IS_CONTENT_NAMED = attrgetter("content_named")


@dataclass(frozen=True, slots=True)
class _Page:
    """A page as blocks of text under a tree of elements, parents before children."""

    elements: list[_Element]
    #: Each element's parent's index, -1 for the root.
    parents: list[int]
    pieces: list[_Piece]
    #: The indices of the elements named like furniture (a page has few).
    boilerplate: frozenset[int]
    #: Each element's subtree as indices: from its own to (not including) this one.
    ends: list[int]

    def under(self, marked: Collection[int]) -> list[bool]:
        """For each element, whether it or an element above it is in ``marked``. A block's own
        path is never copied or searched: a tree thousands deep would make that quadratic."""
        found = [False] * len(self.elements)
        for index in sorted(marked):  # outer before inner: an inner one is already covered
            if index >= 0 and not found[index]:
                end = self.ends[index]
                found[index:end] = [True] * (end - index)
        return found

    def nearest(self, marked: Collection[int]) -> list[int]:
        """For each element, the closest of itself and the elements above it in ``marked``, or -1."""
        found = [-1] * len(self.elements)
        parents = self.parents
        # Only subtrees of marked elements are walked: the rest of the page keeps -1.
        for top in sorted(marked):  # outer before inner: an inner one is already done
            if found[top] < 0:
                found[top] = top
                for index in range(top + 1, self.ends[top]):
                    found[index] = index if index in marked else found[parents[index]]
        return found

    def path(self, index: int, most: int) -> list[int]:
        """The element and up to ``most - 1`` of those above it, outermost first."""
        path: list[int] = []
        while index >= 0 and len(path) < most:
            path.append(index)
            index = self.parents[index]
        return path[::-1]


class _Piece(NamedTuple):
    """A block of text and the innermost element holding it. A named tuple, not a dataclass: a
    page has hundreds and building them is a hot spot."""

    text: str
    link_chars: int
    tag: str
    element: int
    #: Long, punctuated and not a list of links: reads like a paragraph of an article.
    prose: bool
    #: The innermost container above the text (a div, section, list...; not the paragraph):
    #: where the block's weight as article text counts.
    holder: int
    #: At least half of its text is in links.
    link_list: bool
    #: An excerpt of another page in a list of them (never prose).
    teaser: bool = False
    #: Under an element ``mark_furniture`` marked: _CUT, _HIDDEN or both.
    marked: int = 0


#: A _Piece from a tuple of all its fields, made by the tuple constructor in C (as tokens and
#: entities make theirs): a named tuple's own constructor is Python code.
_new_piece = partial(tuple.__new__, _Piece)


class Analysis(NamedTuple):
    """A page as the hand rules see it: its blocks, the region they chose and each block's
    verdict. The block model reads its features from this."""

    page: _Page
    sizes: list[float]
    region: int
    verdicts: list[str]
    metadata: PageMetadata
    #: The article body the page's structured data declares, if any.
    declared: str


def analyse(html: str | bytes, *, scripted: bool = True) -> Analysis:
    """Parse the page and run the hand rules. ``scripted``: read the page as a browser that
    runs scripts shows it, without ``<noscript>``."""
    text = decode_html(html) if isinstance(html, bytes) else html
    tree = LexborHTMLParser(_guarded(text))
    metadata, declared = read_metadata(tree)
    root = _shown_body(tree)
    if root is None:
        return Analysis(_Page([], [], [], frozenset(), []), [], -1, [], metadata, declared)
    if not scripted:
        root.unwrap_tags(["noscript"])
    page = page_blocks(root, mark_furniture(root))
    sizes = _prose_sizes(page)
    region = article_region(page, sizes, declared)
    return Analysis(page, sizes, region, verdicts(page, sizes, region, metadata), metadata, declared)


def clean_html(html: str | bytes, url: str = "", *, model: StagedModel | None = None) -> Extraction:
    """The article of an HTML page: the blocks the block model keeps (``model``, else the
    shipped one), and every other block with why it was removed."""
    model = model or shipped_staged()
    html = decode_html(html) if isinstance(html, bytes) else html
    analysis = analyse(html)
    features = block_features(analysis)
    probabilities = model.probabilities(analysis, features, url)
    keep = block_keeps(probabilities, features)
    kept, removed = cut(analysis.page, decide(analysis, _shown_first(analysis.page, keep)))
    # A declared body no longer than twice the visible text is never taken: it is not read.
    declared = declared_paragraphs(analysis.declared) if len(analysis.declared) >= 2 * sum(map(len, kept)) else []
    # Without a <noscript> the two readings are one: most pages, and page-sized bombs of tiny
    # blocks would pay for every block twice.
    if not declared and not any(map(_reads_as_prose, kept)) and _NOSCRIPT.search(html):
        # A page that shows no article may hold one for readers without scripts (a forum's
        # crawler view, a blog whose posts scripts render from a template, in <noscript>); only
        # prose there makes one ("enable JavaScript" does not). A page that shows no block at
        # all is what it holds there, for best effort too.
        unscripted = analyse(html, scripted=False)
        rows = block_features(unscripted)
        found = cut(unscripted.page, decide(unscripted, block_keeps(model.probabilities(unscripted, rows, url), rows)))
        if any(map(_reads_as_prose, found[0])) or not analysis.page.pieces:
            kept, removed = found
    kept = _declared_instead(kept, declared)
    if not kept:
        kept, removed = best_effort(removed)
    metadata = analysis.metadata
    texts = [piece.text for piece in analysis.page.pieces]
    about = page_features(url, metadata.types, texts, dict(zip(FEATURES, features.T)), probabilities, keep)
    return Extraction(
        "html", metadata.title, _dek(metadata, kept), tuple(kept), tuple(removed), metadata,
        *page_type_and_confidence(about, metadata.types),
    )


def block_keeps(probabilities: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Which blocks (``rows`` of ``block_features``, article text with ``probabilities``) are
    kept: the likeliest, as many as make the page's expected word F1 the highest. A block is
    worth keeping when its probability reaches about half the F1 the page can expect, so a
    doubtful teaser among sure paragraphs goes, and on a page of doubtful blocks (a listing, a
    forum thread) the likelier of them stay, where one threshold treats both alike. A page
    that most likely shows no article text (only navigation) keeps none."""
    words = np.maximum(np.rint(np.expm1(rows[:, _LOG_WORDS])), 1.0)
    return expected_f1_keeps(probabilities, words, or_none=True)


def _shown_first(page: _Page, keep: np.ndarray) -> np.ndarray:
    """``keep`` without the hidden blocks when it keeps prose the page shows: hidden text is the
    article only on a page that shows none (a body rendered hidden for scripts to reveal)."""
    hidden = np.fromiter((piece.marked & _HIDDEN > 0 for piece in page.pieces), bool, len(page.pieces))
    prose = np.fromiter((piece.prose for piece in page.pieces), bool, len(page.pieces))
    return keep & ~hidden if (keep & prose & ~hidden).any() else keep


def decide(analysis: Analysis, keep: np.ndarray) -> list[str]:
    """Each block's verdict: kept where ``keep`` (with ``whole_holders``) says so; a removed
    block keeps the hand rules' reason when they had one (a repeat, a teaser)."""
    decided = [
        ("dek" if verdict == "dek" else "") if kept else ("?" if verdict in ("", "dek") else verdict)
        for kept, verdict in zip(whole_holders(analysis, keep), analysis.verdicts, strict=True)
    ]
    return _cut_edges(analysis, decided)


def whole_holders(analysis: Analysis, keep: np.ndarray) -> np.ndarray:
    """``keep`` with every shown paragraph of a container whose paragraphs it mostly keeps
    (``model.whole_groups``). A paragraph the hand rules removed (a repeat, a teaser) stays
    removed."""
    pieces = analysis.page.pieces
    paragraph = np.fromiter(
        (piece.prose and not piece.marked & _HIDDEN and verdict in ("", "dek") for piece, verdict in zip(pieces, analysis.verdicts)),
        bool, len(pieces),
    )
    holders = np.fromiter((piece.holder for piece in pieces), np.intp, len(pieces))
    return whole_groups(holders, np.fromiter((len(piece.text) for piece in pieces), np.float64, len(pieces)), paragraph, keep)


def _cut_edges(analysis: Analysis, decided: list[str]) -> list[str]:
    """``decided`` with the kept blocks at the body's edges that are not its text marked "edge":
    before its first paragraph the headline, a byline or a dateline (the record's title,
    authors and date), after its last a notice (an offer, an appeal, the credits) or a heading
    over what was cut, and anywhere a short line that only calls on the reader. Labelled pages
    differ on these (WCXB's truth keeps headings and bylines), the record's contract does not:
    its text is the body alone."""
    pieces = analysis.page.pieces
    for i, piece in enumerate(pieces):
        # A short line that only calls on the reader ("Advertisement", "Sign up for our
        # newsletter", "Related articles") is never the article's, wherever it stands.
        if not decided[i] and len(piece.text) < SHORT_CALL_CHARS and _text_label(piece.text[:_LABEL_CHARS]) in READER_CALLS:
            decided[i] = "edge"
    paragraphs = [i for i, verdict in enumerate(decided) if not verdict and pieces[i].prose and pieces[i].tag not in _HEADINGS]
    if not paragraphs:
        return decided
    title_key = repeat_key(analysis.metadata.title)
    for i in range(paragraphs[0]):
        text = pieces[i].text
        if not decided[i] and (pieces[i].tag == "h1" or _is_dateline(text) or repeat_key(text) == title_key):
            decided[i] = "edge"
    for i in range(paragraphs[-1], len(decided)):
        # A heading after the last paragraph heads what was cut (comments, other stories).
        if not decided[i] and (_is_notice(pieces[i].text) or pieces[i].tag in _HEADINGS):
            decided[i] = "edge"
    return decided


def _attach_shadow_roots(root: LexborNode) -> None:
    """Templates that declare a shadow root (declarative shadow DOM), replaced by their content,
    which browsers show; other templates stay inert. Nested ones are found without recursion and
    attached innermost first: a template moved with its content still inside would lose it."""
    found: list[LexborNode] = []
    pending = [root]
    while pending:
        for template in pending.pop().css(_SHADOW_ROOTS):
            found.append(template)
            pending.extend(template.template_fragments())
    for template in reversed(found):
        for content in template.template_fragments():
            for child in list(content.iter(include_text=True)):
                template.insert_before(child)
        template.decompose()


def _declared_instead(kept: list[str], declared: list[str]) -> list[str]:
    """The article text the page's structured data declares, in place of the visible text when
    that is missing or mostly an opening of it: a paywalled page shows a teaser and declares
    the whole. Declared text that does not hold what is visible is another text (a summary, a
    different article), and the visible text stays. What is visible of the article is its prose:
    not a heading, nor the paywall's own notice ("Subscribe to keep reading")."""
    if not declared:  # most pages: reading what is visible would be wasted
        return kept
    visible = [paragraph for paragraph in kept if _reads_as_prose(paragraph) and not _is_notice(paragraph)]
    shown = sum(map(len, visible))
    if sum(map(len, declared)) < 2 * shown:
        return kept
    whole = repeat_key(" ".join(declared))
    # A teaser is the body's opening: its first paragraphs tell, and each is a search of the
    # whole declared text (every paragraph would make a long page quadratic).
    opening = visible[:_OPENING_PARAGRAPHS]
    found = sum(len(paragraph) for paragraph in opening if repeat_key(paragraph) in whole)
    return declared if 2 * found >= sum(map(len, opening)) else kept


def declared_paragraphs(body: str) -> list[str]:
    """The paragraphs of a JSON-LD ``articleBody``: its lines, or its blocks when it holds
    markup (some publishers put the body's HTML there, others escape it as entities)."""
    if _TAG_OPEN.search(body) is None:
        body = html_lib.unescape(body)
        if _TAG_OPEN.search(body) is None:
            return [line for line in map(normalize_space, body.splitlines()) if line]
    root = _shown_body(LexborHTMLParser(_guarded(body)))
    return [piece.text for piece in page_blocks(root).pieces] if root is not None else []


def _shown_body(tree: LexborHTMLParser) -> LexborNode | None:
    """The parsed page's body, or None where there is none to show: a frameset that replaces the
    body leaves lexbor's body out of the document, shown by no browser (and without a parent)."""
    body = tree.body
    return body if body is not None and body.parent is not None else None


def _guarded(text: str) -> bytes:
    """The page as lexbor reads it, UTF-8 encoded as lexbor encodes text itself, after the
    guards against deep nesting (``flatten_deep_nesting``) and tags of thousands of attributes
    (``trim_heavy_tags``). The signs those guards count are counted in the bytes, by numpy: an
    ASCII character is one byte in UTF-8, and Python counts in the text one at a time."""
    data = text.encode("utf-8", "ignore")
    codes = np.frombuffer(data, np.uint8)
    opening = codes == _LT
    tags = int(np.count_nonzero(opening))
    if tags > _UNCHECKED_TAGS and tags - int(np.count_nonzero(codes[1:][opening[:-1]] == _SLASH)) > _UNCHECKED_TAGS:
        guarded = trim_heavy_tags(flatten_deep_nesting(text, MAX_DEPTH))
    else:
        guarded = _trimmed(text, int(np.count_nonzero(codes == _EQUALS)))
    return data if guarded is text else guarded.encode("utf-8", "ignore")


def _outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """The nodes not inside another of them (removing an outer node frees the inner ones)."""
    ids = {node.mem_id for node in nodes}
    outer = []
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            outer.append(node)
    return outer


def _is_furniture(node: LexborNode) -> bool:
    """Whether a node of ``_FURNITURE_SEARCH`` is hidden (``[hidden]``, ``[style*="display:none"]``
    ...) or furniture by its tag or its role (``[role=navigation]`` ...), as selectors tell."""
    if node.tag in _CUT_TAGS:
        return True
    attrs = node.attributes
    style = attrs.get("style") or ""
    # The hiding styles tested one by one, not by any() over a tuple: the generator costs more
    # than the tests on a short style.
    return (
        "hidden" in attrs
        or attrs.get("role") in _CUT_ROLES
        or "display:none" in style
        or "display: none" in style
        or "visibility:hidden" in style
    )


#: How ``mark_furniture`` marks an element: furniture by its tag or role, or hidden.
_CUT, _HIDDEN = 1, 2


def mark_furniture(root: LexborNode) -> dict[int, int]:
    """The outermost hidden elements and navigation, headers, asides and footers, by lexbor id,
    each marked _CUT or _HIDDEN. Their text still becomes blocks: furniture by definition on a
    news page, such an element holds a forum's posts or a product's description elsewhere, and
    server-rendered pages hide text that scripts show. The block model decides."""
    nodes = root.css(_FURNITURE_SEARCH)
    if any(node.tag == "template" for node in nodes):
        # What declarative shadow roots hold is shown, and furniture or not as the rest is.
        _attach_shadow_roots(root)
        nodes = root.css(_FURNITURE_SEARCH)
    # A node comes once for each selector it matches: once is enough.
    found = _outermost(list({node.mem_id: node for node in nodes if _is_furniture(node)}.values()))
    marked = {}
    for node in found:
        attrs = node.attributes
        hidden = "hidden" in attrs or _HIDDEN_STYLE.search(attrs.get("style") or "")
        marked[node.mem_id] = _HIDDEN if hidden else _CUT
    return marked


def flatten_deep_nesting(html: str, limit: int) -> str:
    """The page with tags nested deeper than ``limit`` dropped (their text kept). Following the
    tags is linear, so a page of 100,000 nested divs costs a scan instead of stalling a worker."""
    scan = _OpenElements(limit)
    for closing, name in _NESTING_TAG_START.findall(html):
        scan.keep(closing, name)
    if scan.deepest <= limit:
        return html
    rewrite = _OpenElements(limit)

    def keep_shallow(match: re.Match[str]) -> str:
        if rewrite.keep(match.group(1), match.group(2)):
            return match.group(0)
        # Too deep: a whole tag goes; a tag cut short by a '<' becomes text, so it nests nothing.
        return "" if match.group(3) else "&lt;" + match.group(0)[1:]

    return _NESTING_TAG.sub(keep_shallow, html)


class _OpenElements:
    """The elements a parser holds open, near enough for a guard. A closing tag closes the latest
    open element of its name and all opened after it; one that names no open element is ignored,
    as parsers ignore it: counting it would let ``<div></x>`` repeated nest without limit while
    seeming flat. Elements opened past ``limit`` are followed too, so their closing tags go with
    them."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._stack: list[tuple[str, bool]] = []
        self._open: dict[str, int] = {}
        self.deepest = 0

    def keep(self, closing: str, name: str) -> bool:
        """Follow one tag of ``_NESTING_TAG`` (its groups: "/" or "", and its name); whether it
        stays."""
        name = name.lower()
        if not closing:
            depth = len(self._stack)
            kept = depth < self._limit
            self._stack.append((name, kept))
            self._open[name] = self._open.get(name, 0) + 1
            if depth >= self.deepest:
                self.deepest = depth + 1
            return kept
        if not self._open.get(name):
            return False
        while True:
            top, kept = self._stack.pop()
            self._open[top] -= 1
            if top == name:
                return kept


def trim_heavy_tags(html: str) -> str:
    """The page with every tag of thousands of attributes cut to its first ones.

    lexbor compares each attribute of a tag with all the earlier ones, so one tag with 100,000
    attributes takes seconds to parse, and minutes at the size of the largest message. A '>' can
    only hide inside a quoted value, so a long run without '>' finds every long tag but those, in
    linear time; a tag of many quoted values needs as many '=', which real pages never have. Real
    pages have no such run but a data URI or a script now and then: one search of the page finds
    them, and the page is rebuilt only when a tag opens in one.
    """
    return _trimmed(html, html.count("="))


def _trimmed(html: str, equals: int) -> str:
    """``trim_heavy_tags`` of a page with ``equals`` '='."""
    parts: list[str] = []
    done = 0
    for start, end in _long_runs(html):
        tag = _TAG_OPEN.search(html, start, end)
        if tag is not None:
            kept = islice(_ATTRIBUTE.finditer(html, tag.end(), end), _HEAVY_TAG_KEPT_ATTRIBUTES)
            parts += (html[done : tag.end()], *(attribute.group(0) for attribute in kept))
            done = end
    if parts:
        html = "".join([*parts, html[done:]])
        equals = html.count("=")
    if equals > _MANY_EQUALS:
        html = _HEAVY_TAG.sub(r"\1", html)
    return html


def _long_runs(html: str) -> list[tuple[int, int]]:
    """The spans of more than ``_HEAVY_TAG_CHARS`` characters without a '>' (between two, or at
    either end of the page). A '>' in every stretch of ``_RUN_PROBE`` rules them out: on real
    pages each look stops at once, where a regex would read every character."""
    runs = []
    at = 0
    while at < len(html):
        if html.find(">", at, at + _RUN_PROBE) >= 0:
            at += _RUN_PROBE
            continue
        start = html.rfind(">", 0, at) + 1
        end = html.find(">", at + _RUN_PROBE) % (len(html) + 1)  # the end of the page when it has none
        if end - start > _HEAVY_TAG_CHARS:
            runs.append((start, end))
        at = end + 1
    return runs


@lru_cache(maxsize=16384)
def _element(tag: str, class_name: str | None, element_id: str | None) -> _Element:
    """An element with what its class and id say about it. Cached: pages of a site, and
    elements of a page, share a few class names, and judging them is a hot spot."""
    hints = f"{class_name or ''} {element_id or ''}".strip().lower()
    content_named = bool(hints) and _CONTENT_TOKEN.search(hints) is not None
    if not _BOILERPLATE_WORD.search(hints):  # most names say nothing
        return _Element(tag, hints, boilerplate=tag in _FURNITURE_TAGS, context=f"{tag} {hints}", content_named=content_named)
    tokens = " ".join(t for t in hints.split() if not _LAYOUT_WORD.search(t)) if _LAYOUT_WORD.search(hints) else hints
    named = not _CONTENT_TOKEN.search(tokens) and bool(_BOILERPLATE_WORD.search(tokens))
    boilerplate = tag in _FURNITURE_TAGS or named
    never_article = named and bool(_NEVER_ARTICLE_WORD.search(tokens))
    return _Element(
        tag, hints, boilerplate=boilerplate, never_article=never_article, context=f"{tag} {hints}", content_named=content_named
    )


class _Kind(NamedTuple):
    """What an element's tag means to the walk, worked out once per tag."""

    tag: str
    #: What opening and closing the element changes: one of the _OPENS_* values.
    opens: int
    #: The element as it is when its class and id say nothing (or are not read).
    plain: _Element
    read_attributes: bool


# Containers and blocks come first, so that one comparison tells whether an element holds a block.
_OPENS_CONTAINER, _OPENS_BLOCK, _OPENS_NOTHING, _OPENS_LINK, _OPENS_SKIPPED, _OPENS_NO_ELEMENT = range(6)


@lru_cache(maxsize=1024)
def _kind(tag: str) -> _Kind:
    if tag in _CONTAINER_TAGS:
        opens = _OPENS_CONTAINER
    elif tag in _BLOCK_TAGS:
        opens = _OPENS_BLOCK
    elif tag == "a":
        opens = _OPENS_LINK
    elif tag in _SKIP_TAGS:
        opens = _OPENS_SKIPPED
    elif tag[0] == "-":  # lexbor names other non-elements "-doctype", ..., the walk "-" for nameless ones
        opens = _OPENS_NO_ELEMENT
    else:
        opens = _OPENS_NOTHING
    return _Kind(tag, opens, _element(tag, None, None), tag not in _PLAIN_INLINE_TAGS)


def page_blocks(root: LexborNode, marked: dict[int, int] | None = None) -> _Page:
    """Every run of text between block boundaries, in reading order, with the tree of elements
    above them. ``marked`` holds the marks of ``mark_furniture`` by lexbor id.

    lexbor walks the tree in C; an element is left when a later node's parent is no longer it.
    """
    marked = marked or {}
    cut: list[int] = []
    parents: list[int] = []
    ends: list[int] = []
    elements: list[_Element] = []
    pieces: list[_Piece] = []
    parts: list[str] = []
    link_chars = 0
    # The innermost open element (its index, its lexbor id and what it opened) and what holds
    # inside it: the tag of the innermost block and the index of the innermost container (-1
    # for none), how many links and skipped elements are open. Opening an element stacks them;
    # closing it takes them back.
    open_index, open_id, opened, block_tag, container, links_open, skipped_open, mark = -1, -1, _OPENS_NOTHING, "p", -1, 0, 0, 0
    stack: list[tuple[int, int, int, str, int, int, int, int]] = []
    kinds: dict[int, _Kind] = {}  # by lexbor tag id: reading an int is cheaper than a name
    unread: list[LexborNode | None] = []  # each element's node, if its class and id may matter
    for node in root.traverse(include_text=True):
        tag_id = node.tag_id
        if tag_id == _TEXT_NODE:
            if node.is_empty_text_node:  # lexbor tells without decoding the text
                # Only separates words: no need to know which element it closes, a flush
                # normalises the space away.
                if parts:
                    parts.append(" ")
                continue
        elif tag_id == _COMMENT_NODE:
            continue
        parent = node.parent.mem_id
        while parent != open_id and stack:
            if parts and opened <= _OPENS_BLOCK:
                # While the element is still open: the block is its text.
                _flush(pieces, parts, link_chars, block_tag, open_index, container, mark)
                link_chars = 0
            ends[open_index] = len(elements)
            open_index, open_id, opened, block_tag, container, links_open, skipped_open, mark = stack.pop()
        if tag_id == _TEXT_NODE:
            if skipped_open:  # scripts and styles: their text is never read
                continue
            value = node.text_content
            if value.isspace():  # white space beyond ASCII's
                if parts:
                    parts.append(" ")
                continue
            parts.append(value)
            if links_open:
                link_chars += len(value.strip())
            continue
        try:
            tag, what, element, read_attributes = kinds[tag_id]
        except KeyError:
            # A processing instruction (``<?php ... ?>`` in the body) has no tag name at all.
            tag, what, element, read_attributes = kinds[tag_id] = _kind(node.tag or "-")
        if what == _OPENS_NO_ELEMENT:
            continue
        if parts and what <= _OPENS_BLOCK:
            _flush(pieces, parts, link_chars, block_tag, open_index, container, mark)
            link_chars = 0
        index = len(elements)
        elements.append(element)
        unread.append(node if read_attributes else None)
        parents.append(open_index)
        ends.append(0)
        stack.append((open_index, open_id, opened, block_tag, container, links_open, skipped_open, mark))
        open_index, open_id, opened = index, node.mem_id, what
        if open_id in marked:
            mark |= marked[open_id]
            cut.append(index)
        if what == _OPENS_BLOCK:
            block_tag = tag
        elif what == _OPENS_CONTAINER:
            block_tag, container = tag, index
        elif what == _OPENS_LINK:
            links_open += 1
        elif what == _OPENS_SKIPPED:
            skipped_open += 1
    if parts:
        _flush(pieces, parts, link_chars, block_tag, open_index, container, mark)
    # The elements still open end with the page.
    while stack:
        ends[open_index] = len(elements)
        open_index = stack.pop()[0]
    pieces = _table_rows(pieces, elements, parents, ends)
    # Names matter only on the elements some block lies in, and the walk meets many more.
    for index in _holding(parents, pieces):
        node = unread[index]
        if node is not None:
            attrs = node.attributes
            elements[index] = _element(elements[index].tag, attrs.get("class"), attrs.get("id"))
    boilerplate = frozenset(compress(count(), map(_IS_BOILERPLATE, elements))).union(cut)
    return _Page(elements, parents, _mark_teasers(pieces), boilerplate, ends)


def _flush(pieces: list[_Piece], parts: list[str], link_chars: int, tag: str, element: int, container: int, mark: int) -> None:
    """The text gathered in ``parts`` as a piece of ``element``, if there is any, and ``parts``
    emptied. The page's root holds what no container does."""
    text = " ".join("".join(parts).split())
    parts.clear()
    if text:
        pieces.append(_piece(text, link_chars, tag, element, container, mark))


def _piece(text: str, link_chars: int, tag: str, element: int, container: int, mark: int) -> _Piece:
    """A piece of ``text`` in ``element``, held by ``container`` (the page's root when -1)."""
    size = len(text)
    links = link_chars if link_chars < size else size
    link_list = links >= _LINK_LIST * size
    prose = not link_list and _reads_as_prose(text)
    holder = container if container >= 0 else 0
    return _new_piece((text, links, tag, element, prose, holder, link_list, False, mark))


def _table_rows(pieces: list[_Piece], elements: list[_Element], parents: list[int], ends: list[int]) -> list[_Piece]:
    """The pieces with each row of a data table as one ("1 Kyle Busch 5040 5 1"): a row read
    cell by cell is a run of numbers and names that look like page furniture one by one, and a
    row is what a reader (and a table's truth) reads as one line. A row is merged only when
    each of its cells holds one piece of its own text and nothing else of the row is text: a
    table that lays out the page keeps its paragraphs apart."""
    rows = [_row_of(piece, elements, parents) for piece in pieces]
    merged: list[_Piece] = []
    i, n = 0, len(pieces)
    while i < n:
        row, j = rows[i], i + 1
        while j < n and row >= 0 and rows[j] == row and pieces[j].element != pieces[j - 1].element:
            j += 1
        inside = range(row, ends[row]) if row >= 0 else range(0)
        # Pieces are in reading order, so any other text of the row lies just before or after.
        alone = (i == 0 or pieces[i - 1].element not in inside) and (j == n or pieces[j].element not in inside)
        if j - i >= 2 and alone:
            merged.append(_row_piece(pieces[i:j], row, parents[row]))
        else:
            merged.extend(pieces[i:j])
        i = j
    return merged


def _row_of(piece: _Piece, elements: list[_Element], parents: list[int]) -> int:
    """The row whose cell ``piece`` is the own text of, or -1."""
    if piece.tag not in ("td", "th") or elements[piece.element].tag not in ("td", "th"):
        return -1
    row = parents[piece.element]
    return row if row >= 0 and elements[row].tag == "tr" else -1


def _row_piece(cells: list[_Piece], row: int, holder: int) -> _Piece:
    """The cells' pieces as one of the row, held by what holds the row (a table's body)."""
    marked = 0
    for cell in cells:
        marked |= cell.marked
    return _piece(" ".join(cell.text for cell in cells), sum(cell.link_chars for cell in cells), cells[0].tag, row, holder, marked)


def _reads_as_prose(text: str) -> bool:
    """Long and punctuated: a paragraph, not a label, a name or a line of links' words. Length
    counts an ideograph as several letters; in scripts without sentence marks it alone decides."""
    if text.isascii():  # most blocks: no other script to weigh
        return len(text) >= _PROSE_CHARS and _PUNCTUATION.search(text) is not None
    if len(text) + (_IDEOGRAPH_CHARS - 1) * len(_IDEOGRAPHIC.findall(text)) < _PROSE_CHARS:
        return False
    return _PUNCTUATION.search(text) is not None or 2 * len(_UNPUNCTUATED_SCRIPT.findall(text)) >= len(text)


def _holding(parents: list[int], pieces: list[_Piece]) -> set[int]:
    """The elements some block lies in: each path is climbed only up to where an earlier one
    was, so the work is one step per element, not per element per block."""
    found: set[int] = set()
    for piece in pieces:
        index = piece.element
        while index >= 0 and index not in found:
            found.add(index)
            index = parents[index]
    return found


def _mark_teasers(pieces: list[_Piece]) -> list[_Piece]:
    """The pieces with excerpts of other pages marked: paragraphs cut short ("...") that link
    to the rest and make up most of their container. An article may trail off once, and a
    transcript without links many times; a list of teasers does it on every item."""
    truncated = Counter(piece.holder for piece in pieces if _is_excerpt(piece))
    if not truncated or max(truncated.values()) < _MIN_TEASERS:
        return pieces
    paragraphs = Counter(piece.holder for piece in pieces if piece.prose)
    lists = {holder for holder, count in truncated.items() if count >= _MIN_TEASERS and 2 * count >= paragraphs[holder]}
    return [piece._replace(prose=False, teaser=True) if piece.holder in lists and _is_excerpt(piece) else piece for piece in pieces]


def _is_excerpt(piece: _Piece) -> bool:
    return piece.prose and piece.link_chars > 0 and bool(_TRUNCATED.search(piece.text))


def _subtree_sums(parents: list[int], own: list[float]) -> list[float]:
    """Each element's own value plus all of its descendants' (parents come before children)."""
    sums = own[:]
    for index in range(len(sums) - 1, 0, -1):
        value = sums[index]
        if value and parents[index] >= 0:  # most elements hold nothing that counts
            sums[parents[index]] += value
    return sums


def _prose_sizes(page: _Page) -> list[float]:
    """Characters of prose under each element."""
    own = [0.0] * len(page.elements)
    for piece in page.pieces:
        if piece.prose and not piece.marked & _HIDDEN:
            own[piece.element] += len(piece.text)
    return _subtree_sums(page.parents, own)


def _furniture(page: _Page, sizes: list[float], top: int) -> set[int]:
    """The elements below ``top`` (-1 for the whole page) named like boilerplate that hold
    less than half of the prose under ``top``: such a name on the container of most of the
    prose is a layout or script hook ("js-breadcrumb", "pg-rail__body"), not a verdict.
    Footers and comments may hold more prose than a short article, but not nearly all of the
    page's ("comments-open" on a wrapper). A block is furniture when one is on its path."""
    within = sizes[top] if top >= 0 else sizes[0] if sizes else 0
    return {
        index
        for index in page.boilerplate
        if index > top
        and (2 * sizes[index] < within or (page.elements[index].never_article and sizes[index] < 0.9 * within))
    }


def _weight(piece: _Piece, furniture: bool, alone: bool) -> float:
    """How much a block argues for the region holding it being the article. ``alone``: the
    block is one of at most two paragraphs in its container, as notices are."""
    if furniture or piece.link_list:
        return -len(piece.text)
    if piece.prose:
        # Cookie notices, appeals and sign-up boxes are written in sentences too, but they are
        # short and stand alone (an article's paragraphs come in runs).
        if alone and len(piece.text) < _NOTICE_CHARS and _text_label(piece.text):
            return -len(piece.text)
        return len(piece.text) - piece.link_chars
    return -min(len(piece.text), 30)


def _plain_weight(piece: _Piece, furniture: bool, alone: bool) -> float:
    return -len(piece.text) if furniture else len(piece.text) - 2 * piece.link_chars


def article_region(page: _Page, sizes: list[float], body: str = "") -> int:
    """The index of the element whose blocks weigh most as an article, or -1 for none.

    Furniture cut before the walk counts against the elements that held it. ``body`` is the
    article text the page's structured data declares, when it does: blocks that repeat one of
    its lines count as prose whatever they look like. A page without any prose (a results
    table, a list of dates) gets the element with the most plain text.
    """
    furniture = page.under(_furniture(page, sizes, -1))
    # Whitespace aside, a declared paragraph is printed as it is declared.
    declared = {" ".join(line.split()) for line in body.splitlines() if len(line) >= _PROSE_CHARS}
    paragraphs = Counter(piece.holder for piece in page.pieces if piece.prose)
    for weight in (_weight, _plain_weight):
        own = [0.0] * len(page.elements)
        for piece in page.pieces:
            if piece.marked & _HIDDEN:
                continue
            value = weight(piece, furniture[piece.element], paragraphs.get(piece.holder, 0) <= 2)
            if declared and piece.text in declared:
                value = abs(value) + len(piece.text)
            own[piece.holder] += value
        scores = _subtree_sums(page.parents, own)
        best = max(scores, default=0.0)
        if best > 0:
            # The deepest element within a hair of the best: an outer wrapper only adds risk.
            near = best * 0.9
            return next(i for i in range(len(scores) - 1, -1, -1) if scores[i] >= near)
    return -1


def verdicts(page: _Page, sizes: list[float], region: int, metadata: PageMetadata) -> list[str]:
    """The hand rules' verdict on each block: "" kept, "dek", "duplicate", "related" (a teaser)
    or "?" (removed; its label comes from what it says and where it sits)."""
    elements, pieces = page.elements, page.pieces
    title_key = repeat_key(metadata.title)
    furniture = page.under(_furniture(page, sizes, region))
    in_region = page.under({region})
    # first_occurrences reads only ``.text``, which pieces share with blocks.
    verdicts = [
        "duplicate"
        if repeated
        else "related"
        if piece.teaser
        else ("" if in_region[piece.element] and not piece.marked & _HIDDEN and _keep_in_region(piece, furniture, title_key) else "?")
        for piece, repeated in first_occurrences(pieces)  # type: ignore[arg-type]
    ]
    # Bylines, datelines, share bars and teasers sit before the first paragraph of prose and
    # after the last one, outside the element that holds the paragraphs; lists and short
    # lines inside that element are the article's own, except datelines (a list of tour
    # dates in the body is text, the same line above it is not).
    prose = [i for i, verdict in enumerate(verdicts) if not verdict and pieces[i].prose]
    # An offer, an appeal or the credits may close (or open) the body in a paragraph of its own.
    while prose and _is_notice(pieces[prose[-1]].text):
        verdicts[prose.pop()] = "?"
    # The page's headline opens it, in an h1 whatever the title says.
    while prose and (_is_notice(pieces[prose[0]].text) or pieces[prose[0]].tag == "h1"):
        verdicts[prose.pop(0)] = "?"
    body = _body_container(pieces, prose)
    in_body = page.under({body})
    for i, verdict in enumerate(verdicts):
        if verdict or not prose or prose[0] <= i <= prose[-1]:
            continue
        if not in_body[pieces[i].element] or _outside_text(pieces[i]):
            verdicts[i] = "?"
    # A heading with nothing after it headed what was cut (comments, links to other stories).
    left = [i for i, verdict in enumerate(verdicts) if not verdict]
    while left and pieces[left[-1]].tag in _HEADINGS:
        verdicts[left.pop()] = "?"
    # The standfirst is the page's description printed above the body, set apart from the
    # paragraphs by its place or its name: it is the dek, not text.
    first = next((i for i, verdict in enumerate(verdicts) if not verdict), -1)
    if (
        first >= 0
        and metadata.description
        and (not in_body[pieces[first].element] or _DEK_WORD.search(elements[pieces[first].element].hints))
        and repeat_key(pieces[first].text) == repeat_key(metadata.description)
    ):
        verdicts[first] = "dek"
    return verdicts


def cut(page: _Page, verdicts: list[str]) -> tuple[list[str], list[Removed]]:
    """The kept blocks' texts, and every other block with why it was removed."""
    kept: list[str] = []
    removed: list[Removed] = []
    named = page.nearest(page.boilerplate)
    for piece, verdict in zip(page.pieces, verdicts, strict=True):
        if verdict == "dek":
            continue
        if not verdict:
            kept.append(piece.text)
        elif verdict in ("?", "edge"):
            label = _label(piece.text[:_LABEL_CHARS], _label_hints(page, piece, named))
            removed.append(Removed(label, piece.text, "block_model" if verdict == "?" else "edge"))
        else:
            removed.append(Removed(verdict, piece.text, "block_model"))
    return kept, removed


def _body_container(pieces: list[_Piece], prose: list[int]) -> int:
    """The element directly holding most of the prose paragraphs, or -1."""
    weights: dict[int, int] = {}
    for i in prose:
        holder = pieces[i].holder
        weights[holder] = weights.get(holder, 0) + len(pieces[i].text)
    return max(weights, key=weights.__getitem__, default=-1)


def _label(text: str, hints: str) -> str:
    """``label_for`` from parts remembered apart: what blocks say repeats across the pages of a
    site (menus, footers, share bars), and the names of their containers across a page."""
    return _text_label(text) or _hint_label(hints) or fallback_label(text)


@lru_cache(maxsize=16384)
def _text_label(text: str) -> str:
    return text_label(text)


@lru_cache(maxsize=4096)
def _hint_label(hints: str) -> str:
    return hint_label(hints)


def _label_hints(page: _Page, piece: _Piece, named: list[int]) -> str:
    """The context that explains a removal: the nearest container named like furniture
    (``named``, by element), else the block's own element and its parent."""
    if named[piece.element] >= 0:
        return page.elements[named[piece.element]].context
    return " ".join(page.elements[i].context for i in page.path(piece.element, _LABEL_CONTEXT))


def _keep_in_region(piece: _Piece, furniture: list[bool], title_key: str) -> bool:
    if furniture[piece.element]:
        return False
    # A sentence may be mostly links; a list of links does not end like one.
    if piece.link_list and not (len(piece.text) >= _PROSE_CHARS and _SENTENCE_END.search(piece.text)):
        return False
    if piece.tag in _HEADINGS and repeat_key(piece.text) == title_key:
        return False
    return not (len(piece.text) < 2 * _PROSE_CHARS and _text_label(piece.text))


def _outside_text(piece: _Piece) -> bool:
    """Whether a block before or after the body's paragraphs, inside their container, is not
    the article's own: the headline, a notice, a byline or a dateline."""
    text = piece.text
    return piece.tag == "h1" or (len(text) < 2 * _PROSE_CHARS and _is_dateline(text)) or _is_notice(text)


def _is_notice(text: str) -> bool:
    """A short paragraph that asks the reader to give, subscribe, sign up or share, or that
    credits the story's other reporters and editors."""
    return len(text) < _NOTICE_CHARS and (_text_label(text) in _NOTICE_LABELS or bool(_CREDIT_LINE.search(text)))


def _is_dateline(text: str) -> bool:
    """A byline or a date line ("By Jane Roe | Nov. 20, 2019 at 2:26 PM", "Updated 10:01 pm")."""
    if _BYLINE.match(text) and not text.endswith("."):
        return True
    if not _DIGIT.search(text):
        return False
    rest = _DATE_PARTS.sub(" ", text)
    return rest != text and len(rest.split()) <= 4


def _dek(metadata: PageMetadata, kept: list[str]) -> str:
    """The standfirst: the page's description unless it merely repeats the body's opening."""
    description = metadata.description
    if not description or not kept:
        return description
    key = repeat_key(description)
    return "" if repeat_key(kept[0]).startswith(key[: max(len(key) - 10, 20)]) else description


#: Tags grouped by what they say about a block's role; each group is one feature.
_TAG_GROUPS = {
    "li": "list", "dt": "list", "dd": "list", "td": "cell", "th": "cell", "pre": "code", "code": "code",
    "blockquote": "quote", "figcaption": "caption", "caption": "caption", "p": "paragraph",
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
}
_GROUPS = ("paragraph", "list", "cell", "code", "quote", "caption", "heading")
_TAG_COLUMNS = ("heading_level", *(f"tag_{group}" for group in _GROUPS))
#: The values of _TAG_COLUMNS of each tag, at its row of _TAG_ROWS (other tags: row 0, all zero).
_TAG_INDEX = {tag: row for row, tag in enumerate(_TAG_GROUPS, 1)}
_TAG_ROWS = np.array(
    [(0,) * len(_TAG_COLUMNS)]
    + [(int(tag[1]) if tag in _HEADINGS else 0, *(group == g for g in _GROUPS)) for tag, group in _TAG_GROUPS.items()],
    np.float64,
)

#: The block model's inputs, in the order of ``block_features``' columns.
FEATURES: tuple[str, ...] = (
    "log_chars", "log_words", "link_density", "punctuation", "stop_ratio", "capital_ratio", "sentence_end",
    "digits", "prose", "link_list", "teaser", "page_furniture", "region_furniture", "in_region", "rule_kept",
    "rule_duplicate", "rule_dek", "says_call", "says_links", "says_legal", *_TAG_COLUMNS, "depth", "depth_below_region", "position", "chars_before",
    "holder_prose_share", "holder_blocks", "declared", "title", "content_named", "never_article",
    "kept_before", "kept_after", "kept_near", "prose_before", "prose_after", "prose_near", "inside_kept_span",
    "region_share", "kept_share", "page_blocks", "page_chars", "page_link_density", "cut_furniture", "hidden",
    "holder_link_density", "holder_chars_share", "paragraphs_follow_after", "paragraphs_follow_near",
)

#: Where ``block_keeps`` reads a block's words (the log of their number) in a row of features.
_LOG_WORDS = FEATURES.index("log_words")


def block_features(analysis: Analysis) -> np.ndarray:
    """One row per block of ``FEATURES``: what the block is, where it sits, what the hand rules
    and its neighbours say. Only reading a block's text is done block by block; the rest is
    numpy over all blocks at once."""
    page, verdicts, sizes = analysis.page, analysis.verdicts, analysis.sizes
    pieces, elements = page.pieces, page.elements
    n = len(pieces)
    if n == 0:
        return np.zeros((0, len(FEATURES)), np.float32)
    # The pieces' fields as columns: each field of ``column`` holds that field of every piece.
    column = _Piece._make(zip(*pieces))
    texts = column.text
    at = np.array(column.element, np.intp)
    holders = np.array(column.holder, np.intp)
    chars = np.fromiter(map(len, texts), np.float64, n)
    total = chars.sum()
    links = np.array(column.link_chars, np.float64)
    measured = np.array([_measured(text) for text in texts], np.float64)
    marks = np.array(column.marked, np.intp)
    says = np.fromiter((LABEL_GROUPS.get(_text_label(text[:_LABEL_CHARS]), -1) for text in texts), np.intp, n)
    tags = _TAG_ROWS[[_TAG_INDEX.get(tag, 0) for tag in column.tag]]
    verdict = np.array(verdicts)
    ends = np.array(page.ends, np.intp)
    depth = _depths(ends)
    depths = depth[at].astype(np.float64)

    def marked(indices: Collection[int]) -> np.ndarray:
        """For each block, whether one of the elements ``indices`` holds it (``page.under``):
        the subtrees are ranges of elements, counted in and out."""
        starts = np.fromiter((i for i in indices if i >= 0), np.intp)
        inside = np.bincount(starts, minlength=len(ends) + 1) - np.bincount(ends[starts], minlength=len(ends) + 1)
        return np.cumsum(inside)[at] > 0

    page_prose = sizes[0] if sizes else 0.0
    kept = verdict == ""
    prose = np.array(column.prose, bool)
    kept_prose = np.flatnonzero(kept & prose)
    span = np.zeros(n)
    if len(kept_prose):
        span[kept_prose[0] : kept_prose[-1] + 1] = 1.0
    title = analysis.metadata.title
    title_key = repeat_key(title)
    declared = {" ".join(line.split()) for line in analysis.declared.splitlines() if len(line) >= _PROSE_CHARS}
    _, holder = np.unique(holders, return_inverse=True)
    holder_chars = np.bincount(holder, chars)
    holder_sizes = np.array(sizes, np.float64)[holders] if sizes else np.zeros(n)
    columns = {
        "log_chars": np.log1p(chars), "log_words": np.log1p(measured[:, 0]), "link_density": links / chars,
        "punctuation": measured[:, 4] / chars, "stop_ratio": measured[:, 1], "capital_ratio": measured[:, 2],
        "sentence_end": measured[:, 3], "digits": measured[:, 5] / chars, "prose": prose,
        "link_list": column.link_list, "teaser": column.teaser,
        "page_furniture": marked(_furniture(page, sizes, -1)),
        "region_furniture": marked(_furniture(page, sizes, analysis.region)),
        "in_region": marked({analysis.region}), "rule_kept": kept, "rule_duplicate": verdict == "duplicate",
        "rule_dek": verdict == "dek", "says_call": says == 0, "says_links": says == 1, "says_legal": says == 2,
        **{name: tags[:, k] for k, name in enumerate(_TAG_COLUMNS)},
        "depth": depths, "depth_below_region": depths - (depth[analysis.region] if analysis.region >= 0 else 0),
        "position": np.arange(n) / n, "chars_before": (np.cumsum(chars) - chars) / total,
        "holder_prose_share": holder_sizes / page_prose if page_prose else np.zeros(n),
        "holder_blocks": np.log1p(np.bincount(holder)[holder]),
        "declared": [text in declared for text in texts] if declared else np.zeros(n),
        "title": [abs(len(text) - len(title)) < 20 and repeat_key(text) == title_key for text in texts],
        "content_named": marked(list(compress(count(), map(_IS_CONTENT_NAMED, elements)))),
        "never_article": marked([i for i in page.boilerplate if elements[i].never_article]),
        "inside_kept_span": span,
        "region_share": sizes[analysis.region] / page_prose if analysis.region >= 0 and page_prose else 0.0,
        "kept_share": chars[kept].sum() / total, "page_blocks": np.log1p(n), "page_chars": np.log1p(total),
        "page_link_density": links.sum() / total, "cut_furniture": marks & _CUT > 0,
        "hidden": marks & _HIDDEN > 0, "holder_link_density": (np.bincount(holder, links) / holder_chars)[holder],
        "holder_chars_share": holder_chars[holder] / total,
    }
    for name, values in zip(("kept", "prose"), (kept, prose), strict=True):
        columns[f"{name}_before"], columns[f"{name}_after"], columns[f"{name}_near"] = neighbours(values.astype(np.float64))
    columns["paragraphs_follow_after"], columns["paragraphs_follow_near"] = following_shares(prose.astype(np.float64))
    return feature_rows(columns, FEATURES, n)


def _depths(ends: np.ndarray) -> np.ndarray:
    """How many elements are above each element, from the subtrees alone (an element's is the
    run of elements from it to its ``ends`` entry), in numpy rather than by climbing paths:
    of the elements before an element, those whose subtree has ended are not above it."""
    ended = np.cumsum(np.bincount(ends, minlength=len(ends) + 1))[: len(ends)]
    return np.arange(len(ends)) - ended


@lru_cache(maxsize=16384)
def _measured(text: str) -> tuple[float, float, float, bool, int, int]:
    """Words, stopword and capital ratios, whether it ends a sentence, punctuation marks and
    digits of a block's text. Cached: menus and footers repeat on every page of a site."""
    shape = shape_and_key(text)[0]
    return (*shape, len(_PUNCTUATION.findall(text)), len(_DIGIT.findall(text)))
