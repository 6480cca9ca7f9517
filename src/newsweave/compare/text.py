"""Sentences, words and similarity for comparing statements across articles."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?(?=\s+[\"“‘'«„(]?[A-Z0-9])|\n+")
_ABBREVIATED = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Lt|Col|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|No|U\.S|U\.K)\.[\"”’']?$"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
_STOP_TEXT = """
    a an the and or but of to in on at by for with from as is are was were be been has
    have had it its this that these those he she they we i you his her their our who
    which what said says told would will could not no than then there also after before
    over about into up out more most some such can just so very
"""
_STOP = frozenset(_STOP_TEXT.split())


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


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end() if match.group().strip() else match.start()
        if _ABBREVIATED.search(text, max(0, end - 6), end):
            continue
        spans += _trimmed(text, start, end)
        start = match.end()
    spans += _trimmed(text, start, len(text))
    return spans


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end - start > 1 else []


def words(text: str) -> list[str]:
    """Lower-case content words, "2,000" as "2000"."""
    found = (w.lower().replace(",", "").replace("’", "'") for w in _WORD.findall(text))
    return [w for w in found if w not in _STOP]


class Weights:
    """IDF over a small set of texts (one event's sentences), for cosine similarity."""

    def __init__(self, texts: Iterable[list[str]]) -> None:
        documents = [set(t) for t in texts]
        self.count = len(documents)
        self.df: Counter[str] = Counter(w for d in documents for w in d)

    def vector(self, tokens: list[str]) -> dict[str, float]:
        counts = Counter(tokens)
        weights = {
            w: (1 + math.log(n)) * math.log((1 + self.count) / (1 + self.df[w])) + 1e-3
            for w, n in counts.items()
        }
        length = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / length for w, v in weights.items()}


def cosine(first: dict[str, float], second: dict[str, float]) -> float:
    if len(first) > len(second):
        first, second = second, first
    return sum(v * second.get(w, 0.0) for w, v in first.items())


def overlap(first: list[str] | Counter[str], second: list[str] | Counter[str]) -> float:
    """Share of words in common, relative to the shorter text (0..1); word lists, or their
    counts when they are weighed against many others."""
    a, b = Counter(first), Counter(second)
    smaller = min(a.total(), b.total())
    return (a & b).total() / smaller if smaller else 0.0
