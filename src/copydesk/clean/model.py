"""The block model: which blocks of a page are the article, learned from labelled pages.

Gradient-boosted oblivious decision trees (each level of a tree asks one question of every
block), trained by ``bench/train_blocks.py`` and shipped as a small ``.npz`` inside the package.
Oblivious trees evaluate in a handful of numpy operations for all blocks and trees at once, so
running the model needs numpy alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from copydesk.clean.labels import is_comment_heading


class _Layout(NamedTuple):
    """A model's trees as ``BlockModel.probabilities`` reads them: the distinct questions
    (feature, border), each level's question of every tree as an index into them, the type
    that holds a leaf's index, and where each tree's leaves start in the flattened leaf values."""

    features: np.ndarray
    borders: np.ndarray
    levels: list[np.ndarray]
    leaf_type: np.dtype
    offsets: np.ndarray


@dataclass(frozen=True, eq=False)
class BlockModel:
    """``split_feature``/``split_border`` are (trees, depth): level j of a tree sends a block
    right when its feature exceeds the border, and the levels' answers, as bits, index the
    tree's ``leaf_values`` (trees, 2**depth). The sum over trees plus ``bias`` is the log-odds
    that the block is article text (which blocks are kept, the cleaners decide from all of a
    page's probabilities: ``expected_f1_keeps``)."""

    features: tuple[str, ...]
    split_feature: np.ndarray
    split_border: np.ndarray
    leaf_values: np.ndarray
    bias: float

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """For each row of features (``features`` order), the probability it is article text."""
        if len(rows) == 0:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(self._tree_values(rows).sum(1) + self.bias)))

    def _tree_values(self, rows: np.ndarray) -> np.ndarray:
        """The value of the leaf each row reaches in each tree: (rows, trees), in C order, as
        numpy sums a contiguous row pairwise and the sums must be the ones the model was
        scored with."""
        layout = self._layout
        # Trees share many of their questions: each distinct one is asked of every row once,
        # and each level of the trees looks its answers up. Questions and trees are rows here,
        # the blocks columns, so each look-up copies a whole row of answers.
        answers = (np.ascontiguousarray(rows.T)[layout.features] > layout.borders[:, None]).astype(layout.leaf_type)
        leaves = answers[layout.levels[0]]
        for level in range(1, len(layout.levels)):
            leaves |= answers[layout.levels[level]] << level
        return np.ascontiguousarray(self.leaf_values.ravel()[leaves + layout.offsets[:, None]].T)

    @cached_property
    def _layout(self) -> _Layout:
        questions: dict[tuple[int, float], int] = {}
        levels = [
            np.array([questions.setdefault((int(f), b), len(questions)) for f, b in zip(features, borders, strict=True)], np.intp)
            for features, borders in zip(self.split_feature.T, self.split_border.T, strict=True)
        ]
        trees, leaves = self.leaf_values.shape
        return _Layout(
            np.array([f for f, _ in questions], np.intp),
            np.array([b for _, b in questions], self.split_border.dtype),
            levels,
            np.min_scalar_type(leaves - 1),
            np.arange(trees, dtype=np.intp) * leaves,
        )

    def save(self, path: Path) -> None:
        buffer = BytesIO()
        np.savez_compressed(
            buffer,
            features=np.array(self.features),
            split_feature=self.split_feature.astype(np.int16),
            split_border=self.split_border.astype(np.float32),
            leaf_values=self.leaf_values.astype(np.float32),
            bias=np.float64(self.bias),
        )
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, data: bytes) -> BlockModel:
        with np.load(BytesIO(data)) as npz:
            return cls(
                tuple(str(name) for name in npz["features"]),
                npz["split_feature"].astype(np.intp),
                npz["split_border"],
                npz["leaf_values"],
                float(npz["bias"]),
            )


def probabilities_of(models: tuple[BlockModel, ...], rows: np.ndarray) -> np.ndarray:
    """Each model's ``probabilities`` of the rows, as columns, from one pass over all their
    trees: models of as many trees of one depth, reading the same features."""
    values = _side_by_side(models)._tree_values(rows).reshape(len(rows), len(models), -1).sum(2)
    # The biases as float32, as each model adds its own to its float32 sum.
    biases = np.array([model.bias for model in models], np.float32)
    return 1.0 / (1.0 + np.exp(-(values + biases)))


def mean_model(models: Sequence[BlockModel]) -> BlockModel:
    """The model whose log-odds are the mean of ``models``' (of one depth, reading the same
    features): their trees side by side, each leaf and the bias divided by their number."""
    return _joined(tuple(models), 1 / len(models))


