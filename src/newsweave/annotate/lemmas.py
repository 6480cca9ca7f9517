"""spaCy's rule lemmatizer, each (word, part of speech, morphology) worked out once.

The stock English lemmatizer makes a Python ``Token`` for every token and looks its lemma up
(or works it out) one token at a time; a lemma depends only on the word, its coarse tag
and its morphology. :class:`Lemmas` reads those three for the whole doc in one array,
asks the stock component only about combinations not seen before, and writes every lemma
back in one ``Doc.from_array``. Tokens that already have a lemma (set by the attribute
ruler) keep it, as the stock component does unless told to overwrite.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

FACTORY = "newsweave_lemmas"
MAX_REMEMBERED = 500_000  # combinations kept; past that the memory starts anew


class Lemmas:
    """The spaCy component: the stock lemmatizer's lemmas, remembered per combination."""

    def __init__(self, vocab: Vocab, name: str = "lemmatizer") -> None:
        self.vocab = vocab
        self.name = name
        self.stock: Lemmatizer | None = None
        self.remembered: dict[tuple[int, int, int], int] = {}

    def adopt(self, stock: Lemmatizer) -> None:
        """Work out lemmas as ``stock`` does (its tables, its mode)."""
        self.stock = stock
        self.remembered.clear()

    def __call__(self, doc: Doc) -> Doc:
        stock = self.stock
        if stock is None or not len(doc):
            return doc
        array = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = np.array(array[:, 3], dtype=np.uint64)
        todo = np.arange(len(doc)) if stock.overwrite else np.flatnonzero(lemmas == 0)
        keys = list(zip(*(array[todo, k].tolist() for k in range(3)), strict=True))
        found = [self.remembered.get(key, 0) for key in keys]
        for n, lemma in enumerate(found):
            if not lemma:
                found[n] = self._work_out(doc, int(todo[n]), keys[n])
        lemmas[todo] = found
        doc.from_array([LEMMA], cast(Any, lemmas.reshape(-1, 1)))
        return doc

    def _work_out(self, doc: Doc, i: int, key: tuple[int, int, int]) -> int:
        assert self.stock is not None
        lemma = self.vocab.strings.add(self.stock.lemmatize(doc[i])[0])
        if key[1]:  # no part of speech: the stock warns each time, so it is asked each time
            if len(self.remembered) >= MAX_REMEMBERED:
                self.remembered.clear()
            self.remembered[key] = lemma
        return lemma

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(FACTORY)
def make_lemmas(nlp: Language, name: str) -> Lemmas:
    """An empty component; ``adopt`` gives it the stock lemmatizer to consult."""
    return Lemmas(nlp.vocab, name)


def swap_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Put :class:`Lemmas` in place of the stock rule lemmatizer ``name``, consulting it.
    False (and nothing changed) when there is none."""
    if name not in nlp.pipe_names:
        return False
    stock = nlp.get_pipe(name)
    if not isinstance(stock, Lemmatizer) or stock.mode != "rule":
        return False
    lemmas = nlp.replace_pipe(name, FACTORY)
    assert isinstance(lemmas, Lemmas)
    lemmas.adopt(stock)
    return True
