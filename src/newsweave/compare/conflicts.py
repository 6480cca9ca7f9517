"""Numbers, dates and statements that disagree between outlets.

Numbers: two quantities conflict when they count the same thing (the same counted noun, or
the same unit when nothing is counted), in the same role where both roles are known
(killed, injured, arrested, shot, evacuated: "two people killed" and "three people
arrested" count different things), their sentences are about the same matter (they share
words beyond the number), and the ranges their modifiers allow do not overlap: "2,000
troops" and "more than 2,200 troops" conflict, "about 2,000" and "2,000" do not. Two
outlets quoting the same words are not in conflict over the numbers inside them.

Dates: time expressions of aligned statements that resolve to different days.

Negations: the same source, verb and target, done in one outlet and not done in another.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from newsweave.annotate.spans import SpanSet
from newsweave.annotation import Quantity
from newsweave.compare.model import Conflict, Coverage, Fact, Side
from newsweave.compare.text import overlap, sentence_at, sentence_holding, words

_APPROXIMATE = frozenset(
    {"about", "around", "approximately", "some", "roughly", "an estimated", "close to",
     "estimated", "nearly", "almost", "just under", "just over"}
)  # fmt: skip
_ABOVE = frozenset({"over", "more than", "just over"})
_AT_LEAST = frozenset({"at least", "as many as"})
_BELOW = frozenset({"fewer than", "less than", "under", "just under"})
_AT_MOST = frozenset({"up to", "at most", "as few as"})
_DURATIONS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade"})
_MONTH_NAMED = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\b", re.IGNORECASE
)
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
APPROXIMATION = 0.1  # "about 2,000" allows 1,800 to 2,200
CONTEXT_OVERLAP = 0.2  # share of sentence words two numbers' sentences must have in common
MAX_RATIO = 2.0  # reports of one count rarely differ more; beyond, it is another count
SAME_QUOTATION = 0.5  # share of words two quotations share to be one quote
MAX_PER_ARTICLE = 100  # an article's first quantities and actions weighed (pairs are)


def value_range(value: float, modifier: str | None) -> tuple[float, float]:
    """The values a quantity with this modifier allows."""
    if modifier in _AT_LEAST:
        return value, math.inf
    if modifier in _AT_MOST:
        return 0.0, value
    if modifier in _ABOVE:
        return value * (1 + 1e-9), math.inf
    if modifier in _BELOW:
        return 0.0, value * (1 - 1e-9)
    if modifier in _APPROXIMATE:
        return value * (1 - APPROXIMATION), value * (1 + APPROXIMATION)
    return value, value


def compatible(first: Quantity, second: Quantity) -> bool:
    low1, high1 = value_range(first.value, first.modifier)
    low2, high2 = value_range(second.value, second.modifier)
    return low1 <= high2 and low2 <= high1


def _thing(quantity: Quantity, item: Coverage) -> str | None:
    """What is counted, reduced to its head noun ("US soldiers" -> "soldier"). A bare
    measure ("47 percent") takes the word it measures from before it ("turnout")."""
    if quantity.counted:
        head = quantity.counted.lower().split()[-1]
        return head[:-1] if head.endswith("s") and not head.endswith("ss") else head
    if quantity.unit is None:
        return None
    return f"{_measured(item, quantity.start)} {quantity.unit}"


def _measured(item: Coverage, start: int) -> str:
    """The last content word before ``start`` in its clause: "Turnout was 47 percent"."""
    sentence = sentence_holding(item, start)
    if sentence is None:
        return ""
    clause = item.article.text[sentence.start : start]
    opens = sentence.start + max((clause.rfind(mark) for mark in ",;:.!?"), default=-1) + 1
    before = [
        word for word, at in zip(words(sentence), sentence.offsets, strict=True)
        if opens <= at < start and not word[0].isdigit()
    ]  # fmt: skip
    return before[-1] if before else ""


def _side(item: Coverage, quantity: Quantity) -> Side:
    sentence = sentence_at(item, quantity.start)
    return Side(
        item.article.id, item.outlet, quantity.text, quantity.start, quantity.end, sentence,
        value=quantity.value, modifier=quantity.modifier,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Count:
    """A quantity with what it counts and the context of its sentence, worked out once."""

    item: Coverage
    quantity: Quantity
    thing: str
    context: Counter[str]  # the sentence's words, numbers left out
    years: frozenset[str]
    quoted: tuple[str, ...] | None  # the words of the quotation holding it, if any

    @property
    def role(self) -> str | None:
        return role_class(self.quantity.role)

    @property
    def label(self) -> str:
        role = self.role
        return f"{self.thing} {role}" if role else self.thing


def _counts(coverage: Sequence[Coverage]) -> list[_Count]:
    found = []
    for item in coverage:
        for q in item.annotations.quantities[:MAX_PER_ARTICLE]:
            thing = _thing(q, item)
            if thing is None or (q.counted is None and q.unit in _DURATIONS):
                continue
            if not _a_count_of_this_event(thing):
                continue
            holding = sentence_holding(item, q.start)
            sentence = sentence_at(item, q.start)
            found_words = words(holding) if holding is not None else []
            context = Counter(w for w in found_words if not w[0].isdigit())
            years = frozenset(_YEAR.findall(sentence))
            found.append(_Count(item, q, thing, context, years, _quoted(item, q.start)))
    return found


# a number before these labels a place, not a count: "19 Plymouth St.", "the 5700 block"
_ADDRESS_WORDS = frozenset({
    "block", "st", "st.", "street", "ave", "ave.", "avenue", "rd", "rd.", "road", "dr", "dr.",
    "drive", "blvd", "boulevard", "lane", "ln", "way", "court", "ct", "place", "pl", "highway",
    "hwy", "route", "interstate", "floor", "apartment", "apt", "room", "suite",
})  # fmt: skip


def _a_count_of_this_event(thing: str) -> bool:
    """Whether the number counts something rather than labels a place ("19 Plymouth St.",
    "the 5700 block")."""
    return thing.split()[-1] not in _ADDRESS_WORDS


def _quoted(item: Coverage, position: int) -> tuple[str, ...] | None:
    """The words of the quotation holding ``position`` (None when it is in none)."""
    holding = [q for q in item.annotations.quotes if q.start <= position < q.end]
    sentence = sentence_holding(item, position)
    if not holding or sentence is None:
        return None
    quote = holding[0]
    pairs = zip(words(sentence), sentence.offsets, strict=True)
    return tuple(word for word, at in pairs if quote.start <= at < quote.end)


def number_conflicts(coverage: Sequence[Coverage]) -> list[Conflict]:
    """Groups of disagreeing quantities, one group per thing counted."""
    by_thing: dict[tuple[str, str | None], list[_Count]] = {}
    for count in _counts(coverage):
        by_thing.setdefault((count.thing, count.quantity.unit), []).append(count)
    found: dict[str, list[Side]] = {}
    seen: set[tuple[str, int]] = set()
    for group in by_thing.values():
        for first, second in combinations(group, 2):
            if first.item.outlet == second.item.outlet or not _disagree(first, second):
                continue
            label = first.label if first.role else second.label
            sides = found.setdefault(label, [])
            for count in (first, second):
                key = (count.item.article.id, count.quantity.start)
                if key not in seen:
                    seen.add(key)
                    sides.append(_side(count.item, count.quantity))
    return [Conflict("number", thing, sides) for thing, sides in found.items()]


def _disagree(first: _Count, second: _Count) -> bool:
    """Incompatible values of the same matter at the same time, at most 2x apart. The
    sentences must share words beyond the numbers, and no explicit years apart: "at its
    peak in 2015" and "left in 2016" count different things."""
    q1, q2 = first.quantity, second.quantity
    if compatible(q1, q2) or _one_quotation(first, second):
        return False
    if first.role and second.role and first.role != second.role:
        return False  # "two killed", "three arrested"
    if max(q1.value, q2.value) > MAX_RATIO * max(min(q1.value, q2.value), 1e-9):
        return False
    if first.years and second.years and not first.years & second.years:
        return False
    return overlap(first.context, second.context) >= CONTEXT_OVERLAP


