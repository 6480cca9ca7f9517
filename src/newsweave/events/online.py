"""Online, time-aware assignment of articles to events (one pass, in publication order).

An article joins the live event whose TF-IDF centroid is most similar, after a penalty that
grows with the distance in time between the article and the event's own span; it starts a
new event when no score reaches the threshold. Candidate events come from an inverted index
on each event's strongest terms, so the cost per article does not grow with the corpus.
Events idle for ``idle_days`` leave the working set, and term counts are halved every
``frequency_half_life`` documents (terms whose count reaches 0 are forgotten), so memory stays
flat on a stream.

Undated articles are placed by content alone: no time penalty, against every event still
held (in batch builds that is every event so far). Page furniture (sentences carried days
before, see :class:`~newsweave.events.features.PageFurniture`) is left out of the terms.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from newsweave.annotate.document import analyse
from newsweave.events.features import DAY, DocumentFrequencies, PageFurniture, Terms
from newsweave.model import AnalysedDocument
from newsweave.text import Vector, cosine, norm

Term = TypeVar("Term", bound=Hashable)
KEY_MIN_DOCUMENTS = 50  # a term in this many documents may still be an index key ...
KEY_MAX_SHARE = 0.005  # ... or in this share of all documents seen, whichever is larger ...
KEY_MAX_DOCUMENTS = 200  # ... but never in more: a key's holders stay few as the store grows


def key_limit(documents: int) -> float:
    """The most documents a term may be in and still find candidates by."""
    return min(KEY_MAX_DOCUMENTS, max(KEY_MIN_DOCUMENTS, KEY_MAX_SHARE * documents))


@dataclass(frozen=True, slots=True)
class EventConfig:
    """The one frozen configuration used for every corpus."""

    threshold: float = 0.20
    window_days: float = 3.0  # articles this close to an event's span pay no time penalty
    late_penalty: float = 0.2  # per doubling of the distance beyond the window
    max_gap_days: float = 400.0  # beyond this, no link at all
    name_boost: float = 2.0
    index_terms: int = 15  # an article's top terms, used to find candidate events
    max_candidates: int = 40  # events sharing the most of those terms are compared
    idle_days: float = 400.0  # events untouched this long leave the working set
    frequency_half_life: int = 100_000  # documents after which term counts are halved
    shared_rare_names: int = 3  # sharing this many rare names lifts the time penalty ...
    rare_name_documents: int = 3  # ... where a name is rare when in at most this many documents
    dense_weight: float = 0.0  # weight of (embedding cosine - dense_offset), when given
    dense_offset: float = 0.6


@dataclass(frozen=True, slots=True)
class ClusterInput:
    """What the clusterer needs of an article."""

    id: str
    title: str
    text: str
    published: datetime | None = None
    outlet: str | None = None
    embedding: Sequence[float] | None = None  # unit length, when an embedder is used
    document: AnalysedDocument | None = None  # as stored; analysed from the text if None

    def analysed(self) -> AnalysedDocument:
        """The article's analysed document: as given, or read from its title and text."""
        if self.document is not None:
            return self.document
        return analyse(self.id, self.title, self.text, self.published)

    @property
    def moment(self) -> float | None:
        """The publication time in seconds since the epoch; None when undated."""
        return self.published.timestamp() if self.published else None


@dataclass(slots=True)
class EventState:
    """An event: the sum of its members' vectors, its time span and its index keys."""

    number: int
    centroid: Vector = field(default_factory=dict)
    size: int = 0
    first: float | None = None
    last: float | None = None
    keys: set[str] = field(default_factory=set)
    dense: list[float] | None = None
    _length: float | None = None  # the centroid's norm, recomputed after each change

    def add(self, vector: Vector, moment: float | None, embedding: Sequence[float] | None) -> None:
        if embedding is not None:
            self.dense = (
                list(embedding)
                if self.dense is None
                else [a + b for a, b in zip(self.dense, embedding, strict=True)]
            )
        for term, weight in vector.items():
            self.centroid[term] = self.centroid.get(term, 0.0) + weight
        self._length = None
        self.size += 1
        if moment is not None:
            self.first = moment if self.first is None else min(self.first, moment)
            self.last = moment if self.last is None else max(self.last, moment)

    def similarity(self, vector: Vector) -> float:
        if self._length is None:
            self._length = norm(self.centroid) or 1.0
        return cosine(vector, self.centroid) / self._length

    def dense_similarity(self, embedding: Sequence[float]) -> float | None:
        if self.dense is None:
            return None
        length = math.sqrt(sum(x * x for x in self.dense)) or 1.0
        return sum(a * b for a, b in zip(self.dense, embedding, strict=True)) / length


