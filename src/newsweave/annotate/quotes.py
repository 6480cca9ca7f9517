"""Direct and indirect quotes in an article body, and who said them.

``find_quotes(doc, mentions)`` takes the parsed body (spaCy ``Doc``; paragraphs split by
newlines) and the actor mentions found in it, and returns ``Quote`` records sorted by start.

Direct quotes: pairing the marks
    Marks are paired by a character scanner over each paragraph, not by the tokenizer.
    Pairs: “…”, „…“, „…”, ‘…’, ‚…‘, «…», »…«, ‹…›, "…", '…', and ”…” (Swedish, or a
    mistyped opener); a curly and a straight double mark close each other (“…" and "…”,
    as hasty typing mixes them). A mark opens when it is left-flanking (text after it, space
    or an opening bracket/dash/mark before it) and closes when it is right-flanking; „ and «
    always open, “ opens unless it closes „. ’ is an apostrophe between letters ("Putin’s",
    "don’t"), before digits ("the ’90s") and whenever no single quote is open; after "s"
    ("soldiers’ families") it is taken as an apostrophe when a later ’ in the paragraph can
    close the quote instead. Elisions (‘90s, 'em, 'n', 'til) never open. A straight ' opens
    only where clearly a quote: after a space, bracket or mark, with a closing ' later in
    the same paragraph.
    Nested quotes stay inside the outer one and are not reported. A mark left open at the end
    of a paragraph continues the quote when the next paragraph opens with the same mark (the
    news convention); otherwise it is dropped, and quotes closed inside it are reported.
    For the parse, the tokenizer splits a mark glued to a word ("said,“Look"), so that the
    cue before it is still a verb (:mod:`newsweave.annotate.breaks`).

Direct quotes: spans and text
    ``start``/``end`` span the quoted words without the marks (and without edge spaces). A
    quote over several paragraphs is one ``Quote`` whose ``text`` joins the paragraphs with
    one space. A quote broken by its attribution (“Part one,” he said, “part two.”) is one
    ``Quote`` whose ``parts`` are the fragments as written and whose ``text`` shows them with
    " … " between them ("Part one, … part two."). Parts are joined only when the text between
    them is a short attribution (at most 12 words, with a cue) that does not end the
    sentence, or ends it before a last fragment that ends its own; “A,” she said. “B,” he
    said. stays two quotes. Two apostrophes or backticks used as a double mark (''so'') are
    one mark.

Direct quotes: dropped fragments
    A quote of fewer than 3 words without an adjacent cue (“Never,” he said / called it
    “unacceptable”) is a scare quote and dropped; so is anything right after "so-called",
    "dubbed", "titled", ..., and a Title Case phrase without punctuation or cue (a title).

Partial quotes
    Words quoted inside a statement the article reports ("Ryan worried that the safety net
    was becoming “a hammock”", "Trump accused the audience of being “donors”") make one
    ``partial`` quote: the statement, from the outermost verb with a subject above the quoted
    words (its complement, or its object and what follows), with the quoted words as
    ``parts`` and the verb's subject as speaker. Quoted words that are the whole statement
    (Some chanted “USA! USA!”), or that open with a capital and hold a clause of their own,
    stay direct.

Speakers
    A cue is a speech verb (said, told, added, interjected, tweeted, ...), "as X put it",
    "issued a statement", "according to", or a phrase like "in a statement". Search order:
    the interrupting text of a broken quote; the rest of the sentence after the quote, to the
    end of its first clause with a verb (unless the quote ends with a period), where a short
    clause right after a quote ending in a comma, "?" or "!" frames it whatever its verb
    (“…,” an angry Hollande retaliated); the sentence before it (the cue nearest the quote;
    the cue the quote hangs from in the parse wins in both), or a lead ending in a colon (its
    verb's subject, else the actor or description it names; a verbless lead such as "For
    example:" yields to a named cue after the quote); the verb with a subject that governs
    words quoted inside a sentence (not past the quote's paragraph); then, in the same
    paragraph, a main-clause cue whose speaker is a known actor. A quote whose cue names no
    one takes the speaker of the quote before it in its paragraph, else of a cue elsewhere in
    the paragraph; a paragraph that is only a quote takes the name it is signed with on the
    next line ("- Sanders."), else the speaker of the quote that ends the paragraph just
    before (unless another person is named in between), else of that paragraph's last
    main-clause cue (span and cue None).
    The speaker words are the agent of a passive cue ("was asked by host Bill Maher"), else
    the cue's nsubj (the nearest of two; a relative "who" goes to its noun; one hung from an
    aside before the cue, "Clinton, exasperated, responded"), else the nominal right after
    the cue ("said Putin", a capitalised word the tagger missed: "said Skelly,"), or the
    object of "according to". Where the parse gives the cue none, the actor named right
    before the cue with only commas between ("Jake Sullivan, said:"), or right after the
    quote ("…,” Ramos, 58, told AFP"). ``speaker`` is the ``name`` of the mention over that
    word (or over its apposition, "the mayor, John Smith", or an organisation/group
    compound, "Kremlin spokesman"); a description with no actor gives the description itself
    with the words that say who ("a police spokesman", "a person close to the Clintons",
    "Sixty-six percent"). He/she resolve to the nearer of the last quote's speaker (named in
    the same paragraph or the two before) and the nearest main-clause subject among earlier
    person mentions outside quotes in the same or the previous paragraph; else the nearest
    subject, else the nearest mention; people whose honorific (Mr, Ms, ...), role word or
    common given name gives the other gender are skipped. "They" after a plural subject of
    people in the sentence before is those people; they/it otherwise resolve to
    organisations and groups. The span is then the pronoun.

Indirect speech
    A speech verb, or a verb of knowing and believing (think, believe, show, find, ...), with
    a clausal complement (dep ``ccomp``) and a speaker: the span is the complement clause
    without "that" and without final punctuation, within one paragraph. A verb of saying,
    backing or asking (accuse, endorse, deny, call for, ...) with no clause reports its
    object and complements ("accused Trump of lying"), time phrases left out. "According to
    <X>, <clause>" and "<clause>, according to <X>" count too. Verbs inside direct quotes,
    statements overlapping a direct quote, and statements inside another indirect quote are
    skipped.

Known limits: "they" means several people only after a plural subject in the sentence
before; the parse decides indirect clauses and objects, so odd parses miss or truncate them;
names the entity recogniser misses cannot speak unless a rule above finds them; an unclosed
mark drops its quote.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, takewhile

from spacy.attrs import IDX, LEMMA, POS
from spacy.parts_of_speech import VERB
from spacy.tokens import Doc, Token

from newsweave.annotate.doctext import text_of
from newsweave.annotate.genders import gender_of_name
from newsweave.annotate.marks import MARKS, Segment, paragraphs, quote_segments, trim
from newsweave.annotate.names import title_of
from newsweave.annotate.spans import SpanSet, sentences_of
from newsweave.annotation import FRAGMENT_GAP, Mention, Quote

# Speech verbs (lemmas) that attribute a direct quote.
_CUE_LEMMAS = frozenset({
    "say", "tell", "add", "note", "write", "tweet", "post", "state", "explain", "insist", "warn",
    "claim", "declare", "argue", "ask", "reply", "respond", "answer", "continue", "recall",
    "announce", "confirm", "deny", "admit", "acknowledge", "concede", "stress", "emphasise",
    "emphasize", "suggest", "assert", "allege", "maintain", "comment", "remark", "observe",
    "conclude", "predict", "promise", "pledge", "vow", "urge", "complain", "reiterate", "repeat",
    "quip", "joke", "shout", "yell", "scream", "whisper", "mutter", "exclaim", "report",
    "testify", "retort", "counter", "exhort", "interject", "chime", "sing", "recount", "muse",
    "scoff", "plead", "boast", "brag", "lament", "gush", "sigh", "rail", "thunder", "proclaim",
    "caution", "advise", "reason", "wonder", "opine", "summarize", "summarise",
})  # fmt: skip
# Verbs that attribute a quoted fragment placed after them ("called the move “...”").
_EVALUATIVE_LEMMAS = frozenset({"call", "describe", "brand", "label", "term"})
# Speech verbs whose clausal complement is reported (indirect) speech.
_INDIRECT_LEMMAS = _CUE_LEMMAS - {
    "ask", "answer", "continue", "urge", "shout", "yell", "scream", "whisper", "mutter",
    "quip", "joke", "exclaim", "comment", "remark",
}  # fmt: skip
# Verbs of knowing, believing and showing, whose clausal complement is attributed too
# ("Sanders believes the system is rigged", "polls show Clinton ahead").
_BELIEF_LEMMAS = frozenset({
    "think", "believe", "know", "hope", "worry", "fear", "expect", "feel", "agree", "reveal",
    "show", "indicate", "find", "estimate", "signal", "contend", "charge", "caution", "hint",
    "imply", "recommend", "propose", "demand", "question", "doubt", "wonder", "learn", "hear",
    "understand", "realize", "realise", "recognize", "recognise", "disclose", "assure",
    "remind", "inform", "boast", "brag", "lament", "speculate", "guess", "assume", "reckon",
    "decide", "determine", "point", "mention", "suspect", "acknowledge", "accept",
    "demonstrate", "suggest", "imagine", "envision", "pretend", "swear",
    "forecast", "project", "calculate", "figure", "conclude", "discover", "notice", "see",
    "rule", "order", "instruct", "advise", "warn",
})  # fmt: skip
# Verbs whose object is what someone said, stood for or asked for ("accused Trump of
# lying", "endorsed Clinton", "called for a ban"): the object and its complements are the
# attributed content.
_OBJECT_LEMMAS = frozenset({
    "accuse", "decry", "echo", "criticize", "criticise", "condemn", "praise", "blame", "deny",
    "announce", "confirm", "cite", "endorse", "support", "oppose", "reject", "propose",
    "demand", "urge", "defend", "dismiss", "attack", "slam", "blast", "question", "welcome",
    "applaud", "describe", "portray", "characterize", "characterise", "label", "brand",
    "promise", "vow", "pledge", "threaten", "request", "recommend", "advocate", "predict",
    "acknowledge", "admit", "concede", "dispute", "challenge", "mock", "ridicule", "hail",
    "tout", "champion", "back", "rebuke", "denounce", "lambaste", "chide", "scold", "thank",
    "congratulate", "apologize", "apologise", "disavow", "repudiate", "highlight",
    "emphasize", "emphasise", "stress", "mention", "discuss", "address", "suggest",
    "claim", "report", "reveal", "unveil", "outline", "offer", "seek", "want",
    "favor", "favour", "prefer", "call", "ask", "warn", "refuse", "decline", "admire",
    "intend", "plan", "agree",
})  # fmt: skip
_QUESTION_LEMMAS = frozenset({"ask", "wonder", "inquire", "enquire"})  # asked whether …
_REPORTING_LEMMAS = _INDIRECT_LEMMAS | _BELIEF_LEMMAS | _QUESTION_LEMMAS
_DATELINE = re.compile(r"[A-Z][A-Z.'’ -]+,?(?: [A-Z][a-z]+\.?)*(?: \([^)\n]{1,40}\))? ?[—–-]+ ?")
_COLON_LEAD = re.compile(r"[ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3}):[ \t]+(?=\S)")
# Labels that open a paragraph with a colon and name no speaker.
_NOT_SPEAKER_LABELS = frozenset({
    "source", "sources", "note", "update", "updated", "photo", "photos", "related", "video",
    "contributing", "correction", "watch", "read", "read more", "follow", "tags", "share",
    "q", "a", "image", "caption", "credit", "subscribe", "editor's note", "editor’s note",
    "warning", "breaking", "exclusive", "opinion", "analysis", "live", "more", "also",
    "location", "when", "where", "what", "who", "why", "how", "date", "time", "title",
    "by", "via", "topics", "category", "filed under", "previously", "background",
})  # fmt: skip
_ACCORDING = re.compile(r"\baccording\b", re.IGNORECASE)
# Cue phrases with no verb: "in a statement", "in an interview", ...
_CUE_NOUNS = frozenset({"statement", "interview", "tweet", "post", "letter", "email", "speech"})
_ISSUE_LEMMAS = frozenset({"issue", "release", "send", "give", "deliver", "publish", "post"})

_TERMINATORS = frozenset({".", "!", "?", "…", "...", ";"})
_LEAD_STOPS = _TERMINATORS | {"-", "–", "—"}  # "… for Republicans - Philip Bump: “…”"
MAX_CLAUSE_TOKENS = 200  # longer complement clauses are no indirect quotes
_SCARE_PREFIX = re.compile(
    r"(so-called|so called|dubbed|titled|entitled|nicknamed|known as|the words?|the term|"
    r"the phrase|the slogan|the hashtag|codenamed|code-named)\s*$",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with",
})  # fmt: skip
# Honorifics and role nouns that give a person's gender ("Ms Berg", "spokeswoman Anna Berg").
_MALE_WORDS = frozenset({
    "mr", "sir", "lord", "king", "prince", "duke", "father", "husband", "brother", "son", "uncle",
    "grandfather", "nephew", "spokesman", "chairman", "congressman", "businessman", "actor",
    "boyfriend",
})  # fmt: skip
_FEMALE_WORDS = frozenset({
    "mrs", "ms", "miss", "dame", "lady", "queen", "princess", "duchess", "mother", "wife",
    "sister", "daughter", "aunt", "grandmother", "niece", "spokeswoman", "chairwoman",
    "congresswoman", "businesswoman", "actress", "girlfriend", "madam",
})  # fmt: skip
_GENDER_WORDS = dict.fromkeys(_MALE_WORDS, "he") | dict.fromkeys(_FEMALE_WORDS, "she")
_PRONOUN_KINDS = {
    "he": ("person",), "she": ("person",), "they": ("organisation", "group"),
    "it": ("organisation",),
}  # fmt: skip
_MAX_GAP_WORDS = 12
_COMPLEMENTS = frozenset({"dobj", "dative", "prep", "oprd", "xcomp", "acomp", "pcomp"})
_TITLE_GAP = 4  # characters between a title and the name after it: "Sgt. Marisa"
_MAX_DESCRIPTION_WORDS = 14  # a longer speaker phrase is a parse gone astray
_MIN_WORDS = 3
_MIN_UNQUOTED_WORDS = 2  # words of a reported statement outside its quoted part
MAX_LOOKBACK = 64  # earlier mentions a pronoun weighs as the subject it stands for
MAX_FRAME_TOKENS = 8  # a clause after a quote that frames it: “…,” an angry Hollande replied
MAX_GOVERNING_STEPS = 6  # heads climbed from a quote to the verb that governs it
MAX_PARAGRAPH_CUES = 32  # cue verbs of a paragraph tried for a quote without a speaker


# --- context: tokens, paragraphs, mentions -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Attribution:
    cue: str
    cue_end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    linked: bool = False  # the quote hangs from this cue in the parse


@dataclass(slots=True)
class _Region:
    """One direct quote: one segment, or several joined across an interrupting attribution."""

    segments: list[Segment]
    gap: _Attribution | None = None

    @property
    def open_at(self) -> int:
        return self.segments[0].open_at

    @property
    def close_at(self) -> int:
        return self.segments[-1].close_at

    @property
    def pieces(self) -> list[tuple[int, int]]:
        return [piece for segment in self.segments for piece in segment.pieces]


class _Context:
    """The doc with lookups by character offset."""

    def __init__(
        self, doc: Doc, text: str, mentions: Sequence[Mention], segments: list[Segment]
    ) -> None:
        self.doc = doc
        self.text = text  # doc.text, which spaCy rebuilds from the tokens on every read
        self.starts: list[int] = doc.to_array(IDX).tolist()
        self._verbs: dict[frozenset[str], list[Token]] = {}
        self._verb_lemmas: list[tuple[int, int]] | None = None
        self.paras = paragraphs(self.text)
        self.para_starts = [start for start, _ in self.paras]
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.mention_starts = [m.start for m in self.mentions]
        self.mention_reach = list(accumulate((m.end for m in self.mentions), max))
        self.people = {m.name for m in self.mentions if m.kind == "person"}
        self.kinds = {m.name: m.kind for m in self.mentions}
        self.speakers: list[Mention] = []  # who spoke the quotes so far, where named
        self.quoted = [(seg.open_at, seg.close_at) for seg in segments]
        self._candidates: dict[str, tuple[list[Mention], list[int]]] = {}
        self._cue_verbs: dict[tuple[int, int], list[Token]] = {}
        self.gender = self._genders()
        # one-word names the article also uses for a place or body ("Kyiv said ...")
        self.not_people = {
            m.name for m in self.mentions if m.kind != "person" and len(m.name.split()) == 1
        }

    def _genders(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for mention in self.mentions:
            before = re.search(
                r"(\w+)\.?\s+$", self.text[max(0, mention.start - 24) : mention.start]
            )
            words = [before.group(1)] if before else []
            words += re.findall(r"\w+", mention.text)[:1]
            genders = [_GENDER_WORDS[w.lower()] for w in words if w.lower() in _GENDER_WORDS]
            gender = genders[0] if genders else gender_of_name(mention.name)
            if mention.kind == "person" and gender:
                found.setdefault(mention.name, gender)
        return found

    def para_of(self, pos: int) -> int:
        return max(0, bisect_right(self.para_starts, pos) - 1)

    def para_bounds(self, pos: int) -> tuple[int, int]:
        return self.paras[self.para_of(pos)] if self.paras else (0, 0)

    def inside(self, pos: int) -> bool:
        """Whether ``pos`` lies within a direct quote, marks included."""
        n = bisect_right(self.quoted, (pos, len(self.text))) - 1
        return n >= 0 and self.quoted[n][0] <= pos <= self.quoted[n][1]

    def token_at(self, start: int) -> Token | None:
        """The token that starts at character ``start``, if one does."""
        n = bisect_left(self.starts, start)
        return self.doc[n] if n < len(self.starts) and self.starts[n] == start else None

    def tokens(self, start: int, end: int) -> list[Token]:
        """Non-space tokens lying wholly in [start, end)."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [t for t in self.doc[lo:hi] if t.idx + len(t) <= end and not t.is_space]

    def mention_over(self, start: int, end: int) -> Mention | None:
        """The mention sharing most characters with ``[start, end)`` (the first of equals)."""
        return max(
            self.mentions_over(start, end),
            key=lambda m: min(m.end, end) - max(m.start, start),
            default=None,
        )

    def mentions_over(self, start: int, end: int) -> list[Mention]:
        """The mentions sharing a character with ``[start, end)``, in order: found by
        bisection, walking back only while an earlier mention can still reach ``start``."""
        hits: list[Mention] = []
        n = bisect_left(self.mention_starts, end) - 1
        while n >= 0 and self.mention_reach[n] > start:
            if self.mentions[n].end > start:
                hits.append(self.mentions[n])
            n -= 1
        return hits[::-1]

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """The mentions starting in ``[start, end)``, in order."""
        low = bisect_left(self.mention_starts, start)
        return self.mentions[low : bisect_left(self.mention_starts, end)]

    def _head_of(self, mention: Mention) -> Token | None:
        """The word a mention's phrase hangs from the rest of its sentence by."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        root = span.root
        while root.dep_ in ("compound", "flat", "appos") and root.head is not root:
            root = root.head
        return root

    def is_subject(self, mention: Mention) -> bool:
        root = self._head_of(mention)
        return root is not None and root.dep_ in ("nsubj", "nsubjpass")

    def is_main_subject(self, mention: Mention) -> bool:
        """The subject of its sentence's main verb, not of a clause inside it."""
        root = self._head_of(mention)
        if root is None:
            return False
        verb = root.head
        while verb.dep_ == "conj" and verb.head is not verb:
            verb = verb.head
        return verb.dep_ == "ROOT"

    def resolve(self, pronoun: str, before: int) -> Mention | None:
        """The mention a subject pronoun most likely means (see module docstring): the
        nearest subject among the last ``MAX_LOOKBACK`` fitting mentions of this paragraph
        or the one before, else the nearest fitting mention."""
        candidates, starts = self._pronoun_candidates(pronoun)
        n = bisect_left(starts, before) - 1
        while n >= 0 and candidates[n].end > before:  # overlapping ``before``: not before it
            n -= 1
        near = self.para_of(before) - 1
        window = [
            m for m in candidates[max(0, n + 1 - MAX_LOOKBACK) : n + 1][::-1]
            if self.para_of(m.start) >= near and m.end <= before
        ]  # fmt: skip
        subjects = [m for m in window if self.is_subject(m)]
        main = [m for m in subjects if self.is_main_subject(m)]
        speaker = self._last_speaker(pronoun, before)
        salient = main[:1] + ([speaker] if speaker else [])
        if salient:  # the nearer of the last main subject and the last speaker
            return max(salient, key=lambda m: m.start)
        if subjects:
            return subjects[0]
        return candidates[n] if n >= 0 else None

    def said_by(self, speaker: str | None, at: int) -> None:
        """Keep a quote's speaker, named or resolved, for the pronouns after it."""
        kind = self.kinds.get(speaker or "")
        if speaker and kind is not None:
            self.speakers.append(Mention(at, at, speaker, kind, speaker))

    def _last_speaker(self, pronoun: str, before: int) -> Mention | None:
        """The speaker of the last quote before ``before`` that ``pronoun`` fits, when it
        was named in this paragraph or the two before."""
        oldest = self.para_of(before) - 2
        for spoken in reversed(self.speakers):
            if spoken.start >= before:
                continue
            if self.para_of(spoken.start) < oldest:
                return None
            if spoken.kind in _PRONOUN_KINDS[pronoun] and self._fits(spoken, pronoun):
                return spoken
        return None

    def _fits(self, mention: Mention, pronoun: str) -> bool:
        return mention.name not in self.not_people and (
            self.gender.get(mention.name, pronoun) == pronoun
        )

    def _pronoun_candidates(self, pronoun: str) -> tuple[list[Mention], list[int]]:
        """The mentions ``pronoun`` may stand for, in text order, and their starts."""
        if pronoun not in self._candidates:
            kinds = _PRONOUN_KINDS[pronoun]
            fitting = [
                m
                for m in self.mentions
                if m.kind in kinds and not self.inside(m.start) and self._fits(m, pronoun)
            ]
            self._candidates[pronoun] = fitting, [m.start for m in fitting]
        return self._candidates[pronoun]

    def verbs(self, lemmas: frozenset[str]) -> list[Token]:
        """The verbs outside direct quotes whose lemma is one of ``lemmas``, in order (found
        from the doc's arrays, without making a Token of every word)."""
        if lemmas not in self._verbs:
            strings = self.doc.vocab.strings
            wanted = {strings.add(lemma) for lemma in lemmas}
            self._verbs[lemmas] = [
                self.doc[i] for i, lemma in self._outside_verbs() if lemma in wanted
            ]
        return self._verbs[lemmas]

    def _outside_verbs(self) -> list[tuple[int, int]]:
        """(token index, lemma hash) of every verb outside direct quotes, found once."""
        if self._verb_lemmas is None:
            columns = self.doc.to_array([POS, LEMMA]).tolist()
            self._verb_lemmas = [
                (i, lemma)
                for i, (pos, lemma) in enumerate(columns)
                if pos == VERB and not self.inside(self.starts[i])
            ]
        return self._verb_lemmas

    def root_cues(self, start: int, end: int) -> list[Token]:
        """The main-clause cue verbs in ``[start, end)`` outside quotes, found once."""
        if (start, end) not in self._cue_verbs:
            self._cue_verbs[(start, end)] = [
                t
                for t in self.tokens(start, end)
                if t.dep_ == "ROOT" and _is_cue_verb(t, False) and not self.inside(t.idx)
            ]
        return self._cue_verbs[(start, end)]


