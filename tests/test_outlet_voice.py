"""What an outlet says in its own voice: descriptors of actors read from the parse, the role
of what a number counts, and the conflicts those decide. Sentences written for these tests."""

from __future__ import annotations

import pytest

from newsweave.annotate.pipeline import Annotator
from newsweave.annotation import Annotations
from newsweave.compare.conflicts import number_conflicts, role_class
from newsweave.compare.model import Coverage
from newsweave.model import Article


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator()


def annotated(annotator: Annotator, *texts: str) -> list[Annotations]:
    articles = [
        Article(f"t{n}", "Title", text, f"Outlet {n}", "test") for n, text in enumerate(texts)
    ]
    return list(annotator.annotate(articles))


def descriptors(found: Annotations) -> dict[str, tuple[str | None, bool]]:
    return {m.text: (m.descriptor, m.descriptor_quoted) for m in found.mentions}


def test_descriptors_come_from_the_outlet_s_words_around_a_name(annotator: Annotator) -> None:
    [found] = annotated(
        annotator,
        "Strongman Marek Dovlan left the capital on Monday. Ruth Calloway, the union's general "
        "secretary, called it a retreat. The 19-year-old suspect Tomas Feld was arrested.",
    )
    described = descriptors(found)
    assert described["Marek Dovlan"] == ("strongman", False)
    assert described["Ruth Calloway"] == ("general secretary", False)
    assert described["Tomas Feld"] == ("19-year-old suspect", False)


def test_a_descriptor_inside_a_quotation_is_the_speaker_s(annotator: Annotator) -> None:
    [found] = annotated(
        annotator, '"Marek Dovlan is a tyrant," said militia spokesman Ivo Brandt on Tuesday.'
    )
    described = descriptors(found)
    assert described["Marek Dovlan"] == ("tyrant", True)
    assert described["Ivo Brandt"] == ("militia spokesman", False)


def test_verbs_and_prepositions_are_never_descriptors(annotator: Annotator) -> None:
    [found] = annotated(
        annotator,
        "The victory over Rovan Town came late. Fans who keep Anna Sollis in mind sang. They "
        "once fought between Harlow and Drent.",
    )
    assert all(m.descriptor is None for m in found.mentions), descriptors(found)


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Two people were killed in the crash on the ring road.", "killed"),
        ("Police arrested three teenagers near the station.", "arrested"),
        ("Sixteen people were treated at Harlow General Hospital.", "injured"),
        ("The storm left four dead in the valley.", "killed"),
        ("There were 15 gunshots, a neighbour said.", None),
    ],
)
def test_a_number_knows_the_role_of_what_it_counts(
    annotator: Annotator, sentence: str, role: str | None
) -> None:
    [found] = annotated(annotator, sentence)
    assert [role_class(q.role) for q in found.quantities] == [role]


def _coverage(annotator: Annotator, *texts: str) -> list[Coverage]:
    found = annotated(annotator, *texts)
    outlets = [f"Outlet {n}" for n in range(len(texts))]
    return [
        Coverage(Article(a.article_id, "Title", text, outlet, "test"), [outlet], a)
        for a, text, outlet in zip(found, texts, outlets, strict=True)
    ]


def test_numbers_of_different_roles_never_conflict(annotator: Annotator) -> None:
    coverage = _coverage(
        annotator,
        "Two people were killed in the shooting on Elm Street on Friday night, police said.",
        "Three people were arrested after the shooting on Elm Street on Friday night.",
    )
    assert number_conflicts(coverage) == []


def test_numbers_of_the_same_role_that_disagree_conflict(annotator: Annotator) -> None:
    coverage = _coverage(
        annotator,
        "Two people were killed in the shooting on Elm Street on Friday night, police said.",
        "Three people were killed in the shooting on Elm Street on Friday night.",
    )
    [conflict] = number_conflicts(coverage)
    assert conflict.what == "people killed"
    assert sorted(side.value for side in conflict.sides) == [2, 3]


def test_one_quotation_reproduced_by_two_outlets_is_no_conflict(annotator: Annotator) -> None:
    quote = '"I heard 15 gunshots, maybe 20 gunshots," a neighbour on Elm Street said.'
    coverage = _coverage(annotator, f"Shots rang out late on Friday. {quote}", quote)
    assert number_conflicts(coverage) == []
