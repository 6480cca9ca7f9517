"""The JSON shapes of the REST API, for its OpenAPI schema: one model per record exported
from :mod:`newsweave`, describing what the record's ``to_dict()`` (or ``listing()``) gives,
which is also what ``newsweave … --json`` prints for it.

The models describe; they do not reshape. Every field a record's JSON has is required (a
field that may be empty is nullable), and a key a model does not name yet is passed through
rather than dropped (``extra="allow"``); the tests check that no record carries such a key.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")
Span = tuple[int, int]


class Shape(BaseModel):
    """A JSON object the API answers with."""

    model_config = ConfigDict(extra="allow")


class Error(Shape):
    """Every error: a message, or (for a malformed parameter) the validation errors."""

    detail: str | list[dict[str, Any]] | dict[str, Any]


class Page(Shape, Generic[T]):
    """A page of a list; ``next_offset`` is None on the last page, ``total`` when unknown."""

    items: list[T]
    total: int | None
    limit: int
    offset: int
    next_offset: int | None


# articles


class ArticleListing(Shape):
    """``Article.listing()``: an article without its text."""

    id: str
    title: str
    outlet: str
    origin: str
    url: str | None
    published: str | None
    language: str | None
    authors: list[str]
    input_id: str | None
    thin: Literal["short", "shared"] | None
    outlet_source: Literal["field", "table", "url", "folder", "none"] | None
    published_precision: Literal["day", "time"] | None
    published_tz_assumed: bool | None


class Article(ArticleListing):
    """``Article.to_dict()``: the listing and the text."""

    text: str


class Sighting(Shape):
    article_id: str
    outlet: str
    origin: str
    url: str | None
    input_id: str | None
    title: str | None
    published: str | None
    outlet_source: str | None


class CopyLink(Shape):
    """``copy_id`` is a near-duplicate of the earlier ``origin_id``."""

    copy_id: str
    origin_id: str
    similarity: float
    containment: float


class Mention(Shape):
    start: int
    end: int
    text: str
    kind: str
    name: str
    descriptor: str | None = None  # the words describing the actor here ("rebel leader")
    descriptor_quoted: bool = False  # ... inside a quotation


class QuoteSpan(Shape):
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str | None
    parts: list[Span]


class Quantity(Shape):
    start: int
    end: int
    text: str
    value: int | float
    unit: str | None
    modifier: str | None
    counted: str | None
    role: str | None = None  # what the counted take part in ("kill", "arrest")


class TimeExpression(Shape):
    start: int
    end: int
    text: str
    first: str | None
    last: str | None
    granularity: str | None
    relative: bool


class ActionSpan(Shape):
    start: int
    end: int
    source: str
    verb: str
    target: str | None
    negated: bool
    event_type: str | None
    verb_start: int | None
    verb_end: int | None


class Attribution(Shape):
    start: int
    end: int
    text: str
    source: str
    cue: str


class Annotations(Shape):
    """Everything annotation found in one article, with character spans."""

    article_id: str
    mentions: list[Mention]
    quotes: list[QuoteSpan]
    quantities: list[Quantity]
    times: list[TimeExpression]
    actions: list[ActionSpan]
    attributions: list[Attribution]
    lemmas: dict[str, str] = {}  # each word's lemma where it differs ("troops": "troop")


class ArticleDetail(Article):
    """``ArticleDetail.to_dict()``; ``annotations`` only when asked for."""

    event_id: str | None
    sightings: list[Sighting]
    outlets: list[str]
    copy_of: CopyLink | None
    copied_by: list[CopyLink]
    annotations: Annotations | None = None


# events and storylines


class Event(Shape):
    id: str
    title: str
    size: int
    representative_id: str
    storyline_id: str
    first_published: str | None
    last_published: str | None
    outlets: list[str]
    key_terms: list[str]


class EventDetail(Event):
    """An event with its articles, oldest first."""

    articles: list[ArticleListing]


class Storyline(Shape):
    id: str
    title: str
    event_ids: list[str]
    articles: int
    first_published: str | None
    last_published: str | None


class StorylineDetail(Storyline):
    """A storyline with its events in time order."""

    events: list[Event]


# actors and quotes


class Actor(Shape):
    """``ActorSummary.to_dict()``."""

    id: str
    name: str
    kind: str
    mentions: int
    articles: int


class Quote(Shape):
    """``QuoteRecord.to_dict()``: a quote with its article, outlet and speaker actor."""

    article_id: str
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    speaker_actor: str | None
    cue: str | None
    outlet: str
    published: str | None
    spans: list[Span]
    input_id: str | None


class Action(Shape):
    """An action in PLOVER's field names, plus where it came from."""

    id: str
    date: str | None
    event: str | None
    mode: str
    context: str
    src_actor: str
    src_actor_id: str | None
    tgt_actor: str
    tgt_actor_id: str | None
    verb: str
    negated: bool
    article_id: str
    outlet: str
    start: int
    end: int


