"""What the class and id names above a block say of it, as learned from labelled pages.

Hand-written word lists (``html``'s furniture and content words, ``context``'s comment and
post words) know the names their authors met. ``NameWeights`` knows the tokens of the names
that hold article text, or never do, on the sites of the training pages: a token's weight is
the log-odds that the text under it is the article, against the odds of any text (fitted by
``bench/train_blocks.py``, shipped beside the block models, each fold model with its own).
Every site counts once, so one site's odd names cannot make a weight.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count

import numpy as np

#: A token of a class or id: a letter and two or more letters or digits ("post" of "post_42").
#: A generated hash makes one too, but it gets a weight only where many sites share it.
_TOKEN = re.compile(r"[a-z][a-z0-9]{2,24}")

NAME_FEATURES: tuple[str, ...] = ("name_nearest", "name_max", "name_min")


def name_tokens(hints: str) -> frozenset[str]:
    """The tokens of an element's lower-cased class and id (``_Element.hints``)."""
    return frozenset(_TOKEN.findall(hints))


@dataclass(frozen=True, eq=False)
class NameWeights:
    """Each known token's log-odds of article text, less that of any text (0: says nothing)."""

    weights: Mapping[str, float]

    def __post_init__(self) -> None:
        # Menus, footers and cards bring the same names to every page of a site.
        object.__setattr__(self, "_said", lru_cache(maxsize=16384)(self._said_by))

    def _said_by(self, hints: str) -> tuple[float, float, float] | None:
        """The mean, the highest and the lowest weight of the known tokens of ``hints``."""
        known = [self.weights[token] for token in name_tokens(hints) if token in self.weights]
        return (sum(known) / len(known), max(known), min(known)) if known else None

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
    def loads(cls, text: str) -> NameWeights:
        return cls(json.loads(text))
