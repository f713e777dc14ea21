"""Which language the article is written in, with py3langid's naive Bayes model (it ships inside
the package, so nothing is fetched).

The model is py3langid's and is scored as its ``classify`` scores it (a test compares the two);
only the tables are laid out for speed. The byte automaton is tens of megabytes, so between two
articles the rest of the pipeline pushes it out of the CPU's caches and every step of the walk
waits on memory: py3langid's step reads three places one after the other (the state's row, the
row's entry, the new state's feature), ours one (see ``_Model.transitions``). The feature weights
are kept as float32, not float16, because converting the rows an article uses each time cost
more than the rest of the scoring.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

# The model is settled well before this many characters; classifying more only costs time.
_SAMPLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class _Model:
    #: ISO 639-1 code of each column of ``weights``
    classes: list[str]
    #: log P(feature | language), one row per feature after a row of zeros (row n is feature
    #: n - 1, as in ``transitions``)
    weights: np.ndarray
    #: log P(language)
    priors: np.ndarray
    #: the first and the duplicate columns of each language the model holds twice (a script
    #: variant), as index arrays
    firsts: np.ndarray
    duplicates: np.ndarray
    #: for each row of 256 transitions (one per byte), what the byte leads to, as one number:
    #: the next state's row times ``width``, plus one more than the feature the state counts
    #: (0: none)
    transitions: memoryview
    width: int
    #: the start state's row
    start: int


@cache
def _model() -> _Model:
    langid = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    classes, weights, priors = langid.nb_classes, langid.nb_ptc, langid.nb_pc
    transitions, width = _transitions(langid)
    start = langid.tk_row[0]
    del langid  # py3langid's own automaton goes before the wider weights come
    first: dict[str, int] = {}
    aliases = [(first[code], column) for column, code in enumerate(classes) if first.setdefault(code, column) != column]
    firsts, duplicates = np.array(aliases, dtype=np.intp).reshape(-1, 2).T
    wide = np.empty((len(weights) + 1, len(classes)), dtype=np.float32)
    wide[0] = 0.0
    wide[1:] = weights
    return _Model(classes, wide, priors, firsts, duplicates, transitions, width, start)


def _transitions(langid: LanguageIdentifier) -> tuple[memoryview, int]:
    """``_Model.transitions`` and ``width`` from py3langid's automaton: each transition's next
    state (``tk_nextmove``), each state's row (``tk_row``) and feature (``tk_output``, -1: none)."""
    width = len(langid.nb_ptc) + 1
    rows = np.frombuffer(langid.tk_row, dtype=langid.tk_row.typecode)
    dtype = np.uint32 if (int(rows.max()) + 1) * width <= 2**32 else np.uint64
    steps = rows.astype(dtype) * dtype(width) + (np.asarray(langid.tk_output) + 1).astype(dtype)
    return memoryview(steps[np.frombuffer(langid.tk_nextmove, dtype=langid.tk_nextmove.typecode)]), width


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code and the model's probability, or ("", 0.0) when there is nothing to read."""
    sample = text[:_SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return "", 0.0
    model = _model()
    encoded = _encode(sample)
    scores = _scores(model, _features(model, encoded), len(encoded))
    best = int(scores.argmax())
    return model.classes[best], round(float(scores[best]), 4)


def _encode(text: str) -> bytes:
    """The bytes py3langid reads for a text."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf-8", errors="surrogatepass")


def _features(model: _Model, encoded: bytes) -> Counter[int]:
    """How often each feature occurs, by its row of ``_Model.weights``, in the order of first
    occurrence (which fixes the order the scores are summed in)."""
    transitions, width = model.transitions, model.width
    row = model.start
    steps = []
    for byte in encoded:
        step = transitions[(row << 8) + byte]
        steps.append(step)
        row = step // width
    # Each step's remainder is the row of the feature it counts (0: none).
    features = Counter(map(width.__rmod__, steps))
    del features[0]
    return features


def _scores(model: _Model, features: Counter[int], length: int) -> np.ndarray:
    """Each language's probability: py3langid's naive Bayes posterior, softened by the square
    root of the length as it does, with a language held twice summed into its first column."""
    if features:
        index = np.fromiter(features.keys(), dtype=np.intp, count=len(features))
        counts = np.fromiter(features.values(), dtype=np.float32, count=len(features))
        scores = np.log1p(counts) @ model.weights.take(index, axis=0) + model.priors
    else:
        scores = np.zeros(len(model.classes), dtype=np.float32)
    scores *= 1.0 / math.sqrt(length or 1)
    np.exp(scores - scores.max(), out=scores)
    scores /= scores.sum()
    np.add.at(scores, model.firsts, scores[model.duplicates])
    scores[model.duplicates] = 0.0
    return scores
