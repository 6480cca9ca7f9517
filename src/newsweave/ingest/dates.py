"""Publication times: parse what sources give, never invent what they leave out."""

from __future__ import annotations

import email.utils
import re
import warnings
from datetime import UTC, date, datetime
from typing import Any

from dateutil import parser as dateutil_parser

from newsweave.model import Published

_DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_RFC_822 = re.compile(
    r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"\s*(?:[+-]\d{4}|[A-Za-z]{1,5})?\s*$"
)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
# Two defaults that differ in every field: a field that comes out different was not in the text.
_DEFAULT_A = datetime(2001, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2002, 2, 2, 1, 1, 1)
_ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 3600, "CET": 3600, "CEST": 7200, "EET": 7200,
    "EEST": 10800, "MSK": 10800, "IST": 19800, "JST": 32400, "AEST": 36000,
    "EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000, "MST": -25200,
    "MDT": -21600, "PST": -28800, "PDT": -25200,
}  # fmt: skip
_EPOCH_MIN, _EPOCH_MAX = 0, 4_102_444_800  # 1970 .. 2100
_MAX_DATE_CHARS = 100  # longer text is no date; dateutil would take long to say so
_SHOWN_CHARS = 40


class DateError(ValueError):
    """The value is present but is not a date we can trust."""


def parse_published(value: Any) -> Published | None:
    """Turn a source's date value into a :class:`Published`, or ``None`` when absent.

    Raises :class:`DateError` when a value is given but cannot be read as a full date
    (an impossible day, an offset of a day or more, a number too large): never another
    error, whatever the value. A moment at the calendar's edge (``9999-12-31T23:59:59-14:00``,
    in year 10000 in UTC) is kept: later stages handle it.
    """
    try:
        return _parse_value(value)
    except DateError:
        raise
    except (ValueError, OverflowError, TypeError) as exc:
        raise DateError(f"unreadable date {_shown(value)}") from exc


def _shown(value: Any) -> str:
    """The value for a message: its repr, shortened."""
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _parse_value(value: Any) -> Published | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return _from_datetime(value)
    if isinstance(value, date):
        return Published.of_day(value)
    if isinstance(value, bool):
        raise DateError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        return None
    if len(text) > _MAX_DATE_CHARS:
        raise DateError(f"unreadable date {_shown(text)} (too long)")
    return _parse_text(text)


def _parse_text(text: str) -> Published:
    if _DATE_ONLY.match(text):
        return Published.of_day(date.fromisoformat(text.strip()))
    if re.fullmatch(r"\d{9,10}(\.\d+)?", text):
        return _from_epoch(float(text))
    try:
        return _from_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    if _RFC_822.match(text):
        try:
            return _from_datetime(email.utils.parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
    return _parse_loose(text)


def _parse_loose(text: str) -> Published:
    try:
        with warnings.catch_warnings():  # an unknown zone name: read as UTC, flagged assumed
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            first = dateutil_parser.parse(text, default=_DEFAULT_A, tzinfos=_ZONE_ABBREVIATIONS)
            second = dateutil_parser.parse(text, default=_DEFAULT_B, tzinfos=_ZONE_ABBREVIATIONS)
    except (ValueError, OverflowError) as exc:
        raise DateError(f"unreadable date {_shown(text)}") from exc
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        raise DateError(f"incomplete date {_shown(text)} (needs year, month and day)")
    if not _HAS_TIME.search(text):
        return Published.of_day(first.date())
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