class EventClusterer:
    """Assigns each article to the best matching live event, or starts a new one.

    With ``keep_retired`` (batch builds), events leaving the working set stay reachable for
    undated articles; on an endless stream leave it off so memory stays flat.
    """

    def __init__(self, config: EventConfig | None = None, *, keep_retired: bool = False) -> None:
        self.config = config or EventConfig()
        self.keep_retired = keep_retired
        self.frequencies = DocumentFrequencies(self.config.frequency_half_life)
        self.furniture = PageFurniture(self.config.window_days, self.config.idle_days)
        self.live: dict[int, EventState] = {}
        self.retired: dict[int, EventState] = {}
        self._index: dict[str, set[int]] = defaultdict(set)
        self._idle: list[tuple[float, int]] = []  # (last moment, event) heap, lazily updated
        self._next = 0
        self._now: float | None = None

    def learn_one(self, article: ClusterInput) -> int:
        """The event number the article joins (new events count up from 0)."""
        moment = article.moment
        document = article.analysed()
        terms = Terms.of(document.title, self.furniture.strip(document.body, moment))
        self.frequencies.add(terms)
        vector = self.frequencies.vector(terms, self.config.name_boost)
        self._advance(moment)
        keys = self._keys(vector)
        event = self._best_event(keys, vector, moment, article.embedding, self._rare_names(vector))
        if event is None:
            event = EventState(self._next)
            self._next += 1
            self.live[event.number] = event
        event.add(vector, moment, article.embedding)
        if event.last is not None:
            heapq.heappush(self._idle, (event.last, event.number))
        self._index_keys(event, keys)
        return event.number

    def event(self, number: int) -> EventState:
        return self.live.get(number) or self.retired[number]

    def _best_event(
        self,
        keys: list[str],
        vector: Vector,
        moment: float | None,
        embedding: Sequence[float] | None,
        rare_names: list[str],
    ) -> EventState | None:
        best, best_score = None, self.config.threshold
        for number in self._candidates(keys):
            event = self.live.get(number) or self.retired.get(number)
            if event is None:
                continue
            penalty = self._time_penalty(event, moment)
            if penalty and self._names_known(event, rare_names):
                penalty = 0.0  # the same rare people or places, weeks later: a follow-up
            if penalty is None or 1.0 - penalty + self._max_bonus < best_score:
                continue  # too far in time for any text to make up for it
            score = event.similarity(vector) - penalty + self._dense_bonus(event, embedding)
            if score >= best_score:
                best, best_score = event, score
        return best

    @property
    def _max_bonus(self) -> float:
        return max(0.0, self.config.dense_weight * (1.0 - self.config.dense_offset))

    def _rare_names(self, vector: Vector) -> list[str]:
        """The article's names that few documents so far have carried."""
        counts, limit = self.frequencies.counts, self.config.rare_name_documents
        return [t for t in vector if t.startswith("@") and counts.get(t, 0) <= limit]

    def _names_known(self, event: EventState, rare_names: list[str]) -> bool:
        wanted = self.config.shared_rare_names
        if len(rare_names) < wanted:
            return False
        return sum(name in event.centroid for name in rare_names) >= wanted

    def _keys(self, vector: Vector) -> list[str]:
        """The article's strongest terms that are rare enough to find events by."""
        frequencies = self.frequencies
        limit = key_limit(frequencies.documents)
        return top_rare_terms(
            vector, frequencies.counts.__getitem__, limit, self.config.index_terms
        )

    def _dense_bonus(self, event: EventState, embedding: Sequence[float] | None) -> float:
        if embedding is None or not self.config.dense_weight:
            return 0.0
        similarity = event.dense_similarity(embedding)
        if similarity is None:
            return 0.0
        return self.config.dense_weight * (similarity - self.config.dense_offset)

    def _candidates(self, keys: list[str]) -> list[int]:
        """Events sharing the most of the article's keys, at most ``max_candidates``."""
        shared: Counter[int] = Counter()
        for term in keys:
            shared.update(self._index.get(term, ()))
        return [number for number, _ in shared.most_common(self.config.max_candidates)]

    def _time_penalty(self, event: EventState, moment: float | None) -> float | None:
        """0 within the window, growing with log distance beyond it; None when too far."""
        if moment is None or event.first is None or event.last is None:
            return 0.0  # undated: placed by content alone
        if event.number in self.retired:
            return None
        return late_penalty(max(0.0, event.first - moment, moment - event.last) / DAY, self.config)

    def _index_keys(self, event: EventState, keys: list[str]) -> None:
        for term in keys:
            if term not in event.keys:
                event.keys.add(term)
                self._index[term].add(event.number)

    def _advance(self, moment: float | None) -> None:
        """Move the stream clock; retire events idle for longer than ``idle_days``."""
        if moment is None or (self._now is not None and moment <= self._now):
            return
        self._now = moment
        horizon = moment - self.config.idle_days * DAY
        while self._idle and self._idle[0][0] < horizon:
            last, number = heapq.heappop(self._idle)
            event = self.live.get(number)
            if event is not None and event.last == last:
                self._retire(event)

    def _retire(self, event: EventState) -> None:
        del self.live[event.number]
        if self.keep_retired:
            self.retired[event.number] = event
            return
        for term in event.keys:
            holders = self._index.get(term)
            if holders is not None:
                holders.discard(event.number)
                if not holders:
                    del self._index[term]


def late_penalty(gap_days: float, config: EventConfig) -> float | None:
    """0 within ``window_days``, growing with log distance beyond; None past ``max_gap_days``."""
    if gap_days > config.max_gap_days:
        return None
    beyond = max(0.0, gap_days - config.window_days)
    return config.late_penalty * math.log2(1.0 + beyond / config.window_days)


def top_rare_terms(
    vector: Mapping[Term, float], document_count: Callable[[Term], int], limit: float, count: int
) -> list[Term]:
    """The ``count`` heaviest terms of ``vector`` found in at most ``limit`` documents."""
    return top_terms({t: w for t, w in vector.items() if document_count(t) <= limit}, count)


def top_terms(vector: Mapping[Term, float], count: int) -> list[Term]:
    """The ``count`` heaviest terms of ``vector``."""
    return heapq.nlargest(count, vector, key=vector.__getitem__)
