"""Where the article says it got its news: "according to TASS", "told KTLA", "(AP) —".

A citation names a news organisation (newspaper, magazine, agency, TV or radio station or
network, news site) as the source of what the article reports, or as the outlet a statement
was made to. People, official bodies and abbreviations in brackets after a name are no
citations. A cited name counts when it is an outlet of the store, one of the outlet table
(``newsweave.outlets``, given as the table's name), the article's own outlet ("told the
Post" in a Post), or when it looks like one: a newsroom word (News, Times, Post, TV, ...), a
broadcast call sign (KTLA, WGN-TV), a channel brand (NBC4, Fox 59), or a medium word beside
it ("the newspaper Bild", "Rai radio"). These feed the citation graph of the comparison.

Cues before the name ("according to X", "told X", "Source: X") read the name forward from
the cue; cues after it ("X reported", "a X report") read it backward from the cue. Either
way the name stops at the end of its sentence or line, at a person's name, a weekday or a
role word ("told KTLA. About ...", "told KIRO 7 Tuesday", "told WXII reporter Ann Lee").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from newsweave.annotate.names import fold
from newsweave.annotate.spans import SpanSet
from newsweave.annotation import Attribution, Mention
from newsweave.outlets import GENERIC_NAMES, Outlet, OutletTable, default_table, name_key

# An acronym this short must be written in capitals to be an outlet ("MAP", not "Map").
_SHORT_ACRONYM = 3
# Words with a full stop that ends no sentence ("St. Louis", "Acme Inc. said").
_ABBREVIATIONS = frozenset([
    "gen", "sen", "rep", "gov", "col", "capt", "sgt", "maj", "adm", "cpl", "pvt", "prof",
    "rev", "hon", "pres", "supt", "insp", "det", "lt", "st", "mt", "ft", "jr", "sr", "dr",
    "mr", "mrs", "ms", "inc", "corp", "co", "ltd", "bros", "ave", "blvd", "no", "vs",
    "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "est",
])  # fmt: skip
# Words after an outlet's name that are no part of it: "Interfax news agency".
_AGENCY_WORDS = re.compile(r"(?:\s+(?:news|agency|news agency|newspaper))+$", re.IGNORECASE)
_NEWSROOM_WORDS = frozenset([
    "news", "times", "post", "journal", "herald", "tribune", "gazette", "telegraph",
    "guardian", "observer", "ledger", "courier", "chronicle", "daily", "weekly",
    "press", "tv", "radio", "television", "broadcaster", "broadcasting", "channel", "wire",
    "magazine", "review", "standard", "mirror", "express", "record", "register", "dispatch",
    "bulletin", "clarion", "sentinel", "examiner", "inquirer", "enquirer", "monitor", "star",
    "sun", "globe", "mail", "independent", "economist", "statesman", "pioneer", "argus",
    "beacon", "newspaper", "newschannel", "telegram", "advertiser", "democrat", "bee",
])  # fmt: skip
# Newsroom words that stand for one outlet alone only with "the" ("the Post").
_MASTHEAD_WORDS = frozenset([
    "times", "post", "journal", "herald", "tribune", "gazette", "telegraph", "guardian",
    "observer", "ledger", "courier", "chronicle", "review", "standard", "mirror", "express",
    "record", "register", "dispatch", "bulletin", "clarion", "sentinel", "examiner",
    "inquirer", "enquirer", "monitor", "star", "sun", "globe", "mail", "independent",
    "economist", "statesman", "pioneer", "argus", "beacon", "telegram", "advertiser", "bee",
])  # fmt: skip
# Too common to stand for one outlet of the store alone ("the Post").
_GENERIC_WORDS = frozenset([
    "news", "times", "post", "journal", "daily", "weekly", "press", "agency", "tv", "radio",
    "television", "review", "record", "mail", "star", "sun", "standard", "express", "mirror",
    "herald", "tribune", "observer", "guardian", "telegraph", "independent", "wire",
    "magazine", "channel", "newspaper", "newschannel", "broadcasting", "broadcaster",
])  # fmt: skip
# A name with one of these is a public body, not an outlet ("Cook County Medical Examiner").
_BODY_WORDS = frozenset([
    "police", "sheriff", "sheriff's", "sheriff’s", "department", "dept", "office", "coroner",
    "medical", "court", "authority", "patrol", "hospital", "prison", "jail", "secretary",
    "square", "legion", "ministry", "commission", "committee", "council", "party", "army",
    "university", "college", "school", "attorney", "prosecutor", "bureau", "affairs",
    "foundation", "institute", "center", "centre", "association", "society", "campaign",
])  # fmt: skip
# One-word outlet names that are common words, cited only beside a medium word ("Metro said"
# is the police of Las Vegas; "the Metro newspaper reported" is the London paper).
_COMMON_WORD_OUTLETS = frozenset([
    "metro", "time", "fortune", "reason", "mint", "stuff", "outlook", "vanguard", "punch",
    "tempo", "variety", "deadline", "slate", "salon", "grist", "quartz", "wired", "dawn",
    "insider", "trend", "petra", "stat", "vice", "mirror", "express", "sun", "star", "mail",
    "independent", "national", "nation", "age", "hill", "atlantic", "citizen", "republic",
    "record", "standard", "federalist", "root", "verge",
])  # fmt: skip
_NOT_OUTLETS = frozenset([
    "news", "breaking news", "local news", "latest news", "top news", "fake news",
    "news release", "press release", "free press", "the", "a", "an",
])  # fmt: skip
# Capitalised words that start a sentence before a name: "As CNN reported".
_LEADING_WORDS = frozenset([
    "as", "but", "and", "meanwhile", "also", "earlier", "later", "now", "then", "so", "yet",
    "while", "when", "since", "after", "before", "previously", "separately", "however",
    "still", "initially", "finally", "in", "on", "at", "last", "this", "today", "tonight",
    "yesterday", "first", "if", "though", "although", "tomorrow", "morning", "a", "an",
])  # fmt: skip
_DAYS = frozenset([
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december",
])  # fmt: skip
# A word after an outlet's name that starts a person's title: "told WXII reporter Ann Lee".
_ROLE_WORDS = frozenset([
    "reporter", "reporters", "anchor", "correspondent", "photographer", "photojournalist",
    "producer", "host", "editor", "columnist", "meteorologist", "journalist", "staff",
    "crew", "team", "contributor", "writer", "investigator", "reporting", "video", "photo",
    "web", "digital", "i-team", "online",
])  # fmt: skip
# Broadcast networks: with a number they name a station ("NBC 4", "Fox59").
_NETWORKS = frozenset(["abc", "nbc", "cbs", "fox", "cw", "pix", "pbs", "telemundo", "univision"])
# Capital words shaped like a call sign that are no station.
_NOT_CALL_SIGNS = frozenset([
    "WHO", "WTO", "WHAT", "WHY", "WAR", "WAS", "WAY", "WIN", "WON", "KEY", "KID", "KIDS",
    "KNOW", "KILL", "WANT", "WARN", "WAIT", "WALK", "WIFE", "WORD", "WORK", "WITH", "WILL",
    "WERE", "WEST", "WHEN", "WADA", "WIPO", "WWII", "WWI", "KKK", "KGB", "WMD", "WMDS",
    "WPA", "WWF", "WWE", "WNBA", "WFP", "WMO", "WEF", "WIC", "KPMG", "KFC", "WHAM", "KEEP",
])  # fmt: skip
# Four letters ("KTLA", "WKRN-TV"); three only with a suffix ("WGN-TV"): "KSP" is a police.
_CALL_SIGN = re.compile(
    r"[KW][A-Z]{3}(?:-(?:TV|DT|FM|AM|CD|LD|CA|HD))?\d{0,2}|[KW][A-Z]{2}-(?:TV|DT|FM|AM)"
)
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")

_SPACE = r"[ \t\u00a0]+"
_CAPITAL_WORD = r"[A-Z][\w'’.&+!-]*"
# a name word: a capital first, or a number ("KCRA 3"), or both ("9News", "24-Hour")
_WORD = rf"(?:{_CAPITAL_WORD}|\d{{1,3}}(?:-?{_CAPITAL_WORD})?(?![\w-]))"
_JOIN = r"(?:of|and|the|de|la|al|du|del|&)"
_RUN = rf"{_WORD}(?:{_SPACE}(?:{_WORD}|{_JOIN}{_SPACE}{_CAPITAL_WORD})){{0,9}}"
_NAME_AT = re.compile(rf"[“\"]?(?:[Tt]he{_SPACE})?{_RUN}")  # "speaking to “CBS This Morning”"
_NAME_WORD = re.compile(_WORD)
_JOIN_WORD = re.compile(_JOIN)
_MOST_WORDS = 10  # a name this long at most: reading one stays linear in a run of names
_LOOK_BACK = 160  # characters searched for the name before a cue that follows it
# A medium word before the name: "the state news agency TASS", "NBC station WDSU".
_MEDIUM_NOUN = (
    r"(?:news[ \t]+agency|press[ \t]+agency|newspaper|paper|daily|weekly|tabloid|magazine|"
    r"broadcaster|(?:TV|television|radio|news|sister)[ \t]+(?:station|network|channel)|"
    r"station|affiliate|(?:news|media)[ \t]+(?:outlet|site|partner|organization|"
    r"organisation)|news[ \t]+website|website|wire[ \t]+service|television|TV|radio|"
    r"channel)"
)
_DESCRIBED = (
    rf"(?P<described>(?:(?:the|a|an|its|their|his|her|our){_SPACE})?(?:[\w'’-]+{_SPACE}){{0,3}}?"
    rf"{_MEDIUM_NOUN}{_SPACE})?"
)
_MEDIUM_AFTER = re.compile(
    r"[ \t]+(?:newspaper|daily|radio|broadcaster|television|TV|news agency|agency|website)\b"
)
_REPORT_NOUNS = (
    r"(?:reports?|reporting|story|stories|article|analysis|investigation|count|tally|"
    r"projections?|figures|data|transcripts?|interviews?|accounts?|footage|video|coverage)"
)
_PARTICIPLES = r"(?:compiled|conducted|published|released|aired|broadcast|carried|obtained|seen)"
_FORWARD: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "according to",
        re.compile(
            rf"\b[Aa]ccording{_SPACE}to{_SPACE}(?:(?:an?|the){_SPACE})?"
            rf"(?:(?:new|recent|latest|earlier|initial|exclusive|published|separate){_SPACE})?"
            rf"(?:{_REPORT_NOUNS}{_SPACE}(?:{_PARTICIPLES}{_SPACE})?(?:by|in|from|on|with|of)"
            rf"{_SPACE})?{_DESCRIBED}"
        ),
    ),
    ("citing", re.compile(rf"\b[Cc]iting{_SPACE}(?:(?:an?|the){_SPACE})?{_DESCRIBED}")),
    (
        "in an interview with",
        re.compile(
            rf"\b(?:(?:[Ii]n{_SPACE})?(?:an?|the|his|her|their){_SPACE}(?:[\w-]+{_SPACE}){{0,2}}?)?"
            rf"interviews?{_SPACE}(?:(?:broadcast|aired|published|televised){_SPACE})?"
            rf"(?:with|on|to|by|for){_SPACE}{_DESCRIBED}"
        ),
    ),
    (
        "told",
        re.compile(
            rf"\b(?:told|tells|telling|tell|(?:speaking|spoke|talking|talked){_SPACE}"
            rf"(?:by{_SPACE}(?:tele)?phone{_SPACE})?(?:to|with))"
            rf"{_SPACE}{_DESCRIBED}"
        ),
    ),
    (
        "said on",
        re.compile(
            rf"\b(?:said|says|saying|speaking|spoke|appearing|appeared|argued|claimed|"
            rf"insisted|declared){_SPACE}(?:[A-Za-z]+{_SPACE}){{0,2}}?on{_SPACE}"
        ),
    ),
    (
        "reported by",
        re.compile(
            rf"\b(?:(?:first|originally|previously|earlier|initially){_SPACE})?(?:reported|quoted|"
            rf"cited|carried|published|obtained|broadcast|aired|seen|reviewed|confirmed|"
            rf"released|provided|given|leaked|shown|shared|compiled){_SPACE}"
            rf"(?:first{_SPACE})?(?:by|to|with){_SPACE}{_DESCRIBED}"
        ),
    ),
    (
        "report by",
        re.compile(rf"\b{_REPORT_NOUNS}{_SPACE}(?:by|from|in){_SPACE}{_DESCRIBED}"),
    ),
    (
        "published in",
        re.compile(
            rf"\b(?:wrote|writes|writing|written|published|appeared|op-ed|column|editorial|"
            rf"essay|piece|story|article|letter){_SPACE}(?:in|at|for){_SPACE}{_DESCRIBED}"
        ),
    ),
    ("said on", re.compile(rf"\b(?:broadcast|edition|episode){_SPACE}of{_SPACE}")),
    ("via", re.compile(rf"\bvia{_SPACE}")),
    ("byline", re.compile(rf"(?m)^[ \t]*[Bb]y:?{_SPACE}")),
    (  # "By Ann Lee" and the outlet alone on the line after it: "Chicago Sun-Times Wire"
        "byline line",
        re.compile(rf"(?m)^[ \t]*[Bb]y:?{_SPACE}[^\n]{{1,80}}\n[ \t]*\n?(?=[^\n]{{1,60}}$)"),
    ),
    ("headline", re.compile(r"\A[ \t]*(?=[^\n:]{1,40}:[ \t])")),  # "Politifact: Trump Is Right"
)
_POLL_AFTER = re.compile(  # "according to a USA Today/AP poll": a poll, no citation
    r"(?:[/-][\w.&'’ -]{0,40}?)?(?:[ \t]+[\w-]+){0,2}?[ \t]+(?:exit[ \t]+)?"
    r"(?:polls?|polling|surveys?)\b"
)
_SOURCE_LINE = re.compile(
    r"(?<![\w])(?:Sources?|SOURCES?|Contributing|Contributors?)[ \t]*:[ \t]*([^\n)©|]{1,120})"
)
_SOURCE_PARTS = re.compile(r"[^/,;]+")
_VERBS = (
    r"(?:reported|reports|reporting|said|says|quoted|cited|learned|confirmed|obtained|"
    r"projected|wrote|writes|published|revealed|found|claimed|claims|suggested|suggests|"
    r"noted|notes|stated|states|added|argued|argues|asserted|asserts|concluded|responded|"
    r"described|explained|observed|pointed[ \t]+out|predicted|called|estimated|ruled|"
    r"put[ \t]+it|interviewed|(?:spoke|talked)[ \t]+(?:to|with)|reached|"
    r"ran[ \t]+(?:an?|the)[ \t]+(?:story|feature|piece|report|article|profile)|"
    r"(?:was|were)[ \t]+(?:the[ \t]+)?first[ \t]+to[ \t]+report|"
    r"contributed[ \t]+to[ \t]+this[ \t]+(?:report|story|article))"
)
_ADVERBS = (
    r"(?:has|had|have|is|was|were|also|first|previously|earlier|initially|originally|"
    r"exclusively|recently|then|later|reportedly|last)"
)
_REPORTING = re.compile(r"\b(?:report|reported|reports|reporting|learned|found|obtained)\b")
_BACKWARD: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "reported",
        re.compile(
            rf"(?<=[\w.’'”\"])(?=[ \t\u00a0,])"  # a name's end, then a space: quick to skip
            rf"(?P<medium>[ \t]+(?:newspaper|news[ \t]+agency|agency|daily|radio|"
            rf"television|TV|broadcaster|website|network))?(?:,?{_SPACE}which)?{_SPACE}"
            rf"(?:{_ADVERBS}{_SPACE}){{0,2}}{_VERBS}\b"
        ),
    ),
    (
        "report",
        re.compile(
            rf"(?<=[\w’'])(?=[ \t\u00a0])(?P<medium>){_SPACE}(?:exclusive{_SPACE})?"
            rf"(?:report|reporting|story|article|analysis|investigation|interview|editorial|segment|profile)s?\b"
            rf"(?![ \t]+(?:team|staff|unit|crew|partners?|desk|arm|process)\b)"
        ),
    ),
)
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>(?:[A-Z0-9][\w.'’-]*,?[ \t]+){0,6})"
    r"\((?P<name>[A-Z][\w.&'’ /-]{0,30}?)\)[ \t]*(?:-{1,2}|[–—:])"
)
_AGENCY_CREDIT = re.compile(
    r"\((AP|AFP|Reuters|TASS|dpa|UPI|Xinhua|Interfax|EFE|ANSA|CNN|Yonhap|Kyodo)\)"
)


@dataclass(frozen=True, slots=True)
class _Cited:
    """A name found beside a cue: where it is and the outlet it stands for."""

    start: int
    end: int
    source: str


def find_attributions(
    text: str,
    mentions: Sequence[Mention],
    outlets: Collection[str] = (),
    *,
    own: str | None = None,
    table: OutletTable | None = None,
) -> list[Attribution]:
    """The article's own citations of outlets and agencies, in text order.

    ``outlets`` are names known to be outlets (those of the store), cited by any name form;
    ``own`` is the article's outlet (name or domain), for "told the Post" in the Post;
    ``table`` the outlet table (the bundled one by default).
    """
    reader = _Reader(text, mentions, outlet_names(outlets), _Lookup(table, own))
    found: list[Attribution] = []
    taken = SpanSet()
    for cue, first, last, source in reader.citations():
        if taken.overlaps(first, last):
            continue
        taken.add(first, last)
        found.append(Attribution(first, last, text[first:last], source, cue))
    found.sort(key=lambda a: a.start)
    return found


def outlet_names(outlets: Collection[str]) -> dict[str, str]:
    """Every way to cite a store outlet -> its name: "The Daily Clarion" is also "Daily
    Clarion", "Clarion" and "DC"; a lone common word ("Post") stands for no outlet."""
    known: dict[str, str] = {}
    for name in outlets:
        words = outlet_key(name).split()
        for first in range(len(words)):
            tail = words[first:]
            if first == 0 or not (len(tail) == 1 and tail[0] in _GENERIC_WORDS):
                known.setdefault(" ".join(tail), name)
        if len(words) > 1:
            known.setdefault("".join(w[0] for w in words), name)
    return known


