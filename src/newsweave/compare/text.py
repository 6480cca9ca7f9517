"""Sentences and similarity for comparing statements across articles, read through the
project's one segmentation, word pattern and term weighting (``newsweave.text``)."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from newsweave.text import COMMON_WORDS, Vector, smoothed_idf, weigh
from newsweave.text import sentences as _sentences
from newsweave.text import words as content_words

SHARED_WORD_WEIGHT = 1e-3  # a word every sentence of the event has tells none apart


@lru_cache(maxsize=1024)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans, without surrounding whitespace (cached: texts are asked again)."""
    return tuple(_sentences(text))


MAX_SENTENCE_CHARS = 1_000  # a longer "sentence" (run-on text) gives the text around


def sentence_at(text: str, position: int) -> str:
    """The sentence holding ``position`` (or the text around it, when there is none or it
    is longer than ``MAX_SENTENCE_CHARS``)."""
    spans = sentences(text)
    at = bisect_right(spans, (position, len(text) + 1)) - 1  # the last one starting there
    if at >= 0 and spans[at][0] <= position < spans[at][1]:
        start, end = spans[at]
        if end - start <= MAX_SENTENCE_CHARS:
            return text[start:end]
        return text[max(start, position - 80) : min(end, position + 80)]
    return text[max(0, position - 80) : position + 80]


def words(text: str) -> list[str]:
    """The words that compare two statements of one event: all but the commonest (the
    project's stop list less its news words, since within one event "people", "two" or
    "when" still tell one statement from another)."""
    return content_words(text, COMMON_WORDS)


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
    a, b = Counter(first), Counter(second)
    smaller = min(a.total(), b.total())
    return (a & b).total() / smaller if smaller else 0.0
