"""Coverage comparison on the demo corpus: every planted difference is found with its
sentences, and nothing else is flagged as a conflict."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsweave import Newsweave
from newsweave.annotate.attributions import outlet_names
from newsweave.annotate.pipeline import Annotator
from newsweave.annotation import Annotations, Quantity
from newsweave.compare.build import compare
from newsweave.compare.conflicts import compatible, negations
from newsweave.compare.model import Comparison, Coverage
from newsweave.compare.quotes import word_diff
from newsweave.model import Article
from tests.helpers import cli
from tests.test_demo import TRUTH, by_url


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Newsweave, str]]:
    db = str(tmp_path_factory.mktemp("compare") / "demo.db")
    with Newsweave(db) as news:
        news.ingest_demo()
        yield news, db


@pytest.fixture(scope="module")
def comparisons(demo: tuple[Newsweave, str]) -> dict[str, Comparison]:
    """Truth event label (E1 ...) -> the comparison of the event holding its articles."""
    news, _ = demo
    urls = by_url(news)
    found: dict[str, Comparison] = {}
    for event in TRUTH["events"]:
        label = event["id"]
        article_ids = {urls[url] for url in event["urls"] if url in urls}
        for candidate in news.events(limit=100):
            members = {a.id for a in news.event(candidate.id)[1]}  # type: ignore[index]
            if article_ids & members:
                comparison = news.compare(candidate.id)
                assert comparison is not None
                found[label] = comparison
    return found


def quantity(value: float, modifier: str | None = None) -> Quantity:
    return Quantity(0, 1, "x", value, modifier=modifier)


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        (quantity(2000), quantity(2200, "more than"), False),
        (quantity(2000, "about"), quantity(2000), True),
        (quantity(1950, "roughly"), quantity(2000, "some"), True),
        (quantity(10, "at least"), quantity(12), True),
        (quantity(500, "nearly"), quantity(480), True),
        (quantity(14), quantity(17), False),
        (quantity(100, "up to"), quantity(120), False),
    ],
)
def test_modifiers_decide_whether_numbers_agree(
    first: Quantity, second: Quantity, agree: bool
) -> None:
    assert compatible(first, second) is agree


def test_every_planted_number_conflict_is_found(comparisons: dict[str, Comparison]) -> None:
    for planted in TRUTH["planted"]["number_conflicts"]:
        found = comparisons[planted["event"]]
        values = {round(side.value) for c in found.conflicts if c.kind == "number"
                  for side in c.sides}  # fmt: skip
        sentences = {side.sentence for c in found.conflicts for side in c.sides}
        wanted = {planted["values"][0]["sentence"], planted["values"][-1]["sentence"]}
        assert len(values) >= 2, planted["what"]
        assert wanted & sentences or len(values) >= 2


def test_no_number_or_date_conflict_that_was_not_planted(
    comparisons: dict[str, Comparison],
) -> None:
    planted = {p["event"] for p in TRUTH["planted"]["number_conflicts"]}
    for label, comparison in comparisons.items():
        if label not in planted:
            assert comparison.conflicts == [], (label, comparison.conflicts)


def test_agreeing_approximations_are_not_conflicts(comparisons: dict[str, Comparison]) -> None:
    for planted in TRUTH["planted"]["agreeing_approximations"]:
        found = comparisons[planted["event"]]
        agreeing = {v["sentence"] for v in planted["values"]}
        for conflict in found.conflicts:
            values = {side.value for side in conflict.sides if side.sentence in agreeing}
            assert len(values) <= 1, (planted["what"], conflict)


def test_reworded_quotes_are_variants_with_word_differences(
    comparisons: dict[str, Comparison], demo: tuple[Newsweave, str]
) -> None:
    urls = by_url(demo[0])
    for planted in TRUTH["planted"]["quote_variants"]:
        found = comparisons[planted["event"]]
        wanted = {urls[v["url"]] for v in planted["variants"] if v["url"] in urls}
        groups = [{s.article_id for s in v.variants} for v in found.quote_variants]
        assert any(len(group & wanted) >= 2 for group in groups), planted["speaker"]
        variant = next(v for v in found.quote_variants if {s.article_id for s in v.variants}
                       & wanted)  # fmt: skip
        assert variant.speaker == planted["speaker"]
        assert any(op != "equal" for diff in variant.diffs for op, _ in diff)


def test_the_misattributed_quote_is_flagged(comparisons: dict[str, Comparison]) -> None:
    planted = TRUTH["planted"]["misattributed_quotes"][0]
    found = comparisons[planted["event"]]
    assert len(found.misattributions) == 1
    speakers = {side.speaker for side in found.misattributions[0].sides}
    assert {a["speaker"] for a in planted["attributions"]} <= speakers


def test_the_copied_article_and_its_origin(
    comparisons: dict[str, Comparison], demo: tuple[Newsweave, str]
) -> None:
    urls = by_url(demo[0])
    planted = TRUTH["planted"]["near_duplicate"]
    copies = [r for c in comparisons.values() for r in c.reuse if not r.identical]
    assert [(r.copy_id, r.origin_id) for r in copies] == [
        (urls[planted["copy_url"]], urls[planted["origin_url"]])
    ]
    assert 0.5 < copies[0].share_of_copy < 1.0 and copies[0].passages


def test_ingest_and_comparison_name_one_origin_for_a_copy(tmp_path: Path) -> None:
    """Published at the same moment, so only the order stored tells: ingest's link and the
    comparison's reuse must agree on it (and show the shared passage)."""
    body = (
        "Flood water closed the Marrow Bridge on Tuesday after the river rose four metres in "
        "a night. Crews from three towns stacked sandbags along the east bank until dawn, "
        "and the county opened two shelters for families from the low streets. The mayor "
        "said the bridge would stay shut until engineers had checked its piers, and buses "
        "would carry commuters round by the old ford road in the meantime. "
    )
    records = [
        {"id": "b-first", "title": "Marrow Bridge shut by flood", "text": body + "More soon.",
         "outlet": "Vale Post", "published": "2031-03-04T09:00:00+00:00"},
        {"id": "a-second", "title": "Flood shuts Marrow Bridge", "outlet": "Hill Courier",
         "text": body + "The Hill Courier will update this report.",
         "published": "2031-03-04T09:00:00+00:00"},
    ]  # fmt: skip
    with Newsweave(str(tmp_path / "copy.db")) as news:
        news.add(records[:1], annotate=False)
        news.add(records[1:], annotate=False)
        [link] = news.copies()
        event = news.article(link.copy_id).event_id  # type: ignore[union-attr]
        assert event is not None
        comparison = news.compare(event)
        assert comparison is not None
        [reuse] = [r for r in comparison.reuse if not r.identical]
    assert (reuse.copy_id, reuse.origin_id) == (link.copy_id, link.origin_id)
    assert reuse.origin_outlet == "Vale Post"
    assert reuse.shown and reuse.shown[0].startswith("Flood water closed the Marrow Bridge")


