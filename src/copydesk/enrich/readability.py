"""Length and difficulty: word count, reading time at 230 words a minute, Flesch-Kincaid grade."""

from __future__ import annotations

import re

from copydesk.enrich.tokens import Tokens

_WORDS_PER_MINUTE = 230
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# A final silent "e" after a consonant in a word with another vowel ("make", not "the", "table").
_SILENT_E = re.compile(r"[aeiouy][a-z]*[^aeiouyl\s]e\b")
_NO_VOWEL = re.compile(r"\b[^aeiouy\s]+\b")


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
    # The usual vowel-group estimate, counted over the whole text at once rather than word by word.
    text = " ".join(w for w in tokens.lower if w[0].isalpha())
    syllable_count = len(_VOWEL_GROUPS.findall(text)) - len(_SILENT_E.findall(text)) + len(_NO_VOWEL.findall(text))
    grade = 0.39 * len(words) / len(tokens.sentences) + 11.8 * syllable_count / len(words) - 15.59
    return round(grade, 2)
