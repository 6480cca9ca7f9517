"""Dates and times in English news text, pinned to the calendar.

``find_times(text, published)`` finds date and time expressions with regular expressions
alone (no model), and resolves each into the first and last day it can mean. Every
``TimeExpression`` spans the words exactly (``text[start:end] == expression.text``); the
list is sorted by ``start`` and never overlaps (where candidates collide the longest wins).
A leading "on"/"in"/"at" is left out of the span, as is a possessive "'s".

Resolution uses the publication date as written (``published.date()``, in the
publication's own timezone) and follows news conventions:

* Reporting is in the past tense by default. A plain weekday ("on Wednesday") is the most
  recent such day on or before publication (the same weekday is the publication day); a
  month without a year ("in December") is the most recent such month on or before the
  publication month; a day without a year ("Dec. 30") is the most recent such date on or
  before publication. Written 2017-01-03, "in December" is 2016-12 and "Dec. 30" is
  2016-12-30.
* When the sentence has a future cue ("will", "is to", "is due to", "plans to",
  "scheduled", "next", ...) those same expressions point forward instead: the next such
  day, month or date on or after publication, unless a past-tense verb comes right before
  the expression ("said on Wednesday", "was killed on Wednesday", "arrived Wednesday") or a
  reporting verb right after it ("on Wednesday said").
* "last Wednesday" is strictly before publication and "next Wednesday" strictly after;
  "this Wednesday" is the one in the publication's Monday-to-Sunday week, and "Wednesday of
  last week" the one in the previous week.
* Weeks run Monday to Sunday: "last week" written on Monday 2017-01-02 is 2016-12-26 ..
  2017-01-01. "last/this/next week|month|year" are calendar periods; "earlier this month"
  runs from the 1st to publication and "later this month" from publication to the end.
  "the past week" (also "this past week", "the last week") is the seven days ending on the
  publication day, and "the past N days/weeks/months/years" likewise. A weekend is the
  Saturday and Sunday, at week granularity; "over the weekend" follows the tense rule above.
* "N days ago" is that day; "N weeks ago" the Monday-to-Sunday week holding the day N weeks
  back; "N months ago" and "N years ago" the calendar month or year.
* "this morning", "tonight" and "today" are the publication day; "last night" and
  "yesterday" the day before.
* Absolute dates ("12 September 2016", "Sept. 12, 2016", "2016-09-12"), months with a year
  ("March 2016") and years ("in 2016", "since 2011", "the 2016 election") need no
  publication date; their ``relative`` is False. "early"/"mid-"/"late" are kept in the
  span but the whole month or year is given.
* Times of day attached to a day ("at 3 p.m. on Tuesday", "yesterday at noon") are kept
  in the span of that day; the day is the resolution.

Nothing is guessed. Expressions whose meaning is unclear are still reported, with
``first``, ``last`` and ``granularity`` all None:

* everything relative when the article has no publication date;
* "last September" when the most recent September falls in the publication year (it
  could mean that one or the year before's); "next September" likewise when it is still to
  come this year. Written in January, "last December" is unambiguous and resolved;
* "a few days ago", "the coming week" and other vague spans;
* expressions anchored on another event rather than publication ("17 years later",
  "three days after", "the next day", "later that week"), whose ``relative`` is False;
* numeric dates like 09/12/2016 where day and month could be swapped, impossible dates
  ("February 30, 2016"), and a weekday that contradicts the date it names;
* a day without a year used as a name ("the Sept. 11 attacks", "the Nov. 8 vote"): tense
  does not tell which year;
* anything that would fall outside the calendar (before year 1 or after 9999), such as
  "last week" written on 0001-01-01.

Deliberately not recognised: decades and centuries, seasons, clock times on their own,
bare numbers ("2,016 people", "16:20"), a year with no cue before it ("2016 was hard"),
"may" and "march" as verbs, "May" without "in"/"last"/"early"... before it ("Theresa May"),
a month followed by a capitalised word ("April Ryan"; so also "In June Obama spoke"), and
names such as "Super Tuesday", "Good Friday" or "The Sunday Times".

>>> from datetime import datetime
>>> found = find_times("Talks ended last week; more are due on Friday.", datetime(2017, 1, 2))
>>> [(t.text, str(t.first), str(t.last), t.granularity) for t in found]
[('last week', '2016-12-26', '2017-01-01', 'week'), ('Friday', '2017-01-06', '2017-01-06', 'day')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from typing import NamedTuple

from newsweave.annotation import Granularity, TimeExpression

__all__ = ["find_times"]

# --- vocabulary --------------------------------------------------------------------------


def _words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


_MONTH_NUMBER = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_WEEKDAY_NUMBER = {
    name: number
    for number, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_COUNT_WORDS = {
    word: number
    for number, word in enumerate(
        _words(
            "one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        ),
        start=1,
    )
} | {"a": 1, "an": 1}
_GRANULARITY: dict[str, Granularity] = {
    "day": "day",
    "week": "week",
    "weekend": "week",
    "month": "month",
    "year": "year",
}
# Words before a bare "May" (or "March" followed by "on", "for" ...) or a bare year that make
# it a date ("in May", "since 2011").
_MAY_CUES = frozenset(
    _words("in since until till during through throughout of early late mid last next this")
)
_MONTH_CUES = _MAY_CUES | frozenset(_words("by from before after between"))
_YEAR_CUES = frozenset(
    _words(
        "in since by during until till through throughout of from before after between year circa"
    )
)

# --- patterns ----------------------------------------------------------------------------

_FULL_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_MONTH = rf"(?:{_FULL_MONTH}\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w%]|[:.,]\d)"
_FULL_YEAR = r"(?:1\d{3}|20\d\d)(?![\w%–]|[.,:/-]\d)"  # in a full date or with a month
_NUMBER = (
    r"(?:\d{1,3}|a\s+few|a\s+couple(?:\s+of)?|few|several|many|some|a|an|"
    + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True))
    + r")"
)
_CLOCK = r"(?:\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.m\.|[ap]m\b)|noon\b|midnight\b)"

_ISO = re.compile(
    r"(?<![\w/.-])(?P<year>(?:19|20)\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
    r"(?![\d/-])"
)
_SLASHED = re.compile(
    r"(?<![\w/.-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d)(?![\d/-])"
)
_MONTH_DAY = re.compile(
    rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<mon>{_MONTH})\s+(?P<day>{_DAY})"
    rf"(?:,?\s+(?P<year>{_FULL_YEAR}))?"
)
_DAY_MONTH = re.compile(
    rf"(?<![\w$£€.,-])(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:(?i:the)\s+)?(?P<day>{_DAY})(?:\s+of)?"
    rf"\s+(?P<mon>{_MONTH})(?:,?\s+(?P<year>{_FULL_YEAR}))?"
)
_MONTH_YEAR = re.compile(
    rf"(?<![\w-])(?:(?P<pos>(?i:early|late|mid))(?:-|\s+))?(?P<mon>{_MONTH}),?(?:\s+of)?"
    rf"\s+(?P<year>{_FULL_YEAR})"
)
_MONTH_ALONE = re.compile(
    r"(?<![\w-])(?:(?P<mod>(?i:this\s+past|this\s+coming|last|next|this))\s+"
    rf"|(?P<pos>(?i:early|late|mid))(?:-|\s+))?(?P<mon>{_FULL_MONTH})\b"
)
_YEAR = re.compile(
    r"(?<![\w$£€.,:/–-])(?:(?P<pos>(?i:early|late|mid))(?:-|\s+))?"
    r"(?P<year>(?:19|20)\d\d)(?![\w%–]|[.,:/-]\d)"
)
_WEEKDAY_PHRASE = re.compile(
    r"(?<![\w-])(?:(?P<mod>(?i:this\s+past|this\s+coming|last|next|this|coming))\s+)?"
    rf"(?P<wd>{_WEEKDAY})(?:\s+(?i:night|morning|afternoon|evening)\b)?"
    r"(?:\s+of\s+(?P<week>(?i:last|this|next))\s+(?i:week)\b)?"
)
_DAY_WORD = re.compile(
    r"(?<![\w-])(?<!USA\s)(?<![Tt]he\s)(?i:(?P<before>the\s+day\s+before\s+yesterday)"
    r"|(?P<after>the\s+day\s+after\s+tomorrow)"
    r"|(?P<near>yesterday|tomorrow)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?P<today>today|tonight|this\s+(?:morning|afternoon|evening))"
    r"|(?P<night>last\s+night))(?![\w-])"
)
_PERIOD = re.compile(
    r"(?<![\w-])(?i:(?P<adv>earlier|later)\s+this|(?P<roll>the\s+(?:past|last))"
    r"|(?P<coming>the\s+coming)|(?<!the\s)(?P<mod>this\s+past|this\s+coming|last|this|next))"
    r"\s+(?P<unit>(?i:weekend|week|month|year))\b(?!\s+of\b|-)"
)
_OVER_THE_WEEKEND = re.compile(r"(?<![\w-])(?i:the\s+weekend)\b(?!\s+of\b)")
_AGO = re.compile(rf"(?<![\w,.-])(?i:(?P<n>{_NUMBER})\s+(?P<unit>day|week|month|year)s?\s+ago)\b")
_ROLLING = re.compile(
    rf"(?<![\w-])(?i:the\s+(?:past|last)\s+(?P<n>{_NUMBER})\s+(?P<unit>day|week|month|year)s)\b"
    r"(?!\s+of\b)"
)
_ANCHORED = re.compile(
    rf"(?<![\w,.-])(?i:{_NUMBER}\s+(?:day|week|month|year)s?\s+(?:later|earlier|after|before"
    r"|prior)|the\s+(?:next|following|previous|preceding|same)\s+(?:day|morning|afternoon"
    r"|evening|night|weekend|week|month|year)|the\s+day\s+(?:before|after)"
    r"|(?:later|earlier)\s+that\s+(?:day|morning|afternoon|evening|night|week|month|year)"
    r"|that\s+same\s+(?:day|morning|night|week|month|year))\b"
)

# Context checks, run on a few characters around a candidate.
_PREVIOUS_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]+)\s+\Z")
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")
_MARCH_AFTER = re.compile(r"\s+(?:on|for|against|to)\b")
_POSSESSIVE_BEFORE = re.compile(r"['’]s\s+\Z")
_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
_NAMED_DAY_BEFORE = re.compile(
    r"(?:Good|Black|Ash|Super|Bloody|Easter|Palm|Holy|Maundy|Cyber|Shrove|Whit"
    r"|(?:Mail|Independent|Observer)\s+on)\s+\Z"
)
_NAMED_DAY_AFTER = re.compile(
    r"\s+(?:Times|Telegraph|Express|Mirror|Post|People|Herald|Mail|Independent|Star|Sport"
    r"|Night\s+Live|School|League)\b"
)
_YEAR_BEFORE_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d\s+(?:and|or|to)\s+\Z")
_EVENT_AFTER = re.compile(
    r"\s+(?i:elections?|campaign|race|vote|referendum|primar(?:y|ies)|census|budget|olympics"
    r"|games|world\s+cup|season|summit|attacks?|war|invasion|coup|revolution|uprising|crisis"
    r"|earthquake|floods?|hurricane|protests|riots|ceasefire|agreement|accord|deal|law|act"
    r"|report|survey|edition|tournament|championship|final)\b"
)
_COUNTED_AFTER = re.compile(
    r"\s+(?i:people|persons|votes|voters|troops|soldiers|residents|families|children|men"
    r"|women|cases|deaths|jobs|homes|houses|km|miles|metres|meters|feet|tonnes|tons|barrels"
    r"|dollars|euros|pounds|members|employees|workers|refugees|migrants|users)\b"
)
_CLOCK_BEFORE = re.compile(rf"(?<![\w:.])(?i:{_CLOCK}\s+(?:on\s+)?)\Z")
_CLOCK_AFTER = re.compile(rf"(?i:,?\s+(?:at\s+)?{_CLOCK})")

# Tense: sentence ends, future cues and reporting verbs that pin an expression to the past.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(]?[A-Z0-9])|\n")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Sgt|Capt|Prof|No|Inc|Co|Corp|Ltd"
    r"|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Za-z](?:\.[A-Za-z])*)\.\Z"
)
# Future cues, found in a lower-cased copy of the text (literal prefixes scan fast); a cue
# must start a word, and "the will", "the next" and "next to" are no cues.
_FUTURE = re.compile(
    r"(?:will|shall|won't|'ll|would|upcoming|scheduled|next|plans?\s+to|planning\s+to"
    r"|(?:hopes?|hoped|hoping|aims?|aimed|intends?|intended|wants?|wanted)\s+to"
    r"|(?:is|are|am|was|were)\s+(?:(?:due|set|scheduled|expected|going|poised|slated)\s+)?to"
    r"|(?:is|are)\s+(?:planned|due|slated)|starting|beyond|deadline\s+of)\b"
)
_NEXT_TO = re.compile(r"\s+to\b")
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[-–—]\s|\s(?:and|but)\s")
_ANY_CLAUSE_BREAK = re.compile(rf"(?=({_CLAUSE_BREAK.pattern}))")  # at every position
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ’", "abcdefghijklmnopqrstuvwxyz'")
_REPORTED_AFTER = re.compile(r",?\s+(?i:said|told|announced|confirmed|reported)\b")
_REPORTING_VERBS = frozenset(_words("said says told announced confirmed reported added"))
_IRREGULAR_PAST = frozenset(
    _words(
        "met left held began came went took saw fell rose won lost shot hit struck sent "
        "made gave fled spoke wrote flew ran led broke found"
    )
)
_NOT_PAST = frozenset(  # end in -ed but say nothing of the past ("is scheduled for")
    _words(
        "scheduled expected planned slated needed required need speed feed seed breed "
        "hundred indeed proceed exceed succeed"
    )
)


# --- meanings and calendar arithmetic ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Meaning:
    """What one candidate means; ``first`` None means unresolved."""

    first: date | None = None
    last: date | None = None
    granularity: Granularity | None = None
    relative: bool = False
    day_like: bool = False  # a single day: times of day may attach to it


_Range = tuple[date, date]


def _resolved(span: _Range | None, unit: str, *, relative: bool) -> _Meaning:
    """A range at the unit's granularity, or unresolved when there is no range."""
    day_like = unit == "day"
    if span is None:
        return _Meaning(relative=relative, day_like=day_like)
    return _Meaning(span[0], span[1], _GRANULARITY[unit], relative, day_like)