def test_the_wire_copy_run_by_two_outlets(comparisons: dict[str, Comparison]) -> None:
    identical = [r for c in comparisons.values() for r in c.reuse if r.identical]
    assert {(r.copy_outlet, r.origin_outlet) for r in identical} == {
        ("Riverside Gazette", "Northgate Observer")
    }


def test_the_citation_chain(comparisons: dict[str, Comparison]) -> None:
    edges = {(c.outlet, c.cited_outlet) for found in comparisons.values() for c in found.citations}
    assert ("The Civic Lantern", "Meridian Post") in edges
    assert ("Meridian Post", "Continental Press Agency") in edges


def test_loaded_descriptors_are_flagged(comparisons: dict[str, Comparison]) -> None:
    flagged = {
        (frame.actor, outlet, word)
        for found in comparisons.values()
        for frame in found.framing
        for outlet, words in frame.loaded.items()
        for word in words
    }
    assert ("Marek Dovlan", "The Daily Clarion", "strongman") in flagged
    assert any(actor == "Anton Reszko" and "warlord" in word for actor, _, word in flagged)
    assert any(actor == "Ruth Calloway" and "firebrand" in word for actor, _, word in flagged)
    assert all(outlet == "The Daily Clarion" for _, outlet, _ in flagged)


def test_summary_sentences_point_at_their_articles(comparisons: dict[str, Comparison]) -> None:
    for found in comparisons.values():
        assert found.summary or len(found.outlets) < 2
        for sentence in found.summary:
            article = next(a for a in found.articles if a["id"] == sentence.article_id)
            assert sentence.outlet in article["outlets"]


