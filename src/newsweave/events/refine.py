"""Batch refinement: split large events whose articles fall into two dissimilar halves.

Online assignment cannot undo an early wrong join: once two same-kind events share a
centroid, both keep joining it. After a run, each event of at least ``SPLIT_MIN_SIZE``
articles is divided by 2-means over its members' vectors, and split when the halves'
centroids agree less than ``SPLIT_BELOW``.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsweave.events.features import Vector, cosine, unit

SPLIT_MIN_SIZE = 8
SPLIT_BELOW = 0.5
ROUNDS = 5


def unit_centroid(vectors: Sequence[Vector]) -> Vector:
    total: Vector = {}
    for vector in vectors:
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    return unit(total)


def split_in_two(vectors: Sequence[Vector]) -> tuple[list[int], list[int]] | None:
    """Positions of the two halves, or ``None`` when the event holds together."""
    if len(vectors) < SPLIT_MIN_SIZE:
        return None
    halves = _two_means(vectors)
    if halves is None:
        return None
    first, second = halves
    agreement = cosine(
        unit_centroid([vectors[i] for i in first]), unit_centroid([vectors[i] for i in second])
    )
    return (first, second) if agreement < SPLIT_BELOW else None


def _two_means(vectors: Sequence[Vector]) -> tuple[list[int], list[int]] | None:
    """2-means seeded with the member least like the whole and the member least like it."""
    whole = unit_centroid(vectors)
    seed = min(range(len(vectors)), key=lambda i: cosine(vectors[i], whole))
    other = min(range(len(vectors)), key=lambda i: cosine(vectors[i], vectors[seed]))
    left, right = vectors[seed], vectors[other]
    first: list[int] = []
    second: list[int] = []
    for _ in range(ROUNDS):
        first = [i for i, v in enumerate(vectors) if cosine(v, left) >= cosine(v, right)]
        chosen = set(first)
        second = [i for i in range(len(vectors)) if i not in chosen]
        if not first or not second:
            return None
        left = unit_centroid([vectors[i] for i in first])
        right = unit_centroid([vectors[i] for i in second])
    return first, second
