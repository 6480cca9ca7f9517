"""The words, sentences and term weights of a text, for the whole project: one word pattern,
one stop list, one sentence segmentation and one term weighting.

Events, storylines and comparisons read text through these; a stage that needs a different
notion (descriptor words, a quote's wording) derives it from the pieces here and says why.
Depends on nothing else in newsweave, so every layer may use it.

>>> sentences("Mr. Dovlan left at 9 a.m. on Monday. He did not return.")
[(0, 36), (37, 55)]
>>> words("The troops of Marek Dovlan left. Dovlan stayed.")
['troops', 'marek', 'dovlan', 'left', 'dovlan', 'stayed']
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Container, Mapping

Vector = dict[str, float]
NAME = "@"  # a capitalised word that does not open its sentence counts again as a name

LETTERS = r"[A-Za-z][A-Za-z'\-]*"  # a word: letters, with apostrophes and hyphens inside
DIGITS = r"\d[\d,.]*\d|\d"  # a number, its separators inside ("2,000", "3.5"), not after
WORD = re.compile(f"{LETTERS}|{DIGITS}")

# THE stop list is two parts. The commonest words, which any two sentences share:
_COMMON_TEXT = """
    a an the and or but of to in on at by for with from as is are was were be been has
    have had it its this that these those he she they we i you his her their our who
    which what said says told would will could not no than then there also after before
    over about into up out more most some such can just so very
"""
# and the words any two news reports share besides (calendar words, numerals, reporting
# words, the rarer function words), which make unrelated reports look alike:
_NEWS_TEXT = """
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    monday tuesday wednesday thursday friday saturday sunday today yesterday week weeks
    year years day days time times two three four five first second
    according new news people mr mrs ms reported report reports say saying
    above again against all almost although always am among another any around became
    because being below between both did do does doing down during each either even ever
    every few further having here hers him how however if itself last least less many may
    me might much must my neither never nor now off often once one only other others own
    per rather same several should since still them though through thus too toward under
    until upon us via well when where whether while whom whose why within without yet your
"""
COMMON_WORDS = frozenset(_COMMON_TEXT.split())
STOP_WORDS = COMMON_WORDS | frozenset(_NEWS_TEXT.split())

# a full stop, ! or ? (and a closing quote) before a capital or a digit, or a line break
_SENTENCE_END = re.compile(r"[.!?][\"”’']?(?=\s+[\"“‘'«„(]?[A-Z0-9])|\n+")  # noqa: RUF001
_ABBREVIATED = re.compile(  # a full stop that ends an abbreviation ends no sentence
    r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Lt|Col|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|No|U\.S|U\.K)"
    r"\.[\"”’']?$"  # noqa: RUF001
)

_NOT_SPACE = re.compile(r"\S(?:.*\S)?", re.DOTALL)  # a span less its outer whitespace


def sentences(text: str) -> list[tuple[int, int]]:
    """The text's sentences as (start, end) spans, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() if match.group()[0] == "\n" else match.end()
        if _ABBREVIATED.search(text, max(0, end - 6), end):
            continue
        _add_trimmed(spans, text, start, end)
        start = match.end()
    _add_trimmed(spans, text, start, len(text))
    return spans


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    found = _NOT_SPACE.search(text, start, end)
    if found is not None and found.end() - found.start() > 1:
        spans.append(found.span())


def straight(text: str) -> str:
    """The text with curly apostrophes made straight (as long: offsets hold), for the word
    pattern to read a word with a curly apostrophe as one word."""
    return text.replace("’", "'")  # noqa: RUF001


def term(word: str, stop: Container[str] = STOP_WORDS) -> str | None:
    """A word as a term: lower-case, "2,000" as "2000"; None for a stop word or one letter."""
    lower = word.lower().strip("'")
    if lower[:1].isdigit():
        lower = lower.replace(",", "")
    if lower in stop or len(lower) < 2:
        return None
    return lower


def words(text: str, stop: Container[str] = STOP_WORDS) -> list[str]:
    """The content words of ``text``, as terms: no word of ``stop``."""
    found = (term(word, stop) for word in WORD.findall(text))
    return [w for w in found if w is not None]


def smoothed_idf(documents: int, holding: int, floor: float = 1.0) -> float:
    """Smoothed inverse document frequency of a term ``holding`` of ``documents`` hold.

    ``floor`` is what a term every document holds still weighs: 1 across a corpus, where
    such a term is still a word of the article; next to nothing within one event's
    sentences, where a word all of them share tells none apart.
    """
    return math.log((1 + documents) / (1 + holding)) + floor


def weigh(counts: Mapping[str, int], idf_of: Callable[[str], float], name_boost: float) -> Vector:
    """Unit-length sublinear TF times IDF of term counts; names count ``name_boost`` times."""
    weights: Vector = {}
    for found, count in counts.items():
        weight = (1.0 + math.log(count)) * idf_of(found)
        weights[found] = weight * name_boost if found.startswith(NAME) else weight
    return unit(weights)


def cosine(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    """The cosine of two unit vectors."""
    if len(first) > len(second):
        first, second = second, first
    get = second.get
    return sum([weight * get(key, 0.0) for key, weight in first.items()])


def norm(vector: Mapping[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))


def unit(vector: Mapping[str, float]) -> Vector:
    """``vector`` scaled to length 1 (an empty vector stays empty)."""
    length = norm(vector) or 1.0
    return {key: weight / length for key, weight in vector.items()}