def outlet_key(name: str) -> str:
    """How an outlet's name is compared: folded, without "The" and trailing marks."""
    return fold(re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).rstrip(".'’"))


class _Reader:
    """One article's citations: cues found, names read beside them and resolved."""

    def __init__(
        self, text: str, mentions: Sequence[Mention], known: dict[str, str], lookup: _Lookup
    ) -> None:
        self.text = text
        self.known = known
        self.lookup = lookup
        self.person_starts = sorted(m.start for m in mentions if m.kind == "person")
        # a person named in full, not a lone word the tagger took for one ("News4Jax")
        named = [(m.start, m.end) for m in mentions if _named_person(m)]
        self.people = SpanSet(named)
        self.person_ends = SpanSet((end - 1, end) for _, end in named)

    def citations(self) -> Iterator[tuple[str, int, int, str]]:
        """(cue, start, end, outlet) of each citation, datelines and credits first."""
        yield from self._datelines()
        yield from self._agency_credits()
        yield from self._source_lines()
        for cue, pattern in _FORWARD:
            for match in pattern.finditer(self.text):
                for index, cited in enumerate(self._after_cue(match)):
                    start = match.start() if index == 0 else cited.start  # "told CNN and Fox"
                    if self._fits(cue, cited):
                        yield cue.removesuffix(" line"), start, cited.end, cited.source
        for cue, pattern in _BACKWARD:
            for match in pattern.finditer(self.text):
                verb = match.group(0)
                before = self.text[max(0, match.start() - 2) : match.start()]
                if cue == "reported" and _POSSESSIVE.search(before):
                    continue  # "Breitbart's reporting team": no one's verb
                reporting = _REPORTING.search(verb) is not None and "contributed" not in verb
                found = self._backward(match.start(), bool(match.group("medium")), reporting)
                for index, cited in enumerate(found):
                    start = cited.start - 4 if self._after_the(cited.start) else cited.start
                    end = match.end() if index == len(found) - 1 else cited.end
                    yield cue, start, end, cited.source

    def _fits(self, cue: str, cited: _Cited) -> bool:
        """An outlet alone on the line after a byline; one the table knows before a
        headline's colon ("NY Post: ...", not "News Guide: ...")."""
        if cue == "byline line":
            return self.text.startswith("\n", cited.end)
        if cue == "headline":
            return self._known_name(self.text[cited.start : cited.end])
        return True

    # credits

    def _datelines(self) -> Iterator[tuple[str, int, int, str]]:
        """ "NOBLE COUNTY, Ind. (WANE) –", "LONDON, May 2 (XYZ) -": a credit where a
        dateline stands; "Protection Units (YPG) - the group said" is none."""
        for match in _DATELINE.finditer(self.text):
            name, place = match.group("name").strip(), match.group("place")
            if self.lookup.outlet(name) is None:
                name = re.sub(r"\.com$", "", name, flags=re.IGNORECASE)  # "(KMOV.com)"
            source = self.lookup.outlet(name) or (name if _is_broadcaster(name) else None)
            if source is None and re.fullmatch(r"[A-Z]{2,4}", name) and _is_dateline(place):
                source = name
            if source is not None:
                yield "credit", match.start("name") - 1, match.end("name") + 1, source

    def _agency_credits(self) -> Iterator[tuple[str, int, int, str]]:
        """ "(AP)" anywhere, unless it only abbreviates the name before it."""
        for match in _AGENCY_CREDIT.finditer(self.text):
            source = self.lookup.outlet(match.group(1)) or match.group(1)
            before = self._name_before(match.start())
            if before is not None and self._resolve(before, False) == source:
                continue
            yield "credit", match.start(), match.end(), source

    def _source_lines(self) -> Iterator[tuple[str, int, int, str]]:
        """ "Source: WKRN", "(Source: Ann Lee/WAFB)": each outlet of the line."""
        for match in _SOURCE_LINE.finditer(self.text):
            for part in _SOURCE_PARTS.finditer(match.group(1)):
                at = match.start(1) + part.start()
                at += len(part.group(0)) - len(part.group(0).lstrip())
                for cited in self._forward(at, False):
                    yield "source", match.start(), cited.end, cited.source

    # names read forward from a cue: "told the Courier. About" -> "the Courier"

    def _after_cue(self, match: re.Match[str]) -> list[_Cited]:
        """The outlets named after a cue and its medium words ("told the state news agency
        TASS"), or right after the cue when those words were the name ("told the Bild
        newspaper he")."""
        described = match.groupdict().get("described")
        found = self._forward(match.end(), described is not None)
        if found or not described:
            return found
        return self._forward(match.start("described"), False)

    def _forward(self, at: int, medium: bool) -> list[_Cited]:
        match = _NAME_AT.match(self.text, at)
        if match is None:
            return []
        start = match.start() + (self.text[match.start()] in '“"')
        words = self._clean_forward(_word_spans(self.text, start, match.end()))
        if not words:
            return []
        if _POLL_AFTER.match(self.text, words[-1][1]):
            return []
        listed = self._joined(words, medium)
        if listed and self._cited(words, medium, table_only=True) is None:
            return listed
        found = self._choose(words, medium)
        return [] if found is None else [found]

    def _clean_forward(self, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The name's words up to its sentence's end, a weekday, a role or a person."""
        if len(words) > 1 and self.text[words[0][0] : words[0][1]].lower() == "the":
            words = words[1:]
        kept: list[tuple[int, int]] = []
        for index, (start, end) in enumerate(words):
            word = self.text[start:end]
            bare = word.lower().rstrip(".")
            if index > 0 and (bare in _DAYS or bare in _ROLE_WORDS or self._person_at(start)):
                break
            if _ends_sentence(word):
                kept.append((start, end - 1))
                break
            kept.append((start, end))
        while kept and self.text[kept[-1][0] : kept[-1][1]].lower() in {"of", "and", "the", "&"}:
            kept.pop()
        return kept

    def _joined(self, words: list[tuple[int, int]], medium: bool) -> list[_Cited]:
        """ "told CNN and Fox News": each outlet of a list."""
        found: list[_Cited] = []
        part: list[tuple[int, int]] = []
        for start, end in [*words, (len(self.text), len(self.text))]:
            if self.text[start:end] in {"and", "&", ""}:
                cited = self._choose(part, medium) if part else None
                if cited is not None:
                    found.append(cited)
                part = []
            else:
                part.append((start, end))
        return found if len(found) > 1 else []

    # names read backward from a cue: "As Breitbart News reported" -> "Breitbart News"

    def _backward(self, at: int, medium: bool, reporting: bool) -> list[_Cited]:
        """The outlet named before a cue; "Channel 2's Ann Lee" and "KTLA reporter Ann
        Lee" only before a reporting verb ("reported", not "said"); "the Post Trump
        said" is Trump's."""
        words = self._name_before(at)
        if words is None:
            return []
        owner = any(self._possessive(w) for w in words[:-1])
        if not (owner or medium) and self.person_ends.overlaps(words[-1][1] - 1, words[-1][1]):
            employer = self._employer(words[0][0]) if reporting else None
            return [] if employer is None else [employer]
        listed = self._joined(words, medium)  # "KDVR and The Denver Post spoke with"
        if listed and self._cited(words, medium, table_only=True) is None:
            return listed
        found = self._choose(words, medium, from_end=True, owner_ok=reporting)
        return [] if found is None else [found]

    def _employer(self, at: int) -> _Cited | None:
        """The outlet before a reporter's name: "News On 6 reporter Dan Lee has learned"."""
        low = max(0, at - 40)
        role = re.search(r"(?:^|[ \t])(\w+)[ \t]+\Z", self.text[low:at])
        if role is None or role.group(1).lower() not in _ROLE_WORDS:
            return None
        words = self._name_before(low + role.start(1))
        return None if words is None else self._choose(words, False, from_end=True)

    def _name_before(self, at: int) -> list[tuple[int, int]] | None:
        """The words of the name that ends at ``at`` (spaces and a closing quote mark
        between them allowed: 'as “The Wall Street Journal” wrote'), in its sentence."""
        low = max(0, at - _LOOK_BACK)
        window = self.text[low:at].rstrip(" \t\u00a0").rstrip('”"')
        words = _trailing_name(window, low)
        for index in range(len(words) - 1, 0, -1):  # the last sentence only
            if _ends_sentence(self.text[words[index - 1][0] : words[index - 1][1]]):
                words = words[index:]
                break
        while len(words) > 1 and self._leading(words[0]):
            words = words[1:]
        return words or None

    def _leading(self, word: tuple[int, int]) -> bool:
        bare = self.text[word[0] : word[1]].lower()
        return bare in _LEADING_WORDS or bare in _DAYS

    # choosing the outlet among a name's forms

    def _choose(
        self,
        words: list[tuple[int, int]],
        medium: bool,
        from_end: bool = False,
        owner_ok: bool = True,
    ) -> _Cited | None:
        """The outlet the words name: the whole name or, with a possessive inside
        ("Channel 2's Tom Jones", "NBC's Meet the Press"), the part before it."""
        owner = next((i for i, w in enumerate(words[:-1]) if self._possessive(w)), None)
        if owner is None:
            return self._whole(words, medium, from_end)
        head, tail = words[: owner + 1], words[owner + 1 :]
        return (
            self._cited(words, medium, table_only=True)
            or (self._cited(head, medium, table_only=True) if owner_ok else None)
            or (self._whole(tail, medium, from_end) if self._outlet_words(tail) else None)
            or (self._cited(head, medium) if owner_ok else None)
        )

    def _whole(self, words: list[tuple[int, int]], medium: bool, from_end: bool) -> _Cited | None:
        """The whole name, else its longest part the table knows ("NBC News Tuesday");
        "The Star-Ledger of Newark" is the Star-Ledger, unless the table knows it whole."""
        found = self._cited(words, medium, table_only=True)
        if found is not None:
            return found
        network = self.text[words[0][0] : words[0][1]].lower() in _NETWORKS
        if network and len(words) > 1 and self._cited(words[1:], False, table_only=True):
            return self._cited(words[:1], medium, table_only=True)  # "CBS Face the Nation"
        joins = [i for i, (s, e) in enumerate(words) if self.text[s:e] in {"of", "in"}]
        if joins and joins[0] > 0:
            found = self._cited(words[: joins[0]], medium)
            if found is not None:
                return found
        if from_end and self._subject_after_outlet(words):
            return None
        found = self._cited(words, medium)
        if found is not None:
            return found
        for size in range(len(words) - 1, 0, -1):
            part = words[len(words) - size :] if from_end else words[:size]
            found = self._cited(part, medium, table_only=True)
            if found is not None:
                return found
        return None

    def _subject_after_outlet(self, words: list[tuple[int, int]]) -> bool:
        """ "the Washington Post Trump said" (one name to the tagger): an outlet the table
        knows, then a name with no newsroom word; the one who said it is the name."""
        for size in range(len(words) - 1, 0, -1):
            head = self.text[words[0][0] : words[size - 1][1]]
            if size == 1 and head.lower() in _NETWORKS:
                continue  # "FOX Carolina reported": an affiliate, not Fox News and a name
            if self._cited(words[:size], False, table_only=True) is not None:
                rest = " ".join(self.text[s:e] for s, e in words[size:])
                return not (_is_broadcaster(rest) or _has_newsroom_word(rest))
        return False

    def _cited(
        self, words: list[tuple[int, int]], medium: bool, table_only: bool = False
    ) -> _Cited | None:
        start, end = words[0][0], words[-1][1]
        name = _POSSESSIVE.sub("", self.text[start:end])
        end -= len(self.text[start:end]) - len(name)
        source = self._resolve(words, medium, table_only)
        return _Cited(start, end, source) if source is not None and name else None

    def _resolve(
        self, words: list[tuple[int, int]], medium: bool, table_only: bool = False
    ) -> str | None:
        """The outlet's canonical name, or None when the words name no outlet."""
        start, end = words[0][0], words[-1][1]
        name = self._name_of(start, end)
        bare = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
        key = fold(bare)
        medium = medium or _MEDIUM_AFTER.match(self.text, end) is not None
        if _never_outlet(key, medium):
            return None
        article = bare != name or self._after_the(start)
        found = self.known.get(key) or self.lookup.outlet(("the " + bare) if article else bare)
        person = self.people.overlaps(start, end)
        if found is not None:  # "Bloomberg said" may be the man; "the Times said" is no one
            surname = person and not article and " " not in bare and not _is_broadcaster(bare)
            return None if surname else found
        if table_only or (person and not medium and not _is_broadcaster(bare)):
            return None
        if medium:
            return None if _has_body_word(bare) else bare
        return bare if _looks_like_outlet(bare, article) else None

    def _name_of(self, start: int, end: int) -> str:
        """The cited name without a possessive, and "KMOV.com" as "KMOV" unless the table
        knows it with its ".com" ("NJ.com")."""
        name = _POSSESSIVE.sub("", self.text[start:end]).rstrip(".,")
        if self._known_name(name):
            return name
        return re.sub(r"\.com$", "", name, flags=re.IGNORECASE)

    def _known_name(self, name: str) -> bool:
        return outlet_key(name) in self.known or self.lookup.outlet(name) is not None

    def _after_the(self, start: int) -> bool:
        return self.text[max(0, start - 4) : start].lower() == "the "

    def _outlet_words(self, words: list[tuple[int, int]]) -> bool:
        return bool(words) and _looks_like_outlet(
            " ".join(self.text[s:e] for s, e in words), article=True
        )

    def _possessive(self, word: tuple[int, int]) -> bool:
        return _POSSESSIVE.search(self.text[word[0] : word[1]]) is not None

    def _person_at(self, start: int) -> bool:
        at = bisect_left(self.person_starts, start)
        return at < len(self.person_starts) and self.person_starts[at] == start


def _never_outlet(key: str, medium: bool) -> bool:
    """Weekdays, sentence openers, "Breaking News"; a common word ("Metro") alone unless a
    medium word says it is a paper."""
    if not key or key in _NOT_OUTLETS or key in _DAYS or key in _LEADING_WORDS:
        return True
    return key in _COMMON_WORD_OUTLETS and not medium


def _named_person(mention: Mention) -> bool:
    """A person the article names in full ("Michael Bloomberg", or "Bloomberg" for him)."""
    return mention.kind == "person" and (" " in mention.name or mention.name != mention.text)


def _trailing_name(window: str, offset: int) -> list[tuple[int, int]]:
    """The spans (from ``offset``) of the name words that end ``window``, read backward:
    words with a capital or a number, "of"/"and" between two of them, on one line."""
    tokens = list(re.finditer(r"[^\s]+", window))[-2 * _MOST_WORDS :]
    words: list[tuple[int, int]] = []
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if index < len(tokens) - 1 and "\n" in window[token.end() : tokens[index + 1].start()]:
            break
        text = token.group(0).lstrip('“"‘(')
        start = token.end() - len(text)
        joined = bool(words) and index > 0 and _JOIN_WORD.fullmatch(text) is not None
        if not (_NAME_WORD.fullmatch(text) or joined) or len(words) >= _MOST_WORDS:
            break
        words.insert(0, (offset + start, offset + token.end()))
        if text != token.group(0):
            break  # an opening mark: the name starts here
    while words and _JOIN_WORD.fullmatch(window[words[0][0] - offset : words[0][1] - offset]):
        words.pop(0)
    return words


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]


