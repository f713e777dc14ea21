"""Key phrases: the one- to three-word runs of content words (no stopwords, no punctuation inside)
that recur, longer and title words first. A phrase that only ever occurs inside a longer one is
left to the longer one."""

from __future__ import annotations

from collections import Counter
from itertools import chain, compress, repeat

from copydesk.enrich.gazetteer import stopwords
from copydesk.enrich.tokens import Tokens

_MAX_PHRASE_WORDS = 3
_MIN_WORD_CHARS = 4
_TITLE_LIFT = 1.5
_LONGER_LIFT = 0.5
_BREAK = "|"
# The gaps a phrase runs across; they leave nothing in the sequence, any other gap a _BREAK.
_JOINS = {" ": "", "-": ""}


def find_keywords(tokens: Tokens, title: str = "", limit: int = 10) -> tuple[str, ...]:
    recurring = _recurring(tokens)
    title_words = {w.lower() for w in title.split()}
    subsumed = _subsumed(recurring)
    scored = sorted(
        (
            (n * (1 + _LONGER_LIFT * (len(gram) - 1)) * (_TITLE_LIFT if title_words.intersection(gram) else 1), gram)
            for gram, n in recurring.items()
            if gram not in subsumed
        ),
        key=lambda item: -item[0],
    )
    chosen: list[tuple[str, ...]] = []
    for _, gram in scored:
        if not any(_inside(gram, c) for c in chosen):
            chosen.append(gram)
        if len(chosen) == limit:
            break
    return tuple(" ".join(g) for g in chosen)


def _recurring(tokens: Tokens) -> dict[tuple[str, ...], int]:
    """The one- to three-word phrases (_MAX_PHRASE_WORDS) that occur more than once, shorter
    first and each length in the order of first use (which settles equal scores)."""
    words = Counter(tokens.lower)
    stop = stopwords()
    # A phrase recurs only if its content words (no stopwords, numbers or single letters) do: the
    # other words are breaks, so far fewer phrases are built.
    again = {w: w for w, n in words.items() if n > 1 and len(w) > 1 and w[0].isalpha() and w not in stop}
    seq = _content_sequence(tokens, again)
    phrases: dict[tuple[str, ...], int] = {(w,): words[w] for w in again if len(w) >= _MIN_WORD_CHARS}
    kept = list(map(_BREAK.__ne__, seq))
    for size in range(2, _MAX_PHRASE_WORDS + 1):
        # zip builds the phrases in C; compress first drops every position that opens on a
        # break, so those phrases are never made.
        counts = Counter(zip(*(compress(seq[i:], kept) for i in range(size))))
        phrases.update((gram, n) for gram, n in counts.items() if n > 1 and _BREAK not in gram)
    return phrases


def _content_sequence(tokens: Tokens, content: dict[str, str]) -> list[str]:
    """The ``content`` words in text order, with _BREAK for every other word and wherever
    punctuation or any gap but a space or a hyphen falls, so no phrase crosses a sentence or
    clause boundary."""
    # dict.get over whole columns runs in C; each word is tested once however often it recurs.
    joins = map(_JOINS.get, tokens.gaps, repeat(_BREAK))
    marks = map(content.get, tokens.lower, repeat(_BREAK))
    return list(filter(None, chain.from_iterable(zip(joins, marks))))


def _subsumed(recurring: dict[tuple[str, ...], int]) -> set[tuple[str, ...]]:
    """The phrases a longer recurring phrase holds every time they occur."""
    inner: set[tuple[str, ...]] = set()
    for gram, n in recurring.items():
        for size in range(1, len(gram)):
            for i in range(len(gram) - size + 1):
                part = gram[i : i + size]
                if recurring.get(part) == n:
                    inner.add(part)
    return inner


def _inside(gram: tuple[str, ...], other: tuple[str, ...]) -> bool:
    size = len(gram)
    return any(other[i : i + size] == gram for i in range(len(other) - size + 1))
