"""Length and difficulty: word count, reading time at 230 words a minute, Flesch-Kincaid grade."""

from __future__ import annotations

import re

from copydesk.enrich.tokens import Tokens

_WORDS_PER_MINUTE = 230
# Syllables are counted over the whole lower-cased text in C rather than word by word in Python.
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# A final silent "e" after a consonant in a word with another vowel ("make", not "the", "table").
_SILENT_E = re.compile(r"[aeiouy][a-z]*[^aeiouyl\W]e\b")


def word_count(tokens: Tokens) -> int:
    """Words as a reader counts them: "Suleimani's" is one."""
    return len(tokens.words) - tokens.lower.count("'s")


def reading_time_s(words: int) -> int:
    return round(words * 60 / _WORDS_PER_MINUTE)


def flesch_kincaid_grade(tokens: Tokens) -> float:
    """The US school grade the text reads at, with the usual vowel-group syllable estimate; the
    rule is English, so callers use it for English only."""
    words = word_count(tokens)
    if not words or not tokens.sentences:
        return 0.0
    lowered = tokens.text.lower()
    syllables = max(len(_VOWEL_GROUPS.findall(lowered)) - len(_SILENT_E.findall(lowered)), words)
    grade = 0.39 * words / len(tokens.sentences) + 11.8 * syllables / words - 15.59
    return round(grade, 2)
