"""A statistical name tagger: a linear-chain model over hashed features, trained as an averaged
structured perceptron (``bench/train_ner.py``) on human-labelled news and encyclopaedia text in
several languages (``data/NER-MODEL.md`` says which, under which licences, and how well it does):
one model trained on all of them, to which a language's own model, trained on its documents alone,
is added where it has training documents.

Each word gets BIO tags over PER, ORG and LOC. Its features are its own form, lower-cased form,
shape, affixes and what the gazetteers know of it, the forms and shapes of two words either side,
the punctuation around it, whether it opens a sentence, whether the text also writes it in lower
case, how common a word it is in the language, the run of capitalised words it stands in (its
length, the word's place in it, the run itself, what the gazetteers know of it), and the
language; in a language with word clusters (English, German), its own model also reads the
word's and its neighbours' Brown cluster paths. Features are hashed into a fixed table of
weights, one column a tag, so scoring a text
is a few numpy gathers: a word's hashes are worked out once per distinct word (and
cached across texts), and what they add up to once per distinct word in a text. Only words that
can be part of a name are scored (capitalised words and short words beside them), and the best
tag sequence is found by Viterbi over the short stretches they make; every other word is O.
"""

from __future__ import annotations

import gzip
import re
import zlib
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from io import BytesIO
from itertools import chain, compress

import numpy as np
import numpy.typing as npt
import orjson

from copydesk.enrich.gazetteer import gazetteer, stopwords_for

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
# Depths at which a word's Brown cluster path is cut, each a feature (Ratinov & Roth 2009): the
# shallow ones group names with names, the deep ones people with people, places with places.
CLUSTER_DEPTHS = (4, 6, 10, 20)
# The depths a neighbour's path is also read at.
_NEIGHBOUR_DEPTHS = slice(1, 3)
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
# Lower-case nouns that open a street's or a square's name, by language.
_STREETS = {
    "fr": frozenset("rue avenue av boulevard bd place quai impasse allée chaussée faubourg cours route chemin square passage".split()),
    "es": frozenset("calle avenida paseo plaza".split()),
    "it": frozenset("via viale piazza corso vicolo".split()),
    "pt": frozenset("rua avenida praça travessa largo".split()),
}
# Last words of organisations' names in the supported languages.
_ORG_HEADS = frozenset(
    "inc corp corporation co ltd llc plc group company bank university college institute association "
    "council committee commission department ministry agency party parliament court police army "
    "federation league union club fc foundation fund hospital church times post news press airlines "
    "gmbh ag kg se ev verein partei ministerium universität bund gruppe stiftung gericht "
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
# The longest lower-case word inside a name the tagger looks at ("von", "de", "rue", "und").
_PARTICLE = 4
# The longest stretch of words Viterbi runs over at once.
_LONGEST = 64
# What can stand in the gap before a word, after stripping spaces: each mark its own feature.
_GAP_MARKS = "\"'“”«»„(),.:;!?-–—/[]"
# Curly and straight apostrophes are one mark.
_APOSTROPHES = str.maketrans("‘’", "''")


@dataclass(frozen=True, slots=True)
class Model:
    #: (a power of two, len(TAGS)) feature weights
    weights: npt.NDArray[np.float32]
    #: (len(TAGS) + 1, len(TAGS)) transition scores; the last row is the start of a sentence
    transitions: npt.NDArray[np.float32]

    @property
    def nbytes(self) -> int:
        return int(self.weights.nbytes + self.transitions.nbytes)


def _saved() -> np.lib.npyio.NpzFile:
    return np.load(BytesIO(files("copydesk.enrich").joinpath("data", "ner-model.npz").read_bytes()))


@cache
def _own_models() -> frozenset[str]:
    """The languages with a model of their own in the file ("weights_en")."""
    with _saved() as saved:
        return frozenset(name.removeprefix("weights_") for name in saved.files if name.startswith("weights_"))


def summed(shared: Model, own: Model) -> Model:
    """A language's tagger: the shared model plus its own, the two tables summed into one, so
    tagging costs what one model costs."""
    return Model(shared.weights + own.weights, shared.transitions + own.transitions)


@cache
def _model(language: str) -> Model:
    suffix = f"_{language}" if language else ""
    with _saved() as saved:
        read = Model(saved["weights" + suffix].astype(np.float32), saved["transitions" + suffix].astype(np.float32))
    # The shared model is read once and kept for every language that adds its own to it.
    return summed(_model(""), read) if language else read


def model(language: str = "") -> Model:
    """The shipped model for a language, loaded once: the model every language trained together
    plus, for a language with training documents, the one trained on its documents alone
    (about 15 MB in memory each, and the shared model's 15 MB once)."""
    return _model(language if language in _own_models() else "")


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode())


