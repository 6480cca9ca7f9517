"""Clustering metrics: B-cubed P/R/F1, adjusted Rand index, adjusted mutual information.

Each metric compares a predicted clustering with a gold one, given as two label sequences of
the same length: item ``i`` is in cluster ``predicted[i]`` and in gold cluster ``gold[i]``.
Labels can be any hashable values; only which items share a label matters, so the names of
the clusters never do.

>>> scores = score_clustering(["x", "x", "y", "z"], [1, 1, 2, 2])
>>> scores.bcubed
BCubed(precision=1.0, recall=0.75, f1=0.8571428571428571)
>>> round(scores.ari, 4), round(scores.ami, 4)
(0.5714, 0.5714)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Counts = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class BCubed:
    """B-cubed scores: per-item precision and recall averaged over items, and their F1."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """Every metric for one predicted clustering against the gold one."""

    bcubed: BCubed
    ari: float
    ami: float
    items: int
    predicted_clusters: int
    gold_clusters: int


@dataclass(frozen=True, slots=True)
class _Table:
    """The contingency table of two clusterings, kept sparse.

    ``cells`` holds the item count of every non-empty (predicted, gold) cell, and
    ``cell_predicted`` / ``cell_gold`` the sizes of that cell's predicted and gold cluster.
    ``predicted`` / ``gold`` hold the size of every cluster of each side.
    """

    cells: Counts
    cell_predicted: Counts
    cell_gold: Counts
    predicted: Counts
    gold: Counts

    @property
    def items(self) -> int:
        return int(self.predicted.sum())

    @property
    def identical(self) -> bool:
        """True when both sides group the items the same way (one cell per cluster)."""
        return len(self.cells) == len(self.predicted) == len(self.gold)


def _codes(labels: Sequence[Hashable]) -> Counts:
    """Each label replaced by a small integer, numbered in order of first appearance."""
    index: dict[Hashable, int] = {}
    codes = (index.setdefault(label, len(index)) for label in labels)
    return np.fromiter(codes, dtype=np.int64, count=len(labels))


def _table(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> _Table:
    if len(predicted) != len(gold):
        raise ValueError(f"predicted has {len(predicted)} labels but gold has {len(gold)}")
    if len(gold) == 0:
        raise ValueError("cannot score an empty clustering")
    row, column = _codes(predicted), _codes(gold)
    width = int(column.max()) + 1
    keys, cells = np.unique(row * width + column, return_counts=True)
    predicted_sizes, gold_sizes = np.bincount(row), np.bincount(column)
    return _Table(
        cells=cells.astype(np.int64),
        cell_predicted=predicted_sizes[keys // width],
        cell_gold=gold_sizes[keys % width],
        predicted=predicted_sizes,
        gold=gold_sizes,
    )


def _bcubed(table: _Table) -> BCubed:
    # Each of the c items of a cell has precision c / |its predicted cluster| and
    # recall c / |its gold cluster|, so a cell adds c * c / size to the sum over items.
    squares = table.cells * table.cells
    precision = float(np.sum(squares / table.cell_predicted)) / table.items
    recall = float(np.sum(squares / table.cell_gold)) / table.items
    return BCubed(precision, recall, 2 * precision * recall / (precision + recall))


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> BCubed:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et al. 2009).

    For each item, precision is the share of its predicted cluster that is in its gold
    cluster, and recall the share of its gold cluster that is in its predicted cluster.
    Both are averaged over items; F1 is the harmonic mean of the two averages.

    >>> scores = bcubed([0, 0, 0, 0, 1], ["a", "a", "b", "b", "b"])
    >>> round(scores.precision, 4), round(scores.recall, 4), round(scores.f1, 4)
    (0.6, 0.7333, 0.66)
    >>> bcubed(["p", "q", "r"], ["g", "g", "g"])  # every item alone
    BCubed(precision=1.0, recall=0.3333333333333333, f1=0.5)
    """
    return _bcubed(_table(predicted, gold))


