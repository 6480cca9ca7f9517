"""Batch consolidation: average-link clustering of articles over locally scaled similarities.

The online pass reads each article once and cannot undo an early wrong join. Worse, one
global cosine cut-off cannot fit both a quiet news day and a crowded topic, where two events
of the same kind (two rehab stays, two deaths of Watergate figures) are more alike than the
articles of one thinly covered event. This pass re-clusters a whole set of articles:

1. Each article becomes a compact sketch: its strongest terms (title boilerplate such as
   outlet names and page furniture, sentences another article carried days before,
   removed), the ages it gives people, the days and years it names (relative
   days resolved against its publication date), the streets it names and its time.
2. Candidate pairs come from an inverted index on each article's strongest rare terms (as
   the online pass finds its candidate events) and from one on the strongest terms of any
   kind of the articles of the last ``window_days``, at most ``max_candidates`` per article;
   and from the articles that name the same rare street, however far apart.
3. A pair's score is the TF-IDF cosine of the sketches (final IDF) minus the online time
   penalty. The penalty is lifted for a follow-up: the two share rare names or a named day,
   or one names the day the other came out. Conflicts cost a fixed amount each: ages that
   all differ (a 16-year-old is not the 17-year-old of the same town's other shooting),
   named days that all differ (both dated), named years that all differ (both undated), and
   distinctive names hardly shared (two same-day fires in two towns).
4. **Local scaling**: an article's density is the score of its ``neighbours``-th best
   candidate, never below ``density_floor``; a pair's score is divided by the geometric mean
   of its two densities. In a crowded topic the bar rises; in sparse news it stays at
   ``threshold * density_floor``.
5. Details in which two reports of one event agree then count on the scaled score: an age
   both give, a day both name, a rare street both name; and against it, streets named on
   both sides of which none is the same (two shootings in one town).
6. Average-link agglomeration over the sparse pair graph (absent pairs count as 0) merges
   while the mean scaled score between two clusters reaches ``threshold``.

Candidates per article are bounded, and each sketch holds at most ``sketch_terms`` terms in
two arrays, so time and memory grow linearly with the number of articles.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple, Protocol, TypeVar

from newsweave.events.failures import FailureLog
from newsweave.events.features import (
    DAY,
    DocumentFrequencies,
    PageFurniture,
    Terms,
    own_title,
    title_tail,
)
from newsweave.events.online import (
    ClusterInput,
    EventConfig,
    key_limit,
    late_penalty,
    top_rare_terms,
    top_terms,
)
from newsweave.model import Sentence

Pair = tuple[int, int]
REFER_BACK_DAYS = 1
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
# Told (step, done, total) when a step starts, every REPORT_EVERY items and when it ends.
StepProgress = Callable[[str, int, int | None], None]
REPORT_EVERY = 256


def reported(
    items: Iterable[T], step: str, progress: StepProgress | None, total: int | None = None
) -> Iterable[T]:
    """``items`` as they are, telling ``progress`` how many are done (the total is
    ``len(items)`` when ``items`` has one)."""
    if progress is None:
        return items
    if total is None and isinstance(items, Sized):
        total = len(items)
    return _reporting(items, step, progress, total)


def _reporting(
    items: Iterable[T], step: str, progress: StepProgress, total: int | None
) -> Iterator[T]:
    progress(step, 0, total)
    done = 0
    for item in items:
        yield item
        done += 1
        if done % REPORT_EVERY == 0:
            progress(step, done, total)
    progress(step, done, total)


@dataclass(frozen=True, slots=True)
class ConsolidationConfig:
    """The frozen settings of the batch pass (the same for every corpus)."""

    neighbours: int = 8  # a pair is scaled by the score of each side's 8th best candidate
    density_floor: float = 0.15  # ... never below this
    threshold: float = 0.7  # mean scaled score two clusters need to merge
    key_terms: int = 20  # an article's strongest rare terms, used to find candidate pairs
    max_candidates: int = 40  # earlier articles sharing the most of them are compared
    sketch_terms: int = 250  # terms kept of each article
    boilerplate_titles: int = 3  # a title tail seen this often is boilerplate
    rare_name_documents: int = 5  # names in at most this many articles are rare ...
    shared_rare_names: int = 2  # ... and sharing this many lifts the time penalty
    age_conflict: float = 0.1  # taken off a pair whose ages all differ
    name_conflict: float = 0.1  # taken off a pair that names different people and places ...
    distinctive_names: int = 2  # ... each at least this many distinctive names ...
    distinctive_share: float = 0.03  # ... names in at most this share of the articles ...
    names_shared: float = 0.2  # ... sharing at most this share of the fewer side's names
    day_conflict: float = 0.1  # taken off a pair whose named days all differ
    year_conflict: float = 0.1  # taken off an undated pair whose named years all differ
    day_text: int = 3000  # characters read for named days
    # Details two reports of one event share, added to (or taken off) the scaled score:
    age_agreement: float = 0.6  # an age both give
    day_agreement: float = 0.6  # a day both name
    street_agreement: float = 0.6  # a rare street both name (also finds candidate pairs)
    rare_street_documents: int = 5  # a street named in at most this many articles is rare
    street_conflict: float = 0.8  # both name streets, none the same
    furniture_days: float = 3.0  # a sentence carried this long before is page furniture


@dataclass(frozen=True, slots=True)
class Sketch:
    """What the batch pass keeps of an article: its strongest terms, details and time."""

    terms: array[int]  # term ids
    weights: array[float]  # sublinear term frequency (names boosted), then unit TF-IDF
    ages: frozenset[int]
    days: frozenset[date]
    years: frozenset[int]  # of the days, months and years named
    streets: frozenset[str]
    moment: float | None


class Prepared(NamedTuple):
    """An article's analysed title and body less its page furniture, and its terms."""

    title: Sequence[Sentence]
    body: Sequence[Sentence]
    terms: Terms