def _unresolved(*, relative: bool, day_like: bool = False) -> _Meaning:
    return _Meaning(relative=relative, day_like=day_like)


def _one_day(day: date | None, *, relative: bool) -> _Meaning:
    return _resolved(None if day is None else (day, day), "day", relative=relative)


def _valid(year: int, month: int, day: int) -> date | None:
    if MINYEAR <= year <= MAXYEAR and 1 <= month <= 12 and 1 <= day <= monthrange(year, month)[1]:
        return date(year, month, day)
    return None


def _on_calendar(year: int) -> int:
    """``year``; OverflowError (as ``date + timedelta`` raises) when past year 1 or 9999."""
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"year {year} is out of range")
    return year


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _month_span(year: int, month: int) -> _Range:
    year = _on_calendar(year)
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def _week_span(day: date) -> _Range:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _year_span(year: int) -> _Range:
    year = _on_calendar(year)
    return date(year, 1, 1), date(year, 12, 31)


def _weekend_from(saturday: date) -> _Range:
    return saturday, saturday + timedelta(days=1)


def _calendar_span(pub: date, unit: str, shift: int) -> _Range:
    """The week, month or year ``shift`` periods away from the one holding ``pub``."""
    if unit == "week":
        return _week_span(pub + timedelta(weeks=shift))
    if unit == "month":
        return _month_span(*_shift_month(pub.year, pub.month, shift))
    return _year_span(pub.year + shift)


