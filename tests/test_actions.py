"""Who did what to whom (PLOVER types), and the article's own citations."""

from __future__ import annotations

import pytest

from newsweave.annotate.actions import find_actions
from newsweave.annotate.actors import find_mentions
from newsweave.annotate.attributions import find_attributions
from newsweave.annotate.pipeline import load_model


def actions(text: str) -> list[tuple[str, str, str | None, str | None, bool]]:
    doc = load_model()(text)
    found = find_actions(doc, find_mentions(doc))
    return [(a.source, a.verb, a.target, a.event_type, a.negated) for a in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia withdrew its troops from Syria.", ("Russia", "withdraw", "Syria", "RETREAT")),
        ("Germany accused Russia of lying.", ("Germany", "accuse", "Russia", "ACCUSE")),
        ("NATO deployed troops to Estonia.", ("NATO", "deploy", "Estonia", "MOBILIZE")),
        ("France urged Iran to free the sailors.", ("France", "urge", "Iran", "REQUEST")),
        ("Japan welcomed the talks with China.", ("Japan", "welcome", None, "SUPPORT")),
        ("Turkey rejected the offer from Greece.", ("Turkey", "reject", "Greece", "REJECT")),
    ],
)
def test_actions_with_their_plover_type(
    text: str, expected: tuple[str, str, str | None, str]
) -> None:
    assert expected in [found[:4] for found in actions(text)]


def test_a_negated_action() -> None:
    assert ("United States", "attack", "Iran", "ASSAULT", True) in actions(
        "The United States did not attack Iran."
    )


def test_the_passive_agent_is_the_source() -> None:
    assert ("Turkey", "attack", "Syria", "ASSAULT", False) in actions(
        "Syria was attacked by Turkey on Monday."
    )


def test_an_untyped_action_without_a_target_is_not_kept() -> None:
    assert actions("Moscow grew quieter, TASS reported.") == []


def test_action_offsets_cover_the_sentence_and_the_verb() -> None:
    text = "It rained. Russia withdrew its troops from Syria."
    doc = load_model()(text)
    [action] = find_actions(doc, find_mentions(doc))
    assert text[action.start : action.end] == "Russia withdrew its troops from Syria."
    assert action.verb_start is not None and action.verb_end is not None
    assert text[action.verb_start : action.verb_end] == "withdrew"


def cites(text: str, outlets: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    doc = load_model()(text)
    found = find_attributions(text, find_mentions(doc), outlets)
    for item in found:
        assert text[item.start : item.end] == item.text
    return [(item.source, item.text) for item in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry confirmed the figure, according to TASS.", ("TASS", "according to TASS")),
        ("Officials told Reuters the deal was off.", ("Reuters", "told Reuters")),
        ("LONDON, May 2 (AP) - Prices rose.", ("Associated Press", "(AP)")),
        ("SOSTRA, May 2 (CPA) - Talks began.", ("CPA", "(CPA)")),
        ("Moscow rejected the plan, TASS reported.", ("TASS", "TASS reported")),
        ("Source: CNBC", ("CNBC", "Source: CNBC")),
        ("He said so in an interview with the BBC.", ("BBC", "in an interview with the BBC")),
        ("The talks failed, according to the Meridian Post.", ("Meridian Post",
                                                                "according to the Meridian Post")),
    ],
)  # fmt: skip
def test_citations_of_outlets(text: str, expected: tuple[str, str]) -> None:
    assert expected in cites(text)


def test_an_outlet_of_the_store_is_known_by_its_short_name() -> None:
    assert ("The Daily Clarion", "told the Clarion") in cites(
        "The minister told the Clarion that he would stay.", ("The Daily Clarion",)
    )


@pytest.mark.parametrize(
    "text",
    [
        "According to Vladimir Putin, the talks failed.",
        "Anna Berg told reporters the bridge would reopen.",
        "The minister told the Senate nothing new.",
    ],
)
def test_people_and_bodies_are_not_outlets(text: str) -> None:
    assert cites(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Israel launched air strikes on Gaza.", "ASSAULT"),
        ("The European Union imposed sanctions on Belarus.", "SANCTION"),
        ("Sudan signed a ceasefire with Chad.", "AGREE"),
    ],
)
def test_the_object_of_a_light_verb_names_the_act(text: str, kind: str) -> None:
    assert kind in {found[3] for found in actions(text)}
