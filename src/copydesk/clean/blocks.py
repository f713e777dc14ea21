"""The block model both cleaning modes share: HTML elements and text lines both become blocks,
and one set of features, repeat detection and labels serves them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text the page shows as one unit.

    ``hints`` carries whatever the source knows about the block's context (in HTML the tag
    names, classes and ids of its ancestors; in text mode nothing), lower-cased.
    """

    text: str
    position: int
    tag: str = "p"
    hints: str = ""
    link_chars: int = 0
    heading: bool = False

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def normalize_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def repeat_key(text: str) -> str:
    """Blocks that print the same words in the same order share a key."""
    return " ".join(re.findall(r"\w+", text.lower()))


def first_occurrences(blocks: Iterable[Block], *, min_chars: int = 20) -> Iterator[tuple[Block, bool]]:
    """Each block with whether it repeats an earlier one (short blocks such as "Share" never
    count: repeating them is normal)."""
    seen: set[str] = set()
    for block in blocks:
        key = repeat_key(block.text)
        repeated = len(key) >= min_chars and key in seen
        seen.add(key)
        yield block, repeated
