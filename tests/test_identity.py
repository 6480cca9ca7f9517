"""Real news in, nothing lost or mislabelled: identity, outlets, thin bodies, updates.

The fixture has the shape of the GVA corpus as it comes (archive.org capture URLs, a gold
incident per record, boilerplate bodies that scraped pages of different stories share,
empty bodies, one story syndicated by two stations), with text written for these tests.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

from newsweave import Newsweave
from newsweave.ingest.identity import titles_agree
from newsweave.ingest.text import is_headline
from tests.helpers import cli, write

SIGN_UP = (
    "Just one more thing. We have sent you a verification email. Please check your inbox "
    "and click the link to activate your account. Thank you for registering!"
)
ZIP_CODE = "Sorry, this zipcode is not in our deliverable area for this subscription service."
TEAK_STREET = (
    "Two men were wounded when shots were fired outside a bar on Teak Street in Marlow "
    "late on Saturday, police said. Both were taken to Marlow General Hospital, where they "
    "were listed in stable condition on Sunday. Officers found more than a dozen shell "
    "casings in the parking lot. Witnesses told investigators that an argument inside the "
    "bar spilled out onto the street shortly before closing time. No arrests have been made, "
    "and police asked anyone with information to call the department's tip line."
)
CAPTURE = "http://web.archive.org/web/2017031301{n:04d}/http://www.{site}/story/{story}"


def gva_record(
    n: int, incident: str, title: str, text: str, site: str, day: str
) -> dict[str, object]:
    url = CAPTURE.format(n=n, site=site, story=f"{incident}-{n}")
    return {"id": f"md5-{n}", "incident_ids": [incident], "dct": day, "title": title,
            "text": text, "url": url}  # fmt: skip


def gva_records() -> list[dict[str, object]]:
    return [
        gva_record(1, "100", "Man dies from accidental gunshot wound", SIGN_UP,
                   "kmarlow.com", "2016-09-20"),
        gva_record(2, "200", "Five dead in Cascade Mall shooting", SIGN_UP,
                   "kmarlow.com", "2016-09-24"),
        gva_record(3, "300", "Four hurt by gunfire outside Marion nightclub", ZIP_CODE,
                   "heraldpress.com", "2016-10-02"),
        gva_record(4, "400", "Police: gunman in custody after store shooting", ZIP_CODE,
                   "heraldpress.com", "2016-10-05"),
        gva_record(5, "500", "Two wounded outside Teak Street bar - WMRL News 4", TEAK_STREET,
                   "wmrl4.com", "2016-10-09"),
        gva_record(6, "500", "Two wounded outside Teak Street bar - KTEA 9", TEAK_STREET,
                   "ktea9.com", "2016-10-09"),
        gva_record(7, "600", "Shooting on Pine Road leaves teen injured", "",
                   "heraldpress.com", "2016-10-11"),
        gva_record(8, "700", "Shooting on Pine Road: suspect arrested", "",
                   "heraldpress.com", "2016-10-14"),
    ]  # fmt: skip


def write_gva(path: Path, records: list[dict[str, object]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    return path


def export(db: str) -> list[dict[str, object]]:
    run = cli("events", "export", "--db", db)
    assert run.code == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_gva_as_it_comes_keeps_every_record_apart_and_traced(tmp_path: Path, db: str) -> None:
    records = gva_records()
    source = write_gva(tmp_path / "articles.jsonl.gz", records)
    run = cli("ingest", str(source), "--db", db, "--no-annotate")
    assert run.code == 0, run.stderr
    assert "updated 0" in run.stdout and "thin 6" in run.stdout

    rows = export(db)
    gold = {str(r["id"]): r["incident_ids"][0] for r in records}  # type: ignore[index]
    assert sorted(str(row["input_id"]) for row in rows) == sorted(gold)
    assert all(row["event_id"] for row in rows)
    incidents_by_article: dict[str, set[object]] = {}
    for row in rows:
        incidents_by_article.setdefault(str(row["article_id"]), set()).add(
            gold[str(row["input_id"])]
        )
    assert all(len(found) == 1 for found in incidents_by_article.values())
    assert len(incidents_by_article) == 7  # only the syndicated Teak Street story is one article

    by_id = {str(row["input_id"]): row for row in rows}
    assert by_id["md5-2"]["title"] == "Five dead in Cascade Mall shooting"
    assert by_id["md5-2"]["published"] == "2016-09-24"
    assert {row["outlet"] for row in rows} == {
        "kmarlow.com",
        "heraldpress.com",
        "wmrl4.com",
        "ktea9.com",
    }
    assert by_id["md5-1"]["thin"] == "shared" and by_id["md5-5"]["thin"] is None
    assert by_id["md5-7"]["url"] == "http://www.heraldpress.com/story/600-7"

    with Newsweave(db) as news:
        assert [a.title for a in news.articles(search="Cascade Mall")] == [
            "Five dead in Cascade Mall shooting"
        ]
        (syndicated,) = news.articles(search="KTEA")  # found by its second record's title
        assert syndicated.title == "Two wounded outside Teak Street bar - WMRL News 4"
        assert news.count(search="KTEA") == 1 and news.count(search="Teak Street") == 1
        found = news.article("md5-2")
        assert found is not None and found.article.title == "Five dead in Cascade Mall shooting"
        assert news.copies() == []  # boilerplate never links stories as copies
        assert "web.archive.org" not in news.stats()["outlets"]


def test_the_same_text_under_a_related_title_is_one_article() -> None:
    assert titles_agree(
        "Two wounded outside Teak Street bar - WMRL News 4",
        "Two wounded outside Teak Street bar | KTEA",
    )
    assert titles_agree("Marlow bar shooting", "Marlow bar shooting leaves two wounded")
    assert not titles_agree(
        "Five dead in Cascade Mall shooting", "Man dies from accidental gunshot wound"
    )


def test_a_headline_is_short_and_ends_without_a_full_stop() -> None:
    assert is_headline("Dam opens on the Wend")
    assert is_headline("Troops to leave the U.S.")
    assert not is_headline("The new dam on the Wend opened on Monday, the authority said.")
    assert not is_headline(" ".join(["word"] * 40))


TXT_ARTICLES = {
    "dam.txt": ("Dam opens on the Wend", "The new dam on the Wend opened on Monday after "
                "six years of work, the regional water authority said."),
    "strike.txt": ("Dockers walk out at Port Aldermoor", "Dockers at Port Aldermoor walked "
                   "out on Tuesday over plans to automate two cranes, the union said."),
    "fire.txt": ("Warehouse fire in Grindley", "A warehouse on the edge of Grindley burned "
                 "through the night, and firefighters said no one was hurt."),
}  # fmt: skip
META = {
    "dam.txt": ("Wend Courier", "2016-05-02", "https://wendcourier.example/dam"),
    "strike.txt": ("Harbour Ledger", "2018-03-06", "https://harbourledger.example/strike"),
    "fire.txt": ("Grindley Post", "2016-05-03", "https://grindleypost.example/fire"),
}


def write_plain(folder: Path, front_matter: bool) -> Path:
    for name, (title, body) in TXT_ARTICLES.items():
        outlet, day, url = META[name]
        head = f"---\nsource: {outlet}\npublished: {day}\nurl: {url}\n---\n" if front_matter else ""
        write(folder / name, f"{head}{title}\n\n{body}\n")
    return folder


def store_contents(db: str) -> dict[str, object]:
    with Newsweave(db) as news:
        articles = news.articles(limit=100)
        events = {a.id: news.store.event_of(a.id) for a in articles}
        sightings = sorted(
            (s.article_id, s.outlet, s.url or "", s.published or "")
            for a in articles for s in news.store.sightings(a.id)
        )  # fmt: skip
        return {
            "articles": sorted((a.id, a.title, a.outlet, a.url, a.published) for a in articles),
            "sightings": sightings,
            "events": sorted(events.items()),
            "stale": news.store.events_stale(),
        }


def test_adding_front_matter_and_ingesting_again_updates(tmp_path: Path) -> None:
    folder = write_plain(tmp_path / "clippings", front_matter=False)
    db = str(tmp_path / "updated.db")
    first = cli("ingest", str(folder), "--db", db, "--no-annotate")
    assert first.code == 0 and "folder name 3" in first.stdout and "clippings" in first.stdout
    write_plain(folder, front_matter=True)
    again = cli("ingest", str(folder), "--db", db, "--no-annotate")
    assert again.code == 0, again.stderr
    assert "new 0" in again.stdout and "updated 3" in again.stdout

    fresh_folder = write_plain(tmp_path / "fresh" / "clippings", front_matter=True)
    fresh = str(tmp_path / "fresh.db")
    assert cli("ingest", str(fresh_folder), "--db", fresh, "--no-annotate").code == 0
    updated, reference = store_contents(db), store_contents(fresh)
    assert updated["articles"] == reference["articles"]
    assert updated["sightings"] == reference["sightings"]
    assert updated["events"] == reference["events"] and updated["stale"] is False
    third = cli("ingest", str(folder), "--db", db, "--no-annotate")
    assert "already stored 3" in third.stdout and "updated 0" in third.stdout


def test_a_side_file_gives_plain_text_its_metadata(tmp_path: Path) -> None:
    folder = write_plain(tmp_path / "clippings", front_matter=False)
    db = str(tmp_path / "side.db")
    assert cli("ingest", str(folder), "--db", db, "--no-annotate").code == 0
    side = tmp_path / "files.csv"
    with side.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "outlet", "published", "url"])
        for name, (outlet, day, url) in META.items():
            writer.writerow([name, outlet, day, url])
    run = cli("ingest", str(folder), "--db", db, "--no-annotate", "--meta", str(side))
    assert run.code == 0, run.stderr
    assert "updated 3" in run.stdout

    fresh_folder = write_plain(tmp_path / "fresh" / "clippings", front_matter=True)
    fresh = str(tmp_path / "fresh.db")
    assert cli("ingest", str(fresh_folder), "--db", fresh, "--no-annotate").code == 0
    assert store_contents(db)["articles"] == store_contents(fresh)["articles"]
    assert store_contents(db)["events"] == store_contents(fresh)["events"]


def test_a_bad_side_file_is_a_usage_error(tmp_path: Path, db: str) -> None:
    folder = write_plain(tmp_path / "clippings", front_matter=False)
    side = write(tmp_path / "files.csv", "title,outlet\nA,B\n")
    run = cli("ingest", str(folder), "--db", db, "--meta", str(side))
    assert run.code == 2 and "names no file" in run.stderr


def test_the_first_paragraph_of_a_title_less_text_is_annotated(tmp_path: Path, db: str) -> None:
    lede = (
        "Mayor Elena Varga said on Monday that the Wend bridge would reopen in March, "
        "after inspectors found the old piers sound."
    )
    path = write(tmp_path / "note.txt", f"{lede}\n\nWork on the road deck starts next week.\n")
    assert cli("ingest", str(path), "--db", db, "--no-cluster").code == 0
    with Newsweave(db) as news:
        (article,) = news.articles()
        assert article.text.startswith("Mayor Elena Varga said on Monday")
        assert article.title.startswith("Mayor Elena Varga said on Monday")
        document = news.annotations(article.id)
        assert document is not None
        names = {m["text"] for m in document["mentions"]}
        assert "Elena Varga" in names
        assert any(m["start"] < len(lede) for m in document["mentions"])


def test_outlets_come_from_the_table_and_the_users_file(tmp_path: Path, db: str) -> None:
    records = [
        {"id": "a", "title": "Council backs dam", "text": TEAK_STREET, "published": "2016-10-09",
         "url": "https://web.archive.org/web/20161010/https://www.washingtonpost.com/local/dam"},
        {"id": "b", "title": "Bar shooting in Marlow", "text": TEAK_STREET + " More to come.",
         "published": "2016-10-10", "url": "https://www.tallowgazette.example/marlow?amp=1"},
    ]  # fmt: skip
    source = write(tmp_path / "r.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    user = write(
        tmp_path / "outlets.toml",
        '[[outlet]]\nname = "Tallow Gazette"\ndomains = ["tallowgazette.example"]\n'
        'aliases = ["The Gazette"]\n',
    )
    run = cli("ingest", str(source), "--db", db, "--no-annotate", "--outlets", str(user))
    assert run.code == 0, run.stderr
    assert "url (outlet table) 2" in run.stdout

    listed = cli("outlets", "list", "--db", db, "--json")
    outlets = {o["name"]: o for o in json.loads(listed.stdout)["outlets"]}
    assert set(outlets) == {"The Washington Post", "Tallow Gazette"}
    assert outlets["The Washington Post"]["domains"] == ["washingtonpost.com"]
    assert outlets["The Washington Post"]["first_published"] == "2016-10-09"
    shown = cli("outlets", "show", "washingtonpost.com", "--db", db, "--json")
    assert json.loads(shown.stdout)["name"] == "The Washington Post"
    assert "WaPo" in json.loads(shown.stdout)["aliases"]
    assert cli("outlets", "show", "Nowhere Herald", "--db", db).code == 1
    with Newsweave(db) as news:
        found = news.article("https://www.tallowgazette.example/marlow")
        assert found is not None and found.article.outlet == "Tallow Gazette"


def test_records_of_one_page_are_one_article_and_each_is_kept(tmp_path: Path, db: str) -> None:
    page = "http://www.maconledger.example/news/crime/article301"
    records = [
        gva_record(1, "900", "Brothers indicted in shooting", TEAK_STREET, "x", "2016-10-09"),
        gva_record(2, "900", "Man sentenced to 15 years", TEAK_STREET, "x", "2016-10-09"),
    ]
    records[0]["url"] = f"http://web.archive.org/web/20160101000000/{page}"
    records[1]["url"] = f"http://web.archive.org/web/20170101000000/{page}?from=global"
    source = write_gva(tmp_path / "a.jsonl.gz", records)
    assert cli("ingest", str(source), "--db", db, "--no-annotate").code == 0
    rows = export(db)
    assert [row["input_id"] for row in rows] == ["md5-1", "md5-2"]
    assert rows[0]["article_id"] == rows[1]["article_id"]
    assert [row["title"] for row in rows] == [r["title"] for r in records]


def test_a_corrected_title_updates_the_record_it_belongs_to(tmp_path: Path, db: str) -> None:
    records = gva_records()[:2] + gva_records()[6:7]  # two share a sign-up body, one is empty
    source = write_gva(tmp_path / "a.jsonl.gz", records)
    assert cli("ingest", str(source), "--db", db, "--no-annotate").code == 0
    for record in records[1:]:
        record["title"] = f"{record['title']} (corrected)"
    write_gva(source, records)
    run = cli("ingest", str(source), "--db", db, "--no-annotate")
    assert run.code == 0, run.stderr
    assert "new 0" in run.stdout and "updated 2" in run.stdout
    titles = {row["input_id"]: row["title"] for row in export(db)}
    assert titles["md5-2"] == "Five dead in Cascade Mall shooting (corrected)"
    assert titles["md5-7"] == "Shooting on Pine Road leaves teen injured (corrected)"
    with Newsweave(db) as news:
        assert news.count() == 3


def test_a_shared_boilerplate_body_is_left_out_of_comparisons(tmp_path: Path, db: str) -> None:
    records = gva_records()[:2]
    source = write_gva(tmp_path / "a.jsonl.gz", records)
    assert cli("ingest", str(source), "--db", db).code == 0
    with Newsweave(db) as news:
        for event in news.events():
            found = news.compare(event.id)
            assert found is not None
            said = json.dumps(found.to_dict())
            assert "Just one more thing" not in said and "verification email" not in said


def test_citations_know_the_outlets_of_the_users_file(tmp_path: Path) -> None:
    user = write(
        tmp_path / "outlets.toml",
        '[[outlet]]\nname = "Marlow Wire Agency"\ndomains = ["marlowwire.example"]\n'
        'aliases = ["MWA"]\n',
    )
    text = (
        "Two men were wounded outside a bar on Teak Street late on Saturday, according to "
        "MWA. Police have made no arrests."
    )
    record = {"title": "Two hurt in Marlow", "text": text, "source": "Wend Courier"}
    sources = []
    for outlets in (None, user):
        with Newsweave(tmp_path / f"{outlets is None}.db", outlets=outlets) as news:
            news.add([record], cluster=False)
            (article,) = news.articles()
            document = news.annotations(article.id)
            assert document is not None
            sources.append([a["source"] for a in document["attributions"]])
    assert sources[1] == ["Marlow Wire Agency"] and sources[0] != sources[1]
