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
    by_token = _mention_of_tokens(doc, mentions)
    actions: list[Action] = []
    for token in doc:
        if token.pos_ not in {"VERB", "AUX"} or token.lemma_ in _SPEECH:
            continue
        action = _action(token, by_token)
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


def _action(verb: Token, by_token: dict[int, Mention]) -> Action | None:
    source, target = _participants(verb, by_token)
    event_type = _event_type(verb)
    if source is None or (target is not None and target.name == source.name):
        return None
    if target is None and event_type is None:
        return None  # "TASS reported": no one acted on, nothing typed
    sentence = verb.sent
    return Action(
        start=sentence.start_char,
        end=sentence.end_char,
        source=source.name,
        verb=verb.lemma_.lower(),
        target=target.name if target else None,
        negated=any(child.dep_ == "neg" for child in verb.children),
        event_type=event_type,
        verb_start=verb.idx,
        verb_end=verb.idx + len(verb.text),
    )


def _participants(
    verb: Token, by_token: dict[int, Mention]
) -> tuple[Mention | None, Mention | None]:
    children = list(verb.children)
    passive = any(child.dep_ == "nsubjpass" for child in children)
    if passive:
        agent = next((c for c in children if c.dep_ == "agent"), None)
        source = _first_actor(_objects_of(agent), by_token) if agent is not None else None
        target = _first_actor([c for c in children if c.dep_ == "nsubjpass"], by_token)
        return source, target
    source = _first_actor(_subjects(verb), by_token)
    direct = [c for c in children if c.dep_ in _OBJECTS]
    via = [g for c in children if c.dep_ in {"prep", "prt"} for g in _objects_of(c)]
    return source, _first_actor(direct + via, by_token)


def _subjects(verb: Token) -> list[Token]:
    """The verb's subject, or the subject of the verb it is conjoined to."""
    own = [c for c in verb.children if c.dep_ in _SUBJECTS]
    if own or verb.dep_ not in {"conj", "xcomp"}:
        return own
    head = list(verb.head.children)
    if verb.dep_ == "xcomp":  # "France urged Iran to free ...": Iran frees
        objects = [c for c in head if c.dep_ == "dobj"]
        if objects:
            return objects
    return [c for c in head if c.dep_ in _SUBJECTS]


def _objects_of(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ in {"pobj", "dobj"}]


def _first_actor(tokens: list[Token], by_token: dict[int, Mention]) -> Mention | None:
    """The actor a noun phrase names: the phrase head's mention, or a compound's."""
    for token in tokens:
        for candidate in (token, *token.children):
            mention = by_token.get(candidate.i)
            if mention is not None:
                return mention
        for conjunct in token.conjuncts:
            mention = by_token.get(conjunct.i)
            if mention is not None:
                return mention
    return None


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