EMPTY = Sketch(array("i"), array("f"), frozenset(), frozenset(), frozenset(), frozenset(), None)


class Sketches:
    """Articles read once into compact sketches, with the document frequencies of all."""

    def __init__(
        self, config: ConsolidationConfig, name_boost: float, failures: FailureLog | None = None
    ) -> None:
        self.config = config
        self.name_boost = name_boost
        self.failures = failures or FailureLog()
        self.frequencies = DocumentFrequencies()
        self.vocabulary: dict[str, int] = {}
        self.items: list[Sketch] = []
        self.tails: Counter[str] = Counter()  # title tails seen so far ...
        self.boilerplate: set[str] = set()  # ... and those seen often enough to drop
        self.street_counts: Counter[str] = Counter()  # articles naming each street
        self.furniture = PageFurniture(config.furniture_days)

    def read(self, articles: Iterable[ClusterInput]) -> None:
        for article in articles:
            self.add(article)

    def add(self, article: ClusterInput) -> None:
        """Sketch one more article (title tails seen often so far count as boilerplate).

        An article that cannot be sketched is told to ``failures`` and gets an empty sketch:
        nothing leads to it, so it forms an event of its own.
        """
        try:
            sketch = self.finish(article, self.prepare(article))
        except Exception as error:  # one article must not stop the build
            self.failures(article.id, error)
            sketch = EMPTY
        self.items.append(sketch)

    def prepare(self, article: ClusterInput) -> Prepared:
        """The article's own text and terms: title boilerplate and page furniture left out.
        Articles must be prepared in the order they are finished."""
        tail = title_tail(article.title)
        if tail is not None:
            self.tails[tail] += 1
            if self.tails[tail] >= self.config.boilerplate_titles:
                self.boilerplate.add(tail)
        document = article.analysed()
        if document.problem is not None:  # clustered on what could be read
            self.failures.tell(article.id, document.problem)
        body = self.furniture.strip(document.body, article.moment)
        heading = own_title(article.title, document.title, self.boilerplate)
        return Prepared(document.title, body, Terms.of(heading, body))

    def finish(self, article: ClusterInput, prepared: Prepared) -> Sketch:
        """The sketch, its terms weighed by the IDF seen so far (this article counted)."""
        title, body, terms = prepared
        self.frequencies.add(terms)
        vector = self.frequencies.vector(terms, self.name_boost)  # the IDF seen so far
        kept = top_terms(vector, self.config.sketch_terms)
        whole = [*title, *body]
        timed = [*title, *leading(body, self.config.day_text)]
        named_streets = frozenset(street for s in whole for street in s.streets)
        self.street_counts.update(named_streets)
        return Sketch(
            terms=array("i", [self.term_id(t) for t in kept]),
            weights=array("f", [self._frequency(t, terms.counts[t]) for t in kept]),
            ages=frozenset(age for s in whole for age in s.ages),
            days=frozenset(day for s in timed for day in s.days),
            years=frozenset(year for s in timed for year in s.years),
            streets=named_streets,
            moment=article.moment,
        )

    def term_id(self, term: str) -> int:
        return self.vocabulary.setdefault(term, len(self.vocabulary))

    def _frequency(self, term: str, count: int) -> float:
        weight = 1.0 + math.log(count)
        return weight * self.name_boost if term.startswith("@") else weight

    def weigh(self) -> None:
        """Turn each sketch's term frequencies into unit TF-IDF weights (final IDF), in place."""
        idf = [self.frequencies.idf(name) for name in self.vocabulary]
        for sketch in self.items:
            weights = sketch.weights
            for position, term in enumerate(sketch.terms):
                weights[position] *= idf[term]
            length = math.sqrt(sum(w * w for w in weights)) or 1.0
            for position in range(len(weights)):
                weights[position] /= length

    def document_counts(self) -> list[int]:
        counts = self.frequencies.counts
        return [counts.get(name, 0) for name in self.vocabulary]

    def name_ids(self) -> set[int]:
        return {number for name, number in self.vocabulary.items() if name.startswith("@")}


