"""Actor mentions in one article, each named by the fullest name the article gives.

Rules, in order:

1. spaCy's entities: PERSON is a person; ORG an organisation (or a group such as Islamic
   State); GPE, LOC and FAC a place; NORP a demonym of a country ("American" -> United
   States) or else a group. Possessives, leading titles and ranks ("Sgt.", "GOP Rep."),
   verbs run into a name ("Stated Stone") and what follows a comma are trimmed off; a
   title alone ("Sgt") and page furniture ("Javascript") are no actor. A title before a
   name the tagger took for a body makes it a person ("Spokeswoman Haley Morris").
2. Kinds come from the vocabulary and the bundled gazetteer before the tagger's guess
   (:mod:`names`): countries, US states and regions are places ("Crimea"), known
   platforms are bodies ("Twitter"), big cities are places unless tagged a person.
3. Variants come to one name: U.S. / US / USA / America -> United States, ISIS / ISIL /
   IS / Daesh -> Islamic State, UN -> United Nations, Va. -> Virginia, NYC -> New York
   City (see :mod:`names`). Abbreviations spaCy misses ("US-led", "ISIS fighters") are
   picked up as whole upper-case words.
4. In a title-case line (a headline) a mention holding a name the article uses elsewhere
   is cut down to it ("Trump Says He Never" -> "Trump").
5. Bodies: a name the article also gives longer takes it ("Chicago Police" -> "Chicago
   Police Department", "Security Council" -> "United Nations Security Council"); an
   abbreviation in brackets after a name, or the initials of one body's name, names that
   body there and wherever it is written again ("CPD").
6. People: a short name takes the full name it shortens, whatever its case, hyphens and
   particles ("Putin", "Al Assad", "PENCE", a first name alone) -> "Vladimir Putin". When
   several people share it, the one named most often before it wins (the nearest on a
   tie); a surname with no full name in the article stays as written. An epithet before
   a full name is dropped ("Crooked Hillary Clinton"). Names the article tagged somewhere
   are found where the tagger missed them.
7. Roles: a title written before a name ("Russian President Vladimir Putin") or in
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

from newsweave.annotate.doctext import text_of
from newsweave.annotate.genders import gender_of_name
from newsweave.annotate.names import (
    BODY_WORDS,
    HONORIFICS,
    KNOWN_ORGANISATIONS,
    ROLE_SYNONYMS,
    TITLES,
    canonical_group,
    canonical_organisation,
    canonical_place,
    country_of,
    fold,
    is_city,
    is_furniture,
    is_known_organisation,
    is_region,
    name_key,
    role_names,
    state_of_code,
    title_of,
)
from newsweave.annotate.spans import Covers, SpanSet
from newsweave.annotation import ActorKind, Mention

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
    text = text_of(doc)  # spaCy joins doc.text anew at each read
    mentions = _headline_names(text, mentions)
    mentions = _alias_mentions(text, phrases or {}, mentions) + mentions
    mentions += _missed_abbreviations(text, mentions)
    mentions.sort(key=lambda m: m.start)
    mentions = _abbreviations_of_names(text, _organisation_variants(mentions))
    mentions = _full_person_names(text, _without_epithets(mentions))
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
    start, end, titled = _trim(ent)
    if start >= end:
        return None
    text = ent.text[start - ent.start_char : end - ent.start_char]  # not doc.text: O(doc)
    if is_furniture(text) or fold(text) in TITLES:  # "Javascript"; "Sgt" of "Sgt. Barnes"
        return None
    if titled and kind != "place":  # "Spokeswoman Haley Morris", tagged a body
        kind = "person"
    name = (ent.label_ == "GPE" and state_of_code(text)) or _name_of(text, kind)
    return Mention(start, end, text, _kind_of(text, kind), name)


def _trim(ent: Span) -> tuple[int, int, bool]:
    """The entity's characters without a leading "the", title or trailing possessive, and
    whether a title was taken off. Across a line break only the longer line's part is kept."""
    tokens = _longest_line(list(ent))
    tokens, titled = _after_possessive(_before_comma(tokens))
    while len(tokens) > 1 and _is_leading_verb(tokens[0]):  # "Stated Stone:", "Telling Jeb Bush"
        tokens = tokens[1:]
    while tokens and (tokens[0].lower_ == "the" or _is_title_start(tokens)):
        titled = titled or tokens[0].lower_ != "the"
        tokens = tokens[_title_length(tokens) or 1 :] if tokens[0].lower_ != "the" else tokens[1:]
    while tokens and (tokens[-1].text in {"'s", "’s", "'", "’"} or tokens[-1].is_punct):
        tokens = tokens[:-1]
    if not tokens:
        return ent.start_char, ent.start_char, titled
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    trailing = _POSSESSIVE.search(ent.text[start - ent.start_char : end - ent.start_char])
    if trailing and end - start > len(trailing.group()):
        end -= len(trailing.group())
    return start, end, titled


