"""Actor mentions in one article, each named by the fullest name the article gives.

Rules, in order:

1. spaCy's entities: PERSON is a person; ORG an organisation (or a group such as Islamic
   State); GPE, LOC and FAC a place; NORP a demonym of a country ("American" -> United
   States) or else a group. Possessives and leading titles are trimmed off.
2. Variants come to one name: U.S. / US / USA / America -> United States, ISIS / ISIL /
   IS / Daesh -> Islamic State, UN -> United Nations (see :mod:`names`). Abbreviations
   spaCy misses ("US-led", "ISIS fighters") are picked up as whole upper-case words.
3. A short name takes the full name it shortens: "Putin" -> "Vladimir Putin". When two
   people share the surname, the nearest full name before it wins (the one just
   introduced); a surname with no full name in the article stays as written.
4. Roles: a title written before a name ("Russian President Vladimir Putin") or in
   apposition after it ("Vladimir Putin, the Russian president") teaches the article
   that role. A later "the Russian president", "the Kremlin leader" or "the president"
   then names that person; when the article taught that role to nobody, or to several
   people, the reference is left alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from newsweave.annotate.model import ActorKind, Mention
from newsweave.annotate.names import (
    HONORIFICS,
    ROLE_SYNONYMS,
    TITLES,
    canonical_group,
    canonical_organisation,
    canonical_place,
    country_of,
    fold,
    role_names,
)
from newsweave.annotate.spans import Covers, SpanSet

_KINDS: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
_ABBREVIATION = re.compile(
    r"\b(?:U\.S\.A?|U\.K\.|U\.N\.|US|USA|UK|UN|EU|NATO|ISIS|ISIL|IS|Islamic State|Daesh"
    r"|United Nations|European Union|United States|United Kingdom)(?=\W|$)"
)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LONGEST_TITLE = max(len(title.split()) for title in TITLES)
MAX_NAME_WORDS = 8  # a longer "name" is shortened by nothing and lengthens nothing


@dataclass(frozen=True, slots=True)
class Role:
    """A role the article gave a person: ("Russia", "president") -> "Vladimir Putin".

    ``qualifier`` is the country the adjective stands for, else the adjective itself
    ("kestrian"), else None.
    """

    qualifier: str | None
    title: str
    person: str
    position: int


def find_mentions(doc: Doc, phrases: Mapping[str, str] | None = None) -> list[Mention]:
    """Every actor mention in ``doc``, sorted by position, with article-wide names.

    ``phrases`` are the user's aliases (as written -> canonical name), found as words.
    """
    mentions = [m for m in (_entity_mention(ent) for ent in doc.ents) if m is not None]
    text = doc.text  # spaCy joins it anew at each call
    mentions = _alias_mentions(text, phrases or {}, mentions) + mentions
    mentions += _missed_abbreviations(text, mentions)
    mentions.sort(key=lambda m: m.start)
    mentions = _full_person_names(mentions)
    mentions += _missed_surnames(text, mentions)
    mentions.sort(key=lambda m: m.start)
    roles = _roles(doc, mentions)
    mentions += _role_mentions(doc, mentions, roles)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _alias_mentions(text: str, phrases: Mapping[str, str], found: list[Mention]) -> list[Mention]:
    """The user's aliases where they occur; they win over overlapping entities."""
    kinds = {m.name: m.kind for m in found}
    out: list[Mention] = []
    for phrase, name in phrases.items():
        for match in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text):
            start, end = match.span()
            kind = kinds.get(name, "person" if len(name.split()) > 1 else "organisation")
            out.append(Mention(start, end, phrase, kind, name))
    spans = SpanSet((m.start, m.end) for m in out)
    found[:] = [m for m in found if not spans.overlaps(m.start, m.end)]
    return out


def _entity_mention(ent: Span) -> Mention | None:
    kind = _KINDS.get(ent.label_)
    if kind is None:
        return None
    start, end = _trim(ent)
    if start >= end:
        return None
    text = ent.text[start - ent.start_char : end - ent.start_char]  # not doc.text: O(doc)
    name = _name_of(text, kind)
    if name is None:
        return None
    kind = _kind_of(text, kind)
    return Mention(start, end, text, kind, name)


