"""Publication times: zones kept, missing zones flagged, nothing invented."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsweave.ingest.dates import DateError, parse_published
from newsweave.model import published_from_stored


@pytest.mark.parametrize(
    ("value", "iso", "precision", "assumed"),
    [
        ("2019-03-14T09:30:00+02:00", "2019-03-14T09:30:00+02:00", "time", False),
        ("2019-03-14T07:30:00Z", "2019-03-14T07:30:00+00:00", "time", False),
        ("Thu, 14 Mar 2019 09:30:00 +0200", "2019-03-14T09:30:00+02:00", "time", False),
        ("2019-03-14 09:30", "2019-03-14T09:30:00+00:00", "time", True),
        ("2019-03-14", "2019-03-14", "day", False),
        ("March 14, 2019", "2019-03-14", "day", False),
        ("14 March 2019 9:30 pm EST", "2019-03-14T21:30:00-05:00", "time", False),
        (1552555800, "2019-03-14T09:30:00+00:00", "time", False),
        (1552555800000, "2019-03-14T09:30:00+00:00", "time", False),
        ("1552555800", "2019-03-14T09:30:00+00:00", "time", False),
    ],
)
def test_parse(value: object, iso: str, precision: str, assumed: bool) -> None:
    published = parse_published(value)
    assert published is not None
    assert published.moment.tzinfo is not None
    assert (published.isoformat(), published.precision, published.tz_assumed) == (
        iso,
        precision,
        assumed,
    )


def test_python_values() -> None:
    aware = datetime(2020, 5, 1, 12, tzinfo=timezone(timedelta(hours=-4)))
    assert parse_published(aware).isoformat() == "2020-05-01T12:00:00-04:00"  # type: ignore[union-attr]
    naive = parse_published(datetime(2020, 5, 1, 12))
    assert naive is not None and naive.tz_assumed and naive.moment.tzinfo == UTC
    day = parse_published(date(2020, 5, 1))
    assert day is not None and day.precision == "day"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_absent_dates_stay_absent(value: object) -> None:
    assert parse_published(value) is None


@pytest.mark.parametrize("value", ["March 2019", "yesterday", "Wednesday", "not a date", True])
def test_incomplete_or_unreadable_dates_are_refused(value: object) -> None:
    with pytest.raises(DateError):
        parse_published(value)


def test_stored_round_trip() -> None:
    for value in ("2019-03-14T09:30:00+02:00", "2019-03-14", "2019-03-14 09:30"):
        published = parse_published(value)
        assert published is not None
        again = published_from_stored(
            published.isoformat(), published.precision, int(published.tz_assumed)
        )
        assert again == published