_POSSESSIVES = frozenset(["'s", "’s", "'", "’"])
_FILLERS = frozenset(["ADP", "CCONJ", "SCONJ", "ADV"])
_CUES = frozenset(
    ["said", "says", "stated", "continued", "added", "asked", "told", "wrote", "noted",
     "explained", "argued", "replied", "responded", "concluded", "insisted", "according"]
)  # fmt: skip


def _is_leading_verb(token: Token) -> bool:
    """A verb or small word the tagger ran into a name: a cue, a preposition, conjunction
    or adverb ("Without Bloomberg"), a verb in -ing or -ed before a person, any verb before
    a place ("Say Mexico")."""
    if token.lower_ in _CUES:
        return True
    if token.pos_ in _FILLERS and token.lower_ not in _PARTICLES:
        return True
    if token.pos_ != "VERB":
        return False
    if token.ent_type_ in {"GPE", "LOC"}:
        return True
    return len(token.text) > 4 and token.lower_.endswith(("ing", "ed"))


def _before_comma(tokens: list[Token]) -> list[Token]:
    """A person's or body's entity up to a comma or colon inside it ("Politico, Democratic
    party", "De Blasio: Trust Bratton")."""
    if not tokens or tokens[0].ent_type_ not in {"PERSON", "ORG"}:
        return tokens
    at = next((n for n, t in enumerate(tokens) if t.text in {",", ":"}), None)
    return tokens[:at] if at else tokens


def _after_possessive(tokens: list[Token]) -> tuple[list[Token], bool]:
    """The name after a possessive inside an entity ("Fox News’ Bret Baier" -> "Bret Baier",
    "Obama's DOJ" -> "DOJ"), and whether it reads as a person's name in a body's entity."""
    at = next((n for n, t in enumerate(tokens[:-1]) if t.text in _POSSESSIVES), None)
    rest = tokens[at + 1 :] if at is not None else []
    if not rest or not all(t.text[:1].isupper() for t in rest):
        return tokens, False
    person = tokens[0].ent_type_ == "ORG" and 1 < len(rest) < 4
    return rest, person and fold(rest[-1].text) not in BODY_WORDS


def _longest_line(tokens: list[Token]) -> list[Token]:
    """The tokens of the longest line an entity spans ("Fault\nTed Cruz" -> "Ted Cruz")."""
    if not any("\n" in t.text or "\n" in t.whitespace_ for t in tokens):
        return tokens
    lines: list[list[Token]] = [[]]
    for token in tokens:
        if "\n" in token.text:
            lines.append([])
            continue
        lines[-1].append(token)
        if "\n" in token.whitespace_:
            lines.append([])
    return max(reversed(lines), key=lambda line: sum(len(t.text) for t in line))


def _is_title_start(tokens: list[Token]) -> bool:
    """A title before a person's name; in a body's or group's entity only before a name
    ("Spokeswoman Haley Morris", "GOP Rep. McCaul", not "General Motors")."""
    size = _title_length(tokens) if len(tokens) > 1 else 0
    if size == 0 or tokens[0].ent_type_ == "PERSON":
        return size > 0
    rest = tokens[size:]
    named = all(t.text[:1].isupper() for t in rest) and fold(rest[-1].text) not in BODY_WORDS
    short_title = tokens[size - 1].text.endswith(".") or len(tokens[size - 1].text) <= 3
    return tokens[0].ent_type_ in {"ORG", "NORP"} and named and (len(rest) > 1 or short_title)


