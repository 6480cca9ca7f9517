"""Incremental events: adding k articles costs work in proportion to k and their candidates.

Each article's sketch (see :mod:`newsweave.events.consolidate`), the document frequencies,
the candidate-pair graph and the indexes that find candidates are kept in the store
(:class:`~newsweave.store.clustering.ClusterTables`). A batch of new articles is sketched
against that state and paired with stored and batch articles through the indexes; then only
the part of the pair graph the batch touches is clustered again: the new articles, the
articles they pair with, and every article of the events those belong to.

Event ids are stable. A re-clustered group keeps the id of the old event it shares most
articles with; an old event left without a group is recorded as a redirect to the group that
took most of its articles ("merged" when all went to one, "split" otherwise).

:meth:`IncrementalEvents.rebuild` runs the batch pass over the whole store (the reference the
incremental path is measured against) and leaves the state the next batch builds on.
"""

from __future__ import annotations

import json
import math
import struct
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any

from newsweave.annotate.document import analyse_article, documents_of
from newsweave.events.consolidate import (
    EMPTY,
    ConsolidationConfig,
    ItemDetails,
    Pair,
    PairScorer,
    Prepared,
    RecentIndex,
    Sketch,
    Sketches,
    StepProgress,
    average_link,
    dot,
    names_within,
    reported,
    scaled_by_density,
)
from newsweave.events.failures import FailureLog
from newsweave.events.features import DAY, title_tail
from newsweave.events.online import (
    KEY_MIN_DOCUMENTS,
    ClusterInput,
    EventConfig,
    key_limit,
    top_rare_terms,
    top_terms,
)
from newsweave.events.storylines import STORYLINE_THRESHOLD as LINK
from newsweave.events.storylines import TOP_NAMES
from newsweave.model import AnalysedDocument, Article, Event, Storyline
from newsweave.store import SQLiteStore
from newsweave.store.clustering import ClusterTables, EventRow, SketchRow
from newsweave.text import cosine

SKETCH_VERSION = 2  # stored state of another version is rebuilt (2: furniture keyed by sentence)
STORED_HOLDERS = KEY_MIN_DOCUMENTS  # the latest holders of a key read to find candidates
CACHE_KIB = 64 * 1024  # SQLite's page cache while clustering
NEAREST_EVENTS = 25  # events before and after an event, by each of its names, to link with
KEY_TERMS = 6
STORED_NAMES = 40  # of an event's names, kept to link storylines and title them
_HEADER = struct.Struct("<II")
Documents = Callable[[Sequence[Article]], list[AnalysedDocument]]  # articles' documents


@dataclass(slots=True)
class ClusterChanges:
    """What one clustering run changed."""

    articles: int = 0  # articles clustered
    changed: list[str] = field(default_factory=list)  # events new or with other articles
    redirects: dict[str, str] = field(default_factory=dict)  # old event id -> where it went
    storylines: list[str] = field(default_factory=list)  # storylines written


@dataclass(frozen=True, slots=True)
class Member:
    """What an event's summary reads of an article."""

    article_id: str
    title: str
    outlet: str
    published: str | None
    moment: float | None

    @classmethod
    def of(cls, article: Article) -> Member:
        published = article.published
        moment = published.moment.timestamp() if published else None
        text = published.isoformat() if published else None
        return cls(article.id, article.title, article.outlet, text, moment)

    @classmethod
    def stored(cls, row: SketchRow) -> Member:
        return cls(row.article_id, row.title, row.outlet, row.published, row.moment)


def cluster_input(article: Article, document: AnalysedDocument | None = None) -> ClusterInput:
    """What clustering reads of an article (its analysed document when given): a body other
    titles share (boilerplate) is not the article's own, so such an article is placed by its
    title alone."""
    moment = article.published.moment if article.published else None
    shared = article.thin == "shared"
    document = document or analyse_article(article)
    if shared:
        document = replace(document, body=())
    text = "" if shared else article.text
    return ClusterInput(article.id, article.title, text, moment, article.outlet, None, document)


def in_time_order(articles: Iterable[Article]) -> list[Article]:
    """Dated articles by time, then undated ones, each in the order given."""
    listed = list(articles)
    moments = [a.published.moment.timestamp() if a.published else None for a in listed]
    order = sorted(range(len(listed)), key=lambda i: (moments[i] is None, moments[i] or 0.0, i))
    return [listed[i] for i in order]


# the stored form of a sketch


def encode(sketch: Sketch) -> bytes:
    details = json.dumps(
        [sorted(sketch.ages), sorted(d.isoformat() for d in sketch.days),
         sorted(sketch.years), sorted(sketch.streets)],
        separators=(",", ":"),
    ).encode()  # fmt: skip
    terms = sketch.terms.tobytes()
    return (
        _HEADER.pack(len(details), len(sketch.terms)) + details + terms + sketch.weights.tobytes()
    )