def shape(word: str) -> str:
    """"Xx" for "Paris", "XX" for "NATO", "Xx-Xx" for "Baden-Württemberg", "dd" for "2019"."""
    mapped = word.translate(_SHAPE_TABLE)
    if not mapped.isascii():  # letters beyond ASCII: by their case
        mapped = "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in mapped)
    return _runs_cut(mapped) if len(mapped) > 2 else mapped


@lru_cache(maxsize=4096)
def _runs_cut(mapped: str) -> str:
    """``mapped`` with each run of one character cut to two. Words map to a few hundred forms
    ("Xxxxx"), each cut once: the substitution costs more than the rest of a new word's hashes."""
    return _RUNS.sub(r"\1\1", mapped)


@cache
def _name_words() -> tuple[frozenset[str], frozenset[str]]:
    """Every word of a known multi-word place, and of a known organisation (lower-cased)."""
    gaz = gazetteer()
    stop = gaz.stopwords
    places = frozenset(w.lower() for name in gaz.places if " " in name for w in name.split() if w.lower() not in stop)
    orgs = frozenset(w for name in gaz.organizations if " " in name for w in name.split() if w not in stop)
    return places, orgs


# Ranks in a language's list of common words (``data/common-words.json.gz``) where a word's band
# changes: the commonest (function words), common, known; a word past the last is rare or a name.
COMMON_BANDS = (300, 2000, 10_000)


@cache
def common_words(language: str) -> dict[str, int]:
    """A lower-cased common word -> its band (0 the commonest); empty for a language the list
    does not cover."""
    raw = files("copydesk.enrich").joinpath("data", "common-words.json.gz").read_bytes()
    ranked = orjson.loads(gzip.decompress(raw)).get(language, [])
    return {word: bisect_right(COMMON_BANDS, rank) for rank, word in enumerate(ranked)}


@dataclass(frozen=True, slots=True)
class Clusters:
    """A language's word clusters as the tagger reads them: by each word's word_key, not a dict
    of words (3.2 MB a language, not 26)."""

    #: the sorted word_key of each clustered word
    words: npt.NDArray[np.int64]
    #: each word's cluster path, as a row of ``features``
    paths: npt.NDArray[np.intp]
    #: (distinct paths + 1, len(CLUSTER_DEPTHS)) the hashes of each path cut at each depth; the
    #: last row is a word without a path
    features: npt.NDArray[np.int64]


def _path_hashes(path: int | None, language: str) -> list[int]:
    """The hashes of a Brown cluster path (read from the lowest bit) cut at each of CLUSTER_DEPTHS,
    or of having none."""
    if path is None:
        return [_hash(f"c{depth}={language}:none") for depth in CLUSTER_DEPTHS]
    return [_hash(f"c{depth}={language}:{path & ((1 << depth) - 1)}") for depth in CLUSTER_DEPTHS]


@cache
def word_clusters(language: str) -> Clusters:
    """The language's word clusters (``data/word-clusters.npz``; none for a language it does
    not cover), only the language asked for read, each of its thousand or so paths hashed once."""
    with np.load(BytesIO(files("copydesk.enrich").joinpath("data", "word-clusters.npz").read_bytes())) as saved:
        if f"words_{language}" not in saved.files:
            return Clusters(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.intp), np.array([_path_hashes(None, language)], dtype=np.int64))
        words, paths = saved[f"words_{language}"], saved[f"paths_{language}"]
    distinct, rows = np.unique(paths, return_inverse=True)
    hashed = [_path_hashes(path, language) for path in distinct.tolist()] + [_path_hashes(None, language)]
    # Widened to the feature hashes' type once, or every search would widen a copy.
    return Clusters(words.astype(np.int64), rows, np.array(hashed, dtype=np.int64))