_QUALIFIERS = frozenset(["former", "gop", "republican", "democratic", "democrat", "us", "state"])


def _title_length(tokens: list[Token]) -> int:
    """How many leading tokens form a title ("Foreign Minister" -> 2), with up to two
    qualifiers before it ("GOP Rep.", "Former Sen.")."""
    for skip in range(min(3, len(tokens) - 1)):
        if skip and not _is_qualifier(tokens[skip - 1]):
            return 0
        for size in range(min(_LONGEST_TITLE, len(tokens) - 1 - skip), 0, -1):
            if fold(" ".join(t.text for t in tokens[skip : skip + size])) in TITLES:
                end = skip + size
                return end + 1 if end + 1 < len(tokens) and tokens[end].text == "." else end
    return 0


def _is_qualifier(token: Token) -> bool:
    return fold(token.text) in _QUALIFIERS or country_of(token.text) is not None


def _name_of(text: str, kind: ActorKind) -> str:
    if kind == "group":
        return country_of(text) or canonical_group(text) or text
    known = canonical_group(text) or canonical_organisation(text) or canonical_place(text)
    return known or (_expanded(text) if kind == "organisation" else text)


def _expanded(name: str) -> str:
    """A body's name with a known abbreviation first written out ("U.N. Security Council"
    -> "United Nations Security Council"), so that its variants meet."""
    first, _, rest = name.partition(" ")
    if fold(first) not in _EXPANDED or not rest[:1].isupper() or rest.isupper():
        return name  # not "USA TODAY"
    known = canonical_organisation(first) or canonical_place(first)
    return f"{known} {rest}" if known else name


_EXPANDED = frozenset(["us", "un", "uk", "eu"])


def _kind_of(text: str, kind: ActorKind) -> ActorKind:
    """The kind the vocabulary and the gazetteer give a name, before the tagger's guess."""
    if canonical_group(text):
        return "group"
    if is_known_organisation(text):
        return "organisation"
    if canonical_place(text) or (kind == "group" and country_of(text)) or is_region(text):
        return "place"
    if canonical_organisation(text):
        return "organisation"
    if is_city(text) and (kind != "person" or text.isupper()):  # "CHICAGO —", not "Jackson"
        return "place"
    if kind == "organisation" and _given_name_first(text):  # "Carly Fiorina", tagged a body
        return "person"
    return kind


# besides a body's last word (BODY_WORDS), words of things named after people: "Bill
# Clinton Foundation", "Harry Truman Library", "Ben Franklin Bridge"
_NAMED_AFTER_WORDS = BODY_WORDS | frozenset({
    "act", "avenue", "award", "bridge", "campaign", "center", "centre", "club", "college",
    "fund", "hall", "house", "journal", "law", "league", "library", "media", "museum",
    "network", "news", "post", "prize", "school", "show", "street", "team", "times", "trust",
})  # fmt: skip


def _given_name_first(text: str) -> bool:
    """Two or three capitalised words, the first a given name, none a body's word."""
    words = text.split()
    if not 2 <= len(words) <= 3 or gender_of_name(text) is None:
        return False
    return all(w[:1].isupper() and fold(w) not in _NAMED_AFTER_WORDS for w in words)


