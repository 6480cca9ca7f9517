"""Every input format reaches the store with its metadata."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsweave import Newsweave
from newsweave.model import Article
from tests.helpers import ARTICLE_TEXT, write

PARAGRAPHS = ARTICLE_TEXT.split("\n\n")


def only(news: Newsweave) -> Article:
    found = news.articles()
    assert len(found) == 1, [a.title for a in found]
    return found[0]


def test_markdown_front_matter(news: Newsweave, tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.md",
        "---\ntitle: Barriers hold on the Wend\nsource: The Wend Courier\n"
        "url: https://wendcourier.example/barriers\npublished: 2022-03-08T07:15:00+01:00\n"
        "author: Ada Lind and Tom Bay\n---\n# Barriers hold on the Wend\n\n" + ARTICLE_TEXT,
    )
    report = news.ingest([path])
    assert (report.new, report.skipped) == (1, 0)
    article = only(news)
    assert article.title == "Barriers hold on the Wend"
    assert article.outlet == "The Wend Courier"
    assert article.url == "https://wendcourier.example/barriers"
    assert article.published is not None
    assert article.published.isoformat() == "2022-03-08T07:15:00+01:00"
    assert article.authors == ("Ada Lind", "Tom Bay")
    assert article.language == "en"
    assert article.text.startswith("Flood barriers")  # the repeated heading is dropped


def test_plain_text_first_line_is_title_and_folder_is_outlet(
    news: Newsweave, tmp_path: Path
) -> None:
    path = write(tmp_path / "wendcourier.example" / "b.txt", "Barriers hold\n" + ARTICLE_TEXT)
    news.ingest([tmp_path])
    article = only(news)
    assert article.title == "Barriers hold"
    assert article.outlet == "wendcourier.example"
    assert article.published is None
    assert article.origin == str(path)


def html_page(meta: str, body_paragraphs: list[str] | None = None) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in (body_paragraphs or PARAGRAPHS * 2))
    return (
        f"<!doctype html><html lang='en'><head><title>Barriers hold | Courier</title>{meta}"
        "</head><body><nav><a href='/'>Home</a><a href='/news'>News</a></nav>"
        f"<article><h1>Barriers hold</h1>{paragraphs}</article>"
        "<footer>© The Wend Courier. Subscribe now.</footer></body></html>"
    )


def test_html_with_page_metadata(news: Newsweave, tmp_path: Path) -> None:
    meta = (
        "<meta property='og:site_name' content='The Wend Courier'>"
        "<meta property='og:url' content='https://wendcourier.example/barriers'>"
        "<meta property='article:published_time' content='2022-03-08T07:15:00+01:00'>"
        "<meta name='author' content='Ada Lind'>"
    )
    news.ingest([write(tmp_path / "page.html", html_page(meta))])
    article = only(news)
    assert article.outlet == "The Wend Courier"
    assert article.url == "https://wendcourier.example/barriers"
    assert article.published and article.published.isoformat() == "2022-03-08T07:15:00+01:00"
    assert article.authors == ("Ada Lind",)
    assert "Subscribe" not in article.text and "Home" not in article.text
    assert "300 households" in article.text


def test_html_json_ld_and_time_element(news: Newsweave, tmp_path: Path) -> None:
    json_ld = (
        "<script type='application/ld+json'>"
        '{"@type": "NewsArticle", "datePublished": "2021-11-02T18:00:00Z"}</script>'
    )
    write(tmp_path / "ld.html", html_page(json_ld))
    time_page = html_page("", [*PARAGRAPHS, "<time datetime='2020-01-05'>5 January</time>"])
    write(tmp_path / "time.htm", time_page.replace("Wend river", "Wend stream"))
    news.ingest([tmp_path])
    dates = sorted(a.published.isoformat() for a in news.articles() if a.published)
    assert dates == ["2020-01-05", "2021-11-02T18:00:00+00:00"]


def test_html_without_any_date_stays_undated(news: Newsweave, tmp_path: Path) -> None:
    news.ingest([write(tmp_path / "nodate.html", html_page(""))])
    assert only(news).published is None


RECORDS = [
    {
        "id": "wc-1",
        "headline": "Barriers hold",
        "body": ARTICLE_TEXT,
        "outlet": "The Wend Courier",
        "link": "https://wendcourier.example/1",
        "pubDate": "Tue, 08 Mar 2022 07:15:00 +0100",
    },
    {
        "id": "wc-2",
        "title": "Dam plan approved",
        "content": "The council approved the upstream dam plan on Monday by nine votes to two.",
        "site": "Valley Herald",
        "url": "https://valleyherald.example/2",
        "date": "2022-03-07",
    },
]


def check_records(news: Newsweave) -> None:
    by_input = {a.input_id: a for a in news.articles()}
    assert set(by_input) == {"wc-1", "wc-2"}
    first, second = by_input["wc-1"], by_input["wc-2"]
    assert (first.title, first.outlet) == ("Barriers hold", "The Wend Courier")
    assert first.published and first.published.isoformat() == "2022-03-08T07:15:00+01:00"
    assert (second.outlet, second.url) == ("Valley Herald", "https://valleyherald.example/2")
    assert second.published and second.published.precision == "day"


def test_json_list(news: Newsweave, tmp_path: Path) -> None:
    news.ingest([write(tmp_path / "r.json", json.dumps(RECORDS))])
    check_records(news)


def test_json_container_object(news: Newsweave, tmp_path: Path) -> None:
    news.ingest([write(tmp_path / "r.json", json.dumps({"status": "ok", "articles": RECORDS}))])
    check_records(news)


def test_jsonl_and_gzip(news: Newsweave, tmp_path: Path) -> None:
    lines = "\n".join(json.dumps(r) for r in RECORDS) + "\n"
    (tmp_path / "r.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    news.ingest([tmp_path / "r.jsonl.gz"])
    check_records(news)


def test_csv_and_tsv(tmp_path: Path) -> None:
    columns = ["id", "headline", "body", "outlet", "link", "pubDate"]
    for delimiter, suffix in ((",", "csv"), ("\t", "tsv")):
        import csv

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter)
        writer.writeheader()
        writer.writerow({k: RECORDS[0][k] for k in columns})
        second = RECORDS[1]
        writer.writerow(
            {
                "id": second["id"], "headline": second["title"], "body": second["content"],
                "outlet": second["site"], "link": second["url"], "pubDate": second["date"],
            }
        )  # fmt: skip
        path = write(tmp_path / f"r.{suffix}", buffer.getvalue())
        with Newsweave(tmp_path / f"{suffix}.db") as news:
            news.ingest([path])
            check_records(news)


def test_parquet(news: Newsweave, tmp_path: Path) -> None:
    table = pa.Table.from_pylist(
        [{k: r.get(k) for k in ("id", "headline", "body", "outlet", "link", "pubDate")}
         for r in RECORDS[:1]]
        + [{"id": "wc-2", "headline": "Dam plan approved", "body": RECORDS[1]["content"],
            "outlet": "Valley Herald", "link": RECORDS[1]["url"], "pubDate": "2022-03-07"}]
    )  # fmt: skip
    pq.write_table(table, tmp_path / "r.parquet")
    news.ingest([tmp_path / "r.parquet"])
    check_records(news)


def test_parquet_timestamp_column(news: Newsweave, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    table = pa.Table.from_pylist(
        [{"text": ARTICLE_TEXT, "published": datetime(2022, 3, 8, 6, 15, tzinfo=UTC)}]
    )
    pq.write_table(table, tmp_path / "t.parquet")
    news.ingest([tmp_path / "t.parquet"])
    published = only(news).published
    assert published and published.isoformat() == "2022-03-08T06:15:00+00:00"


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>The Wend Courier</title><link>https://wendcourier.example/</link>
<item><title>Barriers hold</title><link>https://wendcourier.example/barriers</link>
<guid>wc-barriers</guid><pubDate>Tue, 08 Mar 2022 07:15:00 +0100</pubDate>
<dc:creator>Ada Lind</dc:creator>
<description>Short summary only.</description>
<content:encoded><![CDATA[<p>{p1}</p><p>{p2}</p>]]></content:encoded></item>
<item><title>Title-only brief about the dam vote</title>
<link>https://wendcourier.example/dam</link><guid>wc-dam</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Herald</title>
<id>urn:valley</id><updated>2022-03-09T00:00:00Z</updated>
<entry><id>urn:valley:1</id><title>Dam plan approved</title>
<link href="https://valleyherald.example/2"/><published>2022-03-07T20:00:00-05:00</published>
<author><name>Rui Costa</name></author>
<content type="html">&lt;p&gt;{p1}&lt;/p&gt;</content></entry></feed>"""