def decode(data: bytes, moment: float | None) -> Sketch:
    size, count = _HEADER.unpack_from(data)
    start = _HEADER.size
    found_ages, days, years, named_streets = json.loads(data[start : start + size])
    terms, weights = array("i"), array("f")
    terms.frombytes(data[start + size : start + size + 4 * count])
    weights.frombytes(data[start + size + 4 * count :])
    return Sketch(
        terms=terms,
        weights=weights,
        ages=frozenset(found_ages),
        days=frozenset(date.fromisoformat(d) for d in days),
        years=frozenset(years),
        streets=frozenset(named_streets),
        moment=moment,
    )


class IncrementalEvents:
    """Events and storylines kept up to date batch by batch, in a store's cluster tables."""

    def __init__(
        self,
        tables: ClusterTables,
        config: EventConfig | None = None,
        consolidation: ConsolidationConfig | None = None,
        failures: FailureLog | None = None,
        progress: StepProgress | None = None,
        documents: Documents | None = None,
    ) -> None:
        self.tables = tables
        self.documents = documents
        self.events = config or EventConfig()
        self.config = consolidation or ConsolidationConfig()
        self.failures = failures or FailureLog()
        self.progress = progress

    def ready(self) -> bool:
        """Whether the stored state can take a batch (else :meth:`rebuild` first)."""
        return self.tables.mark("cluster_version") == SKETCH_VERSION

    def _inputs(self, articles: Sequence[Article]) -> list[ClusterInput]:
        """What clustering reads of the articles, with their analysed documents."""
        if self.documents is None:  # analysed now
            return [cluster_input(article) for article in articles]
        found = self.documents(articles)
        return [cluster_input(a, d) for a, d in zip(articles, found, strict=True)]

    # the reference: everything in one batch

    def rebuild(self, articles: Iterable[Article]) -> ClusterChanges:
        """Cluster every article again from nothing; ids are kept where the groups allow."""
        old_event = self.tables.assignments()
        ordered = in_time_order(articles)
        self.tables.reset()
        self.tables.clear_events()
        sketches = Sketches(self.config, self.events.name_boost, self.failures)
        sketches.read(reported(self._inputs(ordered), "sketching", self.progress))
        raw = [s.weights for s in sketches.items]
        sketches.items = [_copy(s) for s in sketches.items]
        scorer = PairScorer(sketches, self.config, self.events)
        scores = scorer.scores(self.progress)
        if self.progress:
            self.progress("merging", 0, None)
        items = list(range(1, len(ordered) + 1))
        self._save_rebuilt(sketches, raw, scorer, ordered)
        pairs = [(a + 1, b + 1, score, scorer.evidence(a, b)) for (a, b), score in scores.items()]
        self.tables.save_pairs(pairs)
        units = dict(zip(items, sketches.items, strict=True))
        members = {item: Member.of(a) for item, a in zip(items, ordered, strict=True)}
        olds = {item: old_event.get(members[item].article_id) for item in items}
        terms = {number: term for term, number in sketches.vocabulary.items()}
        view = _Region(items, units, members, olds, terms)
        changes = self._recluster(view, pairs, rewrite_all=True)
        changes.articles = len(ordered)
        self.tables.set_mark("cluster_version", SKETCH_VERSION)
        return changes

    def _save_rebuilt(
        self,
        sketches: Sketches,
        raw: list[array[float]],
        scorer: PairScorer,
        ordered: list[Article],
    ) -> None:
        tables = self.tables
        counts = sketches.frequencies.counts
        vocabulary = sketches.vocabulary
        for term in counts:
            sketches.term_id(term)
        tables.save_terms(
            (number, term, counts.get(term, 0)) for term, number in vocabulary.items()
        )
        tables.set_documents(sketches.frequencies.documents)
        tables.save_tails(sketches.tails.items())
        tables.save_furniture((key, *span) for key, span in sketches.furniture.seen.items())
        rows: list[SketchRow] = []
        for position, article in enumerate(ordered):
            sketch = sketches.items[position]
            stored = Sketch(sketch.terms, raw[position], sketch.ages, sketch.days, sketch.years,
                            sketch.streets, sketch.moment)  # fmt: skip
            member = Member.of(article)
            rows.append(SketchRow(position + 1, article.id, article.title, article.outlet,
                                  member.published, member.moment, encode(stored)))  # fmt: skip
        tables.save_sketches(rows)
        save_indexes(
            tables,
            [(position + 1, sketches.items[position]) for position in range(len(ordered))],
            scorer.keys,
            scorer.strongest,
        )

    # a batch

    def add(
        self, articles: Sequence[Article], previous: dict[str, str] | None = None
    ) -> ClusterChanges:
        """Cluster new articles into the stored events (state must be :meth:`ready`).
        ``previous`` gives the event of articles clustered before (changed since)."""
        ordered = in_time_order(articles)
        if not ordered:
            return ClusterChanges()
        batch = _Batch(self.tables, self.config, self.events, self.failures)
        inputs = self._inputs(ordered)
        first = self.tables.next_item()
        new_items = list(range(first, first + len(ordered)))
        batch.sketch(list(reported(inputs, "sketching", self.progress)), new_items)
        members = {item: Member.of(a) for item, a in zip(new_items, ordered, strict=True)}
        found = batch.pair(new_items, self.progress)
        batch.save(new_items, ordered, members)
        self.tables.save_pairs(found)
        if self.progress:
            self.progress("merging", 0, None)
        region = self._region(batch, new_items, found, members, previous or {})
        pairs = batch.rescore(region.units, self.tables.pairs_of(region.items))
        self.tables.save_pairs(pairs)
        changes = self._recluster(region, pairs)
        changes.articles = len(ordered)
        return changes

    def _region(
        self,
        batch: _Batch,
        new_items: list[int],
        found: list[tuple[int, int, float, float]],
        members: dict[int, Member],
        previous: dict[str, str],
    ) -> _Region:
        """The new items, the items they pair with, and every item of their events (and of
        the events changed articles were in)."""
        partners = sorted({a for a, _, _, _ in found} | {b for _, b, _, _ in found})
        events_of = self.tables.events_of_items(partners)
        touched = sorted({e for e in events_of.values() if e is not None} | set(previous.values()))
        items = sorted(set(self.tables.items_of_events(touched)) | set(partners) | set(new_items))
        rows = batch.rows(item for item in items if item not in members)
        members.update((item, Member.stored(row)) for item, row in rows.items())
        units = batch.units(items)
        olds = self.tables.events_of_items(items)
        for item in new_items:
            olds[item] = previous.get(members[item].article_id)
        return _Region(items, units, members, olds, batch.term_names())

    # the shared tail: cluster a region, name its groups, write events and storylines

    def _recluster(
        self,
        region: _Region,
        pairs: list[tuple[int, int, float, float]],
        *,
        rewrite_all: bool = False,
    ) -> ClusterChanges:
        position = {item: index for index, item in enumerate(region.items)}
        scores: dict[Pair, float] = {}
        by_item: list[list[float]] = [[] for _ in region.items]
        evidence: dict[Pair, float] = {}
        for first, second, score, found in pairs:
            if score <= 0.0:
                continue  # absent pairs count as 0 anyway
            for item in (first, second):
                if item in position:
                    by_item[position[item]].append(score)
            if first in position and second in position:
                pair = (position[first], position[second])
                scores[pair] = score
                evidence[pair] = found
        scaled = scaled_by_density(scores, by_item, self.config)
        judged = {pair: score + evidence[pair] for pair, score in scaled.items()}
        labels = average_link(len(region.items), judged, self.config.threshold)
        groups: dict[int, list[int]] = defaultdict(list)
        for index, label in enumerate(labels):
            groups[label].append(region.items[index])
        if self.progress:
            self.progress("storing", 0, None)
        writer = _Writer(self.tables, region, rewrite_all)
        return writer.write(list(groups.values()))