# --- cues and speakers ---------------------------------------------------------------------


def _words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


def _is_cue_verb(token: Token, evaluative: bool) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ != "VERB" or token.dep_ == "amod":
        return False
    if lemma in _EVALUATIVE_LEMMAS:
        return evaluative
    return lemma in _CUE_LEMMAS or _issues_statement(token, lemma) or _puts_it(token, lemma)


def _puts_it(verb: Token, lemma: str) -> bool:
    """ "as Cornyn put it", "as one aide put it:" """
    return lemma == "put" and any(
        child.dep_ == "dobj" and child.lower_ == "it" for child in verb.children
    )


def _issues_statement(verb: Token, lemma: str) -> bool:
    """ "issued a statement", "released a letter": a cue by its object."""
    return lemma in _ISSUE_LEMMAS and any(
        child.dep_ == "dobj" and child.lemma_.lower() in _CUE_NOUNS for child in verb.children
    )


def _cue_text(verb: Token) -> str:
    for child in verb.rights:
        if child.dep_ == "prt" and child.i == verb.i + 1:
            return f"{verb.text} {child.text}"
    return str(verb.text)


def _subject(ctx: _Context, verb: Token) -> Token | None:
    """The cue's subject, climbing through conjoined and participle verbs ("adding")."""
    token = verb
    for _ in range(4):
        subjects = [
            child for child in token.children
            if not (child.is_punct or ctx.inside(child.idx))
            and (child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and token is not verb))
        ]  # fmt: skip
        subjects = subjects or _subject_of_aside(token)
        if subjects:  # the nearest of two: not "OH" in "Berea, OH, …, Gov. Kasich said"
            child = min(subjects, key=lambda s: abs(s.i - token.i))
            if token.dep_ == "relcl" and child.tag_ in ("WP", "WDT"):
                return token.head  # "Smith, who said ..."
            return child
        participle = token is verb and verb.tag_ == "VBG"  # ", writing “…”", parsed astray
        climbs = token.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep") or participle
        if not climbs or token.head is token:
            return None
        token = token.head
    return None


