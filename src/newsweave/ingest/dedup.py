"""Near-duplicate detection: MinHash over word shingles, an LSH index, and an exact check."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsweave.ingest.normalise import normalised_for_hash

SHINGLE_WORDS = 4
NUM_PERM = 128
CANDIDATE_THRESHOLD = 0.3  # LSH recall point; the exact check below decides
COPY_JACCARD = 0.5
COPY_CONTAINMENT = 0.8
MIN_SHINGLES = 25
MAX_VERIFIED = 5  # candidates checked exactly, best estimated Jaccard first
MIN_ESTIMATE = 0.2
SCHEME = "affine32"


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


def shingles(text: str) -> set[bytes]:
    """Overlapping runs of ``SHINGLE_WORDS`` normalised words."""
    words = normalised_for_hash(text).split()
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


@cache
def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=zlib.crc32)


def _permutations() -> np.ndarray:
    return _template().permutations  # type: ignore[no-any-return]


def minhash_of(shingle_set: Iterable[bytes]) -> MinHash:
    signature = MinHash(
        num_perm=NUM_PERM, permutations=_permutations(), scheme=SCHEME, hashfunc=zlib.crc32
    )
    signature.update_batch(list(shingle_set))
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    return bytes(np.asarray(signature.hashvalues, dtype=np.uint64).tobytes())


def signature_from_bytes(blob: bytes) -> MinHash:
    values = np.frombuffer(blob, dtype=np.uint64).astype(_template().hashvalues.dtype)
    return MinHash(
        num_perm=NUM_PERM,
        hashvalues=values,
        permutations=_permutations(),
        scheme=SCHEME,
        hashfunc=zlib.crc32,
    )


def overlap(new: set[bytes], other: set[bytes], other_id: str) -> Match:
    shared = len(new & other)
    union = len(new | other) or 1
    return Match(other_id, shared / union, shared / (len(new) or 1), shared / (len(other) or 1))


class ArticleLookup(Protocol):
    """Where the index finds the text and signature of a candidate (store or pending batch)."""

    def text_of(self, article_id: str) -> str | None: ...

    def signature_of(self, article_id: str) -> bytes | None: ...


class NearDuplicateIndex:
    """Finds the earlier article a new text copies, if any. Build it once per store."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)

    def load(self, signatures: Iterable[tuple[str, bytes]]) -> int:
        count = 0
        with self._lsh.insertion_session() as session:
            for article_id, blob in signatures:
                session.insert(article_id, signature_from_bytes(blob), check_duplication=False)
                count += 1
        return count

    def best_match(
        self, shingle_set: set[bytes], signature: MinHash, lookup: ArticleLookup
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

    def _likeliest(self, signature: MinHash, lookup: ArticleLookup) -> list[str]:
        """LSH candidates ranked by estimated Jaccard, so boilerplate cannot flood the check."""
        mine = np.asarray(signature.hashvalues)
        estimates: list[tuple[float, str]] = []
        for candidate in self._lsh.query(signature):
            blob = lookup.signature_of(candidate)
            if blob is None:
                continue
            theirs = np.frombuffer(blob, dtype=np.uint64)
            estimate = float(np.count_nonzero(theirs == mine)) / NUM_PERM
            if estimate >= MIN_ESTIMATE:
                estimates.append((-estimate, candidate))
        return [candidate for _, candidate in sorted(estimates)[:MAX_VERIFIED]]

    def add(self, article_id: str, signature: MinHash) -> None:
        if article_id not in self._lsh:
            self._lsh.insert(article_id, signature, check_duplication=False)
