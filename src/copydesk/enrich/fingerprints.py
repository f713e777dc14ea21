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
import zlib
from itertools import compress, repeat
from operator import itemgetter

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


def normalized_words(tokens: Tokens) -> list[str]:
    return list(compress(tokens.lower, map(str.isalnum, map(itemgetter(0), tokens.lower))))


def fingerprint(tokens: Tokens) -> Fingerprints:
    words = normalized_words(tokens)
    digest = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
    if not words:
        return Fingerprints(sha256=digest)
    shingles = _shingle_hashes(words)
    return Fingerprints(sha256=digest, simhash=_simhash(shingles), minhash=_minhash(shingles))


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """One 64-bit hash per run of SHINGLE_WORDS words, combined from per-word hashes (a repeated
    shingle counts again in the SimHash, as a weighted feature should, and not in the MinHash)."""
    # Two CRCs (high and low half) make a 64-bit word hash at half the cost of a cryptographic
    # one; the mixing below spreads it, and only collisions inside one article would matter.
    # Every word is hashed, by maps in C: quicker than a Python loop over the distinct words.
    encoded = list(map(str.encode, words))  # UTF-8
    hashed = np.fromiter(map(zlib.crc32, encoded, repeat(_CRC_SEED)), dtype=np.uint64, count=len(words))
    hashed <<= np.uint64(32)
    hashed |= np.fromiter(map(zlib.crc32, encoded), dtype=np.uint64, count=len(words))
    n = max(len(words) - SHINGLE_WORDS + 1, 1)
    combined = _rotated(hashed[:n], 0)
    for i in range(1, min(SHINGLE_WORDS, len(words))):
        combined *= _MIX
        combined ^= _rotated(hashed[i : i + n], i)
    return combined


def _rotated(part: np.ndarray, position: int) -> np.ndarray:
    """The word hashes rotated by their place in the shingle, which keeps "a b c" and "c b a" apart."""
    turn = position * 7 + 1
    return (part << np.uint64(turn)) | (part >> np.uint64(64 - turn))


def _simhash(shingles: np.ndarray) -> str:
    # One row of 64 bits per shingle (bytes, not 64-bit words, to keep the arrays small).
    bits = np.unpackbits(shingles.astype("<u8", copy=False).view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    # The rows are added eight bits at a time, as 64-bit words: a byte holding 0 or 1 never
    # carries into the next while at most 255 rows are added, so each run of that many gives
    # every bit's count in its own byte.
    counts = np.add.reduceat(bits.view(np.uint64), np.arange(0, len(bits), _MAX_BYTE), axis=0)
    votes = counts.view(np.uint8).reshape(-1, 64).sum(axis=0, dtype=np.int32) * 2 - len(shingles)
    value = np.packbits(votes > 0, bitorder="little").view("<u8")[0]
    return f"{int(value):016x}"


def _minhash(shingles: np.ndarray) -> tuple[int, ...]:
    mixed = shingles * _FINAL_MIX  # spread the bits the bins and values are cut from
    mixed ^= mixed >> np.uint64(31)
    bins = (mixed >> np.uint64(64 - _BIN_BITS)).astype(np.intp)
    values = (mixed & np.uint64(EMPTY_BIN)).astype(np.uint32)
    signature = np.full(MINHASH_SIZE, EMPTY_BIN, dtype=np.uint32)
    np.minimum.at(signature, bins, values)
    return tuple(signature.tolist())


def minhash_similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets (bins empty in both say
    nothing and are left out)."""
    used = [(x, y) for x, y in zip(a, b, strict=True) if x != EMPTY_BIN or y != EMPTY_BIN]
    return sum(x == y for x, y in used) / len(used) if used else 0.0


def simhash_distance(a: str, b: str) -> int:
    """How many of the 64 bits differ: near-duplicates differ in few."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