def _ends_sentence(word: str) -> bool:
    """ "Courier." ends a sentence; "U.S.", "St." and "Inc." do not."""
    if not word.endswith(".") or len(word) < 2:
        return False
    if re.fullmatch(r"(?:[A-Za-z]\.)+", word):
        return False
    return word[:-1].lower().lstrip("(") not in _ABBREVIATIONS


def _is_dateline(place: str) -> bool:
    """ "SOSTRA, May 2 ", "TOPEKA ": a place in capitals, or one with a state or date."""
    return re.search(r"\b[A-Z]{3,}\b", place) is not None or "," in place


def _is_broadcaster(name: str) -> bool:
    """A call sign ("KTLA", "WGN-TV") or a channel brand ("NBC4", "Fox 59") in the name."""
    words = re.split(r"[\s/]+", name.strip())
    for index, word in enumerate(words):
        word = _POSSESSIVE.sub("", word).rstrip(".,")
        if _call_sign(word):
            return True
        lowered = word.lower()
        brand = re.fullmatch(r"([a-z]+)(\d{1,3})", lowered)
        if brand and brand.group(1) in _NETWORKS:
            return True
        if lowered in _NETWORKS and index + 1 < len(words) and words[index + 1].isdigit():
            return True
        if index == 0 and lowered in _NETWORKS and len(words) > 1 and words[1] != "News":
            return True  # an affiliate: "FOX Carolina", "NBC Bay Area"
    return False


