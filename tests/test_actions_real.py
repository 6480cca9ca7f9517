"""Actions on real-shaped news sentences (written for these tests), and the gate on the
PLOVER gold of real sentences (``benchmarks/gold/plover.jsonl``): datelines and page
furniture are no doers, the passive's agent is, negation and modality count, a place can
stand for its government, and a noun can name the event."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsweave.annotate.actions import find_actions
from newsweave.annotate.actors import find_mentions
from newsweave.annotate.pipeline import load_model

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.append(str(BENCHMARKS))

from corpora import DataNotFoundError, data_folder  # noqa: E402

Found = tuple[str | None, str, str | None, bool]  # type, source, target, negated


def events(text: str) -> list[Found]:
    doc = load_model()(text)
    found = find_actions(doc, find_mentions(doc))
    return [(a.event_type, a.source, a.target, a.negated) for a in found]


def typed(text: str) -> list[Found]:
    return [found for found in events(text) if found[0] is not None]


def kinds(text: str) -> set[str | None]:
    return {kind for kind, *_ in typed(text) if not _[-1]}


# doers


@pytest.mark.parametrize(
    "text",
    [
        "CHICAGO — A 23-year-old man was shot and killed on the South Side late Sunday.",
        "BALTIMORE (AP) — Two teenagers were shot outside a school on Monday, police said.",
        "Please enable Javascript to watch this video",
    ],
)
def test_a_dateline_or_page_furniture_is_no_doer(text: str) -> None:
    assert events(text) == []


def test_the_dateline_is_left_out_but_the_doer_kept() -> None:
    found = typed("BATON ROUGE, La. (AP) — Louisiana State Police arrested a man on Friday.")
    assert [(kind, source) for kind, source, _, _ in found] == [
        ("COERCE", "Louisiana State Police")
    ]


def test_the_passive_agent_is_the_doer_and_the_subject_the_target() -> None:
    assert ("ACCUSE", "Paul Hale", "Lena Ortiz", False) in typed(
        "Mayor Lena Ortiz was sharply criticized by Governor Paul Hale over the budget."
    )


def test_a_passive_without_agent_has_no_doer() -> None:
    assert typed("A 19-year-old was shot and wounded near the park on Sunday night.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moscow condemned the strikes on Aleppo.", ("ACCUSE", "Moscow")),
        ("Washington imposed new sanctions on Iran.", ("SANCTION", "Washington")),
        ("Chicago police arrested Marcus Bell on Tuesday.", ("COERCE", "Chicago")),
        ("Israeli troops fired on protesters near the fence.", ("ASSAULT", "Israel")),
    ],
)
def test_a_place_or_a_demonym_stands_for_its_government(
    text: str, expected: tuple[str, str]
) -> None:
    assert expected in [(kind, source) for kind, source, _, _ in typed(text)]


def test_a_place_before_a_person_is_where_they_live() -> None:
    found = typed("A Denver man shot his neighbor during an argument, police said.")
    assert all(source != "Denver" for _, source, _, _ in found)


def test_a_pronoun_in_what_was_said_is_the_speaker() -> None:
    assert ("CONCEDE", "Sarah Palin", None, False) in typed(
        "Sarah Palin told reporters on Sunday that she apologizes for the remarks."
    )


# what happened


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The US withdrawal from Syria began in October.", ("RETREAT", "United States", "Syria")),
        ("Russia's invasion of Ukraine drew sanctions.", ("ASSAULT", "Russia", "Ukraine")),
        ("A protest by Greenpeace blocked the harbour.", ("PROTEST", "Greenpeace", None)),
        ("Germany held talks with Poland on Friday.", ("CONSULT", "Germany", "Poland")),
    ],
)
def test_a_noun_names_the_event(text: str, expected: tuple[str, str, str | None]) -> None:
    assert expected in [found[:3] for found in typed(text)]


def test_negation_marks_the_action() -> None:
    assert ("MOBILIZE", "Mexico", None, True) in typed(
        "Mexico did not deploy troops to the border."
    )
    assert kinds("The senator never apologized to the families.") == set()


def test_refusing_aid_is_a_sanction() -> None:
    found = typed("Apple said it will not fund the Republican convention this year.")
    assert ("SANCTION", "Apple", False) in [(kind, source, no) for kind, source, _, no in found]


@pytest.mark.parametrize(
    ("text", "kind", "not_kind"),
    [
        ("Turkey refused to withdraw its troops from the region.", "REJECT", "RETREAT"),
        ("Hezbollah threatened to attack Israel.", "THREATEN", "ASSAULT"),
        ("France urged Iran to release the sailors.", "REQUEST", "RETREAT"),
    ],
)
def test_what_is_refused_threatened_or_asked_for_has_not_happened(
    text: str, kind: str, not_kind: str
) -> None:
    found = kinds(text)
    assert kind in found and not_kind not in found


@pytest.mark.parametrize(
    "text",
    [
        "The weather in Denver was mild on Sunday.",
        "Would Iran attack Israel if the talks failed?",
        "The company could cut ties with the supplier next year.",
        "A 3-year-old boy accidentally shot himself with his father's gun.",
        "Officials declined to comment on the investigation.",
        "Kramer released a statement on Friday.",
    ],
)
def test_a_sentence_without_an_event_gives_none(text: str) -> None:
    assert kinds(text) == set()


def test_words_not_blows() -> None:
    assert ("ACCUSE", "Hillary Clinton", "Donald Trump", False) in typed(
        "Hillary Clinton attacked Donald Trump, saying he would appoint the wrong judges."
    )
    assert ("ASSAULT", "Turkey", "Syria", False) in typed("Turkey attacked Syria on Monday.")


# the gate

FLOORS = {  # the last fast run: precision 0.782, recall 0.673, source 0.966, target 0.848
    "type_precision": 0.76,
    "type_recall": 0.65,
    "source_accuracy": 0.945,
    "target_accuracy": 0.83,
}


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    try:
        folder = data_folder()
    except DataNotFoundError as error:
        pytest.skip(f"no shared data: {error}")
    from plover import score_plover

    return score_plover(folder, fast=True)


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_plover_gold_keeps_its_floor(scores: dict[str, dict[str, float]], measure: str) -> None:
    found = scores["extractor"][measure]
    assert found >= FLOORS[measure], f"{measure} {found} < {FLOORS[measure]}"


def test_the_extractor_beats_the_keyword_baseline(scores: dict[str, dict[str, float]]) -> None:
    assert scores["extractor"]["type_f1"] > scores["keyword_baseline"]["type_f1"]


def test_initials_name_the_same_actor_in_the_scoring() -> None:
    from plover import same_actor

    assert same_actor("National Rifle Association", ["NRA"])
    assert same_actor("DOJ", ["Department of Justice"])
    assert not same_actor("National Rifle Association", ["NAACP"])
