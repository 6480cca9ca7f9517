"""Dates from users: one reading (newsweave.dates_in) in the Python API, the CLI, REST and the
web app's search, and none of them depends on the machine's time zone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsweave import Newsweave
from newsweave.dates_in import LATEST, DateInputError, since_bound, until_bound
from newsweave.web.app import create_app
from newsweave.web.server import Settings
from tests.helpers import cli

ROOT = Path(__file__).resolve().parent.parent
FAR_ZONE = "Pacific/Kiritimati"  # UTC+14: local midnight is 10:00 UTC of the day before

# Articles around the turn of 2019 into 2020, each with its own words.
RECORDS = [
    ("d-30", "2019-12-30T12:00:00+00:00"),
    ("d-31-day", "2019-12-31"),  # a date alone: day precision
    ("d-31-early", "2019-12-31T00:00:00+00:00"),
    ("d-31-naive", "2019-12-31T10:00:00"),  # no zone: UTC assumed at ingest
    ("d-31-late", "2019-12-31T23:59:59+00:00"),
    ("d-31-ny", "2019-12-31T20:00:00-05:00"),  # 2020-01-01T01:00 UTC
    ("d-01", "2020-01-01T00:00:00+00:00"),
    ("d-01-kiri", "2020-01-01T08:00:00+14:00"),  # 2019-12-31T18:00 UTC
]
CASES = [
    ("2019-12-31", "2019-12-31"),
    (None, "2019-12-31"),
    ("2020-01-01", None),
    ("2019-12-31T10:00", "2019-12-31T23:59:59"),
    ("2019-12-31T00:00:00+14:00", "2020-01-01T00:00-05:00"),
    ("2019-12-31T12:00Z", "2020-01-01"),
    ("20191231", None),
]


def _record(key: str, published: str) -> dict[str, str]:
    return {
        "id": key, "title": f"Report {key}", "source": "Wend Courier", "published": published,
        "text": f"The council of {key} met on the river bank and voted to mend the {key} dam.",
    }  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("dates") / "dates.db")
    with Newsweave(db) as news:
        news.add([_record(*r) for r in RECORDS], annotate=False, cluster=False)
    return db


def answers(db: str) -> dict[str, list[list[str]]]:
    """The input ids each front end finds for each of :data:`CASES`."""
    found: dict[str, list[list[str]]] = {"api": [], "rest": [], "cli": [], "page": []}
    with Newsweave(db, read_only=True) as news, TestClient(create_app(Settings(db))) as client:
        for since, until in CASES:
            asked = {k: v for k, v in (("since", since), ("until", until)) if v is not None}
            listed = news.articles(since=since, until=until, limit=100)
            found["api"].append(sorted(str(a.input_id) for a in listed))
            rest = client.get("/api/v1/articles", params={**asked, "limit": 100}).json()
            found["rest"].append(sorted(a["input_id"] for a in rest["items"]))
            flags = [part for k, v in asked.items() for part in (f"--{k}", v)]
            run = cli("articles", "list", "--db", db, *flags, "--limit", "100", "--json")
            found["cli"].append(sorted(a["input_id"] for a in json.loads(run.stdout)["articles"]))
            page = client.get("/search", params=asked).text
            found["page"].append(sorted(key for key, _ in RECORDS if f"Report {key}<" in page))
    return found


def test_a_date_is_a_whole_utc_day() -> None:
    assert since_bound("2019-12-31") == datetime(2019, 12, 31, tzinfo=UTC)
    assert until_bound("2019-12-31") == datetime(2020, 1, 1, tzinfo=UTC)
    assert until_bound(date(2019, 12, 31)) == datetime(2020, 1, 1, tzinfo=UTC)
    assert until_bound("9999-12-31") == LATEST


def test_a_time_keeps_its_zone_and_one_without_is_utc() -> None:
    five = timezone(timedelta(hours=-5))
    assert since_bound("2019-12-31T20:00-05:00") == datetime(2019, 12, 31, 20, tzinfo=five)
    assert until_bound("2019-12-31T20:00Z") == datetime(2019, 12, 31, 20, tzinfo=UTC)
    assert until_bound("2019-12-31 20:00") == datetime(2019, 12, 31, 20, tzinfo=UTC)
    assert since_bound(datetime(2019, 12, 31, 20)) == datetime(2019, 12, 31, 20, tzinfo=UTC)
    assert since_bound(None) is None and until_bound("  ") is None


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("until", "2019-13-01", "until: '2019-13-01' is not a date; use YYYY-MM-DD or an ISO "
         "date-time"),
        ("since", "last week", "since: 'last week' is not a date"),
        ("since", "2019-02-29", "since: '2019-02-29' is not a date"),
        ("until", "0001-01-01T00:00+01:00", "until: '0001-01-01T00:00+01:00' is out of range"),
    ],
)  # fmt: skip
def test_bad_dates_say_what_is_wrong(name: str, value: str, says: str) -> None:
    bound = until_bound if name == "until" else since_bound
    with pytest.raises(DateInputError) as caught:
        bound(value)
    assert str(caught.value).startswith(says)


def test_every_front_end_finds_the_same_articles(store: str) -> None:
    found = answers(store)
    assert found["api"] == found["rest"] == found["cli"] == found["page"]
    whole_day = found["api"][0]  # since and until 2019-12-31: the whole UTC day, no more
    assert whole_day == sorted(["d-31-day", "d-31-early", "d-31-naive", "d-31-late", "d-01-kiri"])
    assert found["api"][1] == sorted([*whole_day, "d-30"])
    assert found["api"][2] == ["d-01", "d-31-ny"]


def test_the_machine_time_zone_changes_no_answer(store: str) -> None:
    script = (
        "import json, sys, time; from tests.test_dates_in import answers; "
        "print(json.dumps([time.strftime('%z'), answers(sys.argv[1])]))"
    )
    env = {**os.environ, "TZ": FAR_ZONE, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script, store], capture_output=True, text=True, env=env,
        cwd=ROOT, timeout=300, check=True,
    )  # fmt: skip
    zone, far = json.loads(done.stdout.strip().splitlines()[-1])
    assert zone == "+1400", "the subprocess runs in the far zone"
    assert far == answers(store)


def test_rest_and_the_search_page_refuse_a_bad_date_with_its_reason(store: str) -> None:
    with TestClient(create_app(Settings(store))) as client:
        for url in ("/api/v1/articles", "/api/v1/search"):
            answer = client.get(url, params={"until": "2019-13-01"})
            assert answer.status_code == 422
            assert answer.json() == {
                "detail": "until: '2019-13-01' is not a date; use YYYY-MM-DD or an ISO date-time"
            }
        page = client.get("/search", params={"since": "soon"})
        assert page.status_code == 400 and "since: &#39;soon&#39; is not a date" in page.text
    run = cli("articles", "list", "--db", store, "--until", "2019-13-01")
    assert run.code == 2 and "--until: '2019-13-01' is not a date" in run.stderr