def _one_quotation(first: _Count, second: _Count) -> bool:
    """Both numbers inside quotations of mostly the same words: one quote, reproduced."""
    if first.quoted is None or second.quoted is None:
        return False
    return overlap(list(first.quoted), list(second.quoted)) >= SAME_QUOTATION


# Roles that name one thing in different words: "two killed" and "two dead" count the same.
_ROLE_WORDS = {
    "killed": "kill die dead death fatality slay murder perish fatal",
    "injured": "injure wound hurt treat hospitalize injury",
    "arrested": "arrest detain charge apprehend book jail",
    "shot": "shoot",
    "evacuated": "evacuate flee displace",
}  # fmt: skip
_ROLE_CLASSES = {word: role for role, listed in _ROLE_WORDS.items() for word in listed.split()}


def role_class(role: str | None) -> str | None:
    """The role a predicate's lemma names: "die", "dead" and "kill" are all "killed"; None
    for a predicate of no known role ("back", "battle"), which leaves the role open."""
    return _ROLE_CLASSES.get(role) if role else None


def date_conflicts(facts: Sequence[Fact], coverage: Sequence[Coverage]) -> list[Conflict]:
    """Aligned statements that each name one day, and not the same one.

    Only statements with a single day-precise date take part, so a sentence that names
    two days (the deal on Thursday, the vote on Friday) proves nothing.
    """
    by_id = {item.article.id: _Days(item) for item in coverage}
    conflicts: list[Conflict] = []
    for fact in facts:
        dated = [
            (side, _statement_words(by_id[statement.article_id].item, statement.start))
            for statement in fact.statements
            if (side := by_id[statement.article_id].only_day(statement.start, statement.end,
                                                           statement.text)) is not None
        ]  # fmt: skip
        sides = [side for side, found in dated if _contradicted(side, found, dated)]
        if sides:
            conflicts.append(Conflict("date", "date of the same fact", sides))
    return conflicts


