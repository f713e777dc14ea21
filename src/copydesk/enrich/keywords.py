"""Key phrases: the one- to three-word runs of content words (no stopwords, no punctuation inside)
that recur, longer and title words first. A phrase that only ever occurs inside a longer one is
left to the longer one."""

from __future__ import annotations

from collections import Counter
from itertools import compress
from operator import and_, itemgetter, sub

from copydesk.enrich.gazetteer import stopwords_for
from copydesk.enrich.tokens import Tokens

_MIN_WORD_CHARS = 4
_TITLE_LIFT = 1.5
_LONGER_LIFT = 0.5
# The gaps a phrase runs across.
_JOINS = frozenset((" ", "-"))


def find_keywords(tokens: Tokens, title: str = "", limit: int = 10, language: str = "en") -> tuple[str, ...]:
    recurring = _recurring(tokens, stopwords_for(language))
    title_words = {w.lower() for w in title.split()}
    subsumed = _subsumed(recurring)
    scored = sorted(
        (
            (n * (1 + _LONGER_LIFT * (len(gram) - 1)) * (_TITLE_LIFT if title_words.intersection(gram) else 1), gram)
            for gram, n in recurring.items()
            if gram not in subsumed
        ),
        key=itemgetter(0),
        reverse=True,  # still stable: equal scores keep the order of first use
    )
    # Words hold no spaces, so a phrase lies inside a chosen one when its spaced form is in theirs.
    chosen: list[str] = []
    for _, gram in scored:
        spaced = f" {' '.join(gram)} "
        if not any(spaced in c for c in chosen):
            chosen.append(spaced)
        if len(chosen) == limit:
            break
    return tuple(c[1:-1] for c in chosen)


def _recurring(tokens: Tokens, stop: frozenset[str]) -> dict[tuple[str, ...], int]:
    """The one- to three-word phrases that occur more than once, shorter first and each length
    in the order of first use (which settles equal scores)."""
    lower = tokens.lower
    words = Counter(lower)
    # A phrase recurs only if its content words (no stopwords, numbers or single letters) do, so
    # only those words are looked at: a few hundred of an article's thousands.
    again = {w: n for w, n in words.items() if n > 1 and len(w) > 1 and w[0].isalpha() and w not in stop}
    phrases: dict[tuple[str, ...], int] = {(w,): n for w, n in again.items() if len(w) >= _MIN_WORD_CHARS}
    at = list(compress(range(len(lower)), map(again.__contains__, lower)))
    content = list(map(lower.__getitem__, at))
    # Whether each content word goes on from the one before it: the very next word, across a
    # space or a hyphen (any other word or gap is a break no phrase crosses). Columns in C.
    linked = list(map(and_, map((1).__eq__, map(sub, at[1:], at)), map(_JOINS.__contains__, map(tokens.gaps.__getitem__, at[1:]))))
    pairs = Counter(compress(zip(content, content[1:]), linked))
    phrases.update((gram, n) for gram, n in pairs.items() if n > 1)
    triples = Counter(compress(zip(content, content[1:], content[2:]), map(and_, linked, linked[1:])))
    phrases.update((gram, n) for gram, n in triples.items() if n > 1)
    return phrases


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
