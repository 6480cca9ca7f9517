"""The records every stage passes on."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any, Literal

Precision = Literal["day", "time"]
# Why an article's body is not its own: too few words, or the same boilerplate body as
# records with other titles. Thin articles are clustered and compared on title and lede.
Thin = Literal["short", "shared"]
# Where an outlet came from: the record's own field, the URL's domain found in the outlet
# table, the bare URL domain, the input's folder (a last resort), or nothing at all.
OutletSource = Literal["field", "table", "url", "folder", "none"]


@dataclass(frozen=True, slots=True)
class Published:
    """A publication time: always timezone-aware.

    ``precision`` is ``"day"`` when the source gave a date without a time of day
    (the moment is then midnight UTC of that date). ``tz_assumed`` is true when the
    source gave a time of day without a zone and UTC was assumed.
    """

    moment: datetime
    precision: Precision = "time"
    tz_assumed: bool = False

    @classmethod
    def of_day(cls, day: date) -> Published:
        """A date without a time of day: midnight UTC of ``day``, at day precision."""
        return cls(datetime(day.year, day.month, day.day, tzinfo=UTC), "day")

    def isoformat(self) -> str:
        if self.precision == "day":
            return self.moment.date().isoformat()
        return self.moment.isoformat()

    def utc_seconds(self) -> float:
        """Seconds since the epoch, for sorting and range filters."""
        return self.moment.timestamp()


def published_from_stored(
    iso: str | None, precision: str | None, tz_assumed: int | None
) -> Published | None:
    """Rebuild a :class:`Published` from its stored columns (``isoformat()``, the precision
    and the tz_assumed flag)."""
    if not iso:
        return None
    if precision == "day":
        return Published.of_day(date.fromisoformat(iso))
    return Published(datetime.fromisoformat(iso), "time", bool(tz_assumed))


@dataclass(slots=True)
class RawArticle:
    """What a reader found in one input, before normalisation."""

    text: str
    origin: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: object = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    input_id: str | None = None
    folder: str | None = None


@dataclass(slots=True)
class Article:
    """One stored article. ``id`` is derived from the normalised text, so it is stable."""

    id: str
    title: str
    text: str
    outlet: str
    origin: str
    url: str | None = None
    published: Published | None = None
    language: str | None = None
    authors: tuple[str, ...] = ()
    input_id: str | None = None
    thin: Thin | None = None
    outlet_source: OutletSource | None = None

    def to_dict(self) -> dict[str, Any]:
        return self._json(with_text=True)

    def listing(self) -> dict[str, Any]:
        """The article's JSON for lists: everything but the text."""
        return self._json(with_text=False)

    def _json(self, *, with_text: bool) -> dict[str, Any]:
        # every field is a plain value, so no deep copy (asdict) is needed
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        if not with_text:
            del data["text"]
        data["authors"] = list(self.authors)
        data["published"] = self.published.isoformat() if self.published else None
        data["published_precision"] = self.published.precision if self.published else None
        data["published_tz_assumed"] = self.published.tz_assumed if self.published else None
        return data


@dataclass(frozen=True, slots=True)
class Sighting:
    """One place an article was seen: exact duplicates share the article, not the sighting."""

    article_id: str
    outlet: str
    origin: str
    url: str | None = None
    input_id: str | None = None
    title: str | None = None
    published: str | None = None
    outlet_source: OutletSource | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CopyLink:
    """``copy_id`` is a near-duplicate of the earlier ``origin_id``."""

    copy_id: str
    origin_id: str
    similarity: float
    containment: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# C0 and C1 controls, DEL, lone surrogates, line separators and the bidirectional overrides that
# can reorder a terminal line: shown escaped, never passed through.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028-\u202e\u2066-\u2069]")
ONE_LINE_LIMIT = 400