def _subject_of_aside(verb: Token) -> list[Token]:
    """ "Clinton, exasperated, responded": a subject the parse hung from an aside before
    the verb."""
    asides = [c for c in verb.lefts if c.dep_ in ("parataxis", "advcl") and c.pos_ == "VERB"]
    return [
        child for aside in asides for child in aside.lefts
        if child.dep_ == "nsubj" and child.pos_ in ("PROPN", "NOUN")
    ]  # fmt: skip


def _agent(verb: Token) -> Token | None:
    """Who a passive cue names with "by": "was asked by host Bill Maher"."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _inverted_subject(verb: Token, end: int) -> Token | None:
    """The nominal right after the cue: "said Putin", "asked the minister"."""
    for token in verb.doc[verb.i + 1 : verb.i + 7]:
        if token.idx >= end or token.pos_ == "CCONJ":
            return None  # not "barked and a guard led him out"
        if token.pos_ == "VERB" and token.dep_ not in ("amod", "compound"):
            return None  # but "said retired neurosurgeon Ben Carson"
        if token.pos_ not in ("PROPN", "NOUN", "PRON") and not _name_tagged_astray(token):
            continue
        if token.is_punct or token.ent_type_ in ("DATE", "TIME"):
            continue
        head = token
        while head.dep_ in ("compound", "flat") and head.head.i > head.i:
            head = head.head
        if head.dep_ in ("npadvmod", "pobj", "poss") or head.head.dep_ == "prep":
            continue
        if verb.lemma_.lower() == "tell" and head.dep_ in ("dobj", "dative"):
            continue
        return head
    return None


def _name_tagged_astray(token: Token) -> bool:
    """ "said Skelly, explaining …": a capitalised word right before a comma or the end,
    tagged as something else than a name."""
    after = token.nbor(1) if token.i + 1 < len(token.doc) else None
    ends = after is None or after.is_punct
    return ends and token.is_alpha and token.text[:1].isupper() and not token.is_stop


def _noun_phrase(head: Token) -> tuple[int, int]:
    left = head
    for child in head.lefts:
        if child.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod", "quantmod"):
            left = min(left, child.left_edge, key=lambda t: t.i)
    return left.idx, head.idx + len(head)


_Who = tuple[str | None, int | None, int | None]  # speaker name, span start, span end


def _speaker(ctx: _Context, head: Token, before: int) -> _Who:
    """Who ``head`` (the subject of a cue) names; ``before`` bounds pronoun resolution."""
    start, end = head.idx, head.idx + len(head)
    mention = ctx.mention_over(start, end)
    if mention is None and title_of(head.text) is not None:
        mention = _named_after(ctx, end)  # "said Sgt. Marisa Barnes", parsed apart
    if mention is not None:
        return mention.name, mention.start, mention.end
    if head.pos_ == "PRON":
        word = head.lower_
        if word == "they":
            group = _plural_subject(ctx, head)
            if group is not None:
                return group, start, end
        ref = ctx.resolve(word, min(start, before)) if word in _PRONOUN_KINDS else None
        return (ref.name if ref else None), start, end
    np_start, np_end = _noun_phrase(head)
    for child in head.children:
        found = ctx.mention_over(child.idx, child.idx + len(child))
        if found is None:
            continue
        if child.dep_ == "appos" and found.kind == "person":
            return found.name, found.start, found.end
        if child.dep_ == "compound" and found.kind in ("organisation", "group"):
            return found.name, np_start, np_end
    if _describes_someone_named_before(head):
        ref = ctx.resolve("he", min(start, before)) or ctx.resolve("she", min(start, before))
        if ref is not None:
            return ref.name, np_start, np_end
    return _description(ctx, head, np_start, np_end), np_start, np_end


def _plural_subject(ctx: _Context, pronoun: Token) -> str | None:
    """ "They" after a sentence whose subject is people in the plural ("Researchers at the
    university", "Two economists who studied the data"): that subject, named as written
    (or by its actor when it is a group or organisation)."""
    sentences = sentences_of(pronoun.doc)
    first = sentences.start(pronoun.i)
    if first == 0:
        return None
    previous = pronoun.doc[sentences.start(first - 1) : first]
    if "\n" in previous.text.strip():
        return None  # only the sentence just before, in the same paragraph
    for token in previous:
        if token.dep_ == "nsubj" and token.head.dep_ == "ROOT" and not ctx.inside(token.idx):
            if token.tag_ in ("NNS", "NNPS"):
                mention = ctx.mention_over(token.idx, token.idx + len(token))
                if mention is not None and mention.kind in ("group", "organisation"):
                    return mention.name
                np_start, np_end = _noun_phrase(token)
                return _description(ctx, token, np_start, _phrase_end(token, np_end))
            return None
    return None


_PHRASE_PREPOSITIONS = frozenset({"of", "at", "from", "with", "for", "to", "in", "by", "about"})
_SHORT_CLAUSE = 6  # tokens of a relative clause that still belongs to a speaker's name


def _phrase_end(head: Token, end: int) -> int:
    """A noun phrase's end with what tells who it is: an "of"/"at"/"by" phrase ("The poll by
    the Public Policy Institute"), a participle or adjective phrase ("a person close to the
    Clintons", "a poll released Sunday by ABC"), a short relative clause ("a member who
    supports Trump")."""
    for child in head.rights:
        if _is_mark(child):
            break
        defines = (child.dep_ == "prep" and child.lower_ in _PHRASE_PREPOSITIONS) or (
            child.dep_ in ("acl", "amod")
            or (child.dep_ == "relcl" and child.right_edge.i - child.i < _SHORT_CLAUSE)
        )
        if defines:
            end = max(end, child.right_edge.idx + len(child.right_edge))
    return end


def _is_mark(token: Token) -> bool:
    return token.is_quote or token.text in MARKS


def _named_after(ctx: _Context, end: int) -> Mention | None:
    """The person named right after a title that ends at ``end``."""
    following = ctx.mentions_between(end, end + _TITLE_GAP)
    people = [m for m in following if m.kind == "person"]
    return people[0] if people else None


def _description(ctx: _Context, head: Token, start: int, end: int) -> str | None:
    """A speaker named by a description and no actor: "a campaign spokesman", "police",
    "a longtime adviser to Trump"."""
    nominal = head.pos_ in ("NOUN", "PROPN", "NUM") or _name_tagged_astray(head)
    if not nominal or ctx.inside(head.idx):
        return None
    end = _phrase_end(head, end)
    words = ctx.text[start:end].strip()
    return words if 0 < _words(words) <= _MAX_DESCRIPTION_WORDS else None


# "the 19-year-old", "the former army captain": a definite description of the person the
# story is about, as news writes it for someone named just before
_BACK_REFERENCES = frozenset(
    {"year-old", "captain", "striker", "player", "champion", "veteran", "actress", "actor",
     "singer", "star", "coach", "president", "minister", "judge", "senator", "governor",
     "mayor", "chancellor", "premier", "leader", "prosecutor", "lawmaker", "chairman",
     "chairwoman", "chief", "general", "general-secretary", "secretary-general"}
)  # fmt: skip


def _describes_someone_named_before(head: Token) -> bool:
    determiners = [c for c in head.lefts if c.dep_ == "det"]
    if not determiners or determiners[0].lower_ != "the":
        return False
    phrase = head.doc[head.left_edge.i : head.i + 1]
    words = {token.lower_ for token in phrase}
    aged = "year-old" in phrase.text.lower() or {"year", "old"} <= words
    return bool(words & _BACK_REFERENCES) or aged


def _verb_attribution(
    ctx: _Context, verb: Token, end: int, before: int, linked: bool = False
) -> _Attribution:
    cue = _cue_text(verb)
    cue_end = verb.idx + len(cue)
    head = _agent(verb) or _subject(ctx, verb) or _inverted_subject(verb, end)
    if head is not None:
        return _Attribution(cue, cue_end, *_speaker(ctx, head, before), linked=linked)
    named = _named_right_before(ctx, verb.idx)
    if named is None:
        return _Attribution(cue, cue_end, linked=linked)
    return _Attribution(cue, cue_end, named.name, named.start, named.end, linked)


_JUST_BEFORE = 40  # characters before a cue where the parse may have lost its subject


def _named_right_before(ctx: _Context, cue_start: int) -> Mention | None:
    """ "…, Jake Sullivan, said:", "Trump barked": the actor named right before a cue the
    parse gave no subject, with nothing but commas between."""
    named = [
        m for m in ctx.mentions_over(cue_start - _JUST_BEFORE, cue_start)
        if m.end <= cue_start and m.kind != "place"
    ]  # fmt: skip
    if not named or ctx.text[named[-1].end : cue_start].strip(" ,\t"):
        return None
    return named[-1]


def _according(ctx: _Context, token: Token, before: int) -> _Attribution | None:
    """``According to X``: X is the object of "to"."""
    if token.lower_ != "according" or token.i + 1 >= len(token.doc):
        return None
    to = token.doc[token.i + 1]
    if to.lower_ != "to":
        return None
    cue, cue_end = ctx.text[token.idx : to.idx + len(to)], to.idx + len(to)
    objects = [child for child in to.children if child.dep_ == "pobj"]
    if not objects and to.i + 1 < len(token.doc):
        objects = [token.doc[to.i + 1]]
    if not objects:
        return _Attribution(cue, cue_end)
    return _Attribution(cue, cue_end, *_speaker(ctx, objects[0], before))


def _statement(ctx: _Context, window: list[Token], token: Token) -> _Attribution | None:
    """``in a statement`` with no verb: the speaker is an actor named in the window."""
    nxt = token.doc[token.i + 1 : token.i + 3]
    if token.lower_ != "in" or len(nxt) < 2 or nxt[1].lower_ not in _CUE_NOUNS:
        return None
    cue_end = nxt[1].idx + len(nxt[1])
    cue = ctx.text[token.idx : cue_end]
    for other in window:
        mention = ctx.mention_over(other.idx, other.idx + len(other))
        if mention is not None and mention.kind != "place":
            return _Attribution(cue, cue_end, mention.name, mention.start, mention.end)
    return _Attribution(cue, cue_end)


def _find_cue(
    ctx: _Context, window: list[Token], quote: _Region, *, last: bool, evaluative: bool = False
) -> _Attribution | None:
    """The attribution in ``window``: the cue the quote hangs from, else the nearest one."""
    if not window:
        return None
    end = window[-1].idx + len(window[-1])
    verbs = [t for t in window if _is_cue_verb(t, evaluative)]
    heads = {t.head.i for t in ctx.tokens(quote.open_at, quote.close_at + 1)}
    linked = [verb for verb in verbs if verb.i in heads]
    if linked:
        return _verb_attribution(ctx, linked[-1 if last else 0], end, quote.open_at, True)
    if verbs:
        return _verb_attribution(ctx, verbs[-1 if last else 0], end, quote.open_at)
    for token in window[::-1] if last else window:
        found = _according(ctx, token, quote.open_at) or _statement(ctx, window, token)
        if found is not None:
            return found
    return None


# --- windows around a quote ----------------------------------------------------------------


def _ends_sentence(ctx: _Context, piece: tuple[int, int]) -> bool:
    content = ctx.text[piece[0] : piece[1]]
    return content.endswith(".") and not content.endswith("..")


def _after_window(ctx: _Context, quote: _Region, limit: int) -> list[Token]:
    """The rest of the sentence after the quote's closing mark, to the end of the first
    clause that has a verb (“Quiet,” he demanded, as Bush continued to interject)."""
    if _ends_sentence(ctx, quote.pieces[-1]):
        return []
    start = quote.close_at + 1
    window: list[Token] = []
    for token in ctx.tokens(start, min(limit, ctx.para_bounds(start)[1])):
        if token.text in _TERMINATORS or (token.text == "," and _has_verb(window)):
            break
        window.append(token)
    return window


def _has_verb(tokens: list[Token]) -> bool:
    return any(token.pos_ == "VERB" for token in tokens)


def _before_window(ctx: _Context, quote: _Region, floor: int) -> list[Token]:
    """The start of the sentence before the quote's opening mark."""
    start = max(floor, ctx.para_bounds(quote.open_at)[0])
    return _last_sentence(ctx.tokens(start, quote.open_at))


def _last_sentence(window: list[Token], ended: bool = False) -> list[Token]:
    """The tokens of ``window`` after its last sentence terminator (with ``ended``, the
    window's own last token does not count: a paragraph that ends with a period)."""
    looked = window[:-1] if ended else window
    stops = [n for n, token in enumerate(looked) if token.text in _TERMINATORS]
    return window[stops[-1] + 1 :] if stops else window


def _gap_attribution(ctx: _Context, first: Segment, second: Segment) -> _Attribution | None:
    """The attribution between two parts of one broken quote, or None if they are apart."""
    if ctx.para_of(first.close_at) != ctx.para_of(second.open_at):
        return None
    if _ends_sentence(ctx, first.pieces[-1]):
        return None
    gap = ctx.text[first.close_at + 1 : second.open_at]
    opened = ctx.text[first.pieces[-1][0] : first.pieces[-1][1]].rstrip()
    if not (opened.endswith((",", "—", "–", "-", "…")) or gap.lstrip().startswith(",")):
        return None  # “a beacon of hope” in a statement ... “build on it”: two fragments
    window = ctx.tokens(first.close_at + 1, second.open_at)
    if _words(gap) > _MAX_GAP_WORDS or any(t.text in _TERMINATORS for t in window[:-1]):
        return None
    # "“A,” she said. “B.”" is one quote too, but not "“A,” she said. “B,” he said."
    if window and window[-1].text in _TERMINATORS and not _ends_sentence(ctx, second.pieces[-1]):
        return None
    return _find_cue(ctx, window, _Region([first]), last=False)


def _join(ctx: _Context, segments: list[Segment]) -> list[_Region]:
    """Join parts of a quote broken by its attribution into one region."""
    regions: list[_Region] = []
    for segment in segments:
        if regions:
            gap = _gap_attribution(ctx, regions[-1].segments[-1], segment)
            if gap is not None:
                regions[-1].segments.append(segment)
                regions[-1].gap = regions[-1].gap or gap
                continue
        regions.append(_Region([segment]))
    return regions


# --- attributing and filtering direct quotes -----------------------------------------------


@dataclass(slots=True)
class _Found:
    """A region with its adjacent attribution and whether that cue is tight to it."""

    region: _Region
    attribution: _Attribution | None
    tight: bool


def _adjacent(ctx: _Context, quote: _Region, floor: int, limit: int) -> _Found:
    """The attribution in the quote's own sentence; ``tight`` if it frames the quote."""
    if quote.gap is not None:
        return _Found(quote, quote.gap, True)
    after_window = _after_window(ctx, quote, limit)
    after = _find_cue(ctx, after_window, quote, last=False) or _framing_verb(
        ctx, after_window, quote
    )
    if after is not None and after.speaker is None:
        after = _named_before_cue(ctx, after, quote.close_at + 1) or after
    before_window = _before_window(ctx, quote, floor)
    before = _find_cue(ctx, before_window, quote, last=True, evaluative=True) or _colon_cue(
        ctx, before_window, quote
    )
    verbless_lead = before is not None and before.cue == ":"
    named_after = after is not None and after.speaker is not None
    if verbless_lead and named_after:
        before = None  # "For example: “…,” he told CNN"
    if before is not None and (
        (before.linked and not (after and after.linked))
        or (before_window and before_window[-1].text == ":")
        or after is None
    ):
        return _Found(quote, before, _words(_between(ctx, before.cue_end, quote.open_at)) <= 2)
    if after is None:
        return _Found(quote, None, False)
    content = ctx.text[slice(*quote.pieces[-1])]
    comma = ctx.text[quote.close_at + 1 : quote.close_at + 2] == ","
    return _Found(quote, after, comma or content[-1:] in ",?!…—-")


def _named_before_cue(ctx: _Context, found: _Attribution, start: int) -> _Attribution | None:
    """“…,” Ramos, 58, told AFP: when the parse gives the cue no subject, the actor named
    between the closing mark and the cue."""
    cue_start = found.cue_end - len(found.cue)
    named = [m for m in ctx.mentions_between(start, cue_start) if m.kind != "place"]
    if not named or _words(ctx.text[start : named[0].start]) > 0:
        return None
    return replace(found, speaker=named[0].name, speaker_start=named[0].start,
                   speaker_end=named[0].end)  # fmt: skip


def _framing_verb(ctx: _Context, window: list[Token], quote: _Region) -> _Attribution | None:
    """“…,” an angry Hollande retaliated: right after a quote that ends with a comma (or
    a question or exclamation mark), a short clause of a subject and a verb frames it,
    whatever the verb ("Trump barked and a guard escorted Ramos out")."""
    content = ctx.text[slice(*quote.pieces[-1])].rstrip()
    if not window or not content.endswith((",", "?", "!")):
        return None
    verbs = [t for t in window[:MAX_FRAME_TOKENS] if t.pos_ == "VERB"]
    if not verbs:
        return None
    found = _verb_attribution(ctx, verbs[0], window[-1].idx + len(window[-1]), quote.open_at)
    return found if found.speaker or _subject(ctx, verbs[0]) else None


def _colon_cue(ctx: _Context, window: list[Token], quote: _Region) -> _Attribution | None:
    """“Marco Rubio: ‘…’”, “More from Blumenthal and Cohen: “…””: a verbless lead that
    ends with a colon names its speaker last (the quote may open the next paragraph)."""
    if not window:
        window = _previous_paragraph_end(ctx, quote)
    if not window or window[-1].text != ":":
        return None
    lead = list(takewhile(lambda t: t.text not in _LEAD_STOPS, window[-2::-1]))
    spoken = _find_cue(ctx, lead[::-1], quote, last=True) or _lead_verb(ctx, lead, quote)
    if spoken is not None and spoken.speaker is not None:
        return spoken  # "In a speech, he declared:", "McConnell delivered a message to Trump:"
    for token in lead:
        mention = ctx.mention_over(token.idx, token.idx + len(token))
        if mention is not None and mention.kind != "place":
            return _Attribution(":", window[-1].idx + 1, mention.name, mention.start, mention.end)
    nouns = [t for t in lead if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "pobj")]
    if not nouns:
        return None
    start, end = _noun_phrase(nouns[0])  # "More from the report:"
    speaker = _description(ctx, nouns[0], start, end)
    return _Attribution(":", window[-1].idx + 1, speaker, start, end)