def _months_before(day: date, months: int) -> date:
    year, month = _shift_month(day.year, day.month, -months)
    return date(_on_calendar(year), month, min(day.day, monthrange(year, month)[1]))


def _rolling_span(pub: date, unit: str, count: int) -> _Range:
    """``count`` units ending on the publication day ("the past week": pub-6 .. pub)."""
    if unit == "day":
        return pub - timedelta(days=count - 1), pub
    if unit == "week":
        return pub - timedelta(days=7 * count - 1), pub
    months = count if unit == "month" else 12 * count
    return _months_before(pub, months) + timedelta(days=1), pub


def _nearest_date(pub: date, month: int, day: int, *, forward: bool) -> date | None:
    """The given day-of-year on or before ``pub`` (on or after when ``forward``)."""
    step = 1 if forward else -1
    for year in range(pub.year, pub.year + 9 * step, step):  # nine years cover 29 February
        found = _valid(year, month, day)
        if found is not None and (found >= pub if forward else found <= pub):
            return found
    return None


def _count(words: str) -> int | None:
    """1 for "a", 3 for "three" or "3"; None for vague counts ("a few", "several")."""
    words = words.lower()
    return int(words) if words.isdigit() else _COUNT_WORDS.get(words)


def _month_of(name: str) -> int:
    return _MONTH_NUMBER[name[:3].lower()]


