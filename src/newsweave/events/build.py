"""(Re)build events and storylines for a whole store, in publication order."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from newsweave.events.features import Terms, Vector
from newsweave.events.online import ClusterInput, EventClusterer, EventConfig
from newsweave.events.storylines import link_storylines, names_only
from newsweave.model import Article, Event, Storyline

KEY_TERMS = 6


@dataclass(slots=True)
class _Member:
    article_id: str
    outlet: str
    published: str | None
    utc: float | None


@dataclass(slots=True)
class EventBuild:
    """Everything a clustering run produces, ready to be stored in one transaction."""

    events: list[Event] = field(default_factory=list)
    storylines: list[Storyline] = field(default_factory=list)
    assignments: list[tuple[str, str, float]] = field(default_factory=list)  # article, event, sim
    first_utc: dict[str, float | None] = field(default_factory=dict)


def cluster_articles(
    articles: Iterable[Article], config: EventConfig | None = None
) -> tuple[EventClusterer, list[tuple[int, _Member]]]:
    """Run the online clusterer over articles given in publication order (undated last)."""
    clusterer = EventClusterer(config, keep_retired=True)
    members: list[tuple[int, _Member]] = []
    for article in articles:
        moment = article.published.moment if article.published else None
        number = clusterer.learn_one(
            ClusterInput(article.id, article.title, article.text, moment, article.outlet)
        )
        published = article.published.isoformat() if article.published else None
        utc = moment.timestamp() if moment else None
        members.append((number, _Member(article.id, article.outlet, published, utc)))
    return clusterer, members


def build_events(
    articles: Iterable[Article],
    again: Iterable[Article],
    config: EventConfig | None = None,
) -> EventBuild:
    """Cluster ``articles``; ``again`` is the same sequence, read a second time for summaries."""
    clusterer, members = cluster_articles(articles, config)
    by_event: dict[int, list[_Member]] = defaultdict(list)
    for number, member in members:
        by_event[number].append(member)
    event_of = {member.article_id: number for number, member in members}
    similarity = dict(_member_similarities(clusterer, again, event_of))
    order = sorted(by_event, key=lambda n: _event_sort_key(by_event[n]))
    centroids = [clusterer.event(number).centroid for number in order]
    storyline_of = link_storylines(centroids)
    build = EventBuild()
    event_ids = {number: "ev-" + by_event[number][0].article_id[:12] for number in order}
    for position, number in enumerate(order):
        group = by_event[number]
        representative = max(group, key=lambda m: similarity.get(m.article_id, 0.0))
        event = _summarise(event_ids[number], group, representative, centroids[position])
        build.events.append(event)
        build.first_utc[event.id] = min((m.utc for m in group if m.utc is not None), default=None)
        build.assignments += [(m.article_id, event.id, similarity.get(m.article_id, 0.0))
                              for m in group]  # fmt: skip
    build.storylines = _storylines(build.events, storyline_of, centroids)
    return build


def _member_similarities(
    clusterer: EventClusterer, articles: Iterable[Article], event_of: dict[str, int]
) -> Iterator[tuple[str, float]]:
    """Each article's similarity to its event's final centroid, with the final IDF."""
    boost = clusterer.config.name_boost
    for article in articles:
        number = event_of.get(article.id)
        if number is None:
            continue
        vector = clusterer.frequencies.vector(Terms.of(article.title, article.text), boost)
        yield article.id, clusterer.event(number).similarity(vector)


def _event_sort_key(group: list[_Member]) -> tuple[bool, float, str]:
    dated = [m.utc for m in group if m.utc is not None]
    return (not dated, min(dated) if dated else 0.0, group[0].article_id)


def display_name(term: str) -> str:
    return term.lstrip("@").title()


def top_names(centroid: Vector, count: int = KEY_TERMS) -> list[str]:
    names = names_only(centroid)
    ranked = sorted(names, key=lambda term: (-names[term], term))[:count]
    return [display_name(term) for term in ranked]


def _summarise(event_id: str, group: list[_Member], representative: _Member,
               centroid: Vector) -> Event:  # fmt: skip
    dated = sorted((m.utc, m.published) for m in group if m.utc is not None)
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
    events: list[Event], storyline_of: list[int], centroids: list[Vector]
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
        dated = [events[p] for p in positions if events[p].first_published]
        storylines.append(
            Storyline(
                id=storyline_id,
                title=" · ".join(top_names(merged, 3)) or first.title,
                event_ids=[events[p].id for p in positions],
                articles=sum(events[p].size for p in positions),
                first_published=dated[0].first_published if dated else None,
                last_published=max((e.last_published or "" for e in dated), default=None),
            )
        )
    return storylines