_LINE = re.compile(r"[^\n]+")
HEADLINE_CHARS = 200  # a longer line is a paragraph
_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Lines in title case (a headline), where the tagger runs names into the words
    around them ("Ted Cruz Refuses", "Trump Says He Never")."""
    lines = []
    for line in _LINE.finditer(text):
        if line.end() - line.start() > HEADLINE_CHARS:
            continue  # a paragraph, not a headline
        words = _LONG_WORD.findall(line.group())
        if len(words) >= 3 and 5 * sum(w[0].isupper() for w in words) >= 4 * len(words):
            lines.append(line.span())
    return lines


def _headline_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """A mention in a title-case line that holds a name the rest of the article uses is cut
    down to that name ("Trump Says He Never" -> "Trump")."""
    lines = Covers(_title_case_lines(text))
    known: dict[str, Mention] = {}
    for mention in mentions:
        if not lines.holds(mention.start, mention.end):
            known[mention.text] = mention
            if mention.kind == "person" and " " in mention.text:  # its surname too
                surname = mention.text.split()[-1]
                known.setdefault(surname, Mention(0, 0, surname, "person", surname))
    return [
        _known_part(m, known) if lines.holds(m.start, m.end) and m.text not in known else m
        for m in mentions
    ]


_WORD = re.compile(r"[^\s:;,\"“”]+")


def _known_part(mention: Mention, known: Mapping[str, Mention]) -> Mention:
    """The longest run of the mention's words that is a known name, as a mention."""
    words = list(_WORD.finditer(mention.text))
    for size in range(len(words) - 1, 0, -1):
        for first in range(len(words) - size + 1):
            start, end = words[first].start(), words[first + size - 1].end()
            name = known.get(_POSSESSIVE.sub("", mention.text[start:end]))
            if name is not None:
                at = mention.start + start
                return Mention(at, at + len(name.text), name.text, name.kind, name.name)
    return mention


def _organisation_variants(mentions: list[Mention]) -> list[Mention]:
    """A body's name that the article also gives longer takes the longer name: with a
    body's word added ("Chicago Police" -> "Chicago Police Department") or with words
    before it ("Security Council" -> "United Nations Security Council"), when only one
    name of the article is so."""
    longer: dict[str, str] = {}
    for name in {m.name for m in mentions if m.kind == "organisation"}:
        words = name_key(name).split()
        if len(words) > 1 and words[-1] in BODY_WORDS:
            _claim(longer, " ".join(words[:-1]), name)
        written = _HYPHEN_OR_SPACE.split(name)
        for start in range(1, len(words)):
            if len(written) == len(words) and written[start - 1][:1].isupper():
                _claim(longer, " ".join(words[start:]), name)  # not "... on Intelligence"
    return [
        _renamed(m, longer.get(name_key(m.name)))
        if m.kind == "organisation" and name_key(m.name) not in _INSTITUTIONS
        else m
        for m in mentions
    ]


# One-word names of bodies that many longer names end with ("House", "White House").
_INSTITUTIONS = BODY_WORDS | frozenset(
    ["house", "senate", "congress", "assembly", "parliament", "cabinet", "government", "army",
     "navy", "police", "church", "legislature", "supreme court", "state"]
)  # fmt: skip


_HYPHEN_OR_SPACE = re.compile(r"[\s\-]+")


def _claim(longer: dict[str, str], short: str, name: str) -> None:
    """``short`` stands for ``name``; for none ("") when another name claims it too."""
    longer[short] = name if longer.get(short, name) == name else ""


def _renamed(mention: Mention, name: str | None, kind: ActorKind | None = None) -> Mention:
    if not name or (name == mention.name and kind in {None, mention.kind}):
        return mention
    return Mention(mention.start, mention.end, mention.text, kind or mention.kind, name)


_BRACKETED = re.compile(r"\s*\(([A-Z][A-Za-z&.]{1,9})\)")
_SMALL_WORDS = frozenset(["of", "and", "the", "for", "on", "in", "&", "de", "du", "la"])


def _abbreviations_of_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """An abbreviation in brackets after a name ("Islamic State (IS)", "the Chicago Police
    Department (CPD)"), or the initials of one body's name in the article, names it: there
    and wherever the article writes it again, tagged or not. A known abbreviation ("ISIS")
    gives its name to the name in front of it instead."""
    aliases = _bracketed(text, mentions)
    for abbreviation, mention in _initials(mentions).items():
        aliases.setdefault(abbreviation, mention)
    if not aliases:
        return mentions
    names = {a: _shared_name(a, m) for a, m in aliases.items()}
    renames = {aliases[a].name: names[a] for a in aliases}
    out = []
    for mention in mentions:
        name = names.get(mention.text) or renames.get(mention.name)
        out.append(_renamed(mention, *name) if name else mention)
    taken = SpanSet((m.start, m.end) for m in out)
    for start, end, word in _occurrences(text, set(aliases)):
        if not taken.overlaps(start, end) and not _shouting(text, start):
            out.append(Mention(start, end, word, names[word][1], names[word][0]))
    return sorted(out, key=lambda m: m.start)


