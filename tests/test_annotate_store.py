"""Annotation on ingest, ``newsweave annotate``, and reading actors, quotes and actions back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsweave import Newsweave
from tests.helpers import cli

WIRE = {
    "title": "Kestria talks stall",
    "source": "Continental Press Agency",
    "published": "2019-06-14T09:00:00+00:00",
    "text": (
        "SOSTRA, June 14 (CPA) - Kestrian President Marek Dovlan said on Wednesday that the "
        "talks with Germany had stalled.\n\n"
        "\u201cWe will not sign a deal that ignores the Highlands,\u201d Dovlan told reporters "
        "in Sostra. \u201cNobody in Berlin has read our proposal.\u201d\n\n"
        "German Foreign Minister Helga Brandvold rejected the claim. \u201cWe read every "
        "page of it,\u201d she said, adding that more than 2,000 troops remained in the "
        "region last month.\n\n"
        "The Kestrian president accused Germany of delaying the talks, according to the "
        "Meridian Post."
    ),
}
OTHER = {
    "title": "Dovlan visits Berlin",
    "source": "Meridian Post",
    "published": "2019-07-02T10:00:00+00:00",
    "text": (
        "Marek Dovlan arrived in Berlin on Tuesday for two days of talks. "
        "\u201cWe came to listen,\u201d Dovlan said at the airport."
    ),
}


@pytest.fixture
def annotated(news: Newsweave) -> Newsweave:
    news.add([WIRE, OTHER])
    return news


def test_ingest_annotates_new_articles(annotated: Newsweave) -> None:
    stats = annotated.stats()
    assert stats["annotated"] == stats["articles"] == 2
    assert stats["quotes"] >= 4


def test_one_actor_however_named(annotated: Newsweave) -> None:
    dovlan = annotated.actor("Dovlan")
    assert dovlan is not None and dovlan.actor.name == "Marek Dovlan"
    written = {text for text, _ in dovlan.aliases}
    assert {"Marek Dovlan", "Dovlan", "Kestrian president"} <= written
    assert len(dovlan.article_ids) == 2
    assert annotated.actor(dovlan.actor.id[:6]) is not None  # by id prefix


def test_quotes_by_speaker_and_outlet(annotated: Newsweave) -> None:
    by_dovlan = annotated.quotes(speaker="Marek Dovlan")
    said = [q.text for q in by_dovlan]
    assert any(t.startswith("We will not sign a deal that ignores the Highlands") for t in said)
    assert any(t.startswith("We came to listen") for t in said)
    assert all(q.speaker_actor == by_dovlan[0].speaker_actor for q in by_dovlan)
    brandvold = annotated.quotes(speaker="Helga Brandvold")
    assert any(q.text.startswith("We read every page") for q in brandvold)
    assert {q.outlet for q in annotated.quotes(outlet="Meridian Post")} == {"Meridian Post"}
    assert annotated.quotes(speaker="Nobody Atall") == []


def test_quotes_by_event(annotated: Newsweave) -> None:
    event = annotated.events()[0]
    members = {a.id for a in annotated.event(event.id)[1]}  # type: ignore[index]
    assert {q.article_id for q in annotated.quotes(event=event.id)} <= members


def test_annotations_trace_back_to_the_text(annotated: Newsweave) -> None:
    article = next(a for a in annotated.articles() if a.outlet == "Continental Press Agency")
    document = annotated.annotations(article.id)
    assert document is not None
    for key in ("mentions", "quotes", "quantities", "times", "attributions"):
        assert document[key], key
        for item in document[key]:
            if key != "quotes" or "\n" not in article.text[item["start"] : item["end"]]:
                assert article.text[item["start"] : item["end"]] == item["text"] or key == "quotes"
    wednesday = next(t for t in document["times"] if "Wednesday" in t["text"])
    assert wednesday["first"] == "2019-06-12"
    assert any(a["source"] == "Meridian Post" for a in document["attributions"])
    assert any(q["value"] == 2000 and q["modifier"] == "more than" for q in document["quantities"])


def test_actions_use_plover_field_names(annotated: Newsweave) -> None:
    found = annotated.actions()
    accuse = [a for a in found if a["event"] == "ACCUSE"]
    assert (
        accuse and accuse[0]["src_actor"] == "Marek Dovlan" and accuse[0]["tgt_actor"] == "Germany"
    )
    assert {"id", "date", "event", "mode", "context", "src_actor", "tgt_actor"} <= set(accuse[0])


def test_annotating_again_changes_nothing(annotated: Newsweave) -> None:
    before = list(annotated.iter_annotations())
    actors = [a.to_dict() for a in annotated.actors(limit=1000)]
    assert annotated.annotate() == 0  # nothing new
    assert annotated.annotate(again=True) == 2
    assert list(annotated.iter_annotations()) == before
    assert [a.to_dict() for a in annotated.actors(limit=1000)] == actors
    assert annotated.stats()["quotes"] == len([q for d in before for q in d["quotes"]])


def test_no_annotate_then_annotate(news: Newsweave) -> None:
    news.add([WIRE], annotate=False)
    assert news.stats()["annotated"] == 0
    assert news.annotate() == 1
    assert news.stats()["annotated"] == 1


def test_the_alias_file_is_read_at_start(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    (tmp_path / "news.aliases.toml").write_text(
        '"Marek Dovlan" = ["the Highlands strongman"]\n', encoding="utf-8"
    )
    with Newsweave(db) as news:
        news.add([{**OTHER, "text": OTHER["text"] + " Critics of the Highlands strongman left."}])
        dovlan = news.actor("Marek Dovlan")
        assert dovlan is not None
        assert "the Highlands strongman" in {text for text, _ in dovlan.aliases}


def test_cli_annotation_commands(db: str, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in (WIRE, OTHER)) + "\n", encoding="utf-8")
    assert cli("ingest", str(source), "--db", db, "--quiet", "--no-annotate").code == 0
    done = cli("annotate", "--db", db, "--json")
    assert done.code == 0 and json.loads(done.stdout)["annotated"] == 2

    listed = cli("actors", "list", "--db", db, "--json")
    names = {a["name"] for a in json.loads(listed.stdout)["actors"]}
    assert {"Marek Dovlan", "Helga Brandvold", "Germany"} <= names
    lines = cli("actors", "list", "--db", db, "--jsonl", "--kind", "person").stdout.splitlines()
    assert all(json.loads(line)["kind"] == "person" for line in lines)

    shown = json.loads(cli("actors", "show", "Dovlan", "--db", db, "--json").stdout)
    assert shown["name"] == "Marek Dovlan" and shown["quotes"]
    assert cli("actors", "show", "Nobody", "--db", db).code == 1

    quotes = cli("quotes", "--db", db, "--speaker", "Helga Brandvold", "--jsonl").stdout
    speakers = {json.loads(line)["speaker"] for line in quotes.splitlines()}
    assert speakers == {"Helga Brandvold"}
    assert "Dovlan" in cli("quotes", "--db", db).stdout

    actions = cli("actions", "--db", db, "--jsonl").stdout.splitlines()
    assert any(json.loads(line)["event"] == "ACCUSE" for line in actions)

    exported = tmp_path / "annotations.jsonl"
    assert cli("annotations", "export", "--db", db, "--out", str(exported)).code == 0
    assert len(exported.read_text(encoding="utf-8").splitlines()) == 2

    article = json.loads(cli("articles", "list", "--db", db, "--json").stdout)["articles"][0]
    shown_article = cli(
        "articles", "show", article["id"][:8], "--db", db, "--annotations", "--json"
    )
    assert json.loads(shown_article.stdout)["annotations"]["mentions"]
    text_view = cli("articles", "show", article["id"][:8], "--db", db, "--annotations").stdout
    assert "Quotes" in text_view and "Dates" in text_view


def test_cli_refuses_a_broken_alias_file(db: str, tmp_path: Path) -> None:
    broken = tmp_path / "aliases.toml"
    broken.write_text("not = = toml\n", encoding="utf-8")
    result = cli("annotate", "--db", db, "--aliases", str(broken))
    assert result.code == 1
    assert "aliases.toml" in result.stderr


def test_stored_quotes_give_spans_kinds_and_record_ids(tmp_path: Path) -> None:
    text = (
        "Senator Ann Cole called the plan “a disaster” on Friday.\n\n"
        "“The plan is dead,” Cole said, “and nobody will revive it.”"
    )
    record = {"id": "rec-7", "title": "Plan", "source": "The Courier", "text": text}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Newsweave(tmp_path / "news.db") as news:
        news.ingest([source])
        partial = news.quotes(kind="partial")
        direct = news.quotes(kind="direct")
    assert [(q.kind, q.input_id) for q in partial] == [("partial", "rec-7")]
    assert [text[a:b] for a, b in partial[0].spans] == ["the plan “a disaster”"]
    assert [text[a:b] for a, b in direct[0].spans] == [
        "The plan is dead,",
        "and nobody will revive it.",
    ]
    assert direct[0].text == "The plan is dead, … and nobody will revive it."