def test_rss_feed(news: Newsweave, tmp_path: Path) -> None:
    write(tmp_path / "feed.xml", RSS.format(p1=PARAGRAPHS[0], p2=PARAGRAPHS[1]))
    report = news.ingest([tmp_path / "feed.xml"])
    assert (report.new, report.skipped) == (2, 0)
    barrier = next(a for a in news.articles() if a.input_id == "wc-barriers")
    assert barrier.outlet == "The Wend Courier"
    assert barrier.authors == ("Ada Lind",)
    assert "300 households" in barrier.text and "Short summary" not in barrier.text
    assert barrier.published and barrier.published.isoformat() == "2022-03-08T07:15:00+01:00"
    brief = next(a for a in news.articles() if a.input_id == "wc-dam")
    assert brief.published is None


def test_atom_feed(news: Newsweave, tmp_path: Path) -> None:
    write(tmp_path / "feed.atom", ATOM.format(p1=PARAGRAPHS[0]))
    news.ingest([tmp_path / "feed.atom"])
    article = only(news)
    assert (article.outlet, article.authors) == ("Valley Herald", ("Rui Costa",))
    assert article.published and article.published.isoformat() == "2022-03-07T20:00:00-05:00"


def test_opml_with_local_feeds(news: Newsweave, tmp_path: Path) -> None:
    write(tmp_path / "feeds" / "courier.rss", RSS.format(p1=PARAGRAPHS[0], p2=PARAGRAPHS[1]))
    write(tmp_path / "feeds" / "valley.atom", ATOM.format(p1=PARAGRAPHS[1] + " Extra."))
    write(
        tmp_path / "list.opml",
        '<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        '<outline text="Courier" xmlUrl="feeds/courier.rss"/>'
        '<outline text="Folder"><outline text="Valley" xmlUrl="feeds/valley.atom"/></outline>'
        "</body></opml>",
    )
    report = news.ingest([tmp_path / "list.opml"])
    assert (report.new, report.skipped) == (3, 0)
    assert {a.outlet for a in news.articles()} == {"The Wend Courier", "Valley Herald"}