def _call_sign(word: str) -> bool:
    """ "KTLA", "WGN-TV"; not "WHO", nor a police ("KCPD", "WCSO")."""
    return (
        _CALL_SIGN.fullmatch(word) is not None
        and word.split("-")[0] not in _NOT_CALL_SIGNS
        and re.search(r"(?:PD|SO|FD)$", word) is None
    )


def _looks_like_outlet(name: str, article: bool) -> bool:
    """A newsroom word in the name ("Casper Star-Tribune"), a call sign or a channel brand;
    no body word ("Cook County Medical Examiner"); one masthead word only after "the"."""
    words = [w.lower().strip(".,'’") for w in re.split(r"[\s/-]+", name) if w]
    words = [_POSSESSIVE.sub("", w) for w in words]
    if not words or any(w in _BODY_WORDS for w in words):
        return False
    if _is_broadcaster(name):
        return True
    if len(words) == 1:
        word = words[0]
        alone = word not in _GENERIC_WORDS and _newsroom_word(word)
        return (word in _MASTHEAD_WORDS and article) or word in _NETWORKS or alone
    return any(map(_newsroom_word, words)) or re.search(r"News(?![a-z])|NEWS", name) is not None


def _has_body_word(name: str) -> bool:
    return any(w.lower().strip(".,'’") in _BODY_WORDS for w in name.split())


