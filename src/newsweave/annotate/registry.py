"""One id per actor across the whole store, however each article named it.

Each article already names its mentions by the fullest name it gives (see
:mod:`newsweave.annotate.actors`). Across articles, names then come together when:

- they fold to the same key (case, accents, dots and hyphens aside: "U.N." and "UN",
  "al-Assad" and "Al Assad");
- the user's alias file lists one as an alias of the other (see :mod:`aliases`);
- a person named by one word only ("Putin", in an article that never gives the full
  name) matches the last word of exactly one full person name in the store, or of one
  named at least ``DOMINANCE`` times as often as the others together ("Donald Trump"
  over "Melania Trump"). With two comparable candidates ("Daniel Okafor", "Grace
  Okafor") it stays apart: no merge without evidence;
- a first and last name ("Donald Trump") matches the one longer name with the same
  first and last words ("Donald J. Trump").

Places, organisations and groups of one key are one actor even when spaCy's label for
them differs between articles; people are never merged with places. A one-word name
tagged a body ("Trump" in "the Trump campaign") joins the person it names as above
when that person is named more often than the body: a tagging slip.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from newsweave.annotate.names import fold, name_key
from newsweave.annotation import Actor, NameCount


def actor_id(kind: str, name: str) -> str:
    """A stable id: the same canonical name and kind family give the same id in any store."""
    family = "person" if kind == "person" else "other"
    return hashlib.sha256(f"{family}:{name_key(name)}".encode()).hexdigest()[:12]


def resolve(counts: Iterable[NameCount], aliases: Mapping[str, str] | None = None) -> list[Actor]:
    """Group the store's names into actors. ``aliases`` maps folded alias -> canonical name."""
    aliases = aliases or {}
    rows = list(counts)
    groups: dict[tuple[str, str], list[NameCount]] = defaultdict(list)
    for row in rows:
        groups[_group_key(row, aliases)].append(row)
    _attach_middle_names(groups)
    _attach_surnames(groups)
    _attach_demonyms(groups)
    return [_actor(key, members, aliases) for key, members in groups.items()]


def _group_key(row: NameCount, aliases: Mapping[str, str]) -> tuple[str, str]:
    family = "person" if row.kind == "person" else "other"
    return family, name_key(aliases.get(fold(row.name), row.name))


def _attach_middle_names(groups: dict[tuple[str, str], list[NameCount]]) -> None:
    """Move a person's first and last name into the one longer name with the same first
    and last words ("Donald Trump" -> "Donald J. Trump")."""
    longer: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for family, key in groups:
        words = key.split()
        if family == "person" and len(words) > 2 and words[-1] not in _SUFFIXES:
            longer[(words[0], words[-1])].append((family, key))
    for family, key in list(groups):
        words = key.split()
        owners = longer.get((words[0], words[-1]), []) if len(words) == 2 else []
        if family == "person" and len(owners) == 1:
            groups[owners[0]].extend(groups.pop((family, key)))


def _attach_surnames(groups: dict[tuple[str, str], list[NameCount]]) -> None:
    """Move one-word person groups into the one full name ending with that word."""
    by_surname: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for family, key in groups:
        words = [w for w in key.split() if w not in _SUFFIXES]
        if family == "person" and len(words) > 1:
            by_surname[words[-1]].append((family, key))
    for family, key in list(groups):
        if len(key.split()) != 1:
            continue
        owners = _dominant(groups, by_surname.get(key, []))
        if family == "person" and len(owners) == 1:
            groups[owners[0]].extend(groups.pop((family, key)))
        elif family == "person" and not owners and ("other", key) in groups:
            # a lone word tagged a person here and a place or body elsewhere: a tagging slip
            groups[("other", key)].extend(groups.pop((family, key)))
        elif family == "other" and len(owners) == 1 and _body_slip(groups, key, owners[0]):
            groups[owners[0]].extend(groups.pop((family, key)))


_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
DOMINANCE = 4  # a full name named this many times as often as the others together owns the word


def _dominant(
    groups: dict[tuple[str, str], list[NameCount]], owners: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The owners of a surname, or the one that dominates them ("Donald Trump" over
    "Melania Trump"): a lone "Trump" is most likely the one named far more often."""
    if len(owners) < 2:
        return owners
    counts = sorted(((sum(m.mentions for m in groups[o]), o) for o in owners), reverse=True)
    rest = sum(count for count, _ in counts[1:])
    return [counts[0][1]] if counts[0][0] >= DOMINANCE * rest else owners


def _body_slip(
    groups: dict[tuple[str, str], list[NameCount]], key: str, person: tuple[str, str]
) -> bool:
    """A one-word body that is a tagging slip for a person: never a place, and named
    less often than the person."""
    members = groups[("other", key)]
    if any(m.kind == "place" for m in members):
        return False
    return sum(m.mentions for m in members) < sum(m.mentions for m in groups[person])


def _attach_demonyms(groups: dict[tuple[str, str], list[NameCount]]) -> None:
    """ "Kestrian" (a group) joins the place "Kestria" when the words derive regularly."""
    places = {key for family, key in groups if family == "other"}
    for family, key in list(groups):
        members = groups[(family, key)]
        as_group = sum(m.mentions for m in members if m.kind == "group")
        if family != "other" or 2 * as_group < sum(m.mentions for m in members):
            continue
        place = next((p for p in _places_for(key) if p in places and p != key), None)
        if place is not None:
            groups[("other", place)].extend(groups.pop((family, key)))


def _places_for(demonym: str) -> list[str]:
    """Places a demonym may come from: kestrian -> kestria, italian -> italy, ..."""
    word = demonym[:-1] if demonym.endswith("s") and not demonym.endswith("ss") else demonym
    found = []
    for ending, replacements in (("ian", ("ia", "y", "")), ("an", ("a", "")), ("n", ("",))):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            found += [stem + replacement for replacement in replacements]
    return found


def _actor(key: tuple[str, str], members: list[NameCount], aliases: Mapping[str, str]) -> Actor:
    kinds: Counter[str] = Counter()
    for member in members:
        if key[0] == "person" or member.kind != "person":  # a place is never a person
            kinds[member.kind] += member.mentions
    kind = kinds.most_common(1)[0][0]
    name = _display_name(key[1], members, aliases)
    return Actor(
        id=actor_id(kind, name),
        name=name,
        kind=kind,
        mentions=sum(m.mentions for m in members),
        articles=sum(m.articles for m in members),  # an upper bound when names share articles
        names=[(m.name, m.kind) for m in members],
    )


def _display_name(key: str, members: list[NameCount], aliases: Mapping[str, str]) -> str:
    """The alias file's canonical name, else the most used form of the longest name."""
    canonical = {name_key(value): value for value in aliases.values()}
    if key in canonical:
        return canonical[key]
    longest = max(len(m.name.split()) for m in members)
    usable = [m for m in members if len(m.name.split()) == longest]
    return max(usable, key=lambda m: (m.mentions, m.name)).name
