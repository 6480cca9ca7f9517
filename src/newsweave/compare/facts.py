"""Statements aligned across outlets: facts all report, what only one reports, a summary.

Every sentence is a statement. Two statements of different outlets say the same thing when
their TF-IDF cosine (IDF over the event's own sentences) is at least ``SAME_FACT``, or at
least ``SAME_FACT_WITH_ANCHOR`` when they also share a number or an actor. Aligned
statements join into facts (single link). A statement that aligns with nothing and carries
a quote, a number or an actor is what only its outlet reports.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsweave.compare.model import Coverage, Fact, Statement, SummarySentence
from newsweave.compare.text import Weights, cosine, sentences, words

SAME_FACT = 0.45
SAME_FACT_WITH_ANCHOR = 0.30
SUMMARY_SENTENCES = 4


MIN_WORDS = 4  # shorter lines (datelines, credits, headings) state nothing


def statements_of(item: Coverage) -> list[Statement]:
    text = item.article.text
    return [
        Statement(item.article.id, item.outlet, start, end, text[start:end])
        for start, end in sentences(text)
        if len(text[start:end].split()) >= MIN_WORDS
    ]


def _anchors(item: Coverage, statement: Statement) -> set[str]:
    """Numbers and actors inside the statement: what ties two statements to one fact."""
    found = item.annotations
    inside = [m.name for m in found.mentions if statement.start <= m.start < statement.end]
    numbers = [
        f"#{q.value:g}" for q in found.quantities if statement.start <= q.start < statement.end
    ]
    return set(inside) | set(numbers)


def align(coverage: Sequence[Coverage]) -> tuple[list[Fact], dict[str, list[Statement]]]:
    """Facts reported by two or more outlets, and each outlet's informative statements that
    no other outlet reports."""
    rows = [(item, s) for item in coverage for s in statements_of(item)]
    tokens = [words(s.text) for _, s in rows]
    weights = Weights(tokens)
    vectors = [weights.vector(t) for t in tokens]
    anchors = [_anchors(item, s) for item, s in rows]
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidate_pairs(tokens, weights):
        if rows[i][1].outlet == rows[j][1].outlet:
            continue  # one outlet (and so one article) never confirms itself
        floor = SAME_FACT_WITH_ANCHOR if anchors[i] & anchors[j] else SAME_FACT
        if cosine(vectors[i], vectors[j]) >= floor:
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(root(i), []).append(i)
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


def _candidate_pairs(tokens: list[list[str]], weights: Weights) -> set[tuple[int, int]]:
    """Statement pairs sharing a word that is not in most statements: the only pairs whose
    cosine can reach the bar, found without comparing every pair."""
    common = max(2, weights.count // 2)
    holders: dict[str, list[int]] = {}
    for index, found in enumerate(tokens):
        for word in set(found):
            if weights.df[word] <= common:
                holders.setdefault(word, []).append(index)
    return {
        (first, second)
        for members in holders.values()
        for n, first in enumerate(members)
        for second in members[n + 1 :]
    }


def summarise(facts: Sequence[Fact], coverage: Sequence[Coverage]) -> list[SummarySentence]:
    """A few sentences for the facts most outlets agree on, each from the earliest article
    that reports it, in that article's order."""
    order = {item.article.id: n for n, item in enumerate(coverage)}
    chosen: list[SummarySentence] = []
    for fact in facts[:SUMMARY_SENTENCES]:
        first = min(fact.statements, key=lambda s: (order.get(s.article_id, 0), s.start))
        chosen.append(
            SummarySentence(
                first.text,
                first.article_id,
                first.outlet,
                first.start,
                first.end,
                tuple(fact.outlets),
            )
        )
    chosen.sort(key=lambda s: (order.get(s.article_id, 0), s.start))
    return chosen