def consolidate(
    articles: Iterable[ClusterInput],
    config: ConsolidationConfig | None = None,
    events: EventConfig | None = None,
    progress: StepProgress | None = None,
    failures: FailureLog | None = None,
) -> list[int]:
    """A cluster number per article (numbered by first appearance), in the given order.

    ``progress`` is told of the steps "sketching", "pairing" and "merging"; ``failures``
    of each article that could not be sketched in full (it is clustered on what could be).
    """
    config = config or ConsolidationConfig()
    events = events or EventConfig()
    sketches = Sketches(config, events.name_boost, failures)
    sketches.read(reported(articles, "sketching", progress))
    scorer = PairScorer(sketches, config, events)
    scores = scorer.scores(progress)
    if progress:
        progress("merging", 0, None)
    scaled = locally_scaled(scores, len(sketches.items), config)
    judged = {pair: score + scorer.evidence(*pair) for pair, score in scaled.items()}
    labels = average_link(len(sketches.items), judged, config.threshold)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(label, len(numbers)) for label in labels]


class Indexed(Protocol[T_co]):
    """A list, or a mapping by item number: what the scorer looks items up in."""

    def __getitem__(self, item: int, /) -> T_co: ...


@dataclass(frozen=True, slots=True)
class ItemDetails:
    """What pair scoring reads of each item beside its sketch, by item number."""

    rare_names: Indexed[frozenset[int]]  # names in at most ``rare_name_documents`` articles
    distinctive: Indexed[frozenset[int]]  # names in at most the distinctive share
    rare_streets: Indexed[frozenset[str]]  # streets in at most ``rare_street_documents``


