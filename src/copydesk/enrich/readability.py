"""Length and difficulty: word count, reading time, Flesch-Kincaid grade."""

from __future__ import annotations

import re

from copydesk.enrich.tokens import Tokens

# Syllables are counted over the whole lower-cased text in C rather than word by word in Python:
# each vowel becomes a byte 1 and everything else a byte 0, and the bytes are read as one big
# number, so a vowel group opens at each 1 after a 0 (or at the start), which a shift, two bit
# operations and a bit count find.
_VOWEL_BYTES = bytes(chr(i) in "aeiouy" for i in range(256))
# A final silent "e" after a consonant in a word with another vowel ("make", not "the", "table"),
# looked for in the reversed text. The pattern opens on the literal "e" (the word boundary is
# checked behind it), so the engine jumps from "e" to "e" instead of trying every position.
_SILENT_E_REVERSED = re.compile(r"e(?<!\we)[^aeiouyl\W][a-z]*?[aeiouy]")


def word_count(tokens: Tokens) -> int:
    """Words as a reader counts them: "Suleimani's" is one."""
    return len(tokens.words) - tokens.lower.count("'s")


def reading_time_s(words: int, words_per_minute: int) -> int:
    return round(words * 60 / words_per_minute)


def flesch_kincaid_grade(tokens: Tokens) -> float:
    """The US school grade the text reads at, with the usual vowel-group syllable estimate; the
    rule is English, so callers use it for English only."""
    words = word_count(tokens)
    if not words or not tokens.sentences:
        return 0.0
    lowered = tokens.text.lower()
    vowels = int.from_bytes(lowered.encode("utf-8").translate(_VOWEL_BYTES), "big")
    vowel_groups = (vowels & ~(vowels >> 8)).bit_count()  # >> 8 lines each byte up with the one after it
    syllables = max(vowel_groups - len(_SILENT_E_REVERSED.findall(lowered[::-1])), words)
    grade = 0.39 * words / len(tokens.sentences) + 11.8 * syllables / words - 15.59
    return round(grade, 2)
