"""(Re)build events and storylines for a whole store, in publication order."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsweave.events.features import Terms, Vector, cosine, unit
from newsweave.events.online import ClusterInput, EventClusterer, EventConfig
from newsweave.events.refine import SPLIT_MIN_SIZE, split_in_two, unit_centroid
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
    last_utc: dict[str, float] = field(default_factory=dict)


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
    *,
    refine: bool = False,
) -> EventBuild:
    """Cluster ``articles``; ``again`` is the same sequence, read a second time for summaries.

    With ``refine``, large events that hold two dissimilar halves are split afterwards.
    """
    clusterer, members = cluster_articles(articles, config)
    groups: dict[str, list[_Member]] = defaultdict(list)
    for number, member in members:
        groups[str(number)].append(member)
    centroids = {key: clusterer.event(int(key)).centroid for key in groups}
    large = {key for key, group in groups.items() if refine and len(group) >= SPLIT_MIN_SIZE}
    event_of = {m.article_id: str(n) for n, m in members}
    similarity, kept = _second_pass(clusterer, again, event_of, centroids, large)
    for key in _split_merged(groups, centroids, kept, large):
        centre = centroids[key]
        similarity.update({m.article_id: cosine(kept[m.article_id], centre) for m in groups[key]})
    order = sorted(groups, key=lambda key: _event_sort_key(groups[key]))
    ordered = [centroids[key] for key in order]
    storyline_of = link_storylines(ordered)
    build = EventBuild()
    for position, key in enumerate(order):
        group = groups[key]
        representative = max(group, key=lambda m: similarity.get(m.article_id, 0.0))
        event_id = "ev-" + group[0].article_id[:12]
        build.events.append(_summarise(event_id, group, representative, ordered[position]))
        moments = [m.utc for m in group if m.utc is not None]
        build.first_utc[event_id] = min(moments, default=None)
        if moments:
            build.last_utc[event_id] = max(moments)
        build.assignments += [
            (m.article_id, event_id, similarity.get(m.article_id, 0.0)) for m in group
        ]
    build.storylines = _storylines(build.events, storyline_of, ordered, build.last_utc)
    return build


def _second_pass(
    clusterer: EventClusterer,
    articles: Iterable[Article],
    event_of: dict[str, str],
    centroids: dict[str, Vector],
    large: set[str],
) -> tuple[dict[str, float], dict[str, Vector]]:
    """With the final IDF: each article's similarity to its event, and the vectors of the
    members of large events (kept for refinement; the rest are not held in memory)."""
    boost = clusterer.config.name_boost
    similarity: dict[str, float] = {}
    kept: dict[str, Vector] = {}
    units: dict[str, Vector] = {}
    for article in articles:
        key = event_of.get(article.id)
        if key is None:
            continue
        vector = clusterer.frequencies.vector(Terms.of(article.title, article.text), boost)
        if key in large:
            kept[article.id] = vector
        if key not in units:
            units[key] = unit(centroids[key])
        similarity[article.id] = cosine(vector, units[key])
    return similarity, kept


def _split_merged(
    groups: dict[str, list[_Member]],
    centroids: dict[str, Vector],
    vectors: dict[str, Vector],
    large: set[str],
) -> list[str]:
    """Split each large event whose members fall into two dissimilar halves (in place);
    returns the keys of the new halves."""
    halves_made: list[str] = []
    for key in sorted(large):
        group = groups[key]
        halves = split_in_two([vectors[m.article_id] for m in group])
        if halves is None:
            continue
        for suffix, positions in zip(("a", "b"), halves, strict=True):
            part = [group[i] for i in positions]
            groups[key + suffix] = part
            centroids[key + suffix] = unit_centroid([vectors[m.article_id] for m in part])
            halves_made.append(key + suffix)
        del groups[key], centroids[key]
    return halves_made


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
