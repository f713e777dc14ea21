"""Regex matches without the regex engine's scan of every character.

The engine tries a pattern at each position of the text in turn, which costs more than the
matching when matches are few and far between. Where the places a match can start are known
more cheaply (from the words, or by ``str.find``), trying the pattern there alone finds the
same matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, given, in text order, every place where one of its
    matches could start (more places do no harm). Like finditer, a match is looked for only
    after the one before it ends; the pattern must not match the empty string."""
    matches: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):
            matches.append(match)
            end = match.end()
    return matches
