"""Quotes and speakers as real news writes them, through the whole annotator (spaCy, actors,
quotes). Each case is one seen on real articles (issue 3/6), in sentences written here."""

from __future__ import annotations

import pytest

from newsweave.annotate.pipeline import Annotator, load_model
from newsweave.annotation import Quote
from newsweave.model import Article


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    load_model()
    return Annotator()


def quotes_of(annotator: Annotator, text: str) -> list[Quote]:
    article = Article(id="a", title="", text=text, outlet="The Courier", origin="test")
    return annotator.annotate_doc(load_model()(text), article).quotes


def by_kind(quotes: list[Quote], kind: str) -> list[Quote]:
    return [q for q in quotes if q.kind == kind]


def test_a_quote_continuing_the_speakers_paragraph_keeps_the_speaker(
    annotator: Annotator,
) -> None:
    text = (
        "Mayor Lena Ortiz said the city would reopen the bridge by Friday. “We have the crews "
        "and the money,” Ortiz said. She added that the work would run overnight. “Nobody "
        "wants this to drag on.”"
    )
    last = by_kind(quotes_of(annotator, text), "direct")[-1]
    assert (last.text, last.speaker) == ("Nobody wants this to drag on.", "Lena Ortiz")


def test_they_after_a_plural_subject_of_people_is_those_people(annotator: Annotator) -> None:
    text = (
        "Researchers at Northfield University surveyed 2,000 voters in March. They note that "
        "turnout among young voters fell by a third."
    )
    [quote] = quotes_of(annotator, text)
    assert quote.speaker == "Researchers at Northfield University"  # not the university


def test_a_dateline_is_neither_speaker_nor_part_of_what_was_said(annotator: Annotator) -> None:
    text = (
        "CHICAGO — A man was shot in the leg on the South Side on Saturday, police said.\n"
        "“He is in stable condition,” said officer Maria Lopez."
    )
    reported, quoted = quotes_of(annotator, text)
    assert reported.text.startswith("A man was shot")
    assert reported.speaker == "police"
    assert quoted.speaker == "Maria Lopez"


def test_a_split_quote_keeps_its_fragments_apart(annotator: Annotator) -> None:
    text = "“The plan is dead,” Senator Ann Cole said on Friday, “and nobody will revive it.”"
    [quote] = quotes_of(annotator, text)
    assert [text[a:b] for a, b in quote.spans()] == [
        "The plan is dead,",
        "and nobody will revive it.",
    ]
    assert quote.text == "The plan is dead, … and nobody will revive it."  # never glued
    assert quote.speaker == "Ann Cole"


def test_a_called_phrase_is_a_partial_quote_of_its_speaker(annotator: Annotator) -> None:
    text = "Donald Trump called the deal “a disaster” on Tuesday and said he would tear it up."
    partial = by_kind(quotes_of(annotator, text), "partial")
    assert [(q.text, q.speaker) for q in partial] == [("the deal “a disaster”", "Donald Trump")]
    assert [text[a:b] for a, b in partial[0].verbatim()] == ["a disaster"]


def test_words_quoted_inside_a_reported_statement_go_to_its_subject(
    annotator: Annotator,
) -> None:
    text = (
        "In 2012, Paul Ryan worried that the safety net was becoming “a hammock that lulls "
        "able-bodied people to lives of dependency.”"
    )
    [quote] = quotes_of(annotator, text)
    assert quote.kind == "partial"
    assert quote.speaker == "Paul Ryan"
    assert quote.text.startswith("the safety net was becoming")


def test_according_to_an_organisation_at_the_end_of_a_sentence(annotator: Annotator) -> None:
    text = "The bridge will stay closed until March, according to the state transport agency."
    [quote] = quotes_of(annotator, text)
    assert quote.text == "The bridge will stay closed until March"
    assert quote.speaker is not None and "transport agency" in quote.speaker


