"""The lead: news puts the essentials first, so the summary is the body's opening sentences."""

from __future__ import annotations

from copydesk.enrich.tokens import Tokens

_MAX_SENTENCES = 3
_ENOUGH_WORDS = 45
_MIN_SENTENCE_WORDS = 5


def lead_summary(tokens: Tokens) -> str:
    chosen: list[str] = []
    words = 0
    for sentence in tokens.sentences:
        parts = sentence.text.split()
        # Datelines, credits and one-word lines open many bodies without saying anything.
        if len(parts) < _MIN_SENTENCE_WORDS or not any(ch.islower() for ch in sentence.text):
            continue
        chosen.append(" ".join(parts))
        words += len(parts)
        if len(chosen) == _MAX_SENTENCES or (len(chosen) >= 2 and words >= _ENOUGH_WORDS):
            break
    return " ".join(chosen)
