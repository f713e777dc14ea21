"""Length and difficulty: word count, reading time at 230 words a minute, Flesch-Kincaid grade."""

from __future__ import annotations

from collections import Counter

from copydesk.enrich.tokens import Tokens, syllables

_WORDS_PER_MINUTE = 230


def word_count(tokens: Tokens) -> int:
    return sum(1 for w in tokens.words if not w.text.startswith(("'", "’")))


def reading_time_s(words: int) -> int:
    return round(words * 60 / _WORDS_PER_MINUTE)


def flesch_kincaid_grade(tokens: Tokens) -> float:
    """The US school grade the text reads at; its syllable rule is English, so callers use it for
    English only."""
    words = tokens.alpha_words
    if not words or not tokens.sentences:
        return 0.0
    syllable_count = sum(syllables(w) * n for w, n in Counter(w.lower() for w in words).items())
    grade = 0.39 * len(words) / len(tokens.sentences) + 11.8 * syllable_count / len(words) - 15.59
    return round(grade, 2)
