"""Fingerprints for finding the same story again: an exact hash of the normalised words, a 64-bit
SimHash and a MinHash signature over word shingles (Jaccard similarity is the share of equal
MinHash values)."""

from __future__ import annotations

import hashlib
import zlib

import numpy as np

from copydesk.document import Fingerprints
from copydesk.enrich.tokens import Tokens

SHINGLE_WORDS = 3
MINHASH_SIZE = 64
# Fixed seeds: signatures must compare across processes, machines and releases.
_RNG = np.random.default_rng(20240601)
_MULTIPLIERS = _RNG.integers(1, 2**63, size=MINHASH_SIZE, dtype=np.uint64) | np.uint64(1)
_OFFSETS = _RNG.integers(0, 2**63, size=MINHASH_SIZE, dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_CRC_SEED = 0x5BD1E995


def normalized_words(tokens: Tokens) -> list[str]:
    return [lowered for lowered in tokens.lower if lowered[0].isalnum()]


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
    # Two CRCs make a 64-bit word hash at half the cost of a cryptographic one; the mixing below
    # spreads it, and only collisions inside one article would matter.
    vocabulary = {w: zlib.crc32(b := w.encode("utf-8")) | zlib.crc32(b, _CRC_SEED) << 32 for w in set(words)}
    hashed = np.fromiter((vocabulary[w] for w in words), dtype=np.uint64, count=len(words))
    n = max(len(words) - SHINGLE_WORDS + 1, 1)
    combined = np.zeros(n, dtype=np.uint64)
    for i in range(min(SHINGLE_WORDS, len(words))):
        # Rotating by position keeps "a b c" and "c b a" apart.
        part = hashed[i : i + n]
        turn = i * 7 + 1
        combined = (combined * _MIX) ^ ((part << np.uint64(turn)) | (part >> np.uint64(64 - turn)))
    return combined


def _simhash(shingles: np.ndarray) -> str:
    # One row of 64 bits per shingle (bytes, not 64-bit words, to keep the arrays small).
    bits = np.unpackbits(shingles.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int32) * 2 - len(shingles)
    value = np.packbits((votes > 0).astype(np.uint8), bitorder="little").view("<u8")[0]
    return f"{int(value):016x}"


def _minhash(shingles: np.ndarray) -> tuple[int, ...]:
    # Multiply-shift hashing: the top 32 bits of a*x+b (mod 2**64) are a universal family.
    values = np.multiply.outer(shingles, _MULTIPLIERS)
    values += _OFFSETS
    values >>= np.uint64(32)
    return tuple(values.min(axis=0).tolist())


def minhash_similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if a else 0.0


def simhash_distance(a: str, b: str) -> int:
    """How many of the 64 bits differ: near-duplicates differ in few."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
