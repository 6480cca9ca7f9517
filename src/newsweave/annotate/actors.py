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
from collections.abc import Mapping
from dataclasses import dataclass
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
    mentions = _alias_mentions(doc.text, phrases or {}, mentions) + mentions
    mentions += _missed_abbreviations(doc.text, mentions)
    mentions.sort(key=lambda m: m.start)
    mentions = _full_person_names(mentions)
    mentions += _missed_surnames(doc.text, mentions)
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
    spans = [(m.start, m.end) for m in out]
    found[:] = [m for m in found if not any(a < m.end and m.start < b for a, b in spans)]
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
    taken = [(m.start, m.end) for m in found]
    missed: list[Mention] = []
    for match in _ABBREVIATION.finditer(text):
        start, end = match.span()
        inside = any(a <= start and end <= b for a, b in taken)
        if inside or _shouting(text, start):
            continue
        found[:] = [m for m in found if not (start <= m.start and m.end <= end)]
        word = match.group()
        name = canonical_group(word) or canonical_organisation(word) or canonical_place(word)
        if name is not None:
            missed.append(Mention(start, end, word, _kind_of(word, "place"), name))
    return missed


def _shouting(text: str, start: int) -> bool:
    """Inside an all-capitals stretch, where "US" or "IS" may be plain words."""
    window = text[max(0, start - 12) : start + 12]
    letters = [c for c in window if c.isalpha()]
    return len(letters) > 8 and all(c.isupper() for c in letters)


def _full_person_names(mentions: list[Mention]) -> list[Mention]:
    """Short person names take the full name they shorten (the nearest one before)."""
    full = [m for m in mentions if m.kind == "person" and len(m.name.split()) > 1]
    surnames = {m.name.split()[-1] for m in full}
    out: list[Mention] = []
    for mention in mentions:
        if mention.kind != "person" and mention.text in surnames:
            # "Brandvold had set the tone": a surname the model took for a place or body
            mention = Mention(mention.start, mention.end, mention.text, "person", mention.text)
        if mention.kind == "person":
            mention = _lengthen(mention, full)
        out.append(mention)
    return out


def _lengthen(mention: Mention, full: list[Mention]) -> Mention:
    words = _folded_words(mention.name)
    if words and words[0] in HONORIFICS:
        words = words[1:]
    if not words:
        return mention
    matches = [f for f in full if _shortens(words, _folded_words(f.name)) and f is not mention]
    if not matches or any(_folded_words(f.name) == words for f in matches):
        return mention
    before = [f for f in matches if f.start < mention.start]
    chosen = before[-1] if before else matches[0]
    return Mention(mention.start, mention.end, mention.text, mention.kind, chosen.name)


def _missed_surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """Surnames of the article's people that spaCy did not tag ("Dovlan's government")."""
    full = [m for m in mentions if m.kind == "person" and len(m.name.split()) > 1]
    surnames = {m.name.split()[-1] for m in full}
    taken = [(m.start, m.end) for m in mentions]
    found: list[Mention] = []
    for surname in surnames:
        for match in re.finditer(r"\b" + re.escape(surname) + r"\b", text):
            start, end = match.span()
            if any(a < end and start < b for a, b in taken):
                continue
            mention = _lengthen(Mention(start, end, surname, "person", surname), full)
            if mention.name != surname:
                found.append(mention)
    return found


@lru_cache(maxsize=4096)
def _folded_words(name: str) -> list[str]:
    """``fold(name).split()``, computed once per name: ``_lengthen`` compares every pair."""
    return fold(name).split()


def _shortens(words: list[str], full: list[str]) -> bool:
    """Whether ``words`` is a strict tail (surname) of ``full`` or ``full`` less its middle."""
    if len(words) >= len(full):
        return False
    return full[-len(words) :] == words or (len(words) == 2 and [full[0], full[-1]] == words)


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
    taken = [(m.start, m.end) for m in mentions]
    found: list[Mention] = []
    for match in _ROLE_REFERENCE.finditer(doc.text):
        adjective, noun = match.group(1).strip(), match.group(2).strip()
        title = _longest_title_prefix(noun)
        if title is None:
            continue
        start = match.start(1) if adjective else match.start(2)
        end = match.start(2) + len(title)
        noun_start = match.start(2)
        if any(a < end and noun_start < b for a, b in taken) or _name_follows(doc.text, end):
            continue  # the adjective may be a mention of its own ("Russian"), the noun not
        person = _person_for(roles, _qualifier(adjective) if adjective else None, title, start)
        if person is not None:
            found.append(Mention(start, end, doc.text[start:end], "person", person))
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


def _person_for(roles: list[Role], country: str | None, title: str, position: int) -> str | None:
    key = fold(title)
    fitting = [
        r
        for r in roles
        if r.title == key and r.position < position and (country is None or r.qualifier == country)
    ]
    people = {r.person for r in fitting}
    return people.pop() if len(people) == 1 else None  # none, or several: unclear