@dataclass(slots=True)
class _Region:
    """The items being clustered again, with their unit vectors and summaries."""

    items: list[int]
    units: dict[int, Sketch]  # unit TF-IDF weights
    members: dict[int, Member]
    olds: dict[int, str | None]  # the event each item was in
    terms: dict[int, str]  # term text by id, for the names of events


def _copy(sketch: Sketch) -> Sketch:
    return Sketch(array("i", sketch.terms), array("f", sketch.weights), sketch.ages,
                  sketch.days, sketch.years, sketch.streets, sketch.moment)  # fmt: skip


class _Batch:
    """One batch of new articles, sketched and paired against the stored state."""

    def __init__(
        self,
        tables: ClusterTables,
        config: ConsolidationConfig,
        events: EventConfig,
        failures: FailureLog,
    ) -> None:
        self.tables = tables
        self.config = config
        self.events = events
        self.sketches = _StoredSketches(tables, config, events.name_boost, failures)
        self.loaded: dict[int, tuple[str, int]] = {}  # stored terms by id: (term, documents)
        self.counts: dict[int, int] = {}  # documents by term id, this batch counted
        self.texts: dict[int, str] = {}  # term text by id
        self.names: set[int] = set()  # ids of capitalised names
        self.idf: dict[int, float] = {}
        self.stored_rows: dict[int, SketchRow] = {}
        self.unit_cache: dict[int, Sketch] = {}
        self.details: dict[int, tuple[frozenset[int], frozenset[int], frozenset[str]]] = {}
        self.keys: list[list[int]] = []
        self.strongest: list[list[int]] = []
        self.new_units: list[Sketch] = []

    def sketch(self, inputs: list[ClusterInput], new_items: list[int]) -> None:
        """Sketch the batch; the counts of its terms are then final for the batch."""
        sketches = self.sketches
        sketches.sketch_all(inputs)
        counts = sketches.frequencies.counts
        self.counts.update((n, counts.get(term, 0)) for term, n in sketches.vocabulary.items())
        self._know({n: term for term, n in sketches.vocabulary.items()})
        self.new_units = [self.unit(s) for s in sketches.items]
        self.unit_cache.update(zip(new_items, self.new_units, strict=True))

    def count(self, term: int) -> int:
        """The documents a term is in, this batch counted."""
        return self.counts.get(term, 0)

    def term_names(self) -> dict[int, str]:
        """Term text by id, of every term the batch has read."""
        return self.texts

    def _idf(self, term: int) -> float:
        found = self.idf.get(term)
        if found is None:
            documents = self.sketches.frequencies.documents
            found = self.idf[term] = math.log((1 + documents) / (1 + self.count(term))) + 1.0
        return found

    def unit(self, sketch: Sketch) -> Sketch:
        """The sketch with unit TF-IDF weights, by the document counts now."""
        idf = self._idf
        weights = array("f", [
            weight * idf(term) for term, weight in zip(sketch.terms, sketch.weights, strict=True)
        ])  # fmt: skip
        length = math.sqrt(sum(w * w for w in weights)) or 1.0
        for position in range(len(weights)):
            weights[position] /= length
        return Sketch(sketch.terms, weights, sketch.ages, sketch.days, sketch.years,
                      sketch.streets, sketch.moment)  # fmt: skip

    def rows(self, items: Iterable[int]) -> dict[int, SketchRow]:
        """Stored sketches by item, read once a batch."""
        items = list(items)
        missing = sorted(set(items) - self.stored_rows.keys())
        self.stored_rows.update((row.item, row) for row in self.tables.sketches(missing))
        return {item: self.stored_rows[item] for item in items if item in self.stored_rows}

    def units(self, items: Iterable[int]) -> dict[int, Sketch]:
        """Unit vectors of new and stored items, each weighed once a batch."""
        wanted = list(items)
        rows = self.rows(i for i in wanted if i not in self.unit_cache)
        stored = {item: decode(row.data, row.moment) for item, row in rows.items()}
        self._load_terms(stored.values())
        self.unit_cache.update((item, self.unit(sketch)) for item, sketch in stored.items())
        return {item: self.unit_cache[item] for item in wanted if item in self.unit_cache}

    def _load_terms(self, sketches: Iterable[Sketch]) -> None:
        wanted = {t for s in sketches for t in s.terms}
        wanted -= self.counts.keys()
        found = self.tables.terms_by_id(sorted(wanted))
        self.loaded.update(found)
        self.counts.update((number, documents) for number, (_, documents) in found.items())
        self._know({number: term for number, (term, _) in found.items()})

    def _know(self, texts: dict[int, str]) -> None:
        self.texts.update(texts)
        self.names.update(n for n, term in texts.items() if term.startswith("@"))

    def pair(
        self, new_items: list[int], progress: StepProgress | None
    ) -> list[tuple[int, int, float, float]]:
        """Score each new item with its candidates, stored or earlier in the batch."""
        candidates = self._candidates(new_items)
        units = self.units(
            {c: None for found in candidates for c in found} | dict.fromkeys(new_items)
        )
        scorer = PairScorer.of(units, _Counts(self), self._details(units), self.config,
                               self.events)  # fmt: skip
        found: list[tuple[int, int, float, float]] = []
        steps = reported(list(zip(new_items, candidates, strict=True)), "pairing", progress)
        for later, earlier_items in steps:
            sketch = units[later]
            vector = dict(zip(sketch.terms, sketch.weights, strict=True))
            for earlier in earlier_items:
                score = scorer.score(earlier, later, vector)
                if score is not None and score > 0.0:
                    found.append((earlier, later, score, scorer.evidence(earlier, later)))
        return found

    def rescore(
        self, units: dict[int, Sketch], pairs: list[tuple[int, int, float, float]]
    ) -> list[tuple[int, int, float, float]]:
        """The pairs, those with both ends in ``units`` scored again by the counts now (a
        pair scored when the store was small weighed its terms by few documents)."""
        scorer = PairScorer.of(units, _Counts(self), self._details(units), self.config,
                               self.events)  # fmt: skip
        vectors: dict[int, dict[int, float]] = {}
        found: list[tuple[int, int, float, float]] = []
        for first, second, score, evidence in pairs:
            if first in units and second in units:
                if second not in vectors:
                    sketch = units[second]
                    vectors[second] = dict(zip(sketch.terms, sketch.weights, strict=True))
                score = scorer.score(first, second, vectors[second]) or 0.0
                evidence = scorer.evidence(first, second)
            found.append((first, second, score, evidence))
        return found

    def _candidates(self, new_items: list[int]) -> list[list[int]]:
        """For each new item in order: the stored and earlier batch items to score it with."""
        config, tables = self.config, self.tables
        documents = self.sketches.frequencies.documents
        limit = key_limit(documents)
        span = self.events.window_days * DAY
        holders: dict[int, list[int]] = defaultdict(list)
        by_street: dict[str, list[int]] = defaultdict(list)
        recent = RecentIndex(span)
        found: list[list[int]] = []
        for item, sketch in zip(new_items, self.new_units, strict=True):
            vector = dict(zip(sketch.terms, sketch.weights, strict=True))
            keys = top_rare_terms(vector, self.count, limit, config.key_terms)
            strongest = top_terms(vector, config.key_terms)
            self.keys.append(keys)
            self.strongest.append(strongest)
            shared: Counter[int] = Counter()
            near = self._near(sketch.moment)
            for key in keys:
                shared.update(holders[key])
                shared.update(tables.key_holders(key, STORED_HOLDERS, near))
            recent.count(strongest, sketch.moment, shared)
            if sketch.moment is not None:
                for term in strongest:
                    shared.update(
                        tables.recent_holders(term, sketch.moment - span, sketch.moment + span)
                    )
            chosen = dict.fromkeys(e for e, _ in shared.most_common(config.max_candidates))
            for street in self.sketches.rare_streets(sketch.streets):
                chosen.update(dict.fromkeys(by_street[street]))
                chosen.update(dict.fromkeys(tables.street_holders(street, STORED_HOLDERS)))
            found.append([e for e in chosen if e != item])
            for key in keys:
                holders[key].append(item)
            for street in sketch.streets:
                by_street[street].append(item)
            recent.add(strongest, sketch.moment, item)
        return found

    def _near(self, moment: float | None) -> tuple[float, float] | None:
        """The times a stored candidate may have and still be paired (undated: any)."""
        if moment is None:
            return None
        gap = self.events.max_gap_days * DAY
        return moment - gap, moment + gap

    def _details(self, units: dict[int, Sketch]) -> ItemDetails:
        missing = {i: s for i, s in units.items() if i not in self.details}
        if missing:
            names = self.names
            counts = _Counts(self)
            rare = self.config.rare_name_documents
            documents = self.sketches.frequencies.documents
            distinctive = max(rare, self.config.distinctive_share * documents)
            for item, sketch in missing.items():
                self.details[item] = (
                    names_within(sketch, names, counts, rare),
                    names_within(sketch, names, counts, distinctive),
                    self.sketches.rare_streets(sketch.streets),
                )
        return ItemDetails(
            rare_names={i: self.details[i][0] for i in units},
            distinctive={i: self.details[i][1] for i in units},
            rare_streets={i: self.details[i][2] for i in units},
        )

    def save(
        self, new_items: list[int], ordered: list[Article], members: dict[int, Member]
    ) -> None:
        """Store the batch's sketches, terms, tails, furniture and index entries."""
        self.sketches.save()
        rows = []
        for item, article, sketch in zip(new_items, ordered, self.sketches.items, strict=True):
            member = members[item]
            rows.append(SketchRow(item, article.id, article.title, article.outlet,
                                  member.published, member.moment, encode(sketch)))  # fmt: skip
        self.tables.save_sketches(rows)
        indexed = list(zip(new_items, self.new_units, strict=True))
        save_indexes(self.tables, indexed, self.keys, self.strongest)


