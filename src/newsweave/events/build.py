"""(Re)build events and storylines for a whole store, in publication order.

By default the events are those of the batch consolidation (``consolidate.py``); with
``online`` they are those of the online pass alone (``online.py``), as a stream would see them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from newsweave.annotate.document import analyse_article
from newsweave.events.consolidate import (
    ConsolidationConfig,
    StepProgress,
    consolidate,
    reported,
)
from newsweave.events.failures import FailureLog, OnFailure
from newsweave.events.features import DocumentFrequencies, Terms
from newsweave.events.incremental import Member, cluster_input
from newsweave.events.online import ClusterInput, EventClusterer, EventConfig
from newsweave.events.storylines import link_storylines, names_only
from newsweave.model import AnalysedDocument, Article, Event, EventBuild, Storyline
from newsweave.text import Vector, cosine, unit

KEY_TERMS = 6
DocumentOf = Callable[[Article], AnalysedDocument]


def cluster_articles(
    articles: Iterable[Article],
    config: EventConfig | None = None,
    progress: StepProgress | None = None,
    failures: FailureLog | None = None,
    documents: DocumentOf = analyse_article,
) -> tuple[EventClusterer, list[tuple[int, Member]]]:
    """Run the online clusterer over articles given in publication order (undated last)."""
    clusterer = EventClusterer(config, keep_retired=True)
    failures = failures or FailureLog()
    members = [
        (_learn(clusterer, a, documents, failures), Member.of(a))
        for a in reported(articles, "assigning", progress)
    ]
    return clusterer, members


def _learn(
    clusterer: EventClusterer, article: Article, documents: DocumentOf, failures: FailureLog
) -> int:
    """The online event the article joins; one it cannot read starts an event of its own."""
    try:
        return clusterer.learn_one(cluster_input(article, documents(article)))
    except Exception as error:  # one article must not stop the build
        failures(article.id, error)
        return clusterer.learn_one(ClusterInput(article.id, "", ""))  # no terms: joins nothing


def build_events(
    articles: Iterable[Article],
    again: Iterable[Article],
    config: EventConfig | None = None,
    *,
    online: bool = False,
    consolidation: ConsolidationConfig | None = None,
    progress: StepProgress | None = None,
    on_failure: OnFailure | None = None,
    documents: DocumentOf = analyse_article,
) -> EventBuild:
    """Cluster ``articles``; ``again`` is the same sequence, read a second time for summaries.
    ``documents`` gives each article's analysed document (by default, analysed now).

    The events are the batch consolidation's groups, or with ``online`` the online pass's
    events. Either way, each event's centroid is the sum of its members' TF-IDF vectors.

    ``progress`` is told ``(step, done, total)`` at the start of each step, every 256
    articles and at its end: "loading", "sketching", "pairing", "merging", "centroids" and
    "similarities" (online: "assigning" and "similarities"). Totals are known where the
    article sequences have a ``len()``.

    An article that cannot be read in full does not stop the build: it is clustered on what
    could be read (without its named days, say), or alone, and told once to ``on_failure``
    (article id, reason).
    """
    failures = FailureLog(on_failure)
    if online:
        clusterer, members = cluster_articles(articles, config, progress, failures, documents)
        frequencies = clusterer.frequencies
        name_boost = clusterer.config.name_boost
        centroids = {n: clusterer.event(n).centroid for n in {n for n, _ in members}}
    else:
        name_boost = (config or EventConfig()).name_boost
        members, frequencies, centroids = _consolidated(
            articles, config, consolidation, progress, failures, documents
        )
    groups: dict[int, list[Member]] = defaultdict(list)
    for number, member in members:
        groups[number].append(member)
    event_of = {m.article_id: n for n, m in members}
    again = reported(again, "similarities", progress)
    inputs = (cluster_input(article, documents(article)) for article in again)
    similarity = _similarities(inputs, event_of, centroids, frequencies, name_boost, failures)
    return _summarise_all(groups, centroids, similarity)


def _terms(item: ClusterInput, failures: FailureLog) -> Terms:
    """The article's terms; none (told to ``failures``) when they cannot be read."""
    try:
        document = item.analysed()
        return Terms.of(document.title, document.body)
    except Exception as error:  # one article must not stop the build
        failures(item.id, error)
        return Terms(Counter())


