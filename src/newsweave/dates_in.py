"""Dates and times as users type them, read the same way by every front end (the CLI's
``--since``/``--until``, the REST API's ``since``/``until``, the web app's search form and
the Python API).

A range is ``since <= published < until``, in UTC:

- a date alone (``2019-12-31``) is a whole day of UTC: as ``since`` it starts at 00:00:00
  UTC of that day; as ``until`` it ends before 00:00 UTC of the next day, so the day is in;
- a date-time with a zone (``2019-12-31T18:00+05:00``, ``…Z``) is that moment;
- a date-time without a zone is UTC, never the zone of the machine that reads it;
- an ``until`` date-time is the first moment left out.

>>> since_bound("2019-12-31")
datetime.datetime(2019, 12, 31, 0, 0, tzinfo=datetime.timezone.utc)
>>> until_bound("2019-12-31")
datetime.datetime(2020, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)
>>> until_bound("2019-12-31T18:00")
datetime.datetime(2019, 12, 31, 18, 0, tzinfo=datetime.timezone.utc)
>>> try:
...     until_bound("2019-13-01")
... except DateInputError as error:
...     print(error)
until: '2019-13-01' is not a date; use YYYY-MM-DD or an ISO date-time
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

# What a user may give: text as typed, or (from Python) a date or a datetime.
DateInput = str | date | None
HINT = "use YYYY-MM-DD or an ISO date-time"
LATEST = datetime.max.replace(tzinfo=UTC)  # the end of a range that runs to 9999-12-31


class DateInputError(ValueError):
    """A date or time a user gave that cannot bound a range; the message says which and why."""


def since_bound(value: DateInput, name: str = "since") -> datetime | None:
    """The first moment of the range ``value`` starts (None: no start)."""
    return _bound(value, name, end=False)


def until_bound(value: DateInput, name: str = "until") -> datetime | None:
    """The first moment after the range ``value`` ends (None: no end)."""
    return _bound(value, name, end=True)


def _bound(value: DateInput, name: str, end: bool) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return _day_bound(value, name, end)
    else:
        day = _as_date(value.strip())
        if day is not None:
            return _day_bound(day, name, end)
        moment = _as_datetime(value.strip(), name)
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    return _storable(moment, name, value)


def _day_bound(day: date, name: str, end: bool) -> datetime:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if not end:
        return start
    try:
        return start + timedelta(days=1)
    except OverflowError:  # until 9999-12-31
        return LATEST


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _as_datetime(text: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise DateInputError(f"{name}: {text!r} is not a date; {HINT}") from error


def _storable(moment: datetime, name: str, given: DateInput) -> datetime:
    """``moment`` in UTC, when it is one (a zone can move year 1 or 9999 out of range)."""
    try:
        utc = moment.astimezone(UTC)
        utc.timestamp()
    except (OverflowError, ValueError, OSError) as error:
        shown = given if isinstance(given, str) else moment.isoformat()
        raise DateInputError(f"{name}: {shown!r} is out of range") from error
    return utc