def test_a_description_names_the_speaker_when_no_actor_does(annotator: Annotator) -> None:
    text = "“We were told nothing,” a campaign spokesman said."
    [quote] = quotes_of(annotator, text)
    assert quote.speaker == "a campaign spokesman"


def test_a_lead_ending_in_a_colon_names_the_speaker(annotator: Annotator) -> None:
    text = "Senator Marco Rubio:\n\n“You do not win the nomination by how many states you win.”"
    [quote] = quotes_of(annotator, text)
    assert quote.speaker == "Marco Rubio"


def test_she_is_not_a_man_named_just_before(annotator: Annotator) -> None:
    text = (
        "Justice Ruth Ginsburg criticised Donald Trump on Monday. “He has no consistency "
        "about him,” she said."
    )
    direct = by_kind(quotes_of(annotator, text), "direct")
    assert [q.speaker for q in direct] == ["Ruth Ginsburg"]


def test_doubled_apostrophes_are_one_quotation_mark(annotator: Annotator) -> None:
    text = "''I don't think the industry is over,'' she said. ''I think it's just changing.''"
    [quote] = quotes_of(annotator, text)
    assert [text[a:b] for a, b in quote.spans()] == [
        "I don't think the industry is over,",
        "I think it's just changing.",
    ]


def test_a_short_clause_after_a_quote_frames_it_whatever_its_verb(annotator: Annotator) -> None:
    text = "“France will always be France,” an angry François Hollande retaliated."
    [quote] = quotes_of(annotator, text)
    assert quote.speaker == "François Hollande"


def test_a_rank_parsed_apart_from_its_name_is_not_the_speaker(annotator: Annotator) -> None:
    text = "“We found the car abandoned near the river,” said Sgt. Marisa Barnes of the police."
    [quote] = quotes_of(annotator, text)
    assert quote.speaker == "Marisa Barnes"


def test_a_title_tells_two_people_of_one_surname_apart(annotator: Annotator) -> None:
    text = (
        "Governor Rick Scott declared a state of emergency on Sunday. Sheriff Mike Scott said "
        "deputies had closed the causeway. “We are asking everyone to stay home,” Governor "
        "Scott said in a statement."
    )
    quoted = by_kind(quotes_of(annotator, text), "direct")
    assert [q.speaker for q in quoted] == ["Rick Scott"]


def speakers_of(annotator: Annotator, text: str, kind: str = "direct") -> list[str | None]:
    return [q.speaker for q in by_kind(quotes_of(annotator, text), kind)]


def test_a_quote_ending_its_paragraph_is_not_said_by_the_next_one(annotator: Annotator) -> None:
    text = (
        "“Why are you still backing him?” Mayor Dana Whitfield asked the council. “What does "
        "that say about this city?”\n\nSeveral councillors, including Tom Reyes and Ann Cole, "
        "have since condemned the plan."
    )
    assert speakers_of(annotator, text) == ["Dana Whitfield", "Dana Whitfield"]


def test_a_cue_verb_in_a_colon_lead_names_the_speaker(annotator: Annotator) -> None:
    text = (
        "Senator Paul Dorsey opposed the bill for years. In a 2009 speech, he declared:\n\n"
        "“This bill will not pass while I sit in this chamber.”"
    )
    assert speakers_of(annotator, text) == ["Paul Dorsey"]


def test_the_quoted_pieces_of_one_statement_are_one_partial_quote(annotator: Annotator) -> None:
    text = "Coach Mark Ellis said he is “ready for it” because “these are the games you live for.”"
    [quote] = quotes_of(annotator, text)
    assert (quote.kind, quote.speaker, len(quote.parts)) == ("partial", "Mark Ellis", 2)


def test_a_quote_after_its_speakers_quote_goes_to_the_last_speaker(annotator: Annotator) -> None:
    text = (
        "“The court will run out the clock this year,” Tobias said.\n\nBut what if the other "
        "party wins? Would the court not fill up faster than under Governor Ray Mills?\n\n"
        "“Then they should do whatever they want to do,” he said."
    )
    assert speakers_of(annotator, text) == ["Tobias", "Tobias"]


