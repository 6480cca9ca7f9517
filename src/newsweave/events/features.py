"""What the event clusterer sees of an article: weighted terms and names, with online IDF."""

from __future__ import annotations

import math
from collections import Counter, OrderedDict
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from newsweave.annotate.document import title_parts
from newsweave.model import Sentence
from newsweave.text import NAME, STOP_WORDS, Vector, smoothed_idf, weigh

DAY = 86_400.0  # seconds


@dataclass(frozen=True, slots=True)
class Terms:
    """An article's term counts: plain words and capitalised names (prefixed ``@``)."""

    counts: Counter[str]

    @classmethod
    def of(
        cls, title: Iterable[Sentence], body: Iterable[Sentence], title_weight: int = 2
    ) -> Terms:
        """The terms of an analysed title and body; the title's count ``title_weight`` times."""
        counts: Counter[str] = Counter()
        heading = list(cluster_terms(title))
        for _ in range(title_weight):
            counts.update(heading)
        counts.update(cluster_terms(body))
        return cls(counts)


def cluster_terms(sentences: Iterable[Sentence]) -> Iterator[str]:
    """What clustering counts of the sentences' words: none of the whole stop list (news
    words too, which unrelated reports share), and each name once more as a name."""
    for sentence in sentences:
        for word in sentence.words:
            named = word.startswith(NAME)
            lower = word[1:] if named else word
            if lower not in STOP_WORDS:
                yield lower
                if named:
                    yield word


class DocumentFrequencies:
    """Online document frequencies: IDF as the stream has seen it so far.

    With a ``half_life`` (in documents), all counts are halved each time that many more
    documents have been added, and terms whose count falls to 0 are forgotten: IDF follows
    the recent stream, and the table stays bounded on an endless one.
    """

    def __init__(self, half_life: int | None = None) -> None:
        self.documents = 0
        self.counts: Counter[str] = Counter()
        self.half_life = half_life
        self._since_halved = 0

    def add(self, terms: Terms) -> None:
        self.documents += 1
        self.counts.update(terms.counts.keys())
        self._since_halved += 1
        if self.half_life and self._since_halved >= self.half_life:
            self._halve()

    def _halve(self) -> None:
        self.documents //= 2
        self.counts = Counter({term: n // 2 for term, n in self.counts.items() if n >= 2})
        self._since_halved = 0

    def idf(self, term: str) -> float:
        return smoothed_idf(self.documents, self.counts.get(term, 0))

    def vector(self, terms: Terms, name_boost: float) -> Vector:
        """The project's term weighting (:func:`newsweave.text.weigh`) with the IDF seen so
        far; names count ``name_boost`` times."""
        return weigh(terms.counts, self.idf, name_boost)


def title_tail(title: str) -> str | None:
    """The last dash- or bar-separated part of a title, lower-cased (often the outlet's name)."""
    parts = title_parts(title)
    return title[slice(*parts[-1])].lower() if len(parts) > 1 else None


def own_title(title: str, parts: Sequence[Sentence], boilerplate: Container[str]) -> list[Sentence]:
    """The title's analysed parts less the trailing ones that are boilerplate (outlet
    names, section names); the first part always stays.

    >>> from newsweave.annotate.document import analyse
    >>> title = "Man shot on Elm Street - KXYZ News 4"
    >>> [part.words for part in own_title(title, analyse("a", title, "").title, {"kxyz news 4"})]
    [('man', 'shot', '@elm', '@street')]
    """
    kept = list(parts)
    while len(kept) > 1 and title[kept[-1].start : kept[-1].end].lower() in boilerplate:
        kept.pop()
    return kept


class PageFurniture:
    """Sentences repeated word for word days apart: video lists, sign-up prompts, bylines
    (recognised by their :attr:`~newsweave.model.Sentence.key`).

    Two reports of one event that share a sentence come out within days of each other (a
    wire copy, an update). A sentence that an article published at least ``span_days``
    earlier already carried is the outlet's page furniture, and :meth:`strip` leaves it out.
    Undated articles are never stripped: time is what tells furniture from a copy. On a
    stream, sentences not seen for ``forget_days`` are forgotten, so memory stays flat.

    >>> from newsweave.annotate.document import analyse
    >>> furniture = PageFurniture(span_days=3)
    >>> footer = "Sign up for our daily newsletter today."
    >>> first = analyse("a", "", "Two men were shot on Elm Street. " + footer).body
    >>> len(furniture.strip(first, moment=0.0))  # seen first
    2
    >>> later = analyse("b", "", "A fire closed the mill. " + footer).body
    >>> [s.words for s in furniture.strip(later, moment=7 * DAY)]
    [('fire', 'closed', 'mill')]
    """

    def __init__(self, span_days: float, forget_days: float | None = None) -> None:
        self.span = span_days * DAY
        self.forget = math.inf if forget_days is None else forget_days * DAY
        self.seen: OrderedDict[int, tuple[float, float]] = OrderedDict()  # first, last seen

    def strip(self, sentences: Sequence[Sentence], moment: float | None) -> list[Sentence]:
        """The sentences less the furniture among them; records their sightings."""
        if moment is None:
            return list(sentences)
        self._forget_before(moment - self.forget)
        dropped = [self._sighted(sentence.key, moment) for sentence in sentences]
        return [s for s, furniture in zip(sentences, dropped, strict=True) if not furniture]

    def recall(self, entries: Mapping[int, tuple[float, float]]) -> None:
        """Take back sightings kept from earlier runs (key -> (first, last seen)), before
        any new sighting: the least recently seen stay first in line to be forgotten."""
        for key, span in sorted(entries.items(), key=lambda entry: entry[1][1]):
            self.seen.setdefault(key, span)

    def sightings(self, keys: Iterable[int]) -> list[tuple[int, float, float]]:
        """(key, first, last seen) of those of ``keys`` still remembered."""
        seen = self.seen
        return [(key, *seen[key]) for key in set(keys) if key in seen]

    def _sighted(self, key: int | None, moment: float) -> bool:
        """Record a sighting of the segment; whether it was carried ``span`` before."""
        if key is None:
            return False
        seen = self.seen
        first, last = seen.get(key, (moment, moment))
        seen[key] = (min(first, moment), max(last, moment))
        seen.move_to_end(key)  # the most recently seen last
        return moment - first >= self.span

    def _forget_before(self, horizon: float) -> None:
        seen = self.seen
        while seen:
            key, (_, last) = next(iter(seen.items()))
            if last >= horizon:
                return
            del seen[key]