def _lead_verb(ctx: _Context, lead: list[Token], quote: _Region) -> _Attribution | None:
    """The subject of the last verb of a lead that ends with a colon, whatever the verb."""
    verbs = [t for t in lead if t.pos_ == "VERB" and _subject(ctx, t) is not None]
    if not verbs:
        return None
    return _verb_attribution(ctx, verbs[0], lead[0].idx + len(lead[0]), quote.open_at)


def _previous_paragraph_end(ctx: _Context, quote: _Region) -> list[Token]:
    """The last sentence of the paragraph before the quote's, when the quote opens its own."""
    number = ctx.para_of(quote.open_at)
    start = ctx.paras[number][0] if ctx.paras else 0
    if number == 0 or ctx.text[start : quote.open_at].strip():
        return []
    return _last_sentence(ctx.tokens(*ctx.paras[number - 1]), ended=True)


def _between(ctx: _Context, start: int, end: int) -> str:
    return ctx.text[start:end] if start < end else ""


def _is_fragment(ctx: _Context, found: _Found) -> bool:
    """Scare quotes, titles and names of things rather than speech."""
    quote = found.region
    text = " ".join(ctx.text[a:b] for a, b in quote.pieces)
    # the last words before the quote (not the whole paragraph: quadratic in a long one)
    lead = ctx.text[max(ctx.para_bounds(quote.open_at)[0], quote.open_at - 80) : quote.open_at]
    if _SCARE_PREFIX.search(lead):
        return True
    if _words(text) < _MIN_WORDS and (not found.tight or _modifies_noun(ctx, quote)):
        return True
    return found.attribution is None and _is_title(text)


