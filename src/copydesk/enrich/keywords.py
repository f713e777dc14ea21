"""Key phrases, RAKE-style: runs of content words between stopwords and punctuation, ranked by
how often their words recur, with a lift for the words of the title."""

from __future__ import annotations

from collections import Counter

from copydesk.enrich.gazetteer import stopwords
from copydesk.enrich.tokens import Tokens

_MAX_PHRASE_WORDS = 3
_TITLE_LIFT = 1.5
_LONGER_LIFT = 0.5


def find_keywords(tokens: Tokens, title: str = "", limit: int = 10) -> tuple[str, ...]:
    phrases = _phrases(tokens)
    if not phrases:
        return ()
    word_freq = Counter(word for phrase in phrases for word in phrase)
    # Words count as one-word candidates wherever they stand, phrases only as whole runs.
    phrase_freq = Counter(p for p in phrases if len(p) > 1)
    # A word that recurs inside a recurring phrase is that phrase's, not a keyword of its own.
    covered = {word for phrase, n in phrase_freq.items() if n > 1 for word in phrase}
    phrase_freq.update({(word,): n for word, n in word_freq.items() if word not in covered})
    title_words = {w.lower() for w in title.split()}
    scored: list[tuple[float, tuple[str, ...]]] = []
    for phrase, count in phrase_freq.items():
        if len(phrase) == 1 and (len(phrase[0]) < 4 or count < 2):
            continue
        score = count * sum(word_freq[w] for w in phrase) / len(phrase) * (1 + _LONGER_LIFT * (len(phrase) - 1))
        if title_words.intersection(phrase):
            score *= _TITLE_LIFT
        scored.append((score, phrase))
    scored.sort(key=lambda item: -item[0])
    chosen: list[tuple[str, ...]] = []
    for _, phrase in scored:
        # A phrase inside one already chosen adds nothing ("coalition" after "us-led coalition").
        if not any(set(phrase) <= set(c) for c in chosen):
            chosen.append(phrase)
        if len(chosen) == limit:
            break
    return tuple(" ".join(p) for p in chosen)


def _phrases(tokens: Tokens) -> list[tuple[str, ...]]:
    stop = stopwords()
    text = tokens.text
    phrases: list[tuple[str, ...]] = []
    current: list[str] = []
    previous = None
    for word in tokens.words:
        lowered = word.text.lower()
        broken = previous is None or previous.sentence != word.sentence or text[previous.end : word.start] not in (" ", "-")
        content = lowered[0].isalpha() and lowered not in stop and len(lowered) > 1 and not lowered.startswith(("'", "’"))
        if broken or not content:
            _flush(current, phrases)
            current = []
        if content:
            current.append(lowered)
        previous = word
    _flush(current, phrases)
    return phrases


def _flush(current: list[str], phrases: list[tuple[str, ...]]) -> None:
    if 0 < len(current) <= _MAX_PHRASE_WORDS:
        phrases.append(tuple(current))