class PairScorer:
    """The time-aware score of every candidate pair of sketches."""

    def __init__(self, sketches: Sketches, config: ConsolidationConfig, events: EventConfig):
        sketches.weigh()
        self.items: Indexed[Sketch] = sketches.items
        self.config = config
        self.events = events
        self.counts: Indexed[int] = sketches.document_counts()
        self.keys: list[list[int]] = []  # each item's rare index terms, filled by scores()
        self.strongest: list[list[int]] = []  # ... and its strongest terms
        self.details = item_details(
            sketches.items, self.counts, sketches.name_ids(), sketches.street_counts, config
        )

    @classmethod
    def of(
        cls,
        items: Indexed[Sketch],
        counts: Indexed[int],
        details: ItemDetails,
        config: ConsolidationConfig,
        events: EventConfig,
    ) -> PairScorer:
        """A scorer over items looked up by number (weights already unit TF-IDF)."""
        scorer = cls.__new__(cls)
        scorer.items, scorer.counts, scorer.details = items, counts, details
        scorer.config, scorer.events = config, events
        scorer.keys, scorer.strongest = [], []
        return scorer

    @property
    def rare_names(self) -> Indexed[frozenset[int]]:
        return self.details.rare_names

    @property
    def distinctive(self) -> Indexed[frozenset[int]]:
        return self.details.distinctive

    @property
    def rare_streets(self) -> Indexed[frozenset[str]]:
        return self.details.rare_streets

    def scores(self, progress: StepProgress | None = None) -> dict[Pair, float]:
        """Score of each candidate pair ``(earlier, later)`` (by position), over all the
        items of the sketches the scorer was made from."""
        items = self.items
        assert isinstance(items, list), "scores() pairs the items of one Sketches"
        limit = key_limit(len(items))
        holders: dict[int, list[int]] = defaultdict(list)
        recent = RecentIndex(self.events.window_days * DAY)
        by_street: dict[str, list[int]] = defaultdict(list)
        found: dict[Pair, float] = {}
        for later, sketch in enumerate(reported(items, "pairing", progress)):
            vector = dict(zip(sketch.terms, sketch.weights, strict=True))
            keys = top_rare_terms(vector, self.counts.__getitem__, limit, self.config.key_terms)
            moment = sketch.moment
            strongest = top_terms(vector, self.config.key_terms)
            self.keys.append(keys)
            self.strongest.append(strongest)
            shared: Counter[int] = Counter()
            for key in keys:
                shared.update(holders[key])
            recent.count(strongest, moment, shared)
            candidates = dict.fromkeys(e for e, _ in shared.most_common(self.config.max_candidates))
            for street in self.rare_streets[later]:
                candidates.update(dict.fromkeys(by_street[street]))
            for earlier in candidates:
                score = self.score(earlier, later, vector)
                if score is not None and score > 0.0:  # absent pairs count as 0 anyway
                    found[(earlier, later)] = score
            for key in keys:
                holders[key].append(later)
            for street in self.rare_streets[later]:
                by_street[street].append(later)
            recent.add(strongest, moment, later)
        return found

    def score(self, first: int, second: int, vector: dict[int, float]) -> float | None:
        """The score of ``first`` with ``second``, whose weights by term are ``vector``."""
        one, other = self.items[first], self.items[second]
        penalty = pair_time_penalty(one.moment, other.moment, self.events)
        if penalty is None:
            return None
        same_day = bool(one.days & other.days)
        if penalty and (same_day or self._follow_up(first, second)):
            penalty = 0.0  # the same day or the same rare names, weeks later
        score = dot(one, vector) - penalty
        if one.ages and other.ages and not one.ages & other.ages:
            score -= self.config.age_conflict
        if self._days_differ(one, other):
            score -= self.config.day_conflict
        if _years_differ(one, other):
            score -= self.config.year_conflict
        if self._names_differ(first, second):
            score -= self.config.name_conflict
        return score

    def evidence(self, first: int, second: int) -> float:
        """What the two share or contradict in detail, in units of the scaled score."""
        one, other = self.items[first], self.items[second]
        config = self.config
        found = 0.0
        if one.ages & other.ages:
            found += config.age_agreement
        if one.days & other.days:
            found += config.day_agreement
        if self.rare_streets[first] & self.rare_streets[second]:
            found += config.street_agreement
        elif one.streets and other.streets and not one.streets & other.streets:
            found -= config.street_conflict
        return found

    @staticmethod
    def _days_differ(one: Sketch, other: Sketch) -> bool:
        """Both dated (so relative days are resolved), both name days, and none agree."""
        dated = one.moment is not None and other.moment is not None
        return dated and bool(one.days) and bool(other.days) and not one.days & other.days

    def _names_differ(self, first: int, second: int) -> bool:
        """Both name enough distinctive people or places, and (almost) none is the same."""
        one, other = self.distinctive[first], self.distinctive[second]
        fewer = min(len(one), len(other))
        shared = len(one & other)
        return fewer >= self.config.distinctive_names and shared <= self.config.names_shared * fewer

    def _follow_up(self, first: int, second: int) -> bool:
        """One names the day the other came out, or the two share rare names."""
        if _refers_back(self.items[first], self.items[second]):
            return True
        shared = self.rare_names[first] & self.rare_names[second]
        return len(shared) >= self.config.shared_rare_names