def _pairs(sizes: Counts) -> int:
    """How many pairs of items share a cluster (or cell), as an exact integer."""
    return sum(size * (size - 1) // 2 for size in sizes.tolist())


def _adjusted_rand_index(table: _Table) -> float:
    both = _pairs(table.cells)
    predicted, gold = _pairs(table.predicted), _pairs(table.gold)
    if predicted == gold == both:  # no pair is split on one side only: same partition
        return 1.0
    total = table.items * (table.items - 1) // 2
    # (index - expected) / (maximum - expected), with expected = predicted * gold / total
    # and maximum = (predicted + gold) / 2, multiplied through by 2 * total so that only
    # the final division is inexact.
    numerator = 2 * (both * total - predicted * gold)
    denominator = (predicted + gold) * total - 2 * predicted * gold
    return numerator / denominator


def adjusted_rand_index(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> float:
    """The Rand index corrected for chance (Hubert & Arabie 1985).

    1.0 for identical partitions, about 0.0 for unrelated ones; it can be negative.
    Symmetric in its two arguments.

    >>> adjusted_rand_index([0, 0, 1, 1], ["b", "b", "a", "a"])
    1.0
    >>> adjusted_rand_index([0, 0, 0, 0, 1], ["a", "a", "b", "b", "b"])  # -2 / 13
    -0.15384615384615385
    """
    return _adjusted_rand_index(_table(predicted, gold))


def _entropy(sizes: Counts) -> float:
    shares = sizes / sizes.sum()
    return float(-np.sum(shares * np.log(shares)))


def _mutual_information(table: _Table) -> float:
    n = table.items
    logs = np.log(n * table.cells / table.cell_predicted / table.cell_gold)
    return max(float(np.sum(table.cells * logs)) / n, 0.0)


def _log_factorials(n: int) -> NDArray[np.float64]:
    """``log(k!)`` for k = 0..n."""
    return np.array([math.lgamma(k + 1) for k in range(n + 1)])


def _expected_mutual_information(predicted: Counts, gold: Counts) -> float:
    """The mean mutual information over all clusterings with these cluster sizes.

    Vinh, Epps & Bailey (2010), eq. 24a: a cell between clusters of sizes a and b holds k
    items with hypergeometric probability, and adds (k / n) log(n k / (a b)) to the mutual
    information. The sum depends only on the sizes, so it runs over distinct sizes
    weighted by how many clusters have them; probabilities are taken in log space.
    """
    n = int(predicted.sum())
    log_fact = _log_factorials(n)
    gold_sizes, gold_weights = np.unique(gold, return_counts=True)
    b = gold_sizes[:, np.newaxis]
    total = 0.0
    for a, a_weight in zip(*np.unique(predicted, return_counts=True), strict=True):
        k = np.arange(1, min(int(a), int(gold_sizes[-1])) + 1)[np.newaxis, :]
        possible = (k <= b) & (k >= a + b - n)
        log_p = (
            log_fact[a] + log_fact[b] + log_fact[n - a] + log_fact[n - b] - log_fact[n]
            - log_fact[k] - log_fact[a - k]
            - log_fact[np.where(possible, b - k, 0)]
            - log_fact[np.where(possible, n - a - b + k, 0)]
        )  # fmt: skip
        probability = np.exp(np.where(possible, log_p, -np.inf))
        terms = k / n * np.log(n * k / (a * b)) * probability
        total += float(a_weight) * float(np.sum(terms * gold_weights[:, np.newaxis]))
    return total


def _uninformative(sizes: Counts) -> bool:
    """One cluster of everything, or every item alone: either way MI = E[MI]."""
    return len(sizes) == 1 or len(sizes) == int(sizes.sum())


def _adjusted_mutual_information(table: _Table) -> float:
    if table.identical:  # also covers the 0 / 0 of "one cluster" or "all alone" on both sides
        return 1.0
    if _uninformative(table.predicted) or _uninformative(table.gold):
        return 0.0  # MI then equals its expectation exactly; computed, it would be noise
    expected = _expected_mutual_information(table.predicted, table.gold)
    mean_entropy = (_entropy(table.predicted) + _entropy(table.gold)) / 2
    return (_mutual_information(table) - expected) / (mean_entropy - expected)


def adjusted_mutual_information(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> float:
    """Mutual information corrected for chance, normalised by the mean of the two entropies.

    (MI - E[MI]) / (mean(H(predicted), H(gold)) - E[MI]), the "arithmetic" normalisation
    (Vinh, Epps & Bailey 2010). 1.0 for identical partitions, about 0.0 for unrelated ones,
    and exactly 0.0 when either side is one cluster or all singletons (but not both sides the
    same). Symmetric in its two arguments.

    >>> adjusted_mutual_information([0, 0, 1, 1], ["b", "b", "a", "a"])
    1.0
    >>> round(adjusted_mutual_information([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 6)
    0.298792
    """
    return _adjusted_mutual_information(_table(predicted, gold))


def score_clustering(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> ClusterScores:
    """B-cubed, ARI and AMI of ``predicted`` against ``gold``, from one contingency table.

    Raises ``ValueError`` if the sequences are empty or differ in length.

    >>> scores = score_clustering(["a", "b", "c"], ["g", "g", "h"])
    >>> scores.bcubed.precision, scores.predicted_clusters, scores.gold_clusters
    (1.0, 3, 2)
    """
    table = _table(predicted, gold)
    return ClusterScores(
        bcubed=_bcubed(table),
        ari=_adjusted_rand_index(table),
        ami=_adjusted_mutual_information(table),
        items=table.items,
        predicted_clusters=len(table.predicted),
        gold_clusters=len(table.gold),
    )