def cluster_features(keys: npt.NDArray[np.int64], language: str) -> npt.NDArray[np.int64]:
    """(len(keys), len(CLUSTER_DEPTHS)) the hashes of the cluster path of each word (by its
    word_key, which a text's words already have) cut at each depth, looked up together."""
    clusters = word_clusters(language)
    none = len(clusters.features) - 1
    if not len(clusters.words):
        return clusters.features[np.full(len(keys), none)]
    at = np.minimum(np.searchsorted(clusters.words, keys), len(clusters.words) - 1)
    return clusters.features[np.where(clusters.words[at] == keys, clusters.paths[at], none)]


def word_key(word: str) -> int:
    """The hash of a word as written: its first feature, and its key in the cluster table."""
    return _hash("w=" + word)


@lru_cache(maxsize=50_000)
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
            "c" if word in gaz.city_names else "-",
            "s" if lower in gaz.stopwords else "-",
            "d" if word in gaz.demonyms else "-",
        )
    )
    return (
        word_key(word),
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
class Text:
    """A text's words as the tagger reads them: which distinct word each is, where sentences
    open, how each is capitalised."""

    words: list[str]
    gaps: list[str]
    language: str
    distinct: list[str]
    #: each word's index into ``distinct``
    kinds: npt.NDArray[np.int64]
    #: each word's sentence, counted from 0
    sentence: npt.NDArray[np.int64]
    opening: npt.NDArray[np.bool_]
    #: each word's _case
    cases: npt.NDArray[np.int64]


def read(words: list[str], gaps: list[str], sentence_words: tuple[int, ...], language: str) -> Text:
    """``gaps`` is the text before each word, ``sentence_words`` the index of each sentence's
    first word (and the word count)."""
    count = len(words)
    distinct = list(dict.fromkeys(words))
    index = {w: i for i, w in enumerate(distinct)}
    kinds = np.fromiter(map(index.__getitem__, words), dtype=np.int64, count=count)
    starts = [s for s in sentence_words[:-1] if s < count]
    sentence = np.zeros(count, dtype=np.int64)
    sentence[starts[1:]] = 1
    opening = np.zeros(count, dtype=bool)
    opening[starts] = True
    cases = np.fromiter(map(_case, distinct), dtype=np.int64, count=len(distinct))[kinds]
    return Text(words, gaps, language, distinct, kinds, np.cumsum(sentence), opening, cases)


def candidates(text: Text) -> npt.NDArray[np.int64]:
    """The words that could be part of a name: the capitalised ones, short words (at most
    _PARTICLE letters) next to one in its sentence ("Ursula von der Leyen", "Bank of America",
    "rue de Rivoli"), and a street's noun before one ("avenue de la Madeleine")."""
    common = stopwords_for(text.language)
    # A sentence's first word that is a function word ("The", "But", "Die") opens no name unless
    # a capitalised word follows it ("The Hague").
    plain = np.fromiter((w.lower() in common for w in text.distinct), dtype=bool, count=len(text.distinct))[text.kinds]
    capital = (text.cases == 1) | (text.cases == 2)
    alone = np.ones(len(capital), dtype=bool)
    alone[:-1] = ~capital[1:] | text.opening[1:]
    capital &= ~(text.opening & plain & alone)
    short = np.fromiter((len(w) <= _PARTICLE for w in text.distinct), dtype=bool, count=len(text.distinct))[text.kinds]
    near = capital.copy()
    near[1:] |= capital[:-1] & ~text.opening[1:] & short[1:]
    near[:-1] |= capital[1:] & ~text.opening[1:] & short[:-1]
    streets = _STREETS.get(text.language, frozenset()).intersection(text.distinct)
    if streets:
        # A street's lower-case noun opens its name, with the short words after it ("avenue de la
        # Madeleine", "rua do Ouro").
        street = np.isin(text.kinds, [i for i, w in enumerate(text.distinct) if w in streets])
        joined = ~text.opening[1:]  # each word with the one after it, in one sentence
        near[1:-1] |= street[:-2] & joined[:-1] & short[1:-1] & joined[1:] & near[2:] & short[2:]
        near[:-1] |= street[:-1] & joined & near[1:]
    return np.nonzero(near)[0]


def _around(text: Text, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """(5, positions) the distinct word at each position, before it, after it, two before and
    two after, within its sentence; len(text.distinct) where there is none."""
    count = len(text.kinds)
    around = np.empty((5, len(positions)), dtype=np.int64)
    for row, offset in enumerate((0, -1, 1, -2, 2)):
        at = positions + offset
        inside = (at >= 0) & (at < count)
        at = np.where(inside, at, 0)
        same = inside & (text.sentence[at] == text.sentence[positions])
        around[row] = np.where(same, text.kinds[at], len(text.distinct))
    return around


def _context(text: Text, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """(positions, 7) hashes of what the context says of each word: its case with whether it
    opens a sentence, the marks before and after it, whether the text also writes it in lower
    case or capitalised inside a sentence, the language, how common a word it is there."""
    distinct, kinds, opening, cases = text.distinct, text.kinds, text.opening, text.cases
    case, opens, kind = cases[positions], opening[positions], kinds[positions]
    # What the text says of a word is read for the scored words only: most words are not.
    scored = [distinct[k] for k in kind.tolist()]
    scored_lower = [w.lower() for w in scored]
    # A capitalised word the text also writes in lower case ("Sadly", "Thought") is an ordinary word.
    lowered = {w for w in distinct if w[:1].islower()}
    seen_lower = np.fromiter(map(lowered.__contains__, scored_lower), dtype=bool, count=len(scored))
    # A sentence's first word the text also capitalises inside a sentence is likely a name.
    inside = set(compress(text.words, ~opening & (cases > 0)))
    capitalised_inside = np.fromiter(map(inside.__contains__, scored), dtype=bool, count=len(scored))
    count = len(kinds)
    following = positions + 1
    last = (following >= count) | opening[np.minimum(following, count - 1)]
    gaps = [text.gaps[i] for i in positions.tolist()]
    gaps_after = [text.gaps[i] if i < count else "" for i in following.tolist()]
    marks = set(gaps).union(gaps_after)
    before_codes = {g: _gap_code(g, True) for g in marks}
    after_codes = {g: _gap_code(g, False) for g in marks}
    before = np.fromiter(map(before_codes.__getitem__, gaps), dtype=np.int64, count=len(positions))
    after = np.fromiter(map(after_codes.__getitem__, gaps_after), dtype=np.int64, count=len(positions))
    after = np.where(last, len(_GAP_MARKS) + 3, after)  # the end of a sentence or of the text
    common = common_words(text.language)
    band = np.fromiter((common.get(w, len(COMMON_BANDS)) for w in scored_lower), dtype=np.int64, count=len(scored))
    context = np.stack(
        [
            1 * 64 + case * 8 + opens,
            2 * 64 + before * 4 + case,
            3 * 64 + after * 4 + case,
            4 * 64 + (seen_lower & (case == 1)) * 8 + opens * 4 + case,
            5 * 64 + (_language_code(text.language) << 8) + case * 2 + opens,
            6 * 64 + capitalised_inside * 8 + opens * 4 + case,
            9 * 64 + band * 8 + opens * 4 + case,
        ],
        axis=1,
    )
    return _scrambled(context)


def _scrambled(codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Small feature codes spread over 32 bits (a multiplicative hash), so that they land apart
    in the weight table like the string features' hashes."""
    return ((codes * 2654435761 + 0x9E3779B9) >> 7) & 0xFFFFFFFF


@lru_cache(maxsize=50_000)
def _run(run: str) -> tuple[int, int]:
    """A run of capitalised words ("Ariel Sharon"): the hash of it lower-cased, and what the
    gazetteers know of it (1 a place, 2 an organisation, 4 it opens on a given name)."""
    gaz = gazetteer()
    opener, _, rest = run.partition(" ")
    flags = (run in gaz.places) * 1 + (run.lower() in gaz.organizations) * 2 + (bool(rest) and opener.lower() in gaz.given_names) * 4
    return _hash("run=" + run.lower()), flags


def _runs(text: Text, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """(positions, 3) hashes of what the run of capitalised words a word stands in says of it
    (a word outside one is a run of none): the run's length with the word's place in it; the run
    itself, lower-cased, with that place ("new york times", word 2); what the gazetteers know of
    the whole run, and whether the text writes the word as the first or the last word of a
    longer run elsewhere ("Sharon" after "Ariel Sharon")."""
    capital = (text.cases == 1) | (text.cases == 2)
    starts = capital.copy()
    starts[1:] &= ~capital[:-1] | text.opening[1:]
    first = np.nonzero(starts)[0]
    run = np.cumsum(starts) - 1  # each capitalised word's run
    # A run ends where the next word does not go on with it.
    ends = np.nonzero(capital & np.append(starts[1:] | ~capital[1:], True))[0] + 1
    words = text.words
    described = [_run(" ".join(words[a:b])) for a, b in zip(first.tolist(), ends.tolist())]
    # Words the text writes first (1) or last (2) in a longer run.
    seen: dict[str, int] = {}
    for a, b in zip(first.tolist(), ends.tolist()):
        if b - a > 1:
            seen[words[a]] = seen.get(words[a], 0) | 1
            seen[words[b - 1]] = seen.get(words[b - 1], 0) | 2
    if not described:  # no run: every word is outside one (and reads run 0 of these)
        first = ends = np.zeros(1, dtype=np.int64)
        described = [(0, 0)]
    known = np.fromiter((flags for _, flags in described), dtype=np.int64, count=len(described))
    run_hashes = np.fromiter((h for h, _ in described), dtype=np.int64, count=len(described))
    inside = capital[positions]
    r = np.where(inside, run[positions], 0)
    length = np.where(inside, np.minimum(ends[r] - first[r], 4), 0)
    index = np.where(inside, np.minimum(positions - first[r], 3), 0)
    last = inside & (positions == ends[r] - 1)
    flags = np.where(inside, known[r], 0)
    elsewhere = np.fromiter((seen.get(words[i], 0) for i in positions.tolist()), dtype=np.int64, count=len(positions))
    case = text.cases[positions]
    small = np.stack(
        [
            7 * 64 + ((length * 4 + index) * 2 + last) * 4 + case,
            8 * 64 + ((flags * 4 + index) * 4 + elsewhere) * 4 + np.minimum(length, 2),
        ],
        axis=1,
    )
    small = _scrambled(small)
    own = np.where(inside, run_hashes[r] ^ (index * 0x01000193 + last * 0x3C6EF372), _NONE)
    return np.concatenate([small, own[:, None]], axis=1) & 0xFFFFFFFF


def _pairs(own: npt.NDArray[np.int64], left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """(positions, 4) hashes of pairs of features, combined arithmetically from the word_hashes
    of each word and its neighbours: the words either side with this one, and this one's shape
    with its neighbours' words."""
    return (
        np.stack(
            [
                left[:, 1] * 0x01000193 ^ own[:, 1],
                own[:, 1] * 0x01000193 ^ right[:, 1] ^ 0x3C6EF372,
                left[:, 1] * 0x01000193 ^ own[:, 2] ^ 0x7F4A7C15,
                own[:, 2] * 0x01000193 ^ right[:, 1] ^ 0x2545F491,
            ],
            axis=1,
        )
        & 0xFFFFFFFF
    )


def _hash_table(text: Text, needed: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """(needed, 8) word_hashes of the needed distinct words (len(text.distinct): no word)."""
    distinct, none = text.distinct, len(text.distinct)
    rows = (word_hashes(distinct[i]) if i < none else _PAD for i in needed.tolist())
    return np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(needed) * len(_PAD)).reshape(len(needed), len(_PAD))


def _with_clusters(places: list[npt.NDArray[np.int64]], clusters: npt.NDArray[np.int64]) -> list[npt.NDArray[np.int64]]:
    """``_word_buckets``' places with the cluster features a word brings to the first three:
    itself (every depth), the word before and the word after (the middle depths); added to
    them, not places of their own, so a text's weights are gathered in as many steps as without."""
    middle = clusters[:, _NEIGHBOUR_DEPTHS]
    own, left, right = (np.concatenate(pair, axis=1) for pair in ((places[0], clusters), (places[1], middle ^ _SALT_LEFT), (places[2], middle ^ _SALT_RIGHT)))
    return [own, left, right, *places[3:]]


def clustered(language: str) -> bool:
    """Whether the language's words have cluster features: only where its own table, trained
    with them, is added to the shared one, which is trained without them (so the languages it
    tags alone, or with an own table trained without clusters, lose nothing to them)."""
    return len(word_clusters(language).words) > 0


def _word_buckets(hashes: npt.NDArray[np.int64], language: str, clusters: bool = True) -> list[npt.NDArray[np.int64]]:
    """(words, k) hashes of the features a word brings where it stands, for each place: itself,
    the word before, after, two before, two after, and opening a sentence; with the cluster
    features where the language has them, unless ``clusters`` is False (the shared model's
    training)."""
    language_salt = _language_code(language) * 0x01000193
    places = [
        np.concatenate([hashes[:, :4] ^ _SALT_WORD, hashes[:, :2] ^ language_salt, hashes[:, 4:] ^ _SALT_AFFIX], axis=1),
        # The words either side also as words of the language: a false friend ("a" before a
        # name: an article in Portuguese, "to" in Spanish) learns apart in each language.
        np.concatenate([hashes[:, :4] ^ _SALT_LEFT, hashes[:, 1:2] ^ language_salt ^ _SALT_LEFT], axis=1),
        np.concatenate([hashes[:, :4] ^ _SALT_RIGHT, hashes[:, 1:2] ^ language_salt ^ _SALT_RIGHT], axis=1),
        hashes[:, 1:3] ^ _SALT_LEFT2,
        hashes[:, 1:3] ^ _SALT_RIGHT2,
        hashes[:, 1:2] ^ _SALT_OPENING,
    ]
    if clusters and clustered(language):
        return _with_clusters(places, cluster_features(hashes[:, 0], language))
    return places


def features(words: list[str], gaps: list[str], sentence_words: tuple[int, ...], language: str, clusters: bool = True) -> npt.NDArray[np.int64]:
    """(len(words), K) hashes of every word's features, for training (``emissions`` scores the
    same features faster); the cluster features where the language has them, unless
    ``clusters`` is False (the shared model's training)."""
    text = read(words, gaps, sentence_words, language)
    positions = np.arange(len(words))
    around = _around(text, positions)
    needed, local = np.unique(around, return_inverse=True)
    local = local.reshape(around.shape)
    table = _hash_table(text, needed)
    places = _word_buckets(table, language, clusters)
    opening = np.where(text.opening[:, None], places[5][local[0]], _NONE)
    parts = [places[p][local[p]] for p in range(5)]
    pairs = _pairs(table[local[0]], table[local[1]], table[local[2]])
    return np.concatenate([*parts, opening, _context(text, positions), _runs(text, positions), pairs], axis=1) & 0xFFFFFFFF


def scores(weights: npt.NDArray[np.float32], buckets: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    """(words, tags) score of each tag for each word; the table's size (a power of two) says
    which bits of a feature's hash pick its row."""
    return weights[buckets & (len(weights) - 1)].sum(axis=1, dtype=np.float32)


def emissions(tagger: Model, text: Text, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    """``scores(weights, features(...))`` of the words at ``positions``: what each distinct word
    around them brings to each place it stands in is summed once per distinct word, then added
    up by position with what the context brings."""
    around = _around(text, positions)
    needed, local = np.unique(around, return_inverse=True)
    local = local.reshape(around.shape)
    table = _hash_table(text, needed)
    weights, mask = tagger.weights, len(tagger.weights) - 1
    brought = [scores(weights, place) for place in _word_buckets(table, text.language)]
    total = brought[0][local[0]] + brought[1][local[1]] + brought[2][local[2]] + brought[3][local[3]] + brought[4][local[4]]
    total += np.where(text.opening[positions, None], brought[5][local[0]], weights[_NONE & mask])
    hashes = np.concatenate([_context(text, positions), _runs(text, positions), _pairs(table[local[0]], table[local[1]], table[local[2]])], axis=1)
    return total + scores(weights, hashes)


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
    # Longest first, so that at each position the stretches still going are a prefix.
    order = sorted(range(len(bounds)), key=lambda k: bounds[k][0] - bounds[k][1])
    lengths = np.array([bounds[k][1] - bounds[k][0] for k in order])
    count, longest, size = len(order), int(lengths[0]), emissions.shape[1]
    going = np.searchsorted(-lengths, -np.arange(longest), side="left")  # stretches longer than i
    # (stretch, position) -> the word's row in emissions; past a stretch's end, any row will do.
    rows = np.minimum(np.array([bounds[k][0] for k in order])[:, None] + np.arange(longest), len(emissions) - 1)
    scores = emissions[rows]
    entries = np.where(np.array(after_o)[order], 0, -1) if after_o is not None else np.full(count, -1)
    best = transitions[entries] + scores[:, 0]
    inner = transitions[:-1]
    back = np.zeros((count, longest, size), dtype=np.int64)
    for i in range(1, longest):
        n = going[i]
        candidates = best[:n, :, None] + inner
        back[:n, i] = candidates.argmax(axis=1)
        best[:n] = candidates.max(axis=1) + scores[:n, i]
    if before_o is not None:
        best += np.where(np.array(before_o)[order][:, None], inner[:, 0], 0)
    path = np.zeros((count, longest), dtype=np.int64)
    current = best.argmax(axis=1)
    for i in range(longest - 1, -1, -1):
        n = going[i]
        path[:n, i] = current[:n]
        if i:
            current[:n] = back[np.arange(n), i, current[:n]]
    for k, sequence in zip(order, path.tolist()):
        a, b = bounds[k]
        tags[a:b] = sequence[: b - a]
    return tags


def tag(words: list[str], gaps: list[str], sentence_words: tuple[int, ...], language: str, tagger: Model | None = None) -> list[int]:
    """The tag (an index into TAGS) of every word. Only the ``candidates`` are scored, the rest
    are O; Viterbi runs over the short stretches of candidates, entered from O or from a
    sentence's start."""
    if not words:
        return []
    tagger = tagger or model(language)
    text = read(words, gaps, sentence_words, language)
    positions = candidates(text)
    tags = [0] * len(words)
    if not len(positions):
        return tags
    scored = emissions(tagger, text, positions)
    # Stretches of consecutive candidates within a sentence, none longer than _LONGEST.
    breaks = np.nonzero((np.diff(positions) != 1) | text.opening[positions[1:]])[0] + 1
    bounds: list[tuple[int, int]] = []
    for a, b in zip([0, *breaks.tolist()], [*breaks.tolist(), len(positions)]):
        bounds.extend((start, min(b, start + _LONGEST)) for start in range(a, b, _LONGEST))
    starts = positions[[a for a, _ in bounds]]
    ends = positions[[b - 1 for _, b in bounds]] + 1
    after_o = ~text.opening[starts]
    before_o = np.zeros(len(bounds), dtype=bool)
    inside = ends < len(words)
    before_o[inside] = ~text.opening[ends[inside]]
    found = viterbi(scored, tagger.transitions, bounds, after_o.tolist(), before_o.tolist())
    for position, t in zip(positions.tolist(), found):
        tags[position] = t
    return tags


def spans(tags: list[int]) -> list[tuple[int, int, str]]:
    """(first word, last word + 1, type) of every name in BIO tags; an I- with no B- opens one."""
    found: list[tuple[int, int, str]] = []
    # Only the tagged words are visited (O is tag 0, and most words are O): an O between two
    # of them leaves a gap, which ends a name as the O would.
    for i in compress(range(len(tags)), tags):
        label = TAGS[tags[i]]
        kind = label[2:]
        if label.startswith("I-") and found and found[-1][1] == i and found[-1][2] == kind:
            found[-1] = (found[-1][0], i + 1, kind)
        else:
            found.append((i, i + 1, kind))
    return found