def item_details(
    items: Sequence[Sketch],
    counts: Indexed[int],
    names: Container[int],
    street_counts: Mapping[str, int],
    config: ConsolidationConfig,
    documents: int | None = None,
) -> ItemDetails:
    """The rare and distinctive names and rare streets of each item, by position."""
    rare = config.rare_name_documents
    distinctive = max(rare, config.distinctive_share * (documents or len(items)))
    common = config.rare_street_documents
    return ItemDetails(
        rare_names=[names_within(s, names, counts, rare) for s in items],
        distinctive=[names_within(s, names, counts, distinctive) for s in items],
        rare_streets=[
            frozenset(name for name in s.streets if street_counts.get(name, 0) <= common)
            for s in items
        ],
    )


def names_within(
    sketch: Sketch, names: Container[int], counts: Indexed[int], most: float
) -> frozenset[int]:
    """The sketch's names found in at most ``most`` articles."""
    return frozenset(t for t in sketch.terms if t in names and counts[t] <= most)


class RecentIndex:
    """Articles of the last ``span`` seconds by their strongest terms, common ones included.

    Rare terms find a follow-up months later; near in time, two reports of one event may
    share only common words ("Houston", "party", "wounded"). Articles must come in time order.
    """

    def __init__(self, span: float) -> None:
        self.span = span
        self.holders: dict[int, deque[tuple[float, int]]] = defaultdict(deque)

    def count(self, terms: list[int], moment: float | None, shared: Counter[int]) -> None:
        """Add to ``shared`` one per term each recent article has in common with ``terms``."""
        if moment is None:
            return
        for term in terms:
            held = self.holders.get(term)
            if not held:
                continue
            while held and held[0][0] < moment - self.span:
                held.popleft()
            shared.update(item for _, item in held)

    def add(self, terms: list[int], moment: float | None, item: int) -> None:
        if moment is not None:
            for term in terms:
                self.holders[term].append((moment, item))


def _years_differ(one: Sketch, other: Sketch) -> bool:
    """Both undated (time says nothing), both name years, and none agree."""
    undated = one.moment is None and other.moment is None
    return undated and bool(one.years) and bool(other.years) and not one.years & other.years


def _refers_back(one: Sketch, other: Sketch) -> bool:
    """Either names a day within a day of the other's publication ("the May 3 shooting")."""
    return _names_day_near(one, other) or _names_day_near(other, one)


def _names_day_near(one: Sketch, other: Sketch) -> bool:
    published = _utc_day(other.moment)
    if published is None:
        return False
    return any(abs((day - published).days) <= REFER_BACK_DAYS for day in one.days)


def _utc_day(moment: float | None) -> date | None:
    """The UTC day of a moment; None when undated or off the calendar (a moment early on
    0001-01-01 east of UTC falls in year 0)."""
    if moment is None:
        return None
    try:
        return datetime.fromtimestamp(moment, UTC).date()
    except (OverflowError, ValueError, OSError):
        return None


