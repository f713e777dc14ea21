"""What the class and id names above a block, and the words of a block or a line, say of it, as
learned from labelled pages.

Hand-written word lists (``html``'s furniture and content words, ``context``'s comment and
post words, ``labels``' calls to action) know the names and phrases their authors met.
``TokenWeights`` knows the tokens that come with article text, or never do, on the sites of the
training pages: a token's weight is the log-odds that the text with it (under a named element,
or the block or line that says a word) is the article, against the odds of any text
(fitted by ``bench/train_blocks.py``, shipped beside the block models, each fold model with its
own). Every site counts once, so one site's odd names or menu cannot make a weight.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count

import numpy as np

from copydesk.clean.text_stopwords import STOPWORDS

#: A token of a class or id: a letter and two or more letters or digits ("post" of "post_42").
#: A generated hash makes one too, but it gets a weight only where many sites share it.
_TOKEN = re.compile(r"[a-z][a-z0-9]{2,24}")

NAME_FEATURES: tuple[str, ...] = ("name_nearest", "name_max", "name_min")
#: What a block's or a line's words say: the mean, the highest and the lowest weight of its known
#: words.
WORD_FEATURES: tuple[str, ...] = ("word_mean", "word_max", "word_min")


def name_tokens(hints: str) -> frozenset[str]:
    """The tokens of an element's lower-cased class and id (``_Element.hints``)."""
    return frozenset(_TOKEN.findall(hints))


def word_tokens(key: str) -> frozenset[str]:
    """The words of a block's or a line's ``blocks.repeat_key`` that are not numbers, single
    letters or function words. A function word says which language a text is in, not which part
    of a page it is (the stopword features read it): learned from pages nearly all in English,
    German's "und" and "sie" or Spanish's "en" took the weights of the foreign menus and notices
    they came in, and cut prose in those languages."""
    return frozenset(word for word in key.split(" ") if len(word) > 1 and not word.isdigit() and word not in STOPWORDS)


@dataclass(frozen=True, eq=False)
class TokenWeights:
    """Each known token's log-odds of article text, less that of any text (0: says nothing)."""

    weights: Mapping[str, float]

    def __post_init__(self) -> None:
        # Menus, footers and cards bring the same names to every page of a site.
        object.__setattr__(self, "_said", lru_cache(maxsize=16384)(lambda hints: self._said_by(name_tokens(hints))))
        object.__setattr__(self, "_known", frozenset(self.weights))

    def _said_by(self, tokens: frozenset[str] | set[str]) -> tuple[float, float, float] | None:
        """The mean, the highest and the lowest weight of the known ``tokens``."""
        known = [self.weights[token] for token in self._known & tokens]  # type: ignore[attr-defined]
        return (sum(known) / len(known), max(known), min(known)) if known else None

    def line_columns(self, keys: Sequence[str]) -> np.ndarray:
        """For each block or line (``keys``: its ``blocks.repeat_key``), the row of
        ``WORD_FEATURES`` (0 where no word is known)."""
        # Every known word is one of ``word_tokens``: the line's other words need no sifting.
        rows = [self._said_by(set(key.split(" "))) or (0.0, 0.0, 0.0) for key in keys]
        return np.array(rows, np.float32).reshape(len(keys), len(WORD_FEATURES))

    def columns(self, hints: Sequence[str], ends: Sequence[int], at: np.ndarray) -> np.ndarray:
        """For each block (``at``: its element), the rows of ``NAME_FEATURES``: the mean weight
        of the nearest element above it with known tokens, and the highest and the lowest
        weight above it (0 where none is known)."""
        # Elements come in document order, an element's subtree the run of elements up to its
        # ``ends`` entry: the named elements still open when one starts are those above it, and
        # the last one to claim an element's subtree is the nearest above it.
        nearest = np.zeros(len(ends), np.intp)
        rows = [(0.0, 0.0, 0.0)]  # what each named element says, row 0 for none
        above: list[tuple[int, int]] = []  # the named elements still open: their end and row
        said = self._said  # type: ignore[attr-defined]
        for index in compress(count(), hints):
            found = said(hints[index])
            if found is None:
                continue
            while above and above[-1][0] <= index:
                above.pop()
            _, highest, lowest = rows[above[-1][1]] if above else rows[0]
            nearest[index : ends[index]] = len(rows)
            above.append((ends[index], len(rows)))
            rows.append((found[0], max(found[1], highest), min(found[2], lowest)))
        return np.array(rows, np.float32)[nearest[at]]

    def dumps(self) -> str:
        return json.dumps({token: round(weight, 4) for token, weight in sorted(self.weights.items())}, indent=0)

    @classmethod
    def loads(cls, text: str) -> TokenWeights:
        return cls(json.loads(text))
