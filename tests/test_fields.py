"""Record field aliases and --field overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsweave import Newsweave
from newsweave.ingest.fields import FieldSpecError, parse_field_overrides, split_authors
from tests.helpers import ARTICLE_TEXT, cli, write


@pytest.mark.parametrize(
    "record",
    [
        {
            "text": ARTICLE_TEXT,
            "published": "2022-03-08",
            "source": "A",
            "url": "https://a.example/1",
            "title": "T",
            "id": "x",
        },
        {
            "Body": ARTICLE_TEXT,
            "Date": "2022-03-08",
            "Outlet": "A",
            "Link": "https://a.example/1",
            "Headline": "T",
            "ID": "x",
        },
        {
            "content": ARTICLE_TEXT,
            "dct": "2022-03-08",
            "site": "A",
            "link": "https://a.example/1",
            "headline": "T",
            "id": "x",
        },
        {
            "content": ARTICLE_TEXT,
            "pubDate": "2022-03-08",
            "source": {"name": "A"},
            "url": "https://a.example/1",
            "title": "T",
            "id": "x",
        },
        {
            "body": ARTICLE_TEXT,
            "published_at": "2022-03-08",
            "site": "A",
            "url": "https://a.example/1",
            "title": "T",
            "id": "x",
        },
    ],
)
def test_aliases(news: Newsweave, record: dict[str, object]) -> None:
    news.add([record])
    (article,) = news.articles()
    assert (article.outlet, article.url, article.title, article.input_id) == (
        "A", "https://a.example/1", "T", "x",
    )  # fmt: skip
    assert article.published and article.published.isoformat() == "2022-03-08"


def test_field_override_on_cli(tmp_path: Path, db: str) -> None:
    record = {"story": ARTICLE_TEXT, "text": "a teaser, not the story", "when": "2022-03-08",
              "paper": "Courier", "ref": "c-9"}  # fmt: skip
    path = write(tmp_path / "r.jsonl", json.dumps(record) + "\n")
    run = cli("ingest", str(path), "--db", db, "--field", "text=story", "--field",
              "published=when", "--field", "source=paper", "--field", "id=ref")  # fmt: skip
    assert run.code == 0, run.stderr
    with Newsweave(db) as news:
        (article,) = news.articles()
    assert article.text.startswith("Flood barriers")
    assert (article.outlet, article.input_id) == ("Courier", "c-9")
    assert article.published and article.published.isoformat() == "2022-03-08"


@pytest.mark.parametrize("spec", ["text", "text=", "colour=hue"])
def test_bad_field_spec_is_a_usage_error(spec: str, tmp_path: Path, db: str) -> None:
    path = write(tmp_path / "r.jsonl", json.dumps({"text": ARTICLE_TEXT}) + "\n")
    with pytest.raises(FieldSpecError):
        parse_field_overrides([spec])
    run = cli("ingest", str(path), "--db", db, "--field", spec)
    assert run.code == 2


def test_authors() -> None:
    assert split_authors("By Ada Lind and Tom Bay") == ["Ada Lind", "Tom Bay"]
    assert split_authors(["Ada Lind", {"name": "Tom Bay"}]) == ["Ada Lind", "Tom Bay"]
    assert split_authors(None) == []
