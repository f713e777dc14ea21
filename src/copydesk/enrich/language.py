"""Which language the article is written in, with py3langid's naive Bayes model.

The model is py3langid's and is scored as its ``classify`` scores it (a test compares the two);
only the tables are laid out for speed. They ship inside the package, built from py3langid's model
by ``built_tables`` (``python bench/shipped_data.py`` writes them, a test checks the shipped file
against a fresh build; provenance and licence in data/LANGID-TABLES.md): reading them costs about
0.1 s of CPU, where decompressing py3langid's 68 MB of xz and building them on every start cost
0.6 s. The byte automaton is tens of megabytes, so between two articles the rest of the pipeline
pushes it out of the CPU's caches and every step of the walk waits on memory: py3langid's step
reads three places one after the other (the state's row, the row's entry, the new state's
feature), ours one (see ``_Model.transitions``). The feature weights stay float16, as py3langid
ships them: widening the rows an article uses costs about 0.03 ms, widening all of them once cost
0.14 s of every start and 57 MB.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from io import BytesIO
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# The model is settled well before this many characters of prose; classifying more only costs time.
_SAMPLE_CHARS = 300
# A line of fewer words is a heading, a caption or a row of a table, which mislead the model.
_PROSE_WORDS = 8
# Languages news is written in; py3langid also knows regional languages, creoles and dead ones
# ("pcm", "an", "af", "la"...) that it guesses for English headlines, tables of numbers and lists
# of names. Such a guess stands only at this probability or more, measured with bench/language.py
# (wrong guesses of one reached at most 0.44 on the texts of the 25 commonest news languages, the
# shared news pages and WCXB's pages, right ones 0.99 and more), else the likeliest of these
# languages is taken.
_NEWS_LANGUAGES = frozenset(
    "en de fr es it pt nl ru zh ja ko ar tr pl id hi sv cs ro el hu fa vi fi he da no uk bg hr sr sk sl "
    "et lv lt ca th bn ta ur ms tl sw ka hy az kk uz be mk sq is ga cy eu gl mr te ml gu pa kn si ne my "
    "km lo am ps so ha".split()
)
RARE_LANGUAGE_CONFIDENCE = 0.9
# py3langid's class for text of no language (numbers, codes): a page always has one of its own.
_NO_LANGUAGE = "zxx"


@dataclass(frozen=True, slots=True)
class _Model:
    #: ISO 639-1 code of each column of ``weights``
    classes: list[str]
    #: log P(feature | language) as py3langid holds it (float16), one row per feature after a row
    #: of zeros (row n is feature n - 1, as in ``transitions``); ``_scores`` widens the rows an
    #: article uses to float32
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


TABLES_FILE = "langid-tables.npz"
#: The release ``TABLES_FILE`` was built from (bench/shipped_data.py builds it anew from the installed one).
TABLES_SOURCE = ("py3langid", "0.4.0")


@cache
def _model() -> _Model:
    tables = shipped_tables()
    classes = tables["classes"].tolist()
    first: dict[str, int] = {}
    aliases = [(first[code], column) for column, code in enumerate(classes) if first.setdefault(code, column) != column]
    firsts, duplicates = np.array(aliases, dtype=np.intp).reshape(-1, 2).T
    # Stored a language to a row, which compresses to two thirds (most of a language's features
    # have its one smoothed weight); scored a feature to a row, so an article reads a few rows.
    weights = np.ascontiguousarray(tables["weights_by_language"].T)
    transitions = tables["transitions"]
    return _Model(classes, weights, tables["priors"], firsts, duplicates, memoryview(transitions), len(weights), int(tables["start"]))


def shipped_tables() -> dict[str, np.ndarray]:
    with np.load(BytesIO(files("copydesk.enrich").joinpath("data", TABLES_FILE).read_bytes())) as saved:
        return {name: saved[name] for name in saved.files}


def built_tables() -> dict[str, np.ndarray]:
    """The tables of ``TABLES_FILE`` built from py3langid's model (slow: it decompresses 68 MB)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    langid = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    weights = np.zeros((len(langid.nb_ptc) + 1, len(langid.nb_classes)), dtype=np.float16)
    weights[1:] = langid.nb_ptc
    return {
        "classes": np.array(langid.nb_classes),
        "weights_by_language": np.ascontiguousarray(weights.T),
        "priors": np.asarray(langid.nb_pc, dtype=np.float32),
        "transitions": _transitions(langid, width=len(weights)),
        "start": np.array(langid.tk_row[0]),
    }


def _transitions(langid: LanguageIdentifier, width: int) -> np.ndarray:
    """``_Model.transitions`` from py3langid's automaton: each transition's next state
    (``tk_nextmove``), each state's row (``tk_row``) and feature (``tk_output``, -1: none)."""
    rows = np.frombuffer(langid.tk_row, dtype=langid.tk_row.typecode)
    dtype = np.uint32 if (int(rows.max()) + 1) * width <= 2**32 else np.uint64
    steps = rows.astype(dtype) * dtype(width) + (np.asarray(langid.tk_output) + 1).astype(dtype)
    return steps[np.frombuffer(langid.tk_nextmove, dtype=langid.tk_nextmove.typecode)]


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code and the model's probability, or ("", 0.0) when there is nothing to read."""
    sample = _prose(text)
    if not any(ch.isalpha() for ch in sample):
        return "", 0.0
    model = _model()
    encoded = _encode(sample)
    scores = _scores(model, _features(model, encoded), len(encoded))
    best = int(scores.argmax())
    code = model.classes[best]
    if code == _NO_LANGUAGE or (scores[best] < RARE_LANGUAGE_CONFIDENCE and code not in _NEWS_LANGUAGES):
        best = max(_news_columns(), key=scores.__getitem__)
    return model.classes[best], round(float(scores[best]), 4)


@cache
def _news_columns() -> tuple[int, ...]:
    model = _model()
    return tuple(i for i, code in enumerate(model.classes) if code in _NEWS_LANGUAGES and i not in set(model.duplicates.tolist()))


def _prose(text: str) -> str:
    """The first _SAMPLE_CHARS characters of the text's lines of prose (the whole text's when
    it has none): headings, datelines and tables come first on many pages."""
    head = text[: _SAMPLE_CHARS * 8]
    lines = [line for line in head.split("\n") if len(line.split(None, _PROSE_WORDS)) > _PROSE_WORDS or _dense(line)]
    return ("\n".join(lines) if lines else head)[:_SAMPLE_CHARS]


def _dense(line: str) -> bool:
    """A line of Chinese or Japanese prose, which has no spaces between words."""
    return len(line) >= 2 * _PROSE_WORDS and " " not in line[: 2 * _PROSE_WORDS]


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
        scores = np.log1p(counts) @ model.weights.take(index, axis=0).astype(np.float32) + model.priors
    else:
        scores = np.zeros(len(model.classes), dtype=np.float32)
    scores *= 1.0 / math.sqrt(length or 1)
    np.exp(scores - scores.max(), out=scores)
    scores /= scores.sum()
    np.add.at(scores, model.firsts, scores[model.duplicates])
    scores[model.duplicates] = 0.0
    return scores
