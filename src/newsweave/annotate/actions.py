"""Who did what to whom: subject-verb-object triples between actors, with PLOVER types.

A verb whose subject is an actor mention makes an action; its direct object, dative,
or the object of a following preposition ("withdrew from Syria", "met with Merkel") is the
target when that is an actor too. In the passive ("was attacked by X") the agent is the
source. A ``not``/``never`` on the verb marks it negated. The verb's lemma picks the PLOVER
event type from a small lexicon; verbs outside it keep ``event_type`` None.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from newsweave.annotate.model import Action, Mention
from newsweave.annotate.spans import sentences_of

PLOVER_TYPES: dict[str, tuple[str, ...]] = {
    "AGREE": ("agree", "sign", "accept", "approve", "ratify", "settle"),
    "CONSULT": ("meet", "talk", "discuss", "visit", "host", "negotiate", "consult", "phone"),
    "SUPPORT": (
        "support",
        "praise",
        "back",
        "welcome",
        "endorse",
        "commend",
        "applaud",
        "thank",
        "congratulate",
        "defend",
    ),
    "CONCEDE": (
        "concede",
        "apologize",
        "apologise",
        "yield",
        "compromise",
        "ease",
        "lift",
        "release",
        "pardon",
    ),
    "COOPERATE": ("cooperate", "collaborate", "partner", "coordinate", "ally"),
    "AID": ("aid", "help", "assist", "donate", "supply", "fund", "rescue", "shelter", "provide"),
    "RETREAT": ("withdraw", "retreat", "pull", "leave", "exit", "surrender", "disband"),
    "REQUEST": ("ask", "request", "urge", "appeal", "seek", "invite", "plead", "call"),
    "ACCUSE": (
        "accuse",
        "blame",
        "condemn",
        "criticize",
        "criticise",
        "denounce",
        "charge",
        "allege",
        "slam",
        "fault",
    ),
    "REJECT": ("reject", "refuse", "deny", "dismiss", "veto", "oppose", "decline", "rebuff"),
    "THREATEN": ("threaten", "warn", "menace"),
    "PROTEST": ("protest", "demonstrate", "march", "rally", "picket", "boycott"),
    "SANCTION": (
        "sanction",
        "expel",
        "suspend",
        "ban",
        "embargo",
        "freeze",
        "penalize",
        "penalise",
        "fine",
    ),
    "MOBILIZE": ("mobilize", "mobilise", "deploy", "mass", "station"),
    "COERCE": (
        "arrest",
        "detain",
        "seize",
        "raid",
        "deport",
        "jail",
        "imprison",
        "confiscate",
        "censor",
        "blockade",
        "kidnap",
        "abduct",
        "expropriate",
    ),
    "ASSAULT": (
        "attack",
        "bomb",
        "strike",
        "shell",
        "kill",
        "shoot",
        "invade",
        "assault",
        "ambush",
        "storm",
        "wound",
        "target",
        "execute",
        "behead",
    ),
}
EVENT_TYPE_OF = {verb: kind for kind, verbs in PLOVER_TYPES.items() for verb in verbs}
_SUBJECTS = frozenset({"nsubj"})
_OBJECTS = frozenset({"dobj", "dative", "attr"})
_SPEECH = frozenset({"say", "tell", "add", "note", "write", "tweet", "state", "explain"})


def find_actions(doc: Doc, mentions: Sequence[Mention]) -> list[Action]:
    """Actions of ``doc`` whose source is an actor mention, in text order."""
    actors = _Actors(_mention_of_tokens(doc, mentions))
    actions: list[Action] = []
    for token in doc:
        if token.pos_ not in {"VERB", "AUX"} or token.lemma_ in _SPEECH:
            continue
        action = _action(token, actors)
        if action is not None:
            actions.append(action)
    return actions


def _mention_of_tokens(doc: Doc, mentions: Sequence[Mention]) -> dict[int, Mention]:
    found: dict[int, Mention] = {}
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            found.setdefault(token.i, mention)
    return found


class _Actors:
    """The actor each token names, with what the search for one learns kept per token: a
    verb conjoined to thousands of others must not walk its head's children each time."""

    def __init__(self, by_token: dict[int, Mention]) -> None:
        self.by_token = by_token
        self._named: dict[int, Mention | None] = {}
        self._children: dict[tuple[int, frozenset[str] | None], list[Token]] = {}

    def children(self, token: Token, deps: frozenset[str] | set[str] | None = None) -> list[Token]:
        """The token's children (those with one of ``deps``), listed once per token."""
        key = (token.i, frozenset(deps) if deps is not None else None)
        if key not in self._children:
            every = self._children.setdefault((token.i, None), list(token.children))
            self._children[key] = [c for c in every if deps is None or c.dep_ in deps]
        return self._children[key]

    def named_by(self, token: Token) -> Mention | None:
        """The actor a noun phrase names: the phrase head's mention, or a compound's."""
        if token.i not in self._named:
            self._named[token.i] = self._find(token)
        return self._named[token.i]

    def _find(self, token: Token) -> Mention | None:
        for candidate in (token, *self.children(token)):
            mention = self.by_token.get(candidate.i)
            if mention is not None:
                return mention
        for conjunct in token.conjuncts:
            mention = self.by_token.get(conjunct.i)
            if mention is not None:
                return mention
        return None

    def first(self, tokens: list[Token]) -> Mention | None:
        return next((m for m in map(self.named_by, tokens) if m is not None), None)