def save_indexes(
    tables: ClusterTables,
    sketches: list[tuple[int, Sketch]],
    keys: Sequence[list[int]],
    strongest: Sequence[list[int]],
) -> None:
    """Index each (item, sketch) by its rare keys, its strongest terms (when dated) and its
    streets, for the candidate searches of later batches."""
    tables.save_keys(
        (key, item, sketch.moment)
        for (item, sketch), found in zip(sketches, keys, strict=True)
        for key in found
    )
    tables.save_recent(
        (term, sketch.moment, item)
        for (item, sketch), found in zip(sketches, strongest, strict=True)
        if sketch.moment is not None
        for term in found
    )
    tables.save_streets((street, item) for item, sketch in sketches for street in sketch.streets)


class _Counts:
    """Document counts by term id, for the pair scorer."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch

    def __getitem__(self, term: int, /) -> int:
        return self.batch.count(term)


class _StoredSketches(Sketches):
    """Sketches of one batch, with term ids, counts, tails and furniture from the store."""

    def __init__(
        self, tables: ClusterTables, config: ConsolidationConfig, boost: float, failures: FailureLog
    ) -> None:
        super().__init__(config, boost, failures)
        self.tables = tables
        self.by_id: dict[int, str] = {}
        self.next_id = tables.next_term_id()
        self.frequencies.documents = tables.documents()
        self.boilerplate = set(tables.boilerplate_tails(config.boilerplate_titles))
        self.segment_keys: set[int] = set()

    def term_id(self, term: str) -> int:
        number = self.vocabulary.get(term)
        if number is None:
            number = self.vocabulary[term] = self.next_id
            self.by_id[number] = term
            self.next_id += 1
        return number

    def sketch_all(self, inputs: list[ClusterInput]) -> None:
        """Sketch the batch in order, each with the document counts so far."""
        tails = sorted({t for a in inputs if (t := title_tail(a.title)) is not None})
        self.tails.update(self.tables.tail_counts(tails))
        for article in inputs:
            if article.moment is not None:
                body = article.analysed().body
                self.segment_keys.update(s.key for s in body if s.key is not None)
        self.furniture.recall(self.tables.furniture(sorted(self.segment_keys)))
        prepared: list[Prepared | None] = []
        for article in inputs:
            try:
                prepared.append(self.prepare(article))
            except Exception as error:  # one article must not stop the batch
                self.failures(article.id, error)
                prepared.append(None)
        self._load({term for found in prepared if found for term in found.terms.counts})
        for article, found in zip(inputs, prepared, strict=True):
            try:
                self.items.append(EMPTY if found is None else self.finish(article, found))
            except Exception as error:  # one article must not stop the batch
                self.failures(article.id, error)
                self.items.append(EMPTY)

    def _load(self, terms: set[str]) -> None:
        known = self.tables.terms(sorted(terms))
        for term, (number, documents) in known.items():
            self.vocabulary[term] = number
            self.by_id[number] = term
            self.frequencies.counts[term] = documents
        for term in sorted(terms - known.keys()):
            self.term_id(term)

    def rare_streets(self, named: frozenset[str]) -> frozenset[str]:
        most = self.config.rare_street_documents
        return frozenset(s for s in named if self._street_count(s, most + 1) <= most)

    def _street_count(self, street: str, enough: int) -> int:
        stored = len(self.tables.street_holders(street, enough))
        return stored + self.street_counts.get(street, 0)

    def save(self) -> None:
        counts = self.frequencies.counts
        self.tables.save_terms(
            (number, term, counts.get(term, 0)) for term, number in self.vocabulary.items()
        )
        self.tables.set_documents(self.frequencies.documents)
        self.tables.save_tails(self.tails.items())
        self.tables.save_furniture(self.furniture.sightings(self.segment_keys))


class _Writer:
    """Names the groups of a region, writes their events, then links their storylines."""

    def __init__(self, tables: ClusterTables, region: _Region, rewrite_all: bool) -> None:
        self.tables = tables
        self.region = region
        self.rewrite_all = rewrite_all  # after a rebuild cleared every event
        self.old_sizes = Counter(region.olds.values())  # items of each old event

    def write(self, groups: list[list[int]]) -> ClusterChanges:
        region = self.region
        for group in groups:
            group.sort(key=lambda item: _time_key(region.members[item], item))
        groups.sort(key=lambda group: _time_key(region.members[group[0]], group[0]))
        names, redirects = self._name(groups)
        changed = [
            (name, group) for name, group in zip(names, groups, strict=True)
            if self.rewrite_all or not self._unchanged(name, group)
        ]  # fmt: skip
        rows = [self._event(name, group) for name, group in changed]
        gone = sorted(redirects)
        self.tables.drop_events(gone)
        self.tables.unredirect(names)
        for old_id, (new_id, why) in sorted(redirects.items()):
            self.tables.redirect(old_id, new_id, why)
        self.tables.assign((name, item) for name, group in changed for item in group)
        self.tables.save_events([row for row, _ in rows], [s for _, found in rows for s in found])
        storylines = _Storylines(self.tables).link([row for row, _ in rows], gone)
        return ClusterChanges(
            changed=[name for name, _ in changed],
            redirects={old: new for old, (new, _) in redirects.items()},
            storylines=storylines,
        )

    def _unchanged(self, name: str, group: list[int]) -> bool:
        """The group is exactly the old event of its name."""
        olds = self.region.olds
        return all(olds.get(item) == name for item in group) and self.old_sizes[name] == len(group)

    def _name(self, groups: list[list[int]]) -> tuple[list[str], dict[str, tuple[str, str]]]:
        """Each group's id: the old event it shares most items with, else a new one; and
        where each old event that lost its id went."""
        olds = self.region.olds
        overlaps = [Counter(olds[i] for i in group if olds.get(i)) for group in groups]
        ranked = sorted(
            ((count, -index, old) for index, found in enumerate(overlaps)
             for old, count in found.items() if old),
            key=lambda entry: (-entry[0], -entry[1], entry[2]),
        )  # fmt: skip
        names: list[str | None] = [None] * len(groups)
        taken: set[str] = set()
        for _, negative, old in ranked:
            index = -negative
            if names[index] is None and old not in taken:
                names[index] = old
                taken.add(old)
        fresh = [self._fresh_id(group) for group, name in zip(groups, names, strict=True)
                 if name is None]  # fmt: skip
        in_use = self.tables.event_ids_in_use(fresh) | taken | set(filter(None, olds.values()))
        for index, group in enumerate(groups):
            if names[index] is None:
                names[index] = _unique(self._fresh_id(group), in_use)
                in_use.add(names[index] or "")
        final = [name or "" for name in names]
        return final, self._redirects(groups, final, overlaps, taken)

    def _fresh_id(self, group: list[int]) -> str:
        return "ev-" + self.region.members[group[0]].article_id[:12]

    def _redirects(
        self,
        groups: list[list[int]],
        names: list[str],
        overlaps: list[Counter[str | None]],
        taken: set[str],
    ) -> dict[str, tuple[str, str]]:
        spread: dict[str, Counter[int]] = defaultdict(Counter)
        for index, found in enumerate(overlaps):
            for old, count in found.items():
                if old:
                    spread[old][index] += count
        redirects: dict[str, tuple[str, str]] = {}
        for old, where in spread.items():
            if old in taken:
                continue
            index, _ = where.most_common(1)[0]
            redirects[old] = (names[index], "merged" if len(where) == 1 else "split")
        return redirects

    def _event(self, name: str, group: list[int]) -> tuple[EventRow, list[tuple[str, str, float]]]:
        region = self.region
        centroid: dict[int, float] = {}
        for item in group:
            sketch = region.units[item]
            for term, weight in zip(sketch.terms, sketch.weights, strict=True):
                centroid[term] = centroid.get(term, 0.0) + weight
        length = math.sqrt(sum(w * w for w in centroid.values())) or 1.0
        similarity = {item: dot(region.units[item], centroid) / length for item in group}
        members = [region.members[item] for item in group]
        representative = max(group, key=lambda item: (similarity[item], -item))
        named = {region.terms[t]: w for t, w in centroid.items() if t in region.terms}
        names = _names(named)
        dated = [m for m in members if m.moment is not None]
        outlets = Counter(m.outlet for m in members)
        event = Event(
            id=name, title="", size=len(group),
            representative_id=region.members[representative].article_id,
            storyline_id=self._old_storyline(name),
            first_published=dated[0].published if dated else None,
            last_published=max(dated, key=lambda m: m.moment or 0.0).published if dated else None,
            outlets=[outlet for outlet, _ in outlets.most_common()],
            key_terms=_top_names(names, KEY_TERMS),
        )  # fmt: skip
        moments = [m.moment for m in dated if m.moment is not None]
        row = EventRow(event, min(moments, default=None), max(moments, default=None), names,
                       _top_keys(names))  # fmt: skip
        return row, [(region.members[item].article_id, name, similarity[item]) for item in group]

    def _old_storyline(self, name: str) -> str:
        found = self.tables.event_rows([name]).get(name)
        return str(found["storyline_id"]) if found is not None else ""


def _time_key(member: Member, item: int) -> tuple[bool, float, int]:
    return (member.moment is None, member.moment or 0.0, item)


def _unique(wanted: str, in_use: set[str]) -> str:
    if wanted not in in_use:
        return wanted
    number = 2
    while f"{wanted}-{number}" in in_use:
        number += 1
    return f"{wanted}-{number}"


def _names(centroid: dict[str, float]) -> dict[str, float]:
    """The centroid's capitalised names, unit length, the strongest ``STORED_NAMES``."""
    names = {t: w for t, w in centroid.items() if t.startswith("@")}
    length = math.sqrt(sum(w * w for w in names.values())) or 1.0
    kept = sorted(names, key=lambda t: (-names[t], t))[:STORED_NAMES]
    return {t: round(names[t] / length, 6) for t in kept}


