"""What the event clusterer sees of an article: weighted terms and names, with online IDF."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass

from newsweave.text import Vector, smoothed_idf, terms, weigh

DAY = 86_400.0  # seconds


@dataclass(frozen=True, slots=True)
class Terms:
    """An article's term counts: plain words and capitalised names (prefixed ``@``)."""

    counts: Counter[str]

    @classmethod
    def of(cls, title: str, text: str, title_weight: int = 2) -> Terms:
        counts: Counter[str] = Counter()
        for _ in range(title_weight):
            counts.update(terms(title))
        counts.update(terms(text))
        return cls(counts)


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


_AGE = re.compile(
    r"\b(\d{1,2})[- ](?:year|yr)s?[- ]old\b|\b(?:aged?|ages)\s+(\d{1,2})\b|,\s*(\d{1,2}),",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"\b((?:\d+(?:st|nd|rd|th)|[A-Z][a-z]+)(?: [A-Z][a-z]+)? "
    r"(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Boulevard|Blvd|Lane|Ln|Court|Ct|Place|Pl"
    r"|Parkway|Pkwy|Highway|Hwy|Way|Terrace|Circle|Trail|Pike))\b"
)
_STREET_KINDS = {
    "street": "st",
    "avenue": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "parkway": "pkwy",
    "highway": "hwy",
}
_COURTS = frozenset({"county", "superior", "circuit", "district", "municipal", "supreme"})
_TITLE_PARTS = re.compile(r"\s+[-|–—:]+\s+")  # noqa: RUF001 (dashes in outlet suffixes)


def ages(text: str) -> frozenset[int]:
    """Ages the text gives people: "a 17-year-old", "aged 45", "John Doe, 32, of ...".

    >>> sorted(ages("A 17-year-old and Ann Lee, 32, were shot; a man aged 45 was held."))
    [17, 32, 45]
    """
    return frozenset(
        int(next(group for group in found.groups() if group)) for found in _AGE.finditer(text)
    )


def streets(text: str) -> frozenset[str]:
    """Streets and roads the text names, with the kind abbreviated ("elm st"); courts left out.

    >>> sorted(streets("Shots on Elm Street near 5th Avenue; the Cook County Court heard it."))
    ['5th ave', 'elm st']
    """
    found: set[str] = set()
    for match in _STREET.finditer(text):
        words = match.group(1).lower().split()
        words[-1] = _STREET_KINDS.get(words[-1], words[-1])
        if words[0] in _COURTS or (words[-1] == "ct" and _COURTS.intersection(words)):
            continue
        found.add(" ".join(words))
    return frozenset(found)


def title_tail(title: str) -> str | None:
    """The last dash- or bar-separated part of a title, lower-cased (often the outlet's name)."""
    parts = _TITLE_PARTS.split(title.strip())
    return parts[-1].lower() if len(parts) > 1 else None


def without_tails(title: str, boilerplate: Container[str]) -> str:
    """The title less its trailing parts that are boilerplate (outlet names, section names).

    >>> without_tails("Man shot on Elm Street - KXYZ News 4", {"kxyz news 4"})
    'Man shot on Elm Street'
    """
    parts = _TITLE_PARTS.split(title.strip())
    while len(parts) > 1 and parts[-1].lower() in boilerplate:
        parts.pop()
    return " - ".join(parts)


# whitespace after a full stop, a line break or a run of spaces (one \s first: fast to scan):
# page segments, not sentences (furniture is laid out in runs of spaces); their keys are stored
_SEGMENT_END = re.compile(r"\s(?:(?<=[.!?]\s)|(?<=\n)|\s)\s*")
_SEGMENT_MIN_WORDS = 4  # shorter segments ("Read more.") are too common to tell anything


class PageFurniture:
    """Sentences repeated word for word days apart: video lists, sign-up prompts, bylines.

    Two reports of one event that share a sentence come out within days of each other (a
    wire copy, an update). A sentence that an article published at least ``span_days``
    earlier already carried is the outlet's page furniture, and :meth:`strip` leaves it out.
    Undated articles are never stripped: time is what tells furniture from a copy. On a
    stream, sentences not seen for ``forget_days`` are forgotten, so memory stays flat.

    >>> furniture = PageFurniture(span_days=3)
    >>> footer = "Sign up for our daily newsletter today."
    >>> furniture.strip("Two men were shot on Elm Street. " + footer, moment=0.0)  # seen first
    'Two men were shot on Elm Street. Sign up for our daily newsletter today.'
    >>> furniture.strip("A fire closed the mill. " + footer, moment=7 * DAY)
    'A fire closed the mill.'
    """

    def __init__(self, span_days: float, forget_days: float | None = None) -> None:
        self.span = span_days * DAY
        self.forget = math.inf if forget_days is None else forget_days * DAY
        self.seen: OrderedDict[int, tuple[float, float]] = OrderedDict()  # first, last seen

    def strip(self, text: str, moment: float | None) -> str:
        """``text`` without its furniture (unchanged when it has none); records its segments."""
        if moment is None:
            return text
        self._forget_before(moment - self.forget)
        segments = _SEGMENT_END.split(text)
        furniture = [self._sighted(_segment_key(segment), moment) for segment in segments]
        if not any(furniture):
            return text
        return "\n".join(s for s, dropped in zip(segments, furniture, strict=True) if not dropped)

    @staticmethod
    def keys(text: str) -> list[int]:
        """The keys of the text's segments long enough to count."""
        return [key for s in _SEGMENT_END.split(text) if (key := _segment_key(s)) is not None]

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


def _segment_key(segment: str) -> int | None:
    """A signed 64-bit key of the segment's words, the same in every run (it is stored);
    None when the segment is too short."""
    words = segment.lower().split()
    if len(words) < _SEGMENT_MIN_WORDS:
        return None
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)