def _shared_name(abbreviation: str, mention: Mention) -> tuple[str, ActorKind]:
    """The name an abbreviation and the name it shortens share: the abbreviation's known
    name ("ISIS" -> Islamic State), else the name's."""
    known = _name_of(abbreviation, mention.kind)
    if known != abbreviation:
        return known, _kind_of(abbreviation, mention.kind)
    return mention.name, mention.kind


def _bracketed(text: str, mentions: list[Mention]) -> dict[str, Mention]:
    """Abbreviation -> the mention it follows in brackets."""
    found: dict[str, Mention] = {}
    for mention in mentions:
        match = _BRACKETED.match(text, mention.end)
        if match is None or mention.text.isupper() or _is_dateline(text, match.end()):
            continue
        abbreviation = match.group(1)
        if sum(c.isupper() for c in abbreviation) < 2 or abbreviation == mention.text:
            continue
        if mention.kind != "person" or _initials_of(mention.name) == abbreviation:
            found.setdefault(abbreviation, mention)
    return found


def _is_dateline(text: str, end: int) -> bool:
    """ "WASHINGTON (AP) — ": the bracket names the agency, not the place."""
    return text[end : end + 3].strip()[:1] in {"—", "–", "-"}


def _initials(mentions: list[Mention]) -> dict[str, Mention]:
    """Written abbreviations ("CPD") that are the initials of one multi-word name of a body
    in the article ("Chicago Police Department")."""
    owners: dict[str, dict[str, Mention]] = defaultdict(dict)
    for mention in mentions:
        if mention.kind != "person" and len(mention.name.split()) > 1:
            owners[_initials_of(mention.name)].setdefault(mention.name, mention)
    written = {
        m.text
        for m in mentions
        if m.kind != "person" and m.text.isupper() and 1 < len(m.text) <= 6 and m.name == m.text
    }
    return {w: next(iter(owners[w].values())) for w in written if len(owners.get(w, {})) == 1}


def _initials_of(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _SMALL_WORDS]
    return "".join(w[0] for w in words if w[0].isupper())


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
    by_first: dict[tuple[str, ...], list[Mention]] = field(
        default_factory=lambda: defaultdict(list)
    )
    candidates: dict[
        tuple[tuple[str, ...], str | None, str | None], tuple[list[Mention], list[str]]
    ] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)  # full name's start -> title before it

    @classmethod
    def of(cls, mentions: list[Mention], text: str = "") -> _FullNames:
        names = cls()
        for mention in mentions:
            if mention.kind == "person" and len(mention.name.split()) > 1:
                names.people.append(mention)
                title = _title_before(text[max(0, mention.start - _TITLE_REACH) : mention.start])
                if title:
                    names.titles[mention.start] = title
                words = _folded_words(mention.name)
                for short in _short_forms(words):
                    names.by_short[short].append(mention)
                if len(words[0]) > 2 and words[0] not in HONORIFICS:
                    names.by_first[words[:1]].append(mention)
        return names

    def surnames(self) -> set[str]:
        """The last words of the full names as written ("Assad" for "Bashar al-Assad" too)."""
        found = set()
        for mention in self.people:
            words = [w for w in mention.name.split() if fold(w) not in _SUFFIXES]
            last = words[-1] if words else mention.name.split()[-1]
            found.add(last)
            particle, _, rest = last.partition("-")
            if rest and particle.lower() in _PARTICLES:
                found.add(rest)
        return found

    def shortens(self, name: str) -> bool:
        return _folded_words(name) in self.by_short

    def lengthen(self, mention: Mention, before: str = "") -> Mention:
        """The mention named by the full name it shortens: of those named before it, the one
        named most often so far (the nearest on a tie), else the first after it; unchanged
        when it shortens none. ``before`` is the text just before the mention, where an
        honorific may stand ("Mrs. Clinton" is no Bill Clinton)."""
        words = _folded_words(mention.name)
        honorific = words[0] if words and words[0] in HONORIFICS else _honorific(before)
        words = words[1:] if words and words[0] in HONORIFICS else words
        if not words:
            return mention
        title = _title_before(before)  # "Governor Scott" is the Scott titled governor
        matches, leaders = self._candidates(words, _GENDERS.get(honorific or ""), title)
        at = bisect_left(matches, mention.start, key=lambda m: m.start)
        if at:
            return _renamed(mention, leaders[at - 1])
        after = (f for f in matches[at : at + 2] if f is not mention)
        first_after = next(after, None)
        return _renamed(mention, first_after.name) if first_after else mention

    def _candidates(
        self, words: tuple[str, ...], gender: str | None, title: str | None = None
    ) -> tuple[list[Mention], list[str]]:
        """The full names ``words`` shortens (of that gender; with that title when one of
        them was given it), and after each of them the name given most often so far: worked
        out once per short form, not per mention."""
        key = (words, gender, title)
        if key not in self.candidates:
            matches = self.by_short.get(words) or self.by_first.get(words, [])
            if gender:
                matches = [m for m in matches if gender_of_name(m.name) in {None, gender}]
            titled = [m for m in matches if title and self.titles.get(m.start) == title]
            matches = titled or matches
            self.candidates[key] = (matches, _leaders(matches))
        return self.candidates[key]


