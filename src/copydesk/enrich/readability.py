"""Length and difficulty: word count, reading time at 230 words a minute, Flesch-Kincaid grade."""

from __future__ import annotations

import re

from copydesk.enrich.tokens import Tokens

_WORDS_PER_MINUTE = 230
# Counted over the whole lower-cased text in C rather than word by word in Python.
_CLITIC = re.compile(r"(?<=\w)['’][sS]\b")
_ALPHA_WORD = re.compile(r"(?<![\w'’])[^\W\d_][\w'’-]*")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# A final silent "e" after a consonant in a word with another vowel ("make", not "the", "table").
_SILENT_E = re.compile(r"[aeiouy][a-z]*[^aeiouyl\W]e\b")
_NO_VOWEL = re.compile(r"(?<!['’])\b[^aeiouy\W\d_]+\b")


def word_count(tokens: Tokens) -> int:
    """Words as a reader counts them: "Suleimani's" is one."""
    return len(tokens.words) - len(_CLITIC.findall(tokens.text))


def reading_time_s(words: int) -> int:
    return round(words * 60 / _WORDS_PER_MINUTE)


def flesch_kincaid_grade(tokens: Tokens) -> float:
    """The US school grade the text reads at, with the usual vowel-group syllable estimate; the
    rule is English, so callers use it for English only."""
    lowered = tokens.text.lower()
    words = len(_ALPHA_WORD.findall(lowered))
    if not words or not tokens.sentences:
        return 0.0
    syllables = len(_VOWEL_GROUPS.findall(lowered)) - len(_SILENT_E.findall(lowered)) + len(_NO_VOWEL.findall(lowered))
    grade = 0.39 * words / len(tokens.sentences) + 11.8 * syllables / words - 15.59
    return round(grade, 2)
