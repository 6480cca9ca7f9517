"""Clustering metrics: hand-worked examples, edge cases, and values checked against sklearn."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence

import pytest

from newsweave.evaluate import (
    BCubed,
    adjusted_mutual_information,
    adjusted_rand_index,
    bcubed,
    score_clustering,
)

GOLD = ["a", "a", "a", "b", "b", "c"]  # clusters of 3, 2 and 1 items


def close(actual: BCubed, precision: float, recall: float) -> bool:
    f1 = 2 * precision * recall / (precision + recall)
    expected = (precision, recall, f1)
    found = (actual.precision, actual.recall, actual.f1)
    return all(math.isclose(x, y, rel_tol=1e-12) for x, y in zip(found, expected, strict=True))


def test_perfect_clustering_scores_one_whatever_the_label_names() -> None:
    predicted = [7, 7, 7, "x", "x", None]
    assert bcubed(predicted, GOLD) == BCubed(1.0, 1.0, 1.0)
    assert adjusted_rand_index(predicted, GOLD) == 1.0
    assert adjusted_mutual_information(predicted, GOLD) == 1.0


def test_every_item_alone_has_full_precision() -> None:
    # recall per item: 1/3 three times, 1/2 twice, 1 once -> (1 + 1 + 1) / 6
    scores = score_clustering(list(range(6)), GOLD)
    assert close(scores.bcubed, 1.0, 0.5)
    assert scores.ari == 0.0 and scores.ami == 0.0
    assert (scores.items, scores.predicted_clusters, scores.gold_clusters) == (6, 6, 3)


def test_everything_in_one_cluster_has_full_recall() -> None:
    # precision per item: 3/6 three times, 2/6 twice, 1/6 once -> (9 + 4 + 1) / 36
    scores = score_clustering(["all"] * 6, GOLD)
    assert close(scores.bcubed, 14 / 36, 1.0)
    assert scores.ari == 0.0 and scores.ami == 0.0


def test_worked_bcubed_example() -> None:
    # predicted {1,2,3,4} {5}; gold {1,2} {3,4,5}
    # precision: items 1-4 each 2/4, item 5 1/1 -> 3/5
    # recall: items 1,2 each 2/2, items 3,4 each 2/3, item 5 1/3 -> (2 + 4/3 + 1/3) / 5 = 11/15
    result = bcubed([0, 0, 0, 0, 1], ["a", "a", "b", "b", "b"])
    assert close(result, 3 / 5, 11 / 15)
    assert math.isclose(result.f1, 0.66)


def test_bcubed_swaps_precision_and_recall_when_the_sides_swap() -> None:
    predicted = [0, 0, 1, 1, 1, 2]
    forward, backward = bcubed(predicted, GOLD), bcubed(GOLD, predicted)
    assert math.isclose(forward.precision, backward.recall)
    assert math.isclose(forward.recall, backward.precision)
    assert math.isclose(forward.f1, backward.f1)


def test_worked_adjusted_rand_index() -> None:
    # pairs together in both: 1 + 1 + 3 = 5; in predicted: 1 + 3 + 1 + 3 = 8;
    # in gold: 3 + 3 + 6 = 12; of 45. (5 - 8*12/45) / ((8 + 12)/2 - 8*12/45) = 43/118
    predicted = [0, 0, 1, 1, 1, 2, 2, 3, 3, 3]
    gold = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    assert math.isclose(adjusted_rand_index(predicted, gold), 43 / 118, rel_tol=1e-15)


# Values from scikit-learn 1.9.1 (adjusted_rand_score, adjusted_mutual_info_score with its
# default arithmetic normalisation), computed once in a separate environment.
SKLEARN_CASES: list[tuple[Sequence[Hashable], Sequence[Hashable], float, float]] = [
    (
        [0, 0, 1, 1, 1, 2, 2, 3, 3, 3],
        [0, 0, 0, 1, 1, 1, 2, 2, 2, 2],
        0.3644067796610169,
        0.40577818863462295,
    ),
    (
        ["a", "b", "a", "c", "b", "a", "c", "c", "b", "a", "d", "d"],
        [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
        0.06278026905829596,
        0.09599513294418055,
    ),
    (
        [(i * i) % 37 for i in range(400)],
        [i // 3 for i in range(400)],
        -0.003765533390290981,
        -0.014037256209716707,
    ),
    (
        [i // 4 if i % 9 else -1 for i in range(600)],
        [i // 5 for i in range(600)],
        0.21839982613045958,
        0.4998638513747986,
    ),
]


@pytest.mark.parametrize(("predicted", "gold", "ari", "ami"), SKLEARN_CASES)
def test_agrees_with_scikit_learn(
    predicted: Sequence[Hashable], gold: Sequence[Hashable], ari: float, ami: float
) -> None:
    assert adjusted_rand_index(predicted, gold) == pytest.approx(ari, abs=1e-12)
    assert adjusted_mutual_information(predicted, gold) == pytest.approx(ami, abs=1e-9)


@pytest.mark.parametrize(("predicted", "gold", "ari", "ami"), SKLEARN_CASES)
def test_ari_and_ami_are_symmetric(
    predicted: Sequence[Hashable], gold: Sequence[Hashable], ari: float, ami: float
) -> None:
    assert adjusted_rand_index(gold, predicted) == pytest.approx(ari, abs=1e-12)
    assert adjusted_mutual_information(gold, predicted) == pytest.approx(ami, abs=1e-9)


def test_score_clustering_matches_the_single_metrics() -> None:
    predicted, gold, ari, ami = SKLEARN_CASES[1]
    scores = score_clustering(predicted, gold)
    assert scores.bcubed == bcubed(predicted, gold)
    assert scores.ari == adjusted_rand_index(predicted, gold) == pytest.approx(ari)
    assert scores.ami == adjusted_mutual_information(predicted, gold) == pytest.approx(ami)


def test_degenerate_partitions() -> None:
    assert adjusted_rand_index(["only"], ["one"]) == 1.0
    assert adjusted_mutual_information(["only"], ["one"]) == 1.0
    assert bcubed(["only"], ["one"]) == BCubed(1.0, 1.0, 1.0)
    singletons = list(range(50))
    assert adjusted_mutual_information(singletons, singletons) == 1.0
    assert adjusted_mutual_information([0] * 50, [1] * 50) == 1.0
    one_pair = [0, 0, *range(2, 50)]  # MI equals its expectation exactly: AMI is 0, not noise
    assert adjusted_mutual_information(singletons, one_pair) == 0.0


def test_thousands_of_items() -> None:
    gold = [i // 2 for i in range(5000)]
    predicted = [i // 3 for i in range(5000)]
    scores = score_clustering(predicted, gold)
    assert 0.0 < scores.ami < 1.0 and 0.0 < scores.ari < 1.0


@pytest.mark.parametrize(
    "metric", [bcubed, adjusted_rand_index, adjusted_mutual_information, score_clustering]
)
def test_empty_or_mismatched_input_raises(
    metric: Callable[[Sequence[Hashable], Sequence[Hashable]], object],
) -> None:
    with pytest.raises(ValueError, match="empty"):
        metric([], [])
    with pytest.raises(ValueError, match="3 labels but gold has 2"):
        metric([1, 2, 3], [1, 2])