_GENDERS = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she"}
_HONORIFIC_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.? $")


_TITLE_REACH = 24  # characters before a name where its title may stand


def _title_before(before: str) -> str | None:
    """The title right before a name ("Gov.", "Sheriff", "Governor"), lower case, with
    the short and long forms made one ("gov" and "governor")."""
    words = re.findall(r"[A-Za-z]+\.?", before[-_TITLE_REACH:])
    if not words or not before[-1:].isspace():
        return None
    return title_of(words[-1])


def _honorific(before: str) -> str | None:
    found = _HONORIFIC_BEFORE.search(before)
    return found.group(1).lower() if found else None


def _leaders(mentions: list[Mention]) -> list[str]:
    """After each mention, the name given most often so far (the latest on a tie)."""
    counts: dict[str, int] = defaultdict(int)
    leaders: list[str] = []
    for mention in mentions:
        counts[mention.name] += 1
        leader = leaders[-1] if leaders else mention.name
        leaders.append(mention.name if counts[mention.name] >= counts[leader] else leader)
    return leaders


_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
_PARTICLES = frozenset(
    ["al", "el", "bin", "ibn", "abu", "van", "von", "der", "den", "de", "da", "di", "la", "le",
     "du", "del", "dos", "das", "des"]
)  # fmt: skip


def _short_forms(full: tuple[str, ...]) -> set[tuple[str, ...]]:
    """What shortens ``full``: each strict tail (surname), and first and last name; with
    a suffix ("Jr.") also the same without it."""
    if len(full) > MAX_NAME_WORDS:
        return set()
    forms = {full[start:] for start in range(1, len(full))}
    if len(full) > 2:
        forms.add((full[0], full[-1]))
    if len(full) > 2 and full[-1] in _SUFFIXES:
        forms |= _short_forms(full[:-1]) | {full[:-1]}
    return forms


def _without_epithets(mentions: list[Mention]) -> list[Mention]:
    """A person's name with one more word before a full name the article also gives takes
    that name ("Crooked Hillary Clinton" -> "Hillary Clinton")."""
    people = {m.name for m in mentions if m.kind == "person" and " " in m.name}
    out = []
    for mention in mentions:
        rest = mention.name.partition(" ")[2]
        plain = mention.kind == "person" and " " in rest and rest in people
        out.append(_renamed(mention, rest) if plain and not _is_particle(rest) else mention)
    return out


def _is_particle(name: str) -> bool:
    """Whether a name starts with a particle or an initial ("bin Salman", "W. Bush")."""
    first = fold(name.split()[0])
    return first in _PARTICLES or len(first) == 1


