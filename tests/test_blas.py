"""spaCy's networks multiply with numpy's BLAS (annotate/blas.py): the shipped pipeline uses
it, and it parses, tags and finds entities exactly as the stock BLIS ops do, on sentences
written for this test and on generated news articles."""

from __future__ import annotations

import sys

import numpy as np
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from thinc.api import NumpyOps

from newsweave.annotate.blas import one_blas_thread, use_numpy_blas
from newsweave.annotate.pipeline import MODEL, load_model, prepared_text
from newsweave.synth import synthetic_news

ATTRS = [POS, TAG, DEP, HEAD, LEMMA, MORPH, ENT_IOB, ENT_TYPE, SENT_START]
WRITTEN = [
    "Senator Jane Doe told Reuters on Tuesday that the $4.2 billion bill “will not pass.”",
    "The Kremlin said Russia's president would meet NATO leaders in Brussels next week.",
    "“We are not going anywhere,” said Maria Lopez, 42, a nurse in El Paso, Texas.\n\nShe left.",
]


def test_the_shipped_pipeline_multiplies_with_numpy() -> None:
    nlp = load_model()
    for name in ("tok2vec", "parser", "ner"):
        for node in nlp.get_pipe(name).model.walk():  # type: ignore[attr-defined]
            assert isinstance(node.ops, NumpyOps) and not node.ops.use_blis


def test_same_parse_as_blis() -> None:
    stock, ours = spacy.load(MODEL), spacy.load(MODEL)
    use_numpy_blas(ours)
    texts = WRITTEN + [prepared_text(r["body"]) for r in synthetic_news(12, seed=5)]
    for expected, got in zip(stock.pipe(texts), ours.pipe(texts), strict=True):
        assert np.array_equal(expected.to_array(ATTRS), got.to_array(ATTRS)), expected.text[:60]


def test_one_blas_thread() -> None:
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    assert one_blas_thread() or not (sys.platform.startswith("linux") and "openblas" in blas)