def test_a_quotation_mark_glued_to_a_word_keeps_its_cue(annotator: Annotator) -> None:
    text = "Ryan said,“Look, these images have no place in a campaign.” Later, “Enough,”Ryan added."
    assert speakers_of(annotator, text) == ["Ryan", "Ryan"]


def test_the_name_right_before_a_cue_speaks_when_the_parse_gives_it_no_subject(
    annotator: Annotator,
) -> None:
    text = (
        "“We were wrong not to confront him from the start,” Ramos, 58, told the paper in "
        "an interview on Monday.\n\n“Go back to your seat,” Mayor Dana Whitfield snapped and "
        "a guard led Ramos out."
    )
    assert speakers_of(annotator, text) == ["Ramos", "Dana Whitfield"]


def test_a_passive_cue_is_said_by_its_agent(annotator: Annotator) -> None:
    text = "Sanders was asked by host Bill Maher, “Has the story moved on, or has it not?”"
    assert speakers_of(annotator, text) == ["Bill Maher"]


def test_a_quote_after_a_cue_and_a_comma_is_said_whole(annotator: Annotator) -> None:
    text = "At one point a woman asked for a photo and Clinton said, “as long as we break no law.”"
    [quote] = by_kind(quotes_of(annotator, text), "direct")
    assert (quote.text, quote.speaker) == ("as long as we break no law.", "Clinton")


def test_a_quote_continuing_its_paragraph_after_a_verb_that_is_no_cue(
    annotator: Annotator,
) -> None:
    text = "“You know, it happens, right?” Trump went on. “But you have to get over it.”"
    assert speakers_of(annotator, text) == ["Trump", "Trump"]


def test_a_statement_issued_by_a_body_speaks_the_quote_after_it(annotator: Annotator) -> None:
    text = (
        "At the chair’s direction, the DNC issued a statement apologizing to the senator.\n\n"
        "“We want to offer a deep and sincere apology to Senator Sanders.”"
    )
    assert speakers_of(annotator, text) == ["DNC"]


def test_a_woman_tagged_as_a_body_is_still_she(annotator: Annotator) -> None:
    text = (
        "Carly Fiorina made a surprise appearance at the rally in Miami.\n\n"
        "“He has fought for our liberty over and over,” she said to cheers."
    )
    assert speakers_of(annotator, text) == ["Carly Fiorina"]


def test_curly_and_straight_marks_pair_with_each_other(annotator: Annotator) -> None:
    text = '“I heard parts of the speech," Mayor Dana Whitfield said. "He wants to give it away.”'
    assert speakers_of(annotator, text) == ["Dana Whitfield"]
    [quote] = by_kind(quotes_of(annotator, text), "direct")
    assert [text[a:b] for a, b in quote.spans()] == [
        "I heard parts of the speech,",
        "He wants to give it away.",
    ]


def test_a_description_keeps_the_phrase_that_says_who(annotator: Annotator) -> None:
    text = (
        "“It is a serious problem, and there is little we can do about it,” said a person "
        "close to the governor."
    )
    assert speakers_of(annotator, text) == ["a person close to the governor"]


def test_of_two_subjects_the_one_next_to_the_cue_speaks(annotator: Annotator) -> None:
    text = (
        "Tuesday at a college in Berea, OH, after winning the primary, Gov. John Kasich "
        "(R-OH), said, “We are going all the way to the convention.”"
    )
    assert speakers_of(annotator, text) == ["John Kasich"]


def test_a_surname_tagged_as_no_name_after_said_still_speaks(annotator: Annotator) -> None:
    text = "“Having the voter file is valuable,” said Skelly, explaining why he joined."
    assert speakers_of(annotator, text) == ["Skelly"]
