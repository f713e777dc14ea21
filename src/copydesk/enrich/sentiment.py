"""Tone from the VADER lexicon (MIT, shipped in the vaderSentiment package): word valences with
VADER's negation and booster rules, sentence by sentence, so a long article does not saturate."""

from __future__ import annotations

import math
from itertools import compress
from functools import cache
from importlib.resources import files

from copydesk.enrich.tokens import Tokens, tokenize

# VADER's constants: how much a negation damps and a booster shifts, and the normaliser.
_NEGATION_SCALE = -0.74
_BOOST = 0.293
_ALPHA = 15.0
_NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor nowhere cannot without isn't aren't wasn't weren't "
    "don't doesn't didn't won't wouldn't can't couldn't shouldn't hasn't haven't hadn't n't".split()
)
_BOOSTERS = {
    **dict.fromkeys("absolutely amazingly awfully completely considerably decidedly deeply enormously "
                    "entirely especially exceptionally extremely fully greatly highly hugely incredibly "
                    "intensely majorly more most particularly purely quite really remarkably so "
                    "substantially thoroughly totally tremendously uber unbelievably unusually utterly "
                    "very".split(), _BOOST),
    **dict.fromkeys("almost barely hardly less little marginally occasionally partly scarcely slightly "
                    "somewhat".split(), -_BOOST),
}


@cache
def _lexicon() -> dict[str, float]:
    lines = files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8").splitlines()
    return {word: float(score) for word, score, *_ in (line.split("\t") for line in lines if "\t" in line)}


def sentence_score(words: list[str]) -> float:
    """VADER's compound score of one sentence's lower-cased words, in -1..1."""
    valences = list(map(_lexicon().get, words))
    return _compound(words, valences, 0, len(words))


def _compound(words: list[str], valences: list[float | None], begin: int, end: int) -> float:
    """The score of ``words[begin:end]``, given each word's lexicon valence (None: not in it)."""
    total = 0.0
    for i in compress(range(begin, end), valences[begin:end]):
        valence = valences[i]
        previous = words[i - 1] if i > begin else ""
        if previous in _BOOSTERS:
            valence += _BOOSTERS[previous] if valence > 0 else -_BOOSTERS[previous]
        if not _NEGATIONS.isdisjoint(words[max(begin, i - 3) : i]):
            valence *= _NEGATION_SCALE
        total += valence
    return total / math.sqrt(total * total + _ALPHA) if total else 0.0


def body_sentiment(tokens: Tokens) -> float:
    """The mean tone of the article's sentences."""
    if not tokens.sentences:
        return 0.0
    # Looked up once for the whole text in C; only the words the lexicon knows reach Python.
    valences = list(map(_lexicon().get, tokens.lower))
    bounds = tokens.sentence_words
    total = sum(_compound(tokens.lower, valences, a, b) for a, b in zip(bounds, bounds[1:]) if any(valences[a:b]))
    return round(total / len(tokens.sentences), 4)


def text_sentiment(text: str) -> float:
    """The tone of a short text such as a title."""
    return body_sentiment(tokenize(text))
