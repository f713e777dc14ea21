"""The block model both cleaning modes share: HTML elements and text lines both become blocks,
and one set of features, repeat detection and labels serves them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from copydesk.clean.text_stopwords import STOPWORDS
from copydesk.document import Removed

_WORD = re.compile(r"\w+")
#: Kana and CJK ideographs, as ranges of a character class.
IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
# Scripts written without spaces between words (kana, CJK ideographs, Thai, Lao, Myanmar, Khmer):
# a "word" there is a run of characters, so count characters. Korean spaces its words.
UNSPACED = re.compile(f"[{IDEOGRAPHS}\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
#: Words that start with a capital, in the Latin, Greek and Cyrillic alphabets. The capital
#: comes first and the look back second: the regex engine then skips to capitals at C speed.
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЁ](?<!\w.)")
#: Full stops of the scripts that have them: Latin and its kin, CJK (full-width too), the
#: Devanagari danda, Arabic and Urdu, Armenian, Ethiopic, Myanmar and Khmer.
FULL_STOPS = ".!?。！？।॥؟۔։።။។"
#: What ends a sentence; closing quotes and brackets (``CLOSERS``) may follow it.
_SENTENCE_MARKS = FULL_STOPS + "…:;」』"
CLOSERS = "'\"’”»)]"
#: A block shorter than this ("Share", "Read more") is never evidence of a restatement.
_MIN_PART_CHARS = 80
#: A block shorter than this (in its ``repeat_key``) may repeat: "Share", "Read more".
_MIN_REPEAT_CHARS = 20
_MAX_RESTATEMENTS = 3
#: A page with this many words in blocks, none of them judged the article's, keeps them all: no
#: page with 50 words to read is left without a record (dead-lettered as no_content).
BEST_EFFORT_WORDS = 50


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text the page shows as one unit.

    ``hints`` carries whatever the source knows about the block's context (in HTML the tag
    names, classes and ids of its ancestors; in text mode nothing), lower-cased.
    """

    text: str
    position: int
    tag: str = "p"
    hints: str = ""
    link_chars: int = 0
    heading: bool = False

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


class Shape(NamedTuple):
    """How much a block reads like prose, from its words alone. A named tuple, not a
    dataclass: text mode measures every line of a page, and a frozen dataclass is slower to
    build.

    ``stop_ratio`` is the share of function words (prose has many, menus and credits few);
    ``capital_ratio`` the share of words that start with a capital (headlines and link lists
    are title-cased, sentences are not).
    """

    words: int
    stop_ratio: float
    capital_ratio: float
    sentence_end: bool


def normalize_space(text: str) -> str:
    """``text`` with every run of white space one space, and none at either end."""
    return " ".join(text.split())


def repeat_key(text: str) -> str:
    """Blocks that print the same words in the same order share a key."""
    return " ".join(_WORD.findall(text.lower()))


def shape_and_key(text: str) -> tuple[Shape, str]:
    """The prose features of one block's text, and its ``repeat_key`` (from the same reading
    of its words)."""
    tokens = _WORD.findall(text.lower())
    if not tokens:
        return Shape(0, 0.0, 0.0, False), ""
    # Two characters of Chinese or Japanese carry about one English word, and a run of them is
    # no word: it counts by its characters alone (rounded up, so "新" is a word).
    unspaced = 0 if text.isascii() else len(UNSPACED.findall(text))
    spaced = sum(1 for token in tokens if not UNSPACED.search(token)) if unspaced else len(tokens)
    stops = sum(map(STOPWORDS.__contains__, tokens))
    capitals = len(_CAPITALISED.findall(text))
    sentence_end = text.rstrip(CLOSERS)[-1:] in _SENTENCE_MARKS
    shape = Shape(spaced + (unspaced + 1) // 2, stops / len(tokens), capitals / len(tokens), sentence_end)
    return shape, " ".join(tokens)


def first_occurrences(blocks: Iterable[Block], *, min_chars: int = _MIN_REPEAT_CHARS) -> Iterator[tuple[Block, bool]]:
    """Each block with whether it repeats an earlier one (short blocks such as "Share" never
    count: repeating them is normal).

    Reading a block's words is the slow part, and most blocks repeat none, so only blocks that
    could share a ``repeat_key`` are read: a key is never longer than its lower-cased text, and
    holds every letter of it, so blocks of equal keys have as many of each letter.
    """
    blocks = list(blocks)
    by_letters: dict[tuple[int, ...], list[int]] = {}
    for index, block in enumerate(blocks):
        text = block.text
        if len(text) < min_chars and text.isascii():  # lower-casing keeps its length: too short
            continue
        lower = text.lower()
        if len(lower) >= min_chars:
            letters = (lower.count("e"), lower.count("a"), lower.count("o"), lower.count("t"))
            by_letters.setdefault(letters, []).append(index)
    alike = sorted(index for indices in by_letters.values() if len(indices) > 1 for index in indices)
    repeated = [False] * len(blocks)
    keys = (repeat_key(blocks[index].text) for index in alike)
    for index, is_repeat in zip(alike, repeats(keys, min_chars=min_chars), strict=True):
        repeated[index] = is_repeat
    return zip(blocks, repeated)


def repeats(keys: Iterable[str], *, min_chars: int = _MIN_REPEAT_CHARS) -> Iterator[bool]:
    """For each ``repeat_key``, whether an earlier block had it (short keys never count)."""
    seen: set[str] = set()
    for key in keys:
        yield len(key) >= min_chars and key in seen
        seen.add(key)


def restatements(texts: Sequence[str], *, min_chars: int = 2000, min_parts: int = 2, among: Iterable[int] | None = None) -> set[int]:
    """Indexes of very long blocks (given by their texts) that print other blocks (``among``
    them, by index, when given) inside them: the article again as one run of text (a print
    view, a data attribute rendered as text). They repeat the page without being equal to any
    one block of it."""
    # A page restates itself once or twice at most; looking at its few longest blocks keeps
    # a page of many long paragraphs from costing a search of each in each.
    long = [i for i, text in enumerate(texts) if len(text) >= min_chars]
    long = sorted(long, key=lambda i: -len(texts[i]))[:_MAX_RESTATEMENTS]
    if not long:
        return set()
    parts = [i for i in (range(len(texts)) if among is None else among) if len(texts[i]) >= _MIN_PART_CHARS]
    return {
        i
        for i in long
        if sum(1 for j in parts if j != i and texts[j] in texts[i]) >= min_parts
    }


def best_effort(removed: Sequence[Removed]) -> tuple[list[str], list[Removed]]:
    """For a page where no block reads as the article, what is kept and what stays removed of
    the blocks ``removed``: all but repeats, when they make ``BEST_EFFORT_WORDS`` words or more;
    otherwise nothing is kept."""
    shown = [block for block in removed if block.label != "duplicate"]
    if sum(shape_and_key(block.text)[0].words for block in shown) < BEST_EFFORT_WORDS:
        return [], list(removed)
    return [block.text for block in shown], [replace(block, rule="repeat") for block in removed if block.label == "duplicate"]
