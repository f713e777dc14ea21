"""One tokenisation every stage shares: sentences and words with character offsets, made once.

Offsets index the text enrichment was given (the record's ``text``), so entities and dates can
point back into it. Words are kept as parallel columns (text, start, end, lower-cased) built by C
code (one ``re.split`` and running sums of the pieces' lengths): an article has thousands of
words, and a Python object per word would cost more than all the stages that read them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, repeat
from operator import attrgetter
from typing import NamedTuple

# Abbreviations with dotted initials ("U.S.") stay one token; possessive "'s" is split off so
# "Suleimani's" is the name plus a clitic. Both open on one character class, so the engine
# skips the gaps between words in C; a look-behind at that character then tells a word from a
# clitic. The dot of "U.S." is looked for before the capital behind it (most words have no dot,
# and a literal fails faster than a look-behind), and possessive quantifiers spare the engine
# backtracking that could never succeed.
_WORD = re.compile(r"([\w'’](?:(?<!['’])(?:\.(?<=[A-Z]\.)(?:[A-Z]\.)+|\w*+(?:[-.]\w++)*+(?:['’](?![sS]\b)\w++)*+)|(?<=['’])[sS]\b))")
# A sentence ends in punctuation before a capital or a digit, or at a blank line. Opening on one
# character class lets the engine jump between candidates in C; the look-behinds then say which.
_SENTENCE_END = re.compile(r"[.!?…\n](?:(?<=[.!?…])[.!?…]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|(?<=\n)\s*\n)")
# Words that end in a dot without ending a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen maj col lt sgt capt cmdr adm sen rep gov st jr sr inc corp ltd co vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec no mt ft rev hon pres gov supt insp".split()
)
_LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS))
# The letters right before a dot (only as many as the longest abbreviation has matter).
_LETTERS_BEFORE = re.compile(r"[^\W\d_]+\Z")


class Sentence(NamedTuple):
    text: str
    start: int
    end: int


# A sentence from a tuple of its fields, made by the tuple constructor in C: a named tuple's own
# constructor is Python code, and a text has dozens of sentences.
_new_sentence = partial(tuple.__new__, Sentence)


@dataclass(frozen=True, slots=True)
class Tokens:
    text: str
    sentences: tuple[Sentence, ...]
    #: the words, and where each starts and ends in ``text``
    words: list[str]
    starts: list[int]
    ends: list[int]
    #: each word lower-cased, with curly apostrophes made straight, once for every stage
    lower: list[str]
    #: the gap before each word ("" when it follows a word or a clitic directly)
    gaps: list[str]
    #: the index of each sentence's first word (and the word count at the end)
    sentence_words: tuple[int, ...]


def tokenize(text: str) -> Tokens:
    sentences = tuple(split_sentences(text))
    # split() alternates gap, word, gap, ..., gap; the running sum of their lengths gives offsets.
    pieces = _WORD.split(text)
    bounds = list(accumulate(map(len, pieces)))
    words, gaps = pieces[1::2], pieces[0:-1:2]
    starts, ends = bounds[0:-1:2], bounds[1::2]
    lower = list(map(str.lower, words))
    if "’" in text:  # a third of texts have none, and sparing them a call a word is cheap
        lower = list(map(str.replace, lower, repeat("’"), repeat("'")))
    sentence_words = (*map(bisect_left, repeat(starts), map(attrgetter("start"), sentences)), len(words))
    return Tokens(text, sentences, words, starts, ends, lower, gaps, sentence_words)


def split_sentences(text: str) -> list[Sentence]:
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.group()[0] != "." or not _is_abbreviation(text, m.start())]
    sentences: list[Sentence] = []
    for start, end in zip([0, *ends], [*ends, len(text)]):
        part = text[start:end]
        stripped = part.strip()
        if stripped:
            start += part.index(stripped[0])  # past the whitespace strip() took off the front
            sentences.append(_new_sentence((stripped, start, start + len(stripped))))
    return sentences


def _is_abbreviation(text: str, dot: int) -> bool:
    window = max(0, dot - _LONGEST_ABBREVIATION - 1)
    if window and text[window:dot].isalpha():
        return False  # a word longer than any abbreviation: what ends most sentences
    found = _LETTERS_BEFORE.search(text, window, dot)
    word = found.group() if found else ""
    # A single capital is an initial ("George W. Bush"); dotted acronyms end sentences only
    # when the next sentence follows, which we cannot tell, so keep them inside.
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())