def leading(sentences: Sequence[Sentence], characters: int) -> list[Sentence]:
    """The first sentences, up to the one that takes their length past ``characters``."""
    found, read = [], 0
    for sentence in sentences:
        if read >= characters:
            break
        found.append(sentence)
        read += sentence.end - sentence.start + 1
    return found


def pair_time_penalty(
    first: float | None, second: float | None, events: EventConfig
) -> float | None:
    """The online penalty for two moments; None beyond ``max_gap_days`` (0 when undated)."""
    if first is None or second is None:
        return 0.0
    return late_penalty(abs(second - first) / DAY, events)


def locally_scaled(
    scores: dict[Pair, float], size: int, config: ConsolidationConfig
) -> dict[Pair, float]:
    """Each score divided by the geometric mean of its two items' densities."""
    by_item: list[list[float]] = [[] for _ in range(size)]
    for (first, second), score in scores.items():
        by_item[first].append(score)
        by_item[second].append(score)
    return scaled_by_density(scores, by_item, config)


def scaled_by_density(
    scores: dict[Pair, float], by_item: list[list[float]], config: ConsolidationConfig
) -> dict[Pair, float]:
    """Each score divided by the geometric mean of its two items' densities, read from
    ``by_item``: every score of each item (also with items not in ``scores``)."""
    density = [_density(found, config) for found in by_item]
    return {
        (first, second): score / math.sqrt(density[first] * density[second])
        for (first, second), score in scores.items()
    }


def _density(found: list[float], config: ConsolidationConfig) -> float:
    if not found:
        return config.density_floor
    best = heapq.nlargest(config.neighbours, found)
    return max(config.density_floor, best[-1])


def average_link(size: int, scores: dict[Pair, float], threshold: float) -> list[int]:
    """Average-link agglomeration over a sparse score graph; a root index per item.

    Absent pairs count as 0. Merges go best first while the mean score between two
    clusters reaches ``threshold``.

    >>> average_link(4, {(0, 1): 0.9, (1, 2): 0.6, (0, 2): 0.5, (2, 3): 0.1}, 0.5)
    [0, 0, 0, 3]
    >>> average_link(3, {(0, 1): 0.9, (1, 2): 0.6}, 0.5)  # (0, 2) absent: mean 0.3
    [0, 0, 2]
    """
    totals: list[dict[int, float]] = [{} for _ in range(size)]  # summed scores between clusters
    for (first, second), score in scores.items():
        totals[first][second] = score
        totals[second][first] = score
    members = [1] * size
    version = [0] * size
    parent = list(range(size))
    queue = [(-s, a, b, 0, 0) for (a, b), s in scores.items() if s >= threshold]
    heapq.heapify(queue)
    while queue:
        _, keep, gone, keep_version, gone_version = heapq.heappop(queue)
        if version[keep] != keep_version or version[gone] != gone_version:
            continue  # one side has changed (or gone) since this entry was queued
        parent[gone] = keep
        version[gone] = -1
        version[keep] += 1
        members[keep] += members[gone]
        _absorb(totals, keep, gone)
        for other, total in totals[keep].items():
            mean = total / (members[keep] * members[other])
            if mean >= threshold:
                heapq.heappush(queue, (-mean, keep, other, version[keep], version[other]))
    return [_root(parent, item) for item in range(size)]


def _absorb(totals: list[dict[int, float]], keep: int, gone: int) -> None:
    for other, total in totals[gone].items():
        if other == keep:
            continue
        del totals[other][gone]
        merged = totals[keep].get(other, 0.0) + total
        totals[keep][other] = merged
        totals[other][keep] = merged
    totals[keep].pop(gone, None)
    totals[gone] = {}


def _root(parent: list[int], item: int) -> int:
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def dot(sketch: Sketch, vector: dict[int, float]) -> float:
    get = vector.get
    pairs = zip(sketch.terms, sketch.weights, strict=True)
    return sum([weight * get(term, 0.0) for term, weight in pairs])
