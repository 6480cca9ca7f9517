"""What a comparison of one event's coverage holds. Every finding keeps the article, the
outlet and the character span of the sentence it came from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from newsweave.annotate.document import analyse_article
from newsweave.annotation import Annotations
from newsweave.model import AnalysedDocument, Article, Sentence


@dataclass(slots=True)
class Coverage:
    """One article of the event, with every outlet that ran it, its annotations and its
    analysed document (as stored; analysed when first asked for if none was given)."""

    article: Article
    outlets: list[str]
    annotations: Annotations
    document: AnalysedDocument | None = None
    copy_of: str | None = None  # the article ingest found this one a near-duplicate of
    vectors: Any = None  # one unit vector per sentence (a numpy array), once made or read

    @property
    def outlet(self) -> str:
        return self.outlets[0]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The body's sentences, as analysed."""
        if self.document is None:
            self.document = analyse_article(self.article)
        return self.document.body


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
    shown: list[str] = field(default_factory=list)  # the longest passages' text, cut short


@dataclass(slots=True)
class Framing:
    """The words each outlet uses for one actor; ``unique`` and ``loaded`` flag some."""

    actor: str
    by_outlet: dict[str, list[str]]  # in the outlet's own voice
    unique: dict[str, list[str]]
    loaded: dict[str, list[str]]
    quoted: dict[str, list[str]] = field(default_factory=dict)  # in quotations it ran


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
    # per outlet, a statement of each fact most other outlets report and it does not
    left_out: dict[str, list[Statement]] = field(default_factory=dict)
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


def comparison_from_dict(data: dict[str, Any]) -> Comparison:
    """The comparison that ``Comparison.to_dict`` (or its JSON) describes.

    >>> found = Comparison("ev-1", "Dam opens", ["A"], [], summary=[
    ...     SummarySentence("It opened.", "a1", "A", 0, 10, ("B",))])
    >>> comparison_from_dict(found.to_dict()) == found
    True
    """
    return Comparison(
        event_id=data["event_id"],
        title=data["title"],
        outlets=list(data["outlets"]),
        articles=[dict(article) for article in data["articles"]],
        facts=[Fact(_statements(f["statements"]), list(f["outlets"])) for f in data["facts"]],
        only_in={outlet: _statements(found) for outlet, found in data["only_in"].items()},
        left_out={o: _statements(found) for o, found in data.get("left_out", {}).items()},
        conflicts=[Conflict(c["kind"], c["what"], _sides(c["sides"])) for c in data["conflicts"]],
        quote_variants=[_variant(v) for v in data["quote_variants"]],
        misattributions=[
            Misattribution(m["text"], _sides(m["sides"])) for m in data["misattributions"]
        ],
        citations=[Citation(**c) for c in data["citations"]],
        reuse=[_reuse(r) for r in data["reuse"]],
        framing=[Framing(**f) for f in data["framing"]],
        summary=[_summary(s) for s in data["summary"]],
        differences=list(data["differences"]),
    )


def _statements(found: list[dict[str, Any]]) -> list[Statement]:
    return [Statement(**s) for s in found]


def _sides(found: list[dict[str, Any]]) -> list[Side]:
    return [Side(**s) for s in found]


def _variant(data: dict[str, Any]) -> QuoteVariant:
    diffs = [[(str(op), str(words)) for op, words in diff] for diff in data["diffs"]]
    return QuoteVariant(data["speaker"], _sides(data["variants"]), diffs)


def _reuse(data: dict[str, Any]) -> Reuse:
    passages = [(int(start), int(end)) for start, end in data["passages"]]
    return Reuse(**{**data, "passages": passages, "shown": list(data.get("shown", []))})


def _summary(data: dict[str, Any]) -> SummarySentence:
    return SummarySentence(**{**data, "outlets": tuple(data["outlets"])})
