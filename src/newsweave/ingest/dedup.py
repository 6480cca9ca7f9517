"""Near-duplicate detection: MinHash over word shingles (the one copy detector's, see
:mod:`newsweave.copies`), a banded LSH index, an exact check.

>>> a = shingles("the river rose two metres overnight and the barriers held firm " * 3)
>>> b = shingles("the river rose two metres overnight and the barriers held firm " * 3 + "again")
>>> round(estimated_jaccard(minhash(a), minhash(b)), 1)
0.9
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from newsweave.copies import shingles

NUM_PERM = 126
BANDS, ROWS = 42, 3  # a pair with Jaccard 0.5 becomes a candidate with p ≈ 0.996, 0.1 with 0.04
COPY_JACCARD = 0.5
COPY_CONTAINMENT = 0.8
MIN_SHINGLES = 25
MAX_VERIFIED = 5  # candidates checked exactly, best estimated Jaccard first
MIN_ESTIMATE = 0.2

Signature = npt.NDArray[np.uint32]
_PRIME = np.uint64(4_294_967_311)  # the first prime above 2**32
_LOW_32 = np.uint64(0xFFFFFFFF)
_RNG = np.random.default_rng(20240601)  # fixed: stored signatures must stay comparable
_MUL = _RNG.integers(1, 2**32, size=NUM_PERM, dtype=np.uint64)
_ADD = _RNG.integers(0, 2**32, size=NUM_PERM, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class Match:
    """How much of two texts is shared."""

    other_id: str
    jaccard: float
    containment_new: float  # share of the new text found in the other
    containment_other: float  # share of the other text found in the new

    @property
    def is_copy(self) -> bool:
        return (
            self.jaccard >= COPY_JACCARD
            or max(self.containment_new, self.containment_other) >= COPY_CONTAINMENT
        )


def minhash(shingle_set: Iterable[bytes]) -> Signature:
    """The MinHash signature: per permutation ``(a·h + b) mod p``, the minimum over shingles."""
    hashes = np.fromiter((zlib.crc32(s) for s in shingle_set), dtype=np.uint64)
    if hashes.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    permuted = (np.outer(hashes, _MUL) + _ADD) % _PRIME & _LOW_32
    signature: Signature = permuted.min(axis=0).astype(np.uint32)
    return signature


def estimated_jaccard(first: Signature, second: Signature) -> float:
    return float(np.count_nonzero(first == second)) / NUM_PERM


def to_bytes(signature: Signature) -> bytes:
    return signature.astype("<u4").tobytes()


def from_bytes(blob: bytes) -> Signature:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


def overlap(new: set[bytes], other: set[bytes], other_id: str) -> Match:
    shared = len(new & other)
    union = len(new | other) or 1
    return Match(other_id, shared / union, shared / (len(new) or 1), shared / (len(other) or 1))


class ArticleLookup(Protocol):
    """Where the index finds the text and signature of a candidate (store or pending batch)."""

    def text_of(self, article_id: str) -> str | None: ...

    def signature_of(self, article_id: str) -> bytes | None: ...


class NearDuplicateIndex:
    """Finds the earlier article a new text copies, if any. Build it once per store.

    Each band of ``ROWS`` signature values is one bucket key; articles that share any
    bucket are candidates. Buckets hold small integers, so memory stays a few KB per article.
    """

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._known: set[str] = set()
        self._buckets: dict[int, int | list[int]] = {}
        self.through = 0  # the last store row loaded

    def __len__(self) -> int:
        return len(self._ids)

    def load(self, signatures: Iterable[tuple[int, str, bytes]]) -> int:
        """Add stored signatures given as (row number, id, MinHash), in row order."""
        for row, article_id, blob in signatures:
            self.add(article_id, from_bytes(blob))
            self.through = max(self.through, row)
        return len(self._ids)

    def add(self, article_id: str, signature: Signature) -> None:
        if article_id in self._known:
            return
        self._known.add(article_id)
        number = len(self._ids)
        self._ids.append(article_id)
        for key in _band_keys(signature):
            held = self._buckets.get(key)
            if held is None:
                self._buckets[key] = number
            elif isinstance(held, list):
                held.append(number)
            else:
                self._buckets[key] = [held, number]

    def candidates(self, signature: Signature) -> set[str]:
        numbers: set[int] = set()
        for key in _band_keys(signature):
            held = self._buckets.get(key)
            if isinstance(held, list):
                numbers.update(held)
            elif held is not None:
                numbers.add(held)
        return {self._ids[number] for number in numbers}

    def best_match(
        self, shingle_set: set[bytes], signature: Signature, lookup: ArticleLookup
    ) -> Match | None:
        """The closest earlier article that this text copies, or ``None``."""
        if len(shingle_set) < MIN_SHINGLES:
            return None
        best: Match | None = None
        for candidate in self._likeliest(signature, lookup):
            text = lookup.text_of(candidate)
            if text is None:
                continue
            match = overlap(shingle_set, shingles(text), candidate)
            if match.is_copy and (best is None or match.jaccard > best.jaccard):
                best = match
        return best

    def _likeliest(self, signature: Signature, lookup: ArticleLookup) -> list[str]:
        """Candidates ranked by estimated Jaccard, so boilerplate cannot flood the check."""
        ranked: list[tuple[float, str]] = []
        for candidate in self.candidates(signature):
            blob = lookup.signature_of(candidate)
            if blob is None:
                continue
            estimate = estimated_jaccard(signature, from_bytes(blob))
            if estimate >= MIN_ESTIMATE:
                ranked.append((-estimate, candidate))
        return [candidate for _, candidate in sorted(ranked)[:MAX_VERIFIED]]


def _band_keys(signature: Signature) -> list[int]:
    """One bucket key per band (a rare hash collision only adds a candidate to check)."""
    rows = signature[: BANDS * ROWS].reshape(BANDS, ROWS).tolist()
    return [hash((band, *values)) for band, values in enumerate(rows)]