def one_line(text: str, limit: int = ONE_LINE_LIMIT) -> str:
    """``text`` made safe for one line of a terminal or log: controls escaped, length capped.

    >>> one_line("a\\nb\\x1b[31m")
    'a\\\\nb\\\\x1b[31m'
    """
    escaped = _UNSAFE.sub(_escape, text)
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    return named or char.encode("unicode_escape", "backslashreplace").decode("ascii")


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that was skipped: what it was, where, and why."""

    what: str
    where: str
    why: str

    def __str__(self) -> str:
        return one_line(f"skipped {self.what} {self.where}: {self.why}")


@dataclass(frozen=True, slots=True)
class Notice:
    """Something worth telling that did not stop the input from being ingested."""

    where: str
    message: str

    def __str__(self) -> str:
        return one_line(f"note {self.where}: {self.message}")


class InputError(Exception):
    """Raised by readers for one bad input; the pipeline turns it into a :class:`Problem`."""

    def __init__(self, what: str, where: str, why: str) -> None:
        super().__init__(f"{what} {where}: {why}")
        self.problem = Problem(what, where, why)


@dataclass(slots=True)
class IngestReport:
    """The summary of one ingest run."""

    read: int = 0
    new: int = 0
    duplicates: int = 0
    already_stored: int = 0
    updated: int = 0
    copies: int = 0
    thin: int = 0
    skipped: int = 0
    notices: int = 0
    problems: list[Problem] = field(default_factory=list)
    passed_over: list[Problem] = field(default_factory=list)  # not read, not counted as skipped
    new_ids: list[str] = field(default_factory=list)
    updated_ids: list[str] = field(default_factory=list)
    outlet_sources: dict[str, int] = field(default_factory=dict)
    folder_outlets: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 when something was read and nothing skipped, else 1."""
        return 0 if self.read > 0 and self.skipped == 0 else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "new": self.new,
            "duplicates": self.duplicates,
            "already_stored": self.already_stored,
            "updated": self.updated,
            "copies": self.copies,
            "thin": self.thin,
            "skipped": self.skipped,
            "notices": self.notices,
            "problems": [asdict(p) for p in self.problems],
            "passed_over": [asdict(p) for p in self.passed_over],
            "outlet_sources": dict(self.outlet_sources),
            "folder_outlets": dict(self.folder_outlets),
        }


@dataclass(slots=True)
class Event:
    """Articles reporting one real-world happening."""

    id: str
    title: str
    size: int
    representative_id: str
    storyline_id: str
    first_published: str | None = None
    last_published: str | None = None
    outlets: list[str] = field(default_factory=list)
    key_terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Storyline:
    """Events of one ongoing story, in time order."""

    id: str
    title: str
    event_ids: list[str]
    articles: int
    first_published: str | None = None
    last_published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class EventBuild:
    """Everything a whole clustering run produces, ready to be stored in one transaction."""

    events: list[Event] = field(default_factory=list)
    storylines: list[Storyline] = field(default_factory=list)
    assignments: list[tuple[str, str, float]] = field(default_factory=list)  # article, event, sim
    first_utc: dict[str, float | None] = field(default_factory=dict)
    last_utc: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an analysed text (or one dash-separated part of a title).

    ``words`` are its content words as terms (lower case, the project's stop list's commonest
    words left out; see :mod:`newsweave.text`), a capitalised one that does not open the
    sentence marked as a name by a leading ``@``; ``offsets`` are where each starts in the
    text. ``key`` recognises the sentence repeated word for word (None when too short to
    tell). ``days`` and ``years`` are the single days it names, resolved against the
    publication date, and the years of every day, month or year it names.
    """

    start: int
    end: int
    words: tuple[str, ...] = ()
    offsets: tuple[int, ...] = ()
    key: int | None = None
    days: tuple[date, ...] = ()
    years: tuple[int, ...] = ()
    ages: tuple[int, ...] = ()
    streets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AnalysedDocument:
    """An article read once, for every stage after it: its title's parts and its body's
    sentences, each with spans into the article's title or text. ``problem`` says what
    could not be read (the rest was), for the stages that read it to tell."""

    article_id: str
    title: tuple[Sentence, ...]
    body: tuple[Sentence, ...]
    problem: str | None = None
