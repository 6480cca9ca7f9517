"""The remembering lemmatizer (annotate/lemmas.py) gives every token the lemma spaCy's stock
rule lemmatizer gives it: on sentences written for this test (plurals, tenses, comparatives,
pronouns the attribute ruler already lemmatised, words in capitals) and on generated
articles, a second time round from memory too."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.pipeline import Lemmatizer

from newsweave.annotate.lemmas import FACTORY, Lemmas, swap_lemmatizer
from newsweave.annotate.pipeline import MODEL, load_model, prepared_text
from newsweave.synth import synthetic_news

WRITTEN = [
    "The ministers were meeting; they had met twice and are meeting again, said the mice.",
    "Better roads, the best schools and worse news: prices rose, fell and kept rising.",
    "She's been saying it. I was told he'd gone. THEY WENT. Running, ran, runs, run.",
    "Geese, children and analyses; the data were studied, the criteria agreed upon.",
    "   \n\n",
    "",
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load(MODEL)


def _differences(nlp: Language, texts: list[str], rounds: int = 2) -> list[str]:
    stock = nlp.get_pipe("lemmatizer")
    assert isinstance(stock, Lemmatizer)
    ours = Lemmas(nlp.vocab)
    ours.adopt(stock)
    docs = list(nlp.pipe(texts, disable=["lemmatizer", "ner"]))
    found: list[str] = []
    for _ in range(rounds):  # the second round reads what the first remembered
        for doc in docs:
            expected, got = stock(doc.copy()), ours(doc.copy())
            if not np.array_equal(expected.to_array([LEMMA]), got.to_array([LEMMA])):
                found += [
                    f"{a.text!r}: {a.lemma_!r} / {b.lemma_!r}"
                    for a, b in zip(expected, got, strict=True)
                    if a.lemma != b.lemma
                ]
    return found


def test_same_as_stock_on_written_sentences(nlp: Language) -> None:
    assert _differences(nlp, WRITTEN) == []


def test_same_as_stock_on_generated_articles(nlp: Language) -> None:
    assert _differences(nlp, [prepared_text(r["body"]) for r in synthetic_news(20, seed=4)]) == []


def test_the_shipped_pipeline_uses_it() -> None:
    nlp = load_model()
    assert nlp.get_pipe_meta("lemmatizer").factory == FACTORY
    doc = nlp("The ministers were meeting.")
    assert [t.lemma_ for t in doc] == ["the", "minister", "be", "meet", "."]


def test_no_stock_lemmatizer_changes_nothing() -> None:
    blank = spacy.blank("en")
    assert not swap_lemmatizer(blank)
    assert blank.pipe_names == []