def _mod(value: str | None) -> str:
    return " ".join(value.lower().split()) if value else ""


# --- context -----------------------------------------------------------------------------


class _Context:
    """The text, its publication day and, worked out on demand, its sentences' tense."""

    __slots__ = ("_breaks", "_cues", "_ends", "pub", "text")

    def __init__(self, text: str, pub: date | None) -> None:
        self.text = text
        self.pub = pub
        self._ends: list[int] | None = None
        self._cues: list[int] | None = None
        self._breaks: _ClauseBreaks | None = None

    def undated(self) -> _Context:
        """The same text with no publication date: relative expressions stay unresolved."""
        return _Context(self.text, None)

    def previous_word(self, start: int) -> str:
        found = _PREVIOUS_WORD.search(self.text, max(0, start - 24), start)
        return found[1].lower() if found else ""

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if self._ends is None:
            self._ends = [
                found.end()
                for found in _SENTENCE_END.finditer(self.text)
                if not _ABBREVIATION.search(self.text, max(0, found.start() - 8), found.start() + 1)
            ]
        before = bisect_right(self._ends, start)
        after = bisect_left(self._ends, end)
        first = self._ends[before - 1] if before else 0
        last = self._ends[after] if after < len(self._ends) else len(self.text)
        return first, last

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The clause around ``start``..``end``: the sentence cut at commas, semicolons,
        dashes and "and"/"but", so a cue in another clause does not count."""
        first, last = self.sentence(start, end)
        if self._breaks is None:
            self._breaks = _ClauseBreaks(self.text)
        return self._breaks.last_end(first, start), self._breaks.first_start(end, last)

    def future_cues(self) -> list[int]:
        if self._cues is None:
            low = self.text.translate(_LOWER)
            self._cues = []
            for found in _FUTURE.finditer(low):
                at, cue = found.start(), found[0]
                if (cue != "'ll" and at and low[at - 1].isalpha()) or (
                    cue in ("will", "next") and low[max(0, at - 4) : at] == "the "
                ):
                    continue
                if cue != "next" or not _NEXT_TO.match(low, found.end()):
                    self._cues.append(at)
        return self._cues

    def looks_ahead(self, start: int, end: int) -> bool:
        """True when the clause speaks of the future and no past-tense verb pins it."""
        first, last = self.clause(start, end)
        cues = self.future_cues()
        at = bisect_left(cues, first)
        if at == len(cues) or cues[at] >= last:
            return False
        return not (_REPORTED_AFTER.match(self.text, end) or _past_verb_before(self.text, start))


class _ClauseBreaks:
    """Where the text breaks into clauses, found once (a search per expression is quadratic
    in a sentence that never ends): the breaks a scan from the start finds, and every
    position a break may start at, with its end."""

    __slots__ = ("_any_ends", "_any_starts", "_ends", "_starts")

    def __init__(self, text: str) -> None:
        scanned = [m.span() for m in _CLAUSE_BREAK.finditer(text)]
        self._starts = [start for start, _ in scanned]
        self._ends = [end for _, end in scanned]
        anywhere = [(m.start(), m.end(1)) for m in _ANY_CLAUSE_BREAK.finditer(text)]
        self._any_starts = [start for start, _ in anywhere]
        self._any_ends = [end for _, end in anywhere]

    def last_end(self, first: int, start: int) -> int:
        """The end of the last break in ``[first, start)``; ``first`` when none."""
        n = bisect_right(self._ends, start) - 1
        return self._ends[n] if n >= 0 and self._starts[n] >= first else first

    def first_start(self, end: int, last: int) -> int:
        """The start of the first break in ``[end, last)``; ``last`` when none."""
        for n in range(bisect_left(self._any_starts, end), len(self._any_starts)):
            if self._any_starts[n] >= last:
                break
            if self._any_ends[n] <= last:
                return self._any_starts[n]
        return last


def _past_verb_before(text: str, start: int) -> bool:
    """A past-tense verb right before: "said (on)", "told reporters", "was shut on",
    "said in a statement on", "arrived on" (but not "will be launched on")."""
    words = text[max(0, start - 48) : start].lower().split()[-5:]
    if words and words[-1] in ("on", "late", "early"):
        words.pop()
    if not words or not words[-1].isalpha():
        return False  # punctuation between: the verb belongs to another clause
    last, second = words[-1], words[-2] if len(words) > 1 else ""
    if last in _REPORTING_VERBS or second in ("told", "was", "were"):
        return True  # "said", "told reporters", "was shut"
    if len(words) > 3 and words[-4] in _REPORTING_VERBS and words[-3] in ("in", "at"):
        return True
    past = last in _IRREGULAR_PAST or (
        len(last) > 3 and last.endswith("ed") and last not in _NOT_PAST
    )
    return past and second not in ("be", "being")


_Handler = Callable[[re.Match[str], _Context], _Meaning | None]

# Holidays on a fixed day of the year, resolved like "December 31" written without a year.
_HOLIDAYS = {
    "new year's eve": (12, 31),
    "new year's day": (1, 1),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "boxing day": (12, 26),
    "valentine's day": (2, 14),
    "halloween": (10, 31),
}
_HOLIDAY = re.compile(
    r"(?i:new\s+year['’]s\s+(?:eve|day)|christmas\s+(?:eve|day)|boxing\s+day"
    r"|valentine['’]s\s+day|halloween)\b"
)


def _on_holiday(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    key = re.sub(r"\s+", " ", match[0].lower().replace("’", "'"))
    month, day = _HOLIDAYS[key]
    if ctx.pub is None:
        return _unresolved(relative=True, day_like=True)
    forward = ctx.looks_ahead(match.start(), match.end())
    return _one_day(_nearest_date(ctx.pub, month, day, forward=forward), relative=True)


# --- handlers: each turns a match into a meaning, or None to drop it ----------------------


def _on_iso(match: re.Match[str], _: _Context) -> _Meaning | None:
    found = _valid(int(match["year"]), int(match["mon"]), int(match["day"]))
    return None if found is None else _one_day(found, relative=False)


def _on_slashed(match: re.Match[str], _: _Context) -> _Meaning | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    day, month = max(a, b), min(a, b)
    if month == 0 or month > 12:
        return None
    if a != b and day <= 12:
        return _unresolved(relative=False, day_like=True)  # 09/12: US or European order?
    found = _valid(year, month, day)
    return None if found is None else _one_day(found, relative=False)


def _on_month_day(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    month, day = _month_of(match["mon"]), int(match["day"].rstrip("stndrh"))
    if match["year"]:
        return _one_day(_valid(int(match["year"]), month, day), relative=False)
    if (
        _valid(2016, month, day) is None  # 2016: a leap year, so 29 February passes
        or ctx.pub is None
        or ctx.previous_word(match.start()) == "the"  # "the Sept. 11 attacks": which year?
    ):
        return _unresolved(relative=True, day_like=True)
    forward = ctx.looks_ahead(match.start(), match.end())
    found = _nearest_date(ctx.pub, month, day, forward=forward)
    if match["wd"] and found is not None:
        weekday = _WEEKDAY_NUMBER[match["wd"].lower()]
        if found.weekday() != weekday:  # try the other direction; else leave it open
            found = _nearest_date(ctx.pub, month, day, forward=not forward)
            found = found if found is not None and found.weekday() == weekday else None
    return _one_day(found, relative=True)


def _on_month_year(match: re.Match[str], _: _Context) -> _Meaning | None:
    return _resolved(
        _month_span(int(match["year"]), _month_of(match["mon"])), "month", relative=False
    )


def _bare_month_is_date(ctx: _Context, start: int, end: int, month: int) -> bool:
    """Keep "in May" and "September was", drop "May I", "April Ryan", "the March on"."""
    text, previous = ctx.text, ctx.previous_word(start)
    if _NAME_AFTER.match(text, end):
        return False  # a first name, as in "from June Carter"
    if month == 5:
        return previous in _MAY_CUES and not _POSSESSIVE_AFTER.match(text, end)
    if month == 3 and previous not in _MONTH_CUES:
        return not (
            _MARCH_AFTER.match(text, end)
            or _POSSESSIVE_BEFORE.search(text, max(0, start - 4), start)
        )
    return True


def _on_month_alone(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    month, mod = _month_of(match["mon"]), _mod(match["mod"])
    if not (mod or match["pos"]) and not _bare_month_is_date(
        ctx, match.start(), match.end(), month
    ):
        return None
    pub = ctx.pub
    if pub is None:
        return _unresolved(relative=True)
    year: int | None
    if mod == "this":
        year = pub.year
    elif mod == "this past":
        year = pub.year if month < pub.month else pub.year - 1
    elif mod == "this coming":
        year = pub.year if month > pub.month else pub.year + 1
    elif mod == "last":  # resolved only where "most recent" and "last year's" agree
        year = pub.year - 1 if month >= pub.month else None
    elif mod == "next":
        year = pub.year + 1 if month <= pub.month else None
    elif ctx.looks_ahead(match.start(), match.end()):
        year = pub.year if month >= pub.month else pub.year + 1
    else:
        year = pub.year if month <= pub.month else pub.year - 1
    span = None if year is None else _month_span(year, month)
    return _resolved(span, "month", relative=True)


def _on_year(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    text, start, end = ctx.text, match.start(), match.end()
    if _COUNTED_AFTER.match(text, end):
        return None
    if not match["pos"]:
        previous = ctx.previous_word(start)
        if not (
            previous in _YEAR_CUES
            or (previous == "the" and _EVENT_AFTER.match(text, end))
            or _YEAR_BEFORE_YEAR.search(text, max(0, start - 16), start)
            or _POSSESSIVE_AFTER.match(text, end)
        ):
            return None
    return _resolved(_year_span(int(match["year"])), "year", relative=False)


def _on_weekday(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    text, start, end = ctx.text, match.start(), match.end()
    mod, week = _mod(match["mod"]), _mod(match["week"])
    if not (mod or week) and (
        _NAMED_DAY_BEFORE.search(text, max(0, start - 24), start)
        or _NAMED_DAY_AFTER.match(text, end)
    ):
        return None
    pub = ctx.pub
    if pub is None:
        return _unresolved(relative=True, day_like=True)
    weekday = _WEEKDAY_NUMBER[match["wd"].lower()]
    back, ahead = (pub.weekday() - weekday) % 7, (weekday - pub.weekday()) % 7
    if week:
        shift = {"last": -1, "this": 0, "next": 1}[week]
        found = _week_span(pub + timedelta(weeks=shift))[0] + timedelta(days=weekday)
    elif mod in ("last", "this past"):
        found = pub - timedelta(days=back or 7)
    elif mod in ("next", "this coming", "coming"):
        found = pub + timedelta(days=ahead or 7)
    elif mod == "this":
        found = _week_span(pub)[0] + timedelta(days=weekday)
    elif ctx.looks_ahead(start, end):
        found = pub + timedelta(days=ahead)
    else:
        found = pub - timedelta(days=back)
    return _one_day(found, relative=True)


def _on_day_word(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    if ctx.pub is None:
        return _unresolved(relative=True, day_like=True)
    if match["before"]:
        offset = -2
    elif match["after"]:
        offset = 2
    elif match["near"]:
        offset = -1 if match["near"].lower() == "yesterday" else 1
    else:
        offset = -1 if match["night"] else 0
    return _one_day(ctx.pub + timedelta(days=offset), relative=True)


def _weekend(pub: date, which: str) -> _Range:
    """ "last", "this" or "next" weekend (of the calendar week), or "coming" (next Saturday)."""
    if which == "coming":
        return _weekend_from(pub + timedelta(days=(5 - pub.weekday()) % 7 or 7))
    shift = {"last": -1, "this": 0, "next": 1}[which]
    return _weekend_from(_calendar_span(pub, "week", shift)[0] + timedelta(days=5))


def _on_period(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    unit, mod, adverb = match["unit"].lower(), _mod(match["mod"]), _mod(match["adv"])
    if adverb and unit == "weekend":
        return None
    pub = ctx.pub
    if pub is None or match["coming"]:
        return _unresolved(relative=True)
    span: _Range
    if unit == "weekend":
        which = {"this past": "last", "this coming": "coming"}.get(mod, mod or "last")
        span = _weekend(pub, which)
    elif adverb:
        first, last = _calendar_span(pub, unit, 0)
        span = (first, pub) if adverb == "earlier" else (pub, last)
    elif match["roll"] or mod == "this past":
        span = _rolling_span(pub, unit, 1)
    else:
        span = _calendar_span(pub, unit, {"last": -1, "this": 0}.get(mod, 1))
    return _resolved(span, unit, relative=True)


def _on_over_the_weekend(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    if ctx.previous_word(match.start()) not in ("over", "at", "during", "on", "across"):
        return None
    pub = ctx.pub
    if pub is None:
        return _unresolved(relative=True)
    if ctx.looks_ahead(match.start(), match.end()):
        saturday = pub + timedelta(days=(5 - pub.weekday()) % 7)
    else:
        saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
    return _resolved(_weekend_from(saturday), "weekend", relative=True)


def _on_ago(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    count, unit, pub = _count(_mod(match["n"])), match["unit"].lower(), ctx.pub
    if count is None or pub is None:
        return _unresolved(relative=True, day_like=unit == "day")
    span: _Range
    if unit == "day":
        day = pub - timedelta(days=count)
        span = (day, day)
    elif unit == "week":
        span = _week_span(pub - timedelta(weeks=count))
    else:
        span = _calendar_span(pub, unit, -count)
    return _resolved(span, unit, relative=True)


def _on_rolling(match: re.Match[str], ctx: _Context) -> _Meaning | None:
    count, unit, pub = _count(_mod(match["n"])), match["unit"].lower(), ctx.pub
    if count is None or pub is None:
        return _unresolved(relative=True)
    return _resolved(_rolling_span(pub, unit, count), unit, relative=True)


def _on_anchored(_match: re.Match[str], _ctx: _Context) -> _Meaning | None:
    return _unresolved(relative=False)  # "17 years later": anchored on some other event


class _Rule(NamedTuple):
    pattern: re.Pattern[str]
    handler: _Handler
    first_words: frozenset[str]  # lower-cased words a match can begin with; "#2": 2 digits


_MONTH_WORDS = frozenset(
    _words(
        "january february march april may june july august september october november "
        "december jan feb mar apr jun jul aug sep sept oct nov dec"
    )
)
_WEEKDAY_WORDS = frozenset(_WEEKDAY_NUMBER)
_DAY_DIGITS = frozenset({"#1", "#2"})
_NUMBER_WORDS = _DAY_DIGITS | _COUNT_WORDS.keys() | {"#3", "few", "several", "many", "some"}
_POSITION_WORDS = frozenset({"early", "late", "mid"})
_THIS_LAST_NEXT = frozenset({"this", "last", "next"})

# Order breaks ties between equally long candidates: earlier rules win.
_RULES: tuple[_Rule, ...] = (
    _Rule(_ISO, _on_iso, frozenset({"#4"})),
    _Rule(_SLASHED, _on_slashed, _DAY_DIGITS),
    _Rule(_MONTH_DAY, _on_month_day, _MONTH_WORDS | _WEEKDAY_WORDS),
    _Rule(_DAY_MONTH, _on_month_day, _WEEKDAY_WORDS | _DAY_DIGITS | {"the"}),
    _Rule(_MONTH_YEAR, _on_month_year, _MONTH_WORDS | _POSITION_WORDS),
    _Rule(
        _DAY_WORD,
        _on_day_word,
        frozenset({"the", "yesterday", "tomorrow", "today", "tonight", "this", "last"}),
    ),
    _Rule(_WEEKDAY_PHRASE, _on_weekday, _WEEKDAY_WORDS | _THIS_LAST_NEXT | {"coming"}),
    _Rule(_PERIOD, _on_period, _THIS_LAST_NEXT | {"earlier", "later", "the"}),
    _Rule(_OVER_THE_WEEKEND, _on_over_the_weekend, frozenset({"the"})),
    _Rule(_AGO, _on_ago, _NUMBER_WORDS),
    _Rule(_ROLLING, _on_rolling, frozenset({"the"})),
    _Rule(_ANCHORED, _on_anchored, _NUMBER_WORDS | {"the", "later", "earlier", "that"}),
    _Rule(_MONTH_ALONE, _on_month_alone, _MONTH_WORDS | _POSITION_WORDS | _THIS_LAST_NEXT),
    _Rule(_YEAR, _on_year, _POSITION_WORDS | {"#4"}),
    _Rule(
        _HOLIDAY, _on_holiday, frozenset({"new", "christmas", "boxing", "valentine", "halloween"})
    ),
)
# Which rules to try where a word starts: the text is scanned once, word by word.
_RULES_BY_FIRST_WORD: dict[str, tuple[int, ...]] = {
    word: tuple(order for order, rule in enumerate(_RULES) if word in rule.first_words)
    for word in frozenset().union(*(rule.first_words for rule in _RULES))
}
_WORD = re.compile(r"[A-Za-z]+|\d+")


# --- assembly ----------------------------------------------------------------------------

_Candidate = tuple[int, int, int, _Meaning]  # start, end, rule order, meaning


def _candidates(ctx: _Context) -> list[_Candidate]:
    """Every match of every rule, tried only where a word that can begin it starts."""
    text = ctx.text
    found: list[_Candidate] = []
    for word in _WORD.finditer(text):
        key = word[0]
        orders = _RULES_BY_FIRST_WORD.get(f"#{len(key)}" if key[0].isdigit() else key.lower())
        for order in orders or ():
            rule = _RULES[order]
            match = rule.pattern.match(text, word.start())
            if match is None:
                continue
            meaning = _meaning(rule, match, ctx)
            if meaning is not None:
                found.append((match.start(), match.end(), order, meaning))
    return found


def _meaning(rule: _Rule, match: re.Match[str], ctx: _Context) -> _Meaning | None:
    """What the rule makes of the match; left unresolved, as in an undated article, where
    it would fall outside the calendar ("last week" written on 0001-01-01)."""
    try:
        return rule.handler(match, ctx)
    except OverflowError:  # date arithmetic (and ``_on_calendar``) past year 1 or 9999
        return rule.handler(match, ctx.undated())


def _longest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, the longest kept where they collide, sorted by start."""
    starts: list[int] = []  # of the kept candidates, which never overlap: ends sort alike
    kept: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c[0] - c[1], c[0], c[2])):
        start, end = candidate[0], candidate[1]
        at = bisect_right(starts, start)
        if (at and kept[at - 1][1] > start) or (at < len(kept) and kept[at][0] < end):
            continue
        starts.insert(at, start)
        kept.insert(at, candidate)
    return kept


