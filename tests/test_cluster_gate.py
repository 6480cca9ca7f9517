"""The clustering gate on real news: events kept up to date batch by batch must score (B-cubed
F1 against the gold) as the rebuild does, and both above the floors pinned here.

GVA's first ``GVA_SAMPLE`` articles are replayed in daily batches and all of ECB+ in batches of
``ECB_BATCH`` (see benchmarks/incremental.py); the whole GVA corpus, ingested as it comes, is
gated in test_eval_gate.py. Skipped, saying why, where the shared data folder is not present.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.append(str(BENCHMARKS))

from corpora import DataNotFoundError, data_folder, load_ecbplus, load_gva  # noqa: E402
from incremental import gva_batches, in_batches, replay  # noqa: E402

GVA_SAMPLE = 600
ECB_BATCH = 40
FLOORS = {  # measured 0.938, 0.937, 0.945, 0.945 on the last run
    ("GVA", "incremental"): 0.93,
    ("GVA", "rebuild"): 0.93,
    ("ECB+", "incremental"): 0.94,
    ("ECB+", "rebuild"): 0.94,
}
MOST_GAP = 0.005  # the incremental path may fall this far below the rebuild
LEAST_IDS_KEPT = 0.95


@pytest.fixture(scope="module")
def replays() -> dict[str, dict[str, Any]]:
    try:
        folder = data_folder()
    except DataNotFoundError as error:
        pytest.skip(f"no shared data: {error}")
    gva = load_gva(folder).articles[:GVA_SAMPLE]
    ecb = load_ecbplus(folder).articles
    return {
        "GVA": replay("GVA", gva_batches(gva)),
        "ECB+": replay("ECB+", in_batches(ecb, ECB_BATCH)),
    }


@pytest.mark.parametrize(("corpus", "path"), sorted(FLOORS))
def test_clustering_keeps_its_floor(
    replays: dict[str, dict[str, Any]], corpus: str, path: str
) -> None:
    found = replays[corpus][path]["f1"]
    assert found >= FLOORS[(corpus, path)], f"{corpus} {path} B-cubed F1 {found:.4f}"


@pytest.mark.parametrize("corpus", ["GVA", "ECB+"])
def test_incremental_stays_close_to_the_rebuild(
    replays: dict[str, dict[str, Any]], corpus: str
) -> None:
    assert replays[corpus]["f1_gap"] <= MOST_GAP
    assert replays[corpus]["ids_kept"] >= LEAST_IDS_KEPT