def _trim(ent: Span) -> tuple[int, int]:
    """The entity's characters without a leading "the", title or trailing possessive."""
    tokens = list(ent)
    while tokens and (tokens[0].lower_ == "the" or _is_title_start(tokens)):
        tokens = tokens[_title_length(tokens) or 1 :] if tokens[0].lower_ != "the" else tokens[1:]
    while tokens and (tokens[-1].text in {"'s", "’s", "'", "’"} or tokens[-1].is_punct):
        tokens = tokens[:-1]
    if not tokens:
        return ent.start_char, ent.start_char
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    trailing = _POSSESSIVE.search(ent.text[start - ent.start_char : end - ent.start_char])
    if trailing and end - start > len(trailing.group()):
        end -= len(trailing.group())
    return start, end


def _is_title_start(tokens: list[Token]) -> bool:
    return len(tokens) > 1 and _title_length(tokens) > 0 and tokens[0].ent_type_ == "PERSON"


def _title_length(tokens: list[Token]) -> int:
    """How many leading tokens form a title ("Foreign Minister" -> 2)."""
    for size in range(min(_LONGEST_TITLE, len(tokens) - 1), 0, -1):
        if fold(" ".join(t.text for t in tokens[:size])) in TITLES:
            return size
    return 0


def _name_of(text: str, kind: ActorKind) -> str | None:
    if kind == "group":
        return country_of(text) or canonical_group(text) or text
    return canonical_group(text) or canonical_organisation(text) or canonical_place(text) or text


def _kind_of(text: str, kind: ActorKind) -> ActorKind:
    if canonical_group(text):
        return "group"
    if canonical_place(text) or (kind == "group" and country_of(text)):
        return "place"
    if canonical_organisation(text):
        return "organisation"
    return kind


def _missed_abbreviations(text: str, found: list[Mention]) -> list[Mention]:
    """Upper-case variants ("US" in "US-led") that spaCy did not tag."""
    taken = Covers((m.start, m.end) for m in found)
    missed: list[Mention] = []
    replaced: list[tuple[int, int]] = []
    for match in _ABBREVIATION.finditer(text):
        start, end = match.span()
        if taken.holds(start, end) or _shouting(text, start):
            continue
        replaced.append((start, end))
        word = match.group()
        name = canonical_group(word) or canonical_organisation(word) or canonical_place(word)
        if name is not None:
            missed.append(Mention(start, end, word, _kind_of(word, "place"), name))
    covered = Covers(replaced)  # entities inside an abbreviation give way to it
    found[:] = [m for m in found if not covered.holds(m.start, m.end)]
    return missed


def _shouting(text: str, start: int) -> bool:
    """Inside an all-capitals stretch, where "US" or "IS" may be plain words."""
    window = text[max(0, start - 12) : start + 12]
    letters = [c for c in window if c.isalpha()]
    return len(letters) > 8 and all(c.isupper() for c in letters)


