"""Statements aligned across outlets: facts all report, what only one reports, a summary.

Every sentence is a statement. How alike two statements are is the mean of two cosines: of
their sentence vectors (the same thing in other words: "praised Y's decision to withdraw the
troops", "praised Y for deciding to pull the soldiers out") and of their words' TF-IDF (IDF
over the event's own statements). Statements join into facts by average link, while the
mean similarity between two groups reaches ``SAME_FACT``, so one loose pair does not chain
two facts into one. A statement that joins no other outlet's and carries a quote, a number
or an actor is what only its outlet reports.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import islice

import numpy as np
import numpy.typing as npt

from newsweave.compare.model import Coverage, Fact, Statement, SummarySentence
from newsweave.compare.text import Weights, words
from newsweave.compare.vectors import embedded
from newsweave.events.consolidate import average_link

SAME_FACT = 0.27  # mean similarity of two groups of statements to join them (average link)
MEANING_SHARE = 0.5  # of a similarity, the sentence vectors' cosine; the rest, TF-IDF's
KEPT_SCORE = 0.2  # lower similarities count as 0
SUMMARY_SENTENCES = 4


MIN_WORDS = 4  # shorter lines (datelines, credits, headings) state nothing
MAX_STATEMENTS = 250  # an article's first statements compared (a long one's rest is not)


def statements_of(item: Coverage) -> list[tuple[Statement, list[str]]]:
    """The article's first ``MAX_STATEMENTS`` sentences of at least ``MIN_WORDS`` words,
    each with its words (:func:`~newsweave.compare.text.words`) as their lemmas, where
    annotation read them ("deciding" and "decided" are "decide")."""
    text = item.article.text
    found = (
        (Statement(item.article.id, item.outlet, s.start, s.end, text[s.start : s.end]), s)
        for s in item.sentences
        if len(text[s.start : s.end].split()) >= MIN_WORDS
    )
    lemma = item.annotations.lemmas.get
    return [
        (statement, [lemma(word, word) for word in words(s)])
        for statement, s in islice(found, MAX_STATEMENTS)
    ]


class _Anchors:
    """Numbers and actors inside a statement: what ties two statements to one fact (looked
    up by bisection in the article's mentions and quantities, sorted once)."""

    def __init__(self, item: Coverage) -> None:
        found = item.annotations
        self.mentions = sorted((m.start, m.name) for m in found.mentions)
        self.numbers = sorted((q.start, f"#{q.value:g}") for q in found.quantities)

    def of(self, statement: Statement) -> set[str]:
        return set(_within(self.mentions, statement)) | set(_within(self.numbers, statement))


def _within(items: list[tuple[int, str]], statement: Statement) -> list[str]:
    low = bisect_left(items, (statement.start, ""))
    high = bisect_left(items, (statement.end, ""))
    return [name for _, name in items[low:high]]


def align(coverage: Sequence[Coverage]) -> tuple[list[Fact], dict[str, list[Statement]]]:
    """Facts reported by two or more outlets, and each outlet's informative statements that
    no other outlet reports."""
    read = [(item, s, found, n) for item in coverage for s, found, n in _numbered(item)]
    rows = [(item, s) for item, s, _, _ in read]
    by_article = {id(item): _Anchors(item) for item in coverage}
    anchors = [by_article[id(item)].of(s) for item, s in rows]
    scores = _similarities(read)
    roots = average_link(len(rows), scores, SAME_FACT)
    groups: dict[int, list[int]] = {}
    for i, root in enumerate(roots):
        groups.setdefault(root, []).append(i)
    facts: list[Fact] = []
    only_in: dict[str, list[Statement]] = {}
    for members in groups.values():
        outlets = sorted({rows[i][1].outlet for i in members})
        if len(outlets) > 1:
            facts.append(Fact([rows[i][1] for i in members], outlets))
            continue
        for i in members:
            if anchors[i]:
                only_in.setdefault(rows[i][1].outlet, []).append(rows[i][1])
    facts.sort(key=lambda f: (-len(f.outlets), f.statements[0].start))
    return facts, only_in


def _numbered(item: Coverage) -> list[tuple[Statement, list[str], int]]:
    """The article's statements with their words and the number of their sentence."""
    number = {(s.start, s.end): n for n, s in enumerate(item.sentences)}
    return [(s, found, number[(s.start, s.end)]) for s, found in statements_of(item)]


def _similarities(
    read: list[tuple[Coverage, Statement, list[str], int]],
) -> dict[tuple[int, int], float]:
    """How alike each two statements are: the mean of their sentence vectors' cosine
    (paraphrase) and their words' TF-IDF cosine (IDF over the event's statements), kept
    where it is worth keeping (average link counts the rest as 0)."""
    if not read:
        return {}
    meaning = np.stack([embedded(item)[n] for item, _, _, n in read])
    tokens = [found for _, _, found, _ in read]
    both = MEANING_SHARE * (meaning @ meaning.T) + (1 - MEANING_SHARE) * _tfidf(tokens)
    outlets = {outlet: n for n, outlet in enumerate({s.outlet for _, s, _, _ in read})}
    source = np.array([outlets[s.outlet] for _, s, _, _ in read])
    both[source[:, None] == source[None, :]] = 0.0  # an outlet never confirms itself
    first, second = np.nonzero(np.triu(both >= KEPT_SCORE, k=1))
    pairs = zip(first.tolist(), second.tolist(), strict=True)
    return dict(zip(pairs, both[first, second].tolist(), strict=True))


def _tfidf(tokens: list[list[str]]) -> npt.NDArray[np.float32]:
    """The TF-IDF cosine of every two statements (IDF over these statements): the weighing
    of :class:`~newsweave.compare.text.Weights`, in arrays; a word only one statement has
    counts in its length but is left out of the products."""
    weights = Weights(tokens)
    size = len(tokens)
    vocabulary = {word: n for n, word in enumerate(weights.df)}
    if not vocabulary:
        return np.zeros((size, size), dtype=np.float32)
    idf = np.array([weights.idf(word) for word in vocabulary])
    rows = np.repeat(np.arange(size), [len(found) for found in tokens])
    columns = np.fromiter((vocabulary[w] for found in tokens for w in found), dtype=np.int64)
    cells, counts = np.unique(rows * len(vocabulary) + columns, return_counts=True)
    row, column = np.divmod(cells, len(vocabulary))
    weight = (1.0 + np.log(counts)) * idf[column]
    norms = np.sqrt(np.bincount(row, weight * weight, minlength=size))
    in_many = np.array([weights.df[word] > 1 for word in vocabulary])
    place = np.cumsum(in_many) - 1  # a shared word's column
    keep = in_many[column]
    matrix = np.zeros((size, max(1, int(in_many.sum()))), dtype=np.float32)
    matrix[row[keep], place[column[keep]]] = weight[keep] / norms[row[keep]]
    return matrix @ matrix.T


def left_out(facts: Sequence[Fact], coverage: Sequence[Coverage]) -> dict[str, list[Statement]]:
    """Each outlet's blind spots: the facts at least half of the other outlets (and two or
    more) report and it does not, each by its earliest statement. Only outlets with a body
    of their own take part: a title alone leaves out everything."""
    order = {item.article.id: n for n, item in enumerate(coverage)}
    telling = sorted({o for item in coverage if item.sentences for o in item.outlets})
    found: dict[str, list[Statement]] = {}
    for outlet in telling:
        others = len(telling) - 1
        for fact in facts:
            reported_by = len(set(fact.outlets) - {outlet})
            if outlet in fact.outlets or reported_by < max(2, others / 2):
                continue
            first = min(fact.statements, key=lambda s: (order.get(s.article_id, 0), s.start))
            found.setdefault(outlet, []).append(first)
    return found


def summarise(facts: Sequence[Fact], coverage: Sequence[Coverage]) -> list[SummarySentence]:
    """A few sentences saying what happened: of the facts several outlets report, those
    reported most widely, in their ledes, and saying most of who did what, when and where,
    each by its best formed statement (a full sentence, not mostly a quote), in the order of
    the articles."""
    by_id = {item.article.id: item for item in coverage}
    order = {item.article.id: n for n, item in enumerate(coverage)}
    ledes = {item.article.id: _lede_starts(item) for item in coverage}
    candidates: list[tuple[float, int, Statement, Fact]] = []
    widest = sorted((len(f.outlets) for f in facts), reverse=True)[:SUMMARY_SENTENCES]
    least = widest[-1] - INFORMATIVE_WEIGHT * MOST_DETAILS - LEAD_WEIGHT if widest else 0
    for rank, fact in enumerate(facts):
        told = [s for s in fact.statements if _full_sentence(s.text)]
        if not told or len(fact.outlets) < least:  # no detail could lift it into the summary
            continue
        scored = [(_informative(s, by_id), -order.get(s.article_id, 0), s) for s in told]
        details, _, best = max(scored, key=lambda found: found[:2])
        score = len(fact.outlets) + INFORMATIVE_WEIGHT * details
        score += LEAD_WEIGHT * _lead_share(fact, ledes)
        candidates.append((score, -rank, best, fact))
    chosen = sorted(candidates, key=lambda c: (c[0], c[1]), reverse=True)[:SUMMARY_SENTENCES]
    found = [
        SummarySentence(s.text, s.article_id, s.outlet, s.start, s.end, tuple(fact.outlets))
        for _, _, s, fact in chosen
    ]
    found.sort(key=lambda s: (order.get(s.article_id, 0), s.start))
    return found


INFORMATIVE_WEIGHT = 0.5  # one outlet more outweighs two details more
MOST_DETAILS = 4.5  # who, where, when, did what, and half for a number
LEAD_WEIGHT = 1.0  # what a fact every outlet states in its lede gains
LEAD_SENTENCES = 3  # an article's lede: its first statements
MIN_SUMMARY_WORDS, MAX_SUMMARY_WORDS = 6, 60
_OPENING = re.compile(r"\A[\"“‘'(]?[A-Z0-9]")
_CLOSING = re.compile(r"[.!?][\"”’')]*\Z")


def _lead_share(fact: Fact, ledes: dict[str, set[int]]) -> float:
    """The share of the fact's outlets that state it in their lede: what happened comes
    first in a news report."""
    leading = {s.outlet for s in fact.statements if s.start in ledes.get(s.article_id, ())}
    return len(leading) / len(fact.outlets)


def _lede_starts(item: Coverage) -> set[int]:
    """Where the article's first ``LEAD_SENTENCES`` statements (of ``MIN_WORDS`` words or
    more) start."""
    text = item.article.text
    found = (s.start for s in item.sentences if len(text[s.start : s.end].split()) >= MIN_WORDS)
    return set(islice(found, LEAD_SENTENCES))


def _full_sentence(text: str) -> bool:
    """A sentence one can read alone: a capital first, a full stop last, its quotation
    marks paired, neither a fragment nor a run-on."""
    words = len(text.split())
    if not MIN_SUMMARY_WORDS <= words <= MAX_SUMMARY_WORDS:
        return False
    if not (_OPENING.match(text) and _CLOSING.search(text)):
        return False
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def _informative(statement: Statement, by_id: dict[str, Coverage]) -> float:
    """How much of who did what, when and where the statement says (each 0 or 1), less
    what it only quotes."""
    item = by_id.get(statement.article_id)
    if item is None:
        return 0.0
    found = item.annotations

    def inside(start: int) -> bool:
        return statement.start <= start < statement.end

    who = any(inside(m.start) and m.kind != "place" for m in found.mentions)
    where = any(inside(m.start) and m.kind == "place" for m in found.mentions)
    when = any(inside(t.start) for t in found.times)
    did = any(inside(a.verb_start if a.verb_start is not None else a.start) for a in found.actions)
    counted = any(inside(q.start) for q in found.quantities)
    quoted = sum(
        max(0, min(q.end, statement.end) - max(q.start, statement.start)) for q in found.quotes
    ) / max(1, statement.end - statement.start)
    return who + where + when + did + 0.5 * counted - 2.0 * (quoted > 0.5)