def _with_clock(text: str, kept: list[_Candidate]) -> list[tuple[int, int, _Meaning]]:
    """Widen single days over an attached time of day ("3 p.m. on Tuesday")."""
    spans: list[tuple[int, int, _Meaning]] = []
    for index, (start, end, _, meaning) in enumerate(kept):
        if meaning.day_like:
            floor = spans[-1][1] if spans else 0
            ceiling = kept[index + 1][0] if index + 1 < len(kept) else len(text)
            before = _CLOCK_BEFORE.search(text, max(floor, start - 24), start)
            after = _CLOCK_AFTER.match(text, end, ceiling)
            start = before.start() if before else start
            end = after.end() if after else end
        spans.append((start, end, meaning))
    return spans


def find_times(text: str, published: datetime | None) -> list[TimeExpression]:
    """Date and time expressions in ``text``, resolved against ``published`` where needed.

    Sorted by start and non-overlapping; see the module docstring for the conventions.
    """
    ctx = _Context(text, published.date() if published is not None else None)
    return [
        TimeExpression(
            start=start,
            end=end,
            text=text[start:end],
            first=meaning.first,
            last=meaning.last,
            granularity=meaning.granularity,
            relative=meaning.relative,
        )
        for start, end, meaning in _with_clock(text, _longest_first(_candidates(ctx)))
    ]