def _has_newsroom_word(name: str) -> bool:
    """A newsroom word or a number in the name: "Daily" of "Breitbart News Daily"."""
    words = [w.lower().strip(".,'’") for w in re.split(r"[\s/-]+", name) if w]
    return any(_newsroom_word(w) or w.isdigit() for w in words)


def _newsroom_word(word: str) -> bool:
    return word in _NEWSROOM_WORDS


class _Lookup:
    """Cited names resolved through the outlet table, for one article."""

    def __init__(self, table: OutletTable | None, own: str | None) -> None:
        self.table = default_table() if table is None else table
        self.own = own
        self.mine = self.table.find(own) if own else None
        self.own_forms = _own_forms(own) if own and self.mine is None else frozenset()

    def outlet(self, cited: str) -> str | None:
        """The table's name for ``cited``, the store's own outlet for its short form, or None."""
        for name in dict.fromkeys((cited, _AGENCY_WORDS.sub("", cited))):
            found = self.table.by_name(name, self.own)
            if found is not None and (found is self.mine or _written_as(name, found)):
                return found.name
        if self.own and outlet_key(cited) in self.own_forms:
            return self.own  # "told the Post" in a Post the table does not know
        return None


def _own_forms(own: str) -> frozenset[str]:
    """The tails of the article's own outlet name: "meridian post", and "post" alone, which
    names no other outlet; a lone word that is no newsroom word ("australia") is left out."""
    words = outlet_key(own).split()
    tails = [" ".join(words[i:]) for i in range(len(words))]
    generic = _GENERIC_WORDS | GENERIC_NAMES
    return frozenset(t for t in tails if " " in t or t in generic)


def _written_as(cited: str, outlet: Outlet) -> bool:
    """Whether ``cited`` is written the way one of the outlet's names is: a short acronym
    in capitals ("MAP", not "Map data"), one word of a "The ..." name with its article
    ("the Hindu", not "Hindu tradition")."""
    key = name_key(cited)
    has_article = re.match(r"the\s", cited.strip(), re.IGNORECASE) is not None
    core = re.sub(r"^the\s+", "", cited.strip(), flags=re.IGNORECASE)
    core = re.sub(r"['’]s?$", "", core).rstrip(".")
    for form in outlet.names():
        if name_key(form) != key:
            continue
        if form.isupper() and len(form) <= _SHORT_ACRONYM and not core.isupper():
            continue
        if re.match(r"the\s", form, re.IGNORECASE) and " " not in core and not has_article:
            continue
        return True
    return False