DATELINE_SHARE = 3  # a date a third of its statement's words or more makes a dateline
SAME_STATEMENT = 0.5  # share of words two statements give a day in share, to be one claim


def _statement_words(item: Coverage, start: int) -> list[str]:
    found = sentence_holding(item, start)
    return [w for w in words(found) if not w[0].isdigit()] if found is not None else []


def _contradicted(side: Side, found: list[str], dated: list[tuple[Side, list[str]]]) -> bool:
    """Whether another outlet gives another day in a statement of mostly the same words
    (a fact's looser members may each date a different step of the event)."""
    return any(
        other.outlet != side.outlet and _days_differ(side, other)
        and overlap(found, words) >= SAME_STATEMENT
        for other, words in dated
    )  # fmt: skip


def _days_differ(first: Side, second: Side) -> bool:
    """Two named days disagree: by the weekday when either is named by one ("on Saturday",
    "on Sunday": articles dated apart resolve one weekday to different dates), else by the
    date."""
    if _WEEKDAY.search(first.text) or _WEEKDAY.search(second.text):
        return _weekday(first) != _weekday(second)
    return _day_key(first) != _day_key(second)


def _weekday(side: Side) -> int:
    return date.fromisoformat(str(side.value)).weekday()


def _day_key(side: Side) -> str:
    """ "July 1" and "1 July" name one day whatever year each article resolved it to."""
    value = str(side.value)
    return value[5:] if _MONTH_NAMED.search(side.text) else value


class _Days:
    """An article's day-precise dates outside direct quotes (the speaker's day, not the
    article's), sorted once and looked up by bisection."""

    def __init__(self, item: Coverage) -> None:
        self.item = item
        quoted = SpanSet((q.start, q.end) for q in item.annotations.quotes if q.kind == "direct")
        self.days = sorted(
            (t for t in item.annotations.times
             if t.granularity == "day" and t.first is not None
             and not quoted.overlaps(t.start, t.start + 1)),
            key=lambda t: t.start,
        )  # fmt: skip
        self.starts = [t.start for t in self.days]

    def only_day(self, start: int, end: int, sentence: str) -> Side | None:
        """The statement's one day, when it names exactly one."""
        low, high = bisect_left(self.starts, start), bisect_left(self.starts, end)
        first = self.days[low].first if high - low == 1 else None
        if first is None:
            return None
        day, item = self.days[low], self.item
        if len(day.text.split()) * DATELINE_SHARE >= len(sentence.split()):
            return None  # a dateline, not a claim
        if day.relative and not _WEEKDAY.search(day.text):
            return None  # "today", "last night": only the publication dates differ
        return Side(item.article.id, item.outlet, day.text, day.start, day.end, sentence,
                    value=first.isoformat())  # fmt: skip


_ANTONYMS = {
    frozenset(pair)
    for pair in (("accept", "reject"), ("approve", "reject"), ("support", "oppose"),
                 ("confirm", "deny"), ("agree", "refuse"), ("win", "lose"), ("rise", "fall"),
                 ("increase", "decrease"), ("admit", "deny"), ("lift", "impose"),
                 ("open", "close"), ("release", "detain"), ("withdraw", "deploy"))
}  # fmt: skip


def negations(coverage: Sequence[Coverage]) -> list[Conflict]:
    """The same action done in one outlet and denied in another, or its opposite done:
    "X accepted the plan" against "X rejected the plan"."""
    seen: dict[tuple[str, str | None], list[tuple[str, Side]]] = {}
    for item in coverage:
        for action in item.annotations.actions[:MAX_PER_ARTICLE]:
            sentence = item.article.text[action.start : action.end]
            side = Side(item.article.id, item.outlet, sentence, action.start, action.end,
                        sentence, value=not action.negated)  # fmt: skip
            seen.setdefault((action.source, action.target), []).append((action.verb, side))
    conflicts = []
    for (source, target), done in seen.items():
        for (verb1, side1), (verb2, side2) in combinations(done, 2):
            if side1.outlet == side2.outlet:
                continue
            negated = verb1 == verb2 and side1.value != side2.value
            opposite = frozenset((verb1, verb2)) in _ANTONYMS and side1.value == side2.value
            if negated or opposite:
                what = f"{source} {verb1}/{verb2} {target or ''}".strip()
                conflicts.append(Conflict("negation", what, [side1, side2]))
    return conflicts