@cache
def _side_by_side(models: tuple[BlockModel, ...]) -> BlockModel:
    """The trees of ``models`` as those of one model (bias unused)."""
    return _joined(models, 1.0)


def _joined(models: tuple[BlockModel, ...], weight: float) -> BlockModel:
    return BlockModel(
        models[0].features,
        np.concatenate([model.split_feature for model in models]),
        np.concatenate([model.split_border for model in models]),
        np.concatenate([model.leaf_values for model in models]) * weight,
        sum(model.bias for model in models) * weight,
    )


@cache
def shipped(name: str) -> BlockModel:
    """The model the package ships as ``models/<name>.npz``, read once per process."""
    return BlockModel.load(resources.files("copydesk.clean").joinpath("models", f"{name}.npz").read_bytes())


#: With ``or_none``, a page whose best choice of blocks is expected to score below this word F1
#: keeps none (the cleaner's fallbacks decide). Stage 2's odds are flattened (its calibration,
#: ``bench/train_blocks.py``), which lifts the many small chances of a page of thousands of
#: doubtful blocks: 20,000 list items before one paragraph expect 0.25. Of 0.2, 0.25 and 0.3 on
#: the whole cleaner out of fold (WCXB-dev 0.8565, 0.8561, 0.8551; scrapinghub 0.957 each; fitted
#: on scrapinghub and scored on WCXB 0.771, 0.773, 0.775), the one that keeps that paragraph.
_LEAST_EXPECTED_F1 = 0.3


def expected_f1_keeps(probabilities: np.ndarray, words: np.ndarray, *, or_none: bool = False) -> np.ndarray:
    """The blocks to keep, of ``words`` words each, to make the expected F1 of the kept words the
    highest when each block is article text with its probability: the likeliest ``k`` for the
    best ``k`` (expected true words kept, twice, over the words kept plus the words expected to
    be article). With ``or_none``, none when the page more likely holds no article text at all
    than that best choice's expected F1, or when that is below ``_LEAST_EXPECTED_F1`` (a page of
    thousands of doubtful blocks, whose many small chances add up to more words than its likely
    text has): keeping nothing is then right, or the caller's fallbacks decide better."""
    keep = np.zeros(len(probabilities), bool)
    if len(probabilities) == 0:
        return keep
    order = np.argsort(-probabilities, kind="stable")
    found = np.cumsum(probabilities[order] * words[order])
    kept = np.cumsum(words[order])
    expected = 2 * found / (kept + found[-1])
    best = int(np.argmax(expected))
    if or_none and (expected[best] < _LEAST_EXPECTED_F1 or np.prod(1.0 - probabilities) > expected[best]):
        return keep
    keep[order[: best + 1]] = True
    return keep


#: A group of blocks (an HTML container, lines with no blank line between) whose blocks are
#: kept for at least this share of their characters, and that has at least
#: _WHOLE_GROUP_BLOCKS of them, keeps them all. Swept at 0.3, 0.5 and 0.7 (BENCHMARKS.md): HTML
#: gains alike at each, text mode at 0.3 and 0.5 more than at 0.7; 0.5 is "most of it".
WHOLE_GROUP_SHARE = 0.5
_WHOLE_GROUP_BLOCKS = 3


