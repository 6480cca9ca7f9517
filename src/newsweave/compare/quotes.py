"""The same quote worded differently, and the same words put in different mouths.

Two direct quotes of different outlets are one utterance when most of the shorter one's
words are in the other (``SAME_UTTERANCE``). With the same speaker and not the very same
words they are variants (trimmed, reworded, translated); with different named speakers
and nearly the same words (``SAME_WORDS``) they are a misattribution.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from itertools import combinations, islice

from newsweave.annotation import Quote
from newsweave.compare.model import Coverage, Misattribution, QuoteVariant, Side
from newsweave.compare.text import overlap
from newsweave.text import WORD, straight

SAME_UTTERANCE = 0.65
SAME_WORDS = 0.8
MIN_WORDS = 4
MISATTRIBUTION_WORDS = 6
MAX_QUOTES = 100  # an article's first direct quotes compared: every pair is weighed


def _tokens(text: str) -> list[str]:
    """Every word of a quote as the project's word pattern reads it, stop words and all
    (wordings are compared, and "we will" is not "we will not"), contractions written out
    ("we're" is "we are", as another outlet may transcribe it)."""
    found: list[str] = []
    for word in WORD.findall(straight(text).lower()):
        found.extend(_CONTRACTIONS.get(word, (word,)))
    return found


_CONTRACTIONS = {
    short: tuple(long.split())
    for short, long in (
        ("we're", "we are"), ("they're", "they are"), ("you're", "you are"), ("i'm", "i am"),
        ("it's", "it is"), ("that's", "that is"), ("there's", "there is"), ("he's", "he is"),
        ("she's", "she is"), ("we've", "we have"), ("i've", "i have"), ("they've", "they have"),
        ("we'll", "we will"), ("i'll", "i will"), ("they'll", "they will"), ("won't", "will not"),
        ("don't", "do not"), ("doesn't", "does not"), ("didn't", "did not"), ("can't", "cannot"),
        ("isn't", "is not"), ("aren't", "are not"), ("wasn't", "was not"), ("i'd", "i would"),
        ("we'd", "we would"), ("couldn't", "could not"), ("wouldn't", "would not"),
    )
}  # fmt: skip


def _side(item: Coverage, quote: Quote) -> Side:
    return Side(
        item.article.id, item.outlet, quote.text, quote.start, quote.end, quote.text,
        speaker=quote.speaker,
    )  # fmt: skip


_QUOTED = frozenset({"direct", "partial"})  # words inside quotation marks


def _direct(coverage: Sequence[Coverage]) -> list[tuple[Coverage, Quote]]:
    """Each article's first ``MAX_QUOTES`` direct and partial quotes (the words inside
    quotation marks) of at least ``MIN_WORDS`` words."""
    return [
        (item, quote)
        for item in coverage
        for quote in islice(
            (q for q in item.annotations.quotes if q.kind in _QUOTED and _long_enough(q)),
            MAX_QUOTES,
        )
    ]


def _long_enough(quote: Quote) -> bool:
    return len(_tokens(quote.text)) >= MIN_WORDS


def quote_variants(
    coverage: Sequence[Coverage], speaker_ids: dict[str, str] | None = None
) -> tuple[list[QuoteVariant], list[Misattribution]]:
    """Variant groups and misattributions among the event's direct quotes.

    ``speaker_ids`` maps speaker names to actor ids, so "Putin" and "Vladimir Putin" are
    one speaker.
    """
    same = speaker_ids or {}
    quotes = _direct(coverage)
    parent = list(range(len(quotes)))
    misattributed: list[Misattribution] = []

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    counts = [Counter(_tokens(quote.text)) for _, quote in quotes]  # counted once
    for i, j in combinations(range(len(quotes)), 2):
        (item1, q1), (item2, q2) = quotes[i], quotes[j]
        if item1.article.id == item2.article.id or counts[i].keys().isdisjoint(counts[j]):
            continue
        shared = overlap(counts[i], counts[j])
        if shared < SAME_UTTERANCE:
            continue
        speaker1, speaker2 = (same.get(q.speaker or "", q.speaker) for q in (q1, q2))
        if speaker1 and speaker2 and speaker1 != speaker2 and not _one_person(q1, q2):
            if shared >= SAME_WORDS and _comparable(q1.text, q2.text):
                misattributed.append(Misattribution(q1.text, [_side(item1, q1), _side(item2, q2)]))
            continue
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(quotes)):
        groups.setdefault(root(i), []).append(i)
    variants = [_variant([quotes[i] for i in sorted(m)]) for m in groups.values() if len(m) > 1]
    return [v for v in variants if v is not None], _merge(misattributed)


def _one_person(first: Quote, second: Quote) -> bool:
    """ "Calloway" and "Ruth Calloway", "Grandmother Maureen Pike" and "Maureen Pike"."""
    a, b = (_tokens(q.speaker or "") for q in (first, second))
    short, long = sorted((a, b), key=len)
    return bool(short) and short[-1] == long[-1] and set(short) <= set(long)


def _comparable(first: str, second: str) -> bool:
    """Long enough and of like length: a three-word fragment proves no misattribution."""
    a, b = len(_tokens(first)), len(_tokens(second))
    return min(a, b) >= MISATTRIBUTION_WORDS and min(a, b) >= 0.5 * max(a, b)


def _variant(members: list[tuple[Coverage, Quote]]) -> QuoteVariant | None:
    longest: dict[str, tuple[Coverage, Quote]] = {}
    for item, quote in members:  # one version per article: its longest
        kept = longest.get(item.article.id)
        if kept is None or len(quote.text) > len(kept[1].text):
            longest[item.article.id] = (item, quote)
    members = list(longest.values())
    if len(members) < 2:
        return None
    texts = {tuple(_tokens(q.text)) for _, q in members}
    if len(texts) < 2:
        return None  # the very same words everywhere: no variant
    sides = [_side(item, quote) for item, quote in members]
    speaker = next((q.speaker for _, q in members if q.speaker), None)
    base = sides[0].text.split()
    return QuoteVariant(speaker, sides, [word_diff(base, side.text.split()) for side in sides])


def word_diff(first: list[str], second: list[str]) -> list[tuple[str, str]]:
    """Word-level differences: (equal|delete|insert, words)."""

    def key(words: list[str]) -> list[str]:
        return [w.strip(".,;:!?\"'“”‘’").lower() for w in words]

    matcher = difflib.SequenceMatcher(a=key(first), b=key(second), autojunk=False)
    ops: list[tuple[str, str]] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", " ".join(second[b1:b2])))
            continue
        if a2 > a1:
            ops.append(("delete", " ".join(first[a1:a2])))
        if b2 > b1:
            ops.append(("insert", " ".join(second[b1:b2])))
    return ops


def _merge(found: list[Misattribution]) -> list[Misattribution]:
    """One entry per utterance, with every side that quotes it."""
    merged: list[Misattribution] = []
    for item in found:
        home = next(
            (m for m in merged if overlap(_tokens(m.text), _tokens(item.text)) >= SAME_WORDS),
            None,
        )
        if home is None:
            merged.append(item)
            continue
        for side in item.sides:
            if side not in home.sides:
                home.sides.append(side)
    return merged