def _modifies_noun(ctx: _Context, quote: _Region) -> bool:
    """A quote inside a noun phrase: a “significant” change."""
    inner = ctx.tokens(quote.pieces[0][0], quote.pieces[-1][1])
    modifiers = ("amod", "compound", "nmod", "nummod", "poss")
    return any(t.head.idx > quote.close_at and t.dep_ in modifiers for t in inner)


def _is_title(text: str) -> bool:
    words = re.findall(r"\w+", text)
    if not words or re.search(r"[.,;:!?]", text):
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _paragraph_cue(ctx: _Context, quote: _Region) -> _Attribution | None:
    """A main-clause cue elsewhere in the quote's paragraph whose speaker is known."""
    start = ctx.para_bounds(quote.open_at)[0]
    end = ctx.para_bounds(quote.close_at)[1]
    verbs = ctx.root_cues(start, end)
    starts = [v.idx for v in verbs]
    opening, closing = bisect_left(starts, quote.open_at), bisect_right(starts, quote.close_at)
    earlier = verbs[max(0, opening - MAX_PARAGRAPH_CUES) : opening][::-1]
    later = verbs[closing : closing + MAX_PARAGRAPH_CUES]
    for verb in (earlier + later)[:MAX_PARAGRAPH_CUES]:  # the nearest, not the whole paragraph
        found = _verb_attribution(ctx, verb, end, quote.open_at)
        if found.speaker is not None:
            return found
    return None


