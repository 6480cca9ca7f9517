"""One copy detector, for ingest and for comparisons: the same shingles, the same measure of
shared text and the same rule for which article is the origin.

A shingle is a run of ``SHINGLE_WORDS`` words, normalised as exact duplicates are (NFKC,
case-folded, every run of non-word characters a break), so "Police said, on Monday" and
"police said on Monday" share theirs. Ingest links a near-duplicate when most of the text is
shared (:mod:`newsweave.ingest.dedup`); a comparison reports any pair sharing at least
``REUSE_SHARE`` of the later article's shingles, with the passages they cover. Either way the
origin is the article published first; when that cannot tell (either is undated, or both came
out at the same moment), the one stored first.

>>> first = "The river rose two metres overnight, and the barriers held firm, officials said."
>>> second = "Officials said the river rose two metres overnight. Schools stayed open."
>>> theirs, ours = shingle_spans(first), shingle_spans(second)
>>> merged(sorted(span for shingle, span in ours.items() if shingle in theirs))
[(15, 50)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from newsweave.model import Article

SHINGLE_WORDS = 4
REUSE_SHARE = 0.3  # of the later article's shingles, for a comparison to report the pair
_TOKEN = re.compile(r"\S+")  # NFKC may make word characters of a symbol ("™" -> "tm")
_NON_WORD = re.compile(r"[\W_]+")
_WORD_RUN = re.compile(r"[^\W_]+")

Span = tuple[int, int]


def normalised_words(text: str) -> Iterator[tuple[str, int, int]]:
    """Each word as duplicates are compared (NFKC, case-folded), with its span in ``text``
    (where normalising changes the text's length, the span of its run of non-space
    characters)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) == len(text):  # as long: the offsets hold (all but rare texts)
        for match in _WORD_RUN.finditer(folded):
            yield match.group(), match.start(), match.end()
        return
    for match in _TOKEN.finditer(text):
        folded = unicodedata.normalize("NFKC", match.group()).casefold()
        for word in _NON_WORD.split(folded):
            if word:
                yield word, match.start(), match.end()


Shingle = tuple[str, ...]


def shingle_spans(text: str) -> dict[Shingle, Span]:
    """Each shingle of the text (its words) with the span it first covers."""
    words = list(normalised_words(text))
    if len(words) < SHINGLE_WORDS:
        return {tuple(w for w, _, _ in words): (0, len(text))} if words else {}
    plain = [w for w, _, _ in words]
    found: dict[Shingle, Span] = {}
    for i in range(len(words) - SHINGLE_WORDS + 1):
        last = i + SHINGLE_WORDS - 1
        found.setdefault(tuple(plain[i : last + 1]), (words[i][1], words[last][2]))
    return found


def shingles(text: str) -> set[bytes]:
    """The text's shingles as bytes (what ingest's MinHash signatures are made of)."""
    return {" ".join(shingle).encode() for shingle in shingle_spans(text)}


def merged(spans: list[Span]) -> list[Span]:
    """Sorted spans, overlapping or touching ones merged."""
    found: list[Span] = []
    for start, end in spans:
        if found and start <= found[-1][1] + 1:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return found


def origin_first(first: Article, second: Article) -> bool:
    """Whether ``first`` (the one stored first) is the origin of the pair: it is unless
    ``second`` was published strictly earlier."""
    if first.published is None or second.published is None:
        return True
    return not second.published.moment < first.published.moment