@dataclass(slots=True)
class _FullNames:
    """The article's full person names (in text order), and by each short form they take:
    "vladimir putin" under ("putin",); "john f kennedy" also under ("john", "kennedy")."""

    people: list[Mention] = field(default_factory=list)
    by_short: dict[tuple[str, ...], list[Mention]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def of(cls, mentions: list[Mention]) -> _FullNames:
        names = cls()
        for mention in mentions:
            if mention.kind == "person" and len(mention.name.split()) > 1:
                names.people.append(mention)
                for short in _short_forms(_folded_words(mention.name)):
                    names.by_short[short].append(mention)
        return names

    def surnames(self) -> set[str]:
        return {m.name.split()[-1] for m in self.people}

    def lengthen(self, mention: Mention) -> Mention:
        """The mention named by the full name it shortens: the nearest one before it, else
        the first after it; unchanged when it shortens none."""
        words = _folded_words(mention.name)
        if words and words[0] in HONORIFICS:
            words = words[1:]
        matches = self.by_short.get(words, []) if words else []
        at = bisect_left(matches, mention.start, key=lambda m: m.start)
        after = (f for f in matches[at : at + 2] if f is not mention)
        chosen = matches[at - 1] if at else next(after, None)
        if chosen is None:
            return mention
        return Mention(mention.start, mention.end, mention.text, mention.kind, chosen.name)


def _short_forms(full: tuple[str, ...]) -> set[tuple[str, ...]]:
    """What shortens ``full``: each strict tail (surname), and first and last name."""
    if len(full) > MAX_NAME_WORDS:
        return set()
    forms = {full[start:] for start in range(1, len(full))}
    if len(full) > 2:
        forms.add((full[0], full[-1]))
    return forms


def _full_person_names(mentions: list[Mention]) -> list[Mention]:
    """Short person names take the full name they shorten (the nearest one before)."""
    full = _FullNames.of(mentions)
    surnames = full.surnames()
    out: list[Mention] = []
    for mention in mentions:
        if mention.kind != "person" and mention.text in surnames:
            # "Brandvold had set the tone": a surname the model took for a place or body
            mention = Mention(mention.start, mention.end, mention.text, "person", mention.text)
        if mention.kind == "person":
            mention = full.lengthen(mention)
        out.append(mention)
    return out


def _missed_surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """Surnames of the article's people that spaCy did not tag ("Dovlan's government")."""
    full = _FullNames.of(mentions)
    taken = SpanSet((m.start, m.end) for m in mentions)
    found: list[Mention] = []
    for start, end, surname in _occurrences(text, full.surnames()):
        if taken.overlaps(start, end):
            continue
        mention = full.lengthen(Mention(start, end, surname, "person", surname))
        if mention.name != surname:
            found.append(mention)
    return found


_WORD_RUN = re.compile(r"\w+")


def _occurrences(text: str, words: set[str]) -> list[tuple[int, int, str]]:
    """Where each of ``words`` occurs as a whole word, as ``\\bword\\b`` finds it: one pass
    over the text's word runs, each looked up by itself and with the run after it, not one
    search of the whole text per word."""
    by_key: dict[str, list[str]] = defaultdict(list)
    found: list[tuple[int, int, str]] = []
    for word in words:
        runs = list(_WORD_RUN.finditer(word, 0, len(word)))[:2]
        if not runs or runs[0].start() > 0:  # starts with no letter or digit: rare
            pattern = re.compile(r"\b" + re.escape(word) + r"\b")
            found += [(m.start(), m.end(), word) for m in pattern.finditer(text)]
        else:
            by_key[word[: runs[-1].end()]].append(word)
    free_from = dict.fromkeys(words, 0)  # the matches of one word do not overlap
    runs = list(_WORD_RUN.finditer(text))
    for n, run in enumerate(runs):
        start = run.start()
        keys = [run.group()]
        if n + 1 < len(runs):
            keys.append(text[start : runs[n + 1].end()])
        for word in (word for key in keys for word in by_key.get(key, ())):
            end = start + len(word)
            if start >= free_from[word] and text.startswith(word, start) and _word_end(text, end):
                found.append((start, end, word))
                free_from[word] = end
    return found


def _word_end(text: str, end: int) -> bool:
    """Whether ``\\b`` holds at ``end``, right after a match."""
    before = text[end - 1].isalnum() or text[end - 1] == "_"
    after = end < len(text) and (text[end].isalnum() or text[end] == "_")
    return before != after


@lru_cache(maxsize=4096)
def _folded_words(name: str) -> tuple[str, ...]:
    """``fold(name).split()``, computed once per name."""
    return tuple(fold(name).split())


def _roles(doc: Doc, mentions: list[Mention]) -> list[Role]:
    """Roles the article gives people, from titles before names and appositions after."""
    roles: list[Role] = []
    for mention in mentions:
        if mention.kind != "person" or len(mention.name.split()) < 2:
            continue
        roles += _title_roles(doc, mention)
        roles += _apposition_roles(doc, mention)
    return roles


def _title_roles(doc: Doc, mention: Mention) -> list[Role]:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return []
    before = [t for t in doc[max(0, span.start - _LONGEST_TITLE - 2) : span.start]]
    return _roles_from_words(before, mention)


def _apposition_roles(doc: Doc, mention: Mention) -> list[Role]:
    """ "Vladimir Putin, the Russian president," -> (Russia, president)."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or span.end + 2 >= len(doc) or doc[span.end].text != ",":
        return []
    after = doc[span.end + 1 : span.end + 1 + _LONGEST_TITLE + 3]
    words: list[Token] = []
    for token in after:
        if token.is_punct:
            break
        words.append(token)
    if not words or words[0].lower_ not in {"the", "a"}:
        return []
    return _roles_from_words(words[1:], mention)


def _roles_from_words(words: list[Token], mention: Mention) -> list[Role]:
    """Roles from words such as "Russian President" or "the US secretary of state"."""
    texts = [t.text for t in words]
    for size in range(min(_LONGEST_TITLE, len(texts)), 0, -1):
        title = fold(" ".join(texts[len(texts) - size :]))
        if title not in TITLES or title in HONORIFICS:
            continue
        adjectives = texts[: len(texts) - size]
        qualifier = None
        if adjectives and adjectives[-1][:1].isupper():
            qualifier = _qualifier(adjectives[-1])
        return [Role(qualifier, role, mention.name, mention.start) for role in role_names(title)]
    return []


_ROLE_REFERENCE = re.compile(
    r"\b[Tt]he ((?:(?:[A-Z][\w.]*|[A-Z]\.[A-Z]\.) )?)([a-z][a-z \-]{1,30}?)(?=[\s,.;:'’]|$)"
)


def _role_mentions(doc: Doc, mentions: list[Mention], roles: list[Role]) -> list[Mention]:
    """ "the Russian president", "the Kremlin leader", "the minister" -> the person."""
    if not roles:
        return []
    taken = SpanSet((m.start, m.end) for m in mentions)
    people = _RolePeople(roles)
    found: list[Mention] = []
    text = doc.text  # once: spaCy joins it anew at each call
    for match in _ROLE_REFERENCE.finditer(text):
        adjective, noun = match.group(1).strip(), match.group(2).strip()
        title = _longest_title_prefix(noun)
        if title is None:
            continue
        start = match.start(1) if adjective else match.start(2)
        end = match.start(2) + len(title)
        noun_start = match.start(2)
        if taken.overlaps(noun_start, end) or _name_follows(text, end):
            continue  # the adjective may be a mention of its own ("Russian"), the noun not
        person = people.person(_qualifier(adjective) if adjective else None, title, start)
        if person is not None:
            found.append(Mention(start, end, text[start:end], "person", person))
    return found


def _longest_title_prefix(words: str) -> str | None:
    parts = words.split()
    for size in range(min(_LONGEST_TITLE, len(parts)), 0, -1):
        candidate = " ".join(parts[:size])
        if fold(candidate) in TITLES or fold(candidate) in _ROLE_WORDS:
            return candidate
    return None


_ROLE_WORDS = frozenset(word for words in ROLE_SYNONYMS.values() for word in words)


def _name_follows(text: str, end: int) -> bool:
    """ "the president Joe Biden": a name right after means it is a title, not a reference."""
    rest = text[end : end + 3]
    return len(rest) > 1 and rest[0] == " " and rest[1].isupper()


def _qualifier(adjective: str) -> str:
    return country_of(adjective) or fold(adjective)


class _RolePeople:
    """Who holds a role at a point of the article, looked up by bisection: the roles by
    title, and by title and qualifier, each in text order."""

    def __init__(self, roles: list[Role]) -> None:
        self._groups: dict[tuple[str, str | None] | str, _RoleGroup] = defaultdict(_RoleGroup)
        for role in sorted(roles, key=lambda r: r.position):
            self._groups[role.title].add(role)
            self._groups[(role.title, role.qualifier)].add(role)

    def person(self, country: str | None, title: str, position: int) -> str | None:
        """The one person given the role before ``position``; None for none or several."""
        key = fold(title)
        group = self._groups.get(key if country is None else (key, country))
        return group.person_before(position) if group is not None else None


@dataclass(slots=True)
class _RoleGroup:
    """Roles of one kind in text order, and from which of them on more than one person
    holds it."""

    positions: list[int] = field(default_factory=list)
    first_person: str | None = None
    shared_from: int | None = None  # the count of roles from which people differ

    def add(self, role: Role) -> None:
        if self.first_person is None:
            self.first_person = role.person
        elif self.shared_from is None and role.person != self.first_person:
            self.shared_from = len(self.positions)
        self.positions.append(role.position)

    def person_before(self, position: int) -> str | None:
        count = bisect_left(self.positions, position)
        if count == 0 or (self.shared_from is not None and count > self.shared_from):
            return None  # none, or several: unclear
        return self.first_person
