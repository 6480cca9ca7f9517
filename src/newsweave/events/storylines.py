"""Storylines: events linked across days, months and years by the names they share."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence

from newsweave.text import Vector, cosine, unit

STORYLINE_THRESHOLD = 0.35
TOP_NAMES = 8  # an event's strongest names, used to find earlier events to compare with


def names_only(centroid: Vector) -> Vector:
    """The unit-length part of a centroid made of capitalised names (``@`` terms)."""
    return unit({term: weight for term, weight in centroid.items() if term.startswith("@")})


def link_storylines(
    centroids: Sequence[Vector], threshold: float = STORYLINE_THRESHOLD
) -> list[int]:
    """A storyline number per event: events whose names agree are joined (single link)."""
    names = [names_only(centroid) for centroid in centroids]
    parent = list(range(len(names)))
    holders: dict[str, list[int]] = defaultdict(list)

    def root(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for later, vector in enumerate(names):
        keys = heapq.nlargest(TOP_NAMES, vector, key=vector.__getitem__)
        candidates = {earlier for key in keys for earlier in holders[key]}
        for earlier in sorted(candidates):
            if root(later) != root(earlier) and cosine(vector, names[earlier]) >= threshold:
                parent[root(later)] = root(earlier)
        for key in keys:
            holders[key].append(later)
    roots: dict[int, int] = {}
    return [roots.setdefault(root(item), len(roots)) for item in range(len(names))]
