"""Publication times: parse what sources give, never invent what they leave out."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime
from typing import Any

from dateutil import parser as dateutil_parser

from newsweave.model import Published

_DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
# Two defaults that differ in every field: a field that comes out different was not in the text.
_DEFAULT_A = datetime(2001, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2002, 2, 2, 1, 1, 1)
_EPOCH_MIN, _EPOCH_MAX = 0, 4_102_444_800  # 1970 .. 2100


class DateError(ValueError):
    """The value is present but is not a date we can trust."""


def parse_published(value: Any) -> Published | None:
    """Turn a source's date value into a :class:`Published`, or ``None`` when absent.

    Raises :class:`DateError` when a value is given but cannot be read as a full date.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _from_datetime(value)
    if isinstance(value, date):
        return _day(value)
    if isinstance(value, bool):
        raise DateError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        return None
    return _parse_text(text)


def _parse_text(text: str) -> Published:
    if _DATE_ONLY.match(text):
        return _day(date.fromisoformat(text.strip()))
    if re.fullmatch(r"\d{9,10}(\.\d+)?", text):
        return _from_epoch(float(text))
    try:
        return _from_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        rfc = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        rfc = None
    if rfc is not None:
        return _from_datetime(rfc)
    return _parse_loose(text)


def _parse_loose(text: str) -> Published:
    try:
        first = dateutil_parser.parse(text, default=_DEFAULT_A)
        second = dateutil_parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError) as exc:
        raise DateError(f"unreadable date {text!r}") from exc
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        raise DateError(f"incomplete date {text!r} (needs year, month and day)")
    if not _HAS_TIME.search(text):
        return _day(first.date())
    return _from_datetime(first)


def _from_datetime(moment: datetime) -> Published:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return Published(moment.replace(tzinfo=UTC), "time", tz_assumed=True)
    return Published(moment, "time")


def _from_epoch(seconds: float) -> Published:
    if seconds > _EPOCH_MAX * 100:  # milliseconds
        seconds /= 1000.0
    if not _EPOCH_MIN < seconds < _EPOCH_MAX:
        raise DateError(f"timestamp {seconds!r} out of range")
    return Published(datetime.fromtimestamp(seconds, tz=UTC), "time")


def _day(day: date) -> Published:
    return Published(datetime(day.year, day.month, day.day, tzinfo=UTC), "day")


def to_utc_seconds(published: Published | None) -> float | None:
    """Seconds since the epoch, for sorting and range filters."""
    return published.moment.timestamp() if published else None


def from_stored(iso: str | None, precision: str | None, tz_assumed: int | None) -> Published | None:
    """Rebuild a :class:`Published` from its stored columns."""
    if not iso:
        return None
    if precision == "day":
        return _day(date.fromisoformat(iso))
    moment = datetime.fromisoformat(iso)
    return Published(moment, "time", bool(tz_assumed))
