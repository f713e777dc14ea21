"""Page context for the block model: the same block can be the text on one page and furniture on
another (a reader's comment under a news story, a post of a forum thread), so what a block is
depends on the page around it.

Two sets of columns, both computed after ``copydesk.clean.html.block_features`` (and, beside
them, ``copydesk.clean.names``' learned weights of the class and id tokens above each block and
of the block's words):

- ``STATIC_FEATURES``, read from the page alone: how much of a block the page's declared
  ``articleBody`` holds (comments and teasers are not in it), whether it sits under a container
  named for comments or for posts, whether it follows a comment section's heading.
- ``CONTEXT_FEATURES``, read from a first model's probabilities (stage 1): where the block sits
  against the page's main run of likely text (before, inside or after it, how far), how likely
  its container and its neighbours are, and the page as a whole (``copydesk.clean.page``'s row:
  its address, what it declares itself, how sure stage 1 was). A second model (stage 2) decides
  from all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import compress, count
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from copydesk.clean.blocks import repeat_key
from copydesk.clean.model import BlockModel, after_comment_heading, main_run_columns, neighbours, shipped, window_max
from copydesk.clean.names import TokenWeights
from copydesk.clean.page import PAGE_FEATURES, page_features

if TYPE_CHECKING:
    from copydesk.clean.html import Analysis

_WORD = re.compile(r"\w+")
#: Class and id tokens of a comment section, across CMSes and comment services.
_COMMENT_WORD = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|comment-?list|disqus\w*|replies|respond|responses|wpdiscuz|"
    r"talk|discussion|fb-comments|livefyre|coral\w*|viafoura)(?=$|[\s_\d-])"
)
#: Class and id tokens of a post among others (a forum's, a Q&A site's, a thread's).
_POST_WORD = re.compile(
    r"(?:^|[\s_-])(?:posts?|postbody|message\w*|thread\w*|topic\w*|forums?|bbp\w*|answers?|questions?|reply|"
    r"userpost|post-?content|post-?body|messagecontent|cooked)(?=$|[\s_\d-])"
)
#: A declared body shorter than this says nothing about which blocks are the article.
_MIN_DECLARED_CHARS = 200

STATIC_FEATURES: tuple[str, ...] = (
    "declared_share", "declares_body", "comment_named", "post_named", "after_comment_heading",
)

CONTEXT_FEATURES: tuple[str, ...] = (
    "stage1", "stage1_before", "stage1_after", "stage1_near", "stage1_window_max",
    "holder_stage1", "parent_stage1", "grandparent_stage1",
    "run_inside", "run_blocks_before", "run_blocks_after", "run_chars_before", "run_chars_after", "run_share",
    "page_stage1", "page_likely_share", *(f"page.{name}" for name in PAGE_FEATURES),
)


def _trigrams(text: str) -> list[tuple[str, ...]]:
    tokens = _WORD.findall(text.lower())
    return [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)]


def declared_shares(texts: Sequence[str], declared: str) -> np.ndarray:
    """For each block, the share of its word trigrams the declared body holds; -1 where the page
    declares no body to speak of or the block has fewer than three words."""
    shares = np.full(len(texts), -1.0)
    if len(declared) < _MIN_DECLARED_CHARS:
        return shares
    body = set(_trigrams(declared))
    for i, text in enumerate(texts):
        grams = _trigrams(text)
        if grams:
            shares[i] = sum(gram in body for gram in grams) / len(grams)
    return shares


@lru_cache(maxsize=8192)
def _named(hints: str) -> tuple[bool, bool]:
    return bool(_COMMENT_WORD.search(hints)), bool(_POST_WORD.search(hints))


def named_under(ends: Sequence[int], hints: Sequence[str]) -> np.ndarray:
    """For each element, whether it or one above it is named for comments (column 0) or for
    posts (column 1). Elements come in document order, so an element's subtree is the run of
    elements from it to its ``ends`` entry."""
    found = np.zeros((len(ends), 2), bool)
    # Only the elements some block lies in have their names read: most have none to judge.
    for index in compress(count(), hints):
        own = _named(hints[index])
        for column in (0, 1):
            if own[column]:
                found[index : ends[index], column] = True
    return found


def static_columns(texts: Sequence[str], at: np.ndarray, ends: Sequence[int], hints: Sequence[str], declared: str) -> np.ndarray:
    """The rows of ``STATIC_FEATURES`` of a page's blocks (``at``: each block's element)."""
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(STATIC_FEATURES)), np.float32)
    named = named_under(ends, hints)[at]
    rows = np.column_stack([
        declared_shares(texts, declared), np.full(n, float(len(declared) >= _MIN_DECLARED_CHARS)),
        named[:, 0], named[:, 1], after_comment_heading(texts),
    ])
    return rows.astype(np.float32)


def _subtree_means(ends: Sequence[int], at: np.ndarray, chars: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """For each element, the mean probability of the blocks under it, weighed by their length
    (an element's subtree is the run of elements up to its ``ends`` entry)."""
    size = len(ends)
    weighted = np.concatenate(([0.0], np.cumsum(np.bincount(at, chars * probabilities, size))))
    mass = np.concatenate(([0.0], np.cumsum(np.bincount(at, chars, size))))
    starts = np.arange(size)
    stops = np.asarray(ends, np.intp)
    total_weighted = weighted[stops] - weighted[starts]
    total_mass = mass[stops] - mass[starts]
    return np.divide(total_weighted, total_mass, out=np.zeros(size), where=total_mass > 0)


def context_columns(
    chars: np.ndarray, at: np.ndarray, holders: np.ndarray, parents: Sequence[int], ends: Sequence[int],
    probabilities: np.ndarray, page_row: np.ndarray,
) -> np.ndarray:
    """The rows of ``CONTEXT_FEATURES`` from stage 1's ``probabilities`` of a page's blocks
    (``chars`` their lengths, ``at`` and ``holders`` their elements and containers; each
    element's parent and the end of its subtree) and the page's row of ``PAGE_FEATURES``."""
    n = len(chars)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)), np.float32)
    p = probabilities.astype(np.float64)
    total = chars.sum() or 1.0
    before, after, near = neighbours(p)
    means = _subtree_means(ends, at, chars, p)
    parent = np.append(np.asarray(parents, np.intp), -1)  # index -1: no element, no parent
    parent_of = parent[holders]
    grandparent_of = parent[parent_of]
    page_mean = float((chars * p).sum() / total)

    def mean_at(elements: np.ndarray) -> np.ndarray:
        return np.where(elements >= 0, means[np.maximum(elements, 0)], page_mean)

    columns = [
        p, before, after, near, window_max(p), mean_at(holders), mean_at(parent_of), mean_at(grandparent_of),
        *main_run_columns(chars, p, total), np.full(n, page_mean), np.full(n, chars[p >= 0.5].sum() / total),
    ]
    rows = np.column_stack([*columns, np.repeat(page_row.reshape(1, -1), n, axis=0)])
    return rows.astype(np.float32)