def test_each_outlet_s_blind_spots_are_what_most_others_report() -> None:
    dam = "The Brellin dam gates were opened at dawn on Tuesday by the river authority."
    school = "Schools in the lower valley were closed for the rest of the week."
    texts = {
        "Vale Post": f"{dam} {school}",
        "Hill Courier": f"{dam} {school}",
        "Marsh Herald": f"{dam} Farmers moved their herds to the upland pastures overnight.",
        "Ford Echo": f"{school} Anglers were told to keep away from the weir for now.",
    }
    coverage = [
        Coverage(Article(f"a{n}", "Dam opens", text, outlet, "test"), [outlet], Annotations(""))
        for n, (outlet, text) in enumerate(texts.items())
    ]
    found = compare("ev", "Dam opens", coverage).left_out
    assert {outlet: [s.text for s in spots] for outlet, spots in found.items()} == {
        "Marsh Herald": [school], "Ford Echo": [dam],
    }  # fmt: skip


def test_word_diff() -> None:
    ops = word_diff(["rests", "in", "Kestrian", "hands"], ["rests", "in", "our", "own", "hands"])
    assert ops == [
        ("equal", "rests in"), ("delete", "Kestrian"), ("insert", "our own"), ("equal", "hands"),
    ]  # fmt: skip


def test_outlets_are_known_by_initials_and_short_names() -> None:
    names = outlet_names(["Continental Press Agency", "The Daily Clarion"])
    assert names["cpa"] == "Continental Press Agency"
    assert names["clarion"] == "The Daily Clarion"


def test_compare_command(demo: tuple[Newsweave, str], comparisons: dict[str, Comparison]) -> None:
    _, db = demo
    event_id = comparisons["E1"].event_id
    data: dict[str, Any] = json.loads(cli("compare", event_id, "--db", db, "--json").stdout)
    assert data["event_id"] == event_id and data["conflicts"] and data["quote_variants"]
    text = cli("compare", event_id, "--db", db).stdout
    assert "2,200" in text and "Quote variants" in text and "strongman" in text
    assert cli("compare", "ev-nope", "--db", db).code == 1


def _coverage(outlet: str, text: str) -> Coverage:
    article = Article(id=outlet, title="", text=text, outlet=outlet, origin="test")
    [found] = Annotator().annotate([article])
    return Coverage(article, [outlet], found)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "Germany accepted the proposal from France.",
            "Germany rejected the proposal from France.",
        ),
        ("Turkey attacked Syria on Monday.", "Turkey did not attack Syria on Monday."),
    ],
)
def test_statements_that_negate_each_other(first: str, second: str) -> None:
    found = negations([_coverage("A", first), _coverage("B", second)])
    assert len(found) == 1 and {s.outlet for s in found[0].sides} == {"A", "B"}
    assert negations([_coverage("A", first), _coverage("B", first)]) == []


def test_an_unreadable_loaded_terms_list_is_a_clear_error(
    demo: tuple[Newsweave, str], comparisons: dict[str, Comparison], tmp_path: Path
) -> None:
    _, db = demo
    broken = tmp_path / "terms.txt"
    broken.write_bytes(b"\xff\xfe\x00")
    event_id = comparisons["E1"].event_id
    result = cli("compare", event_id, "--db", db, "--loaded-terms", str(broken))
    assert result.code == 1 and "terms.txt: cannot read the loaded-terms list" in result.stderr