def _governing_cue(ctx: _Context, quote: _Region) -> _Attribution | None:
    """For words quoted inside a sentence ("Trump accused them of being “donors”"): the
    verb the quote hangs from, with a subject, speaks for it."""
    verbs = _verbs_above(ctx, quote, within_clause=False)
    if not verbs:
        return None
    found = _verb_attribution(ctx, verbs[0], quote.close_at + 1, quote.open_at, True)
    return found if found.speaker is not None else None


def _verbs_above(ctx: _Context, quote: _Region, *, within_clause: bool) -> list[Token]:
    """The verbs with a subject that the quoted words hang from, nearest first: at most
    ``MAX_GOVERNING_STEPS`` heads up, and with ``within_clause`` not past a relative
    clause."""
    inner = ctx.tokens(quote.open_at, quote.close_at + 1)
    heads = [t.head for t in inner if not quote.open_at <= t.head.idx <= quote.close_at]
    if not heads:
        return []
    found: list[Token] = []
    token = heads[0]
    paragraph = ctx.para_bounds(quote.open_at)
    for _ in range(MAX_GOVERNING_STEPS):
        if not paragraph[0] <= token.idx < paragraph[1]:
            break  # a parse run on into the next paragraph
        if token.pos_ in ("VERB", "AUX") and not ctx.inside(token.idx) and _subject(ctx, token):
            found.append(token)
        if token.head is token or (within_clause and token.dep_ in ("relcl", "acl")):
            break
        token = token.head
    return found


def _partial(ctx: _Context, quote: _Region) -> Quote | None:
    """Words quoted inside someone's reported statement ("Ryan worried that the safety net
    was becoming “a hammock”"): the statement, from the main verb that reports it, with the
    quoted words as its ``parts``. None for a quote that stands as what was said."""
    lead = ctx.text[ctx.para_bounds(quote.open_at)[0] : quote.open_at].rstrip(" '`")
    lower = re.match(r"\W*[^\W\d_]", ctx.text[quote.open_at + 1 : quote.close_at])
    continued = lead.endswith(",") and lower is not None and lower.group()[-1].islower()
    if not lead or not (lead[-1].isalnum() or continued):
        return None  # opens its paragraph, or follows ":", "," or a dash: said as a whole
    if _is_sentence(ctx, quote):
        return None  # “We will win.” after "said" with no comma is still a whole quote
    verb = _reporting_verb(ctx, quote)
    if verb is None:
        return None
    span = _reported_span(ctx, verb, quote)
    if span is None:
        return None
    unquoted = ctx.text[span[0] : quote.open_at] + ctx.text[quote.close_at + 1 : span[1]]
    if _words(unquoted) < _MIN_UNQUOTED_WORDS:
        return None  # what was said is the quoted words themselves: “USA! USA!”
    who = _verb_attribution(ctx, verb, span[0], quote.open_at, True)
    start, end = span
    return Quote(
        start, end, ctx.text[start:end], "partial", who.speaker, who.speaker_start,
        who.speaker_end, who.cue, tuple(quote.pieces),
    )  # fmt: skip


def _is_sentence(ctx: _Context, quote: _Region) -> bool:
    """Quoted words that open with a capital and hold a clause of their own."""
    first = re.search(r"[^\W\d_]", ctx.text[quote.open_at : quote.close_at])
    if first is None or first.group().islower():
        return False
    inner = ctx.tokens(quote.open_at, quote.close_at + 1)
    inside = {t.i for t in inner}
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.head.i in inside for t in inner)


def _reporting_verb(ctx: _Context, quote: _Region) -> Token | None:
    """The outermost verb with a subject above the quoted words, within their sentence."""
    verbs = _verbs_above(ctx, quote, within_clause=True)
    return verbs[-1] if verbs and verbs[-1].idx < quote.open_at else None