class Alias(Shape):
    text: str
    count: int


class RelatedActor(Actor):
    shared_articles: int


class ActorDetail(Actor):
    """``ActorDetail.to_dict()``: names as written, articles, quotes, actions, related."""

    aliases: list[Alias]
    article_ids: list[str]
    quotes: list[Quote]
    actions: list[Action]
    related: list[RelatedActor]


# comparison


class Statement(Shape):
    article_id: str
    outlet: str
    start: int
    end: int
    text: str


class Fact(Shape):
    statements: list[Statement]
    outlets: list[str]


class Side(Shape):
    article_id: str
    outlet: str
    text: str
    start: int
    end: int
    sentence: str
    value: Any
    modifier: str | None
    speaker: str | None


class Conflict(Shape):
    kind: str
    what: str
    sides: list[Side]


class QuoteVariant(Shape):
    speaker: str | None
    variants: list[Side]
    diffs: list[list[tuple[str, str]]]


class Misattribution(Shape):
    text: str
    sides: list[Side]


class Citation(Shape):
    article_id: str
    outlet: str
    cited: str
    cited_outlet: str | None
    text: str
    sentence: str
    start: int
    end: int


class Reuse(Shape):
    copy_id: str
    copy_outlet: str
    origin_id: str
    origin_outlet: str
    share_of_copy: float
    share_of_origin: float
    passages: list[Span]
    identical: bool
    shown: list[str] = []  # the longest shared passages' text, cut short


class Framing(Shape):
    actor: str
    by_outlet: dict[str, list[str]]  # in the outlet's own voice
    unique: dict[str, list[str]]
    loaded: dict[str, list[str]]
    quoted: dict[str, list[str]] = {}  # inside quotations the outlet ran


class SummarySentence(Shape):
    text: str
    article_id: str
    outlet: str
    start: int
    end: int
    outlets: list[str]


class ComparedArticle(Shape):
    id: str
    title: str
    outlets: list[str]
    url: str | None
    published: str | None


class Comparison(Shape):
    """``Comparison.to_dict()``: how the sources of one event differ."""

    event_id: str
    title: str
    outlets: list[str]
    articles: list[ComparedArticle]
    facts: list[Fact]
    only_in: dict[str, list[Statement]]
    left_out: dict[str, list[Statement]] = {}  # each outlet's blind spots
    conflicts: list[Conflict]
    quote_variants: list[QuoteVariant]
    misattributions: list[Misattribution]
    citations: list[Citation]
    reuse: list[Reuse]
    framing: list[Framing]
    summary: list[SummarySentence]
    differences: list[str]


# the store, outlets, the live view and writes


class Stats(Shape):
    store: str
    schema_version: int
    articles: int
    sightings: int
    exact_duplicates: int
    copies: int
    events: int
    storylines: int
    annotated: int
    actors: int
    quotes: int
    undated: int
    thin: int
    first_published: str | None
    last_published: str | None
    outlets: dict[str, int]
    languages: dict[str, int]


class Outlet(Shape):
    """``OutletSummary.to_dict()``."""

    name: str
    articles: int
    first_published: str | None
    last_published: str | None
    domains: list[str]
    aliases: list[str]
    sources: list[str]


class LiveCounts(Shape):
    articles: int
    events: int


class LiveArticle(ArticleListing):
    event_id: str | None


class Live(Shape):
    """What the live view polls: counts, the latest events, the articles stored last."""

    stats: LiveCounts
    items: list[Event]
    articles: list[LiveArticle]


class Problem(Shape):
    what: str
    where: str
    why: str


class IngestReport(Shape):
    """``IngestReport.to_dict()``; ``job`` when answered to a POST that waited."""

    read: int
    new: int
    duplicates: int
    already_stored: int
    updated: int
    copies: int
    thin: int
    skipped: int
    notices: int
    problems: list[Problem]
    passed_over: list[Problem]
    outlet_sources: dict[str, int]
    folder_outlets: dict[str, int]
    job: str | None = None


class Job(Shape):
    """A write job; ``report`` once done, ``error`` once failed."""

    id: str
    state: Literal["queued", "running", "done", "failed"]
    url: str
    queued_at: float
    finished_at: float | None
    report: IngestReport | None
    error: str | None