def _top_names(names: dict[str, float], count: int) -> list[str]:
    ranked = sorted(names, key=lambda t: (-names[t], t))[:count]
    return [term.lstrip("@").title() for term in ranked]


def _top_keys(names: dict[str, float]) -> list[str]:
    return sorted(names, key=lambda t: (-names[t], t))[:TOP_NAMES]


class _Storylines:
    """Links changed events to the events whose names agree, and rewrites the storylines
    that changed (single link, as :func:`~newsweave.events.storylines.link_storylines`)."""

    def __init__(self, tables: ClusterTables) -> None:
        self.tables = tables

    def link(self, rows: list[EventRow], gone_events: list[str]) -> list[str]:
        touched: set[str] = set()
        order = sorted(rows, key=lambda r: (r.first_utc is None, r.first_utc or 0.0, r.event.id))
        for row in order:
            touched |= self._link_one(row)
        return self._rewrite(sorted(touched - {""}))

    def _link_one(self, row: EventRow) -> set[str]:
        """Give the event a storyline; the storylines touched."""
        event = row.event
        named = self.tables.events_named(row.name_keys, row.first_utc or 0.0, NEAREST_EVENTS)
        candidates = [e for e in named if e != event.id]
        stored = self.tables.event_rows(candidates)
        linked = [
            r for r in stored.values()
            if r["storyline_id"] and cosine(row.names, json.loads(r["names"])) >= LINK
        ]  # fmt: skip
        own = self.tables.event_rows([event.id])[event.id]["storyline_id"]
        touched = {str(own)}
        if linked:
            first = min(linked, key=lambda r: (r["first_utc"] is None, r["first_utc"] or 0.0))
            target = str(first["storyline_id"])
            others = sorted({str(r["storyline_id"]) for r in linked} - {target})
            self.tables.move_storylines(others, target)
            self.tables.set_storyline([event.id], target)
            for old in others:
                self.tables.redirect(old, target, "merged")
            return touched | set(others) | {target}
        if own and self._alone_or_kept(str(own)):
            return touched
        wanted = "st-" + event.id.removeprefix("ev-")
        fresh = _unique(wanted, self.tables.storyline_ids_in_use([wanted]))
        self.tables.set_storyline([event.id], fresh)
        return touched | {fresh}

    def _alone_or_kept(self, storyline_id: str) -> bool:
        """An event keeps the storyline it had (storylines only grow by linking)."""
        return bool(self.tables.storyline_ids_in_use([storyline_id]))

    def _rewrite(self, storyline_ids: list[str]) -> list[str]:
        rows = self.tables.events_of_storylines(storyline_ids)
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            grouped[str(row["storyline_id"])].append(row)
        self.tables.drop_storylines([s for s in storyline_ids if s not in grouped])
        written = [self._storyline(s, found) for s, found in sorted(grouped.items())]
        self.tables.save_storylines(written)
        return [s.id for s in written]

    @staticmethod
    def _storyline(storyline_id: str, rows: list[dict[str, Any]]) -> Storyline:
        merged: dict[str, float] = {}
        size = 0
        first: tuple[float, str | None] | None = None
        last: tuple[float, str | None] | None = None
        for record in rows:
            size += int(record["size"])
            for term, weight in json.loads(record["names"]).items():
                merged[term] = merged.get(term, 0.0) + weight
            if record["first_utc"] is not None:
                start = (float(record["first_utc"]), record["first_published"])
                first = start if first is None or start < first else first
            if record["last_utc"] is not None:
                end = (float(record["last_utc"]), record["last_published"])
                last = end if last is None or end > last else last
        title = " · ".join(_top_names(merged, 3)) or storyline_id
        return Storyline(
            id=storyline_id, title=title, event_ids=[], articles=size,
            first_published=first[1] if first else None,
            last_published=last[1] if last else None,
        )  # fmt: skip


