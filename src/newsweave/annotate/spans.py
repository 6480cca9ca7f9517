"""Lookups that keep the extractors linear on hostile articles: overlap and cover checks
against many spans, and each token's sentence found once per document instead of walking
``token.sent`` for every token (quadratic when one "sentence" runs to thousands of tokens).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spans are plain offsets: comparing them needs no spaCy
    from spacy.tokens import Doc

MAX_SENTENCE_TOKENS = 300  # a longer sentence is cut into pieces of this many tokens


class SpanSet:
    """Half-open character spans, kept as sorted disjoint runs (spans that overlap are
    merged): whether a span overlaps any of them takes a bisection, not a scan."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        """Add ``[start, end)``; only spans sharing a character with it merge into it."""
        if start >= end:
            return
        low = bisect_right(self._ends, start)  # the first run ending after ``start``
        high = bisect_left(self._starts, end)  # the runs starting before ``end``
        if low < high:
            start = min(start, self._starts[low])
            end = max(end, self._ends[high - 1])
        self._starts[low:high] = [start]
        self._ends[low:high] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span ``[a, b)`` has ``a < end`` and ``start < b``."""
        at = bisect_right(self._ends, start)
        return at < len(self._starts) and self._starts[at] < end


class Covers:
    """Fixed spans (they may overlap): whether one of them holds a whole span."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._reach = list(accumulate((end for _, end in ordered), max))  # furthest end so far

    def holds(self, start: int, end: int) -> bool:
        """Whether some span ``[a, b)`` has ``a <= start`` and ``end <= b``."""
        at = bisect_right(self._starts, start)
        return at > 0 and self._reach[at - 1] >= end


class Sentences:
    """Each token's sentence as token indices, cut into pieces of at most
    ``MAX_SENTENCE_TOKENS`` tokens so that no step walks thousands of tokens per token."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, doc: Doc) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for sent in doc.sents:
            for piece in range(sent.start, sent.end, MAX_SENTENCE_TOKENS):
                piece_end = min(piece + MAX_SENTENCE_TOKENS, sent.end)
                self._starts += [piece] * (piece_end - piece)
                self._ends += [piece_end] * (piece_end - piece)

    def start(self, i: int) -> int:
        """The first token of token ``i``'s sentence."""
        return self._starts[i]

    def end(self, i: int) -> int:
        """The token after the last of token ``i``'s sentence."""
        return self._ends[i]


@lru_cache(maxsize=1)
def sentences_of(doc: Doc) -> Sentences:
    """The sentences of ``doc``, worked out once per document (the extractors share them)."""
    return Sentences(doc)
