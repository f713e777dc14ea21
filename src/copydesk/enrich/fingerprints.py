"""Fingerprints for finding the same story again: an exact hash of the normalised words, a 64-bit
SimHash and a MinHash signature over word shingles (Jaccard similarity is the share of equal
MinHash values).

The MinHash is the one-permutation kind (Li, Owen and Zhang, 2012): each shingle is hashed once,
the top bits pick one of MINHASH_SIZE bins and each bin keeps its smallest value, which
estimates Jaccard similarity like MINHASH_SIZE separate hash functions at a fraction of the cost.
A bin no shingle fell in (only very short texts have one) holds EMPTY_BIN.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from itertools import repeat

import numpy as np

from copydesk.document import Fingerprints
from copydesk.enrich.tokens import Tokens

SHINGLE_WORDS = 3
MINHASH_SIZE = 64
_BIN_BITS = 6  # 2**6 == MINHASH_SIZE
EMPTY_BIN = 2**32 - 1
# Fixed constants: signatures must compare across processes, machines and releases.
_MIX = np.uint64(0x9E3779B97F4A7C15)
_FINAL_MIX = np.uint64(0xBF58476D1CE4E5B9)
_CRC_SEED = 0x5BD1E995
_MAX_BYTE = 255
# A word that opens on "_" or an apostrophe, with the space before it (words hold no spaces).
_NOT_NORMAL = re.compile(r" ['_]\S*")
# A word hash turns left by this many bits at each place in a shingle.
_TURNS = np.array([place * 7 + 1 for place in range(SHINGLE_WORDS)], dtype=np.uint64)
_TURNS_BACK = np.uint64(64) - _TURNS
# A CRC is linear: what a seed changes in it depends only on the length of the data, so a word's
# seeded CRC is its plain one XOR this entry for its length (in bytes), which spares a second
# pass over every word.
_SEED_EFFECT = np.array([zlib.crc32(bytes(n), _CRC_SEED) ^ zlib.crc32(bytes(n)) for n in range(256)], dtype=np.uint64)


def normalized_text(tokens: Tokens) -> str:
    """The lower-cased words that open on a letter or a digit, a space between each two."""
    # A word opens on a letter or digit (lower-cased, still one), on "_", or on an apostrophe
    # (the clitic "'s"): one pass of the engine over all the words drops the last two kinds.
    return _NOT_NORMAL.sub("", " " + " ".join(tokens.lower))[1:]


def fingerprint(tokens: Tokens) -> Fingerprints:
    joined = normalized_text(tokens).encode("utf-8")
    digest = hashlib.sha256(joined).hexdigest()
    if not joined:
        return Fingerprints(sha256=digest)
    shingles = _shingle_hashes(joined.split(b" "))  # words hold no spaces: each word's UTF-8
    return Fingerprints(sha256=digest, simhash=_simhash(shingles), minhash=_minhash(shingles))


def _shingle_hashes(words: list[bytes]) -> np.ndarray:
    """One 64-bit hash per run of SHINGLE_WORDS words (UTF-8), combined from per-word hashes (a
    repeated shingle counts again in the SimHash, as a weighted feature should, and not in the
    MinHash)."""
    hashed = _word_hashes(words)[:, np.newaxis]
    # Each word hash rotated by each place it can take in a shingle, which keeps "a b c" and
    # "c b a" apart: one column per place.
    rotated = (hashed << _TURNS) | (hashed >> _TURNS_BACK)
    n = max(len(words) - SHINGLE_WORDS + 1, 1)
    combined = rotated[:n, 0].copy()
    for i in range(1, min(SHINGLE_WORDS, len(words))):
        combined *= _MIX
        combined ^= rotated[i : i + n, i]
    return combined


def _word_hashes(words: list[bytes]) -> np.ndarray:
    """Each word's CRC-32 seeded with _CRC_SEED (the high half) and unseeded (the low half).

    Two CRCs make a 64-bit word hash at a fraction of the cost of a cryptographic one; the
    mixing after spreads it, and only collisions inside one article would matter. Every word is
    hashed, by maps in C: quicker than a Python loop over the distinct words."""
    low = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    lengths = np.fromiter(map(len, words), dtype=np.intp, count=len(words))
    if lengths.max() < len(_SEED_EFFECT):
        high = low ^ _SEED_EFFECT.take(lengths)
    else:  # a word longer than the table (a run-on token): its seeded CRC is taken as it is
        high = np.fromiter(map(zlib.crc32, words, repeat(_CRC_SEED)), dtype=np.uint64, count=len(words))
    high <<= np.uint64(32)
    high |= low
    return high


def _simhash(shingles: np.ndarray) -> str:
    # One row of 64 bits per shingle (bytes, not 64-bit words, to keep the arrays small; each
    # byte's bits highest first, the order both packings below use).
    bits = np.unpackbits(shingles.astype("<u8", copy=False).view(np.uint8)).view(np.uint64).reshape(-1, 8)
    # The rows are added eight bits at a time, as 64-bit words: a byte holding 0 or 1 never
    # carries into the next while at most 255 rows are added, so each run of that many gives
    # every bit's count in its own byte.
    counts = np.add.reduceat(bits, np.arange(0, len(bits), _MAX_BYTE), axis=0)
    ones = counts.view(np.uint8).reshape(-1, 64).sum(axis=0, dtype=np.int32)
    value = np.packbits(ones > len(shingles) // 2).view("<u8")[0]  # set in more than half
    return f"{int(value):016x}"


def _minhash(shingles: np.ndarray) -> tuple[int, ...]:
    mixed = shingles * _FINAL_MIX  # spread the bits the bins and values are cut from
    mixed ^= mixed >> np.uint64(31)
    signature = np.full(MINHASH_SIZE, EMPTY_BIN, dtype=np.uint32)
    # The top bits pick the bin, the low 32 (what a cast to 32 bits keeps) are the value.
    np.minimum.at(signature, mixed >> np.uint64(64 - _BIN_BITS), mixed.astype(np.uint32))
    return tuple(signature.tolist())


def minhash_similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets (bins empty in both say
    nothing and are left out)."""
    used = [(x, y) for x, y in zip(a, b, strict=True) if x != EMPTY_BIN or y != EMPTY_BIN]
    return sum(x == y for x, y in used) / len(used) if used else 0.0


def simhash_distance(a: str, b: str) -> int:
    """How many of the 64 bits differ: near-duplicates differ in few."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