def _reported_span(ctx: _Context, verb: Token, quote: _Region) -> tuple[int, int] | None:
    """What ``verb`` reports: its complement that holds the quote, or, for an object, all
    that follows the verb in its clause ("accused the audience of being “donors”")."""
    holder = next(
        (c for c in verb.rights if c.left_edge.idx <= quote.open_at <= c.right_edge.idx), None
    )
    if holder is None or holder.dep_ in ("nsubj", "nsubjpass", "punct"):
        return None
    reach = holder.right_edge
    if holder.dep_ in ("dobj", "dative"):  # and what follows it, but not when it was said
        tail = [c for c in verb.rights if c.i >= holder.i and c.dep_ in _COMPLEMENTS]
        reach = max((c.right_edge for c in tail if not _when(c)), key=lambda t: t.i, default=reach)
    first = holder
    if holder.dep_ in ("oprd", "prep"):  # called the deal “a disaster”; accused X of “Y”
        objects = [c for c in verb.rights if c.dep_ in ("dobj", "dative") and c.i < holder.i]
        first = objects[0] if objects else holder
    tokens = [t for t in verb.doc[first.left_edge.i : reach.i + 1] if not t.is_space]
    while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct):
        tokens.pop(0)
    while tokens and tokens[-1].is_punct and tokens[-1].text not in MARKS:
        tokens.pop()
    if len(tokens) < 2 or len(tokens) > MAX_CLAUSE_TOKENS:
        return None
    end = tokens[-1].idx + len(tokens[-1])
    if quote.open_at < end <= quote.close_at + 1:  # the parse leaves the closing mark out
        end = quote.close_at + 1
    return tokens[0].idx, end


def _quote_only(ctx: _Context, quote: _Region) -> bool:
    """Whether the quote's paragraphs hold nothing else but punctuation."""
    start = ctx.para_bounds(quote.open_at)[0]
    end = ctx.para_bounds(quote.close_at)[1]
    outside = ctx.text[start : quote.open_at] + ctx.text[quote.close_at + 1 : end]
    return not re.search(r"\w", outside)


def _inherited(ctx: _Context, quote: _Region, prev: Quote | None, prev_close: int) -> str | None:
    """The previous paragraph's speaker, for a paragraph that is only a quote: of its last
    quote, or of its last main-clause cue ("Clinton said she would fight on.")."""
    if not _quote_only(ctx, quote):
        return None
    if (
        prev is None
        or prev.speaker is None
        or ctx.para_of(prev_close) != (ctx.para_of(quote.open_at) - 1)
    ):
        return _previous_paragraph_speaker(ctx, quote)
    since = max(prev_close, prev.speaker_end or 0)
    for mention in ctx.mentions_between(since, quote.open_at):
        if ctx.inside(mention.start):
            continue
        if mention.kind == "person" and mention.name != prev.speaker:
            return None
    return prev.speaker


def _previous_paragraph_speaker(ctx: _Context, quote: _Region) -> str | None:
    number = ctx.para_of(quote.open_at)
    if number == 0 or not ctx.paras:
        return None
    low, high = ctx.paras[number - 1]
    for verb in ctx.root_cues(low, high)[::-1]:
        found = _verb_attribution(ctx, verb, high, quote.open_at)
        if found.speaker is not None:
            return found.speaker
    return None


def _direct_quote(quote: _Region, text: str, who: _Attribution | None) -> Quote:
    start, end = quote.pieces[0][0], quote.pieces[-1][1]
    # a paragraph's worth of one unbroken quote joins with a space; fragments broken by
    # their attribution with an ellipsis
    words = FRAGMENT_GAP.join(
        " ".join(text[a:b] for a, b in segment.pieces) for segment in quote.segments
    )
    parts = tuple(quote.pieces) if len(quote.pieces) > 1 else ()
    if who is None:
        return Quote(start, end, words, "direct", parts=parts)
    return Quote(
        start, end, words, "direct", who.speaker, who.speaker_start, who.speaker_end, who.cue,
        parts,
    )  # fmt: skip


def _direct(ctx: _Context, regions: list[_Region]) -> list[Quote]:
    quotes: list[Quote] = []
    prev: Quote | None = None
    prev_close = -1
    for n, region in enumerate(regions):
        floor = regions[n - 1].close_at + 1 if n else 0
        limit = regions[n + 1].open_at if n + 1 < len(regions) else len(ctx.text)
        found = _adjacent(ctx, region, floor, limit)
        if _is_fragment(ctx, found):
            continue
        who = found.attribution or _governing_cue(ctx, region) or _paragraph_cue(ctx, region)
        quote = _direct_quote(region, ctx.text, who)
        if quote.speaker is None:
            quote = replace(quote, speaker=_unnamed(ctx, region, who, prev, prev_close))
        if not _cued_right_before(ctx, found.attribution, region):
            quote = _partial(ctx, region) or quote
        if quotes and _same_statement(quotes[-1], quote):
            quote = _merged(quotes.pop(), quote, ctx.text)
        quotes.append(quote)
        ctx.said_by(quote.speaker, quote.speaker_start or region.open_at)
        prev, prev_close = quote, region.close_at
    return quotes


def _unnamed(
    ctx: _Context, region: _Region, who: _Attribution | None, prev: Quote | None, prev_close: int
) -> str | None:
    """The speaker of a quote whose own cue names none: of the quote before it in its
    paragraph (“…,” Trump went on. “…”), else of a cue elsewhere in the paragraph, else (a
    paragraph that is only a quote) of the paragraph before."""
    spoke = prev.speaker if prev is not None else None
    if spoke is not None and ctx.para_of(prev_close) == ctx.para_of(region.open_at):
        return spoke
    if who is None:
        return _signed(ctx, region) or _inherited(ctx, region, prev, prev_close)
    cue = _paragraph_cue(ctx, region)
    return cue.speaker if cue is not None else None


_SIGNATURE = re.compile(r"[ \t]*[-–—][ \t]*(?=[A-Z])")


def _signed(ctx: _Context, region: _Region) -> str | None:
    """A quote that is its whole paragraph, signed on the next line: “…” / "- Sanders.",
    "—President Obama, tweeting after the speech." """
    number = ctx.para_of(region.close_at)
    if not _quote_only(ctx, region) or number + 1 >= len(ctx.paras):
        return None
    start, end = ctx.paras[number + 1]
    dash = _SIGNATURE.match(ctx.text, start, end)
    if dash is None:
        return None
    named = [m for m in ctx.mentions_between(dash.end(), end) if m.kind != "place"]
    if named and named[0].start == dash.end():
        return named[0].name
    words = re.match(r"[^,.;:(\n]+", ctx.text[dash.end() : end])
    return words.group().strip() if words and _words(words.group()) <= 4 else None


def _cued_right_before(ctx: _Context, who: _Attribution | None, region: _Region) -> bool:
    """ "Clinton said, “as long as …”": the quote is what the cue before it says."""
    if who is None or not who.linked or who.cue_end > region.open_at:
        return False
    return not ctx.text[who.cue_end : region.open_at].strip(" ,:\t")


def _same_statement(earlier: Quote, later: Quote) -> bool:
    """Two quoted pieces of one reported statement: “a” and “b” in "said that “a” and “b”"."""
    return earlier.kind == later.kind == "partial" and later.start < earlier.end


def _merged(earlier: Quote, later: Quote, text: str) -> Quote:
    start, end = min(earlier.start, later.start), max(earlier.end, later.end)
    parts = tuple(sorted(set(earlier.parts) | set(later.parts)))
    return replace(earlier, start=start, end=end, text=text[start:end], parts=parts)


# --- indirect speech -----------------------------------------------------------------------


def _clause_span(clause: Token) -> tuple[int, int] | None:
    """The complement clause without "that", leading/trailing punctuation and marks."""
    if clause.right_edge.i - clause.left_edge.i >= MAX_CLAUSE_TOKENS:
        return None  # a parse of run-on text, not reported speech (and quadratic to walk)
    tokens = list(clause.subtree)
    while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct or tokens[0].is_space):
        tokens.pop(0)
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    if len([t for t in tokens if not t.is_punct]) < 2:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _indirect_verbs(ctx: _Context, direct: SpanSet) -> list[Quote]:
    found: list[Quote] = []
    for verb in ctx.verbs(_REPORTING_LEMMAS):
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            span = _reported_clause(ctx, verb, clause)
            if span is None or direct.overlaps(*span):
                continue
            who = _verb_attribution(ctx, verb, len(ctx.text), min(verb.idx, span[0]))
            asked = verb.lemma_.lower() in _QUESTION_LEMMAS  # "Asked whether …, he said"
            if who.speaker is not None or _has_subject(verb) or asked:
                found.append(_indirect_quote(ctx, span, who))  # "police said ...": no actor
    return found


def _reported_clause(ctx: _Context, verb: Token, clause: Token) -> tuple[int, int] | None:
    """The clause a reporting verb reports, cut to the verb's paragraph (a heading or the
    paragraph before can be parsed into the same sentence)."""
    span = _clause_span(clause)
    if span is None:
        return None
    low, high = ctx.para_bounds(verb.idx)
    start, end = trim(ctx.text, max(span[0], low), min(span[1], high))
    while start < end and not ctx.text[start].isalnum() and ctx.text[start] not in MARKS:
        start += 1
    return (start, end) if _words(ctx.text[start:end]) >= 2 else None


