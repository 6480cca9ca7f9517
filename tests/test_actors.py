"""Actor mentions in one article, and one actor id per actor across a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.annotate.actors import find_mentions
from newsweave.annotate.aliases import AliasFileError, alias_path, load_aliases
from newsweave.annotate.pipeline import load_model
from newsweave.annotate.registry import actor_id, resolve
from newsweave.annotation import Mention, NameCount


def mentions(text: str) -> list[Mention]:
    return find_mentions(load_model()(text))


def names_of(text: str, written: str) -> set[str]:
    """The names given to every mention written as ``written``."""
    return {m.name for m in mentions(text) if m.text == written}


WIRE = (
    "Russian President Vladimir Putin said on Wednesday that the US presence in Syria was "
    "illegitimate. Putin's remarks came after American troops left. The Kremlin leader added "
    'that ISIS fighters remain. "We will not leave," the Russian president said.'
)


def test_a_surname_takes_the_full_name() -> None:
    assert names_of(WIRE, "Putin") == {"Vladimir Putin"}


def test_the_title_is_not_part_of_the_name() -> None:
    assert "Vladimir Putin" in names_of(WIRE, "Vladimir Putin")
    assert not any("President" in m.text for m in mentions(WIRE) if m.kind == "person")


@pytest.mark.parametrize("role", ["Kremlin leader", "Russian president"])
def test_roles_taught_by_a_title_name_the_person(role: str) -> None:
    assert names_of(WIRE, role) == {"Vladimir Putin"}


def test_a_role_taught_by_apposition() -> None:
    text = "Angela Merkel, the German chancellor, spoke first. Later the chancellor left."
    assert names_of(text, "chancellor") == {"Angela Merkel"}


def test_a_role_nobody_holds_is_left_alone() -> None:
    text = "Anna Berg met the mayor on Monday. The president was not there."
    assert not [m for m in mentions(text) if m.text in {"president", "mayor"}]


@pytest.mark.parametrize(
    ("text", "written", "name"),
    [
        ("American troops left the base.", "American", "United States"),
        ("The U.S. embassy stayed open.", "U.S.", "United States"),
        ("A US-led coalition struck again.", "US", "United States"),
        ("ISIL fighters retreated from the town.", "ISIL", "Islamic State"),
        ("The Islamic State group claimed the attack.", "Islamic State", "Islamic State"),
        ("UN officials met in New York.", "UN", "United Nations"),
        ("Britain recalled its ambassador on Friday.", "Britain", "United Kingdom"),
    ],
)
def test_variants_and_demonyms_come_to_one_name(text: str, written: str, name: str) -> None:
    assert names_of(text, written) == {name}


def test_a_possessive_is_trimmed() -> None:
    found = [m for m in mentions("Dovlan's government fell. Marek Dovlan resigned.")]
    assert any(m.text == "Dovlan" and m.name == "Marek Dovlan" for m in found)


def test_two_people_sharing_a_surname_stay_apart() -> None:
    text = (
        "John Smith runs the farm. Mary Smith, his cousin, sells the grain. "
        "Mary Smith said the price fell. Smith added that rain would help."
    )
    found = mentions(text)
    assert {m.name for m in found if m.kind == "person"} == {"John Smith", "Mary Smith"}
    assert [m.name for m in found if m.text == "Smith"] == ["Mary Smith"]  # the nearest before


def test_offsets_point_at_the_words() -> None:
    for mention in mentions(WIRE):
        assert WIRE[mention.start : mention.end] == mention.text


# across the store


def count(name: str, kind: str, n: int = 1) -> NameCount:
    return NameCount(name, kind, n, n)


def grouped(counts: list[NameCount], aliases: dict[str, str] | None = None) -> dict[str, str]:
    """name -> actor display name."""
    return {name: actor.name for actor in resolve(counts, aliases) for name, _ in actor.names or []}


def test_a_lone_surname_joins_the_one_full_name_in_the_store() -> None:
    found = grouped([count("Vladimir Putin", "person", 5), count("Putin", "person", 2)])
    assert found["Putin"] == "Vladimir Putin"


def test_a_lone_surname_with_two_owners_stays_apart() -> None:
    found = grouped(
        [
            count("Daniel Okafor", "person"),
            count("Grace Okafor", "person"),
            count("Okafor", "person"),
        ]
    )
    assert found["Okafor"] == "Okafor"
    assert found["Daniel Okafor"] != found["Grace Okafor"]


def test_places_keep_one_id_whatever_spacy_called_them() -> None:
    actors = resolve([count("Kestria", "place", 4), count("Kestria", "organisation", 1)])
    assert len(actors) == 1 and actors[0].kind == "place"


def test_a_regular_demonym_joins_its_place() -> None:
    assert grouped([count("Kestria", "place", 3), count("Kestrian", "group")])["Kestrian"] == (
        "Kestria"
    )


def test_people_are_never_merged_with_places() -> None:
    found = grouped([count("Jordan Hale", "person"), count("Jordan", "place")])
    assert found["Jordan"] == "Jordan"


def test_ids_are_stable() -> None:
    assert actor_id("person", "Vladimir Putin") == actor_id("person", "vladimir  putin")
    assert actor_id("person", "Jordan") != actor_id("place", "Jordan")


# the alias file


def test_the_alias_file_merges_and_names(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text('"Marek Dovlan" = ["the strongman", "Dovlan regime"]\n', encoding="utf-8")
    aliases = load_aliases(path)
    found = grouped(
        [count("Marek Dovlan", "person", 3), count("Dovlan regime", "organisation")],
        aliases.canonical,
    )
    assert found["Dovlan regime"] == "Marek Dovlan"
    text = "Critics of the strongman gathered in Sostra."
    spotted = find_mentions(load_model()(text), aliases.phrases)
    assert any(m.text == "the strongman" and m.name == "Marek Dovlan" for m in spotted)


def test_the_alias_file_beside_the_store_is_found(tmp_path: Path) -> None:
    (tmp_path / "news.aliases.toml").write_text('"A" = ["B"]\n', encoding="utf-8")
    assert alias_path(tmp_path / "news.db") == tmp_path / "news.aliases.toml"
    assert alias_path(tmp_path / "other.db") is None


@pytest.mark.parametrize("content", ['"A" = "not a list"\n', "this is = = not toml\n"])
def test_a_broken_alias_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AliasFileError, match=r"aliases\.toml"):
        load_aliases(path)
