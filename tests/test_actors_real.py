"""Actors on real-shaped news text (issue 3/6, part 3): names written many ways come to one
actor, titles and page furniture are never actors, a gazetteer gives kinds, and a name
lookup finds the actor best supported by that name. The sentences are written for these
tests; the gate at the end scores alias merging on a fixed sample of PolNeAR dev."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsweave import Newsweave
from newsweave.annotate.actors import find_mentions
from newsweave.annotate.aliases import Aliases
from newsweave.annotate.names import is_city, is_region
from newsweave.annotate.pipeline import load_model
from newsweave.annotate.registry import resolve
from newsweave.annotate.stored import rebuild_actors
from newsweave.annotate.version import VERSION
from newsweave.annotation import Annotations, Mention, NameCount, Quote

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.append(str(BENCHMARKS))

from corpora import DataNotFoundError, data_folder  # noqa: E402


def mentions(text: str) -> list[Mention]:
    return find_mentions(load_model()(text))


def names_of(text: str, written: str) -> set[str]:
    return {m.name for m in mentions(text) if m.text == written}


def kinds_of(text: str, written: str) -> set[str]:
    return {m.kind for m in mentions(text) if m.text == written}


# names written any way


PARTICLES = (
    "President Bashar al-Assad spoke in Damascus on Monday. Critics of Al Assad said "
    "al Assad had lied. Crown Prince Mohammed bin Salman met Bin Salman's advisers. "
    "Austrian President Alexander Van der Bellen said van der Bellen's office would reply."
)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Al Assad", "Bashar al-Assad"),
        ("al Assad", "Bashar al-Assad"),
        ("Bin Salman", "Mohammed bin Salman"),
        ("van der Bellen", "Alexander Van der Bellen"),
    ],
)
def test_names_match_across_case_hyphens_and_particles(written: str, name: str) -> None:
    assert names_of(PARTICLES, written) == {name}


def test_particle_spellings_are_one_actor_across_the_store() -> None:
    counts = [
        NameCount("Bashar al-Assad", "person", 5, 3),
        NameCount("Bashar Al Assad", "person", 2, 1),
        NameCount("Bashar al Assad", "person", 1, 1),
    ]
    assert len(resolve(counts)) == 1


def test_capitals_and_titles_find_the_person() -> None:
    text = (
        "Gov. Mike Pence spoke to Fox News on Sunday.\n\nWALLACE: Are you ready?\n\n"
        "PENCE: We are ready. Pence added that the campaign was strong."
    )
    assert names_of(text, "PENCE") == {"Mike Pence"}
    assert names_of(text, "Pence") == {"Mike Pence"}


def test_a_suffix_does_not_hide_the_surname() -> None:
    text = "Chief Justice John G. Roberts Jr. wrote the opinion. Roberts said the law stood."
    assert names_of(text, "Roberts") == {"John G. Roberts Jr."}


def test_a_surname_goes_to_the_person_named_most_so_far() -> None:
    text = (
        "Ted Cruz spoke in Iowa on Monday. Ted Cruz said taxes were too high. His wife, "
        "Heidi Cruz, joined him on stage. Cruz then took questions from voters."
    )
    assert names_of(text, "Cruz") == {"Ted Cruz"}


def test_an_epithet_before_a_name_is_not_a_new_person() -> None:
    text = (
        "Trump attacked Crooked Hillary Clinton at the rally. Hillary Clinton did not "
        "reply. Clinton was in Ohio."
    )
    assert names_of(text, "Hillary Clinton") == {"Hillary Clinton"}
    assert names_of(text, "Clinton") == {"Hillary Clinton"}


def test_a_headline_in_title_case_gives_up_the_words_around_a_name() -> None:
    text = (
        "Ted Cruz Refuses To Endorse Trump At Convention.\n"
        "Ted Cruz declined to endorse Donald Trump on Wednesday night. Cruz left early."
    )
    headline = [m for m in mentions(text) if m.start < text.index("\n")]
    assert "Ted Cruz" in {m.name for m in headline}
    assert not [m for m in headline if "Refuses" in m.text]


# abbreviations in brackets and initials


def test_an_abbreviation_in_brackets_is_an_alias_with_its_later_uses() -> None:
    text = (
        "The Chicago Police Department (CPD) said two men were shot on Sunday. A CPD "
        "spokesman said the CPD had no suspects."
    )
    assert names_of(text, "CPD") == {"Chicago Police Department"}


def test_a_bracketed_known_abbreviation_names_the_name_before_it() -> None:
    text = "Fighters of the Islamic State (IS) attacked the town. IS later claimed the attack."
    assert names_of(text, "IS") == {"Islamic State"}


def test_an_unknown_group_takes_its_bracketed_abbreviation() -> None:
    text = (
        "The Syrian Democratic Forces (SDF) entered the city on Tuesday. SDF commanders "
        "said the fighting was over."
    )
    assert names_of(text, "SDF") == {"Syrian Democratic Forces"}


def test_a_dateline_agency_is_no_alias_of_the_place() -> None:
    text = "WASHINGTON (AP) — The Senate passed the bill on Friday. AP reporters were there."
    assert "Washington" not in {m.name for m in mentions(text) if m.text == "AP"}


def test_organisation_variants_and_initials_merge() -> None:
    text = (
        "The Chicago Police Department said two people died. Chicago Police had no "
        "suspects, and CPD officers were still at the scene on Monday."
    )
    found = {m.text: m.name for m in mentions(text)}
    assert found["Chicago Police"] == "Chicago Police Department"
    assert found["CPD"] == "Chicago Police Department"


def test_a_longer_name_of_a_council_takes_its_short_form() -> None:
    text = (
        "The United Nations Security Council met on Monday. Later the Security Council "
        "issued a statement, and the U.N. Security Council scheduled another vote."
    )
    found = {m.name for m in mentions(text) if "Council" in m.text}
    assert found == {"United Nations Security Council"}


# ranks and titles


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ('"We have no suspects yet," said Sgt. Marisa Barnes.', "Marisa Barnes"),
        ("Det. Paul Ruiz is leading the investigation.", "Paul Ruiz"),
        ("Gov. Rick Scott declared a state of emergency.", "Rick Scott"),
        ("Rep. Ann Lowe voted against the bill.", "Ann Lowe"),
        ("Sen. Tim Kaine (D-Va.) disagreed with the plan.", "Tim Kaine"),
        ("Lt. Maria Gomez said the fire was out.", "Maria Gomez"),
        ("Capt. Omar Haddad led the rescue.", "Omar Haddad"),
        ("Officer Dan Ortiz fired two shots, police said.", "Dan Ortiz"),
        ("President Joe Biden signed the order on Friday.", "Joe Biden"),
        ("Mayor Lori Lightfoot spoke to reporters.", "Lori Lightfoot"),
        ("Sheriff Mike Scott said deputies were on the scene.", "Mike Scott"),
    ],
)
def test_ranks_and_titles_are_never_people(text: str, person: str) -> None:
    found = mentions(text)
    people = {m.name for m in found if m.kind == "person"}
    assert person in people
    titles = {"Sgt", "Det", "Gov", "Rep", "Sen", "Lt", "Capt", "Officer", "President", "Mayor"}
    assert not {m.name.rstrip(".") for m in found} & (titles | {"Sheriff"})


def test_a_title_before_a_name_tagged_a_body_gives_a_person() -> None:
    text = "Spokeswoman Haley Morris said the campaign would respond on Tuesday."
    assert kinds_of(text, "Haley Morris") == {"person"}


# places


@pytest.mark.parametrize(
    ("text", "written", "name"),
    [
        ("The storm hit Richmond, Va., on Monday.", "Va.", "Virginia"),
        ("He was arrested in Miami, Fla., last week.", "Fla.", "Florida"),
        ("The fire spread near Redding, Calif., overnight.", "Calif.", "California"),
        ("She grew up in Buffalo, N.Y., and moved away.", "N.Y.", "New York"),
        ("U.S. officials met their U.K. counterparts.", "U.S.", "United States"),
        ("America will not accept the deal, he said.", "America", "United States"),
        ("Britain recalled its ambassador.", "Britain", "United Kingdom"),
        ("NYC officials said the subway would reopen.", "NYC", "New York City"),
        ("Officials in the Republic of Turkey said the border was closed.", "Republic of Turkey",
         "Turkey"),
    ],
)  # fmt: skip
def test_abbreviations_and_short_forms_of_places_are_aliases(
    text: str, written: str, name: str
) -> None:
    assert names_of(text, written) == {name}


def test_a_state_and_its_abbreviation_are_one_actor() -> None:
    found = mentions("Voters in Virginia went to the polls. Turnout in Va. was high.")
    assert {m.name for m in found if m.kind == "place"} == {"Virginia"}


# kinds from the gazetteer, before the tagger's guess


def test_the_gazetteer_knows_countries_regions_and_big_cities() -> None:
    assert is_region("Crimea") and is_region("Ukraine") and is_region("Virginia")
    assert is_city("Chicago") and is_city("CHICAGO") and not is_city("Obama")


@pytest.mark.parametrize(
    ("text", "written", "kind"),
    [
        ("Russia annexed Crimea in 2014.", "Crimea", "place"),
        ("Twitter said on Monday that it had suspended the account.", "Twitter", "organisation"),
        ("Facebook removed the posts after complaints.", "Facebook", "organisation"),
        ("CHICAGO — Two men were shot on the South Side.", "CHICAGO", "place"),
    ],
)
def test_kinds_come_from_the_gazetteer(text: str, written: str, kind: str) -> None:
    assert kinds_of(text, written) == {kind}


@pytest.mark.parametrize("furniture", ["Javascript", "Cookies", "Advertisement"])
def test_page_furniture_is_never_an_actor(furniture: str) -> None:
    text = (
        f"{furniture} must be enabled to view this page.\n\n{furniture}\n\n"
        "Mayor Karen Bass said the city would rebuild."
    )
    assert not [m for m in mentions(text) if furniture.lower() in m.name.lower()]


# the store: a stray body named like a person


def test_a_one_word_body_slip_joins_the_person_named_far_more() -> None:
    actors = resolve(
        [
            NameCount("Donald Trump", "person", 40, 20),
            NameCount("Trump", "person", 30, 15),
            NameCount("Trump", "organisation", 1, 1),
            NameCount("Melania Trump", "person", 2, 1),
        ]
    )
    by_name = {name: actor.name for actor in actors for name, _ in actor.names or []}
    assert by_name["Trump"] == "Donald Trump"
    assert by_name["Melania Trump"] == "Melania Trump"
    assert len(actors) == 2


def test_a_middle_initial_is_the_same_person() -> None:
    actors = resolve(
        [NameCount("Donald J. Trump", "person", 3, 2), NameCount("Donald Trump", "person", 9, 5)]
    )
    assert len(actors) == 1


def _article(title: str, text: str) -> dict[str, str]:
    return {"title": title, "text": text, "source": "Test Wire", "published": "2016-09-01"}


def test_a_name_lookup_picks_the_actor_best_supported_by_that_name(news: Newsweave) -> None:
    news.add(
        [
            _article("Rally", "Donald Trump spoke. Trump said he would win."),
            _article("Brand", "The Trump brand was on the tower."),
        ],
        annotate=False,
        cluster=False,
    )
    first, second = sorted(a.id for a in news.store.iter_articles_in_order())
    people = [Mention(0, 12, "Donald Trump", "person", "Donald Trump")]
    people += [Mention(19, 24, "Trump", "person", "Donald Trump")]
    quote = Quote(35, 47, "he would win", "indirect", speaker="Donald Trump", cue="said")
    body = [Mention(4, 9, "Trump", "organisation", "Trump")]
    with news.store.transaction():
        news.store.annotations.save(Annotations(first, people, [quote]), VERSION)
        news.store.annotations.save(Annotations(second, body), VERSION)
    rebuild_actors(news.store, Aliases())
    found = news.actor("Trump")
    assert found is not None and found.actor.name == "Donald Trump"
    assert [q.text for q in news.quotes(speaker="Trump")] == ["he would win"]


# the gate: alias merging on a fixed sample of PolNeAR dev

GATE_ARTICLES = 24
FLOORS = {"f1": 0.98, "bcubed_f1": 0.98}  # reached 0.994 and 0.994 (first 24 dev articles)


@pytest.fixture(scope="module")
def polnear() -> dict[str, object]:
    try:
        folder = data_folder()
    except DataNotFoundError as error:
        pytest.skip(f"no shared data: {error}")
    if not (folder / "polnear-attribution").is_dir():
        pytest.skip("no PolNeAR in the shared data folder")
    from aliases import score_polnear_aliases

    result: dict[str, object] = score_polnear_aliases("dev", GATE_ARTICLES)["all"]
    return result


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_polnear_alias_merging_keeps_its_floor(polnear: dict[str, float], measure: str) -> None:
    assert polnear[measure] >= FLOORS[measure], f"{measure} {polnear[measure]} < {FLOORS[measure]}"
