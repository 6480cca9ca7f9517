"""The words an article uses to describe each actor it names, read from the parse.

A descriptor is a title or description in the noun phrase of a mention ("strongman Marek
Dovlan", "rebel leader Anton Reszko", "the 19-year-old suspect John Doe"), an apposition
to it ("Ruth Calloway, the union's general secretary,"), or a judging noun the name
modifies ("the Dovlan regime"). Only nouns and adjectives count, the last one a noun, so
verbs, prepositions and stray function words never become descriptors ("keep", "once
fought between", "victory over"). A descriptor inside quotation marks is the speaker's
words, not the outlet's: it is marked ``quoted``.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from newsweave.annotate.names import TITLES
from newsweave.annotation import Mention, Quote

MAX_WORDS = 4  # of a descriptor
_MODIFIERS = frozenset({"compound", "amod", "nmod", "nummod", "npadvmod"})
_CONTENT = frozenset({"NOUN", "ADJ", "PROPN", "NUM"})
_JUDGING_HEADS = frozenset({"regime", "government", "administration", "camp", "junta"})
TITLE_WORDS = frozenset(word.strip(".") for title in TITLES for word in title.lower().split())
_NOT_DESCRIPTIVE = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "madam",
        "said",
        "says",
        "told",  # honorifics
        "contact",
        "photo",
        "video",
        "copyright",
        "email",
        "follow",
        "share",
        "watch",
        "read",
    }
)  # fmt: skip (page furniture words before a byline name)


def describe(doc: Doc, mentions: list[Mention], quotes: list[Quote]) -> list[Mention]:
    """The mentions, each with its descriptor (when it has one) and whether it is quoted."""
    quoted = [(q.start, q.end) for q in quotes if q.kind == "direct"]
    found: list[Mention] = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        words = _descriptor(span) if span is not None and mention.kind != "place" else None
        if words is None:
            found.append(mention)
            continue
        text, start, predicate = words
        inside = any(a <= start < b for a, b in quoted)
        if predicate and not inside:  # "X was the owner": a statement, not how it is named
            found.append(mention)
            continue
        found.append(replace(mention, descriptor=text, descriptor_quoted=inside))
    return found


def _descriptor(span: Span) -> tuple[str, int, bool] | None:
    """The mention's descriptor, where it starts and whether a copula gives it; None when
    it has none."""
    head = span.root
    readings = (_before(span), _apposition(head), _judged(head), _predicate(head))
    for number, tokens in enumerate(readings):
        kept = _descriptive(tokens)
        if kept:
            text = span.doc.text[kept[0].idx : kept[-1].idx + len(kept[-1])]
            return " ".join(text.lower().split()), kept[0].idx, number == len(readings) - 1
    return None


def _before(span: Span) -> list[Token]:
    """The run of title and description words right before the name, in its sentence:
    "rebel leader", "the 19-year-old suspect", "Russian President"."""
    doc, found = span.doc, list[Token]()
    for i in range(span.start - 1, max(span.sent.start, span.start - 2 * MAX_WORDS) - 1, -1):
        token = doc[i]
        joined = token.text == "-" and not token.whitespace_ and i > 0
        if not (joined or _describing(token)):
            break
        found.insert(0, token)
    while found and found[0].text == "-":
        found.pop(0)
    return found


def _describing(token: Token) -> bool:
    """A word that may be part of a description before a name."""
    if token.pos_ in ("NOUN", "ADJ", "NUM"):
        return True
    opening = bool(token.is_sent_start) and not token.ent_type_  # "Strongman Marek Dovlan"
    return token.pos_ == "PROPN" and (token.lower_ in TITLE_WORDS or opening)


def _apposition(head: Token) -> list[Token]:
    """ ", the union's general secretary,": the apposition's head and its modifiers."""
    for child in head.rights:
        if child.dep_ == "appos":
            modifiers = [t for t in child.lefts if t.dep_ in _MODIFIERS]
            return [*modifiers, child][-MAX_WORDS:]
    return []


def _judged(head: Token) -> list[Token]:
    """ "the Dovlan regime": a judging noun the name modifies."""
    if head.dep_ == "compound" and head.head.lower_ in _JUDGING_HEADS:
        return [head.head]
    return []


def _predicate(head: Token) -> list[Token]:
    """ "Dovlan is a tyrant": the noun a copula gives the name as its subject."""
    verb = head.head
    if head.dep_ != "nsubj" or verb.lemma_ != "be":
        return []
    for child in verb.rights:
        if child.dep_ == "attr" and child.pos_ == "NOUN":
            modifiers = [t for t in child.lefts if t.dep_ in _MODIFIERS]
            return [*modifiers, child][-MAX_WORDS:]
    return []


def _descriptive(tokens: list[Token]) -> list[Token]:
    """The tokens when they describe: content words (and hyphens inside them) only, the
    last a noun or a title."""
    last = tokens[-1] if tokens else None
    if last is None or not (last.pos_ in ("NOUN", "PROPN") and _title_or_noun(last)):
        return []
    if last.lower_.strip(".") in _NOT_DESCRIPTIVE:
        return []
    for n, token in enumerate(tokens):
        in_compound = _hyphened(tokens, n)  # "19-year-old": numbers and dates are an age
        if token.text == "-" or in_compound:
            continue
        if token.pos_ not in _CONTENT or token.lower_.strip(".") in _NOT_DESCRIPTIVE:
            return []
        if not token.is_alpha or token.pos_ == "NUM" or token.ent_type_ in ("DATE", "TIME"):
            return []
    return tokens


def _hyphened(tokens: list[Token], n: int) -> bool:
    """Whether the token is joined by hyphens to its neighbours ("19-year-old")."""
    before = n > 0 and tokens[n - 1].text == "-" and not tokens[n - 1].whitespace_
    after = n + 1 < len(tokens) and tokens[n + 1].text == "-" and not tokens[n].whitespace_
    return before or after


def _title_or_noun(token: Token) -> bool:
    return token.pos_ == "NOUN" or token.lower_ in TITLE_WORDS or bool(token.is_sent_start)