def update_events(
    store: SQLiteStore,
    config: EventConfig | None = None,
    *,
    rebuild: bool = False,
    progress: StepProgress | None = None,
    failures: FailureLog | None = None,
) -> ClusterChanges:
    """Bring the store's events up to date in one transaction: the articles added or changed
    since the last run are clustered in, or with ``rebuild`` (or state of another version)
    every article is clustered again."""
    store.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # the indexes' upper pages stay read
    with store.transaction():
        store.execute("PRAGMA defer_foreign_keys = ON")  # events are rewritten in steps
        built_from = store.mark("articles")
        tables = store.clustering
        documents = partial(documents_of, store, keep=True)
        engine = IncrementalEvents(tables, config, None, failures, progress, documents)
        last = tables.last_article_pk()
        if rebuild or not engine.ready():
            changes = engine.rebuild(store.iter_articles_in_order())
        else:
            changes = engine.add(*_waiting(store, tables, last))
        tables.set_mark("sketched_pk", last)
        tables.clear_dirty(tables.dirty_article_ids())
        store.set_mark("events_from", built_from)
    return changes


def _waiting(
    store: SQLiteStore, tables: ClusterTables, last: int
) -> tuple[list[Article], dict[str, str]]:
    """Articles added since the last run (up to ``last``), and those changed since they
    were clustered (their old sketches are forgotten, so they are clustered afresh)."""
    changed = tables.dirty_article_ids()
    items = tables.items_of_articles(changed)
    events = tables.events_of_items(sorted(items.values()))
    previous = {a: e for a, item in items.items() if (e := events.get(item)) is not None}
    tables.forget_sketches(sorted(items.values()))
    ids = [article_id for pk, article_id in tables.new_article_ids() if pk <= last]
    found = (store.get_article(article_id) for article_id in dict.fromkeys([*changed, *ids]))
    return [article for article in found if article is not None], previous
