"""The analysed document: every article read once, in one pass, for all the stages after it.

The pass splits the title into its dash-separated parts and the body into sentences (the
project's one segmentation, :func:`newsweave.text.sentences`), and gives each its content
words with their offsets (the project's one word pattern and stop list), a key that
recognises it repeated word for word, the days and years it names (the date finder of
:mod:`newsweave.annotate.times`, resolved against the publication date), the ages of people
and the streets it names. The store keeps the result (:mod:`newsweave.store.documents`);
events, storylines and comparisons read it and never tokenise the raw text again.

>>> found = analyse("a1", "Fire on Elm Street - KXYZ", "Crews left at 9 a.m. Ann Lee, 32, is safe.")
>>> [part.words for part in found.title]
[('fire', '@elm', '@street'), ('@kxyz',)]
>>> [(s.start, s.end, s.words, s.ages) for s in found.body]
[(0, 20, ('crews', 'left'), ()), (21, 42, ('ann', '@lee', '32', 'safe'), (32,))]
>>> found.title[0].streets
('elm st',)
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TypeVar

from newsweave.annotate.times import find_times
from newsweave.annotation import TimeExpression
from newsweave.model import AnalysedDocument, Article, Sentence
from newsweave.store import SQLiteStore
from newsweave.text import COMMON_WORDS, NAME, WORD, sentences, term

T = TypeVar("T")
S = TypeVar("S", date, int, str)
VERSION = 1  # a stored document of another version is analysed again

_TITLE_PARTS = re.compile(r"\s+[-|–—:]+\s+")
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
    "street": "st", "avenue": "ave", "road": "rd", "drive": "dr", "boulevard": "blvd",
    "lane": "ln", "court": "ct", "place": "pl", "parkway": "pkwy", "highway": "hwy",
}  # fmt: skip
_COURTS = frozenset({"county", "superior", "circuit", "district", "municipal", "supreme"})
KEY_MIN_WORDS = 4  # shorter sentences ("Read more.") are too common to recognise


def analyse(
    article_id: str, title: str, text: str, published: datetime | None = None
) -> AnalysedDocument:
    """The article's title parts and body sentences, each with what the stages read."""
    problems: list[str] = []
    heading = _read(title, title_parts(title), published, problems)
    body = _read(text, sentences(text), published, problems)
    return AnalysedDocument(article_id, heading, body, problems[0] if problems else None)


def analyse_article(article: Article) -> AnalysedDocument:
    published = article.published.moment if article.published else None
    return analyse(article.id, article.title, article.text, published)


def documents_of(
    store: SQLiteStore, articles: Sequence[Article], keep: bool = False
) -> list[AnalysedDocument]:
    """The articles' documents, in their order: as stored, or analysed now where none of
    this version is (and then kept, with ``keep``, inside the caller's transaction)."""
    stored = store.documents.get([a.id for a in articles], VERSION)
    made = [analyse_article(a) for a in articles if a.id not in stored]
    if made and keep:
        store.documents.save(made, VERSION)
    stored.update((d.article_id, d) for d in made)
    return [stored[a.id] for a in articles]


def title_parts(title: str) -> list[tuple[int, int]]:
    """The spans of a title's dash- or bar-separated parts ("Man shot - KXYZ News 4")."""
    spans, start = [], 0
    for match in _TITLE_PARTS.finditer(title):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(title)))
    return [(s, e) for s, e in spans if title[s:e].strip()]


def _read(
    text: str, spans: Sequence[tuple[int, int]], published: datetime | None, problems: list[str]
) -> tuple[Sentence, ...]:
    """The sentences at ``spans``, with the words, times, ages and streets inside each.
    Words are read sentence by sentence of the whole text (a title part's first word may
    still be a name), then each found thing goes to the span holding its start."""
    starts = [start for start, _ in spans]
    words: list[list[tuple[str, int]]] = [[] for _ in spans]
    for at, word in _words(text):
        _place(words, starts, spans, at, (word, at))
    days: list[list[date]] = [[] for _ in spans]
    years: list[list[int]] = [[] for _ in spans]
    for found in _times(text, published, problems):
        if found.first is not None and found.granularity in ("day", "month", "year"):
            _place(years, starts, spans, found.start, found.first.year)
            if found.granularity == "day":
                _place(days, starts, spans, found.start, found.first)
    ages: list[list[int]] = [[] for _ in spans]
    for at, age in _ages(text):
        _place(ages, starts, spans, at, age)
    streets: list[list[str]] = [[] for _ in spans]
    for at, street in _streets(text):
        _place(streets, starts, spans, at, street)
    read: list[Sentence] = []
    for n, (start, end) in enumerate(spans):
        in_order = [w for w, _ in words[n]], [o for _, o in words[n]]
        read.append(
            Sentence(start, end, tuple(in_order[0]), tuple(in_order[1]),
                     sentence_key(text[start:end]), _sorted(days[n]), _sorted(years[n]),
                     _sorted(ages[n]), _sorted(streets[n]))
        )  # fmt: skip
    return tuple(read)


def _sorted(found: list[S]) -> tuple[S, ...]:
    return tuple(sorted(set(found)))


def _place(
    into: list[list[T]], starts: list[int], spans: Sequence[tuple[int, int]], at: int, item: T
) -> None:
    """Add ``item`` to the list of the span holding offset ``at`` (if any)."""
    index = bisect_right(starts, at) - 1
    if index >= 0 and at < spans[index][1]:
        into[index].append(item)


def _words(text: str) -> Iterable[tuple[int, str]]:
    """(offset, term) of each content word; a capitalised word that does not open its
    sentence is marked as a name."""
    for start, end in sentences(text):
        for position, match in enumerate(WORD.finditer(text, start, end)):
            word = match.group()
            lower = term(word, COMMON_WORDS)
            if lower is not None:
                named = position > 0 and word[0].isupper()
                yield match.start(), NAME + lower if named else lower


def _times(text: str, published: datetime | None, problems: list[str]) -> list[TimeExpression]:
    """The date finder's times; none where it fails on the text (added to ``problems``):
    one expression must not cost the article the rest of its analysis."""
    try:
        return find_times(text, published)
    except Exception as error:
        problems.append(" ".join(f"{type(error).__name__}: {error}".split()))
        return []


def _ages(text: str) -> Iterable[tuple[int, int]]:
    """Ages the text gives people: "a 17-year-old", "aged 45", "John Doe, 32, of ..."."""
    for found in _AGE.finditer(text):
        yield found.start(), int(next(group for group in found.groups() if group))


def _streets(text: str) -> Iterable[tuple[int, str]]:
    """Streets and roads the text names, the kind abbreviated ("elm st"); courts left out."""
    for match in _STREET.finditer(text):
        words = match.group(1).lower().split()
        words[-1] = _STREET_KINDS.get(words[-1], words[-1])
        if words[0] in _COURTS or (words[-1] == "ct" and _COURTS.intersection(words)):
            continue
        yield match.start(), " ".join(words)


def sentence_key(sentence: str) -> int | None:
    """A signed 64-bit key of the sentence's words, the same in every run (it is stored);
    None when the sentence is too short to recognise."""
    words = sentence.lower().split()
    if len(words) < KEY_MIN_WORDS:
        return None
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)