def _consolidated(
    articles: Iterable[Article],
    config: EventConfig | None,
    consolidation: ConsolidationConfig | None,
    progress: StepProgress | None = None,
    failures: FailureLog | None = None,
    documents: DocumentOf = analyse_article,
) -> tuple[list[tuple[int, Member]], DocumentFrequencies, dict[int, Vector]]:
    """The consolidation's groups, the document frequencies of all articles and the
    centroids (sums of the members' vectors, with the IDF of the whole set)."""
    failures = failures or FailureLog()
    inputs: list[ClusterInput] = []
    found: list[Member] = []
    frequencies = DocumentFrequencies()
    for article in reported(articles, "loading", progress):
        item = cluster_input(article, documents(article))
        inputs.append(item)
        found.append(Member.of(article))
        frequencies.add(_terms(item, failures))
    numbers = consolidate(inputs, consolidation, config, progress, failures)
    boost = (config or EventConfig()).name_boost
    centroids: dict[int, Vector] = defaultdict(dict)
    for number, item in zip(numbers, reported(inputs, "centroids", progress), strict=True):
        centroid = centroids[number]
        terms = _terms(item, failures)
        for term, weight in frequencies.vector(terms, boost).items():
            centroid[term] = centroid.get(term, 0.0) + weight
    return list(zip(numbers, found, strict=True)), frequencies, dict(centroids)


def _similarities(
    inputs: Iterable[ClusterInput],
    event_of: dict[str, int],
    centroids: dict[int, Vector],
    frequencies: DocumentFrequencies,
    name_boost: float,
    failures: FailureLog,
) -> dict[str, float]:
    """With the final IDF: each article's similarity to its event's centroid."""
    similarity: dict[str, float] = {}
    units: dict[int, Vector] = {}
    for item in inputs:
        number = event_of.get(item.id)
        if number is None:
            continue
        terms = _terms(item, failures)
        vector = frequencies.vector(terms, name_boost)
        if number not in units:
            units[number] = unit(centroids[number])
        similarity[item.id] = cosine(vector, units[number])
    return similarity


def _summarise_all(
    groups: dict[int, list[Member]], centroids: dict[int, Vector], similarity: dict[str, float]
) -> EventBuild:
    """Events in time order, with ids from their first article, and their storylines."""
    order = sorted(groups, key=lambda key: _event_sort_key(groups[key]))
    ordered = [centroids[key] for key in order]
    storyline_of = link_storylines(ordered)
    build = EventBuild()
    for position, key in enumerate(order):
        group = groups[key]
        representative = max(group, key=lambda m: similarity.get(m.article_id, 0.0))
        event_id = "ev-" + group[0].article_id[:12]
        build.events.append(_summarise(event_id, group, representative, ordered[position]))
        moments = [m.moment for m in group if m.moment is not None]
        build.first_utc[event_id] = min(moments, default=None)
        if moments:
            build.last_utc[event_id] = max(moments)
        build.assignments += [
            (m.article_id, event_id, similarity.get(m.article_id, 0.0)) for m in group
        ]
    build.storylines = _storylines(build.events, storyline_of, ordered, build.last_utc)
    return build


def _event_sort_key(group: list[Member]) -> tuple[bool, float, str]:
    dated = [m.moment for m in group if m.moment is not None]
    return (not dated, min(dated) if dated else 0.0, group[0].article_id)


def display_name(term: str) -> str:
    return term.lstrip("@").title()


def top_names(centroid: Vector, count: int = KEY_TERMS) -> list[str]:
    names = names_only(centroid)
    ranked = sorted(names, key=lambda term: (-names[term], term))[:count]
    return [display_name(term) for term in ranked]


def _summarise(event_id: str, group: list[Member], representative: Member,
               centroid: Vector) -> Event:  # fmt: skip
    dated = sorted((m.moment, m.published) for m in group if m.moment is not None)
    outlets = Counter(m.outlet for m in group)
    return Event(
        id=event_id,
        title="",  # filled from the representative article by the store layer
        size=len(group),
        representative_id=representative.article_id,
        storyline_id="",
        first_published=dated[0][1] if dated else None,
        last_published=dated[-1][1] if dated else None,
        outlets=[name for name, _ in outlets.most_common()],
        key_terms=top_names(centroid),
    )


def _storylines(
    events: list[Event],
    storyline_of: list[int],
    centroids: list[Vector],
    last_utc: dict[str, float],
) -> list[Storyline]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for position, number in enumerate(storyline_of):
        grouped[number].append(position)
    storylines: list[Storyline] = []
    for positions in grouped.values():
        first = events[positions[0]]
        storyline_id = "st-" + first.id.removeprefix("ev-")
        merged: Vector = {}
        for position in positions:
            events[position].storyline_id = storyline_id
            for term, weight in centroids[position].items():
                merged[term] = merged.get(term, 0.0) + weight
        dated = [events[p] for p in positions if events[p].id in last_utc]
        latest = max(dated, key=lambda e: last_utc[e.id], default=None)
        storylines.append(
            Storyline(
                id=storyline_id,
                title=" · ".join(top_names(merged, 3)) or first.title,
                event_ids=[events[p].id for p in positions],
                articles=sum(events[p].size for p in positions),
                first_published=dated[0].first_published if dated else None,
                last_published=latest.last_published if latest else None,
            )
        )
    return storylines
