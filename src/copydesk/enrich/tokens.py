"""One tokenisation every stage shares: sentences and words with character offsets, made once.

Offsets index the text enrichment was given (the record's ``text``), so entities and dates can
point back into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

# Abbreviations with dotted initials ("U.S.") stay one token; possessive "'s" is split off so
# "Suleimani's" is the name plus a clitic.
_WORD = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[-.]\w+)*(?:['’](?![sS]\b)\w+)*|['’][sS]\b")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")
# Words that end in a dot without ending a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen maj col lt sgt capt cmdr adm sen rep gov st jr sr inc corp ltd co vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec no mt ft rev hon pres gov supt insp".split()
)
# Building the tuple directly skips the named tuple's Python-level constructor.
_new_word = tuple.__new__


class Word(NamedTuple):
    """A tuple, not a frozen dataclass: articles have thousands of words, and building frozen
    dataclasses costs several times as much."""

    text: str
    start: int
    end: int
    sentence: int


class Sentence(NamedTuple):
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Tokens:
    text: str
    sentences: tuple[Sentence, ...]
    words: tuple[Word, ...]
    #: each word lower-cased, with curly apostrophes made straight, once for every stage
    lower: tuple[str, ...]


def tokenize(text: str) -> Tokens:
    sentences = split_sentences(text)
    words = [
        _new_word(Word, (match.group(), *match.span(), i))
        for i, sentence in enumerate(sentences)
        for match in _WORD.finditer(text, sentence.start, sentence.end)
    ]
    lower = text.lower().replace("’", "'")  # same length, so word offsets still hold
    return Tokens(text, tuple(sentences), tuple(words), tuple([lower[start:end] for _, start, end, _ in words]))


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group()[0] == "." and _is_abbreviation(text, match.start()):
            continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and text[word_start - 1].isalpha():
        word_start -= 1
    word = text[word_start:dot]
    # A single capital is an initial ("George W. Bush"); dotted acronyms end sentences only
    # when the next sentence follows, which we cannot tell, so keep them inside.
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        sentences.append(Sentence(text[start:end], start, end))