def warc_bytes(pages: list[tuple[str, str, str]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, content_type, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body.encode()), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


def test_warc_html_responses_only(news: Newsweave, tmp_path: Path) -> None:
    meta = "<meta property='article:published_time' content='2022-03-08T07:15:00+01:00'>"
    pages = [
        ("https://wendcourier.example/barriers", "text/html; charset=utf-8", html_page(meta)),
        ("https://wendcourier.example/data.json", "application/json", '{"text": "not a page"}'),
    ]
    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes(pages))
    report = news.ingest([tmp_path / "crawl.warc.gz"])
    assert (report.new, report.skipped) == (1, 0)
    article = only(news)
    assert article.url == "https://wendcourier.example/barriers"
    assert article.outlet == "wendcourier.example"
    assert article.published and article.published.precision == "time"


def test_globs_and_folders_are_expanded(news: Newsweave, tmp_path: Path) -> None:
    write(tmp_path / "a" / "one.txt", "One\n" + PARAGRAPHS[0])
    write(tmp_path / "a" / "deep" / "two.md", "Two\n" + PARAGRAPHS[1])
    write(tmp_path / "a" / "notes.py", "print('not news')")
    write(tmp_path / "b" / "three.txt", "Three\nThe dam vote was close, councillors said.")
    report = news.ingest([tmp_path / "a", str(tmp_path / "b" / "*.txt")])
    assert (report.new, report.skipped) == (3, 0)
    assert sorted(a.title for a in news.articles()) == ["One", "Three", "Two"]