def _colon_leads(ctx: _Context, direct: SpanSet) -> list[Quote]:
    """A paragraph that opens with a name and a colon, as headlines and transcripts write
    speech ("Sanders: Brexit's message could draw Trump support", "FALLIN: I think he is
    trying"): the rest of the paragraph is what that speaker said."""
    found: list[Quote] = []
    for low, high in ctx.paras:
        lead = _COLON_LEAD.match(ctx.text, low, high)
        if lead is None or lead.group(1).lower() in _NOT_SPEAKER_LABELS:
            continue
        start, end = trim(ctx.text, lead.end(), high)
        while end > start and ctx.text[end - 1] in ".;":
            end -= 1
        if _words(ctx.text[start:end]) < _MIN_WORDS or direct.overlaps(start, end):
            continue
        name_start, name_end = lead.span(1)
        mention = ctx.mention_over(name_start, name_end)
        speaker = mention.name if mention is not None else lead.group(1)
        quote = Quote(start, end, ctx.text[start:end], "indirect", speaker, name_start, name_end)
        found.append(replace(quote, cue=":"))
    return found


def _parenthetical_cues(ctx: _Context, direct: SpanSet) -> list[Quote]:
    """ "Many of the closures, he said, have involved public courses" and "Cameron will
    work with whoever is elected, the spokesman said": a short cue set inside or after
    what it reports, which the parse hangs from the statement rather than the reverse."""
    found: list[Quote] = []
    for verb in ctx.verbs(_INDIRECT_LEMMAS):
        if verb.dep_ not in ("parataxis", "advcl", "conj"):
            continue
        if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children):
            continue
        cue = (verb.left_edge.i, verb.right_edge.i)
        if cue[1] - cue[0] >= MAX_FRAME_TOKENS:
            continue
        span = _sentence_without(verb.doc, cue)
        if span is None or direct.overlaps(*span) or "\n" in ctx.text[span[0] : span[1]]:
            continue
        who = _verb_attribution(ctx, verb, len(ctx.text), span[0])
        if who.speaker is not None:
            found.append(_indirect_quote(ctx, span, who))
    return found


def _sentence_without(doc: Doc, cue: tuple[int, int]) -> tuple[int, int] | None:
    """The span of a cue's sentence from its first word to its last, leaving out the cue
    when it ends the sentence (a cue in the middle stays inside the span)."""
    sentences = sentences_of(doc)
    first, end = sentences.start(cue[0]), sentences.end(cue[0])
    words = [t for t in doc[first:end] if not (t.is_space or t.is_punct)]
    before_cue = [t for t in words if t.i < cue[0]]
    after_cue = [t for t in words if t.i > cue[1]]
    last = after_cue[-1] if after_cue else (before_cue[-1] if before_cue else None)
    if len(before_cue) < _MIN_WORDS or last is None or len(words) > MAX_CLAUSE_TOKENS:
        return None
    return before_cue[0].idx, last.idx + len(last)


def _object_contents(ctx: _Context, direct: SpanSet) -> list[Quote]:
    """What a verb of saying, backing or asking takes as its object: "accused Trump of
    lying", "endorsed Clinton", "called for a ban on imports"."""
    found: list[Quote] = []
    for verb in ctx.verbs(_OBJECT_LEMMAS):
        if any(c.dep_ == "ccomp" for c in verb.children):
            continue  # a reported clause is the content: see _indirect_verbs
        span = _object_span(verb)
        if span is None or direct.overlaps(*span) or "\n" in ctx.text[span[0] : span[1]]:
            continue
        who = _verb_attribution(ctx, verb, len(ctx.text), min(verb.idx, span[0]))
        if who.speaker is not None:
            found.append(_indirect_quote(ctx, span, who))
    return found


def _object_span(verb: Token) -> tuple[int, int] | None:
    """From the verb's object (or "for"/"on" phrase) to the end of its complements."""
    rights = [c for c in verb.rights if not (c.is_punct or c.is_space)]
    objects = [c for c in rights if c.dep_ in ("dobj", "dative")]
    objects = objects or [c for c in rights if c.dep_ == "prep" and c.lower_ in ("for", "on")]
    objects = objects or [c for c in rights if c.dep_ == "xcomp"]  # "vowed to ignore it"
    if not objects:
        return None
    first = objects[0]
    tail = [c for c in rights if c.i >= first.i and c.dep_ in _COMPLEMENTS and not _when(c)]
    last = max((c.right_edge for c in tail), key=lambda t: t.i, default=first.right_edge)
    tokens = [t for t in verb.doc[first.left_edge.i : last.i + 1] if not t.is_space]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens or len(tokens) > MAX_CLAUSE_TOKENS:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _when(phrase: Token) -> bool:
    """A time phrase ("on Monday", "in 2016"): when it was said, not what."""
    return phrase.dep_ == "prep" and any(
        c.ent_type_ in ("DATE", "TIME") for c in phrase.children if c.dep_ == "pobj"
    )


def _reports(verb: Token) -> bool:
    return verb.lemma_.lower() in _REPORTING_LEMMAS


def _has_subject(verb: Token) -> bool:
    return any(child.dep_ in {"nsubj", "nsubjpass"} for child in verb.children)


def _according_clauses(ctx: _Context, direct: SpanSet) -> list[Quote]:
    """``According to <person>, <clause>.`` and ``<clause>, according to <person>.``"""
    found: list[Quote] = []
    for match in _ACCORDING.finditer(ctx.text):
        token = ctx.token_at(match.start())
        if token is None or ctx.inside(token.idx):
            continue
        who = _according(ctx, token, token.idx)
        if who is None or who.speaker is None:
            continue
        span = _according_span(token)
        if span is not None and not direct.overlaps(*span):
            found.append(_indirect_quote(ctx, span, who))
    return found


def _according_span(token: Token) -> tuple[int, int] | None:
    """The clause an "according to" frames: after the first comma when it opens the
    sentence, else before the comma right before it; None when longer than
    ``MAX_CLAUSE_TOKENS`` (run-on text, not reported speech)."""
    doc, sentences = token.doc, sentences_of(token.doc)
    first, end = sentences.start(token.i), sentences.end(token.i)
    while first < end and doc[first].is_space:
        first += 1
    if token.i == first:  # "According to X, clause."
        comma = next((t.i for t in doc[token.i + 1 : end] if t.text == ","), end)
        body_start, body_end = comma + 1, end
    else:  # "clause, according to X."
        comma_before = token.i > first and doc[token.i - 1].text == ","
        body_start, body_end = first, token.i - 1 if comma_before else first
    if body_end - body_start > MAX_CLAUSE_TOKENS:
        return None
    body = [t for t in doc[body_start:body_end] if not t.is_space]
    while body and body[-1].is_punct:
        body.pop()
    if len(body) < 2:
        return None
    return body[0].idx, body[-1].idx + len(body[-1])


def _indirect_quote(ctx: _Context, span: tuple[int, int], who: _Attribution) -> Quote:
    start, end = span
    opens = ctx.para_bounds(start)[0] == start
    dateline = _DATELINE.match(ctx.text, start, end) if opens else None
    if dateline is not None:  # "CHICAGO (AP) — A man was shot ..., police said"
        start = dateline.end()
    return Quote(
        start, end, ctx.text[start:end], "indirect", who.speaker,
        who.speaker_start, who.speaker_end, who.cue,
    )  # fmt: skip


def _outermost(quotes: list[Quote]) -> list[Quote]:
    """The quotes inside no other one (all kept ones start before: the furthest end tells)."""
    kept: list[Quote] = []
    reach = -1
    for quote in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if quote.end > reach:
            kept.append(quote)
            reach = quote.end
    return kept


# --- entry point ---------------------------------------------------------------------------


def find_quotes(doc: Doc, mentions: Sequence[Mention]) -> list[Quote]:
    """Direct and indirect quotes in ``doc`` with their speakers, sorted by start.

    ``mentions`` are the actor mentions in ``doc``; a speaker is reported by the
    ``Mention.name`` of the mention naming it. See the module docstring for the rules.
    """
    text = text_of(doc)
    segments = quote_segments(text)
    ctx = _Context(doc, text, mentions, segments)
    direct = _direct(ctx, _join(ctx, segments))
    spans = SpanSet((q.start, q.end) for q in direct)
    reported = _indirect_verbs(ctx, spans) + _according_clauses(ctx, spans)
    reported += _parenthetical_cues(ctx, spans) + _colon_leads(ctx, spans)
    indirect = _outermost(reported + _object_contents(ctx, spans))
    return sorted(direct + indirect, key=lambda q: (q.start, q.end))