def whole_groups(groups: np.ndarray, chars: np.ndarray, eligible: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``keep`` with every ``eligible`` block of a group (``groups``: one id per block) whose
    eligible blocks it mostly keeps, by their ``chars``. The blocks of one group are one text:
    the models judge each block by its position and neighbours, and on a long document (a
    manual, a report, a long story) they drop stretches of its second half, where news pages
    end in furniture; in text mode they drop some lines of a list or a table they keep."""
    _, group = np.unique(groups, return_inverse=True)
    weights = chars * eligible
    kept_chars = np.bincount(group, weights * keep)
    whole = (kept_chars > 0) & (kept_chars >= WHOLE_GROUP_SHARE * np.bincount(group, weights))
    whole &= np.bincount(group, eligible) >= _WHOLE_GROUP_BLOCKS
    return keep | (eligible & whole[group])


def neighbours(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The previous block's value, the next one's, and the mean over the five blocks around."""
    before = np.concatenate(([0.0], values[:-1]))
    after = np.concatenate((values[1:], [0.0]))
    padded = np.concatenate(([0.0] * 3, np.cumsum(values), [values.sum()] * 2))
    near = (padded[5:] - padded[:-5]) / 5
    return before, after, near


def window_mean(values: np.ndarray, reach: int) -> np.ndarray:
    """For each position, the mean of ``values`` over the positions at most ``reach`` away
    (fewer at the ends)."""
    n = len(values)
    sums = np.concatenate(([0.0], np.cumsum(values)))
    index = np.arange(n)
    low, high = np.maximum(index - reach, 0), np.minimum(index + reach + 1, n)
    return (sums[high] - sums[low]) / (high - low)


#: How far (in blocks, either side) ``following_shares`` reads its nearer share.
_FOLLOWING_REACH = 5


def following_shares(prose: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What share of the prose blocks follow another prose block: from each block to the page's
    end, and within ``_FOLLOWING_REACH`` blocks of it (0 where there is no prose). An article's
    paragraphs follow one another; teasers of other stories come one paragraph at a time
    between their headlines."""
    follows = prose * np.concatenate(([0.0], prose[:-1]))
    prose_after, follows_after = np.cumsum(prose[::-1])[::-1], np.cumsum(follows[::-1])[::-1]
    prose_near = window_mean(prose, _FOLLOWING_REACH)
    near = np.divide(window_mean(follows, _FOLLOWING_REACH), prose_near, out=np.zeros(len(prose)), where=prose_near > 0)
    return follows_after / np.maximum(prose_after, 1.0), near


def after_comment_heading(texts: Sequence[str]) -> np.ndarray:
    """For each block, whether a comment section's heading (``labels.is_comment_heading``) comes
    before it."""
    heading = np.fromiter(map(is_comment_heading, texts), bool, len(texts))
    return np.concatenate(([False], np.cumsum(heading)[:-1] > 0)) if len(texts) else heading


def window_max(values: np.ndarray) -> np.ndarray:
    """The largest of ``values`` over the five blocks around each (0 beyond the page's ends)."""
    return sliding_window_view(np.concatenate(([0.0] * 2, values, [0.0] * 2)), 5).max(axis=1)


def main_run(weights: np.ndarray) -> tuple[int, int]:
    """The contiguous run of blocks (first, last) of the greatest summed weight (Kadane's
    algorithm); (0, -1) when no block weighs above zero."""
    best, best_span = 0.0, (0, -1)
    total, start = 0.0, 0
    for i, weight in enumerate(weights.tolist()):  # Python floats: numpy's scalars are slow to add
        if total <= 0:
            total, start = 0.0, i
        total += weight
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def main_run_columns(chars: np.ndarray, probabilities: np.ndarray, total: float) -> list[np.ndarray]:
    """Where each block (of ``chars`` characters; ``total`` of them on the page) stands against
    the main run of likely text, the stretch where stage 1's ``probabilities`` over one half
    weigh most: inside it or not, how far before and after it in blocks (a share of them) and
    in characters (a share of ``total``), and how much of the page the run is."""
    n = len(chars)
    first, last = main_run(chars * (probabilities - 0.5))
    index = np.arange(n)
    ends = np.cumsum(chars)
    starts = ends - chars
    run_start, run_end = (starts[first], ends[last]) if last >= first else (0.0, 0.0)
    return [
        (index >= first) & (index <= last), np.maximum(first - index, 0) / n, np.maximum(index - last, 0) / n,
        np.maximum(run_start - ends, 0) / total, np.maximum(starts - run_end, 0) / total,
        np.full(n, (run_end - run_start) / total),
    ]


def valley_columns(chars: np.ndarray, probabilities: np.ndarray) -> list[np.ndarray]:
    """For each block, the lowest of stage 1's ``probabilities`` between it and the page's
    heaviest likely block (the most of ``chars`` times probability; 1 where nothing lies
    between), and how many unlikely blocks (below one half) lie there, on a log scale. Content
    on either side of a caption or a pull quote is one stretch; a carousel of testimonials or
    teasers is cut off from the article by a heading or a menu that stage 1 was sure of."""
    n = len(chars)
    anchor = int(np.argmax(chars * probabilities))
    lowest, unlikely = np.ones(n), np.zeros(n)
    for side in (slice(anchor + 1, None), slice(anchor - 1, None, -1) if anchor else slice(0, 0)):
        away = probabilities[side]
        if len(away) > 1:
            # The block next to the anchor has nothing between; each one further out has all before it.
            lowest[side][1:] = np.minimum.accumulate(away)[:-1]
            unlikely[side][1:] = np.cumsum(away < 0.5)[:-1]
    return [lowest, np.log1p(unlikely)]


def feature_rows(columns: dict[str, object], names: tuple[str, ...], n: int) -> np.ndarray:
    """The ``n`` rows of features ``names`` from their columns (arrays of n, or one value for all)."""
    rows = np.empty((n, len(names)), np.float32)
    for k, name in enumerate(names):
        rows[:, k] = columns[name]
    return rows