def _full_person_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Short person names take the full name they shorten (see :meth:`_FullNames.lengthen`);
    full names that shorten a longer one first ("Donald Trump" -> "Donald J. Trump"), so
    that one person counts once when a surname chooses between people."""
    first = _FullNames.of(mentions, text)
    mentions = [first.lengthen(m) if m.kind == "person" and " " in m.name else m for m in mentions]
    full = _FullNames.of(mentions, text)
    surnames = full.surnames()
    lone_people = {m.text for m in mentions if m.kind == "person" and " " not in m.text}
    out: list[Mention] = []
    for mention in mentions:
        if mention.kind != "person" and _is_short_name(mention, full, surnames, lone_people):
            # "Brandvold had set the tone": a surname the model took for a place or body
            mention = Mention(mention.start, mention.end, mention.text, "person", mention.text)
        if mention.kind == "person":
            mention = full.lengthen(
                mention, text[max(0, mention.start - _TITLE_REACH) : mention.start]
            )
        out.append(mention)
    return out


def _is_short_name(
    mention: Mention, full: _FullNames, surnames: set[str], lone_people: set[str]
) -> bool:
    """A place or body written as a person's surname; a body written as a short form of a
    person's name, in any case ("Al Assad", "FALLIN"), or as a person's one-word name."""
    if mention.text in surnames or (" " in mention.text and full.shortens(mention.text)):
        return True  # "Le Pen", tagged a place
    if mention.kind not in {"organisation", "group"} or is_known_organisation(mention.text):
        return False
    return mention.text in lone_people or full.shortens(mention.text)


def _missed_surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names of the article's people that spaCy did not tag ("Dovlan's government"), also in
    capitals ("PENCE:"), and other names it tagged elsewhere in the article."""
    full = _FullNames.of(mentions, text)
    taken = SpanSet((m.start, m.end) for m in mentions)
    surnames = full.surnames()
    tagged = {w: m for w, m in _tagged_names(text, mentions).items() if w not in surnames}
    words = surnames | {w.upper() for w in surnames if len(w) > 2} | set(tagged)
    found: list[Mention] = []
    for start, end, word in _occurrences(text, words):
        if taken.overlaps(start, end):
            continue
        if word in tagged:
            found.append(Mention(start, end, word, tagged[word].kind, tagged[word].name))
            continue
        mention = full.lengthen(
            Mention(start, end, word, "person", word), text[max(0, start - _TITLE_REACH) : start]
        )
        if mention.name != word:
            found.append(mention)
    return found


def _tagged_names(text: str, mentions: list[Mention]) -> dict[str, Mention]:
    """Names of people, bodies and places the article has tagged somewhere, as written, and
    the known organisations ("Facebook"), to be found where the tagger missed them. A name
    of one word must be capitalised and no common word of the article ("Will" and "will")."""
    tagged = {name: Mention(0, 0, name, "organisation", name) for name in KNOWN_ORGANISATIONS}
    for mention in mentions:
        written = mention.text
        if mention.kind == "group" or not written[:1].isupper() or len(written) < 3:
            continue
        if mention.kind == "person" and mention.name != written:
            continue  # a short form of a full name: lengthened where it stands
        tagged.setdefault(written, mention)
    single = {w.lower() for w in tagged if " " not in w}
    common = single.intersection(_WORD_RUN.findall(text))
    return {w: m for w, m in tagged.items() if w.lower() not in common}


_WORD_RUN = re.compile(r"\w+")


def _occurrences(text: str, words: set[str]) -> list[tuple[int, int, str]]:
    """Where each of ``words`` occurs as a whole word, as ``\\bword\\b`` finds it: one pass
    over the text's word runs, each looked up by itself and with the run after it, not one
    search of the whole text per word."""
    by_key: dict[str, list[str]] = defaultdict(list)
    found: list[tuple[int, int, str]] = []
    for word in sorted(words):  # not set order: it changes with each process's hash seed
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
    """``name_key(name).split()``, computed once per name."""
    return tuple(name_key(name).split())


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
    text = text_of(doc)
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
