"""Time expressions: found with exact spans, resolved against the publication day, never guessed."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsweave.annotate.times import find_times
from newsweave.annotation import TimeExpression

WED = datetime(2016, 9, 14, 10, 0, tzinfo=UTC)  # a Wednesday
JAN2 = datetime(2017, 1, 2, 9, 0, tzinfo=UTC)  # a Monday
JAN3 = datetime(2017, 1, 3, 9, 0, tzinfo=UTC)


def only(text: str, published: datetime | None) -> TimeExpression:
    found = find_times(text, published)
    assert len(found) == 1, found
    return found[0]


def check_spans(text: str, found: list[TimeExpression]) -> None:
    for expression in found:
        assert text[expression.start : expression.end] == expression.text
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start


def meaning(expected: str) -> tuple[date | None, date | None, str | None, bool]:
    """first, last, granularity and relative from a short form: "2016-09-12" (a day),
    "2016-09" (a month), "2016" (a year), "2016-09-05/2016-09-11 week" (a range), "?"
    (unresolved); a trailing " abs" marks an expression that needs no publication date."""
    words = expected.split()
    relative = words[-1] != "abs"
    value = words[0]
    if value == "?":
        return None, None, None, relative
    if "/" in value:
        first, last = (date.fromisoformat(part) for part in value.split("/"))
        return first, last, words[1], relative
    if len(value) == 10:
        day = date.fromisoformat(value)
        return day, day, "day", relative
    if len(value) == 7:
        first = date.fromisoformat(f"{value}-01")
        following = (first + timedelta(days=31)).replace(day=1)
        return first, following - timedelta(days=1), "month", relative
    year = int(value)
    return date(year, 1, 1), date(year, 12, 31), "year", relative


# published, text, the span expected, its meaning (see ``meaning``)
Case = tuple[datetime | None, str, str, str]

WEEKDAYS: list[Case] = [
    (WED, "The attack on Monday killed four.", "Monday", "2016-09-12"),
    (WED, "Officials met on Wednesday.", "Wednesday", "2016-09-14"),
    (WED, "Thursday was calm.", "Thursday", "2016-09-08"),
    (WED, "He will visit Paris on Friday.", "Friday", "2016-09-16"),
    (WED, "The summit is due to open on Monday.", "Monday", "2016-09-19"),
    (WED, "Talks are scheduled for Wednesday.", "Wednesday", "2016-09-14"),
    (WED, "She plans to return on Tuesday.", "Tuesday", "2016-09-20"),
    (WED, "Protests are planned for Saturday.", "Saturday", "2016-09-17"),
    (WED, "It happened last Wednesday.", "last Wednesday", "2016-09-07"),
    (WED, "It happened last Monday.", "last Monday", "2016-09-12"),
    (WED, "The vote is next Wednesday.", "next Wednesday", "2016-09-21"),
    (WED, "The vote is next Friday.", "next Friday", "2016-09-16"),
    (WED, "This Monday's meeting ran late.", "This Monday", "2016-09-12"),
    (WED, "They left this past Sunday.", "this past Sunday", "2016-09-11"),
    (WED, "They go this coming Sunday.", "this coming Sunday", "2016-09-18"),
    (WED, "Shots rang out on Tuesday night.", "Tuesday night", "2016-09-13"),
    (WED, "Rain fell Monday morning.", "Monday morning", "2016-09-12"),
    (WED, "Wednesday's attack left 12 dead.", "Wednesday", "2016-09-14"),
    (WED, "It began on Friday of last week.", "Friday of last week", "2016-09-09"),
    # a past-tense verb beside the day keeps it in the past whatever comes later
    (WED, "She said on Friday that she will resign.", "Friday", "2016-09-09"),
    (WED, "The plant, which will close, was shut on Friday.", "Friday", "2016-09-09"),
    (WED, "He was killed on Monday; a funeral will follow.", "Monday", "2016-09-12"),
    # "will be launched": no past tense there
    (WED, "It will be launched on Friday.", "Friday", "2016-09-16"),
    # an attached time of day stays with its day
    (WED, "It began at 3 p.m. on Tuesday.", "3 p.m. on Tuesday", "2016-09-13"),
    (WED, "They met yesterday at noon.", "yesterday at noon", "2016-09-13"),
    (WED, "Friday at 9 a.m. the polls opened.", "Friday at 9 a.m.", "2016-09-09"),
    # the previous sentence's "will" does not count
    (WED, "Markets will open. Talks ended on Monday.", "Monday", "2016-09-12"),
]

DAY_WORDS: list[Case] = [
    (WED, "Yesterday the rebels withdrew.", "Yesterday", "2016-09-13"),
    (WED, "Polls close today.", "today", "2016-09-14"),
    (WED, "He speaks tonight.", "tonight", "2016-09-14"),
    (WED, "The verdict is expected tomorrow.", "tomorrow", "2016-09-15"),
    (WED, "It was signed the day before yesterday.", "the day before yesterday", "2016-09-12"),
    (WED, "It opens the day after tomorrow.", "the day after tomorrow", "2016-09-16"),
    (WED, "Troops moved in this morning.", "this morning", "2016-09-14"),
    (WED, "Sirens sounded last night.", "last night", "2016-09-13"),
    (WED, "Officials met yesterday morning.", "yesterday morning", "2016-09-13"),
    (WED, "Today's vote was close.", "Today", "2016-09-14"),
]

PERIODS: list[Case] = [
    (WED, "Prices rose last week.", "last week", "2016-09-05/2016-09-11 week"),
    (WED, "Prices rose this week.", "this week", "2016-09-12/2016-09-18 week"),
    (WED, "Prices rise next week.", "next week", "2016-09-19/2016-09-25 week"),
    (WED, "Prices rose last month.", "last month", "2016-08"),
    (WED, "Prices rose this month.", "this month", "2016-09"),
    (WED, "Prices rise next month.", "next month", "2016-10"),
    (WED, "Prices rose last year.", "last year", "2015"),
    (WED, "Prices rose this year.", "this year", "2016"),
    (WED, "Prices rise next year.", "next year", "2017"),
    (WED, "It fell earlier this month.", "earlier this month", "2016-09-01/2016-09-14 month"),
    (WED, "It falls later this month.", "later this month", "2016-09-14/2016-09-30 month"),
    (WED, "It fell earlier this year.", "earlier this year", "2016-01-01/2016-09-14 year"),
    (WED, "It falls later this week.", "later this week", "2016-09-14/2016-09-18 week"),
    (WED, "Over the past week, 40 died.", "the past week", "2016-09-08/2016-09-14 week"),
    (WED, "In the past two weeks, 40 died.", "the past two weeks", "2016-09-01/2016-09-14 week"),
    (WED, "Over the past year, 40 died.", "the past year", "2015-09-15/2016-09-14 year"),
    (WED, "They marched last weekend.", "last weekend", "2016-09-10/2016-09-11 week"),
    (WED, "They march this weekend.", "this weekend", "2016-09-17/2016-09-18 week"),
    (WED, "They march next weekend.", "next weekend", "2016-09-24/2016-09-25 week"),
    (WED, "They marched over the weekend.", "the weekend", "2016-09-10/2016-09-11 week"),
    (WED, "They will march over the weekend.", "the weekend", "2016-09-17/2016-09-18 week"),
]

AGO: list[Case] = [
    (WED, "It began three days ago.", "three days ago", "2016-09-11"),
    (WED, "It began 3 days ago.", "3 days ago", "2016-09-11"),
    (WED, "It began a week ago.", "a week ago", "2016-09-05/2016-09-11 week"),
    (WED, "It began two weeks ago.", "two weeks ago", "2016-08-29/2016-09-04 week"),
    (WED, "It began six months ago.", "six months ago", "2016-03"),
    (WED, "It began a year ago.", "a year ago", "2015"),
    (WED, "It began twenty years ago.", "twenty years ago", "1996"),
    (WED, "It began a few days ago.", "a few days ago", "?"),
    (WED, "It began several weeks ago.", "several weeks ago", "?"),
]

MONTHS: list[Case] = [
    (WED, "Fighting resumed in September.", "September", "2016-09"),
    (WED, "Fighting resumed in March.", "March", "2016-03"),
    (WED, "He was re-elected in March for a second term.", "March", "2016-03"),
    (WED, "Turnout fell, and April was worse.", "April", "2016-04"),
    (WED, "Fighting resumed in December.", "December", "2015-12"),
    (WED, "The vote will be held in December.", "December", "2016-12"),
    (WED, "The vote will be held in March.", "March", "2017-03"),
    (WED, "It rained in May.", "May", "2016-05"),
    (WED, "Elections are to be held in May.", "May", "2017-05"),
    (WED, "It began last September.", "last September", "2015-09"),
    (WED, "It ends next September.", "next September", "2017-09"),
    (WED, "It ends this September.", "this September", "2016-09"),
    (WED, "It began in early September.", "early September", "2016-09"),
    (WED, "It began in mid-August.", "mid-August", "2016-08"),
    (WED, "It began this past June.", "this past June", "2016-06"),
    (WED, "September was the hottest on record.", "September", "2016-09"),
    # written in November, "last September" is this year's or last year's: left open
    (datetime(2016, 11, 1), "It began last September.", "last September", "?"),
    (datetime(2016, 3, 1), "It ends next September.", "next September", "?"),
    (datetime(2016, 10, 1), "It ends next September.", "next September", "2017-09"),
]

MONTH_DAYS: list[Case] = [
    (WED, "It fell on September 12.", "September 12", "2016-09-12"),
    (WED, "It fell on 12 September.", "12 September", "2016-09-12"),
    (WED, "It fell on Sept. 12.", "Sept. 12", "2016-09-12"),
    (WED, "It fell on Sept 12.", "Sept 12", "2016-09-12"),
    (WED, "It fell on September 12th.", "September 12th", "2016-09-12"),
    (WED, "It fell on September 1st.", "September 1st", "2016-09-01"),
    (WED, "It fell on the 3rd of March.", "the 3rd of March", "2016-03-03"),
    (WED, "It fell on 2 Feb.", "2 Feb.", "2016-02-02"),
    (WED, "It fell on the 12th of September.", "the 12th of September", "2016-09-12"),
    (WED, "It fell on Sept. 20.", "Sept. 20", "2015-09-20"),
    (WED, "The vote will take place on Sept. 20.", "Sept. 20", "2016-09-20"),
    (WED, "It fell on Wednesday, Sept. 7.", "Wednesday, Sept. 7", "2016-09-07"),
    # 2016-09-07 is a Wednesday, 2017-09-07 a Thursday: the weekday contradicts both
    (WED, "It fell on Monday, Sept. 7.", "Monday, Sept. 7", "?"),
    # a date used as a name says nothing of its year
    (WED, "Since the Sept. 11 attacks, much changed.", "Sept. 11", "?"),
]

ABSOLUTE: list[Case] = [
    (None, "Signed on September 12, 2016.", "September 12, 2016", "2016-09-12 abs"),
    (None, "Signed on 12 September 2016.", "12 September 2016", "2016-09-12 abs"),
    (None, "Signed on 2016-09-12.", "2016-09-12", "2016-09-12 abs"),
    (None, "Signed on Sept. 12, 2016.", "Sept. 12, 2016", "2016-09-12 abs"),
    (None, "Signed on Jan 5, 2015.", "Jan 5, 2015", "2015-01-05 abs"),
    (
        None,
        "Signed on the 12th of September, 2016.",
        "the 12th of September, 2016",
        "2016-09-12 abs",
    ),
    (None, "Signed on Monday, September 12, 2016.", "Monday, September 12, 2016", "2016-09-12 abs"),
    (WED, "Signed on July 4, 1776.", "July 4, 1776", "1776-07-04 abs"),
    (None, "Signed on 13/09/2016.", "13/09/2016", "2016-09-13 abs"),
    # 9 December or 12 September?
    (WED, "Signed on 09/12/2016.", "09/12/2016", "? abs"),
    (WED, "Signed on February 30, 2016.", "February 30, 2016", "? abs"),
    (WED, "Signed in September 2016.", "September 2016", "2016-09 abs"),
    (None, "Signed in March 2016.", "March 2016", "2016-03 abs"),
    (None, "Signed in Sept. 2015.", "Sept. 2015", "2015-09 abs"),
    (None, "Signed in 2016.", "2016", "2016 abs"),
    (WED, "Unrest since 2011.", "2011", "2011 abs"),
    (None, "Signed in early 2015.", "early 2015", "2015 abs"),
    (None, "Before the 2016 election.", "2016", "2016 abs"),
]

YEAR_BOUNDARIES: list[Case] = [
    (JAN2, "Prices rose last month.", "last month", "2016-12"),
    (JAN2, "Talks stalled last week.", "last week", "2016-12-26/2017-01-01 week"),
    (JAN3, "Sales fell in December.", "December", "2016-12"),
    (JAN2, "The blast on Dec. 30 killed two.", "Dec. 30", "2016-12-30"),
    (JAN3, "Last December was cold.", "Last December", "2016-12"),
    (JAN2, "Prices rose last year.", "last year", "2016"),
    (JAN2, "It opened on Friday.", "Friday", "2016-12-30"),
    (JAN2, "It will open on Dec. 30.", "Dec. 30", "2017-12-30"),
    (JAN2, "They marched last weekend.", "last weekend", "2016-12-31/2017-01-01 week"),
    (datetime(2016, 12, 28), "It opens next week.", "next week", "2017-01-02/2017-01-08 week"),
    (JAN2, "It began two months ago.", "two months ago", "2016-11"),
    (datetime(2016, 12, 15), "It opens next month.", "next month", "2017-01"),
    (datetime(2016, 12, 20), "It will open on Jan. 5.", "Jan. 5", "2017-01-05"),
    (datetime(2016, 12, 31), "It opened this week.", "this week", "2016-12-26/2017-01-01 week"),
    (JAN2, "It began earlier this year.", "earlier this year", "2017-01-01/2017-01-02 year"),
]

LEAP_YEARS: list[Case] = [
    (datetime(2016, 3, 10), "Prices rose last month.", "last month", "2016-02"),
    (datetime(2015, 3, 10), "Prices rose last month.", "last month", "2015-02"),
    (datetime(2017, 3, 1), "It listed on Feb. 29.", "Feb. 29", "2016-02-29"),
    (None, "It listed on February 29, 2016.", "February 29, 2016", "2016-02-29 abs"),
    (None, "It listed on February 29, 2015.", "February 29, 2015", "? abs"),
    (datetime(2016, 3, 1), "It began two days ago.", "two days ago", "2016-02-28"),
    (datetime(2016, 2, 29), "It began a year ago.", "a year ago", "2015"),
    (
        datetime(2016, 3, 31),
        "Over the past month, it fell.",
        "the past month",
        "2016-03-01/2016-03-31 month",
    ),
    (
        datetime(2016, 3, 30),
        "Over the past month, it fell.",
        "the past month",
        "2016-03-01/2016-03-30 month",
    ),
    (datetime(2016, 3, 1), "It fell on Feb. 29.", "Feb. 29", "2016-02-29"),
    (datetime(2016, 3, 1), "It fell last week.", "last week", "2016-02-22/2016-02-28 week"),
]

ANCHORED: list[Case] = [
    (WED, "Seventeen years later, he returned.", "Seventeen years later", "? abs"),
    (WED, "17 years later, he returned.", "17 years later", "? abs"),
    (WED, "Two years after the war, he returned.", "Two years after", "? abs"),
    (WED, "A week later, he returned.", "A week later", "? abs"),
    (WED, "He was freed the next day.", "the next day", "? abs"),
    (WED, "He was freed later that day.", "later that day", "? abs"),
]

ALL_CASES = (
    WEEKDAYS
    + DAY_WORDS
    + PERIODS
    + AGO
    + MONTHS
    + MONTH_DAYS
    + ABSOLUTE
    + YEAR_BOUNDARIES
    + LEAP_YEARS
    + ANCHORED
)


@pytest.mark.parametrize(("published", "text", "span", "expected"), ALL_CASES)
def test_resolution(published: datetime | None, text: str, span: str, expected: str) -> None:
    found = only(text, published)
    assert text[found.start : found.end] == found.text == span
    first, last, granularity, relative = meaning(expected)
    assert (found.first, found.last, found.granularity) == (first, last, granularity)
    assert found.relative is relative


@pytest.mark.parametrize(
    "text",
    [
        "Prices may be higher than expected.",
        "May I ask a question?",
        "More than 2,016 people fled the city.",
        "The meeting ended at 16:20 local time.",
        "Protesters march on Washington.",
        "They joined the March on Washington.",
        "Theresa May said the talks were over.",
        "Confidence in May's leadership fell.",
        "Candidates campaigned hard before Super Tuesday.",
        "The Sunday Times reported the deal.",
        "Good Friday services were held.",
        "Music of the 1990s filled the hall.",
        "He won by 2000 votes.",
        "June Carter sang for the crowd.",
        "The question came from April Ryan.",
        "Guests flew to Mar-a-Lago.",
        "It costs $2016 per person.",
        "Room 12 is on floor 3.",
        "A Washington Post story said so.",
        "USA Today ran the story.",
        "They stood next to the door.",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert find_times(text, WED) == []


def test_may_the_month_and_may_the_verb() -> None:
    text = "Prices may rise. Theresa May said in May that May 5 was key."
    found = find_times(text, WED)
    assert [t.text for t in found] == ["May", "May 5"]
    assert found[0].start == text.index("in May") + 3
    assert (found[0].first, found[1].first) == (date(2016, 5, 1), date(2016, 5, 5))


def test_undated_article_finds_but_does_not_resolve() -> None:
    text = (
        "Yesterday, officials said on Wednesday that talks held last week in September "
        "would resume next month; Sept. 12 and three days ago were calm. The treaty of "
        "September 12, 2016 still stands, as it has since 2011."
    )
    found = find_times(text, None)
    check_spans(text, found)
    assert [t.text for t in found] == [
        "Yesterday",
        "Wednesday",
        "last week",
        "September",
        "next month",
        "Sept. 12",
        "three days ago",
        "September 12, 2016",
        "2011",
    ]
    for expression in found[:-2]:
        assert (expression.first, expression.last, expression.granularity) == (None, None, None)
        assert expression.relative
    assert (found[-2].first, found[-2].relative) == (date(2016, 9, 12), False)
    assert (found[-1].first, found[-1].last) == (date(2011, 1, 1), date(2011, 12, 31))


def test_publication_day_is_taken_in_its_own_timezone() -> None:
    # 23:30 in New York is already the next day in UTC
    late = datetime(2016, 9, 14, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert only("It rained yesterday.", late).first == date(2016, 9, 13)
    assert only("It rained yesterday.", late.astimezone(UTC)).first == date(2016, 9, 14)


def test_longest_match_wins() -> None:
    text = (
        "On Wednesday, Sept. 7, 2016, and earlier this month, the day before yesterday, "
        "last Wednesday night and in early September 2015 it rained."
    )
    found = find_times(text, WED)
    check_spans(text, found)
    assert [t.text for t in found] == [
        "Wednesday, Sept. 7, 2016",
        "earlier this month",
        "the day before yesterday",
        "last Wednesday night",
        "early September 2015",
    ]


def test_offsets_are_exact_in_a_long_article() -> None:
    text = (
        "KABUL (Reuters) - Officials said on Wednesday that talks, which began last week in "
        "Geneva, would resume next month. The two sides met on Sept. 12, 2016 and again on "
        "Tuesday night, according to a statement released yesterday.\n\nMore than 2,016 "
        "people have been displaced since 2011, and prices may be higher this year than in "
        "March. Three days ago, protesters gathered; they will march on Friday. \u201cWe "
        "will not stop,\u201d one said. Seventeen years later, the scars remain. The "
        "ceasefire agreed in early September has largely held, diplomats said at 3 p.m. "
        "on Tuesday."
    )
    found = find_times(text, WED)
    check_spans(text, found)
    assert found == sorted(found, key=lambda t: t.start)
    assert [t.text for t in found] == [
        "Wednesday",
        "last week",
        "next month",
        "Sept. 12, 2016",
        "Tuesday night",
        "yesterday",
        "2011",
        "this year",
        "March",
        "Three days ago",
        "Friday",
        "Seventeen years later",
        "early September",
        "3 p.m. on Tuesday",
    ]
    by_text = {t.text: t for t in found}
    assert by_text["Wednesday"].first == date(2016, 9, 14)  # "said on Wednesday": past
    assert by_text["Friday"].first == date(2016, 9, 16)  # "they will march on Friday"
    assert by_text["March"].first == date(2016, 3, 1)
    assert by_text["3 p.m. on Tuesday"].first == date(2016, 9, 13)


def test_empty_and_dateless_text() -> None:
    assert find_times("", WED) == []
    assert find_times("Nothing to see here.", None) == []


def test_fast_on_a_500_word_article() -> None:
    paragraph = (
        "The government said on Wednesday that talks with rebel leaders, which began last "
        "week in Geneva, would resume next month. Officials met on Sept. 12, 2016 and again "
        "on Tuesday night, according to a statement released yesterday. More than 2,016 "
        "people have been displaced since 2011, and prices may be higher this year than in "
        "March. Three days ago, protesters gathered in the capital, and they will march on "
        "Friday. The ceasefire agreed in early September has largely held, diplomats say. "
    )
    text = paragraph * 6
    assert 450 <= len(text.split()) <= 550
    best = float("inf")
    for _ in range(10):
        started = time.perf_counter()
        find_times(text, WED)
        best = min(best, time.perf_counter() - started)
    assert best < 0.010  # about 1.5 ms on a modest machine: a loose bound against regressions


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Crowds gathered on New Year’s Eve.", "2017-01-02", ("2016-12-31", "2016-12-31")),
        ("The shops shut on New Year's Day.", "2024-01-02", ("2024-01-01", "2024-01-01")),
        ("It snowed on Christmas Day.", "2016-12-27", ("2016-12-25", "2016-12-25")),
        ("The parade will be held on Christmas Eve.", "2016-12-01", ("2016-12-24", "2016-12-24")),
    ],
)
def test_fixed_holidays(text: str, published: str, expected: tuple[str, str]) -> None:
    [found] = find_times(text, datetime.fromisoformat(published + "T12:00:00+00:00"))
    assert (str(found.first), str(found.last)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the future cue sits in another clause: Thursday is still yesterday
        ("The storm shut airports on Thursday, and forecasters warned it would last into "
         "next week.", "2018-01-04"),
        # a cue in the same clause looks ahead
        ("The envoy said she hoped to reconvene talks on Thursday.", "2018-01-11"),
    ],
)  # fmt: skip
def test_future_cues_count_within_their_clause(text: str, expected: str) -> None:
    found = find_times(text, datetime(2018, 1, 5, 12, tzinfo=UTC))
    thursday = next(t for t in found if "Thursday" in t.text)
    assert str(thursday.first) == expected
