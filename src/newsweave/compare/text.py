"""Sentences and similarity for comparing statements across articles, read from each
article's analysed document (:mod:`newsweave.annotate.document`): the project's one
segmentation, word pattern and term weighting (``newsweave.text``)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable

from newsweave.compare.model import Coverage
from newsweave.model import Sentence
from newsweave.text import NAME, Vector, smoothed_idf, weigh

SHARED_WORD_WEIGHT = 1e-3  # a word every sentence of the event has tells none apart
MAX_SENTENCE_CHARS = 1_000  # a longer "sentence" (run-on text) gives the text around


def words(sentence: Sentence) -> list[str]:
    """The words that compare two statements of one event: the sentence's content words
    (the project's stop list less its news words, since within one event "people", "two"
    or "when" still tell one statement from another), names as plain words."""
    return [word.removeprefix(NAME) for word in sentence.words]


def sentence_holding(item: Coverage, position: int) -> Sentence | None:
    """The analysed sentence of the article holding ``position``; None between sentences."""
    spans = item.sentences
    at = bisect_right([s.start for s in spans], position) - 1
    if at >= 0 and spans[at].start <= position < spans[at].end:
        return spans[at]
    return None


def sentence_at(item: Coverage, position: int) -> str:
    """The text of the sentence holding ``position`` (or the text around it, when there is
    none or it is longer than ``MAX_SENTENCE_CHARS``)."""
    text = item.article.text
    found = sentence_holding(item, position)
    if found is not None and found.end - found.start <= MAX_SENTENCE_CHARS:
        return text[found.start : found.end]
    return text[max(0, position - 80) : position + 80]


class Weights:
    """Document frequencies over a small set of texts (one event's sentences), weighing
    their words the project's way (sublinear TF times smoothed IDF, unit length)."""

    def __init__(self, texts: Iterable[list[str]]) -> None:
        documents = [set(t) for t in texts]
        self.count = len(documents)
        self.df: Counter[str] = Counter(w for d in documents for w in d)

    def idf(self, word: str) -> float:
        return smoothed_idf(self.count, self.df[word], floor=SHARED_WORD_WEIGHT)

    def vector(self, tokens: list[str]) -> Vector:
        return weigh(Counter(tokens), self.idf, name_boost=1.0)


def overlap(first: list[str] | Counter[str], second: list[str] | Counter[str]) -> float:
    """Share of words in common, relative to the shorter text (0..1); word lists, or their
    counts when they are weighed against many others."""
    a = first if isinstance(first, Counter) else Counter(first)
    b = second if isinstance(second, Counter) else Counter(second)
    smaller = min(a.total(), b.total())
    if not smaller:
        return 0.0
    get = b.get
    return sum(min(count, get(word, 0)) for word, count in a.items() if word in b) / smaller
