"""When two input records are one article, and when a body is too thin to tell.

Two records are one article when their texts are the same once normalised *and* they are
the same piece: their titles agree (a site name added or dropped does not matter), one
of them has no title of its own, they come from the same URL, or the text is long and
specific enough to be the article's own (at least :data:`SPECIFIC_WORDS` words, and each
title is about it: most of the title's words are in the text, as with a wire story two
outlets headline differently). A body shared by records with other titles is not the
article's own (a sign-up prompt, a paywall notice) when it is short; each record then stays
an article of its own, flagged ``shared``. A body of fewer
than :data:`THIN_WORDS` words is flagged ``short``. Thin articles never take part in
near-duplicate links and are clustered on their title and lede.

>>> titles_agree("Four shot outside bar - WMC Action News 5", "Four shot outside bar - WALB")
True
>>> titles_agree("Five dead in Cascade Mall shooting", "Man dies from accidental gunshot wound")
False
"""

from __future__ import annotations

import hashlib
import re

from newsweave.ingest.normalise import normalised_for_hash
from newsweave.model import Article, Thin

THIN_WORDS = 50  # fewer words than this: a brief, a teaser or a page with no body
SHARED_WORDS = 150  # a body shared by other titles is boilerplate below this
TITLE_JACCARD = 0.6
SPECIFIC_WORDS = 150  # a shared text this long may be the article's own ...
TITLE_IN_TEXT = 0.5  # ... when at least this share of each title's words is in it
STEM = 5  # words compared by their first letters: "floods" finds "flood"
_FUNCTION_WORDS = frozenset([
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "but", "is", "are",
    "was", "were", "be", "by", "with", "from", "as", "after", "before", "over", "into", "out",
    "up", "new", "says", "said",
])  # fmt: skip
_TITLE_PARTS = re.compile(r"\s+[-|:\u2013\u2014\u00b7\u2022]{1,2}\s+")  # hyphen, dashes, dots


def word_count(text: str) -> int:
    return len(normalised_for_hash(text).split())


def thin_reason(text: str) -> Thin | None:
    """``"short"`` for a body of too few words to be an article's own, else None."""
    return "short" if word_count(text) < THIN_WORDS else None


def title_key(title: str) -> str:
    """A title's main part, normalised: the longest piece between separators such as
    " - " or " | ", so "Four shot - WMC Action News 5" keys as "four shot"."""
    parts = [normalised_for_hash(part) for part in _TITLE_PARTS.split(title)]
    return max(parts, key=len, default="")


def titles_agree(first: str, second: str) -> bool:
    """The same headline, give or take a site name, a word or two, or a cut-off."""
    one, other = title_key(first), title_key(second)
    if not one or not other or one == other:
        return True
    if f" {one} " in f" {other} " or f" {other} " in f" {one} ":
        return True
    words, others = set(one.split()), set(other.split())
    return len(words & others) / len(words | others) >= TITLE_JACCARD


def title_in_text(title: str, text: str) -> float:
    """The share of a title's content words (by their first letters) found in ``text``."""
    words = [w for w in title_key(title).split() if len(w) > 2 and w not in _FUNCTION_WORDS]
    if not words:
        return 0.0
    stems = {word[:STEM] for word in normalised_for_hash(text).split()}
    return sum(word[:STEM] in stems for word in words) / len(words)


def specific_text(text: str, titles: tuple[str, str]) -> bool:
    """A text long enough to be an article's own, which both titles are about."""
    return word_count(text) >= SPECIFIC_WORDS and all(
        title_in_text(title, text) >= TITLE_IN_TEXT for title in titles
    )


def same_piece(stored: Article, new: Article, derived_titles: tuple[str, str]) -> bool:
    """Whether ``new`` (same text as ``stored``) is the same article. A title made up from
    the text (``derived_titles``: stored's and new's) agrees with any title."""
    if stored.url and new.url and stored.url == new.url:
        return True
    if stored.title == derived_titles[0] or new.title == derived_titles[1]:
        return True
    if titles_agree(stored.title, new.title):
        return True
    return specific_text(new.text, (stored.title, new.title))


def salted_id(text: str, title: str) -> str:
    """The id of a record whose text another article already has under another title."""
    key = normalised_for_hash(text) + "\x1f" + title_key(title)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def shared_reason(text: str) -> Thin | None:
    """``"shared"`` when a body other titles share is short enough to be boilerplate."""
    return "shared" if word_count(text) < SHARED_WORDS else None