def _action(verb: Token, actors: _Actors) -> Action | None:
    source, target = _participants(verb, actors)
    event_type = _event_type(verb)
    if source is None or (target is not None and target.name == source.name):
        return None
    if target is None and event_type is None:
        return None  # "TASS reported": no one acted on, nothing typed
    doc, sentences = verb.doc, sentences_of(verb.doc)
    first, last = sentences.start(verb.i), sentences.end(verb.i) - 1
    return Action(
        start=doc[first].idx,
        end=doc[last].idx + len(doc[last]),
        source=source.name,
        verb=verb.lemma_.lower(),
        target=target.name if target else None,
        negated=any(child.dep_ == "neg" for child in verb.children),
        event_type=event_type,
        verb_start=verb.idx,
        verb_end=verb.idx + len(verb.text),
    )


def _participants(verb: Token, actors: _Actors) -> tuple[Mention | None, Mention | None]:
    children = actors.children(verb)
    passive = any(child.dep_ == "nsubjpass" for child in children)
    if passive:
        agent = next((c for c in children if c.dep_ == "agent"), None)
        source = actors.first(_objects_of(agent)) if agent is not None else None
        target = actors.first([c for c in children if c.dep_ == "nsubjpass"])
        return source, target
    source = actors.first(_subjects(verb, actors))
    direct = [c for c in children if c.dep_ in _OBJECTS]
    via = [g for c in children if c.dep_ in {"prep", "prt"} for g in _objects_of(c)]
    return source, actors.first(direct + via)


def _subjects(verb: Token, actors: _Actors) -> list[Token]:
    """The verb's subject, or the subject of the verb it is conjoined to."""
    own = actors.children(verb, _SUBJECTS)
    if own or verb.dep_ not in {"conj", "xcomp"}:
        return own
    if verb.dep_ == "xcomp":  # "France urged Iran to free ...": Iran frees
        objects = actors.children(verb.head, {"dobj"})
        if objects:
            return objects
    return actors.children(verb.head, _SUBJECTS)


def _objects_of(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ in {"pobj", "dobj"}]


# "launched air strikes", "imposed sanctions", "reached a deal": the object names the act
NOUN_TYPES: dict[str, str] = {
    **dict.fromkeys(("strike", "airstrike", "attack", "raid", "offensive", "bombing",
                     "assault", "invasion", "shelling", "missile", "rocket"), "ASSAULT"),
    **dict.fromkeys(("sanction", "embargo", "ban", "tariff", "penalty"), "SANCTION"),
    **dict.fromkeys(("deal", "agreement", "accord", "ceasefire", "truce", "treaty"), "AGREE"),
    **dict.fromkeys(("talk", "meeting", "summit", "negotiation", "call"), "CONSULT"),
    **dict.fromkeys(("threat", "ultimatum", "warning"), "THREATEN"),
    **dict.fromkeys(("aid", "assistance", "support", "loan", "weapon"), "AID"),
    **dict.fromkeys(("protest", "demonstration", "rally", "boycott"), "PROTEST"),
    **dict.fromkeys(("troop", "force", "soldier", "reservist"), "MOBILIZE"),
    **dict.fromkeys(("accusation", "allegation"), "ACCUSE"),
    **dict.fromkeys(("demand", "request", "appeal"), "REQUEST"),
}  # fmt: skip
_LIGHT_VERBS = frozenset(
    {"launch", "carry", "conduct", "impose", "reach", "sign", "hold", "issue", "make", "stage",
     "send", "mount", "announce", "deliver", "level", "fire", "start", "begin", "extend"}
)  # fmt: skip


def _event_type(verb: Token) -> str | None:
    lemma = verb.lemma_.lower()
    if lemma in _LIGHT_VERBS:
        for child in verb.children:
            if child.dep_ == "dobj" and child.lemma_.lower() in NOUN_TYPES:
                return NOUN_TYPES[child.lemma_.lower()]
    if lemma == "pull" and not any(c.lower_ in {"out", "back"} for c in verb.children):
        return None
    if lemma == "call" and not any(c.lower_ in {"on", "for"} for c in verb.children):
        return None
    return EVENT_TYPE_OF.get(lemma)
