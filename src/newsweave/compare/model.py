"""What a comparison of one event's coverage holds. Every finding keeps the article, the
outlet and the character span of the sentence it came from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from newsweave.annotate.model import Annotations
from newsweave.model import Article


@dataclass(slots=True)
class Coverage:
    """One article of the event, with every outlet that ran it and its annotations."""

    article: Article
    outlets: list[str]
    annotations: Annotations

    @property
    def outlet(self) -> str:
        return self.outlets[0]


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence of one article."""

    article_id: str
    outlet: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Fact:
    """Statements of several outlets that say the same thing."""

    statements: list[Statement]
    outlets: list[str]


@dataclass(frozen=True, slots=True)
class Side:
    """One outlet's version of something, with its sentence."""

    article_id: str
    outlet: str
    text: str  # the words themselves (the number, the quote, the date)
    start: int
    end: int
    sentence: str
    value: Any = None
    modifier: str | None = None
    speaker: str | None = None


@dataclass(slots=True)
class Conflict:
    """Sources that disagree: ``kind`` is number, date or negation."""

    kind: str
    what: str
    sides: list[Side]


@dataclass(slots=True)
class QuoteVariant:
    """One utterance worded differently by different outlets; ``diff`` compares each
    variant with the first, word by word: (op, words) with op equal, delete or insert."""

    speaker: str | None
    variants: list[Side]
    diffs: list[list[tuple[str, str]]]


@dataclass(slots=True)
class Misattribution:
    """Near-identical words put in different mouths."""

    text: str
    sides: list[Side]


@dataclass(frozen=True, slots=True)
class Citation:
    """An article naming a source: "according to the Meridian Post"."""

    article_id: str
    outlet: str
    cited: str
    cited_outlet: str | None  # the store's outlet it names, when it is one
    text: str
    sentence: str
    start: int
    end: int


@dataclass(slots=True)
class Reuse:
    """Text one article shares with an earlier one (churnalism)."""

    copy_id: str
    copy_outlet: str
    origin_id: str
    origin_outlet: str
    share_of_copy: float
    share_of_origin: float
    passages: list[tuple[int, int]]  # spans in the copy
    identical: bool = False


@dataclass(slots=True)
class Framing:
    """The words each outlet uses for one actor; ``unique`` and ``loaded`` flag some."""

    actor: str
    by_outlet: dict[str, list[str]]
    unique: dict[str, list[str]]
    loaded: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    article_id: str
    outlet: str
    start: int
    end: int
    outlets: tuple[str, ...]  # who else reports it


@dataclass(slots=True)
class Comparison:
    """Everything newsweave says about how the sources of one event differ."""

    event_id: str
    title: str
    outlets: list[str]
    articles: list[dict[str, Any]]
    facts: list[Fact] = field(default_factory=list)
    only_in: dict[str, list[Statement]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    quote_variants: list[QuoteVariant] = field(default_factory=list)
    misattributions: list[Misattribution] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    reuse: list[Reuse] = field(default_factory=list)
    framing: list[Framing] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
