"""The records of annotation: what it finds in an article, the store's actors, and the
actors and quotes the API gives. Every record found in an article carries character offsets
into the article's ``text`` (``start`` inclusive, ``end`` exclusive), so it traces back to its
sentence. Plain data: the store and every stage above it read these.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

ActorKind = Literal["person", "organisation", "place", "group"]
QuoteKind = Literal["direct", "partial", "indirect"]
Granularity = Literal["day", "week", "month", "year"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One naming of an actor in the text.

    ``name`` is the fullest name the article gives that actor ("Vladimir Putin" for a
    later "Putin", "United States" for "American"); the store turns it into an actor id.
    """

    start: int
    end: int
    text: str
    kind: ActorKind
    name: str
    descriptor: str | None = None  # the words describing it here ("rebel leader")
    descriptor_quoted: bool = False  # ... inside a quotation: the speaker's, not the outlet's


@dataclass(frozen=True, slots=True)
class Quote:
    """What someone said, and who: quoted words (``direct``), a reported statement with
    some of its words quoted (``partial``: "Ryan called the plan “a hammock”"; ``parts``
    are the quoted words), or reported speech (``indirect``).

    ``start``/``end`` span the quoted words without their quote marks. A quote broken by
    its attribution ("Part one," he said, "part two.") is one quote whose ``parts`` are the
    spans of its fragments, whose ``text`` shows them as written with " … " between them,
    and whose span runs from the first part to the last.
    ``speaker`` is the speaker's ``Mention.name`` (None when unclear) and
    ``speaker_start``/``speaker_end`` the span of the words that name the speaker in this
    passage (a pronoun included). ``cue`` is the cue verb or phrase as written ("said",
    "according to").
    """

    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    parts: tuple[tuple[int, int], ...] = ()

    def spans(self) -> tuple[tuple[int, int], ...]:
        """The spans of what was said: each fragment of a broken direct quote, else the
        whole quote."""
        return said_spans(self.kind, self.start, self.end, self.parts)

    def verbatim(self) -> tuple[tuple[int, int], ...]:
        """The spans of the words in quotation marks: all of a direct quote, the quoted
        words of a partial one, none of an indirect one."""
        if self.kind == "indirect":
            return ()
        return self.parts or ((self.start, self.end),)


FRAGMENT_GAP = " … "  # shown between the fragments of a quote broken by its attribution


def said_spans(
    kind: str, start: int, end: int, parts: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int], ...]:
    """What was said, of a quote of ``kind`` spanning ``start``..``end`` with ``parts``:
    the fragments of a broken direct quote, else the whole span (a partial quote's parts
    are its quoted words inside the statement)."""
    if kind == "direct" and parts:
        return parts
    return ((start, end),)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with what it counts: "over 2,200 US soldiers" is value 2200, modifier
    "over", unit None, counted "US soldiers"; "a three-hour-long press conference" is value
    3, unit "hour", counted "press conference"; "$5 million" is value 5000000, unit "USD".
    """

    start: int
    end: int
    text: str
    value: float
    unit: str | None = None
    modifier: str | None = None  # over, about, at least, nearly, up to, more than, ...
    counted: str | None = None
    role: str | None = None  # what the counted take part in, a lemma: "kill", "arrest"


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A date or time expression, resolved against the publication date when it has one.

    ``first``/``last`` are the first and last day it can mean ("last month" written on
    2017-01-03 is 2016-12-01 .. 2016-12-31); both None when unresolved. ``relative`` is
    true when resolving it needed the publication date.
    """

    start: int
    end: int
    text: str
    first: date | None = None
    last: date | None = None
    granularity: Granularity | None = None
    relative: bool = False


@dataclass(frozen=True, slots=True)
class Action:
    """Who did what to whom, in one sentence. ``event_type`` is a PLOVER type or None."""

    start: int  # the sentence
    end: int
    source: str  # Mention.name of the doer
    verb: str  # the lemma
    target: str | None = None  # Mention.name of the object or recipient
    negated: bool = False
    event_type: str | None = None
    verb_start: int | None = None
    verb_end: int | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    """The article naming where it got something: "according to TASS", "(AP)"."""

    start: int
    end: int
    text: str
    source: str
    cue: str


@dataclass(slots=True)
class Annotations:
    """Everything annotation found in one article."""

    article_id: str
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    lemmas: dict[str, str] = field(default_factory=dict)  # word -> lemma, where they differ

    def to_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            return value.isoformat() if isinstance(value, date) else value

        out: dict[str, Any] = {"article_id": self.article_id}
        for name in ("mentions", "quotes", "quantities", "times", "actions", "attributions"):
            out[name] = [
                {key: plain(value) for key, value in asdict(item).items()}
                for item in getattr(self, name)
            ]
        out["lemmas"] = dict(self.lemmas)
        return out


def annotations_from_dict(data: dict[str, Any]) -> Annotations:
    """The inverse of :meth:`Annotations.to_dict` (as stored)."""

    def times(item: dict[str, Any]) -> TimeExpression:
        first, last = item.get("first"), item.get("last")
        return TimeExpression(
            **{
                **item,
                "first": date.fromisoformat(first) if first else None,
                "last": date.fromisoformat(last) if last else None,
            }
        )

    return Annotations(
        article_id=data["article_id"],
        mentions=[Mention(**m) for m in data.get("mentions", [])],
        quotes=[_quote(q) for q in data.get("quotes", [])],
        quantities=[Quantity(**q) for q in data.get("quantities", [])],
        times=[times(t) for t in data.get("times", [])],
        actions=[Action(**a) for a in data.get("actions", [])],
        attributions=[Attribution(**a) for a in data.get("attributions", [])],
        lemmas=dict(data.get("lemmas", {})),
    )


def _quote(item: dict[str, Any]) -> Quote:
    parts = tuple((int(a), int(b)) for a, b in item.get("parts", ()))
    return Quote(**{**item, "parts": parts})


@dataclass(frozen=True, slots=True)
class NameCount:
    """How often the store's articles use one (name, kind)."""

    name: str
    kind: str
    mentions: int
    articles: int


@dataclass(slots=True)
class Actor:
    """An actor of the store, with every (name, kind) that stands for it."""

    id: str
    name: str
    kind: str
    mentions: int = 0
    articles: int = 0
    names: list[tuple[str, str]] | None = None


@dataclass(slots=True)
class ActorSummary:
    """An actor as the API lists it."""

    id: str
    name: str
    kind: str
    mentions: int
    articles: int

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("id", "name", "kind", "mentions", "articles")}


@dataclass(slots=True)
class QuoteRecord:
    """A stored quote with its article, outlet and speaker actor."""

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
    spans: list[tuple[int, int]] = field(default_factory=list)  # the quoted words' pieces
    input_id: str | None = None  # the article record's own id

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class ActorDetail:
    """One actor: its names as written, articles, quotes and actions given and received."""

    actor: ActorSummary
    aliases: list[tuple[str, int]]
    article_ids: list[str]
    quotes: list[QuoteRecord]
    actions: list[dict[str, Any]] = field(default_factory=list)
    related: list[tuple[ActorSummary, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = self.actor.to_dict()
        data["aliases"] = [{"text": text, "count": count} for text, count in self.aliases]
        data["article_ids"] = self.article_ids
        data["quotes"] = [q.to_dict() for q in self.quotes]
        data["actions"] = self.actions
        data["related"] = [
            {**summary.to_dict(), "shared_articles": shared} for summary, shared in self.related
        ]
        return data
