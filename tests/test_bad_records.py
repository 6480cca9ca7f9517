"""One bad record is one line: the records around it are stored and the run goes on.

Every record here is invented for the tests.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsweave import Newsweave
from newsweave.ingest.dates import DateError, parse_published
from newsweave.ingest.pipeline import TOLD_PER_INPUT, Ingestor
from newsweave.ingest.records import MAX_RECORD_CHARS
from newsweave.model import Article, IngestReport, RawArticle
from tests.helpers import cli, cli_process, write
from tests.test_watch import Clock, Feed, FeedServer, server

__all__ = ["server"]  # the loopback feed server fixture, shared with the watch tests

OUTLET = "Penmarrow Post"


def body(n: int) -> str:
    return (
        f"The harbour council of Penmarrow voted on {n} new moorings on Tuesday after a "
        f"debate of {n + 4} hours about winter storms, fishing rights and dredging costs. "
        f"Skippers from berth {n * 3} said the vote came late but was welcome."
    )


def record(n: int, **fields: object) -> dict[str, object]:
    return {"title": f"Moorings vote {n}", "text": body(n), "source": OUTLET, **fields}


def ingest(news: Newsweave, *paths: Path) -> IngestReport:
    return news.ingest(paths, annotate=False, cluster=False)


def by_title(news: Newsweave) -> dict[str, Article]:
    return {article.title: article for article in news.articles(limit=1000)}


def one_line_problems(report: IngestReport) -> list[str]:
    lines = [str(problem) for problem in report.problems]
    assert all("\n" not in line and len(line) < 300 for line in lines), lines
    return lines


# lone surrogates


@pytest.mark.parametrize(
    ("field", "read"),
    [
        ("text", lambda a: a.text),
        ("title", lambda a: a.title),
        ("source", lambda a: a.outlet),
        ("url", lambda a: a.url),
        ("id", lambda a: a.input_id),
        ("author", lambda a: a.authors[0]),
    ],
)
def test_a_lone_surrogate_is_replaced_and_the_record_stored(
    tmp_path: Path, db: str, field: str, read: Callable[[Article], str]
) -> None:
    value = "Quay \ud800 side" if field != "url" else "http://quay.example/\ud800"
    bad = record(1, **{field: f"{body(1)} \ud800" if field == "text" else value})
    path = write(tmp_path / "surrogate.json", json.dumps([bad, record(2)]))  # "\ud800" escaped
    run = cli("ingest", str(path), "--db", db, "--no-annotate", "--no-cluster")
    assert run.code == 0, run.stderr
    assert "lone surrogates" in run.stderr and "\\ud800" not in run.stderr
    with Newsweave(db) as news:
        assert news.count() == 2
        (stored,) = [a for a in news.articles() if a.title != "Moorings vote 2"]
        assert "\ufffd" in read(stored)


# dates


BAD_DATES = [
    "2019-02-29",
    "0000-00-00",
    "2020-13-45",
    "2020-01-01T10:00:00+2500",
    "Wed, 01 Jan 2020 10:00:00 +2500",
    "9" * 400,
    "31 Dec 9999 23:59:59 +2400",
]


@pytest.mark.parametrize("value", [*BAD_DATES, 10**400, -(10**30), 1e300, "1" * 5000])
def test_unreadable_dates_are_date_errors(value: object) -> None:
    with pytest.raises(DateError) as raised:
        parse_published(value)
    assert len(str(raised.value)) < 80


def rss(pub_date: str) -> str:
    items = "".join(
        f"<item><title>Moorings vote {n}</title><link>https://penmarrow.example/{n}</link>"
        f"<description>{body(n)}</description><pubDate>{when}</pubDate></item>"
        for n, when in ((1, pub_date), (2, "Tue, 02 Apr 2024 10:00:00 +0000"))
    )
    channel = f"<channel><title>{OUTLET}</title>{items}</channel>"
    return f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>"


def csv_text(value: str) -> str:
    rows = [("title", "text", "source", "date")]
    rows += [(f"Moorings vote {n}", body(n), OUTLET, when) for n, when in ((1, value), (2, ""))]
    return "".join(",".join(f'"{cell}"' for cell in row) + "\n" for row in rows)


def write_dated(folder: Path, kind: str, value: str) -> Path:
    """A file of two records, the first dated ``value``, in the format ``kind``."""
    records = [record(1, date=value), record(2)]
    folder.mkdir()
    if kind == "parquet":
        path = folder / "dated.parquet"
        pq.write_table(pa.Table.from_pylist(records), path)
        return path
    if kind == "md":
        write(folder / "two.md", f"---\ntitle: Moorings vote 2\n---\n{body(2)}\n")
        return write(
            folder / "one.md", f"---\ntitle: Moorings vote 1\ndate: {value}\n---\n{body(1)}\n"
        )
    text = {
        "json": lambda: json.dumps(records),
        "jsonl": lambda: "\n".join(json.dumps(r) for r in records),
        "csv": lambda: csv_text(value),
        "xml": lambda: rss(value),
    }[kind]()
    return write(folder / f"dated.{kind}", text)


@pytest.mark.parametrize("kind", ["json", "jsonl", "csv", "xml", "parquet", "md"])
@pytest.mark.parametrize("value", BAD_DATES)
def test_an_unreadable_date_stores_the_article_undated(
    tmp_path: Path, news: Newsweave, kind: str, value: str
) -> None:
    write_dated(tmp_path / "in", kind, value)
    report = ingest(news, tmp_path / "in")
    assert (report.read, report.skipped, report.notices) == (2, 0, 1), report.problems
    assert by_title(news)["Moorings vote 1"].published is None


@pytest.mark.parametrize("number", ["9" * 400, "-" + "9" * 30, "1" * 5000])
def test_a_huge_number_as_a_date_stores_the_article_undated(
    tmp_path: Path, news: Newsweave, number: str
) -> None:
    text = json.dumps([record(1, date=0), record(2)]).replace('"date": 0', f'"date": {number}')
    report = ingest(news, write(tmp_path / "numbers.json", text))
    assert (report.read, report.skipped, report.notices) == (2, 0, 1), report.problems


def test_a_parquet_time_past_year_9999_stores_the_article_undated(
    tmp_path: Path, news: Newsweave
) -> None:
    table = pa.table({
        "title": ["Moorings vote 1", "Moorings vote 2"],
        "text": [body(1), body(2)],
        "published": pa.array([2**62, 1_712_000_000_000], type=pa.timestamp("ms")),
    })  # fmt: skip
    pq.write_table(table, tmp_path / "far.parquet")
    report = ingest(news, tmp_path / "far.parquet")
    assert (report.read, report.skipped, report.notices) == (2, 0, 1), report.problems
    dates = {title: a.published for title, a in by_title(news).items()}
    assert dates["Moorings vote 1"] is None and dates["Moorings vote 2"] is not None


# urls


def test_a_url_urllib_refuses_is_no_crash(tmp_path: Path, news: Newsweave) -> None:
    write(
        tmp_path / "in" / "story.md",
        f"---\ntitle: Moorings vote 1\nurl: http://[oops/x\n---\n{body(1)}\n",
    )
    write(
        tmp_path / "in" / "records.json", json.dumps([record(2, url="http://[::1/x?utm_source=a")])
    )
    report = ingest(news, tmp_path / "in")
    assert (report.read, report.skipped) == (2, 0)


# records that will not parse


DEEP = "[" * 100_000
HUGE_INT = "1" * 5000


def test_a_jsonl_line_that_will_not_parse_is_one_problem(tmp_path: Path, news: Newsweave) -> None:
    lines = [
        json.dumps(record(1)),
        HUGE_INT,
        DEEP,
        json.dumps(record(2, id=0)).replace('"id": 0', f'"id": {HUGE_INT}'),
        json.dumps(record(3)),
    ]
    report = ingest(news, write(tmp_path / "lines.jsonl", "\n".join(lines) + "\n"))
    assert one_line_problems(report) == [
        f"skipped record {tmp_path}/lines.jsonl:2: not an object but str",
        f"skipped record {tmp_path}/lines.jsonl:3: nested too deeply",
    ]
    stored = by_title(news)
    assert sorted(stored) == ["Moorings vote 1", "Moorings vote 2", "Moorings vote 3"]
    assert stored["Moorings vote 2"].input_id == HUGE_INT


def test_a_json_item_that_will_not_parse_is_one_problem(tmp_path: Path, news: Newsweave) -> None:
    deep_item = "[" * 100_000 + "]" * 100_000
    items = [
        json.dumps(record(1)),
        deep_item,
        f'{{"title": "x", "n": {HUGE_INT}}}',
        json.dumps(record(2)),
    ]
    report = ingest(news, write(tmp_path / "items.json", "[" + ", ".join(items) + "]"))
    assert one_line_problems(report) == [
        f"skipped record {tmp_path}/items.json[1]: nested too deeply"
    ]
    assert sorted(by_title(news)) == ["Moorings vote 1", "Moorings vote 2", "x"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("[" + json.dumps(record(1)) + ", {", "invalid JSON"),
        ("[" + json.dumps(record(1)) + "] extra", "invalid JSON (Extra data"),
        ('{"articles": ' + DEEP, "nested too deeply"),
    ],
)
def test_a_broken_json_file_keeps_the_items_before_the_damage(
    tmp_path: Path, news: Newsweave, text: str, why: str
) -> None:
    report = ingest(news, write(tmp_path / "broken.json", text))
    (line,) = one_line_problems(report)
    assert line.startswith(f"skipped file {tmp_path}/broken.json: {why}")


# CSV caps


def filler_lines() -> str:
    """Lines that together run past the field cap once inside a quote."""
    line = "y" * 999_999 + "\n"
    return line * (MAX_RECORD_CHARS // len(line) + 1)


@pytest.mark.parametrize("packed", [False, True])
def test_an_unterminated_csv_quote_is_capped(tmp_path: Path, news: Newsweave, packed: bool) -> None:
    text = (
        "title,text,source\n"
        f'Moorings vote 1,"{body(1)}",{OUTLET}\n'
        f'Never closed,"{filler_lines()}'
        f'Moorings vote 2,"{body(2)}",{OUTLET}\n'
    )
    path = tmp_path / ("quote.csv.gz" if packed else "quote.csv")
    path.write_bytes(gzip.compress(text.encode(), 1) if packed else text.encode())
    report = ingest(news, path)
    (line,) = one_line_problems(report)
    assert line.endswith(
        f"{path}:3: broken CSV row (field longer than {MAX_RECORD_CHARS:,} characters): "
        "a quote never closed? Skipped the rest"
    )
    assert sorted(by_title(news)) == ["Moorings vote 1"]  # the last row is inside the quote


def test_a_csv_line_over_the_cap_is_one_problem(tmp_path: Path, news: Newsweave) -> None:
    text = (
        "title,text,source\n"
        f'Moorings vote 1,"{body(1)}",{OUTLET}\n'
        f"Too long,{'z' * (MAX_RECORD_CHARS + 10)},{OUTLET}\n"
        f'Moorings vote 2,"{body(2)}",{OUTLET}\n'
    )
    report = ingest(news, write(tmp_path / "long.csv", text))
    (line,) = one_line_problems(report)
    assert f"long.csv:3: broken CSV row (line longer than {MAX_RECORD_CHARS:,}" in line
    assert sorted(by_title(news)) == ["Moorings vote 1", "Moorings vote 2"]


# Parquet


def test_a_damaged_parquet_row_group_is_one_problem(tmp_path: Path, news: Newsweave) -> None:
    path = tmp_path / "groups.parquet"
    table = pa.Table.from_pylist([record(n) for n in range(6)])
    pq.write_table(table, path, row_group_size=2, compression="snappy")
    chunk = pq.ParquetFile(path).metadata.row_group(1).column(1)  # the texts of rows 2 and 3
    data = bytearray(path.read_bytes())
    header = chunk.dictionary_page_offset or chunk.data_page_offset  # its first page header
    data[header : header + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    report = ingest(news, path)
    (line,) = one_line_problems(report)
    assert line.startswith(f"skipped record {path}[2]: 2 rows unreadable")
    assert sorted(by_title(news)) == [f"Moorings vote {n}" for n in (0, 1, 4, 5)]


# internal failures on one record, through the Python API


def raw(n: int, **fields: object) -> RawArticle:
    given = {"title": f"Moorings vote {n}", "outlet": OUTLET, "origin": f"api[{n}]", **fields}
    return RawArticle(text=body(n), **given)  # type: ignore[arg-type]


def test_a_record_failing_anywhere_is_one_problem_and_the_batch_is_kept(news: Newsweave) -> None:
    ingestor = Ingestor(news.store)
    ingestor.add_items(
        [
            raw(1),
            raw(1, title="Moorings vote 1 - Penmarrow Post"),  # the same article again
            raw(2, authors=[7]),  # fails while normalised
            raw(3, origin=["api", 3]),  # fails while deciding what it is (not hashable)
            raw(4),
            raw(5, origin=("api", 5)),  # fails while written (the store cannot bind it)
            raw(6),
        ]
    )
    ingestor.flush()
    report = ingestor.report
    assert [p.where for p in report.problems] == ["api[2]", "['api', 3]", "('api', 5)"]
    assert all(p.why.startswith(("unreadable (", "not stored (")) for p in report.problems)
    assert (report.read, report.new, report.duplicates, report.skipped) == (4, 3, 1, 3)
    assert sorted(by_title(news)) == ["Moorings vote 1", "Moorings vote 4", "Moorings vote 6"]
    assert news.store.stats()["sightings"] == 3  # the duplicate is the one seen again


# watch


def test_watch_stores_a_folder_around_a_bad_record_and_tells_it_once(
    db: str, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    write(
        inbox / "a.jsonl",
        "\n".join([json.dumps(record(1)), DEEP, json.dumps(record(2, date="2019-02-29"))]),
    )
    write(inbox / "b.json", json.dumps([record(3, source="Quay \ud800")]))
    clock = Clock()
    for round_number in (1, 2):  # the second is a restart on the same store
        with Newsweave(db) as news:
            watch = news.watcher(
                [str(inbox)], clock=clock, every=60.0, annotate=False, cluster=False
            )
            report = watch.poll().report
            if round_number == 1:
                assert (report.new, report.skipped, report.notices) == (3, 1, 2)
            else:
                assert (report.read, report.skipped) == (0, 0)
            assert news.count() == 3


def test_watch_takes_a_feed_with_one_bad_pub_date(server: FeedServer, news: Newsweave) -> None:
    server.feeds["/harbour"] = Feed(rss("Wed, 01 Jan 2020 10:00:00 +2500"))
    clock = Clock()
    watch = news.watcher(
        [server.url("/harbour")], clock=clock, every=60.0, allow_private=True, annotate=False,
        cluster=False,
    )  # fmt: skip
    summary = watch.poll()
    assert summary.failures == []
    assert (summary.report.new, summary.report.notices) == (2, 1)
    assert by_title(news)["Moorings vote 1"].published is None


def test_a_side_file_nested_too_deeply_is_one_line(tmp_path: Path, db: str) -> None:
    story = write(tmp_path / "story.txt", f"Moorings vote 1\n{body(1)}\n")
    meta = write(tmp_path / "meta.json", DEEP)
    run = cli("ingest", str(story), "--meta", str(meta), "--db", db)
    assert run.code == 2
    (error,) = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert "unreadable metadata file (RecursionError" in error and "Traceback" not in run.stderr


def test_a_flood_of_bad_records_is_told_in_a_bounded_number_of_lines(
    tmp_path: Path, db: str
) -> None:
    lines = ["[1]"] * 500 + [json.dumps(record(1))] + ['{"text": 3}'] * 500
    dump = write(tmp_path / "flood.jsonl", "\n".join(lines) + "\n")
    run = cli("ingest", str(dump), "--db", db, "--no-annotate", "--no-cluster")
    told = run.stderr.splitlines()
    assert run.code == 1 and "skipped 1000" in run.stdout
    assert sum("skipped record" in line for line in told) == TOLD_PER_INPUT
    assert any("950 more problems not listed one by one" in line for line in told), told[-3:]
    assert len(told) <= TOLD_PER_INPUT + 2
    with Newsweave(db) as news:
        assert news.stats()["articles"] == 1


@pytest.mark.parametrize("reference", ["&#xD800;", "&#99999999999999;", "&#x110000;", "&#0;"])
def test_a_character_reference_to_no_character_keeps_the_feed(
    reference: str, tmp_path: Path, news: Newsweave
) -> None:
    feed = rss("Mon, 01 Apr 2024 10:00:00 +0000").replace("Moorings vote 1", f"Moorings{reference}")
    report = ingest(news, write(tmp_path / "feed.xml", feed))
    assert (report.new, report.skipped) == (2, 0), report.problems
    assert "Moorings\ufffd" in by_title(news)


def test_an_unknown_time_zone_name_prints_no_library_warning(tmp_path: Path, db: str) -> None:
    dump = write(tmp_path / "zone.jsonl", json.dumps(record(1, date="2024-04-01 10:00 ZT")))
    run = cli_process("ingest", str(dump), "--db", db, "--no-annotate", "--no-cluster")
    assert run.code == 0 and run.stderr == "", run.stderr