#: Stage 1's probabilities describe the page at this threshold (``page_features``' kept share).
_STAGE1_THRESHOLD = 0.5


class Layout(NamedTuple):
    """Where a page's blocks sit: each block's element and container; each element's parent,
    the end of its subtree (elements in document order) and its class and id (``hints``)."""

    at: np.ndarray
    holders: np.ndarray
    parents: Sequence[int]
    ends: Sequence[int]
    hints: Sequence[str]


def layout_of(analysis: Analysis) -> Layout:
    pieces = analysis.page.pieces
    return Layout(
        np.fromiter((piece.element for piece in pieces), np.intp, len(pieces)),
        np.fromiter((piece.holder for piece in pieces), np.intp, len(pieces)),
        analysis.page.parents,
        analysis.page.ends,
        [element.hints for element in analysis.page.elements],
    )


def static_features(analysis: Analysis, layout: Layout) -> np.ndarray:
    """The rows of ``STATIC_FEATURES`` of an analysed page's blocks."""
    texts = [piece.text for piece in analysis.page.pieces]
    return static_columns(texts, layout.at, layout.ends, layout.hints, analysis.declared)


def context_features(
    first: BlockModel, rows: np.ndarray, probabilities: np.ndarray, layout: Layout, url: str, types: tuple[str, ...], texts: Sequence[str]
) -> np.ndarray:
    """The rows of ``CONTEXT_FEATURES``: ``rows`` are stage 1's (``first``'s features) and
    ``probabilities`` what it made of them; the page is described as ``page_features`` does."""
    columns = dict(zip(first.features, rows.T, strict=True))
    page_row = page_features(url, types, list(texts), columns, probabilities, probabilities >= _STAGE1_THRESHOLD)
    chars = np.expm1(columns["log_chars"].astype(np.float64)) if len(texts) else np.zeros(0)
    return context_columns(chars, layout.at, layout.holders, layout.parents, layout.ends, probabilities, page_row)


@dataclass(frozen=True, eq=False)
class StagedModel:
    """Stage 1 judges each block from its own features, the page's static context and the names
    above it; stage 2 judges it again knowing what stage 1 made of the rest of the page."""

    first: BlockModel
    second: BlockModel
    #: The weights of class and id tokens that stage 1 learned with (``NAME_FEATURES``).
    names: TokenWeights
    #: The weights of words that stage 1 learned with (``WORD_FEATURES``).
    words: TokenWeights

    def probabilities(self, analysis: Analysis, features: np.ndarray, url: str) -> np.ndarray:
        """Each block's probability of being the page's text, from ``block_features``' rows."""
        layout = layout_of(analysis)
        texts = [piece.text for piece in analysis.page.pieces]
        rows = np.hstack([features, static_features(analysis, layout), self.token_columns(layout, texts)])
        return self.of_rows(rows, layout, url, analysis.metadata.types, texts)

    def of_rows(self, rows: np.ndarray, layout: Layout, url: str, types: tuple[str, ...], texts: Sequence[str]) -> np.ndarray:
        """``probabilities`` from stage 1's rows (block and static features) and the page."""
        first = self.first.probabilities(rows)
        return self.second.probabilities(second_rows(self.first, rows, first, layout, url, types, texts))

    def token_columns(self, layout: Layout, texts: Sequence[str]) -> np.ndarray:
        """The rows of ``NAME_FEATURES`` and ``WORD_FEATURES`` of the page's blocks (``texts``),
        by this model's weights."""
        words = self.words.line_columns([repeat_key(text) for text in texts])
        return np.hstack([self.names.columns(layout.hints, layout.ends, layout.at), words])


def second_rows(
    first: BlockModel, rows: np.ndarray, probabilities: np.ndarray, layout: Layout, url: str, types: tuple[str, ...], texts: Sequence[str]
) -> np.ndarray:
    """Stage 2's rows: stage 1's ``rows`` and the context its ``probabilities`` give."""
    return np.hstack([rows, context_features(first, rows, probabilities, layout, url, types, texts)])


@cache
def shipped_staged() -> StagedModel:
    """The package's two stages: ``models/html.npz`` and ``models/html-context.npz``, and the
    name and word weights of ``models/html-names.json`` and ``models/html-words.json``."""
    models = resources.files("copydesk.clean").joinpath("models")
    names, words = (TokenWeights.loads(models.joinpath(f"html-{kind}.json").read_text(encoding="utf-8")) for kind in ("names", "words"))
    return StagedModel(shipped("html"), shipped("html-context"), names, words)
